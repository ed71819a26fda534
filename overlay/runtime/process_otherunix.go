//go:build unix && !linux

package runtime

import (
	"os/exec"
	"syscall"
	"time"
)

// launchProcess starts argv[0] with argv[1:] in dir with exactly env, as the
// leader of a new process group, keeping the last lines of its stderr.
// Without a child subreaper on this system, a descendant that leaves the
// group (setsid) and is orphaned is not found; the group itself is killed.
func launchProcess(kp *keeperPool, argv, env []string, dir string, cleanup cleanupSpec) (*process, error) {
	p := &process{stderr: newLineTail(kp.lines), exited: make(chan struct{}), cleanup: cleanup}
	cmd := &exec.Cmd{
		Path:        argv[0],
		Args:        argv,
		Env:         env,
		Dir:         dir,
		Stderr:      p.stderr,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true},
		// A grandchild that escaped the group could keep stderr open; do not
		// let that block Wait for long.
		WaitDelay: time.Second,
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.cmd, p.pid = cmd, cmd.Process.Pid
	go p.watch(env)
	return p, nil
}

// watch waits for the leader to exit, kills whatever is left of its group,
// reaps the leader and cleans up.
func (p *process) watch(env []string) {
	p.exitErr = p.cmd.Wait()
	p.onItsOwn = !p.stopping.Load()
	_ = syscall.Kill(-p.pid, syscall.SIGKILL)
	p.cleanup.run(env)
	close(p.exited)
}

// ask sends SIGTERM to the helper's group.
func (p *process) ask() { _ = syscall.Kill(-p.pid, syscall.SIGTERM) }

// insist sends SIGKILL to the helper's group.
func (p *process) insist() { _ = syscall.Kill(-p.pid, syscall.SIGKILL) }

// exitedNoReap cannot look without reaping here; the exit watcher tells.
func exitedNoReap(pid int) bool { return false }

// endedOnItsOwn reports, once the process is gone (exited is closed),
// whether it ended before stop asked it to.
func (p *process) endedOnItsOwn() bool { return p.onItsOwn }

// keeperPool holds the output size of helpers; there are no keepers here.
type keeperPool struct{ lines int }

func (kp *keeperPool) start(tailLines int) { kp.lines = tailLines }
func (kp *keeperPool) close()              {}
