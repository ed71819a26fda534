//go:build unix

package runtime

import (
	"errors"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// process is one launched helper: the leader of its own process group.
type process struct {
	cmd    *exec.Cmd
	pid    int // also the process group id
	stderr *lineTail

	exited  chan struct{} // closed once the group is killed and the leader reaped
	exitErr error         // the leader's exit status; valid after exited

	cleanup func() // runs after exit, before exited is closed (may be nil)
}

// launchProcess starts argv[0] with argv[1:] in dir with exactly env, as the
// leader of a new process group, keeping the last lines of its stderr.
func launchProcess(argv, env []string, dir string, tailLines int, cleanup func()) (*process, error) {
	p := &process{stderr: newLineTail(tailLines), exited: make(chan struct{}), cleanup: cleanup}
	cmd := &exec.Cmd{
		Path:        argv[0],
		Args:        argv,
		Env:         env,
		Dir:         dir,
		Stderr:      p.stderr,
		SysProcAttr: groupAttr(),
		// A grandchild that escaped the group could keep stderr open; do not
		// let that block Wait for long.
		WaitDelay: time.Second,
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.cmd, p.pid = cmd, cmd.Process.Pid
	go p.watch()
	return p, nil
}

// watch waits for the leader to exit, kills whatever is left of its group,
// reaps the leader and runs the cleanup.
func (p *process) watch() {
	// Where possible wait without reaping: while the leader is a zombie its
	// pid, and so the group id, cannot be reused by an unrelated process.
	waited := waitExitNoReap(p.pid)
	if waited {
		_ = syscall.Kill(-p.pid, syscall.SIGKILL)
	}
	p.exitErr = p.cmd.Wait()
	if !waited {
		_ = syscall.Kill(-p.pid, syscall.SIGKILL)
	}
	if p.cleanup != nil {
		p.cleanup()
	}
	close(p.exited)
}

// hasExited reports whether the helper is gone: reaped by the watcher, or
// already exited and about to be.
func (p *process) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return exitedNoReap(p.pid)
	}
}

// stop ends the whole process group: SIGTERM, then SIGKILL after grace. It
// returns once the watcher has killed the group, reaped the leader and run
// the cleanup (or, for a process that even SIGKILL cannot end, after a
// further bounded wait). Safe to call more than once and concurrently.
func (p *process) stop(grace time.Duration) error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	if !exitedNoReap(p.pid) { // still running: ask, then insist
		_ = syscall.Kill(-p.pid, syscall.SIGTERM)
		t := time.NewTimer(grace)
		select {
		case <-p.exited:
			t.Stop()
			return nil
		case <-t.C:
		}
		_ = syscall.Kill(-p.pid, syscall.SIGKILL)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(30 * time.Second):
		return errors.New("helper process " + strconv.Itoa(p.pid) + " did not exit after SIGKILL")
	}
}

// exitText describes how the leader exited.
func (p *process) exitText() string {
	var ee *exec.ExitError
	if errors.As(p.exitErr, &ee) {
		return ee.ProcessState.String()
	}
	if p.exitErr != nil {
		return p.exitErr.Error()
	}
	return "exit status 0"
}
