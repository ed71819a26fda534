//go:build unix

package runtime

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

// process is one launched helper: the leader of its own process group,
// started directly or, on Linux, under a keeper (keeper_linux.go).
type process struct {
	cmd    *exec.Cmd // the process amber-lsp started: the keeper, or the helper
	pid    int       // the helper's pid, also its process group id
	stderr *lineTail

	exited  chan struct{} // closed once the helper and its descendants are gone and cleaned up
	exitErr error         // how cmd exited; valid after exited
	// status is the helper's wait status as its keeper reported it; ended
	// is set once the keeper reported it.
	status   syscall.WaitStatus
	onItsOwn bool // the helper ended before it was told to stop
	ended    atomic.Bool
	stopping atomic.Bool // stop has asked the helper to end

	cleanup cleanupSpec // what to remove after exit
}

// cleanupSpec is what a helper leaves to clean once it is gone.
type cleanupSpec struct {
	RemoveDir string   // a temporary work directory
	Then      []string // a command to run, e.g. `docker rm -f NAME`
}

// run cleans up; env is the environment of the Then command.
func (c cleanupSpec) run(env []string) {
	if c.RemoveDir != "" {
		_ = os.RemoveAll(c.RemoveDir)
	}
	if len(c.Then) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, c.Then[0], c.Then[1:]...)
		cmd.Env = env
		_ = cmd.Run()
	}
}

// hasExited reports whether the helper is gone: its exit has been seen,
// or the process amber-lsp started has exited and is about to be reaped.
func (p *process) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return p.ended.Load() || exitedNoReap(p.cmd.Process.Pid)
	}
}

// stop ends the helper and every process it started: it asks (SIGTERM to
// the helper's group), waits up to grace, then insists (SIGKILL to all of
// them). It returns once they are gone and the cleanup ran (or, for a
// process that even SIGKILL cannot end, after a further bounded wait).
// Safe to call more than once and concurrently.
func (p *process) stop(grace time.Duration) error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	if !p.hasExited() { // still running: ask, then insist
		p.stopping.Store(true)
		p.ask()
		t := time.NewTimer(grace)
		select {
		case <-p.exited:
			t.Stop()
			return nil
		case <-t.C:
		}
		p.insist()
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(30 * time.Second):
		return errors.New("helper process " + strconv.Itoa(p.pid) + " did not exit after SIGKILL")
	}
}

// exitText describes how the helper exited.
func (p *process) exitText() string {
	if p.ended.Load() {
		return waitStatusText(p.status)
	}
	return exitDescription(p.exitErr)
}

// exitDescription describes how a command exited, from the error of Wait.
func exitDescription(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ProcessState.String()
	}
	if err != nil {
		return err.Error()
	}
	return "exit status 0"
}

// waitStatusText describes a wait status as os.ProcessState.String does.
func waitStatusText(ws syscall.WaitStatus) string {
	var s string
	switch {
	case ws.Exited():
		s = "exit status " + strconv.Itoa(ws.ExitStatus())
	case ws.Signaled():
		s = "signal: " + ws.Signal().String()
	default:
		s = "exit status unknown"
	}
	if ws.CoreDump() {
		s += " (core dumped)"
	}
	return s
}

// processExists reports whether a process with this pid exists (zombies
// included).
func processExists(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
