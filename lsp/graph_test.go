package lsp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/internal/freeport"
	"github.com/amberlsp/amber-lsp/linker/graph"
)

// copyExamples copies ../examples into a temporary folder.
func copyExamples(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir("../examples", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("../examples", p)
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		writeFiles(t, dir, map[string]string{rel: string(text)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestGraphCommand runs amber.graph through the server: it answers what
// `amber-lsp graph` prints for the root of the document's tree, in each
// format, for the root and for a child; everything else is a clear error.
func TestGraphCommand(t *testing.T) {
	dir := copyExamples(t)
	e := startServer(t, Options{})
	params := &protocol.InitializeParams{}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "w"}})
	var init protocol.InitializeResult
	if err := e.call(protocol.MethodInitialize, params, &init); err != nil {
		t.Fatal(err)
	}
	e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	if cmds := init.Capabilities.ExecuteCommandProvider.Commands; !strings.Contains(strings.Join(cmds, ","), "amber.graph") {
		t.Errorf("executeCommandProvider.commands = %q", cmds)
	}
	root := filepath.Join(dir, "scenario.json5")
	text, _ := os.ReadFile(root)
	e.open(root, string(text))
	e.waitVersion(root)
	e.waitIndexed()
	run := func(args ...any) (string, error) {
		p := map[string]any{"command": "amber.graph", "arguments": args}
		var out string
		err := e.call(protocol.MethodWorkspaceExecuteCommand, p, &out)
		return out, err
	}
	for _, f := range graph.Formats {
		want, err := analysis.Graph(context.Background(), root, analysis.GraphOptions{Format: f})
		if err != nil || want.Text == "" {
			t.Fatalf("analysis.Graph: %v %+v", err, want)
		}
		for _, doc := range []string{"scenario.json5", "api.json5", "audit/overlay.json5"} {
			got, err := run(uri.File(filepath.Join(dir, doc)), map[string]any{"format": string(f)})
			if err != nil || got != want.Text {
				t.Errorf("amber.graph %s %s: %v\n%s\nwant\n%s", doc, f, err, got, want.Text)
			}
		}
	}
	if got, err := run(uri.File(root)); err != nil || !strings.HasPrefix(got, "digraph scenario {") {
		t.Errorf("amber.graph without options: %v %q, want DOT", err, got)
	}
	outside := filepath.Join(t.TempDir(), "elsewhere.json5")
	cases := []struct {
		name string
		args []any
		code jsonrpc2.Code
		msg  string
	}{
		{"overlays without the setting", []any{uri.File(root), map[string]any{"applyOverlays": true}}, codeRequestFailed, "amber.overlays.preview"},
		{"unknown format", []any{uri.File(root), map[string]any{"format": "svg"}}, jsonrpc2.InvalidParams, `unknown graph format "svg"`},
		{"no document", nil, jsonrpc2.InvalidParams, "needs a document URI as argument 1"},
		{"not a URI", []any{42}, jsonrpc2.InvalidParams, "argument 1"},
		{"not a file", []any{"https://example.com/scenario.json5"}, jsonrpc2.InvalidParams, "not a local file"},
		{"bad options", []any{uri.File(root), "dot"}, jsonrpc2.InvalidParams, "argument 2 must be { format, applyOverlays }"},
		{"outside every tree", []any{uri.File(outside)}, codeRequestFailed, "elsewhere.json5 is in no manifest tree"},
	}
	for _, tc := range cases {
		_, err := run(tc.args...)
		if errCode(err) != tc.code || err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v (code %d), want code %d and %q", tc.name, err, errCode(err), tc.code, tc.msg)
		}
	}
	err := e.call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": "amber.nothing"}, nil)
	if errCode(err) != jsonrpc2.InvalidParams || !strings.Contains(err.Error(), "amber.graph") {
		t.Errorf("unknown command: %v", err)
	}
}

// TestGraphCommandOverlays: with amber.overlays.preview on, applyOverlays
// runs the helper (the overlay package's test helper, built here) and
// draws its interposer in the server's preview runtime, which keeps the
// helper warm and stops it when the server shuts down.
func TestGraphCommandOverlays(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin", "helper")
	if out, err := exec.Command("go", "build", "-o", bin, "../overlay/testdata/helper").CombinedOutput(); err != nil {
		t.Fatalf("building the test helper: %v\n%s", err, out)
	}
	port := freeport.Get(t)
	pidfile := filepath.Join(dir, "helper.pid")
	repl := strings.NewReplacer("{{PORT}}", strconv.Itoa(port), "{{MODE}}", "redact", "{{PIDFILE}}", pidfile)
	files, _ := filepath.Glob("../overlay/testdata/redaction/*.json5")
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFiles(t, dir, map[string]string{filepath.Base(f): repl.Replace(string(text))})
	}
	e := startServer(t, Options{})
	params := &protocol.InitializeParams{InitializationOptions: protocol.LSPAny(`{"overlays": {"preview": true}}`)}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "w"}})
	if err := e.call(protocol.MethodInitialize, params, nil); err != nil {
		t.Fatal(err)
	}
	e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	caller := filepath.Join(dir, "caller.json5")
	text, _ := os.ReadFile(caller)
	e.open(caller, string(text))
	e.waitVersion(caller)
	var got string
	args := []any{uri.File(caller), map[string]any{"format": "mermaid", "applyOverlays": true}}
	if err := e.call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": "amber.graph", "arguments": args}, &got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, `c3{{"__overlay_0_0"}}`) || !strings.Contains(got, "class c3 interposer") {
		t.Errorf("amber.graph with overlays:\n%s", got)
	}
	pid, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatalf("the helper did not run: %v", err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(pid)))
	if e.shutdown() != 0 {
		t.Error("the server did not exit cleanly")
	}
	if p, err := os.FindProcess(n); n > 0 && err == nil && p.Signal(syscall.Signal(0)) == nil {
		if state, _ := os.ReadFile("/proc/" + strconv.Itoa(n) + "/stat"); !strings.Contains(string(state), ") Z ") {
			t.Errorf("the helper (pid %d) still runs after the server exited", n)
		}
	}
}
