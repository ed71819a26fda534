package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// src is a parsed JSON5 text kept with its source, so tests can check
// which text an error's node covers.
type src struct {
	text string
	root *json5.Node
}

// parse parses JSON5 text; "" stands for an absent value (nil node).
func parse(t *testing.T, text string) src {
	t.Helper()
	if text == "" {
		return src{}
	}
	f := json5.Parse([]byte(text))
	if f.HasSyntaxErrors() || f.Root() == nil {
		t.Fatalf("bad JSON5 %q: %v", text, f.Errors)
	}
	return src{text: text, root: f.Root()}
}

// nodeText returns the source text of node n of s.
func (s src) nodeText(n *json5.Node) string {
	if n == nil {
		return "<nil>"
	}
	return s.text[n.Start:n.End]
}

// schema parses a schema text ("" = no schema).
func schema(t *testing.T, text string) *json5.Node { return parse(t, text).root }

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}

// lineCol returns the 1-based line and code-point column of a byte offset.
func lineCol(text string, off int) (int, int) {
	before := text[:off]
	line := strings.Count(before, "\n") + 1
	col := len([]rune(before[strings.LastIndex(before, "\n")+1:])) + 1
	return line, col
}

// errText renders an error as "message @pointer" ("-" when unlocated), or
// "ok" for nil.
func errText(e *Error) string {
	if e == nil {
		return "ok"
	}
	if !e.Located {
		return e.Message() + " @-"
	}
	return e.Message() + " @" + e.PointerString()
}
