//go:build unix

package lsp

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/freeport"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// The overlay preview tests run the server in the test process over real
// pipes, with real helper processes (testdata/previewhelper) answering on
// loopback.

// previewTree is a scenario whose overlay helper is the test helper.
type previewTree struct {
	t                       testing.TB
	dir, root, use, program string
	report                  string // the helper's event file
	port                    int
}

const (
	previewScenario = `{
  manifest_version: "0.4.0",
  config_schema: {
    type: "object",
    properties: { audit_label: { type: "string", default: "example" } },
  },
  components: { api: "./api.json5", web: "./web.json5" },
  bindings: [
    { to: "#web.api", from: "#api.http" },
  ],
  exports: { site: "#web.site" },
  use: {
    audit: { manifest: "./audit/overlay.json5", config: { label: "$${config.audit_label}" } },
  },
  overlays: ["#audit.apply"],
}
`
	previewAPI = `{
  manifest_version: "0.4.0",
  program: { path: "/usr/bin/env", args: ["true"], network: { endpoints: [{ name: "http", port: 8080 }] } },
  provides: { http: { kind: "http", endpoint: "http" } },
  exports: { http: "http" },
}
`
	previewWeb = `{
  manifest_version: "0.4.0",
  slots: { api: { kind: "http" } },
  program: { path: "/usr/bin/env", args: ["true"], env: { API_URL: "${slots.api.url}" }, network: { endpoints: [{ name: "site", port: 8081 }] } },
  provides: { site: { kind: "http", endpoint: "site" } },
  exports: { site: "site" },
}
`
	previewUse = `{
  manifest_version: "0.4.0",
  config_schema: { type: "object", properties: { label: { type: "string" } }, required: ["label"] },
  program: {
    path: "./helper",
    env: { PORT: "{{PORT}}", MODE: "{{MODE}}", REPORT: "{{REPORT}}", DELAY: "{{DELAY}}", LABEL: "${config.label}" },
    network: { endpoints: [{ name: "api", port: {{PORT}} }] },
  },
  provides: { apply: { kind: "http", profile: "overlay", endpoint: "api" } },
  exports: { apply: "apply" },
}
`
)

// previewHelper builds testdata/previewhelper into dir.
func previewHelper(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "previewhelper")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/previewhelper").CombinedOutput(); err != nil {
		t.Fatalf("building the test helper: %v\n%s", err, out)
	}
	return bin
}

// previewBin is the test helper, built by TestPreview for its subtests.
var previewBin string

// TestPreview runs the overlay preview tests with one build of the test
// helper: first those that measure time or count processes, one at a
// time, then the others side by side.
func TestPreview(t *testing.T) {
	previewBin = previewHelper(t, t.TempDir())
	for _, tc := range []struct {
		name     string
		test     func(t *testing.T)
		parallel bool
	}{
		{"off starts nothing", testPreviewOffStartsNothing, false},
		{"save storm", testPreviewSaveStorm, false},
		{"supersede", testPreviewSupersede, false},
		{"warm cost", testPreviewWarmCost, false},
		{"edits during a run", testPreviewRunsConcurrentlyWithEdits, false},
		{"save before the settings", testPreviewSaveBeforeSettings, true},
		{"on save", testPreviewOnSave, true},
		{"bad helpers", testPreviewBadHelpers, true},
		{"helper config", testPreviewHelperConfig, true},
		{"backoff", testPreviewBackoff, true},
		{"idle and settings", testPreviewIdleAndSettings, true},
		{"command", testPreviewCommand, true},
		{"the README's example", testPreviewExample, true},
		{"pulled diagnostics", testPreviewPulled, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.parallel {
				t.Parallel()
			}
			tc.test(t)
		})
	}
}

// newPreviewTree writes the scenario with its helper in mode, answering
// after delay milliseconds, on a free port.
func newPreviewTree(t testing.TB, mode string, delay int) *previewTree {
	t.Helper()
	dir := t.TempDir()
	bin := previewBin
	pt := &previewTree{t: t, dir: dir, root: filepath.Join(dir, "scenario.json5"), use: filepath.Join(dir, "audit", "overlay.json5"),
		program: filepath.Join(dir, "audit", "helper"), report: filepath.Join(dir, "report"), port: freeport.Get(t)}
	writeFiles(t, dir, map[string]string{
		"scenario.json5":      previewScenario,
		"api.json5":           previewAPI,
		"web.json5":           previewWeb,
		"audit/overlay.json5": pt.useText(mode, delay),
	})
	if err := os.Symlink(bin, pt.program); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pt.assertNoneLeft)
	return pt
}

func (pt *previewTree) useText(mode string, delay int) string {
	return strings.NewReplacer("{{PORT}}", strconv.Itoa(pt.port), "{{MODE}}", mode, "{{REPORT}}", pt.report, "{{DELAY}}", strconv.Itoa(delay)).Replace(previewUse)
}

// events returns the helper's events of one kind ("start", "post"), each
// as its fields.
func (pt *previewTree) events(kind string) []map[string]string {
	f, err := os.Open(pt.report)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []map[string]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		words := strings.Fields(sc.Text())
		if len(words) == 0 || words[0] != kind {
			continue
		}
		ev := map[string]string{}
		for _, w := range words[1:] {
			k, v, _ := strings.Cut(w, "=")
			ev[k] = v
		}
		out = append(out, ev)
	}
	return out
}

// pids returns the pids of every helper process that started.
func (pt *previewTree) pids() []int {
	var out []int
	for _, ev := range pt.events("start") {
		pid, _ := strconv.Atoi(ev["pid"])
		out = append(out, pid)
	}
	return out
}

// assertNoneLeft fails when a helper process of the tree still runs.
func (pt *previewTree) assertNoneLeft() {
	pt.t.Helper()
	for _, pid := range pt.pids() {
		if !waitProcessGone(pid, 5*time.Second) {
			pt.t.Errorf("helper process %d is still running", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// waitUntil polls cond (what the server's messages do not announce,
// such as the helper's events) until it holds.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitProcessGone waits up to d for pid to stop running (a zombie counts
// as gone).
func waitProcessGone(pid int, d time.Duration) bool {
	for end := time.Now().Add(d); ; time.Sleep(10 * time.Millisecond) {
		if !processAlive(pid) {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// childProcesses lists the running processes whose parent is this test
// process.
func childProcesses() []int {
	entries, _ := os.ReadDir("/proc")
	self := os.Getpid()
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(stat)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:]) // state ppid ...
		if len(f) > 1 && f[1] == strconv.Itoa(self) && f[0] != "Z" {
			out = append(out, pid)
		}
	}
	return out
}

// previewOn are the settings that turn previews on, with a helper timeout.
func previewOn(timeout string) map[string]any {
	return map[string]any{"overlays": map[string]any{"preview": true, "timeout": timeout}}
}

// startPreview starts a server on pt's folder with settings and opens the
// root.
func startPreview(t *testing.T, pt *previewTree, settings map[string]any) *editor {
	t.Helper()
	e := startServer(t, Options{})
	e.settings = settings
	caps := allCaps
	caps.refreshes = true
	e.initialize(caps, pt.dir)
	e.open(pt.root, previewScenario)
	e.waitVersion(pt.root)
	e.waitIndexed()
	return e
}

func (e *editor) save(path string) {
	e.t.Helper()
	e.notify(protocol.MethodTextDocumentDidSave, &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}})
}

// waitProgress waits until the text of the $/progress messages received
// (one "kind: title message" a line) satisfies cond; on failure it logs
// them.
func (e *editor) waitProgress(what string, cond func(text string) bool) {
	e.t.Helper()
	defer func() {
		if e.t.Failed() {
			e.t.Logf("progress: %q", e.progressText)
		}
	}()
	e.waitFor(what, func() bool { return cond(strings.Join(e.progressText, "\n")) })
}

// serverCalls returns how often the server made a request.
func (e *editor) serverCalls(method string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls[method]
}

// lenses returns the titles of a file's code lenses.
// lenses returns the titles of the overlay-preview lenses of a file (the
// reference counts are left out).
func (e *editor) lenses(path string) []string {
	e.t.Helper()
	var got []protocol.CodeLens
	if err := e.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}}, &got); err != nil {
		e.t.Fatalf("codeLens: %v", err)
	}
	out := []string{}
	for _, l := range got {
		if l.Command.Command == analysis.PreviewCommand {
			out = append(out, l.Command.Title)
		}
	}
	return out
}

// waitLens waits until the file's lenses are want.
func (e *editor) waitLens(path string, want ...string) {
	e.t.Helper()
	var got []string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if got = e.lenses(path); slices.Equal(got, want) {
			return
		}
	}
	e.t.Fatalf("lenses of %s = %q, want %q", filepath.Base(path), got, want)
}

// hoverAt returns the hover at the first occurrence of needle in the
// editor's text of path (plus skip bytes).
func (e *editor) hoverAt(path, needle string, skip int) string {
	e.t.Helper()
	text := e.docs[uri.File(path)].text
	off := strings.Index(text, needle) + skip
	var h protocol.Hover
	err := e.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Position: positionOf(text, off, protocol.PositionEncodingKindUTF16)}}, &h)
	if err != nil {
		e.t.Fatalf("hover: %v", err)
	}
	if mc, ok := h.Contents.(*protocol.MarkupContent); ok {
		return mc.Value
	}
	return ""
}

// preview runs the amber.overlays.preview command and returns its raw
// result.
func (e *editor) preview(path string) (jsonrpc2.RawMessage, error) {
	var raw jsonrpc2.RawMessage
	err := e.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: analysis.PreviewCommand,
		Arguments: []protocol.LSPAny{protocol.LSPAny(strconv.Quote(string(uri.File(path))))}}, &raw)
	return raw, err
}

// testPreviewOffStartsNothing: with amber.overlays.preview off (the
// default), opening, editing and saving a scenario with overlays starts no
// process at all, and the preview command refuses; the same steps with
// the setting on start the helper (so this test can tell).
func testPreviewOffStartsNothing(t *testing.T) {
	pt := newPreviewTree(t, "plan", 0)
	t.Setenv("PATH", t.TempDir()) // nothing to find there either
	before := childProcesses()
	e := startServer(t, Options{})
	e.initialize(allCaps, pt.dir)
	e.open(pt.root, previewScenario)
	e.waitVersion(pt.root)
	e.change(pt.root, protocol.PositionEncodingKindUTF16, edit{0, 0, "// edited\n"})
	e.waitVersion(pt.root)
	for range 3 {
		e.save(pt.root)
	}
	e.save(pt.use)
	if got := e.hoverAt(pt.root, `"#audit.apply"`, 2); !strings.Contains(got, "overlay `#audit.apply`") || strings.Contains(got, "Last preview") {
		t.Errorf("hover with previews off:\n%s", got)
	}
	if _, err := e.preview(pt.root); err == nil || !strings.Contains(err.Error(), "overlay previews are off") {
		t.Errorf("the preview command with previews off: %v", err)
	}
	time.Sleep(3 * saveQuiet)
	if got := e.lenses(pt.root); len(got) != 0 {
		t.Errorf("lenses with previews off: %q", got)
	}
	if after := childProcesses(); !slices.Equal(before, after) {
		t.Errorf("child processes %v, before %v: something was started", after, before)
	}
	if _, err := os.Stat(pt.report); !os.IsNotExist(err) {
		t.Errorf("the helper ran: %v", pt.events("start"))
	}
	e.shutdown()

	// The same with previews on: the helper runs.
	on := startPreview(t, pt, previewOn("30s"))
	on.save(pt.root)
	on.waitLens(pt.root, "2 interposers on 2 http edges")
	if n := len(pt.events("start")); n != 1 {
		t.Errorf("%d helper starts with previews on, want 1", n)
	}
}

// testPreviewOnSave: a save runs the helper in the background and its
// result shows as a lens, a hover section, inlay hints and progress; later
// saves reuse the running helper; shutdown stops it.
func testPreviewOnSave(t *testing.T) {
	pt := newPreviewTree(t, "plan", 0)
	e := startPreview(t, pt, previewOn("30s"))
	e.save(pt.root)
	e.waitFor("a code lens refresh", func() bool { return e.calls[protocol.MethodWorkspaceCodeLensRefresh] > 0 })
	e.waitLens(pt.root, "2 interposers on 2 http edges")
	e.waitFor("an inlay hint refresh", func() bool { return e.calls[protocol.MethodWorkspaceInlayHintRefresh] > 0 })
	hover := e.hoverAt(pt.root, `"#audit.apply"`, 3)
	for _, want := range []string{
		"**Last preview** of `scenario.json5`: 2 interposers on 2 http edges",
		"- `/__overlay_0_0` on edge 0, binding `/api.http` → `/web.api` (http): slot `upstream`, provide `downstream`",
		"- `/__overlay_0_1` on edge 1, export `site` of `/web.site` (http)",
		"config `{\"label\":\"${config.audit_label}\"}`",
		"helper `/audit` started in",
	} {
		if !strings.Contains(hover, want) {
			t.Errorf("hover lacks %q:\n%s", want, hover)
		}
	}
	hints, err := e.previewHints(pt.root)
	if err != nil || len(hints) != 2 {
		t.Fatalf("inlay hints = %+v, %v", hints, err)
	}
	for i, want := range []struct {
		line  uint32
		label string
	}{{8, "via /__overlay_0_0"}, {10, "via /__overlay_0_1"}} {
		if hints[i].Position.Line != want.line || hints[i].Label != protocol.String(want.label) {
			t.Errorf("hint %d = %+v at %v, want %q on line %d", i, hints[i].Label, hints[i].Position, want.label, want.line)
		}
	}
	e.waitProgress("the progress of the run", func(text string) bool {
		return strings.Contains(text, "begin: Running overlay helpers") &&
			strings.Contains(text, "report: #audit.apply: answered in") &&
			strings.Contains(text, "end: scenario.json5: #audit.apply 2 interposers on 2 http edges")
	})
	if starts, posts := len(pt.events("start")), len(pt.events("post")); starts != 1 || posts != 1 {
		t.Errorf("after one save: %d starts, %d requests", starts, posts)
	}

	// A later save reuses the helper.
	time.Sleep(2 * saveQuiet)
	refreshes := e.serverCalls(protocol.MethodWorkspaceCodeLensRefresh)
	e.save(pt.root)
	e.waitFor("the second run", func() bool { return e.calls[protocol.MethodWorkspaceCodeLensRefresh] > refreshes })
	if starts, posts := len(pt.events("start")), len(pt.events("post")); starts != 1 || posts != 2 {
		t.Errorf("after two saves: %d starts, %d requests; want the helper reused", starts, posts)
	}
	if hover := e.hoverAt(pt.root, `"#audit.apply"`, 3); !strings.Contains(hover, "helper `/audit` reused") {
		t.Errorf("second hover:\n%s", hover)
	}

	// The helper runs with nothing but what Amber gives it, in the
	// workspace folder.
	ev := pt.events("start")[0]
	if ev["cwd"] != pt.dir || ev["home"] != pt.dir {
		t.Errorf("helper ran in %s with HOME %s; want the workspace folder %s", ev["cwd"], ev["home"], pt.dir)
	}
	if got, want := ev["env"], "DELAY,HOME,LABEL,MODE,PATH,PORT,REPORT,TMPDIR"; got != want {
		t.Errorf("helper environment %s, want only %s", got, want)
	}

	pid := pt.pids()[0]
	if code := e.shutdown(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if processAlive(pid) {
		t.Errorf("helper %d still runs after shutdown and exit", pid)
	}
}

// testPreviewBadHelpers: every way a helper can fail is a diagnostic on
// the overlays entry (or the use entry), the same one `--check
// --apply-overlays` reports, and a lens in a few words; a hover answers
// promptly while a helper hangs; fixing the helper clears the diagnostic;
// no process is left.
func testPreviewBadHelpers(t *testing.T) {
	type bad struct {
		name, mode string
		setup      func(pt *previewTree) (undo func())
		code       string
		message    string // part of the diagnostic's message
		lens       string
		hangs      bool // a hover is sent while the run waits
	}
	cases := []bad{
		{name: "crash", mode: "crash", code: string(codes.OverlayPassStartOverlayScenario), message: "no audit sink configured", lens: "failed: helper exited before it was ready"},
		{name: "hangs before listening", mode: "hang", code: string(codes.OverlayPassStartOverlayScenario), message: "did not become ready in time", lens: "failed: helper did not become ready in time", hangs: true},
		{name: "never answers", mode: "noanswer", code: string(codes.OverlayPassInvokeOverlay), message: "timed out after 1s", lens: "failed: helper timed out", hangs: true},
		{name: "answers 500", mode: "status500", code: string(codes.OverlayPassInvokeOverlay), message: "500 Internal Server Error: audit helper exploded", lens: "failed: helper answered 500 Internal Server Error"},
		{name: "answers garbage", mode: "garbage", code: string(codes.OverlayPassInterpositionPlanDeserialize), message: "not valid JSON", lens: "failed: helper's answer is not JSON"},
		{name: "answers 50 MB", mode: "big", code: string(codes.OverlayPassInvokeOverlay), message: "exceeds max size", lens: "failed: helper's answer is too large"},
		{name: "invalid plan", mode: "invalid", code: string(codes.OverlayPassInvalidInterpositionPlan), message: "invalid interposition plan", lens: "failed: invalid plan"},
		{name: "program missing", mode: "plan", code: string(codes.OverlayPassStartOverlayScenario), message: "does not exist", lens: "failed: helper cannot be run",
			setup: func(pt *previewTree) func() {
				target, _ := os.Readlink(pt.program)
				os.Remove(pt.program)
				return func() { os.Symlink(target, pt.program) }
			}},
		{name: "program not executable", mode: "plan", code: string(codes.OverlayPassStartOverlayScenario), message: "is not executable", lens: "failed: helper cannot be run",
			setup: func(pt *previewTree) func() {
				target, _ := os.Readlink(pt.program)
				os.Remove(pt.program)
				os.WriteFile(pt.program, []byte("#!/bin/sh\n"), 0o644)
				return func() { os.Remove(pt.program); os.Symlink(target, pt.program) }
			}},
		{name: "port in use", mode: "plan", code: string(codes.OverlayPassStartOverlayScenario), message: "is already in use", lens: "failed: port " + "PORT" + " is already in use",
			setup: func(pt *previewTree) func() {
				l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(pt.port))
				if err != nil {
					pt.t.Fatal(err)
				}
				go func() {
					for {
						c, err := l.Accept()
						if err != nil {
							return
						}
						c.Close()
					}
				}()
				return func() { l.Close() }
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pt := newPreviewTree(t, tc.mode, 0)
			undo := func() {}
			if tc.setup != nil {
				undo = tc.setup(pt)
			}
			lens := strings.ReplaceAll(tc.lens, "PORT", strconv.Itoa(pt.port))

			cli := checkApplyOverlays(t, pt.root, tc.code, tc.message)

			e := startPreview(t, pt, previewOn("1s"))
			e.save(pt.root)
			if tc.hangs {
				waitUntil(t, "the helper to start", func() bool { return len(pt.events("start")) > 0 })
				begin := time.Now()
				if h := e.hoverAt(pt.root, `"#web.api"`, 3); h == "" {
					t.Error("no hover while the helper hangs")
				}
				if d := time.Since(begin); d > 500*time.Millisecond {
					t.Errorf("a hover took %v while a helper hangs", d)
				}
			}
			publishedAsCLI(t, pt.root, e.waitCodes(pt.root, tc.code), cli)
			e.waitLens(pt.root, lens)

			// Fixing the helper clears the diagnostic.
			undo()
			if tc.mode != "plan" {
				if err := os.WriteFile(pt.use, []byte(pt.useText("plan", 0)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(2 * saveQuiet)
			e.save(pt.use)
			e.waitCodes(pt.root)
			e.waitLens(pt.root, "2 interposers on 2 http edges")
			e.shutdown()
		})
	}
}

// checkApplyOverlays returns the diagnostics `--check --apply-overlays`
// reports in root (helpers get a second to start and to answer), failing
// unless they are one of code whose message holds message.
func checkApplyOverlays(t *testing.T, root, code, message string) []diag.Diagnostic {
	t.Helper()
	rt := hrt.New(hrt.Options{StartTimeout: time.Second, RequestTimeout: time.Second})
	res, err := analysis.Check([]string{root}, analysis.CheckOptions{ApplyOverlays: true, Overlays: analysis.OverlayOptions{Runtime: rt}})
	rt.Close()
	if err != nil {
		t.Fatal(err)
	}
	cli := res.ByFile[root]
	if len(cli) != 1 || string(cli[0].Code) != code || !strings.Contains(cli[0].Message, message) {
		t.Fatalf("--check --apply-overlays reports %v", cli)
	}
	return cli
}

// publishedAsCLI fails unless the diagnostics published for root are cli,
// what `--check --apply-overlays` reports, converted as the server converts.
func publishedAsCLI(t *testing.T, root string, published []protocol.Diagnostic, cli []diag.Diagnostic) {
	t.Helper()
	conv := &Converter{Unit: 0, Text: func(p string) []byte { b, _ := os.ReadFile(p); return b }, URI: uri.File}
	if want := conv.Diagnostics(root, cli); !reflect.DeepEqual(published, want) {
		t.Errorf("published\n%+v\nwant what --check --apply-overlays reports\n%+v", published, want)
	}
}

// testPreviewHelperConfig: a helper whose config cannot be completed (a
// root config value it needs has no default and no AMBER_CONFIG_ variable)
// is a diagnostic on the `use` entry, the same one `--check
// --apply-overlays` reports, with a lens in a few words; nothing starts;
// giving the value a default clears it.
func testPreviewHelperConfig(t *testing.T) {
	pt := newPreviewTree(t, "plan", 0)
	incomplete := strings.NewReplacer(
		`audit_label: { type: "string", default: "example" } },`, `audit_label: { type: "string" } }, required: ["audit_label"],`,
		`config: { label: "$${config.audit_label}" }`, `config: { label: "${config.audit_label}" }`,
	).Replace(previewScenario)
	if incomplete == previewScenario {
		t.Fatal("the scenario did not change")
	}
	if err := os.WriteFile(pt.root, []byte(incomplete), 0o644); err != nil {
		t.Fatal(err)
	}
	cli := checkApplyOverlays(t, pt.root, string(codes.OverlayPassStartOverlayScenario), "AMBER_CONFIG_AUDIT_LABEL")
	useEntry := strings.Index(incomplete, "audit: {") + len("audit: ")
	if p := cli[0].Labels[0]; !p.Primary || p.Span.Start != useEntry || !strings.Contains(p.Message, "`use` entry `#audit`") {
		t.Fatalf("--check --apply-overlays reports it at %+v, want the use entry at %d", p, useEntry)
	}

	e := startPreview(t, pt, previewOn("1s"))
	e.change(pt.root, protocol.PositionEncodingKindUTF16, edit{0, len(previewScenario), incomplete})
	e.save(pt.root)
	publishedAsCLI(t, pt.root, e.waitCodes(pt.root, string(codes.OverlayPassStartOverlayScenario)), cli)
	e.waitLens(pt.root, "failed: helper config is incomplete")
	if n := len(pt.events("start")); n != 0 {
		t.Errorf("the helper started %d times without its config", n)
	}

	if err := os.WriteFile(pt.root, []byte(previewScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	e.change(pt.root, protocol.PositionEncodingKindUTF16, edit{0, len(incomplete), previewScenario})
	e.save(pt.root)
	e.waitCodes(pt.root)
	e.waitLens(pt.root, "2 interposers on 2 http edges")
	e.shutdown()
}

// testPreviewSaveStorm: 50 saves in a second run the helper at most a
// couple of times, and what the last save says wins.
func testPreviewSaveStorm(t *testing.T) {
	pt := newPreviewTree(t, "plan", 30)
	e := startPreview(t, pt, previewOn("30s"))
	e.save(pt.root) // a cold start first: the storm meets a warm helper
	e.waitLens(pt.root, "2 interposers on 2 http edges")
	time.Sleep(2 * saveQuiet)
	posts := len(pt.events("post"))

	threeEdges := strings.Replace(previewScenario, `exports: { site: "#web.site" },`, `exports: { site: "#web.site", api: "#api.http" },`, 1)
	begin := time.Now()
	for i := range 50 {
		if i == 49 {
			e.change(pt.root, protocol.PositionEncodingKindUTF16, edit{0, len(e.docs[uri.File(pt.root)].text), threeEdges})
		}
		e.save(pt.root)
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("50 saves in %v", time.Since(begin))
	e.waitLens(pt.root, "3 interposers on 3 http edges")
	time.Sleep(3 * saveQuiet)
	if n := len(pt.events("post")) - posts; n < 1 || n > 3 {
		t.Errorf("the storm ran the helper %d times, want 1 to 3", n)
	}
	if n := len(pt.events("start")); n != 1 {
		t.Errorf("%d helper starts, want 1", n)
	}
	e.waitLens(pt.root, "3 interposers on 3 http edges")
}

// testPreviewSupersede: a save during a run cancels it; the newer save's
// result is the one kept.
func testPreviewSupersede(t *testing.T) {
	pt := newPreviewTree(t, "plan", 1500)
	e := startPreview(t, pt, previewOn("30s"))
	e.save(pt.root)
	waitUntil(t, "the first request", func() bool { return len(pt.events("post")) == 1 })
	threeEdges := strings.Replace(previewScenario, `exports: { site: "#web.site" },`, `exports: { site: "#web.site", api: "#api.http" },`, 1)
	e.change(pt.root, protocol.PositionEncodingKindUTF16, edit{0, len(e.docs[uri.File(pt.root)].text), threeEdges})
	e.save(pt.root)
	e.waitLens(pt.root, "3 interposers on 3 http edges")
	e.waitProgress("the superseded run's progress", func(text string) bool {
		return strings.Contains(text, "end: superseded by a newer save")
	})
	if n := len(pt.events("post")); n != 2 {
		t.Errorf("%d requests, want 2 (the first cancelled)", n)
	}
	if n := len(pt.events("start")); n != 1 {
		t.Errorf("%d starts, want 1: cancelling a request keeps the helper", n)
	}
}

// testPreviewBackoff: a helper that cannot start is not started again on
// every save; its diagnostic stays.
func testPreviewBackoff(t *testing.T) {
	pt := newPreviewTree(t, "crash", 0)
	e := startPreview(t, pt, previewOn("5s"))
	e.save(pt.root)
	e.waitCodes(pt.root, string(codes.OverlayPassStartOverlayScenario))
	for range 4 {
		time.Sleep(2 * saveQuiet)
		refreshes := e.serverCalls(protocol.MethodWorkspaceCodeLensRefresh)
		e.save(pt.root)
		e.waitFor("the run", func() bool { return e.calls[protocol.MethodWorkspaceCodeLensRefresh] > refreshes })
	}
	if n := len(pt.events("start")); n != 1 {
		t.Errorf("%d starts of a crashing helper within its backoff, want 1", n)
	}
	e.waitCodes(pt.root, string(codes.OverlayPassStartOverlayScenario))
	e.waitLens(pt.root, "failed: helper exited before it was ready")
}

// testPreviewIdleAndSettings: the idle timeout stops an unused helper;
// turning previews off stops helpers and removes what previews showed.
func testPreviewIdleAndSettings(t *testing.T) {
	pt := newPreviewTree(t, "status500", 0)
	settings := previewOn("30s")
	settings["overlays"].(map[string]any)["idleTimeout"] = "300ms"
	e := startPreview(t, pt, settings)
	e.save(pt.root)
	e.waitCodes(pt.root, string(codes.OverlayPassInvokeOverlay))
	if pid := pt.pids()[0]; !waitProcessGone(pid, 5*time.Second) {
		t.Errorf("helper %d still runs after the idle timeout", pid)
	}

	e.mu.Lock()
	e.settings = previewOn("30s") // idle: the default 5 minutes
	e.mu.Unlock()
	e.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny("null")})
	time.Sleep(2 * saveQuiet)
	e.save(pt.root)
	waitUntil(t, "a second start", func() bool { return len(pt.events("start")) == 2 })
	time.Sleep(500 * time.Millisecond)
	pid := pt.pids()[1]
	if !processAlive(pid) {
		t.Fatal("the helper stopped before the idle timeout")
	}

	e.mu.Lock()
	e.settings = map[string]any{}
	e.mu.Unlock()
	e.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny("null")})
	if !waitProcessGone(pid, 5*time.Second) {
		t.Errorf("helper %d still runs after previews were turned off", pid)
	}
	e.waitCodes(pt.root)
	e.waitLens(pt.root)
	if _, err := e.preview(pt.root); err == nil {
		t.Error("the preview command runs with previews off")
	}
}

// testPreviewCommand: the command runs the preview of the document's
// scenario (from a child manifest too) and answers the preview JSON; the
// result is kept like a save's.
func testPreviewCommand(t *testing.T) {
	pt := newPreviewTree(t, "plan", 0)
	e := startPreview(t, pt, previewOn("30s"))
	raw, err := e.preview(filepath.Join(pt.dir, "web.json5"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"version":1`, `"ref":"#audit.apply"`, `"interposers":[{"moniker":"/__overlay_0_0","attached_to":[0]},{"moniker":"/__overlay_0_1","attached_to":[1]}]`, `"diagnostics":[]`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("preview JSON lacks %s:\n%.600s", want, raw)
		}
	}
	e.waitLens(pt.root, "2 interposers on 2 http edges")
	if _, err := e.preview(filepath.Join(t.TempDir(), "elsewhere.json5")); err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Errorf("a file that does not exist: %v", err)
	}
	var res any
	if err := e.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: "amber.nothing"}, &res); err == nil {
		t.Error("an unknown command succeeded")
	}
	if err := e.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: analysis.PreviewCommand}, &res); err == nil || !strings.Contains(err.Error(), "needs a document URI") {
		t.Errorf("no argument: %v", err)
	}
}

// testPreviewWarmCost: a warm preview costs the helper's answer time plus
// at most 10 ms, on save (until the lens refresh) and through the command;
// the cold first save and the ratio are logged (README figures). The
// helper's answer time is measured in the same run, interleaved (a POST
// straight to the warm helper), so a loaded machine slows both sides.
func testPreviewWarmCost(t *testing.T) {
	const answer = 20 // ms the helper sleeps before answering
	pt := newPreviewTree(t, "plan", answer)
	e := startPreview(t, pt, previewOn("30s"))
	saveAndWait := func() time.Duration {
		time.Sleep(2 * saveQuiet)
		refreshes := e.serverCalls(protocol.MethodWorkspaceCodeLensRefresh)
		begin := time.Now()
		e.save(pt.root)
		e.waitFor("the run", func() bool { return e.calls[protocol.MethodWorkspaceCodeLensRefresh] > refreshes })
		return time.Since(begin)
	}
	direct := func() time.Duration {
		begin := time.Now()
		resp, err := http.Post("http://127.0.0.1:"+strconv.Itoa(pt.port)+"/", "application/json", strings.NewReader(`{"scope":{}}`))
		if err != nil {
			t.Fatalf("asking the helper directly: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(begin)
	}
	median := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	cold := saveAndWait()
	var own, warm, cmd []time.Duration
	for range 7 {
		own = append(own, direct())
		warm = append(warm, saveAndWait())
		begin := time.Now()
		if _, err := e.preview(pt.root); err != nil {
			t.Fatal(err)
		}
		cmd = append(cmd, time.Since(begin))
	}
	helper, save, command := median(own), median(warm), median(cmd)
	t.Logf("helper answer (measured) %v: cold save %v, warm save median %v (ratio %.1f), warm command median %v",
		helper.Round(100*time.Microsecond), cold.Round(100*time.Microsecond), save.Round(100*time.Microsecond), float64(cold)/float64(save), command.Round(100*time.Microsecond))
	if helper < answer*time.Millisecond {
		t.Fatalf("the helper answered in %v, before its %d ms delay: it did not do the work", helper, answer)
	}
	limit := helper + 10*time.Millisecond
	if save > limit {
		t.Errorf("a warm preview on save took %v (median), more than the helper's own %v plus 10 ms", save, helper)
	}
	if command > limit {
		t.Errorf("a warm preview command took %v (median), more than the helper's own %v plus 10 ms", command, helper)
	}
}

// TestOverlaySettings: the overlay settings and their mistakes.
func TestOverlaySettings(t *testing.T) {
	d := func(v time.Duration) *time.Duration { return &v }
	for _, tc := range []struct {
		raw           string
		idle, timeout time.Duration
		err           string
	}{
		{`{}`, 5 * time.Minute, 30 * time.Second, ""},
		{`{"overlays": {"idleTimeout": 90, "timeout": "45s"}}`, 90 * time.Second, 45 * time.Second, ""},
		{`{"overlays": {"idleTimeout": "1h30m", "timeout": 0.5}}`, 90 * time.Minute, 500 * time.Millisecond, ""},
		{`{"amber.overlays.idleTimeout": 0}`, 0, 30 * time.Second, ""},
		{`{"overlays": {"idleTimeout": -1}}`, 5 * time.Minute, 30 * time.Second, "amber.overlays.idleTimeout must not be negative"},
		{`{"overlays": {"timeout": 0}}`, 5 * time.Minute, 30 * time.Second, "amber.overlays.timeout must be positive"},
		{`{"overlays": {"timeout": "soon"}}`, 5 * time.Minute, 30 * time.Second, `amber.overlays.timeout is not a duration: "soon"`},
		{`{"overlays": {"timeout": true}}`, 5 * time.Minute, 30 * time.Second, "amber.overlays.timeout must be a number or a string, not a boolean"},
		{`{"overlays": {"timeout": 1e300}}`, 5 * time.Minute, 30 * time.Second, "amber.overlays.timeout is out of range"},
	} {
		st, err := parseSettings([]byte(tc.raw), settings{})
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: error %v, want %q", tc.raw, err, tc.err)
		}
		if st.overlayIdle() != tc.idle || st.overlayTimeout() != tc.timeout {
			t.Errorf("%s: idle %v timeout %v, want %v %v", tc.raw, st.overlayIdle(), st.overlayTimeout(), tc.idle, tc.timeout)
		}
	}
	if st, _ := parseSettings([]byte(`{"overlays": {"idleTimeout": 0}}`), settings{}); !reflect.DeepEqual(st.OverlaysIdleTimeout, d(0)) {
		t.Errorf("idle 0 = %v", st.OverlaysIdleTimeout)
	}
}

// testPreviewRunsConcurrentlyWithEdits: typing during a run is not
// blocked: didChange and diagnostics go on while a helper answers slowly.
func testPreviewRunsConcurrentlyWithEdits(t *testing.T) {
	pt := newPreviewTree(t, "plan", 1000)
	e := startPreview(t, pt, previewOn("30s"))
	e.save(pt.root)
	waitUntil(t, "the request", func() bool { return len(pt.events("post")) == 1 })
	begin := time.Now()
	for i := range 5 {
		e.change(pt.root, protocol.PositionEncodingKindUTF16, edit{0, 0, "// " + strconv.Itoa(i) + "\n"})
		e.waitVersion(pt.root)
	}
	if d := time.Since(begin); d > 700*time.Millisecond {
		t.Errorf("five edits took %v while a helper answered", d)
	}
}

// testPreviewSaveBeforeSettings: a save that comes before the client has
// answered workspace/configuration (analysis and the first diagnostics do
// not wait for it) runs nothing until the answer turns previews on, then
// runs the preview.
func testPreviewSaveBeforeSettings(t *testing.T) {
	pt := newPreviewTree(t, "plan", 0)
	e := startServer(t, Options{})
	e.settings = previewOn("30s")
	e.configGate = make(chan struct{})
	caps := allCaps
	caps.refreshes = true
	e.initialize(caps, pt.dir)
	e.open(pt.root, previewScenario)
	e.waitVersion(pt.root) // published before the settings are known
	e.save(pt.root)
	time.Sleep(3 * saveQuiet)
	if got := pt.events("start"); len(got) != 0 {
		t.Errorf("the helper started before the settings were known: %v", got)
	}
	close(e.configGate)
	e.waitLens(pt.root, "2 interposers on 2 http edges")
	if n := len(pt.events("start")); n != 1 {
		t.Errorf("%d helper starts, want 1", n)
	}
}

// testPreviewExample follows the README's walk through the example
// (whose helper is a Python program): save, read the lens, the hover and
// the hints; break the helper and see the diagnostic; mend it.
func testPreviewExample(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not found: the example's overlay helper is a Python program")
	}
	root := copyExampleTree(t)
	dir := filepath.Dir(root)
	text, _ := os.ReadFile(root)
	e := startServer(t, Options{})
	e.settings = map[string]any{"overlays": map[string]any{"preview": true}}
	caps := allCaps
	caps.refreshes = true
	e.initialize(caps, dir)
	e.open(root, string(text))
	e.waitVersion(root)
	e.save(root)
	e.waitLens(root, "2 interposers on 2 http edges")
	hover := e.hoverAt(root, `"#audit.apply"`, 3)
	for _, want := range []string{"`/__overlay_0_0` on edge 0, binding `/api.http` → `/web.api` (http): slot `upstream`, provide `downstream`", "config `{\"label\":\"${config.audit_label}\"}`"} {
		if !strings.Contains(hover, want) {
			t.Errorf("hover lacks %q:\n%s", want, hover)
		}
	}
	if hints, err := e.previewHints(root); err != nil || len(hints) != 2 {
		t.Errorf("inlay hints = %+v, %v", hints, err)
	}

	// Break the helper, as the README says, and save it. The editor syncs
	// no Python document with the server: the save reaches it as a change
	// of a watched file (the server watches every file for that).
	e.waitFor("a watcher of changes of every file", func() bool { return e.watchesLocked("**/*", protocol.WatchKindChange) })
	program := filepath.Join(dir, "audit", "overlay.py")
	good, _ := os.ReadFile(program)
	broken := strings.Replace(string(good), "import json\n", "raise SystemExit(\"audit helper: broken on purpose\")\nimport json\n", 1)
	if err := os.WriteFile(program, []byte(broken), 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * saveQuiet)
	e.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(program), Type: protocol.FileChangeTypeChanged}},
	})
	ds := e.waitCodes(root, string(codes.OverlayPassStartOverlayScenario))
	if msg := fmt.Sprint(ds[0].Message); !strings.Contains(msg, "process output:\n  audit helper: broken on purpose") {
		t.Errorf("diagnostic: %s", msg)
	}
	e.waitLens(root, "failed: helper exited before it was ready")

	// Mended in an editor that syncs the program: its didSave does it too.
	if err := os.WriteFile(program, good, 0o755); err != nil {
		t.Fatal(err)
	}
	e.open(program, string(good))
	time.Sleep(2 * saveQuiet)
	e.save(program)
	e.waitCodes(root)
	e.waitLens(root, "2 interposers on 2 http edges")
	e.shutdown()
}

// testPreviewPulled: a client that pulls diagnostics gets the preview's
// in its pull, after a workspace/diagnostic/refresh.
func testPreviewPulled(t *testing.T) {
	pt := newPreviewTree(t, "status500", 0)
	e := startServer(t, Options{})
	e.settings = previewOn("30s")
	caps := allCaps
	caps.pull = true
	e.initialize(caps, pt.dir)
	e.open(pt.root, previewScenario)
	e.waitProgress("the settings and the index", func(text string) bool { return strings.Contains(text, "end: 4 manifests, 1 roots") })
	pull := func() []string {
		var rep protocol.RelatedFullDocumentDiagnosticReport
		if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(pt.root)}}, &rep); err != nil {
			t.Fatal(err)
		}
		return codesOf(rep.Items)
	}
	if got := pull(); len(got) != 0 {
		t.Fatalf("before the save: %v", got)
	}
	refreshes := e.serverCalls(protocol.MethodWorkspaceDiagnosticRefresh)
	e.save(pt.root)
	e.waitFor("a diagnostic refresh", func() bool { return e.calls[protocol.MethodWorkspaceDiagnosticRefresh] > refreshes })
	if got := pull(); !slices.Equal(got, []string{string(codes.OverlayPassInvokeOverlay)}) {
		t.Errorf("pulled %v", got)
	}
	e.shutdown()
}

// previewHints returns the overlay-preview inlay hints of a file (`via
// /__overlay_…`), leaving out the other kinds.
func (e *editor) previewHints(path string) ([]protocol.InlayHint, error) {
	var all []protocol.InlayHint
	err := e.call(protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)},
		Range: protocol.Range{End: protocol.Position{Line: 100000}}}, &all)
	var out []protocol.InlayHint
	for _, h := range all {
		if s, ok := h.Label.(protocol.String); ok && strings.HasPrefix(string(s), "via ") {
			out = append(out, h)
		}
	}
	return out, err
}

// watchesLocked reports whether the server registered a file watcher of
// pattern that reports the kind of change. e.mu must be held.
func (e *editor) watchesLocked(pattern string, kind protocol.WatchKind) bool {
	for _, r := range e.registrations {
		if r.Method != protocol.MethodWorkspaceDidChangeWatchedFiles {
			continue
		}
		raw, err := protocol.Marshal(r.RegisterOptions)
		var opts protocol.DidChangeWatchedFilesRegistrationOptions
		if err != nil || protocol.Unmarshal(raw, &opts) != nil {
			continue
		}
		for _, w := range opts.Watchers {
			k := w.Kind
			if k == 0 {
				k = protocol.WatchKindCreate | protocol.WatchKindChange | protocol.WatchKindDelete
			}
			if p, ok := w.GlobPattern.(protocol.Pattern); ok && string(p) == pattern && k&kind != 0 {
				return true
			}
		}
	}
	return false
}
