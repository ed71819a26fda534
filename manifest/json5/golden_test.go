package json5

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/source"
)

// TestGolden parses every testdata/*.json5 file and compares the errors and
// the tree with testdata/*.golden. Each file must also print back byte for
// byte and satisfy the range invariants.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json5")
	if len(files) == 0 {
		t.Fatal("no testdata/*.json5 files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f := Parse(src)
			checkFile(t, src, f)
			checkGolden(t, strings.TrimSuffix(file, ".json5")+".golden", dump(f))
		})
	}
}

// TestGeneratedInputs covers inputs that are impractical as files: deep
// nesting far beyond MaxDepth (which must not overflow the stack).
func TestGeneratedInputs(t *testing.T) {
	deep := func(open, close string, n int) []byte {
		return []byte(strings.Repeat(open, n) + "1" + strings.Repeat(close, n))
	}
	tests := []struct {
		name    string
		src     []byte
		tooDeep int // number of codes.NestingTooDeep errors
	}{
		{"deep_arrays", deep("[", "]", MaxDepth+1), 1},
		{"deep_objects", deep("{a:", "}", MaxDepth+1), 1},
		{"deep_arrays_unclosed", []byte(strings.Repeat("[", 200000)), 1},
		{"deep_objects_unclosed", []byte(strings.Repeat("{a:", 200000)), 1},
		{"deep_mixed", []byte(strings.Repeat("[{x:", 100000) + strings.Repeat("}]", 100000)), 1},
		// Stray containers where a key belongs are skipped, not built.
		{"deep_stray_braces", []byte("{" + strings.Repeat("{", 200000)), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse(tt.src)
			checkFile(t, tt.src, f)
			n := 0
			for _, e := range f.Errors {
				if e.Code == codes.NestingTooDeep {
					n++
				}
			}
			if n != tt.tooDeep {
				t.Fatalf("got %d %s errors, want %d: %v", n, codes.NestingTooDeep, tt.tooDeep, f.Errors)
			}
			if depth := treeDepth(f.Root()); depth > MaxDepth+1 {
				t.Errorf("tree depth %d exceeds MaxDepth", depth)
			}
			_ = f.Root().Value() // must not recurse past the limit either
		})
	}

	// The error points at the first bracket past the limit and says so.
	f0 := Parse(deep("[", "]", MaxDepth+1))
	want := Error{Code: codes.NestingTooDeep, Label: "nested too deeply",
		Message: "objects and arrays are nested more than 512 levels deep here; the content is not analysed"}
	if len(f0.Errors) != 1 {
		t.Fatalf("%d errors, want 1: %v", len(f0.Errors), f0.Errors)
	}
	got := f0.Errors[0]
	if got.Code != want.Code || got.Label != want.Label || got.Message != want.Message || got.Span.Start != MaxDepth || got.Span.End != MaxDepth+1 {
		t.Errorf("too-deep error = %+v, want %+v at [%d-%d]", got, want, MaxDepth, MaxDepth+1)
	}

	// Exactly MaxDepth levels are fine.
	src := deep("[", "]", MaxDepth)
	f := Parse(src)
	if len(f.Errors) != 0 {
		t.Errorf("%d nested arrays: unexpected errors %v", MaxDepth, f.Errors)
	}
	if d := treeDepth(f.Root()); d != MaxDepth+1 {
		t.Errorf("%d nested arrays: depth %d, want %d (the innermost number included)", MaxDepth, d, MaxDepth+1)
	}
}

func treeDepth(n *Node) int {
	if n == nil {
		return 0
	}
	d := 0
	for _, m := range n.Members {
		d = max(d, treeDepth(m.Value))
	}
	for _, e := range n.Elems() {
		d = max(d, treeDepth(e))
	}
	return d + 1
}

// dump renders a parse result for golden files: the errors with 1-based
// line:column ranges (code points), then the tree with byte ranges.
func dump(f *File) []byte {
	var b bytes.Buffer
	lines := source.NewLines(f.Src)
	pos := func(off int) string {
		p := lines.Position(off, source.CodePoint)
		return fmt.Sprintf("%d:%d", p.Line+1, p.Column+1)
	}
	fmt.Fprintf(&b, "errors: %d\n", len(f.Errors))
	for _, e := range f.Errors {
		fmt.Fprintf(&b, "  %s-%s [%d-%d] %s %s: %s\n", pos(e.Span.Start), pos(e.Span.End), e.Span.Start, e.Span.End, e.Severity, e.Code, e.Label)
		if e.Message != "" && e.Message != e.Label {
			fmt.Fprintf(&b, "    message: %s\n", e.Message)
		}
	}
	grammar := "ok"
	if !f.SpanGrammarOK {
		grammar = "rejected"
	}
	fmt.Fprintf(&b, "span grammar: %s\n", grammar)
	if f.Root() == nil {
		b.WriteString("tree: none\n")
		return b.Bytes()
	}
	b.WriteString("tree:\n")
	dumpNode(&b, f.Root(), "  ")
	return b.Bytes()
}

func dumpNode(b *bytes.Buffer, n *Node, indent string) {
	fmt.Fprintf(b, "%s%s [%d-%d]", indent, n.Kind, n.Start, n.End)
	switch n.Kind {
	case Object, Array:
		if !n.Closed {
			b.WriteString(" unclosed")
		}
	case String:
		fmt.Fprintf(b, " %q", n.Text)
	case Invalid:
		fmt.Fprintf(b, " %q", n.Text)
		if n.Found() != "" {
			fmt.Fprintf(b, " found=%s", n.Found())
		}
		if n.Detail() != "" {
			fmt.Fprintf(b, " detail=%q", n.Detail())
		}
	default:
		fmt.Fprintf(b, " %s", n.Text)
	}
	b.WriteString("\n")
	for _, m := range n.Members {
		q := ""
		if m.Key.Quoted {
			q = " quoted"
		}
		fmt.Fprintf(b, "%s  key %q [%d-%d]%s colon=%d comma=%d\n", indent, m.Key.Name, m.Key.Start, m.Key.End, q, m.Colon, m.Comma)
		dumpNode(b, m.Value, indent+"    ")
	}
	for _, e := range n.Elems() {
		dumpNode(b, e, indent+"  ")
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}
