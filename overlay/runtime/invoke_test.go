//go:build unix

package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/freeport"
	"github.com/amberlsp/amber-lsp/internal/golden"
)

// scopeRequest is a minimal request body of the shape Amber sends.
var scopeRequest = []byte(`{"scope":{"bindings":[],"components":[],"exports":[],"imports":[]}}`)

func TestInvokeAnswersPlan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode          string
		interpositons int
	}{
		{"plan", 1},
		{"noop", 0},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{})
			resp, err := f.rt.Invoke(context.Background(), f.spec(tc.mode), scopeRequest)
			if err != nil {
				t.Fatal(err)
			}
			var plan struct {
				Interpositions []struct {
					Attachments []struct{ Target int }
				}
			}
			if err := json.Unmarshal(resp.Body, &plan); err != nil {
				t.Fatalf("body %q: %v", resp.Body, err)
			}
			if len(plan.Interpositions) != tc.interpositons {
				t.Errorf("got %d interpositions, want %d", len(plan.Interpositions), tc.interpositons)
			}
			if resp.StatusCode != 200 || resp.Reused || resp.StartDuration <= 0 || resp.RequestDuration <= 0 {
				t.Errorf("response %+v: want status 200, a fresh start and both durations", resp.Ready)
			}
			starts := f.eventsOf("start")
			if len(starts) != 1 || starts[0].int("pid") != resp.PID || starts[0].int("pgid") != resp.PID {
				t.Errorf("starts %v: want one helper, pid %d leading its own process group", starts, resp.PID)
			}
		})
	}
}

func TestReuse(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	spec := f.spec("plan")
	first, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	spec.Display = "/other-overlay-of-the-same-use" // same process, other export name
	second, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Reused || second.StartDuration != 0 || second.PID != first.PID {
		t.Errorf("second invoke %+v after %+v: want reused, start 0, same pid", second.Ready, first.Ready)
	}
	if n := len(f.eventsOf("start")); n != 1 {
		t.Errorf("helper started %d times, want 1", n)
	}
	hs := f.rt.Helpers()
	if len(hs) != 1 || hs[0].PID != first.PID || !slices.Equal(hs[0].Ports, []int{spec.Port}) ||
		!slices.Equal(hs[0].Exports, []string{"/other-overlay-of-the-same-use", "/plan"}) || hs[0].InUse {
		t.Errorf("Helpers() = %+v", hs)
	}
}

func TestConcurrentInvokesShareOneStart(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	spec := f.spec("slowstart")
	const n = 6
	pids := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			resp, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
			pids[i], errs[i] = resp.PID, err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || pids[i] != pids[0] {
			t.Errorf("invoke %d: pid %d, err %v; want pid %d", i, pids[i], errs[i], pids[0])
		}
	}
	if starts := f.eventsOf("start"); len(starts) != 1 {
		t.Errorf("helper started %d times, want 1", len(starts))
	}
}

func TestRestartOnFingerprintChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	spec := f.spec("plan")
	first, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	spec.Fingerprint = "v2"
	second, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	if second.Reused || second.PID == first.PID {
		t.Errorf("after a fingerprint change: %+v, first %+v; want a new helper", second.Ready, first.Ready)
	}
	if alive(first.PID) {
		t.Errorf("old helper %d still runs after the restart", first.PID)
	}
	if hs := f.rt.Helpers(); len(hs) != 1 || hs[0].Fingerprint != "v2" {
		t.Errorf("Helpers() = %+v, want only the v2 helper", hs)
	}
}

func TestRestartAfterHelperDied(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		noticed bool // wait until the runtime has seen the exit
	}{{"exit noticed", true}, {"died just before the request", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{})
			spec := f.spec("plan")
			first, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Kill(first.PID, syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			if tc.noticed {
				for end := time.Now().Add(within(10, 2*time.Second)); len(f.rt.Helpers()) > 0; time.Sleep(5 * time.Millisecond) {
					if time.Now().After(end) {
						t.Fatal("the runtime did not notice the helper's death")
					}
				}
			}
			second, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
			if err != nil {
				t.Fatal(err)
			}
			if second.Reused || second.PID == first.PID || second.StartDuration == 0 {
				t.Errorf("after the helper died: %+v; want a fresh start", second.Ready)
			}
			if n := len(f.eventsOf("start")); n != 2 {
				t.Errorf("%d starts, want 2", n)
			}
		})
	}
}

func TestIdleHelperIsStopped(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{IdleTimeout: 200 * time.Millisecond})
	resp, err := f.rt.Invoke(context.Background(), f.spec("plan"), scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	if !waitGone(resp.PID, within(10, 3*time.Second)) {
		t.Fatalf("idle helper %d still runs", resp.PID)
	}
	if hs := f.rt.Helpers(); len(hs) != 0 {
		t.Errorf("Helpers() = %+v after idle stop", hs)
	}
}

func TestPortInUseIsReportedBeforeLaunch(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	spec := f.spec("plan")
	spec.Port = l.Addr().(*net.TCPAddr).Port
	_, err = f.rt.Invoke(context.Background(), spec, scopeRequest)
	var pe *PortInUseError
	if !errors.As(err, &pe) || pe.Port != spec.Port || !pe.Listening {
		t.Fatalf("err = %v, want a PortInUseError for port %d", err, spec.Port)
	}
	want := "port " + strconv.Itoa(spec.Port) + " needed by component /use_0_0 is already in use (something else is listening on 127.0.0.1:" + strconv.Itoa(spec.Port) + "); stop that process or change the helper's endpoint port"
	if err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
	if starts := f.eventsOf("start"); len(starts) != 0 {
		t.Errorf("helper was launched despite the busy port: %v", starts)
	}
}

func TestRelativeProgramPath(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	base := filepath.Join(f.dir, "manifest")
	if err := os.MkdirAll(filepath.Join(base, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(helperBin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "bin", "helper"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"./bin/helper", "bin/helper", "../manifest/bin/helper"} {
		spec := f.spec("noop")
		spec.Path, spec.BaseDir = path, base
		if _, err := f.rt.Invoke(context.Background(), spec, scopeRequest); err != nil {
			t.Errorf("path %s: %v", path, err)
		}
	}
	spec := f.spec("noop")
	spec.Path, spec.BaseDir = "helper", filepath.Join(base, "bin")
	_, err = f.rt.Invoke(context.Background(), spec, scopeRequest)
	want := "component /use_0_0 uses program path `helper` without a path separator; direct execution does not search PATH, so use an absolute path or a manifest-relative path like `./bin/server`"
	var se *SpecError
	if !errors.As(err, &se) || err.Error() != want {
		t.Errorf("err = %v\nwant SpecError %s", err, want)
	}
}

func TestEnvironmentIsOnlyWhatIsDeclared(t *testing.T) {
	t.Setenv("AMBER_LSP_TEST_LEAK", "must not reach the helper")
	f := newFixture(t, Options{})
	workDir := filepath.Join(f.dir, "work")
	for _, tc := range []struct {
		name    string
		workDir string
	}{{"temporary work dir", ""}, {"given work dir", workDir}} {
		spec := f.spec("env", "GREETING=hello world", "EMPTY=")
		spec.WorkDir = tc.workDir
		resp, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
		if err != nil {
			t.Fatal(err)
		}
		var env []string
		if err := json.Unmarshal(resp.Body, &env); err != nil {
			t.Fatal(err)
		}
		home := ""
		for _, kv := range env {
			if h, ok := strings.CutPrefix(kv, "HOME="); ok {
				home = h
			}
		}
		if tc.workDir != "" && home != tc.workDir || tc.workDir == "" && !strings.Contains(home, "amber-lsp-helper-") {
			t.Errorf("%s: HOME=%s", tc.name, home)
		}
		want := []string{"EMPTY=", "GREETING=hello world", "HELPER_MODE=env", "HOME=" + home, "PATH=" + DefaultPath,
			"PORT=" + strconv.Itoa(spec.Port), "REPORT=" + f.report, "TMPDIR=/tmp"}
		if !slices.Equal(env, want) {
			t.Errorf("%s: helper environment\n%q\nwant\n%q", tc.name, env, want)
		}
		if err := f.rt.StopAll(); err != nil {
			t.Fatal(err)
		}
		_, err = os.Stat(home)
		if tc.workDir == "" && !os.IsNotExist(err) || tc.workDir != "" && err != nil {
			t.Errorf("%s: after stop, stat %s: %v", tc.name, home, err)
		}
	}
}

func TestGrandchildrenAreKilled(t *testing.T) {
	t.Parallel()
	t.Run("on close", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, Options{StopGrace: 300 * time.Millisecond})
		resp, err := f.rt.Invoke(context.Background(), f.spec("spawn"), scopeRequest)
		if err != nil {
			t.Fatal(err)
		}
		gc, ok := f.waitEvent("grandchild", within(10, 2*time.Second))
		if !ok {
			t.Fatal("no grandchild reported")
		}
		if gc.int("pgid") != resp.PID || !alive(gc.int("pid")) {
			t.Fatalf("grandchild %v: want it alive in group %d", gc, resp.PID)
		}
		if err := f.rt.Close(); err != nil {
			t.Fatal(err)
		}
		for _, pid := range []int{resp.PID, gc.int("pid")} {
			if !waitGone(pid, within(4, time.Second)) {
				t.Errorf("process %d survived Close", pid)
			}
		}
	})
	t.Run("on start timeout", func(t *testing.T) {
		t.Parallel()
		// Long enough for the helper to write its line before it times out.
		f := newFixture(t, Options{StartTimeout: within(4, time.Second), StopGrace: 300 * time.Millisecond})
		_, err := f.rt.Invoke(context.Background(), f.spec("spawn", "SPAWN_THEN=hang"), scopeRequest)
		var se *StartError
		if !errors.As(err, &se) || !se.TimedOut {
			t.Fatalf("err = %v, want a start timeout", err)
		}
		if !strings.Contains(err.Error(), "  spawn: grandchild started, now hanging\n") {
			t.Errorf("error lacks the helper's stderr:\n%s", err)
		}
		for _, e := range f.events() {
			if pid := e.int("pid"); pid != 0 && !waitGone(pid, within(4, time.Second)) {
				t.Errorf("%s process %d survived the failed start", e.kind, pid)
			}
		}
	})
}

func TestHelperIgnoringSIGTERMIsKilled(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{StopGrace: 200 * time.Millisecond})
	resp, err := f.rt.Invoke(context.Background(), f.spec("stubborn"), scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	if err := f.rt.StopAll(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d < 200*time.Millisecond {
		t.Errorf("stop took %v; a helper ignoring SIGTERM should get the grace period", d)
	}
	if alive(resp.PID) {
		t.Errorf("helper %d survived StopAll", resp.PID)
	}
}

func TestStartTCPEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	spec := f.spec("plan")
	spec.Protocol = TCP
	ready, err := f.rt.Start(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if ready.PID == 0 || ready.Reused {
		t.Errorf("Start = %+v", ready)
	}
	_, err = f.rt.Invoke(context.Background(), spec, scopeRequest)
	want := "export `/plan` uses `tcp`; JSON requests require an HTTP export"
	if err == nil || err.Error() != want {
		t.Errorf("Invoke on tcp: %v, want %s", err, want)
	}
}

func TestCallerCancelDoesNotAbortSharedStart(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	spec := f.spec("slowstart")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.rt.Invoke(ctx, spec, scopeRequest); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline", err)
	}
	resp, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	if starts := f.eventsOf("start"); len(starts) != 1 || starts[0].int("pid") != resp.PID {
		t.Errorf("starts %v: want the first start to be finished and used, pid %d", starts, resp.PID)
	}
}

func TestClosedRuntime(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	if err := f.rt.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.rt.Invoke(context.Background(), f.spec("plan"), scopeRequest); !errors.Is(err, ErrClosed) {
		t.Errorf("Invoke after Close: %v, want ErrClosed", err)
	}
}

func TestDockerEngineMissing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	clients := []string{filepath.Join(f.dir, "no-such-docker")}
	if path, err := exec.LookPath("docker"); err == nil {
		if dockerEngineProblem(context.Background(), path) == "" {
			t.Log("a Docker engine answers here; only the missing-client case is tested")
		} else {
			clients = append(clients, "docker")
		}
	}
	for _, client := range clients {
		rt := New(Options{Docker: client})
		spec := Spec{Display: "/img", Moniker: "/use_0_0", Kind: KindImage, Image: "example.org/overlay:1", Port: freeport.Get(t)}
		_, err := rt.Invoke(context.Background(), spec, scopeRequest)
		var de *DockerUnavailableError
		if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), "a Docker engine is needed to preview image helpers: component /use_0_0 runs image `example.org/overlay:1`, but no Docker engine answered (") {
			t.Errorf("client %s: err = %v", client, err)
		}
		t.Logf("client %s: %v", client, err)
		rt.Close()
	}
}

// portRE matches loopback addresses, whose ports differ between runs.
var portRE = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// TestInvokeFailures runs every failing helper and compares the errors with
// testdata/invoke_errors.golden.
func TestInvokeFailures(t *testing.T) {
	t.Parallel()
	type check func(t *testing.T, f *fixture, err error)
	helperStopped := func(t *testing.T, f *fixture, err error) {
		for _, e := range f.eventsOf("start") {
			if !waitGone(e.int("pid"), within(4, time.Second)) {
				t.Errorf("helper %d still runs after the failure", e.int("pid"))
			}
		}
	}
	helperKept := func(t *testing.T, f *fixture, err error) {
		if hs := f.rt.Helpers(); len(hs) != 1 {
			t.Errorf("Helpers() = %+v, want the helper kept for reuse", hs)
		}
	}
	cases := []struct {
		name  string
		mode  string
		env   []string
		opts  Options
		body  []byte
		is    func(error) bool
		check check
	}{
		{name: "crash at start", mode: "crash", env: []string{"CRASH_LINES=25"}, is: isStartError, check: helperStopped},
		// Long enough for the helper to write its line before it times out.
		{name: "hang without listening", mode: "hang", opts: Options{StartTimeout: within(4, 700*time.Millisecond)}, is: isStartError, check: helperStopped},
		{name: "never answers the POST", mode: "noanswer", opts: Options{RequestTimeout: 300 * time.Millisecond}, is: isReason(ReasonTimeout), check: helperStopped},
		{name: "500 with a body", mode: "status500", is: isReason(ReasonStatus), check: helperKept},
		{name: "500 with a long body", mode: "status500big", is: isReason(ReasonStatus), check: helperKept},
		{name: "400 for a bad request", mode: "noop", body: []byte(`{}`), is: isReason(ReasonStatus), check: helperKept},
		{name: "garbage instead of HTTP", mode: "rawgarbage", is: isReason(ReasonTransport), check: helperStopped},
		{name: "not utf-8", mode: "latin1", is: isReason(ReasonNotUTF8), check: helperKept},
		{name: "50 MB with content-length", mode: "bigcl", is: isReason(ReasonTooLarge), check: helperKept},
		{name: "50 MB streamed", mode: "big", is: isReason(ReasonTooLarge), check: bigNotReadFully},
	}
	var mu sync.Mutex
	got := map[string]string{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tc.opts)
			body := scopeRequest
			if tc.body != nil {
				body = tc.body
			}
			_, err := f.rt.Invoke(context.Background(), f.spec(tc.mode, tc.env...), body)
			if err == nil || !tc.is(err) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			tc.check(t, f, err)
			mu.Lock()
			got[tc.name] = portRE.ReplaceAllString(err.Error(), "127.0.0.1:PORT")
			mu.Unlock()
		})
	}
	var names []string
	for _, tc := range cases {
		names = append(names, tc.name)
	}
	t.Cleanup(func() { // after all subtests
		var b strings.Builder
		for _, name := range names {
			b.WriteString("== " + name + "\n" + got[name] + "\n")
		}
		compareGolden(t, "invoke_errors.golden", b.String())
	})
}

// bigNotReadFully checks that the client stopped reading a 50 MB body.
func bigNotReadFully(t *testing.T, f *fixture, err error) {
	e, ok := f.waitEvent("big", within(20, 5*time.Second))
	if !ok {
		t.Fatal("helper never finished writing")
	}
	if wrote := e.int("wrote"); wrote >= 50<<20 || e.fields["err"] != "true" {
		t.Errorf("helper wrote %d bytes without error; the client read it all", wrote)
	}
}

func TestHelperDyingDuringRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	spec := f.spec("dieonpost")
	_, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
	if !isReason(ReasonTransport)(err) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "request to export `/dieonpost` failed: ") ||
		!strings.HasSuffix(msg, "\n\nprocess output:\n  dieonpost: fatal: out of memory\n") {
		t.Errorf("message:\n%s", msg)
	}
	if hs := f.rt.Helpers(); len(hs) != 0 {
		t.Errorf("Helpers() = %+v, want the dead helper gone", hs)
	}
}

func isStartError(err error) bool {
	var se *StartError
	return errors.As(err, &se)
}

func isReason(r Reason) func(error) bool {
	return func(err error) bool {
		var ie *InvokeError
		return errors.As(err, &ie) && ie.Reason == r
	}
}

// compareGolden compares got with testdata/name, or rewrites it with -update.
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}

// TestGarbageBodyIsReturned: a 2xx body that is not a plan is the plan
// decoder's business; the runtime returns it as it came.
func TestGarbageBodyIsReturned(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	spec := f.spec("garbage")
	spec.Protocol = HTTPS // called over plain http://, as Amber does
	resp, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "this is not json {{{" {
		t.Errorf("body %q", resp.Body)
	}
}

// TestTwoEndpointsOfOneHelper: two exports of one `use` on different
// endpoints share the process; each endpoint is waited for on its own.
func TestTwoEndpointsOfOneHelper(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	first := f.spec("noop")
	second := first
	second.Display, second.Port = "/second", freeport.Get(t)
	first.Env["PORT2"] = strconv.Itoa(second.Port)
	a, err := f.rt.Invoke(context.Background(), first, scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.rt.Invoke(context.Background(), second, scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	if a.PID != b.PID || b.Reused {
		t.Errorf("second endpoint: %+v, first %+v; want the same process, newly ready", b.Ready, a.Ready)
	}
	hs := f.rt.Helpers()
	if len(hs) != 1 || len(hs[0].Ports) != 2 {
		t.Errorf("Helpers() = %+v", hs)
	}
}

// TestBusyPortWaitsForTheOtherHelper: a helper started from something else
// that is serving a request on the port is replaced only once it is done.
// The old helper holds its answer until the replacement is waiting.
func TestBusyPortWaitsForTheOtherHelper(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	release := filepath.Join(f.dir, "release")
	old := f.spec("heldpost", "RELEASE="+release)
	oldDone := make(chan Response, 1)
	go func() {
		resp, err := f.rt.Invoke(context.Background(), old, scopeRequest)
		if err != nil {
			t.Error(err)
		}
		oldDone <- resp
	}()
	if _, ok := f.waitEvent("post", within(10, 5*time.Second)); !ok {
		t.Fatal("the old helper never got the request")
	}
	replacement := old
	replacement.Fingerprint = "v2"
	newDone := make(chan error, 1)
	var resp Response
	go func() {
		var err error
		resp, err = f.rt.Invoke(context.Background(), replacement, scopeRequest)
		newDone <- err
	}()
	for end := time.Now().Add(within(10, 5*time.Second)); ; time.Sleep(time.Millisecond) {
		f.rt.mu.Lock()
		waiting := f.rt.waiting
		f.rt.mu.Unlock()
		if waiting > 0 {
			break
		}
		if time.Now().After(end) {
			t.Fatal("the replacement never waited for the busy port")
		}
	}
	if err := os.WriteFile(release, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	prev := <-oldDone
	if err := <-newDone; err != nil {
		t.Fatal(err)
	}
	if prev.PID == 0 || resp.PID == prev.PID || alive(prev.PID) {
		t.Errorf("old helper %d (alive %v), new %d: want the old one replaced after its request", prev.PID, alive(prev.PID), resp.PID)
	}
	var order []string
	for _, e := range f.events() {
		if e.kind == "answered" && e.int("pid") == prev.PID || e.kind == "start" && e.int("pid") == resp.PID {
			order = append(order, e.kind)
		}
	}
	if !slices.Equal(order, []string{"answered", "start"}) {
		t.Errorf("events %v: want the old helper's answer before the replacement started", order)
	}
}

// TestDetachedDescendantsEnd: a grandchild that left the helper's process
// group and session (setsid), holding a port, ends with the helper: when
// the Runtime closes, when the helper is stopped alone, and when it was
// orphaned by a double fork before that. The socket it listened on is
// closed afterwards.
func TestDetachedDescendantsEnd(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"daemon", "daemonize"} {
		for _, end := range []string{"Close", "StopAll", "helper killed"} {
			t.Run(mode+"/"+end, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, Options{StopGrace: 300 * time.Millisecond})
				daemonPort := freeport.Get(t)
				resp, err := f.rt.Invoke(context.Background(), f.spec(mode, "DAEMON_PORT="+strconv.Itoa(daemonPort)), scopeRequest)
				if err != nil {
					t.Fatal(err)
				}
				gc, ok := f.waitEvent("grandchild", within(10, 5*time.Second))
				if !ok {
					t.Fatal("no grandchild reported")
				}
				pid := gc.int("pid")
				if gc.int("sid") != pid || !alive(pid) {
					t.Fatalf("grandchild %v: want it alive, leading a session of its own", gc)
				}
				held := listeners(daemonPort)
				if len(held) == 0 {
					t.Fatalf("nothing listens on the grandchild's port %d", daemonPort)
				}
				switch end {
				case "Close":
					err = f.rt.Close()
				case "StopAll":
					err = f.rt.StopAll()
				case "helper killed":
					err = syscall.Kill(resp.PID, syscall.SIGKILL)
				}
				if err != nil {
					t.Fatal(err)
				}
				if !waitGone(pid, within(10, 5*time.Second)) {
					t.Fatalf("grandchild %d outlived the helper (%s)", pid, end)
				}
				// Its listening socket is closed. (Another program may have
				// taken the port since; that is another socket.)
				for _, inode := range listeners(daemonPort) {
					if slices.Contains(held, inode) {
						t.Fatalf("the grandchild's socket on port %d is still open", daemonPort)
					}
				}
			})
		}
	}
}

// TestUnexecutableProgram: a program file the system cannot execute is a
// start failure quoting the system's reason, and nothing is left.
func TestUnexecutableProgram(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	prog := filepath.Join(f.dir, "not-a-program")
	if err := os.WriteFile(prog, []byte("\x00\x01 not an executable format"), 0o755); err != nil {
		t.Fatal(err)
	}
	spec := f.spec("plan")
	spec.Path = prog
	_, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
	want := "component /use_0_0 could not be started: fork/exec " + prog + ": exec format error"
	if !isStartError(err) || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant a StartError with %q", err, want)
	}
}

// TestStaleWorkDirsAreRemoved: work directories of a run whose amber-lsp
// is gone are removed by the next one; those of a running process, and
// anything else, are kept.
func TestStaleWorkDirsAreRemoved(t *testing.T) {
	t.Parallel()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	dirs := map[string]bool{ // name -> kept
		workDirPrefix + strconv.Itoa(gone.Process.Pid) + "-123": false,
		workDirPrefix + strconv.Itoa(os.Getpid()) + "-456":      true,
		workDirPrefix + "notapid-789":                           true,
		"unrelated-" + strconv.Itoa(gone.Process.Pid) + "-1":    true,
	}
	for name := range dirs {
		if err := os.MkdirAll(filepath.Join(tmp, name, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	removeStaleWorkDirs(tmp)
	for name, kept := range dirs {
		_, err := os.Stat(filepath.Join(tmp, name))
		if kept != (err == nil) {
			t.Errorf("%s: kept %v, want %v", name, err == nil, kept)
		}
	}
}
