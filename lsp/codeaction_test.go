package lsp

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestCodeActionKindsAndCreate: the `only` filter picks kinds (a parent
// kind includes its children), fix-all comes only when asked for, and an
// action that creates a file reaches only clients that can create files.
func TestCodeActionKindsAndCreate(t *testing.T) {
	parent := `{
  manifest_version: "0.4.0",
  experimental_features: ["governance"],
  components: { cache: "./cache.json5" },
}
`
	for _, create := range []bool{false, true} {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"scenario.json5": parent})
		e := startServer(t, Options{})
		params := &protocol.InitializeParams{}
		params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "w"}})
		if create {
			params.Capabilities.Workspace = &protocol.WorkspaceClientCapabilities{WorkspaceEdit: &protocol.WorkspaceEditClientCapabilities{
				DocumentChanges: ptr(true), ResourceOperations: []protocol.ResourceOperationKind{protocol.ResourceOperationKindCreate}}}
		}
		if err := e.call(protocol.MethodInitialize, params, nil); err != nil {
			t.Fatal(err)
		}
		e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
		path := filepath.Join(dir, "scenario.json5")
		e.open(path, parent)
		e.waitVersion(path)
		pos := at(t, parent, `cache: "./`, protocol.PositionEncodingKindUTF16)
		ask := func(only ...protocol.CodeActionKind) []string {
			var actions []protocol.CodeAction
			p := &protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)},
				Range: protocol.Range{Start: pos, End: pos}, Context: protocol.CodeActionContext{Only: only}}
			if err := e.call(protocol.MethodTextDocumentCodeAction, p, &actions); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range actions {
				out = append(out, string(*a.Kind)+": "+a.Title)
				if strings.HasPrefix(a.Title, "Create") && (len(a.Edit.DocumentChanges) != 2 || a.Edit.Changes != nil) {
					t.Errorf("create action %+v", a.Edit)
				}
			}
			return out
		}
		// The draft spelling stops the tree before its children are
		// resolved: no diagnostic says the child is missing, so creating it
		// is a refactoring.
		createAction := "refactor.rewrite: Create `cache.json5`"
		if got := ask(); slices.Contains(got, createAction) != create || slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "source.fixAll") }) {
			t.Errorf("createFiles %v, no filter: %q", create, got)
		}
		if got := ask(protocol.CodeActionKindRefactor); slices.Contains(got, createAction) != create || len(got) > 1 {
			t.Errorf("createFiles %v, refactor only: %q", create, got)
		}
		if got := ask(protocol.CodeActionKindQuickFix); len(got) != 0 {
			t.Errorf("quick fixes only: %q", got)
		}
		if got := ask(protocol.CodeActionKindSource); len(got) != 1 || !strings.HasPrefix(got[0], "source.fixAll: ") {
			t.Errorf("source only: %q", got)
		}
	}
}
