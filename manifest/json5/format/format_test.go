package format

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// optionsOf returns the options a golden input is formatted with, from
// its name: NAME.tabs.json5 indents with tabs, NAME.tab4.json5 with four
// spaces.
func optionsOf(name string) Options {
	switch {
	case strings.HasSuffix(name, ".tabs.json5"):
		return Options{TabSize: 4, UseTabs: true}
	case strings.HasSuffix(name, ".tab4.json5"):
		return Options{TabSize: 4}
	}
	return Options{}
}

// TestGolden formats every testdata/*.json5 file and compares the result
// with testdata/*.golden (the error, for a text that is refused).
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
			opts := optionsOf(file)
			var got []byte
			if res := checkFormat(t, file, src, opts); res != nil {
				got = res.Text
			} else {
				_, err := File(json5.Parse(src), opts)
				got = []byte("refused: " + err.Error() + "\n")
			}
			golden.Check(t, strings.TrimSuffix(file, ".json5")+".golden", got)
		})
	}
}

// TestCorpus formats every JSON5 text of the repository and of Amber's
// corpus, and each prefix of each (the texts an editor holds while a file
// is typed): each result has all the properties of checkFormat.
func TestCorpus(t *testing.T) {
	texts := corpusTexts(t)
	names := make([]string, 0, len(texts))
	for name := range texts {
		names = append(names, name)
	}
	sort.Strings(names)
	formatted, refused := 0, 0
	for _, name := range names {
		src := texts[name]
		if checkFormat(t, name, src, Options{}) != nil {
			formatted++
		} else {
			refused++
		}
		checkFormat(t, name+" (tabs)", src, Options{UseTabs: true, TabSize: 8})
		step := max(len(src)/20, 1)
		for i := step; i < len(src); i += step {
			checkFormat(t, name+" (prefix)", src[:i], Options{})
		}
	}
	t.Logf("%d texts formatted, %d refused (syntax errors)", formatted, refused)
	if formatted < 100 {
		t.Errorf("only %d texts formatted", formatted)
	}
}

// TestRangeCorpus formats, in every text of the corpus, the ranges of
// twenty tokens spread over it: the result keeps every token and comment and
// parses, and formatting it whole gives the text formatted whole.
func TestRangeCorpus(t *testing.T) {
	for name, src := range corpusTexts(t) {
		f := json5.Parse(src)
		whole, err := File(f, Options{})
		if err != nil {
			continue
		}
		spans := tokenSpans(f)
		step := max(len(spans)/20, 1)
		for i := 0; i < len(spans); i += step {
			sp := spans[i]
			edits, err := Range(f, sp, Options{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkEdits(t, name, src, f, edits, apply(src, edits))
			got := apply(src, edits)
			g := json5.Parse(got)
			if refusal(g) != nil || !slicesEqual(tokens(g), tokens(f)) || !slicesEqual(commentTexts(g), commentTexts(f)) {
				t.Fatalf("%s: formatting %v gives a text with other tokens or comments:\n%s", name, sp, got)
			}
			again, err := File(g, Options{})
			if err != nil || !bytes.Equal(again.Text, whole.Text) {
				t.Fatalf("%s: after formatting %v, formatting the whole text gives\n%s\nnot\n%s", name, sp, again.Text, whole.Text)
			}
		}
	}
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRange formats ranges of one text: the smallest enclosing members,
// the collection of a span between members, the whole text from the
// root's brackets.
func TestRange(t *testing.T) {
	src := "{\n" +
		"    a: {x:1,\n" +
		"            y:   [1,2]},\n" +
		"    // about b\n" +
		"       b:    2,   // trailing\n" +
		"  c: [ 3,\n" +
		"  4 ],\n" +
		"  d: [\n" +
		"      5,\n" +
		"      6,\n" +
		"      ],\n" +
		"}\n"
	// unchanged returns src with the lines of from replaced by to.
	unchanged := func(from, to string) string { return strings.Replace(src, from, to, 1) }
	tests := []struct {
		name, at string // the span: the first occurrence of at
		want     string
	}{
		{"a member and its comments", "b:", unchanged("    // about b\n       b:    2,   // trailing\n", "  // about b\n  b: 2, // trailing\n")},
		{"two members", "b:    2,   // trailing\n  c", unchanged("    // about b\n       b:    2,   // trailing\n  c: [ 3,\n  4 ],\n", "  // about b\n  b: 2, // trailing\n  c: [\n    3,\n    4\n  ],\n")},
		{"the last element, up to the bracket", "6", unchanged("      6,\n      ],\n", "    6,\n  ],\n")},
		{"an element of a collection not laid out yet", "4", unchanged("  c: [ 3,\n  4 ],\n", "  c: [\n    3,\n    4\n  ],\n")},
		{"a member of a collection not laid out yet", "y:", unchanged("    a: {x:1,\n            y:   [1,2]},\n", "  a: {\n    x: 1,\n    y: [1, 2]\n  },\n")},
		{"inside a one-line collection", "2]", unchanged("    a: {x:1,\n            y:   [1,2]},\n", "  a: {\n    x: 1,\n    y: [1, 2]\n  },\n")},
		{"between members", "\n      ]", unchanged("  d: [\n      5,\n      6,\n      ],\n", "  d: [\n    5,\n    6,\n  ],\n")},
		{"the root's bracket", "{", "{\n  a: {\n    x: 1,\n    y: [1, 2]\n  },\n  // about b\n  b: 2, // trailing\n  c: [\n    3,\n    4\n  ],\n  d: [\n    5,\n    6,\n  ],\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := strings.Index(src, tt.at)
			f := json5.Parse([]byte(src))
			edits, err := Range(f, diag.Span{Start: at, End: at + len(tt.at)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := string(apply(f.Src, edits)); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestRefusals: texts with syntax errors, content after the root value or
// no value at all are refused with a SyntaxError naming the first problem.
func TestRefusals(t *testing.T) {
	tests := []struct{ src, want string }{
		{"{a: 1 b: 2}", "missing `,`"},
		{"{a: 1} x", "content after the end of the root value"},
		{"", "EOF while parsing value"},
		{"// only a comment\n", "EOF while parsing value"},
		{"{a: 'x}", "missing closing"},
		{"[" + strings.Repeat("[", json5.MaxDepth) + strings.Repeat("]", json5.MaxDepth+1), "nested more than"},
		{"{a: \"\xff\"}", "invalid UTF-8"},
	}
	for _, tt := range tests {
		_, err := Source([]byte(tt.src), Options{})
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want a SyntaxError about %q", tt.src, err, tt.want)
		}
	}
}

// TestEdits: formatting an already formatted text gives no edits; a
// re-indented text gives one edit per line, each only the indentation.
func TestEdits(t *testing.T) {
	formatted := "{\n  a: 1,\n  b: [\n    2,\n    3\n  ]\n}\n"
	res, err := File(json5.Parse([]byte(formatted)), Options{})
	if err != nil || len(res.Edits) > 0 {
		t.Fatalf("a formatted text: %v, edits %v", err, res.Edits)
	}
	indented := strings.ReplaceAll(formatted, "  ", "    ")
	res, err = File(json5.Parse([]byte(indented)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Edits) != 5 {
		t.Errorf("%d edits, want 5 (one per indented line): %v", len(res.Edits), res.Edits)
	}
	for _, e := range res.Edits {
		if e.NewText != "" || strings.Trim(indented[e.Span.Start:e.Span.End], " ") != "" {
			t.Errorf("edit %v %q: want the deletion of spaces", e.Span, e.NewText)
		}
	}
}

// FuzzFormat formats arbitrary text: a text with syntax errors is refused,
// any other has every property of checkFormat. Seeds: the golden inputs
// and testdata/fuzz/FuzzFormat.
//
//	go test -run='^$' -fuzz=FuzzFormat -fuzztime=4m ./manifest/json5/format/
func FuzzFormat(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json5")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src, uint8(0))
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, tab uint8) {
		opts := Options{TabSize: int(tab % 9), UseTabs: tab >= 128}
		if checkFormat(t, "input", src, opts) != nil {
			f := json5.Parse(src)
			spans := tokenSpans(f)
			step := max(len(spans)/8, 1)
			for i := 0; i < len(spans); i += step {
				sp := spans[i]
				edits, err := Range(f, sp, opts)
				if err != nil {
					t.Fatal(err)
				}
				checkEdits(t, "range", src, f, edits, apply(src, edits))
				if g := json5.Parse(apply(src, edits)); refusal(g) != nil || !slicesEqual(tokens(g), tokens(f)) {
					t.Fatalf("formatting %v breaks the text", sp)
				}
			}
		}
	})
}

// BenchmarkFormat formats the 10k-line generated manifest, against parsing
// it (json5.Parse) in the same run; Format includes its parse. The
// manifest is formatted already (no edits); Reindented is the same text
// indented by four spaces (an edit on every line). Twice the size must
// take about twice the time.
//
//	go test -run='^$' -bench=. -count=5 ./manifest/json5/format/
func BenchmarkFormat(b *testing.B) {
	for _, lines := range []int{10000, 20000} {
		src := testgen.GenerateManifest(lines)
		reindented := bytes.ReplaceAll(src, []byte("\n"), []byte("\n  "))
		b.Run(sizeName(lines)+"/Parse", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				json5.Parse(src)
			}
		})
		for _, in := range []struct {
			name string
			src  []byte
		}{{"Format", src}, {"Reindented", reindented}} {
			b.Run(sizeName(lines)+"/"+in.name, func(b *testing.B) {
				b.SetBytes(int64(len(in.src)))
				for b.Loop() {
					if _, err := File(json5.Parse(in.src), Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func sizeName(lines int) string { return strconv.Itoa(lines/1000) + "k-lines" }
