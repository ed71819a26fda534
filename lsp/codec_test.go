package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/internal/cost"
)

// decodeAlike decodes params with unmarshalParams into a P and with
// protocol.Unmarshal into a Q, and fails unless both give the same value,
// once the P is converted to a Q, or the same error, and unless
// decodeText, when it takes the params, gives the same P. It returns
// whether decodeText took them and the value decoded.
func decodeAlike[P, Q any](t testing.TB, params string, convert func(*P) Q) (bool, Q) {
	t.Helper()
	var fast, viaUnmarshal P
	var slow Q
	buf := []byte(params)
	took := decodeText(buf, &fast)
	if !took && string(buf) != params {
		t.Fatalf("decodeText declined %.200q but changed them to %.200q", params, buf)
	}
	err := unmarshalParams([]byte(params), &viaUnmarshal)
	errSlow := protocol.Unmarshal([]byte(params), &slow)
	if fmt.Sprint(err) != fmt.Sprint(errSlow) {
		t.Fatalf("%.200q: unmarshalParams fails with %v, protocol.Unmarshal with %v", params, err, errSlow)
	}
	if err != nil {
		if took {
			t.Fatalf("decodeText took %.200q, which protocol.Unmarshal rejects: %v", params, err)
		}
		return false, slow
	}
	if got := convert(&viaUnmarshal); !reflect.DeepEqual(got, slow) {
		t.Fatalf("%.200q decodes differently:\nunmarshalParams:    %#v\nprotocol.Unmarshal: %#v", params, got, slow)
	}
	if !took {
		var zero P
		if !reflect.DeepEqual(fast, zero) {
			t.Fatalf("decodeText declined %.200q but changed its target: %+v", params, fast)
		}
		return false, slow
	}
	if !reflect.DeepEqual(fast, viaUnmarshal) {
		t.Fatalf("%.200q: decodeText and unmarshalParams differ:\n%#v\n%#v", params, fast, viaUnmarshal)
	}
	return true, slow
}

// TestDecodeDidOpenInPlace checks that decodeText unescapes didOpen's
// text in place: the text is part of the params, and nothing the size of
// the text is allocated for it (in a fresh server, memory touched for the
// first time costs more than the decoding).
func TestDecodeDidOpenInPlace(t *testing.T) {
	text := firstDiagnosticsText()
	literal, _ := json.Marshal(string(text))
	params := []byte(openJSON(string(literal)))
	buf := make([]byte, len(params))
	var p openParams
	allocated := cost.Measure(func() {
		copy(buf, params)
		p = openParams{}
		if !decodeText(buf, &p) {
			t.Fatal("decodeText declined the params")
		}
	}).Bytes
	if !bytes.Equal(p.Text, text) {
		t.Fatalf("decoded %d bytes, want the %d of the text", len(p.Text), len(text))
	}
	start := int(uintptr(unsafe.Pointer(unsafe.SliceData(p.Text))) - uintptr(unsafe.Pointer(unsafe.SliceData(buf))))
	if start < 0 || start+cap(p.Text) > len(buf) {
		t.Errorf("the text is not part of the params (at %d of %d bytes)", start, len(buf))
	}
	if cap(p.Text) != len(p.Text) {
		t.Errorf("the text has room to grow into the params: cap %d, len %d", cap(p.Text), len(p.Text))
	}
	if allocated > 4<<10 {
		t.Errorf("decoding allocated %d bytes for a text of %d", allocated, len(text))
	}
}

// decodeOpen is decodeAlike for didOpen's params.
func decodeOpen(t testing.TB, params string) (bool, protocol.DidOpenTextDocumentParams) {
	t.Helper()
	return decodeAlike(t, params, func(o *openParams) protocol.DidOpenTextDocumentParams {
		if o.TextDocument.Text != "" {
			t.Fatalf("openParams with a text in TextDocument: %q", o.TextDocument.Text)
		}
		v := o.DidOpenTextDocumentParams
		v.TextDocument.Text = string(o.Text)
		return v
	})
}

// decodeChange is decodeAlike for didChange's params.
func decodeChange(t testing.TB, params string) (bool, protocol.DidChangeTextDocumentParams) {
	t.Helper()
	return decodeAlike(t, params, func(p *protocol.DidChangeTextDocumentParams) protocol.DidChangeTextDocumentParams { return *p })
}

// openJSON is didOpen's params with text as the given JSON string
// literal.
func openJSON(literal string) string {
	return `{"textDocument":{"uri":"file:///w/a.json5","languageId":"json5","version":1,"text":` + literal + `}}`
}

func TestDecodeDidOpen(t *testing.T) {
	tests := []struct {
		name   string
		params string
		fast   bool   // decodeText takes them
		text   string // the text decoded, when fast
	}{
		{"plain", openJSON(`"{ a: 1 }"`), true, "{ a: 1 }"},
		{"empty text", openJSON(`""`), true, ""},
		{"escapes", openJSON(`"a\nb\tc\"d\\e\/f\bg\fh\ri"`), true, "a\nb\tc\"d\\e/f\bg\fh\ri"},
		{"unicode escapes", openJSON(`"\u0041\u00e9\u20AC\u0000"`), true, "Aé€\x00"},
		{"surrogate pair", openJSON(`"x\ud83d\ude00y"`), true, "x😀y"},
		{"lone high surrogate", openJSON(`"x\ud83dy"`), true, "x\uFFFDy"},
		{"lone low surrogate", openJSON(`"x\ude00y"`), true, "x\uFFFDy"},
		{"high surrogate then other escape", openJSON(`"\ud83d\u0041"`), true, "\uFFFDA"},
		{"two high surrogates", openJSON(`"\ud83d\ud83d\ude00"`), true, "\uFFFD😀"},
		{"surrogate at the end", openJSON(`"\ud83d"`), true, "\uFFFD"},
		{"non-ASCII", openJSON(`"héllo wörld — 日本語 😀"`), true, "héllo wörld — 日本語 😀"},
		{"backslashes before the quote", openJSON(`"a\\\\"`), true, `a\\`},
		{"escaped quote at the end", openJSON(`"a\""`), true, `a"`},
		{"field order", `{"textDocument":{"text":"t","version":7,"languageId":"json5","uri":"file:///w/a.json5"}}`, true, "t"},
		{"white space", " {\n\t\"textDocument\" :\r\n{ \"uri\" : \"file:///w/a.json5\" , \"text\" : \"t\" } } \n", true, "t"},
		{"missing fields", `{"textDocument":{"text":"t"}}`, true, "t"},
		{"empty objects", `{"textDocument":{}}`, true, ""},
		{"no textDocument", `{}`, true, ""},
		{"version 0", `{"textDocument":{"version":0,"text":"t"}}`, true, "t"},
		{"largest version", `{"textDocument":{"version":2147483647,"text":"t"}}`, true, "t"},

		// protocol.Unmarshal decodes these, its own way.
		{"invalid escape", openJSON(`"a\qb"`), false, ""},
		{"short unicode escape", openJSON(`"a\u12"`), false, ""},
		{"bad hex", openJSON(`"a\u12g4"`), false, ""},
		{"high surrogate then bad escape", openJSON(`"\ud83d\uzzzz"`), false, ""},
		{"control character", openJSON("\"a\nb\""), false, ""},
		{"invalid UTF-8", openJSON("\"a\xffb\""), false, ""},
		{"truncated UTF-8", openJSON("\"a\xe2\x82\""), false, ""},
		{"UTF-8 surrogate", openJSON("\"a\xed\xa0\x80\""), false, ""},
		{"unknown field", `{"textDocument":{"text":"t","extra":[1,{"x":null}]}}`, false, ""},
		{"unknown top-level field", `{"textDocument":{"text":"t"},"x":1}`, false, ""},
		{"repeated field", `{"textDocument":{"text":"a","text":"b"}}`, false, ""},
		{"escaped key", `{"textDocument":{"t\u0065xt":"t"}}`, false, ""},
		{"null text", `{"textDocument":{"text":null}}`, false, ""},
		{"null textDocument", `{"textDocument":null}`, false, ""},
		{"null params", `null`, false, ""},
		{"negative version", `{"textDocument":{"version":-1}}`, false, ""},
		{"version too large", `{"textDocument":{"version":2147483648}}`, false, ""},
		{"fractional version", `{"textDocument":{"version":1.5}}`, false, ""},
		{"version with exponent", `{"textDocument":{"version":1e3}}`, false, ""},
		{"version with leading zero", `{"textDocument":{"version":01}}`, false, ""},
		{"version as string", `{"textDocument":{"version":"1"}}`, false, ""},
		{"text as number", `{"textDocument":{"text":1}}`, false, ""},
		{"odd URI", `{"textDocument":{"uri":"file://%zz/a b"}}`, true, ""},
		{"trailing garbage", `{"textDocument":{"text":"t"}} x`, false, ""},
		{"trailing comma", `{"textDocument":{"text":"t",}}`, false, ""},
		{"unterminated string", `{"textDocument":{"text":"t}}`, false, ""},
		{"unterminated object", `{"textDocument":{"text":"t"}`, false, ""},
		{"array", `[]`, false, ""},
		{"empty", ``, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			took, p := decodeOpen(t, tt.params)
			if took != tt.fast {
				t.Fatalf("decodeText took the params: %v, want %v", took, tt.fast)
			}
			if took && p.TextDocument.Text != tt.text {
				t.Errorf("text %q, want %q", p.TextDocument.Text, tt.text)
			}
		})
	}
}

// changeParams is didChange's params with the given content changes.
func changeParams(changes string) string {
	return `{"textDocument":{"uri":"file:///w/a.json5","version":2},"contentChanges":` + changes + `}`
}

func TestDecodeDidChange(t *testing.T) {
	rng := `"range":{"start":{"line":1,"character":2},"end":{"line":3,"character":4}}`
	tests := []struct {
		name   string
		params string
		fast   bool
		texts  []string // the changes' texts, when fast
	}{
		{"range", changeParams(`[{` + rng + `,"text":"a\nb"}]`), true, []string{"a\nb"}},
		{"range and length", changeParams(`[{` + rng + `,"rangeLength":5,"text":"x"}]`), true, []string{"x"}},
		{"length first", changeParams(`[{"rangeLength":0,"text":"","range":{"end":{"character":0,"line":0},"start":{"line":0,"character":0}}}]`), true, []string{""}},
		{"whole document", changeParams(`[{"text":"all\u00e9"}]`), true, []string{"allé"}},
		{"several", changeParams(`[{` + rng + `,"text":"a"},{"text":"b"},{` + rng + `,"text":"c"}]`), true, []string{"a", "b", "c"}},
		{"no changes", changeParams(`[]`), true, []string{}},
		{"changes first", `{"contentChanges":[{"text":"t"}],"textDocument":{"version":3,"uri":"file:///w/a.json5"}}`, true, []string{"t"}},
		{"largest position", changeParams(`[{"range":{"start":{"line":4294967295,"character":0},"end":{"line":4294967295,"character":0}},"text":"t"}]`), true, []string{"t"}},

		{"range without text", changeParams(`[{` + rng + `}]`), false, nil},
		{"length without range", changeParams(`[{"rangeLength":1,"text":"t"}]`), false, nil},
		{"empty change", changeParams(`[{}]`), false, nil},
		{"null change", changeParams(`[null]`), false, nil},
		{"null changes", changeParams(`null`), false, nil},
		{"unknown change field", changeParams(`[{"text":"t","x":1}]`), false, nil},
		{"null range", changeParams(`[{"range":null,"text":"t"}]`), false, nil},
		{"bad range", changeParams(`[{"range":5,"text":"t"}]`), false, nil},
		{"position too large", changeParams(`[{"range":{"start":{"line":4294967296,"character":0},"end":{"line":0,"character":0}},"text":"t"}]`), false, nil},
		{"negative position", changeParams(`[{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},"text":"t"}]`), false, nil},
		{"null length", changeParams(`[{` + rng + `,"rangeLength":null,"text":"t"}]`), false, nil},
		{"invalid escape", changeParams(`[{"text":"\x"}]`), false, nil},
		{"trailing comma", changeParams(`[{"text":"t"},]`), false, nil},
		{"unknown top-level field", `{"textDocument":{"version":3},"contentChanges":[],"x":1}`, false, nil},
		{"repeated changes", `{"contentChanges":[],"contentChanges":[{"text":"t"}]}`, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			took, p := decodeChange(t, tt.params)
			if took != tt.fast {
				t.Fatalf("decodeText took the params: %v, want %v", took, tt.fast)
			}
			if !took {
				return
			}
			texts := []string{}
			for _, c := range p.ContentChanges {
				switch c := c.(type) {
				case *protocol.TextDocumentContentChangePartial:
					texts = append(texts, c.Text)
				case *protocol.TextDocumentContentChangeWholeDocument:
					texts = append(texts, c.Text)
				}
			}
			if !reflect.DeepEqual(texts, tt.texts) {
				t.Errorf("texts %q, want %q", texts, tt.texts)
			}
		})
	}
}

// TestDecodeTextRoundTrip decodes texts as JSON encoders write them: with
// and without escaped HTML, every non-ASCII character escaped (as UTF-16
// for those beyond the BMP), every control character, and the 10k-line
// document; each one is decoded by the fast path to the text encoded.
func TestDecodeTextRoundTrip(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x800; r++ {
		all.WriteRune(r)
	}
	texts := []string{
		"",
		"<a> & \"b\" \\ / \u2028\u2029 \x7f",
		all.String(),
		"emoji 😀🎉 and CJK 日本語, combining é, BOM \ufeff",
		strings.Repeat("\\", 9) + strings.Repeat(`"`, 9),
		string(firstDiagnosticsText()),
	}
	encoders := map[string]func(string) string{
		"encoding/json": func(s string) string { b, _ := json.Marshal(s); return string(b) },
		"unescaped HTML": func(s string) string {
			var b strings.Builder
			e := json.NewEncoder(&b)
			e.SetEscapeHTML(false)
			e.Encode(s)
			return strings.TrimSuffix(b.String(), "\n")
		},
		"ASCII only": asciiJSON,
	}
	for name, encode := range encoders {
		for i, text := range texts {
			t.Run(fmt.Sprintf("%s/%d", name, i), func(t *testing.T) {
				took, p := decodeOpen(t, openJSON(encode(text)))
				if !took || p.TextDocument.Text != text {
					t.Fatalf("took %v, decoded %d bytes, want %d", took, len(p.TextDocument.Text), len(text))
				}
				took, c := decodeChange(t, changeParams(`[{"text":`+encode(text)+`}]`))
				if !took || c.ContentChanges[0].(*protocol.TextDocumentContentChangeWholeDocument).Text != text {
					t.Fatalf("didChange: took %v", took)
				}
			})
		}
	}
}

// asciiJSON encodes s as a JSON string of ASCII, each other character
// escaped as UTF-16 code units.
func asciiJSON(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r >= 0x7f:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04X`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FuzzDecodeText checks that unmarshalParams decodes any params as
// protocol.Unmarshal does, and decodeText any it takes, for didOpen and
// for didChange.
func FuzzDecodeText(f *testing.F) {
	for _, s := range []string{
		openJSON(`"a\nb\u00e9\ud83d\ude00\ud83d"`),
		openJSON(`"a\\\"\/"`),
		`{"textDocument":{"version":12,"languageId":"x"}}`,
		changeParams(`[{"range":{"start":{"line":1,"character":2},"end":{"line":3,"character":4}},"rangeLength":3,"text":"x"},{"text":"y"}]`),
		changeParams(`[]`),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, params string) {
		decodeOpen(t, params)
		decodeChange(t, params)
	})
}

// BenchmarkDecodeDidOpen decodes didOpen's params for the 10k-line
// document with decodeText (as the server does) and with
// protocol.Unmarshal (as it did before):
//
//	go test ./lsp -run '^$' -bench DecodeDidOpen
func BenchmarkDecodeDidOpen(b *testing.B) {
	text, _ := json.Marshal(string(firstDiagnosticsText()))
	params := []byte(openJSON(string(text)))
	b.Run("decodeText", func(b *testing.B) {
		b.SetBytes(int64(len(params)))
		b.ReportAllocs()
		buf := make([]byte, len(params))
		for range b.N {
			copy(buf, params) // decodeText unescapes the text in place
			var p openParams
			if !decodeText(buf, &p) {
				b.Fatal("declined")
			}
		}
	})
	b.Run("protocol.Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(params)))
		b.ReportAllocs()
		for range b.N {
			var p protocol.DidOpenTextDocumentParams
			if err := protocol.Unmarshal(params, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestPlainRun compares plainRun with a byte-by-byte loop on random
// buffers of bytes around its limits (below and at 0x20, the backslash,
// 0x7f to 0xa0, 0xff), where a borrow in its word-at-a-time test could
// hide the first byte that ends the run or invent one.
func TestPlainRun(t *testing.T) {
	naive := func(b []byte) int {
		for i, c := range b {
			if c < 0x20 || c >= utf8.RuneSelf || c == '\\' {
				return i
			}
		}
		return len(b)
	}
	alphabet := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, '"', '[', '\\', ']', 'a', 0x7f, 0x80, 0x9f, 0xa0, 0xdf, 0xe0, 0xff}
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 20000; n++ {
		b := make([]byte, rng.Intn(40))
		for i := range b {
			if rng.Intn(4) == 0 {
				b[i] = alphabet[rng.Intn(len(alphabet))]
			} else {
				b[i] = byte(0x20 + rng.Intn(0x5f))
				if b[i] == '\\' {
					b[i] = 'x'
				}
			}
		}
		if got, want := plainRun(b), naive(b); got != want {
			t.Fatalf("plainRun(%q) = %d, want %d", b, got, want)
		}
	}
}
