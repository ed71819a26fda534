//go:build !unix

package lsp

import (
	"context"
	"os"
	"time"
)

// watchProcess returns a channel closed once the process pid has exited.
// Where processes cannot be watched (Wait fails on a process that is not
// our child), the channel is never closed.
func watchProcess(_ context.Context, pid int, _ time.Duration) <-chan struct{} {
	gone := make(chan struct{})
	p, err := os.FindProcess(pid)
	if err != nil {
		close(gone) // no such process
		return gone
	}
	go func() {
		if _, err := p.Wait(); err == nil {
			close(gone)
		}
	}()
	return gone
}
