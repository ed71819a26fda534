//go:build unix

package lsp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// watchProcess returns a channel closed once the process pid has exited,
// checking every interval (a process that is not our child cannot be
// waited for); it stops watching when ctx is done.
func watchProcess(ctx context.Context, pid int, interval time.Duration) <-chan struct{} {
	gone := make(chan struct{})
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for processAlive(pid) {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
		close(gone)
	}()
	return gone
}

// processAlive reports whether the process pid exists and is not a zombie
// (an exited process whose parent has not collected it yet).
func processAlive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	// Where /proc is (Linux), its stat line tells a zombie: "pid (comm) Z ...".
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && bytes.HasPrefix(stat[i+1:], []byte(" Z")) {
		return false
	}
	return true
}
