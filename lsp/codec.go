package lsp

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// codec marshals request params and results with the protocol package's
// union-aware encoder, so sealed union values round-trip; raw messages pass
// through verbatim.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case nil:
		return []byte("null"), nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// openParams are didOpen's params with the document's text as bytes
// (TextDocument.Text is empty): the server keeps the buffer the text was
// unescaped into as the document's text, without a copy.
type openParams struct {
	protocol.DidOpenTextDocumentParams
	Text []byte
}

// unmarshalParams decodes a method's params into p: with decodeText when
// it takes them, else with protocol.Unmarshal (into the protocol's type
// for openParams), whose errors are the ones reported.
func unmarshalParams(params []byte, p any) error {
	if decodeText(params, p) {
		return nil
	}
	o, ok := p.(*openParams)
	if !ok {
		return protocol.Unmarshal(params, p)
	}
	if err := protocol.Unmarshal(params, &o.DidOpenTextDocumentParams); err != nil {
		return err
	}
	o.Text, o.TextDocument.Text = []byte(o.TextDocument.Text), ""
	return nil
}

// decodeText decodes the params of the notifications that carry a
// document's text (didOpen, didChange: a change may hold the whole text)
// into p in one pass, when they have the shape editors send: the members
// the protocol defines, each once, with values of their types, no null,
// object keys without escapes, strings of valid UTF-8. It reports false,
// leaving p and params as they were, for any other params and any other
// p: protocol.Unmarshal then decodes them, with its own results and
// errors (FuzzDecodeText checks that both decode alike).
//
// didOpen's text is unescaped in place, in params, once the params are
// known to be taken: the document keeps that part of them as its text,
// so the caller must own params and not read them afterwards (the
// stream gives each frame a buffer of its own). A didChange's strings are
// each unescaped into a buffer allocated once, the size of its quoted
// form.
//
// protocol.Unmarshal copies the params, then unescapes a string that has
// escapes byte by byte into a buffer grown as it goes, and copies it into
// the string: for didOpen of the 10k-line document (448 KB of params) 5 ms
// and 2.8 MB, 10 ms in a fresh server, on the way to the first
// diagnostics; decodeText took 1-1.5 ms and 0.45 MB (BenchmarkDecodeDidOpen,
// load 5), and takes nothing since it unescapes in place. In a fresh
// server every megabyte allocated is memory the process touches for the
// first time, which costs more than the decoding itself (4-5 ms per MB on
// the 2-core VM the figures come from; a fresh server decoded the
// 10k-line document's didOpen in 1.7-2.2 ms with the text unescaped into
// a buffer of its own, 70 of its pages touched for the first time).
func decodeText(params []byte, p any) bool {
	d := textDecoder{b: params}
	switch p := p.(type) {
	case *openParams:
		var v openParams
		var text []byte // the text's quoted form, without its quotes
		if d.object(func(key []byte) bool {
			return string(key) == "textDocument" && d.textDocumentItem(&v.TextDocument, &text)
		}) && d.end() {
			t, _ := unescapeTo(text[:0], text, true)
			v.Text = t[:len(t):len(t)]
			*p = v
			return true
		}
	case *protocol.DidChangeTextDocumentParams:
		var v protocol.DidChangeTextDocumentParams
		if d.object(func(key []byte) bool {
			switch string(key) {
			case "textDocument":
				return d.versionedIdentifier(&v.TextDocument)
			case "contentChanges":
				return d.contentChanges(&v.ContentChanges)
			}
			return false
		}) && d.end() {
			*p = v
			return true
		}
	}
	return false
}

// textDecoder reads the JSON of decodeText's params. Its methods read one
// value at b[i] and report whether it had the expected shape; a false
// answer abandons the decoding.
type textDecoder struct {
	b []byte
	i int
}

// space skips JSON white space.
func (d *textDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// next skips white space and consumes c, if it comes next.
func (d *textDecoder) next(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (d *textDecoder) end() bool {
	d.space()
	return d.i == len(d.b)
}

// object reads an object, calling member for each member's key with the
// decoder at its value; a key repeated (protocol.Unmarshal keeps the last
// one) or escaped abandons the decoding.
func (d *textDecoder) object(member func(key []byte) bool) bool {
	if !d.next('{') {
		return false
	}
	if d.next('}') {
		return true
	}
	var seen [4][]byte // the objects decodeText reads have at most 4 members
	for n := 0; ; n++ {
		d.space()
		start := d.i + 1
		if !d.quoted() {
			return false
		}
		key := d.b[start : d.i-1]
		if n == len(seen) || bytes.IndexByte(key, '\\') >= 0 || !d.next(':') {
			return false
		}
		for _, k := range seen[:n] {
			if bytes.Equal(k, key) {
				return false
			}
		}
		seen[n] = key
		d.space()
		if !member(key) {
			return false
		}
		if d.next('}') {
			return true
		}
		if !d.next(',') {
			return false
		}
	}
}

// quoted moves past the string at b[i] and reports whether it is one.
func (d *textDecoder) quoted() bool {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return false
	}
	end := closingQuote(d.b, d.i+1)
	if end < 0 {
		return false
	}
	d.i = end + 1
	return true
}

// closingQuote returns the index of the quote that ends the string whose
// contents start at b[from], or -1: the first quote after an even number
// of backslashes.
func closingQuote(b []byte, from int) int {
	for i := from; ; {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return -1
		}
		j += i
		k := j
		for k > from && b[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return j
		}
		i = j + 1
	}
}

// str reads a string.
func (d *textDecoder) str(s *string) bool {
	var b []byte
	ok := d.bytes(&b)
	*s = string(b)
	return ok
}

// bytes reads a string into a buffer of its own.
func (d *textDecoder) bytes(b *[]byte) bool {
	start := d.i + 1
	if !d.quoted() {
		return false
	}
	v, ok := unescape(d.b[start : d.i-1])
	*b = v
	return ok
}

// uri reads a string that parses as a URI.
func (d *textDecoder) uri(u *uri.URI) bool {
	var s string
	if !d.str(&s) {
		return false
	}
	v, err := uri.Parse(s)
	*u = v
	return err == nil
}

// uint reads a non-negative integer no larger than limit, written without
// a fraction, an exponent or leading zeros.
func (d *textDecoder) uint(limit uint64) (uint64, bool) {
	start := d.i
	var v uint64
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' && d.i-start < 10 {
		v = v*10 + uint64(d.b[d.i]-'0')
		d.i++
	}
	n := d.i - start
	// A digit, '.', 'e' or 'E' next is rejected by the member separator
	// the caller expects.
	return v, n > 0 && (n == 1 || d.b[start] != '0') && v <= limit
}

func (d *textDecoder) uint32(v *uint32) bool {
	n, ok := d.uint(math.MaxUint32)
	*v = uint32(n)
	return ok
}

func (d *textDecoder) int32(v *int32) bool {
	n, ok := d.uint(math.MaxInt32)
	*v = int32(n)
	return ok
}

// textDocumentItem reads didOpen's document; text is set to the text's
// quoted form (without its quotes), checked but not unescaped.
func (d *textDecoder) textDocumentItem(v *protocol.TextDocumentItem, text *[]byte) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "uri":
			return d.uri(&v.URI)
		case "languageId":
			var s string
			ok := d.str(&s)
			v.LanguageID = protocol.LanguageKind(s)
			return ok
		case "version":
			return d.int32(&v.Version)
		case "text":
			return d.checked(text)
		}
		return false
	})
}

// checked reads a string, setting q to its quoted form without its
// quotes, and reports whether unescape would take it.
func (d *textDecoder) checked(q *[]byte) bool {
	start := d.i + 1
	if !d.quoted() {
		return false
	}
	*q = d.b[start : d.i-1]
	return validString(*q)
}

// versionedIdentifier reads didChange's document.
func (d *textDecoder) versionedIdentifier(v *protocol.VersionedTextDocumentIdentifier) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "uri":
			return d.uri(&v.URI)
		case "version":
			return d.int32(&v.Version)
		}
		return false
	})
}

// contentChanges reads didChange's changes: each one a range, its
// optional length and its text, or a text alone (the whole document).
func (d *textDecoder) contentChanges(v *[]protocol.TextDocumentContentChangeEvent) bool {
	if !d.next('[') {
		return false
	}
	out := []protocol.TextDocumentContentChangeEvent{}
	if d.next(']') {
		*v = out
		return true
	}
	for {
		var c protocol.TextDocumentContentChangePartial
		var hasRange, hasLength, hasText bool
		if !d.object(func(key []byte) bool {
			switch string(key) {
			case "range":
				hasRange = true
				return d.textRange(&c.Range)
			case "rangeLength":
				var n uint32
				hasLength = d.uint32(&n)
				//lint:ignore SA1019 clients still send it, and protocol.Unmarshal keeps it
				c.RangeLength = protocol.NewOptional(n)
				return hasLength
			case "text":
				hasText = true
				return d.str(&c.Text)
			}
			return false
		}) {
			return false
		}
		switch {
		case hasRange && hasText:
			out = append(out, &c)
		case hasText && !hasLength:
			out = append(out, &protocol.TextDocumentContentChangeWholeDocument{Text: c.Text})
		default:
			return false // protocol.Unmarshal picks a variant among several
		}
		if d.next(']') {
			*v = out
			return true
		}
		if !d.next(',') {
			return false
		}
	}
}

func (d *textDecoder) textRange(r *protocol.Range) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "start":
			return d.position(&r.Start)
		case "end":
			return d.position(&r.End)
		}
		return false
	})
}

func (d *textDecoder) position(p *protocol.Position) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "line":
			return d.uint32(&p.Line)
		case "character":
			return d.uint32(&p.Character)
		}
		return false
	})
}

// unescape returns the contents of a JSON string, q without its quotes,
// and whether they are valid: no control character, no malformed escape,
// only valid UTF-8. An escaped UTF-16 surrogate that is not part of a pair
// is U+FFFD, as protocol.Unmarshal has it. The result takes one
// allocation, the size of q (unescaping never lengthens a valid string).
func unescape(q []byte) ([]byte, bool) {
	return unescapeTo(make([]byte, 0, len(q)), q, true)
}

// validString reports whether unescape takes q, writing nothing.
func validString(q []byte) bool {
	_, ok := unescapeTo(nil, q, false)
	return ok
}

// unescapeTo is unescape appending to out when write is set (and only
// checking q otherwise). out may be q[:0]: q is then unescaped in place
// (nothing is written ahead of what was read, since no part of a string
// unescapes to more bytes than it takes quoted); when q is not valid,
// what it holds afterwards is undefined.
func unescapeTo(out, q []byte, write bool) ([]byte, bool) {
	for i := 0; i < len(q); {
		run := plainRun(q[i:])
		if write {
			out = append(out, q[i:i+run]...)
		}
		i += run
		if i == len(q) {
			break
		}
		switch c := q[i]; {
		case c >= utf8.RuneSelf:
			j := i + 1
			for j < len(q) && q[j] >= utf8.RuneSelf {
				j++
			}
			if !utf8.Valid(q[i:j]) {
				return nil, false // protocol.Unmarshal replaces each bad byte
			}
			if write {
				out = append(out, q[i:j]...)
			}
			i = j
		case c == '\\' && i+1 < len(q):
			var r rune
			i, r = escape(q, i)
			if r < 0 {
				return nil, false
			}
			if write {
				out = utf8.AppendRune(out, r)
			}
		default:
			return nil, false // a control character
		}
	}
	return out, true
}

// shortEscapes maps the letter of each two-character escape to the byte
// it stands for (0 for the others: `\u` and malformed escapes).
var shortEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escape decodes the escape sequence at q[i] (a backslash followed by at
// least one byte), returning the index after it and the character it
// stands for, or -1 for a malformed one.
func escape(q []byte, i int) (int, rune) {
	if c := shortEscapes[q[i+1]]; c != 0 {
		return i + 2, rune(c)
	}
	if q[i+1] != 'u' {
		return i, -1
	}
	r, ok := hex4(q, i+2)
	if !ok {
		return i, -1
	}
	i += 6
	if !utf16.IsSurrogate(r) {
		return i, r
	}
	// A surrogate is U+FFFD unless the escape that follows completes the
	// pair; that escape must still be well-formed.
	if i+1 < len(q) && q[i] == '\\' && q[i+1] == 'u' {
		r2, ok := hex4(q, i+2)
		if !ok {
			return i, -1
		}
		if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
			return i + 6, pair
		}
	}
	return i, utf8.RuneError
}

// hex4 decodes the four hexadecimal digits at q[i].
func hex4(q []byte, i int) (rune, bool) {
	if i+4 > len(q) {
		return 0, false
	}
	var r rune
	for _, c := range q[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// plainRun returns the length of b's prefix of printable ASCII other than
// the backslash, eight bytes at a time.
func plainRun(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		bs := w ^ ones*'\\' // a zero byte where w has a backslash
		// A byte below 0x20 borrows in w-ones*0x20 and sets its high bit
		// (with none below 0x20 nothing borrows, and the high bits are
		// those of bytes from 0xa0, non-ASCII anyway). A borrow only
		// reaches the bytes above the one that made it, so the lowest
		// high bit set is the first byte that ends the run: a text's
		// lines are short runs between escapes (the 10k-line document
		// has one every 14 bytes).
		if m := (w | (w - ones*0x20) | (bs-ones)&^bs) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c >= utf8.RuneSelf || c == '\\' {
			break
		}
	}
	return i
}
