package lsp

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestPulledItemsKept checks which encoded answers a document's pull
// record keeps: the last answer's, and the last one before it with other
// diagnostics, so that a text put back as it was is answered from them.
func TestPulledItemsKept(t *testing.T) {
	type pull struct {
		id   string
		want string // the items itemsOf returns before the answer; "" for none
	}
	tests := []struct {
		name  string
		pulls []pull
	}{
		{"first", []pull{{"a", ""}}},
		{"again", []pull{{"a", ""}, {"a", "a"}}},
		{"typo and undo", []pull{{"a", ""}, {"b", ""}, {"a", "a"}, {"b", "b"}, {"a", "a"}}},
		{"third text", []pull{{"a", ""}, {"b", ""}, {"c", ""}, {"a", ""}, {"c", "c"}}},
		{"repeated then back", []pull{{"a", ""}, {"b", ""}, {"b", "b"}, {"a", "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p pulled
			for i, x := range tt.pulls {
				got := p.itemsOf(x.id)
				if string(got) != x.want {
					t.Fatalf("pull %d of %q: kept items %q, want %q", i, x.id, got, x.want)
				}
				if got == nil {
					got = []byte(x.id)
				}
				p = p.answered(x.id, int32(i), got)
			}
		})
	}
}

// TestPullTextPutBack pulls a document's diagnostics through a typo and its
// undo, twice: every answer is the one a new server gives for that text,
// whether it was encoded for the pull or kept from an earlier one.
func TestPullTextPutBack(t *testing.T) {
	dir := t.TempDir()
	good := "{\n  manifest_version: \"0.1.0\",\n  x: 1,\n  program: { path: \"/bin/x\" },\n}\n"
	bad := "{\n  manifest_version: \"0.1.0\",\n  x: 1,,\n  program: { path: \"/bin/x\" },\n}\n"
	writeFiles(t, dir, map[string]string{"m.json5": good})
	path := filepath.Join(dir, "m.json5")
	answer := func(e *editor) jsonrpc2.RawMessage {
		t.Helper()
		var raw jsonrpc2.RawMessage
		if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}}, &raw); err != nil {
			t.Fatal(err)
		}
		return raw
	}
	fresh := map[string]jsonrpc2.RawMessage{}
	for _, text := range []string{good, bad} {
		e := start(t, Options{}, editorCaps{pull: true}, dir)
		e.waitIndexed()
		e.open(path, text)
		fresh[text] = answer(e)
		e.shutdown()
	}
	if bytes.Equal(fresh[good], fresh[bad]) {
		t.Fatal("the typo changes nothing")
	}
	e := start(t, Options{}, editorCaps{pull: true}, dir)
	e.waitIndexed()
	e.open(path, good)
	now := good
	for i := range 5 {
		if got := answer(e); !sameJSON(got, fresh[now]) {
			t.Fatalf("pull %d:\n got %s\nwant %s", i, got, fresh[now])
		}
		next := bad
		if now == bad {
			next = good
		}
		e.change(path, protocol.PositionEncodingKindUTF16, edit{0, len(now), next})
		now = next
	}
}

// sameJSON reports whether a and b encode the same value.
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
