package lsp

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestWorkspaceQueriesWaitForTheIndex: a rename and a workspace symbol
// search sent while the workspace folders are being indexed (the index
// waits for the client's settings, held back here) wait for it and answer
// for the whole workspace: the rename edits the child that is not open,
// the search finds its slot. Answered at once, they saw the open document
// alone.
func TestWorkspaceQueriesWaitForTheIndex(t *testing.T) {
	parent := gatedParent
	e, dir := indexHeldBack(t, "parent.json5")
	parentPath := filepath.Join(dir, "parent.json5")

	type answer struct {
		edit *protocol.WorkspaceEdit
		syms []protocol.SymbolInformation
		err  error
	}
	done := make(chan answer, 2)
	go func() {
		var edit protocol.WorkspaceEdit
		at := positionOf(parent, strings.Index(parent, `"#w.feed"`)+len(`"#w.fe`), protocol.PositionEncodingKindUTF16)
		err := e.call(protocol.MethodTextDocumentRename, &protocol.RenameParams{
			TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(parentPath)}, Position: at},
			NewName:                    "input",
		}, &edit)
		done <- answer{edit: &edit, err: err}
	}()
	go func() {
		var syms []protocol.SymbolInformation
		err := e.call(protocol.MethodWorkspaceSymbol, &protocol.WorkspaceSymbolParams{Query: "feed"}, &syms)
		done <- answer{syms: syms, err: err}
	}()
	select {
	case a := <-done:
		t.Fatalf("answered before the index: %+v", a)
	case <-time.After(300 * time.Millisecond):
	}
	close(e.configGate)
	for range 2 {
		a := <-done
		switch {
		case a.err != nil:
			t.Errorf("answer: %v", a.err)
		case a.edit != nil:
			files := map[string]bool{}
			for u := range a.edit.Changes {
				files[filepath.Base(string(u))] = true
			}
			for _, dc := range a.edit.DocumentChanges {
				if te, ok := dc.(*protocol.TextDocumentEdit); ok {
					files[filepath.Base(string(te.TextDocument.URI))] = true
				}
			}
			if !files["worker.json5"] || !files["parent.json5"] {
				t.Errorf("the rename edits %v, want parent.json5 and worker.json5", files)
			}
		default:
			if len(a.syms) != 1 || filepath.Base(string(a.syms[0].Location.URI)) != "worker.json5" {
				t.Errorf("workspace symbols %+v, want the worker's slot", a.syms)
			}
		}
	}
}

// TestCommandsWaitForTheIndex: amber.graph asked for a child while the
// workspace folders are being indexed waits for the index and draws the
// tree the child is in; answered at once, it drew the child alone, as a
// tree of its own.
func TestCommandsWaitForTheIndex(t *testing.T) {
	e, dir := indexHeldBack(t, "worker.json5")
	workerPath := filepath.Join(dir, "worker.json5")
	type answer struct {
		text string
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		var text string
		args := []any{uri.File(workerPath), map[string]any{"format": "mermaid"}}
		err := e.call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": "amber.graph", "arguments": args}, &text)
		done <- answer{text, err}
	}()
	select {
	case a := <-done:
		t.Fatalf("answered before the index: %+v", a)
	case <-time.After(300 * time.Millisecond):
	}
	close(e.configGate)
	a := <-done
	if a.err != nil || !strings.Contains(a.text, `"w"`) {
		t.Errorf("amber.graph of the child = %q, %v; want the parent's tree, with its child w", a.text, a.err)
	}
}

// The tree of the index tests: a parent and its child, the worker.
const (
	gatedParent = `{ manifest_version: "0.1.0", components: { w: "./worker.json5" }, slots: { up: { kind: "http" } }, bindings: [{ to: "#w.feed", from: "slots.up", weak: true }] }`
	gatedWorker = `{ manifest_version: "0.1.0", slots: { feed: { kind: "http" } }, program: { path: "/bin/w", args: ["${slots.feed.url}"] } }`
)

// indexHeldBack starts a server on a folder holding gatedParent and
// gatedWorker whose index waits for the client's settings, held back
// until the test closes e.configGate, and opens one of the two files.
func indexHeldBack(t *testing.T, open string) (e *editor, dir string) {
	t.Helper()
	dir = t.TempDir()
	texts := map[string]string{"parent.json5": gatedParent, "worker.json5": gatedWorker}
	writeFiles(t, dir, texts)
	e = startServer(t, Options{})
	e.settings = map[string]any{}
	e.configGate = make(chan struct{})
	e.initialize(allCaps, dir)
	path := filepath.Join(dir, open)
	e.open(path, texts[open])
	e.waitVersion(path)
	return e, dir
}
