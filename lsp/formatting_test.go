package lsp

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// openOne starts a server on a folder holding one file of text, opened.
func openOne(t *testing.T, name, text string) (*editor, string) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{name: text})
	e := start(t, Options{}, editorCaps{}, dir)
	path := filepath.Join(dir, name)
	e.open(path, text)
	return e, path
}

// TestFormattingRefusesSyntaxErrors: a document with a syntax error gets
// an empty list of edits (not an error), and the reason goes to the log,
// never to a message box.
func TestFormattingRefusesSyntaxErrors(t *testing.T) {
	e, path := openOne(t, "broken.json5", "{\n  manifest_version: \"0.4.0\"\n  exports: {},\n}\n")
	doc := protocol.TextDocumentIdentifier{URI: uri.File(path)}
	opts := protocol.FormattingOptions{TabSize: 2, InsertSpaces: true}
	for _, call := range []struct {
		method string
		params any
	}{
		{protocol.MethodTextDocumentFormatting, &protocol.DocumentFormattingParams{TextDocument: doc, Options: opts}},
		{protocol.MethodTextDocumentRangeFormatting, &protocol.DocumentRangeFormattingParams{TextDocument: doc, Options: opts, Range: protocol.Range{End: protocol.Position{Line: 2}}}},
	} {
		var edits *[]protocol.TextEdit
		if err := e.call(call.method, call.params, &edits); err != nil {
			t.Fatalf("%s: %v", call.method, err)
		}
		if edits == nil || len(*edits) != 0 {
			t.Errorf("%s: %v, want an empty list", call.method, edits)
		}
	}
	e.waitFor("the log line", func() bool {
		n := 0
		for _, l := range e.logs {
			if strings.Contains(l, "formatting "+path+": not formatted: the text has a syntax error") {
				n++
			}
		}
		return n == 2
	})
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.shown) > 0 {
		t.Errorf("messages shown: %q", e.shown)
	}
}

// TestFormattingOptions: the editor's tab size and tabs are honoured.
func TestFormattingOptions(t *testing.T) {
	e, path := openOne(t, "m.json5", "{\nmanifest_version: \"0.4.0\",\n}\n")
	for _, tt := range []struct {
		opts protocol.FormattingOptions
		want string
	}{
		{protocol.FormattingOptions{TabSize: 4, InsertSpaces: true}, "    "},
		{protocol.FormattingOptions{TabSize: 4, InsertSpaces: false}, "\t"},
		{protocol.FormattingOptions{TabSize: 3, InsertSpaces: true}, "   "},
	} {
		var edits []protocol.TextEdit
		params := &protocol.DocumentFormattingParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Options: tt.opts}
		if err := e.call(protocol.MethodTextDocumentFormatting, params, &edits); err != nil {
			t.Fatal(err)
		}
		want := []protocol.TextEdit{{Range: protocol.Range{Start: protocol.Position{Line: 1}, End: protocol.Position{Line: 1}}, NewText: tt.want}}
		if len(edits) != 1 || edits[0] != want[0] {
			t.Errorf("%+v: edits %+v, want %+v", tt.opts, edits, want)
		}
	}
}
