package runtime

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// selfExe is the running binary, even if its file was replaced or removed
// since it started: the keeper must be this very program.
const selfExe = "/proc/self/exe"

// launchProcess starts argv[0] with argv[1:] in dir with exactly env under
// a keeper (keeper_linux.go), as the leader of a new process group, keeping
// the last lines of its stderr. The keeper is in a process group of its
// own too, so a signal to amber-lsp's group does not reach it; it receives
// SIGUSR1 when amber-lsp dies.
func launchProcess(argv, env []string, dir string, tailLines int, cleanup cleanupSpec) (*process, error) {
	p := &process{stderr: newLineTail(tailLines), exited: make(chan struct{}), cleanup: cleanup}
	cfg, err := json.Marshal(keeperConfig{Argv: argv, RemoveDir: cleanup.RemoveDir, Then: cleanup.Then})
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer w.Close()
	cmd := &exec.Cmd{
		Path:        selfExe,
		Args:        []string{keeperArg0, string(cfg)},
		Env:         env,
		Dir:         dir,
		Stderr:      p.stderr,
		ExtraFiles:  []*os.File{w}, // the keeper's fd 3
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGUSR1},
		// Should a descendant hold stderr open past the keeper (it cannot,
		// the keeper outlives them all), do not let that block Wait.
		WaitDelay: time.Second,
	}
	if err := cmd.Start(); err != nil {
		r.Close()
		return nil, err
	}
	w.Close()
	p.cmd = cmd
	report := bufio.NewReader(r)
	line, _ := report.ReadString('\n')
	word, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
	switch pid, err := strconv.Atoi(rest); {
	case word == "pid" && err == nil:
		p.pid = pid
	default:
		// The keeper could not start the helper (and has cleaned up), or
		// died itself.
		r.Close()
		werr := cmd.Wait()
		if word == "error" {
			return nil, errors.New(rest)
		}
		return nil, errors.New("the helper keeper failed: " + exitDescription(werr))
	}
	go p.watch(report, r, env)
	return p, nil
}

// watch follows the keeper's report until it exits, then reaps it and, if
// the keeper could not, cleans up.
func (p *process) watch(report *bufio.Reader, r *os.File, env []string) {
	cleaned := false
	for {
		line, err := report.ReadString('\n')
		word, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		switch word {
		case "exit":
			status, how, _ := strings.Cut(rest, " ")
			if ws, err := strconv.ParseUint(status, 10, 32); err == nil {
				p.status, p.onItsOwn = syscall.WaitStatus(ws), how == "self"
				p.ended.Store(true)
			}
		case "done":
			cleaned = true
		}
		if err != nil {
			break
		}
	}
	r.Close()
	p.exitErr = p.cmd.Wait()
	if !cleaned {
		// The keeper was killed: the helper got its Pdeathsig, but the
		// temporary directory and any container are still ours to remove.
		p.cleanup.run(env)
	}
	close(p.exited)
}

// ask has the keeper pass SIGTERM to the helper's group.
func (p *process) ask() { _ = syscall.Kill(p.cmd.Process.Pid, syscall.SIGTERM) }

// insist has the keeper kill the helper and every descendant.
func (p *process) insist() { _ = syscall.Kill(p.cmd.Process.Pid, syscall.SIGUSR1) }

const (
	pPID    = 1          // P_PID
	wNoHang = 0x1        // WNOHANG
	wExited = 0x4        // WEXITED
	wNoWait = 0x01000000 // WNOWAIT
)

// exitedNoReap reports, without blocking or reaping, whether the child pid
// has exited (ECHILD: it has already been reaped).
func exitedNoReap(pid int) bool {
	var info [128]byte // siginfo_t; si_signo (offset 0) is SIGCHLD only when pid has exited
	_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid), uintptr(unsafe.Pointer(&info[0])), wNoHang|wExited|wNoWait, 0, 0)
	if errno == syscall.ECHILD {
		return true
	}
	return errno == 0 && (info[0] != 0 || info[1] != 0 || info[2] != 0 || info[3] != 0)
}

// endedOnItsOwn reports, once the process is gone (exited is closed),
// whether the helper ended before it was told to stop, as its keeper saw.
func (p *process) endedOnItsOwn() bool { return p.ended.Load() && p.onItsOwn }
