package json5

import (
	"bytes"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestParseSharedStrings checks what each parse's strings are cut from:
// ParseShared's from the text it was given, Parse's from a copy, so that
// a caller of Parse may reuse its buffer, and both give the same tree.
func TestParseSharedStrings(t *testing.T) {
	src := []byte(`{name: "plain value", "quoted key": 'x', list: ["a", 1]}`)
	within := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
		return p >= lo && p < lo+uintptr(len(src))
	}
	for _, tc := range []struct {
		name   string
		parse  func([]byte) *File
		shared bool
	}{
		{"Parse", Parse, false},
		{"ParseShared", ParseShared, true},
	} {
		f := tc.parse(src)
		if len(f.Errors) > 0 {
			t.Fatalf("%s: errors %v", tc.name, f.Errors)
		}
		name := f.Root().Member("name")
		if name == nil || name.Value.Text != "plain value" {
			t.Fatalf("%s: member name = %+v, want the string \"plain value\"", tc.name, name)
		}
		for _, s := range []string{name.Key.Name, name.Value.Text, f.Root().Member("quoted key").Key.Name} {
			if within(s) != tc.shared {
				t.Errorf("%s: %q is cut from the text given: %v, want %v", tc.name, s, within(s), tc.shared)
			}
		}
	}
}

// parseScanned parses src as Parse did before it scanned its tokens as it
// read them: the whole token list first, then the tree.
func parseScanned(src []byte) *File {
	text := string(src)
	sc := scanAll(text, 0, nil)
	return newParser(text, 0, len(src), sc).file(src, sc)
}

// sameAsScanned fails unless Parse gives src the file parseScanned gives
// it, with every chunk size in chunks.
func sameAsScanned(t testing.TB, what string, src []byte, chunks ...int) {
	t.Helper()
	want := parseScanned(src)
	defer func(n int) { streamChunk = n }(streamChunk)
	for _, n := range chunks {
		streamChunk = n
		got := Parse(src)
		switch {
		case !reflect.DeepEqual(got.Errors, want.Errors):
			t.Fatalf("%s, chunks of %d tokens: errors differ:\n got %v\nwant %v\ntext %q", what, n, got.Errors, want.Errors, trunc(src))
		case got.SpanGrammarOK != want.SpanGrammarOK:
			t.Fatalf("%s, chunks of %d tokens: SpanGrammarOK = %v, want %v", what, n, got.SpanGrammarOK, want.SpanGrammarOK)
		case !sameTree(got.Root(), want.Root()):
			t.Fatalf("%s, chunks of %d tokens: trees differ:\n got %s\nwant %s", what, n, dump(got), dump(want))
		}
	}
}

// TestParseStreamed checks that scanning the tokens as the parse reads
// them, a chunk at a time, changes nothing: every corpus text, and each
// cut short and with bytes changed at random (texts whose errors ask for
// the hint scan over every token, from wherever the parse is then), with
// chunks of a few tokens (a chunk boundary at nearly every token) and of
// the size Parse uses.
func TestParseStreamed(t *testing.T) {
	const mutations = "{}[]:,\"'/\n\x00\xff"
	rng := rand.New(rand.NewSource(1))
	broken := 0
	for name, src := range reparseCorpus(t) {
		sameAsScanned(t, name, src, 1, 2, 3, 7, 512)
		for range 20 {
			b := bytes.Clone(src[:rng.Intn(len(src)+1)])
			for range rng.Intn(4) {
				if len(b) > 0 {
					b[rng.Intn(len(b))] = mutations[rng.Intn(len(mutations))]
				}
			}
			if len(Parse(b).Errors) > 0 {
				broken++
			}
			sameAsScanned(t, name+" changed", b, 1, 2, 5, 512)
		}
	}
	if broken < 100 {
		t.Fatalf("only %d of the changed texts have errors; the hint scan is barely exercised", broken)
	}
}

// TestFirstError checks the first error of texts whose recovery finds more
// than Amber reports: Amber reports the first error its parser meets, and
// so must the first error listed be. ‸ marks where it lies (and is not part
// of the text); count is how many syntax errors are listed in all.
func TestFirstError(t *testing.T) {
	tests := []struct {
		name, src, label string
		count            int
	}{
		// Amber's json5 test parse_error_unterminated_string_points_to_open_quote:
		// the string swallowed the `}`, which is not reported missing.
		{"unterminated string swallows the closer", `{ a: ‸"unterminated }`, "unterminated string (missing closing quote)", 1},
		{"unterminated string to the end of the line", "{\n  manifest_version: \"0.1.0\",\n  metadata: { a: ‸\"abc }\n", "unterminated string (missing closing quote)", 1},
		{"wrong closer of an array", `{ manifest_version: "0.1.0", metadata: [1, 2‸}`, "missing `,`", 1},
		{"wrong closer of an object", `{ manifest_version: "0.1.0", components: { a: "./a.json5" ‸] }`, "missing `,`", 1},
		{"wrong closer of an object in an array", `[{a: 1, b: 2‸]`, "missing `,`", 1},
		{"wrong closer of an empty object", `[{‸]`, "expected identifier", 1},
		{"wrong closer after a comma", `[{a: 1,‸]`, "expected identifier", 1},
		{"wrong closer of an empty array", `{a: [‸}`, "expected value", 1},
		{"member after an unclosed array", `{a: [1, ‸b: 2}`, "expected value", 1},
		{"one error for one character: a key with a dash", `{ metadata: { a‸-b: 1 } }`, "missing `:`", 1},
		{"one error for one character: a stray closer", `{ metadata: ‸] }`, "expected value", 1},
		{"unclosed object after an earlier error", `{ a: 1 ‸b: 2`, "missing `,`", 1},
		{"an unclosed inner array is still reported", `{ a: 1 ‸b: [2`, "missing `,`", 2},

		// The end of the input inside a token has a label of its own,
		// at the innermost container being read (no hint).
		{"end in null", `‸{ manifest_version: "0.1.0", metadata: nu`, "unexpected EOF while parsing null", 1},
		{"end in a bool", `{ a: ‸{ b: tr`, "unexpected EOF while parsing bool", 1},
		{"end in false", `‸{ a: fals`, "unexpected EOF while parsing bool", 1},
		{"end after a sign", `‸{ a: -`, "unexpected EOF while parsing number", 1},
		{"end in Infinity", `‸{ a: Inf`, "unexpected EOF while parsing number", 1},
		{"end in -Infinity", `‸{ a: -Inf`, "unexpected EOF while parsing number", 1},
		{"end in NaN", `‸{ a: Na`, "unexpected EOF while parsing number", 1},
		{"end after 0x", `‸{ a: 0x`, "unexpected EOF while parsing number", 1},
		{"end in a key", `{ a: ‸{ b`, "unexpected EOF while parsing identifier", 1},
		{"end after a backslash in a key", `{ a: ‸{ b\`, "unexpected EOF while parsing identifier", 1},
		{"end in an escape in a key", `{ a: ‸{ b\u00`, "unexpected EOF while parsing escape sequence", 1},
		{"end after a backslash in a string", `‸{ a: "\`, "unexpected EOF while parsing escape sequence", 1},
		{"end in a unicode escape", `‸{ a: "x\u12`, "unexpected EOF while parsing escape sequence", 1},
		{"end in a hex escape", `‸{ a: "x\x4`, "unexpected EOF while parsing escape sequence", 1},
		{"end after a high surrogate", `‸{ a: "\uD800`, "unexpected EOF while parsing escape sequence", 1},
		{"end in a low surrogate", `‸{ a: "\uD800\uDC`, "unexpected EOF while parsing escape sequence", 1},
		{"end after a slash", `‸{ a: { b: 1 } /`, "unexpected EOF while parsing comment", 1},
		{"end in a literal at the top", `tr‸`, "unexpected EOF while parsing bool", 1},
		{"end in a string: the hint", `{ a: ‸"abc`, "unterminated string (missing closing quote)", 1},
		{"a bad escape before the end comes first", `{ a: "x‸\1`, "invalid escape sequence", 1},

		// A key's \u escape must decode to a character that may stand
		// there (Amber's parse_identifier): not an escape error.
		{"an escape that cannot start a key", `{ ‸\u0030a: 1 }`, "expected identifier", 1},
		{"an escape that cannot go on a key", `{ a‸\u002db: 1 }`, "expected identifier", 1},
		{"an escape of a space in a key", `{ a‸\u0020: 1 }`, "expected identifier", 1},
		{"an escape in a key that is not \\u", `{ a‸\x41: 1 }`, "invalid escape sequence", 1},
		{"an escape in a key with bad digits", `{ ‸\u00zz: 1 }`, "invalid escape sequence", 1},
		{"end in a block comment: no hint", `‸{ a: 1 /* x`, "unexpected EOF while parsing object", 1},
		{"end after a value", `‸{ a: true`, "missing closing `}` for object opened here", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := strings.Index(tt.src, "‸")
			src := []byte(strings.Replace(tt.src, "‸", "", 1))
			f := Parse(src)
			checkFile(t, src, f)
			if len(f.Errors) == 0 {
				t.Fatalf("no errors, want %q at %d", tt.label, at)
			}
			if e := f.Errors[0]; e.Span.Start != at || e.Label != tt.label {
				t.Errorf("first error %q at %d, want %q at %d (all: %v)", e.Label, e.Span.Start, tt.label, at, f.Errors)
			}
			if len(f.Errors) != tt.count {
				t.Errorf("%d errors, want %d: %v", len(f.Errors), tt.count, f.Errors)
			}
		})
	}
}

// TestEndOfInput checks which errors say that the input ended early, and
// what it cut short.
func TestEndOfInput(t *testing.T) {
	tests := []struct {
		src, what string
		ok        bool
	}{
		{`{ a: `, "", true},                  // the hint: missing closing `}`
		{`{ a: 1 /* x`, "", true},            // no hint: unexpected EOF while parsing object
		{`{ a: tr`, "bool", true},            // a token cut short
		{`{ a: "\`, "escape sequence", true}, // one in a string
		{`{ a: "abc`, "", false},             // a string missing its quote is not said to be cut short
		{`{ a: 1 b: 2 }`, "", false},         // missing `,`
	}
	for _, tt := range tests {
		f := Parse([]byte(tt.src))
		if len(f.Errors) == 0 {
			t.Fatalf("%q: no errors", tt.src)
		}
		if what, ok := f.Errors[0].EndOfInput(); what != tt.what || ok != tt.ok {
			t.Errorf("%q: EndOfInput of %q = %q, %v; want %q, %v", tt.src, f.Errors[0].Label, what, ok, tt.what, tt.ok)
		}
	}
}

// TestErrorSpanIsOneCharacter: a syntax error spans the character it is
// at, however many bytes it takes, as Amber's spans do (the end of a line
// or of the input gives a zero-width span).
func TestErrorSpanIsOneCharacter(t *testing.T) {
	tests := []struct {
		name, src, label string
		width            int
	}{
		{"an ASCII character", `{ ‸-a: 1 }`, "expected identifier", 1},
		{"a combining mark cannot start a key", "{ ‸\u0301a: 1 }", "expected identifier", 2},
		{"a symbol cannot start a key", `{ ‸€: 1 }`, "expected identifier", 3},
		{"an emoji where a comma belongs", `{ a: 1 ‸😀: 2 }`, "missing `,`", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := strings.Index(tt.src, "‸")
			src := []byte(strings.Replace(tt.src, "‸", "", 1))
			f := Parse(src)
			if len(f.Errors) == 0 {
				t.Fatalf("no errors, want %q at %d", tt.label, at)
			}
			e := f.Errors[0]
			if e.Label != tt.label || e.Span.End-e.Span.Start != tt.width {
				t.Errorf("first error %q at %v, want %q %d bytes wide", e.Label, e.Span, tt.label, tt.width)
			}
		})
	}
}
