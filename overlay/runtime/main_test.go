//go:build unix

package runtime

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/freeport"
)

// helperBin is the test helper program (testdata/helper), built once.
var helperBin string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "overlay-runtime-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	helperBin = filepath.Join(dir, "helper")
	if out, err := exec.Command("go", "build", "-o", helperBin, "./testdata/helper").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the test helper: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	// Whatever a test forgot: no process of the helper program, and no
	// keeper, may be left.
	if left := append(liveHelperProcesses(), liveKeepers()...); len(left) > 0 {
		fmt.Fprintf(os.Stderr, "helper processes left behind: %v\n", left)
		for _, pid := range left {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		code = 1
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// alive reports whether pid is a running (not zombie) process of the test
// helper program. kill(pid, 0) decides first; a process it still finds is
// looked up in /proc, because a zombie also answers kill(pid, 0) (orphans
// whose init does not reap them stay zombies) and a pid may have been
// reused by another program. A process whose main thread is a zombie runs
// until its last thread has exited (and holds its files until then).
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	state, _, ok := procStat(pid)
	if !ok {
		_, err := os.Stat("/proc/self")
		return err != nil // without /proc, trust kill
	}
	if state == 'Z' || state == 'X' {
		return threadRuns(pid)
	}
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	return err != nil || exe == helperBin
}

// threadRuns reports whether some thread of pid is not a zombie yet.
func threadRuns(pid int) bool {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	for _, task := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/stat", pid, task.Name()))
		if err != nil {
			continue
		}
		if i := strings.LastIndexByte(string(b), ')'); i >= 0 && i+2 < len(b) && b[i+2] != 'Z' && b[i+2] != 'X' {
			return true
		}
	}
	return false
}

// procStat returns the state and process group of pid from /proc.
func procStat(pid int) (state byte, pgrp int, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return 0, 0, false
	}
	f := strings.Fields(s[i+2:]) // state ppid pgrp ...
	if len(f) < 3 {
		return 0, 0, false
	}
	pgrp, err = strconv.Atoi(f[2])
	return f[0][0], pgrp, err == nil
}

// processes lists the pids in /proc for which keep is true.
func processes(keep func(pid int) bool) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil && keep(pid) {
			out = append(out, pid)
		}
	}
	return out
}

// groupMembers returns the live (non-zombie) processes of process group pgid.
func groupMembers(pgid int) []int {
	return processes(func(pid int) bool {
		state, pgrp, ok := procStat(pid)
		return ok && pgrp == pgid && state != 'Z' && state != 'X'
	})
}

// liveHelperProcesses lists running processes of the helper program.
func liveHelperProcesses() []int {
	return processes(func(pid int) bool {
		exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
		return err == nil && exe == helperBin && alive(pid)
	})
}

// listeners returns the inodes of the TCP sockets listening on port, from
// /proc/net/tcp and tcp6.
func listeners(port int) []string {
	var out []string
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(table)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			f := strings.Fields(line) // sl local rem st ... uid timeout inode
			if len(f) < 10 || f[3] != "0A" {
				continue
			}
			_, hexPort, _ := strings.Cut(f[1], ":")
			if p, err := strconv.ParseUint(hexPort, 16, 16); err == nil && int(p) == port {
				out = append(out, f[9])
			}
		}
	}
	return out
}

// waitGone waits up to d for pid to stop running.
func waitGone(pid int, d time.Duration) bool {
	for end := time.Now().Add(d); ; time.Sleep(10 * time.Millisecond) {
		if !alive(pid) {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// startCost is how long one cold start of the test helper takes on this
// machine now (launch, readiness, the first answer), measured once, the
// slowest of three. The tests' deadlines are multiples of it, so that a
// loaded machine gets longer deadlines rather than failures.
var startCost = sync.OnceValue(func() time.Duration {
	dir, err := os.MkdirTemp("", "overlay-runtime-cost-")
	if err != nil {
		return 5 * time.Second
	}
	defer os.RemoveAll(dir)
	rt := New(Options{PollInterval: 5 * time.Millisecond})
	defer rt.Close()
	var worst time.Duration
	for range 3 {
		port, err := freeport.Pick()
		if err != nil {
			return 5 * time.Second
		}
		spec := Spec{Moniker: "/cost", Kind: KindPath, Path: helperBin, Port: port, Fingerprint: strconv.Itoa(port),
			Env: map[string]string{"HELPER_MODE": "noop", "PORT": strconv.Itoa(port), "REPORT": filepath.Join(dir, "report")}}
		begin := time.Now()
		if _, err := rt.Invoke(context.Background(), spec, []byte(`{"scope":{}}`)); err != nil {
			return 5 * time.Second
		}
		worst = max(worst, time.Since(begin))
		if err := rt.StopAll(); err != nil {
			return 5 * time.Second
		}
	}
	return worst
})

// within is a deadline for work that takes about n helper starts: n times
// the measured start cost, and at least floor.
func within(n int, floor time.Duration) time.Duration {
	return max(floor, time.Duration(n)*startCost())
}

// fixture is one test's Runtime and the report file its helpers write.
type fixture struct {
	t      testing.TB
	rt     *Runtime
	dir    string
	report string
}

// newFixture returns a Runtime that is closed when the test ends, after
// which every process any helper reported must be gone.
func newFixture(t testing.TB, opts Options) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{t: t, rt: New(opts), dir: dir, report: filepath.Join(dir, "report")}
	t.Cleanup(func() {
		if err := f.rt.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		f.assertNoneLeft()
	})
	return f
}

// spec returns a Spec running the helper in mode on a fresh port.
func (f *fixture) spec(mode string, env ...string) Spec {
	port := freeport.Get(f.t)
	s := Spec{
		Display:     "/" + mode,
		Moniker:     "/use_0_0",
		Kind:        KindPath,
		Path:        helperBin,
		Env:         map[string]string{"HELPER_MODE": mode, "PORT": strconv.Itoa(port), "REPORT": f.report},
		Port:        port,
		Fingerprint: "v1",
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		s.Env[k] = v
	}
	return s
}

// event is one line of the report file.
type event struct {
	kind   string // start, spawned, grandchild, big
	fields map[string]string
}

func (e event) int(name string) int {
	n, _ := strconv.Atoi(e.fields[name])
	return n
}

// events reads the report file.
func (f *fixture) events() []event {
	file, err := os.Open(f.report)
	if err != nil {
		return nil
	}
	defer file.Close()
	var out []event
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		words := strings.Fields(sc.Text())
		if len(words) == 0 {
			continue
		}
		e := event{kind: words[0], fields: map[string]string{}}
		for _, w := range words[1:] {
			k, v, _ := strings.Cut(w, "=")
			e.fields[k] = v
		}
		out = append(out, e)
	}
	return out
}

// eventsOf returns the events of one kind.
func (f *fixture) eventsOf(kind string) []event {
	var out []event
	for _, e := range f.events() {
		if e.kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// waitEvent waits up to d for an event of kind.
func (f *fixture) waitEvent(kind string, d time.Duration) (event, bool) {
	for end := time.Now().Add(d); ; time.Sleep(10 * time.Millisecond) {
		if es := f.eventsOf(kind); len(es) > 0 {
			return es[0], true
		}
		if time.Now().After(end) {
			return event{}, false
		}
	}
}

// assertNoneLeft checks that every process and process group a helper
// reported is gone.
func (f *fixture) assertNoneLeft() {
	f.t.Helper()
	for _, e := range f.events() {
		pid := e.int("pid")
		if pid == 0 {
			continue
		}
		if !waitGone(pid, within(4, 2*time.Second)) {
			f.t.Errorf("%s process %d is still running", e.kind, pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		if pgid := e.int("pgid"); pgid != 0 {
			if m := groupMembers(pgid); len(m) > 0 {
				f.t.Errorf("process group %d still has members %v", pgid, m)
			}
		}
	}
}
