package lsp

import (
	"path/filepath"
	"reflect"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// initializeWith starts a server on dir and initializes it with the given
// text document capabilities.
func initializeWith(t *testing.T, dir string, td *protocol.TextDocumentClientCapabilities) *editor {
	t.Helper()
	e := startServer(t, Options{})
	params := &protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{TextDocument: td}}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "w"}})
	if err := e.call(protocol.MethodInitialize, params, &protocol.InitializeResult{}); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	return e
}

// TestFoldingWholeLines: a client that folds whole lines only gets line
// ranges without characters; they leave visible the line of a closing
// bracket that starts its line, and fold a block comment to its end.
func TestFoldingWholeLines(t *testing.T) {
	const text = `{
  manifest_version: "0.4.0",
  config_schema: {
    type: "object",
  },
  exports: { a: "#x.y",
    b: "#x.z" },
  /*
   * block
   */
}
`
	dir := t.TempDir()
	path := filepath.Join(dir, "folds.json5")
	writeFiles(t, dir, map[string]string{"folds.json5": text})
	e := initializeWith(t, dir, &protocol.TextDocumentClientCapabilities{FoldingRange: &protocol.FoldingRangeClientCapabilities{LineFoldingOnly: ptr(true)}})
	e.open(path, text)
	var got []protocol.FoldingRange
	if err := e.call(protocol.MethodTextDocumentFoldingRange, &protocol.FoldingRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}}, &got); err != nil {
		t.Fatal(err)
	}
	want := []protocol.FoldingRange{
		{StartLine: 0, EndLine: 9, Kind: protocol.FoldingRangeKindRegion},
		{StartLine: 2, EndLine: 3, Kind: protocol.FoldingRangeKindRegion},
		{StartLine: 5, EndLine: 6, Kind: protocol.FoldingRangeKindRegion},
		{StartLine: 7, EndLine: 9, Kind: protocol.FoldingRangeKindComment},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("folding ranges\n got %+v\nwant %+v", got, want)
	}
}
