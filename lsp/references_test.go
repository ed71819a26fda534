package lsp

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// The references fixture: a parent binding the slot of a child that it
// instantiates twice.
const (
	refsParent = `{
  manifest_version: "0.4.0", /* é😀 */
  components: { a: "./child.json5", b: "./child.json5", src: "./src.json5" },
  bindings: [
    /* é😀 */ { to: "#a.api", from: "#src.out" },
    { to: "#b.api", from: "#src.out" },
  ],
}
`
	refsChild = `{
  manifest_version: "0.4.0",
  slots: { api: { kind: "http" } },
  program: { path: "/bin/x", env: { API: "${slots.api.url}" } },
}
`
	refsSource = `{
  manifest_version: "0.4.0",
  program: { path: "/bin/x", network: { endpoints: [{ name: "e", port: 80 }] } },
  provides: { out: { kind: "http", endpoint: "e" } },
  exports: { out: "out" },
}
`
)

// refsEditor starts a server on a folder with the fixture, initializes it
// with the capabilities given, opens the parent and waits for its
// diagnostics.
func refsEditor(t *testing.T, caps protocol.ClientCapabilities) (e *editor, dir string, res *protocol.InitializeResult) {
	t.Helper()
	dir = t.TempDir()
	writeFiles(t, dir, map[string]string{"parent.json5": refsParent, "child.json5": refsChild, "src.json5": refsSource})
	e = startServer(t, Options{})
	params := &protocol.InitializeParams{Capabilities: caps}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "w"}})
	res = &protocol.InitializeResult{}
	if err := e.call(protocol.MethodInitialize, params, res); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	parent := filepath.Join(dir, "parent.json5")
	e.open(parent, refsParent)
	e.waitVersion(parent)
	return e, dir, res
}

// versionedClient takes versioned documentChanges, prepareRename and code
// lens refreshes.
var versionedClient = protocol.ClientCapabilities{
	Workspace: &protocol.WorkspaceClientCapabilities{
		WorkspaceEdit: &protocol.WorkspaceEditClientCapabilities{DocumentChanges: ptr(true)},
		CodeLens:      &protocol.CodeLensWorkspaceClientCapabilities{RefreshSupport: ptr(true)},
	},
	TextDocument: &protocol.TextDocumentClientCapabilities{
		Rename:             &protocol.RenameClientCapabilities{PrepareSupport: ptr(true)},
		PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{VersionSupport: ptr(true)},
	},
}

// wireWorkspaceEdit is a WorkspaceEdit as it travels: the changes by URI,
// or the versioned edits of each document.
type wireWorkspaceEdit struct {
	Changes         map[string][]protocol.TextEdit `json:"changes"`
	DocumentChanges []struct {
		TextDocument struct {
			URI     string `json:"uri"`
			Version *int32 `json:"version"`
		} `json:"textDocument"`
		Edits []protocol.TextEdit `json:"edits"`
	} `json:"documentChanges"`
}

// TestRenameEdits: a client that takes documentChanges gets one
// TextDocumentEdit per file, versioned for the open document and with a
// null version for the files on disk; another gets changes. Both change
// the same places, in UTF-16 positions past multi-byte text.
func TestRenameEdits(t *testing.T) {
	for _, versioned := range []bool{true, false} {
		caps := protocol.ClientCapabilities{}
		if versioned {
			caps = versionedClient
		}
		e, dir, res := refsEditor(t, caps)
		opts, isOptions := res.Capabilities.RenameProvider.(*protocol.RenameOptions)
		if versioned != (isOptions && isTrue(opts.PrepareProvider)) {
			t.Errorf("versioned %v: renameProvider %#v", versioned, res.Capabilities.RenameProvider)
		}
		parent := filepath.Join(dir, "parent.json5")
		params := &protocol.RenameParams{TextDocumentPositionParams: docPos(parent, at(t, refsParent, "{ to: \"#a.a", protocol.PositionEncodingKindUTF16)), NewName: "backend"}
		var raw json.RawMessage
		if err := e.call(protocol.MethodTextDocumentRename, params, &raw); err != nil {
			t.Fatalf("rename: %v", err)
		}
		var edit wireWorkspaceEdit
		if err := json.Unmarshal(raw, &edit); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		if versioned {
			if edit.Changes != nil || len(edit.DocumentChanges) != 2 {
				t.Fatalf("versioned rename: %s", raw)
			}
			for _, dc := range edit.DocumentChanges {
				name := filepath.Base(dc.TextDocument.URI)
				got[name] = len(dc.Edits)
				if open := name == "parent.json5"; open != (dc.TextDocument.Version != nil) || open && *dc.TextDocument.Version != 1 {
					t.Errorf("%s: version %v", name, dc.TextDocument.Version)
				}
			}
		} else {
			if edit.DocumentChanges != nil {
				t.Fatalf("rename without documentChanges support: %s", raw)
			}
			for u, edits := range edit.Changes {
				got[filepath.Base(u)] = len(edits)
			}
		}
		if got["parent.json5"] != 2 || got["child.json5"] != 2 || len(got) != 2 {
			t.Errorf("versioned %v: edits by file %v, want 2 in each of parent.json5 and child.json5: %s", versioned, got, raw)
		}
		// The first edit of the parent is `api` on the line of `#a.api`,
		// after the multi-byte comment.
		line := strings.Split(refsParent, "\n")[4]
		want := protocol.Range{Start: at(t, refsParent, "{ to: \"#a.", protocol.PositionEncodingKindUTF16)}
		want.End = want.Start
		want.End.Character += 3
		var first protocol.Range
		if versioned {
			for _, dc := range edit.DocumentChanges {
				if strings.HasSuffix(dc.TextDocument.URI, "parent.json5") {
					first = dc.Edits[0].Range
				}
			}
		} else {
			first = edit.Changes[string(uri.File(parent))][0].Range
		}
		if first != want {
			t.Errorf("the edit of %q is at %v, want %v", line, first, want)
		}
	}
}

// TestRenameRefusedAndPrepared: prepareRename answers the name and its
// range, null where nothing is renamable; a refused rename is a
// RequestFailed error carrying the reason.
func TestRenameRefusedAndPrepared(t *testing.T) {
	e, dir, _ := refsEditor(t, versionedClient)
	parent := filepath.Join(dir, "parent.json5")
	enc := protocol.PositionEncodingKindUTF16
	var prep *protocol.PrepareRenamePlaceholder
	if err := e.call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: docPos(parent, at(t, refsParent, "{ to: \"#b", protocol.PositionEncodingKindUTF16))}, &prep); err != nil {
		t.Fatal(err)
	}
	start := at(t, refsParent, "{ to: \"#b", enc)
	start.Character-- // the name, after its `#`
	if prep == nil || prep.Placeholder != "b" || prep.Range.Start != start || prep.Range.End.Character != start.Character+1 {
		t.Errorf("prepareRename on #b: %+v", prep)
	}
	var none json.RawMessage
	if err := e.call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: docPos(parent, protocol.Position{Line: 1, Character: 4})}, &none); err != nil || string(none) != "null" {
		t.Errorf("prepareRename on manifest_version: %s %v, want null", none, err)
	}
	err := e.call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: docPos(parent, at(t, refsParent, "{ to: \"#b", protocol.PositionEncodingKindUTF16)), NewName: "src"}, nil)
	var jerr *jsonrpc2.Error
	if !errors.As(err, &jerr) || jerr.Code != codeRequestFailed || !strings.Contains(jerr.Message, "`parent.json5` declares component `src` already") {
		t.Errorf("rename to a taken name: %v, want RequestFailed saying why", err)
	}
	err = e.call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: docPos(parent, at(t, refsParent, "a: \"./ch", protocol.PositionEncodingKindUTF16))}, nil)
	if !errors.As(err, &jerr) || jerr.Code != codeRequestFailed || !strings.Contains(jerr.Message, "renaming a manifest file") {
		t.Errorf("prepareRename on a manifest reference: %v", err)
	}
}

// TestReferencesPastTheEnd: positions past the end of a line or of the
// file, and documents the server never saw, get null, not an error.
func TestReferencesPastTheEnd(t *testing.T) {
	e, dir, _ := refsEditor(t, protocol.ClientCapabilities{})
	parent := filepath.Join(dir, "parent.json5")
	for _, pos := range []protocol.Position{{Line: 1, Character: 500}, {Line: 500, Character: 0}, {Line: 0, Character: 0}} {
		for _, file := range []string{parent, filepath.Join(dir, "unknown.json5")} {
			var locs json.RawMessage
			params := &protocol.ReferenceParams{TextDocumentPositionParams: docPos(file, pos), Context: protocol.ReferenceContext{IncludeDeclaration: true}}
			if err := e.call(protocol.MethodTextDocumentReferences, params, &locs); err != nil || string(locs) != "null" {
				t.Errorf("references at %v of %s: %s %v, want null", pos, filepath.Base(file), locs, err)
			}
			var lenses json.RawMessage
			if err := e.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(file)}}, &lenses); err != nil {
				t.Errorf("code lens of %s: %v", filepath.Base(file), err)
			}
		}
	}
}

// TestCodeLensRefresh: an edit of the parent changes the lenses of the
// child, which is open too: the server asks the client to refresh them.
func TestCodeLensRefresh(t *testing.T) {
	e, dir, _ := refsEditor(t, versionedClient)
	child := filepath.Join(dir, "child.json5")
	e.open(child, refsChild)
	e.waitVersion(child)
	var lenses []protocol.CodeLens
	if err := e.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(child)}}, &lenses); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, l := range lenses {
		titles = append(titles, l.Command.Title)
		if l.Command.Command != "amber.showReferences" || len(l.Command.Arguments) != 3 {
			t.Errorf("lens %q: command %s with %d arguments", l.Command.Title, l.Command.Command, len(l.Command.Arguments))
		}
	}
	if strings.Join(titles, "|") != "instantiated 2 times by 1 parent|3 references" {
		t.Errorf("lenses of the child: %q", titles)
	}
	parent := filepath.Join(dir, "parent.json5")
	e.mu.Lock()
	before := e.lensRefreshes
	e.mu.Unlock()
	if before != 0 {
		t.Errorf("%d refreshes after opening documents, want none (clients ask for the lenses of what they open)", before)
	}
	line := `    { to: "#b.api", from: "#src.out" },` + "\n"
	i := strings.Index(refsParent, line)
	e.change(parent, protocol.PositionEncodingKindUTF16, edit{start: i, end: i + len(line)})
	e.waitFor("a code lens refresh", func() bool { return e.lensRefreshes == 1 })
}

// TestCodeLensRefreshAfterIndex: a document opened before the workspace
// is indexed gets the lenses its own text gives; once the index shows
// more, the server asks the client to refresh them.
func TestCodeLensRefreshAfterIndex(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"parent.json5": refsParent, "child.json5": refsChild, "src.json5": refsSource})
	e := startServer(t, Options{})
	params := &protocol.InitializeParams{Capabilities: versionedClient}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "w"}})
	if err := e.call(protocol.MethodInitialize, params, &protocol.InitializeResult{}); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	child := filepath.Join(dir, "child.json5")
	lensTitles := func() string {
		var lenses []protocol.CodeLens
		if err := e.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(child)}}, &lenses); err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, l := range lenses {
			titles = append(titles, l.Command.Title)
		}
		return strings.Join(titles, "|")
	}
	// Before `initialized`: no folder is indexed, the parent is unknown.
	e.open(child, refsChild)
	const indexed = "instantiated 2 times by 1 parent|3 references"
	if got := lensTitles(); got == indexed {
		t.Fatalf("lenses before the index = %q, the test needs fewer", got)
	}
	e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	e.waitFor("a code lens refresh", func() bool { return e.lensRefreshes > 0 })
	if got := lensTitles(); got != indexed {
		t.Errorf("lenses after the refresh = %q, want %q", got, indexed)
	}
}

// TestCallHierarchyOverThePipe: the items carry their component in their
// data; a client that drops it is answered from the item's position.
func TestCallHierarchyOverThePipe(t *testing.T) {
	e, dir, res := refsEditor(t, protocol.ClientCapabilities{})
	if res.Capabilities.CallHierarchyProvider == nil {
		t.Fatal("no callHierarchyProvider")
	}
	parent := filepath.Join(dir, "parent.json5")
	var items []protocol.CallHierarchyItem
	if err := e.call(protocol.MethodTextDocumentPrepareCallHierarchy, &protocol.CallHierarchyPrepareParams{TextDocumentPositionParams: docPos(parent, at(t, refsParent, "src: \"./s", protocol.PositionEncodingKindUTF16))}, &items); err != nil || len(items) != 1 {
		t.Fatalf("prepare on #src: %v %v", items, err)
	}
	for _, drop := range []bool{false, true} {
		item := items[0]
		if drop {
			item.Data = nil
		}
		var calls []protocol.CallHierarchyOutgoingCall
		if err := e.call(protocol.MethodCallHierarchyOutgoingCalls, &protocol.CallHierarchyOutgoingCallsParams{Item: item}, &calls); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range calls {
			names = append(names, c.To.Name)
			if len(c.FromRanges) != 1 || c.FromRanges[0].Start.Line < 4 {
				t.Errorf("call to %s from %v, want its binding line", c.To.Name, c.FromRanges)
			}
		}
		if strings.Join(names, ",") != "a,b" {
			t.Errorf("data dropped %v: #src feeds %v, want a,b", drop, names)
		}
	}
}

// TestWillRenameFiles: the server asks for the renames of files and
// folders, and a manifest renamed brings the edits of the references to
// it, in the open document, versioned; a file nothing names, none.
func TestWillRenameFiles(t *testing.T) {
	e, dir, res := refsEditor(t, versionedClient)
	ops := res.Capabilities.Workspace.FileOperations
	if ops == nil || len(ops.WillRename.Filters) != 1 || ops.WillRename.Filters[0].Pattern.Glob != "**" {
		t.Fatalf("fileOperations %+v, want willRename of every file and folder", ops)
	}
	child := filepath.Join(dir, "child.json5")
	rename := func(from, to string) json.RawMessage {
		t.Helper()
		var raw json.RawMessage
		params := &protocol.RenameFilesParams{Files: []protocol.FileRename{{OldURI: string(uri.File(from)), NewURI: string(uri.File(to))}}}
		if err := e.call(protocol.MethodWorkspaceWillRenameFiles, params, &raw); err != nil {
			t.Fatalf("willRenameFiles: %v", err)
		}
		return raw
	}
	raw := rename(child, filepath.Join(dir, "kid.json5"))
	var edit wireWorkspaceEdit
	if err := json.Unmarshal(raw, &edit); err != nil {
		t.Fatal(err)
	}
	if len(edit.DocumentChanges) != 1 || !strings.HasSuffix(edit.DocumentChanges[0].TextDocument.URI, "/parent.json5") ||
		edit.DocumentChanges[0].TextDocument.Version == nil || len(edit.DocumentChanges[0].Edits) != 2 {
		t.Fatalf("renaming child.json5: %s, want two edits of the open parent.json5", raw)
	}
	first := at(t, refsParent, `a: "./child.json5`, protocol.PositionEncodingKindUTF16)
	first.Character -= uint32(len("./child.json5"))
	for i, te := range edit.DocumentChanges[0].Edits {
		if te.NewText != "./kid.json5" || te.Range.End.Character-te.Range.Start.Character != uint32(len("./child.json5")) {
			t.Errorf("edit %d: %+v, want ./child.json5 replaced by ./kid.json5", i, te)
		}
	}
	if got := edit.DocumentChanges[0].Edits[0].Range.Start; got != first {
		t.Errorf("the first edit starts at %v, want %v", got, first)
	}
	if raw := rename(filepath.Join(dir, "notes.json5"), filepath.Join(dir, "todo.json5")); string(raw) != "null" {
		t.Errorf("renaming a file nothing names: %s, want null", raw)
	}
}
