package runtime

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// selfExe is the running binary, even if its file was replaced or removed
// since it started: the keeper must be this very program.
const selfExe = "/proc/self/exe"

// keeperProc is a keeper process waiting for, or running, its helper.
type keeperProc struct {
	cmd    *exec.Cmd
	conn   *os.File // our end of the keeper's fd 3
	stderr *lineTail
}

// spawnKeeper starts a keeper (keeper_linux.go), which waits for its
// helper's configuration. It has no environment of its own and leads a
// process group of its own, so a signal to amber-lsp's group does not reach
// it; it receives SIGUSR1 when amber-lsp dies.
func spawnKeeper(tailLines int) (*keeperProc, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	ours, theirs := os.NewFile(uintptr(fds[0]), "keeper"), os.NewFile(uintptr(fds[1]), "keeper")
	defer theirs.Close()
	k := &keeperProc{conn: ours, stderr: newLineTail(tailLines)}
	k.cmd = &exec.Cmd{
		Path:        selfExe,
		Args:        []string{keeperArg0},
		Env:         []string{},
		Stderr:      k.stderr,
		ExtraFiles:  []*os.File{theirs}, // the keeper's fd 3
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGUSR1},
		// Should a descendant hold stderr open past the keeper (it cannot,
		// the keeper outlives them all), do not let that block Wait.
		WaitDelay: time.Second,
	}
	if err := k.cmd.Start(); err != nil {
		ours.Close()
		return nil, err
	}
	return k, nil
}

// discard ends a keeper that was given no helper.
func (k *keeperProc) discard() {
	k.conn.Close() // an idle keeper exits when its connection closes
	_ = k.cmd.Wait()
}

// keeperPool starts one keeper ahead of need, when the Runtime is made,
// so that the first helper does not wait for a process of amber-lsp's own
// size to start (a pass links its manifests meanwhile); later helpers
// start their keepers as they go.
type keeperPool struct {
	mu    sync.Mutex
	spare chan *keeperProc // receives the spare (nil if it failed); nil once taken
	lines int
}

// start starts the spare keeper in the background.
func (kp *keeperPool) start(tailLines int) {
	kp.lines = tailLines
	kp.spare = make(chan *keeperProc, 1)
	go func(ch chan<- *keeperProc) {
		k, err := spawnKeeper(tailLines)
		if err != nil {
			k = nil // the launch starts one itself, and says why it cannot
		}
		ch <- k
	}(kp.spare)
}

// takeSpare returns the spare keeper, waiting for it if it is starting;
// nil when it was taken already or failed.
func (kp *keeperPool) takeSpare() *keeperProc {
	kp.mu.Lock()
	ch := kp.spare
	kp.spare = nil
	kp.mu.Unlock()
	if ch == nil {
		return nil
	}
	return <-ch
}

// take returns a keeper for one helper: the spare, else a new one.
func (kp *keeperPool) take() (*keeperProc, error) {
	if k := kp.takeSpare(); k != nil {
		if !exitedNoReap(k.cmd.Process.Pid) {
			return k, nil
		}
		go k.discard()
	}
	return spawnKeeper(kp.lines)
}

// close ends the spare keeper if no helper took it.
func (kp *keeperPool) close() {
	if k := kp.takeSpare(); k != nil {
		k.discard()
	}
}

// launchProcess starts argv[0] with argv[1:] in dir with exactly env under
// a keeper of the pool, as the leader of a new process group, keeping the
// last lines of its stderr.
func launchProcess(kp *keeperPool, argv, env []string, dir string, cleanup cleanupSpec) (*process, error) {
	cfg, err := json.Marshal(keeperConfig{Argv: argv, Env: env, Dir: dir, RemoveDir: cleanup.RemoveDir, Then: cleanup.Then})
	if err != nil {
		return nil, err
	}
	k, err := kp.take()
	if err != nil {
		return nil, err
	}
	p := &process{cmd: k.cmd, stderr: k.stderr, exited: make(chan struct{}), cleanup: cleanup}
	// The configuration travels over the connection, not on a command
	// line: the environment may hold secrets.
	_, werr := k.conn.Write(append(cfg, '\n'))
	report := bufio.NewReader(k.conn)
	line, _ := report.ReadString('\n')
	word, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
	switch pid, err := strconv.Atoi(rest); {
	case word == "pid" && err == nil && werr == nil:
		p.pid = pid
	default:
		// The keeper could not start the helper (and has cleaned up), or
		// died itself.
		k.conn.Close()
		waitErr := k.cmd.Wait()
		if word == "error" {
			return nil, errors.New(rest)
		}
		if cleanup.RemoveDir != "" {
			_ = os.RemoveAll(cleanup.RemoveDir)
		}
		return nil, errors.New("the helper keeper failed: " + exitDescription(waitErr))
	}
	go p.watch(report, k.conn, env)
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
