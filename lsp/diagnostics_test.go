package lsp

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/diag/codes"
)

// TestStartupPullAnswersOnlyWhatADocumentSaysOfItself is
// TestStartupPublishesOnlyWhatADocumentSaysOfItself for a client that
// pulls: a child manifest pulled before the workspace is indexed (the index
// waits for the client's settings, held back) is answered with its own
// problems only; once indexed, the server asks for a refresh and the next
// pull has the lint that depends on the child's place in its tree.
func TestStartupPullAnswersOnlyWhatADocumentSaysOfItself(t *testing.T) {
	for _, tc := range []struct {
		name, child string
		before      []string // codes answered before the index
		after       string   // a message answered after it
	}{
		{"lint", `{ manifest_version: "0.1.0", program: { path: "/bin/x", network: { endpoints: [{ name: "e", port: 80 }] } }, provides: { spare: { kind: "http", endpoint: "e" } } }`,
			[]string{}, "provide `spare` is never used or exported (in component /child)"},
		{"own error", `{ manifest_version: "0.1.0", nope: 1 }`,
			[]string{string(codes.ValidationError)}, "unknown field `nope`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"parent.json5": `{ manifest_version: "0.1.0", components: { child: "./child.json5" } }`,
				"child.json5":  tc.child,
			})
			path := filepath.Join(dir, "child.json5")
			e := startServer(t, Options{})
			e.settings = map[string]any{}
			e.configGate = make(chan struct{})
			e.initialize(editorCaps{pull: true, config: true}, dir)
			e.open(path, tc.child)
			pull := func() []protocol.Diagnostic {
				var report protocol.FullDocumentDiagnosticReport
				if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}}, &report); err != nil || report.Kind != "full" {
					t.Fatalf("pull: a %q report (%v)", report.Kind, err)
				}
				return report.Items
			}
			if got := codesOf(pull()); !slices.Equal(got, tc.before) {
				t.Errorf("before the index: %v, want %v", got, tc.before)
			}
			close(e.configGate)
			e.waitIndexed()
			if len(tc.before) == 0 {
				e.waitFor("a refresh", func() bool { return e.refreshes > 0 })
			}
			var msgs []string
			for _, d := range pull() {
				msg, _ := d.Message.(protocol.String)
				msgs = append(msgs, string(msg))
			}
			if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, tc.after) }) {
				t.Errorf("after the index: %q, want one with %q", msgs, tc.after)
			}
		})
	}
}
