package runtime

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// On Linux every helper runs under a keeper: a copy of the running binary
// (amber-lsp, or a test binary that imports this package) started with
// argv[0] keeperArg0, which
//
//   - makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so that
//     every descendant of the helper that is orphaned, a daemon that
//     double-forked and called setsid included, becomes its child instead
//     of init's;
//   - starts the helper as the leader of a new process group, with
//     Pdeathsig SIGKILL;
//   - on SIGTERM passes SIGTERM to the helper's group; on SIGUSR1 (which is
//     also its own Pdeathsig, so it comes when amber-lsp dies, `kill -9`
//     included) kills the helper and every descendant;
//   - once the helper has exited, kills every descendant left, reaps them,
//     reports the helper's wait status, removes the helper's temporary
//     directory and runs the cleanup command (`docker rm -f`), then exits.
//
// The runtime starts a keeper ahead of need (keeperPool) and talks to each
// over a connection on its file descriptor 3: it sends the helper's
// configuration as one line of JSON (the environment too, which stays off
// command lines); the keeper answers "pid N" once the helper runs (or
// "error TEXT" when it could not be started), "exit STATUS HOW" once the
// helper and all its descendants are gone (HOW is "self" when the helper
// ended before it was told to stop, else "stopped"), and "done" after the
// cleanup. A keeper whose connection closes, or that is told to stop,
// before it has a helper just exits.

// keeperArg0 is argv[0] of a keeper process: it makes the binary run as a
// keeper (see init) instead of its main function.
const keeperArg0 = "amber-lsp-helper-keeper"

// keeperConfig is what a keeper runs.
type keeperConfig struct {
	Argv []string `json:"argv"`
	Env  []string `json:"env"` // the helper's whole environment
	Dir  string   `json:"dir,omitempty"`
	// RemoveDir is removed once the helper and its descendants are gone.
	RemoveDir string `json:"remove_dir,omitempty"`
	// Then is run (with Env) after that.
	Then []string `json:"then,omitempty"`
}

const (
	prSetChildSubreaper = 36 // PR_SET_CHILD_SUBREAPER
	reportFD            = 3
)

// A process started as a keeper runs keeperMain instead of its main
// function.
func init() {
	if len(os.Args) == 1 && os.Args[0] == keeperArg0 {
		os.Exit(keeperMain())
	}
}

// keeperMain runs a keeper and returns its exit code.
func keeperMain() int {
	// Pdeathsig follows the thread that started the process: keep the
	// helper's parent thread for the life of the keeper.
	runtime.LockOSThread()
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGCHLD, syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGINT, syscall.SIGHUP)
	syscall.CloseOnExec(reportFD)
	conn := os.NewFile(reportFD, "runtime")
	say := func(format string, args ...any) { fmt.Fprintf(conn, format+"\n", args...) }

	configs := make(chan keeperConfig, 1)
	go func() {
		defer close(configs)
		line, err := bufio.NewReader(conn).ReadBytes('\n')
		var cfg keeperConfig
		if err == nil && json.Unmarshal(line, &cfg) == nil {
			configs <- cfg
		}
	}()
	var cfg keeperConfig
	for waiting := true; waiting; {
		select {
		case c, ok := <-configs:
			if !ok || len(c.Argv) == 0 {
				return 0 // closed before a helper was asked for, or nonsense
			}
			cfg, waiting = c, false
		case sig := <-sigs:
			if sig != syscall.SIGCHLD {
				return 0
			}
		}
	}
	k := &keeper{self: os.Getpid()}
	// Without a subreaper the helper's group is still killed; only
	// descendants that left it and were orphaned can escape.
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)

	devnull, err := os.Open(os.DevNull)
	if err != nil {
		say("error %s", oneLine(err.Error()))
		return 2
	}
	proc, err := os.StartProcess(cfg.Argv[0], cfg.Argv, &os.ProcAttr{
		Dir:   cfg.Dir,
		Env:   cfg.Env,
		Files: []*os.File{devnull, devnull, os.Stderr},
		Sys:   &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL},
	})
	devnull.Close()
	if err != nil {
		say("error %s", oneLine(err.Error()))
		k.cleanup(cfg)
		return 2
	}
	k.helper = proc.Pid
	_ = proc.Release() // reaped by wait4 below
	say("pid %d", k.helper)

	for sig := range sigs {
		switch sig {
		case syscall.SIGCHLD:
			k.reap()
		case syscall.SIGTERM:
			// A helper that is gone already ended on its own, whatever
			// order the two signals come in.
			k.reap()
			if !k.done {
				k.asked = true
				// The helper is not reaped yet, so its group id is still its own.
				_ = syscall.Kill(-k.helper, syscall.SIGTERM)
			}
		case syscall.SIGUSR1:
			k.reap()
			k.forced = !k.done
			k.asked = k.asked || k.forced
			k.killAll()
		}
		if k.done {
			break
		}
	}
	k.killAll()
	// The helper ended on its own unless it was told to stop first, and
	// then died of something other than a SIGKILL someone else sent.
	how := "self"
	killedElsewhere := k.status.Signaled() && k.status.Signal() == syscall.SIGKILL && !k.forced
	if k.asked && !killedElsewhere {
		how = "stopped"
	}
	say("exit %d %s", uint32(k.status), how)
	k.cleanup(cfg)
	say("done")
	return 0
}

// keeper is the state of a keeper process.
type keeper struct {
	self   int
	helper int
	done   bool // the helper has been reaped
	status syscall.WaitStatus
	asked  bool // the helper was told to stop while it ran
	forced bool // ... and killed
}

// reap reaps every child that has exited, noting the helper's status.
func (k *keeper) reap() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return
		}
		k.record(pid, ws)
	}
}

func (k *keeper) record(pid int, ws syscall.WaitStatus) {
	if pid == k.helper && !k.done {
		k.done, k.status = true, ws
	}
}

// killAll kills every descendant of the keeper and reaps them until it
// has no child left. A descendant that forks while this runs is found in
// the next round: its orphans come to the keeper.
func (k *keeper) killAll() {
	for {
		for _, pid := range descendants(k.self) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		switch {
		case err == syscall.EINTR:
		case err != nil:
			return // ECHILD: nothing is left
		default:
			k.record(pid, ws)
		}
	}
}

// cleanup removes the helper's directory and runs the configured command.
func (k *keeper) cleanup(cfg keeperConfig) {
	cleanupSpec{RemoveDir: cfg.RemoveDir, Then: cfg.Then}.run(cfg.Env)
}

// descendants lists the processes below pid, from /proc.
func descendants(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(p); ok {
			children[ppid] = append(children[ppid], p)
		}
	}
	var out []int
	queue := children[pid]
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		out = append(out, p)
		queue = append(queue, children[p]...)
	}
	return out
}

// parentOf reads the parent of pid from /proc/PID/stat.
func parentOf(pid int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold anything
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:]) // state ppid ...
	if len(f) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, err == nil
}

// oneLine keeps a message on one line of the report.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
