package json5

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/txtar"
)

// checkFile asserts the properties every parse must have, whatever the
// input: Print reproduces it byte for byte, every error span lies within
// the file, every node lies within its parent and the file, siblings do not
// overlap and come in source order, and recorded punctuation is where the
// tree says.
func checkFile(t testing.TB, src []byte, f *File) {
	t.Helper()
	if got := f.Print(); !bytes.Equal(got, src) {
		t.Fatalf("Print does not reproduce the input:\n got %q\nwant %q", trunc(got), trunc(src))
	}
	if !bytes.Equal(f.Src, src) {
		t.Fatalf("File.Src is not the input")
	}
	for _, e := range f.Errors {
		if e.Span.Start < 0 || e.Span.End < e.Span.Start || e.Span.End > len(src) {
			t.Fatalf("error %q span %v outside [0,%d]", e.Label, e.Span, len(src))
		}
		if e.Code == "" || e.Label == "" {
			t.Fatalf("error without code or label: %+v", e)
		}
	}
	last := -1 // the offset of the last json5_error
	for i, e := range f.Errors {
		if i > 0 && e.Span.Start < f.Errors[i-1].Span.Start {
			t.Fatalf("errors out of source order: %v before %v", f.Errors[i-1].Span, e.Span)
		}
		if e.Code == codes.JSON5Error {
			if e.Span.Start <= last {
				t.Fatalf("two syntax errors at one character, %d: %v", last, f.Errors)
			}
			last = e.Span.Start
		}
	}
	if f.Root() != nil {
		checkNode(t, src, f.Root(), 0, len(src))
	}
}

func checkNode(t testing.TB, src []byte, n *Node, lo, hi int) {
	t.Helper()
	if n == nil {
		t.Fatalf("nil node")
	}
	if n.Start < lo || n.End < n.Start || n.End > hi {
		t.Fatalf("%s node [%d-%d] outside its parent [%d-%d]", n.Kind, n.Start, n.End, lo, hi)
	}
	// A node has an ext only when it needs one, and only for what its
	// kind needs.
	if x := n.ext; x != nil {
		if x.strMap == nil && x.members == nil && x.elems == nil ||
			x.strMap != nil && n.Kind != String || x.members != nil && n.Kind != Object || x.elems != nil && n.Kind != Array {
			t.Fatalf("%s node [%d-%d] has ext %+v", n.Kind, n.Start, n.End, *x)
		}
	}
	switch n.Kind {
	case Object:
		if src[n.Start] != '{' {
			t.Fatalf("object at %d does not start with '{'", n.Start)
		}
		if n.Closed && src[n.End-1] != '}' {
			t.Fatalf("closed object [%d-%d] does not end with '}'", n.Start, n.End)
		}
		at := n.Start + 1
		for _, m := range n.Members {
			k := m.Key
			if k.Start < at || k.End <= k.Start || k.End > n.End {
				t.Fatalf("key %q [%d-%d] outside object [%d-%d] or before %d", k.Name, k.Start, k.End, n.Start, n.End, at)
			}
			if m.Colon >= 0 && (m.Colon < k.End || src[m.Colon] != ':') {
				t.Fatalf("key %q: colon offset %d does not hold ':'", k.Name, m.Colon)
			}
			if m.Value == nil {
				t.Fatalf("key %q has a nil value", k.Name)
			}
			checkNode(t, src, m.Value, k.End, n.End)
			if m.Comma >= 0 && (m.Comma < m.Value.End || m.Comma >= n.End || src[m.Comma] != ',') {
				t.Fatalf("key %q: comma offset %d does not hold ',' after the value", k.Name, m.Comma)
			}
			at = max(m.Value.End, m.Comma+1)
		}
	case Array:
		if src[n.Start] != '[' {
			t.Fatalf("array at %d does not start with '['", n.Start)
		}
		if n.Closed && src[n.End-1] != ']' {
			t.Fatalf("closed array [%d-%d] does not end with ']'", n.Start, n.End)
		}
		at := n.Start + 1
		for _, e := range n.Elems() {
			checkNode(t, src, e, at, n.End)
			at = e.End
		}
	case String:
		q := src[n.Start]
		if q != '"' && q != '\'' {
			t.Fatalf("string at %d does not start with a quote", n.Start)
		}
		// Decoded offsets map monotonically into the string's body.
		prev := n.Start + 1
		for i := 0; i <= len(n.Text); i++ {
			o := n.SourceOffset(i)
			if o < prev || o > n.End {
				t.Fatalf("string [%d-%d]: SourceOffset(%d) = %d, previous %d", n.Start, n.End, i, o, prev)
			}
			prev = o
		}
	}
}

func trunc(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// manifestTexts returns every manifest this repository holds (the golden
// inputs and the manifests of the marker cases) and, when present beside the
// repository, the manifests of Amber's corpus, by name.
func manifestTexts(t *testing.T) map[string][]byte {
	out, err := txtar.Glob("../testdata/markers/*.txtar", ".json5")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/*.json5")
	files = append(files, corpus.Glob(t, "conformance/ui/*.json5")...)
	files = append(files, corpus.Glob(t, "conformance/examples/*/*.json5")...)
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		out[file] = src
	}
	return out
}

// TestRoundTripCorpus checks the properties on every manifest this
// repository and Amber's corpus hold, and on each of their prefixes (the
// states an editor passes through while typing).
func TestRoundTripCorpus(t *testing.T) {
	srcs := manifestTexts(t)
	if len(srcs) < 10 {
		t.Fatalf("only %d corpus files found", len(srcs))
	}
	for _, src := range srcs {
		checkFile(t, src, Parse(src))
		step := max(len(src)/40, 1)
		for i := 0; i < len(src); i += step {
			checkFile(t, src[:i], Parse(src[:i]))
		}
	}
}

// TestRoundTripRandom checks the properties on random inputs built from
// JSON5 fragments (likely to exercise recovery) and on random bytes.
func TestRoundTripRandom(t *testing.T) {
	fragments := []string{
		"{", "}", "[", "]", ":", ",", " ", "\n", "\r\n", "\r", "\t", "// c\n", "/* c */", "/*", "*/", "/",
		`"s"`, `'s'`, `"`, `'`, `"a\"b"`, `"\u00e9"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\x41"`, `"\1"`, "\"a\\\nb\"",
		"key", "$k", "_k", "\\u0061b", "é", "中", "😀", "true", "false", "null", "tru", "nul",
		"0", "1", "-1", "+1", "0x1F", "0x", "1.5", ".5", "5.", "1e3", "1.2.3", "00", "Infinity", "-Infinity", "NaN", "Infin",
		"@", "#", "=", "\x00", "\xff", "\xef\xbb\xbf", "\u2028", "\u00a0",
	}
	rng := rand.New(rand.NewSource(1))
	for range 3000 {
		var b strings.Builder
		for range rng.Intn(40) {
			b.WriteString(fragments[rng.Intn(len(fragments))])
		}
		src := []byte(b.String())
		checkFile(t, src, Parse(src))
	}
	for range 2000 {
		src := make([]byte, rng.Intn(64))
		rng.Read(src)
		checkFile(t, src, Parse(src))
	}
}

// TestValidInputsHaveNoErrors parses well-formed JSON5 documents: no error
// at all, and Value gives the expected Go value.
func TestValidInputsHaveNoErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string // fmt %v of Value()
	}{
		{`{}`, `map[]`},
		{`[]`, `[]`},
		{`{a: 1, 'b': "x", "c": [true, false, null],}`, `map[a:1 b:x c:[true false <nil>]]`},
		{`[0x10, -0X1f, .5, 5., +1, 1e2, -Infinity, NaN]`, `[16 -31 0.5 5 1 100 <nil> <nil>]`},
		{"'it\\'s' // trailing comment", `it's`},
		{"\"\\b\\t\\n\\v\\f\\r\\0\\x41\\u00e9\\ud83d\\ude00\\'\\\"\\\\\\/\\a\"", "\b\t\n\v\f\r\x00Aé😀'\"\\/a"},
		{"\"line \\\ncontinued\"", `line continued`},
		{"\xef\xbb\xbf{k: 1}", `map[k:1]`},
		{"{\r\n  a: 1,\r\n}\r\n", `map[a:1]`},
		{"{\\u0061bc: 1, $_ok: 2, ünï: 3}", `map[$_ok:2 abc:1 ünï:3]`},
		{"{a: 1, a: 2}", `map[a:2]`},
	}
	for _, tt := range tests {
		f := Parse([]byte(tt.src))
		checkFile(t, []byte(tt.src), f)
		for _, e := range f.Errors {
			if e.Code != codes.ByteOrderMark {
				t.Errorf("%q: unexpected error %s %q at %v", tt.src, e.Code, e.Label, e.Span)
			}
		}
		if got := fmt.Sprint(f.Root().Value()); got != tt.want {
			t.Errorf("%q: Value() = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestLinearInComments guards against the quadratic scan once caused by
// copying the rest of the input at every block comment: 600 kB of comments
// took 8 s, it takes well under one.
func TestLinearInComments(t *testing.T) {
	src := []byte("[" + strings.Repeat("/**/1,", 100000) + "]")
	start := time.Now()
	f := Parse(src)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("parsing %d bytes of comments took %v", len(src), d)
	}
	if len(f.Errors) != 0 || len(f.Root().Elems()) != 100000 {
		t.Errorf("%d errors, %d elements", len(f.Errors), len(f.Root().Elems()))
	}
}
