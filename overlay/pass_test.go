package overlay

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/diag/render"
	"github.com/amberlsp/amber-lsp/internal/freeport"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// helperBin is testdata/helper, built once by TestMain.
var helperBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "amber-overlay-test")
	if err != nil {
		panic(err)
	}
	helperBin = filepath.Join(dir, "helper")
	if out, err := exec.Command("go", "build", "-o", helperBin, "./testdata/helper").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic("building the test helper: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// workspace copies testdata/redaction into a temporary directory with the
// helper binary and the given mode, and returns the root manifest and the
// helper's pid file.
func workspace(t testing.TB, mode string) (string, string) {
	t.Helper()
	root, pids := fixture(t, "redaction", mode)
	return root, pids[0]
}

// fixture copies testdata/<name> into a temporary directory, fills in free
// ports ({{PORT}}, {{PORT2}}), the mode and pid files ({{PIDFILE}},
// {{PIDFILE2}}), links bin/helper, and returns the root manifest and the
// pid files.
func fixture(t testing.TB, name, mode string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	pids := []string{filepath.Join(dir, "helper.pid"), filepath.Join(dir, "helper2.pid")}
	repl := strings.NewReplacer("{{PORT}}", strconv.Itoa(freeport.Get(t)), "{{PORT2}}", strconv.Itoa(freeport.Get(t)),
		"{{MODE}}", mode, "{{PIDFILE}}", pids[0], "{{PIDFILE2}}", pids[1])
	files, _ := filepath.Glob(filepath.Join("testdata", name, "*.json5"))
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(repl.Replace(string(text))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(helperBin, filepath.Join(dir, "bin", "helper")); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "scenario.json5"), pids
}

// apply links root and runs its overlays with a fresh runtime, which is
// closed before returning; the helper processes must be gone then.
func apply(t *testing.T, root string, pidfiles ...string) *Outcome {
	t.Helper()
	res := linker.Link(context.Background(), root, linker.Options{})
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error {
			t.Fatalf("link: %s", d.String())
		}
	}
	rt := hrt.New(hrt.Options{StartTimeout: 5 * time.Second, RequestTimeout: 5 * time.Second})
	out := Apply(context.Background(), res, Options{Runtime: rt})
	rt.Close()
	for _, p := range pidfiles {
		assertGone(t, p)
	}
	return out
}

// assertGone fails when the helper whose pid is in pidfile still runs.
func assertGone(t *testing.T, pidfile string) {
	t.Helper()
	data, err := os.ReadFile(pidfile)
	if err != nil {
		return // never started
	}
	pid, _ := strconv.Atoi(string(data))
	for i := 0; i < 50; i++ {
		if syscall.Kill(pid, 0) != nil || zombie(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("helper process %d is still running", pid)
}

func zombie(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	fields := strings.Fields(string(stat))
	return len(fields) > 2 && fields[2] == "Z"
}

// TestApplyRedaction runs a redaction-style helper over our copy of the
// example: one interposer on the only a2a edge, chained into the binding
// exactly as overlays.md §11.6 describes.
func TestApplyRedaction(t *testing.T) {
	root, pidfile := workspace(t, "redact")
	out := apply(t, root, pidfile)
	if len(out.Diagnostics) > 0 || out.Scenario == nil {
		t.Fatalf("diagnostics: %v", out.Diagnostics)
	}
	s := out.Scenario
	c := s.Component(3)
	if c == nil || c.Moniker != "/__overlay_0_0" || c.Parent != 0 || c.Digest != s.Components[0].Digest {
		t.Fatalf("interposer: %+v", c)
	}
	if got := s.Components[0].Children; len(got) != 3 || got[0] != 3 || got[1] != 1 || got[2] != 2 {
		t.Errorf("root children = %v, want [3 1 2]", got)
	}
	want := `[{"from":{"Component":{"component":2,"name":"a2a"}},"to":{"component":3,"name":"upstream"},"weak":false},` +
		`{"from":{"Component":{"component":3,"name":"downstream"}},"to":{"component":1,"name":"agent"},"weak":false}]`
	if got := string(scenario.MustEncode(bindingList(s.Bindings))); got != want {
		t.Errorf("bindings:\n got %s\nwant %s", got, want)
	}
	if len(out.Runs) != 1 {
		t.Fatalf("runs: %d", len(out.Runs))
	}
	r := out.Runs[0]
	if len(r.Interposers) != 1 || r.Interposers[0].Moniker != "/__overlay_0_0" || len(r.Interposers[0].AttachedTo) != 1 || r.Interposers[0].AttachedTo[0] != 0 {
		t.Errorf("interposers: %+v", r.Interposers)
	}
	if r.Start == 0 || r.Reused {
		t.Errorf("a cold run should start the helper: %+v", r)
	}
}

func bindingList(bs []scenario.Binding) []any {
	out := make([]any, len(bs))
	for i, b := range bs {
		out[i] = b
	}
	return out
}

// TestApplyNoop: an empty plan leaves the scenario as it was.
func TestApplyNoop(t *testing.T) {
	root, pidfile := workspace(t, "noop")
	res := linker.Link(context.Background(), root, linker.Options{})
	out := apply(t, root, pidfile)
	if len(out.Diagnostics) > 0 || out.Scenario == nil {
		t.Fatalf("diagnostics: %v", out.Diagnostics)
	}
	if got, want := string(scenario.MustEncode(out.Scenario)), string(scenario.MustEncode(res.Optimized())); got != want {
		t.Errorf("no-op plan changed the scenario:\n got %s\nwant %s", got, want)
	}
}

// TestApplyFailures: every way a helper can fail is one diagnostic at the
// overlay entry, with the helper's own words, and no process is left.
func TestApplyFailures(t *testing.T) {
	tests := []struct {
		mode     string
		code     diag.Code
		contains string
	}{
		{"crash", codes.OverlayPassStartOverlayScenario, "missing credentials"},
		{"fail", codes.OverlayPassInvokeOverlay, "500 Internal Server Error: helper exploded"},
		{"garbage", "compiler::overlay_pass_interposition_plan_deserialize", "returned response body that was not valid JSON"},
		{"invalid", "compiler::overlay_pass_invalid_interposition_plan", "attachment target 99 does not exist in the overlay input"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			root, pidfile := workspace(t, tt.mode)
			out := apply(t, root, pidfile)
			if out.Scenario != nil || len(out.Diagnostics) != 1 {
				t.Fatalf("want one diagnostic and no scenario, got %v", out.Diagnostics)
			}
			d := out.Diagnostics[0]
			if d.Code != tt.code || !strings.Contains(d.Message, tt.contains) {
				t.Errorf("got %s: %s", d.Code, d.Message)
			}
			l, _ := d.Primary()
			src, _ := os.ReadFile(root)
			if l.File != root || string(src[l.Span.Start:l.Span.End]) != `"#redaction.apply"` {
				t.Errorf("diagnostic at %s %v, want the overlay entry", l.File, l.Span)
			}
		})
	}
}

// TestApplyReuse: a second pass with the same runtime reuses the running
// helper: no start time.
func TestApplyReuse(t *testing.T) {
	root, pidfile := workspace(t, "redact")
	res := linker.Link(context.Background(), root, linker.Options{})
	rt := hrt.New(hrt.Options{StartTimeout: 5 * time.Second})
	defer func() { rt.Close(); assertGone(t, pidfile) }()
	first := Apply(context.Background(), res, Options{Runtime: rt})
	second := Apply(context.Background(), res, Options{Runtime: rt})
	if len(first.Diagnostics)+len(second.Diagnostics) > 0 {
		t.Fatalf("diagnostics: %v %v", first.Diagnostics, second.Diagnostics)
	}
	if first.Runs[0].Reused || !second.Runs[0].Reused || second.Runs[0].Start != 0 {
		t.Errorf("first %+v, second %+v", first.Runs[0], second.Runs[0])
	}
}

// TestPreviewOutputs renders a redaction run as JSON (cli-json.md) and as
// text.
func TestPreviewOutputs(t *testing.T) {
	root, pidfile := workspace(t, "redact")
	out := apply(t, root, pidfile)
	files := render.NewFiles()
	var buf bytes.Buffer
	if err := out.WriteJSON(&buf, out.Diagnostics, files); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int
		Overlays []struct {
			Ref        string
			Scope      string
			DeclaredIn struct {
				File  string
				Range render.Range
			} `json:"declared_in"`
			Request     json.RawMessage
			Edges       []map[string]any
			Plan        map[string]any
			Interposers []struct {
				Moniker    string
				AttachedTo []int `json:"attached_to"`
			}
			TimingMS map[string]float64 `json:"timing_ms"`
		}
		Scenario    map[string]any
		Diagnostics []any
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	if doc.Version != 1 || len(doc.Overlays) != 1 || doc.Scenario == nil || len(doc.Diagnostics) != 0 {
		t.Fatalf("document: %s", buf.Bytes())
	}
	o := doc.Overlays[0]
	if o.Ref != "#redaction.apply" || o.Scope != "/" || o.DeclaredIn.File != root || o.DeclaredIn.Range.Start.Line != 20 {
		t.Errorf("overlay: %+v", o)
	}
	if string(o.Request) != string(out.Runs[0].Request.Body) {
		t.Errorf("request is not the body POSTed:\n%s\n%s", o.Request, out.Runs[0].Request.Body)
	}
	if len(o.Edges) != 2 || o.Edges[0]["kind"] != "binding" || o.Edges[0]["from"] != "/responder.a2a" || o.Edges[1]["to"] != nil {
		t.Errorf("edges: %v", o.Edges)
	}
	if len(o.Interposers) != 1 || o.Interposers[0].Moniker != "/__overlay_0_0" || o.TimingMS["start"] <= 0 || o.Plan["interpositions"] == nil {
		t.Errorf("interposers %+v timing %v plan %v", o.Interposers, o.TimingMS, o.Plan)
	}
	buf.Reset()
	out.WriteText(&buf, files)
	for _, want := range []string{
		"overlay #redaction.apply in scope / (scenario.json5:20:14)",
		"0  binding /responder.a2a -> /caller.agent  [a2a]",
		"1  export  /caller.status -> (outside)  [http]",
		"/__overlay_0_0 attached to 0",
		"/responder.a2a -> /__overlay_0_0.upstream",
		"/__overlay_0_0.downstream -> /caller.agent",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text preview lacks %q:\n%s", want, buf.String())
		}
	}
}

// edges renders a scenario's bindings as `from -> to` with monikers.
func edges(s *scenario.Scenario) string {
	var out []string
	for _, b := range s.Bindings {
		out = append(out, s.Component(b.From.Component).Moniker+"."+b.From.Name+" -> "+s.Component(b.To.Component).Moniker+"."+b.To.Name)
	}
	return strings.Join(out, ", ")
}

// TestApplyChain: two overlays of one scope on the same edge chain in
// declaration order.
func TestApplyChain(t *testing.T) {
	root, pids := fixture(t, "chain", "redact")
	out := apply(t, root, pids...)
	if len(out.Diagnostics) > 0 || out.Scenario == nil {
		t.Fatalf("diagnostics: %v", out.Diagnostics)
	}
	want := "/responder.a2a -> /__overlay_0_0.upstream, /__overlay_0_0.downstream -> /__overlay_1_0.upstream, /__overlay_1_0.downstream -> /caller.agent"
	if got := edges(out.Scenario); got != want {
		t.Errorf("edges:\n got %s\nwant %s", got, want)
	}
}

// TestApplyNested: overlays of the root and of a child scope on one edge:
// the root's interposer (Common) comes before the child's (Target).
func TestApplyNested(t *testing.T) {
	root, pids := fixture(t, "nested", "redact")
	out := apply(t, root, pids...)
	if len(out.Diagnostics) > 0 || out.Scenario == nil {
		t.Fatalf("diagnostics: %v", out.Diagnostics)
	}
	if len(out.Runs) != 2 || out.Runs[1].Request.Scope != "/caller" || out.Runs[1].Request.Edges[0].Kind != EdgeImport {
		t.Fatalf("runs: %+v", out.Runs)
	}
	want := "/responder.a2a -> /__overlay_0_0.upstream, /__overlay_0_0.downstream -> /caller/__overlay_1_0.upstream, /caller/__overlay_1_0.downstream -> /caller/app.agent"
	if got := edges(out.Scenario); got != want {
		t.Errorf("edges:\n got %s\nwant %s", got, want)
	}
}

// TestApplyNeverListens: a helper that never opens its port fails the
// start with a clear message after the start timeout, and is stopped.
func TestApplyNeverListens(t *testing.T) {
	root, pidfile := workspace(t, "silent")
	res := linker.Link(context.Background(), root, linker.Options{})
	rt := hrt.New(hrt.Options{StartTimeout: 500 * time.Millisecond})
	out := Apply(context.Background(), res, Options{Runtime: rt})
	rt.Close()
	assertGone(t, pidfile)
	if len(out.Diagnostics) != 1 || out.Diagnostics[0].Code != codes.OverlayPassStartOverlayScenario || !strings.Contains(out.Diagnostics[0].Message, "did not become ready in time: /redaction") {
		t.Errorf("diagnostics: %v", out.Diagnostics)
	}
}

// TestApplyPrunedScope: a scope whose root the optimisation removed is
// skipped with a note; the other scopes run.
func TestApplyPrunedScope(t *testing.T) {
	root, pids := fixture(t, "pruned", "redact")
	out := apply(t, root, pids...)
	if out.Scenario == nil || len(out.Runs) != 1 || out.Runs[0].Request.Scope != "/" {
		t.Fatalf("runs %+v, diagnostics %v", out.Runs, out.Diagnostics)
	}
	if len(out.Diagnostics) != 1 || out.Diagnostics[0].Code != codes.OverlayScopePruned || out.Diagnostics[0].Severity != diag.Info ||
		!strings.Contains(out.Diagnostics[0].Message, "overlays of /idle were not run") {
		t.Errorf("diagnostics: %v", out.Diagnostics)
	}
}

// TestApplyImageHelperWithoutDocker: an `image` helper on a machine where
// no Docker engine answers is one clear diagnostic; nothing starts.
func TestApplyImageHelperWithoutDocker(t *testing.T) {
	if exec.Command("docker", "info").Run() == nil {
		t.Skip("a Docker engine answers here")
	}
	root, pidfile := workspace(t, "redact")
	overlay := filepath.Join(filepath.Dir(root), "overlay.json5")
	text, err := os.ReadFile(overlay)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(overlay, []byte(strings.Replace(string(text), `path: "./bin/helper",`, `image: "example/overlay-helper:1", entrypoint: ["helper"],`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := apply(t, root, pidfile)
	if len(out.Diagnostics) != 1 || out.Diagnostics[0].Code != codes.OverlayPassStartOverlayScenario || !strings.Contains(out.Diagnostics[0].Message, "a Docker engine is needed to preview image helpers") {
		t.Errorf("diagnostics: %v", out.Diagnostics)
	}
}
