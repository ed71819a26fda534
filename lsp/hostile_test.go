package lsp

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/diag/codes"
)

// The hostile-input tests of issue 13 that go through the real server over
// a pipe: settings that reach outside the workspace, open documents outside
// every root, the remote fetch policy, the instance budget and refs to
// special files (hostile_unix_test.go).

// TestRootsOutsideTheWorkspace: amber.roots naming /etc/passwd, a path
// that climbs out of the folder and a link that leads out are refused with
// a logged warning and one window/showMessage; nothing of those files is
// read or quoted, and the roots inside are analysed.
func TestRootsOutsideTheWorkspace(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	const secret = "secret_key_of_another_project"
	writeFiles(t, outside, map[string]string{"other.json5": `{ manifest_version: "0.1.0", ` + secret + `: 1 }`})
	writeFiles(t, dir, map[string]string{"a.json5": `{ manifest_version: "0.1.0", slots: { api: { kind: "http" } } }`})
	if err := os.Symlink(filepath.Join(outside, "other.json5"), filepath.Join(dir, "link.json5")); err != nil {
		t.Fatal(err)
	}
	climb, err := filepath.Rel(dir, filepath.Join(outside, "other.json5"))
	if err != nil || !strings.HasPrefix(climb, "..") {
		t.Fatalf("relative path from %s to %s: %q %v", dir, outside, climb, err)
	}
	refused := []string{"/etc/passwd", filepath.Join(outside, "other.json5"), climb, "link.json5"}
	e := startServer(t, Options{})
	e.settings = map[string]any{"roots": append([]string{"a.json5"}, refused...)}
	e.initialize(allCaps, dir)
	e.waitLint(filepath.Join(dir, "a.json5"), "manifest::unused_slot")
	want := "amber.roots: these roots are outside the workspace folders and are not analysed: /etc/passwd, " +
		filepath.Join(outside, "other.json5") + ", " + filepath.Join(outside, "other.json5") + ", " + filepath.Join(dir, "link.json5")
	e.waitFor("the refusal shown", func() bool { return slicesContain(e.shown, "amber-lsp: "+want) })

	// The same settings again: logged again, not shown again.
	e.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny("null")})
	e.waitFor("the refusal logged twice", func() bool { return count(e.logs, want) == 2 })
	e.mu.Lock()
	defer e.mu.Unlock()
	if n := count(e.shown, "amber-lsp: "+want); n != 1 {
		t.Errorf("the refusal was shown %d times, want once: %q", n, e.shown)
	}
	for u, p := range e.diags {
		if u != uri.File(filepath.Join(dir, "a.json5")) {
			t.Errorf("diagnostics published for %s: %v", u, codesOf(p.Diagnostics))
		}
		for _, d := range p.Diagnostics {
			if msg := fmt.Sprint(d.Message); strings.Contains(msg, secret) || strings.Contains(msg, "root:") {
				t.Errorf("a diagnostic quotes a file outside the workspace: %q", msg)
			}
		}
	}
}

func slicesContain(list []string, s string) bool { return count(list, s) > 0 }

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestOpenDocumentOutsideRoots: with amber.roots set, an open document
// that no root reaches gets its own diagnostics (a syntax error before,
// got an empty list), follows its edits, and loses them when closed; a
// document a root reaches gets its diagnostics from that root's link, once.
func TestOpenDocumentOutsideRoots(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.json5":     `{ manifest_version: "0.1.0", components: { c: "./child.json5" } }`,
		"child.json5": `{ manifest_version: "0.1.0" }`,
		"b.json5":     `{ manifest_version: "0.1.0" }`,
	})
	a, b, child := filepath.Join(dir, "a.json5"), filepath.Join(dir, "b.json5"), filepath.Join(dir, "child.json5")
	e := startServer(t, Options{})
	e.settings = map[string]any{"roots": []string{"a.json5"}}
	e.initialize(allCaps, dir)

	e.open(b, `{ manifest_version: "0.1.0", nope: 1`)
	if got := codesOf(e.waitVersion(b)); len(got) == 0 || got[0] != "manifest::json5_error" {
		t.Errorf("b.json5 with a syntax error: %v, want a manifest::json5_error", got)
	}
	e.change(b, protocol.PositionEncodingKindUTF16, edit{start: len(e.docs[uri.File(b)].text), end: len(e.docs[uri.File(b)].text), text: " }"})
	if got := codesOf(e.waitVersion(b)); len(got) != 1 || got[0] != "manifest::validation_error" {
		t.Errorf("b.json5 fixed: %v, want the unknown key reported", got)
	}
	e.close(b)
	e.waitCodes(b)

	e.open(child, `{ manifest_version: "0.1.0", nope: 1 }`)
	got := codesOf(e.waitVersion(child))
	if len(got) != 1 || got[0] != "manifest::validation_error" {
		t.Errorf("child.json5 (reached by a.json5): %v, want one manifest::validation_error", got)
	}
	if got := codesOf(e.diagnostics(a)); len(got) != 0 {
		t.Errorf("a.json5: %v", got)
	}
}

// TestRemoteFetchSetting links a root whose child is an http:// URL on a
// loopback server, under each value of amber.remote.fetch, and counts the
// requests the server made: none unless the setting is "all". An unfetched
// child is one informational diagnostic. Turning fetching on re-links.
func TestRemoteFetchSetting(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		fmt.Fprint(w, `{ manifest_version: "0.1.0" }`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	root := filepath.Join(dir, "root.json5")
	text := `{ manifest_version: "0.1.0", components: { x: "` + srv.URL + `/child.json5" } }`
	writeFiles(t, dir, map[string]string{"root.json5": text})
	for _, tc := range []struct {
		name    string
		setting any // nil: not set
		fetched bool
	}{
		{"default", nil, false},
		{"false", false, false},
		{"https", "https", false},
		{"all", "all", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the fetch cache: nothing fetched before
			before := requests.Load()
			e := startServer(t, Options{})
			e.settings = map[string]any{}
			if tc.setting != nil {
				e.settings = map[string]any{"remote": map[string]any{"fetch": tc.setting}}
			}
			e.initialize(allCaps, dir)
			e.open(root, text)
			e.waitVersion(root)
			e.waitIndexed() // the settings are read by then
			ds := e.diagnostics(root)
			made := requests.Load() - before
			switch {
			case tc.fetched && (made != 1 || len(ds) != 0):
				t.Errorf("%d requests, diagnostics %v; want 1 request and a clean link", made, codesOf(ds))
			case !tc.fetched && made != 0:
				t.Errorf("%d requests, want none", made)
			case !tc.fetched && (len(ds) != 1 || codesOf(ds)[0] != string(codes.RemoteNotFetched) || ds[0].Severity != protocol.DiagnosticSeverityInformation):
				t.Errorf("diagnostics %v, want one %s (information)", ds, codes.RemoteNotFetched)
			}
		})
	}

	// Turning fetching on in a running server links the root again.
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	before := requests.Load()
	e := startServer(t, Options{})
	e.settings = map[string]any{"remote": map[string]any{"fetch": false}}
	e.initialize(allCaps, dir)
	e.waitCodes(root, string(codes.RemoteNotFetched))
	e.mu.Lock()
	e.settings = map[string]any{"remote": map[string]any{"fetch": "all"}}
	e.mu.Unlock()
	e.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny("null")})
	e.waitCodes(root)
	if made := requests.Load() - before; made != 1 {
		t.Errorf("%d requests once fetching is on, want 1", made)
	}
}

// TestInstanceBudgetInTheServer opens a folder of 31 files that each
// instantiate the next twice: the server grew past 5.8 GiB on it. Now the
// budget ends the link at the reference that crosses it; amber.limits.instances
// sets the budget.
func TestInstanceBudgetInTheServer(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 31 {
		text := `{ manifest_version: "0.3.0" }`
		if i < 30 {
			text = fmt.Sprintf(`{ manifest_version: "0.3.0", components: { a: "./f%d.json5", b: "./f%d.json5" } }`, i+1, i+1)
		}
		files[fmt.Sprintf("f%d.json5", i)] = text
	}
	writeFiles(t, dir, files)
	over := func(limit int) (file string) {
		e := startServer(t, Options{})
		e.settings = map[string]any{}
		if limit > 0 {
			e.settings = map[string]any{"limits": map[string]any{"instances": limit}}
		}
		e.initialize(allCaps, dir)
		e.waitFor("the instance budget", func() bool {
			for u, p := range e.diags {
				if slicesContain(codesOf(p.Diagnostics), string(codes.TooManyInstances)) {
					path, _ := pathOf(u)
					file = filepath.Base(path)
					return true
				}
			}
			return false
		})
		return file
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	file := over(0)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("the 31-file doubling folder: budget reported in %s after %v, %.0f MiB allocated", file, elapsed.Round(time.Millisecond), float64(allocated)/(1<<20))
	if allocated > 500<<20 {
		t.Errorf("%d MiB allocated, want well under 500", allocated>>20)
	}
	// Depth first, the root and f1 … f5 of the first path are 6 instances:
	// f5 names the 7th.
	if file := over(6); file != "f5.json5" {
		t.Errorf("with amber.limits.instances 6 the budget is crossed in %s, want f5.json5", file)
	}
}
