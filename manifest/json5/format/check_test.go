package format

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/txtar"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// checkFormat formats src and asserts what formatting promises: a text
// with syntax errors is refused and nothing else is; the edits are sorted,
// leave every token alone and give the formatted text; the formatted text
// has the same tokens, in the same order, the same comments, checks with
// the same diagnostics (spans mapped through the edits), and is its own
// formatting. It returns the result (nil when refused).
func checkFormat(t testing.TB, name string, src []byte, opts Options) *Result {
	t.Helper()
	f := json5.Parse(src)
	res, err := File(f, opts)
	wantRefusal := refusal(f) != nil
	if errors.Is(err, ErrTooLarge) && !wantRefusal {
		return nil // deep nesting
	}
	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) || !wantRefusal {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := Range(f, diag.Span{}, opts); err == nil {
			t.Fatalf("%s: Range formats a text File refuses", name)
		}
		return nil
	}
	if wantRefusal {
		t.Fatalf("%s: formatted a text with syntax errors", name)
	}
	checkEdits(t, name, src, f, res.Edits, res.Text)
	g := json5.Parse(res.Text)
	if err := refusal(g); err != nil {
		t.Fatalf("%s: the formatted text does not parse: %v\n%s", name, err, res.Text)
	}
	if !reflect.DeepEqual(g.Root().Value(), f.Root().Value()) {
		t.Fatalf("%s: the formatted text has other values:\n%s", name, res.Text)
	}
	if got, want := tokens(g), tokens(f); !slices.Equal(got, want) {
		t.Fatalf("%s: the formatted text has other tokens:\n got %q\nwant %q\n%s", name, got, want, res.Text)
	}
	if got, want := commentTexts(g), commentTexts(f); !slices.Equal(got, want) {
		t.Fatalf("%s: the formatted text has other comments:\n got %q\nwant %q", name, got, want)
	}
	again, err := File(g, opts)
	if err != nil || len(again.Edits) > 0 || string(again.Text) != string(res.Text) {
		t.Fatalf("%s: formatting is not idempotent (%v); edits %v; first:\n%s\nsecond:\n%s", name, err, again.Edits, res.Text, again.Text)
	}
	checkDiagnostics(t, name, src, res)
	return res
}

// checkEdits checks that edits are sorted, do not overlap, touch no token
// of f, and turn src into want.
func checkEdits(t testing.TB, name string, src []byte, f *json5.File, edits []Edit, want []byte) {
	t.Helper()
	spans := tokenSpans(f)
	at := 0
	for _, e := range edits {
		if e.Span.Start < at || e.Span.End < e.Span.Start || e.Span.End > len(src) {
			t.Fatalf("%s: edit %v out of order or outside the text", name, e)
		}
		at = e.Span.End
		i, _ := slices.BinarySearchFunc(spans, e.Span.Start, func(s diag.Span, off int) int { return s.End - off })
		for ; i < len(spans) && spans[i].Start < e.Span.End; i++ {
			if spans[i].End > e.Span.Start {
				t.Fatalf("%s: edit %v %q changes the token %q", name, e.Span, e.NewText, src[spans[i].Start:spans[i].End])
			}
		}
	}
	if got := apply(src, edits); string(got) != string(want) {
		t.Fatalf("%s: the edits give\n%s\nnot the formatted text\n%s", name, got, want)
	}
}

// apply applies sorted, non-overlapping edits.
func apply(src []byte, edits []Edit) []byte {
	var b []byte
	at := 0
	for _, e := range edits {
		b = append(b, src[at:e.Span.Start]...)
		b = append(b, e.NewText...)
		at = e.Span.End
	}
	return append(b, src[at:]...)
}

// tokenSpans returns the spans of the tokens of f other than commas (keys,
// colons, scalars, brackets), sorted.
func tokenSpans(f *json5.File) []diag.Span {
	var out []diag.Span
	var walk func(n *json5.Node)
	walk = func(n *json5.Node) {
		switch n.Kind {
		case json5.Object, json5.Array:
			out = append(out, diag.Span{Start: n.Start, End: n.Start + 1})
			for _, m := range n.Members {
				out = append(out, m.Key.Span(), diag.Span{Start: m.Colon, End: m.Colon + 1})
				walk(m.Value)
			}
			for _, e := range n.Elems() {
				walk(e)
			}
			out = append(out, diag.Span{Start: n.End - 1, End: n.End})
		default:
			out = append(out, n.Span())
		}
	}
	if f.Root() != nil {
		walk(f.Root())
	}
	return out
}

// tokens returns the text of every token of f but commas, in order.
func tokens(f *json5.File) []string {
	var out []string
	for _, s := range tokenSpans(f) {
		out = append(out, string(f.Src[s.Start:s.End]))
	}
	return out
}

// commentTexts returns the comments of f, each line without its
// indentation.
func commentTexts(f *json5.File) []string {
	var out []string
	for _, c := range f.Comments() {
		lines := strings.FieldsFunc(string(f.Src[c.Start:c.End]), func(r rune) bool { return r == '\n' || r == '\r' })
		for i := range lines {
			lines[i] = strings.TrimLeft(lines[i], " \t")
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return out
}

// checkDiagnostics checks that the formatted text checks as the original
// did: the same codes, severities and messages, in the same order, with
// every label's span moved by the edits.
func checkDiagnostics(t testing.TB, name string, src []byte, res *Result) {
	t.Helper()
	const path = "/amber-lsp-format-test/manifest.json5"
	before := manifest.Analyze(path, src).Diagnostics
	after := manifest.Analyze(path, res.Text).Diagnostics
	describe := func(ds []diag.Diagnostic, move func(int, bool) int) []string {
		var out []string
		for _, d := range ds {
			s := fmt.Sprintf("%s %s %q", d.Severity, d.Code, d.Message)
			for _, l := range d.Labels {
				s += fmt.Sprintf(" [%d-%d %q]", move(l.Span.Start, true), move(l.Span.End, false), l.Message)
			}
			out = append(out, s)
		}
		return out
	}
	same := func(off int, _ bool) int { return off }
	moved := func(off int, start bool) int { return moveOffset(res.Edits, off, start) }
	if got, want := describe(after, same), describe(before, moved); !slices.Equal(got, want) {
		t.Fatalf("%s: the formatted text checks differently:\n got %q\nwant %q", name, got, want)
	}
}

// moveOffset maps an offset of the original text to the formatted one. An
// insertion at the offset comes before a token that starts there, after
// one that ends there.
func moveOffset(edits []Edit, off int, start bool) int {
	delta := 0
	for _, e := range edits {
		if e.Span.End > off || !start && e.Span.Start == off {
			break
		}
		delta += len(e.NewText) - (e.Span.End - e.Span.Start)
	}
	return off + delta
}

// corpusTexts returns every JSON5 text the repository holds, by name:
// manifests and other .json5/.json files, the files of the marker
// archives, the fuzz seeds, and Amber's corpus when it is present.
func corpusTexts(t testing.TB) map[string][]byte {
	t.Helper()
	root := "../../.."
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(path, ".json5") || strings.HasSuffix(path, ".json"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out[path] = src
		case strings.HasSuffix(path, ".txtar"):
			for _, suffix := range []string{".json5", ".json"} {
				files, err := txtar.Glob(path, suffix)
				if err != nil {
					return err
				}
				for name, src := range files {
					out[name] = src
				}
			}
		case strings.Contains(filepath.ToSlash(path), "/testdata/fuzz/"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, seed := range fuzzSeeds(src) {
				out[fmt.Sprintf("%s#%d", path, i)] = seed
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"conformance/ui/*.json5", "conformance/examples/*/*.json5", "conformance/examples/*/*/*.json5", "conformance/examples/*/*.json"} {
		for _, path := range corpus.Glob(t, pattern) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out[path] = src
		}
	}
	return out
}

// fuzzSeeds returns the []byte and string values of a Go fuzz corpus file.
func fuzzSeeds(file []byte) [][]byte {
	var out [][]byte
	for _, line := range strings.Split(string(file), "\n") {
		for _, prefix := range []string{"[]byte(", "string("} {
			if lit, ok := strings.CutPrefix(line, prefix); ok && strings.HasSuffix(lit, ")") {
				if s, err := strconv.Unquote(strings.TrimSuffix(lit, ")")); err == nil {
					out = append(out, []byte(s))
				}
			}
		}
	}
	return out
}
