package plan

import (
	"strconv"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// This file is a strict JSON reader that fails the way serde_json does:
// the same grammar (RFC 8259, nothing more), the same error texts, and the
// same positions. Amber decodes a helper's answer with serde_json reading
// straight into typed structures, so the reader is driven by the typed
// decoder (decode.go) rather than building a tree first: a shape error
// early in the body wins over a syntax error later in it, as in Amber.

// serde_json's syntax error texts.
const (
	errEOFValue        = "EOF while parsing a value"
	errEOFList         = "EOF while parsing a list"
	errEOFObject       = "EOF while parsing an object"
	errEOFString       = "EOF while parsing a string"
	errExpectedColon   = "expected `:`"
	errExpectedList    = "expected `,` or `]`"
	errExpectedObject  = "expected `,` or `}`"
	errExpectedIdent   = "expected ident"
	errExpectedValue   = "expected value"
	errKeyString       = "key must be a string"
	errTrailingComma   = "trailing comma"
	errTrailing        = "trailing characters"
	errInvalidEscape   = "invalid escape"
	errInvalidNumber   = "invalid number"
	errNumberRange     = "number out of range"
	errInvalidUnicode  = "invalid unicode code point"
	errControlChar     = "control character (\\u0000-\\u001F) found while parsing a string"
	errLoneSurrogate   = "lone leading surrogate in hex escape"
	errUnexpectedHex   = "unexpected end of hex escape"
	errRecursionLimit  = "recursion limit exceeded"
	recursionLimit     = 128
	maxU64DividedBy10  = ^uint64(0) / 10
	maxU64LastDigitMax = ^uint64(0) % 10
)

// reader walks a body byte by byte. Offsets in errors follow serde_json:
// errAt reports the current index, peekErr the index after the byte being
// looked at (capped at the end of the body).
type reader struct {
	data []byte
	pos  int
	// remaining is serde_json's recursion budget: entering an array or
	// object spends one, and reaching zero is an error.
	remaining int
}

// syntaxError is a body that is not valid JSON; at is the byte offset
// serde_json reports.
type syntaxError struct {
	text string
	at   int
}

func (e *syntaxError) Error() string { return e.text }

func (r *reader) errAt(text string) error { return &syntaxError{text, r.pos} }

func (r *reader) peekErr(text string) error {
	return &syntaxError{text, min(len(r.data), r.pos+1)}
}

// ws skips JSON white space and returns the next byte, or false at the end.
func (r *reader) ws() (byte, bool) {
	for r.pos < len(r.data) {
		switch c := r.data[r.pos]; c {
		case ' ', '\n', '\t', '\r':
			r.pos++
		default:
			return c, true
		}
	}
	return 0, false
}

// afterWS returns the offset after the white space at the current position,
// without consuming it: where serde_json places errors that surface only
// once the enclosing object has looked for its next member.
func (r *reader) afterWS() int {
	p := r.pos
	for p < len(r.data) {
		switch r.data[p] {
		case ' ', '\n', '\t', '\r':
			p++
			continue
		}
		break
	}
	return p
}

// enter spends one level of the recursion budget before an array or object
// is opened (the reader is at its bracket).
func (r *reader) enter() error {
	r.remaining--
	if r.remaining == 0 {
		return r.peekErr(errRecursionLimit)
	}
	return nil
}

func (r *reader) leave() { r.remaining++ }

// ident reads the rest of `null`, `true` or `false` after its first byte.
func (r *reader) ident(rest string) error {
	for i := 0; i < len(rest); i++ {
		if r.pos >= len(r.data) {
			return r.errAt(errEOFValue)
		}
		c := r.data[r.pos]
		r.pos++
		if c != rest[i] {
			return r.errAt(errExpectedIdent)
		}
	}
	return nil
}

// str reads a string whose opening quote has been consumed.
func (r *reader) str() (string, error) {
	var buf []byte
	start := r.pos
	for {
		if r.pos >= len(r.data) {
			return "", r.errAt(errEOFString)
		}
		c := r.data[r.pos]
		switch {
		case c == '"':
			var s string
			if buf == nil {
				s = string(r.data[start:r.pos])
			} else {
				s = string(append(buf, r.data[start:r.pos]...))
			}
			r.pos++
			if !utf8.ValidString(s) {
				return "", r.errAt(errInvalidUnicode)
			}
			return s, nil
		case c == '\\':
			if buf == nil {
				buf = []byte{}
			}
			buf = append(buf, r.data[start:r.pos]...)
			r.pos++
			var err error
			if buf, err = r.escape(buf); err != nil {
				return "", err
			}
			start = r.pos
		case c < 0x20:
			r.pos++
			return "", r.errAt(errControlChar)
		default:
			r.pos++
		}
	}
}

// escape reads an escape sequence after its backslash and appends what it
// stands for.
func (r *reader) escape(buf []byte) ([]byte, error) {
	if r.pos >= len(r.data) {
		return nil, r.errAt(errEOFString)
	}
	c := r.data[r.pos]
	r.pos++
	switch c {
	case '"', '\\', '/':
		return append(buf, c), nil
	case 'b':
		return append(buf, '\b'), nil
	case 'f':
		return append(buf, '\f'), nil
	case 'n':
		return append(buf, '\n'), nil
	case 'r':
		return append(buf, '\r'), nil
	case 't':
		return append(buf, '\t'), nil
	case 'u':
		return r.unicodeEscape(buf)
	}
	return nil, r.errAt(errInvalidEscape)
}

// unicodeEscape reads the four hex digits of a \u escape (and the second
// half of a surrogate pair) the way serde_json does for UTF-8 strings: lone
// surrogates are errors.
func (r *reader) unicodeEscape(buf []byte) ([]byte, error) {
	n, err := r.hex4()
	if err != nil {
		return nil, err
	}
	if n >= 0xDC00 && n <= 0xDFFF {
		return nil, r.errAt(errLoneSurrogate)
	}
	if n < 0xD800 || n > 0xDBFF {
		return utf8.AppendRune(buf, rune(n)), nil
	}
	for _, want := range []byte{'\\', 'u'} {
		if r.pos >= len(r.data) {
			return nil, r.errAt(errEOFString)
		}
		c := r.data[r.pos]
		r.pos++
		if c != want {
			return nil, r.errAt(errUnexpectedHex)
		}
	}
	n2, err := r.hex4()
	if err != nil {
		return nil, err
	}
	if n2 < 0xDC00 || n2 > 0xDFFF {
		return nil, r.errAt(errLoneSurrogate)
	}
	cp := (rune(n-0xD800)<<10 | rune(n2-0xDC00)) + 0x10000
	return utf8.AppendRune(buf, cp), nil
}

func (r *reader) hex4() (uint16, error) {
	if len(r.data)-r.pos < 4 {
		r.pos = len(r.data)
		return 0, r.errAt(errEOFString)
	}
	digits := r.data[r.pos : r.pos+4]
	r.pos += 4
	var n uint16
	for _, c := range digits {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, r.errAt(errInvalidEscape)
		}
		n = n<<4 | uint16(v)
	}
	return n, nil
}

func (r *reader) peekDigit() bool {
	return r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9'
}

// number reads a number starting at the current byte ('-' or a digit).
// Integers come back as uint64 (non-negative) or int64 (negative), others as
// float64, as serde_json's Value holds them; `-0` is the float -0.0.
func (r *reader) number() (any, error) {
	start := r.pos
	negative := r.data[r.pos] == '-'
	if negative {
		r.pos++
	}
	if r.pos >= len(r.data) {
		return nil, r.errAt(errEOFValue)
	}
	c := r.data[r.pos]
	r.pos++
	integer := true
	var significand uint64
	switch {
	case c == '0':
		if r.peekDigit() {
			return nil, r.peekErr(errInvalidNumber)
		}
	case c >= '1' && c <= '9':
		significand = uint64(c - '0')
		for r.peekDigit() {
			d := uint64(r.data[r.pos] - '0')
			r.pos++
			if integer && (significand > maxU64DividedBy10 || significand == maxU64DividedBy10 && d > maxU64LastDigitMax) {
				integer = false // serde_json continues as a float
			}
			significand = significand*10 + d
		}
	default:
		return nil, r.errAt(errInvalidNumber)
	}
	if r.pos < len(r.data) && r.data[r.pos] == '.' {
		integer = false
		r.pos++
		if !r.peekDigit() {
			if r.pos >= len(r.data) {
				return nil, r.peekErr(errEOFValue)
			}
			return nil, r.peekErr(errInvalidNumber)
		}
		for r.peekDigit() {
			r.pos++
		}
	}
	if r.pos < len(r.data) && (r.data[r.pos] == 'e' || r.data[r.pos] == 'E') {
		integer = false
		r.pos++
		if r.pos < len(r.data) && (r.data[r.pos] == '+' || r.data[r.pos] == '-') {
			r.pos++
		}
		if r.pos >= len(r.data) {
			return nil, r.errAt(errEOFValue)
		}
		c := r.data[r.pos]
		r.pos++
		if c < '0' || c > '9' {
			return nil, r.errAt(errInvalidNumber)
		}
		for r.peekDigit() {
			r.pos++
		}
	}
	text := string(r.data[start:r.pos])
	if integer {
		if !negative {
			return significand, nil
		}
		if significand == 0 {
			return negZero(), nil
		}
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return i, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		// Overflow: strconv reports ±Inf with ErrRange; underflow gives 0
		// without an error.
		return nil, r.errAt(errNumberRange)
	}
	return f, nil
}

func negZero() float64 {
	z := 0.0
	return -z
}

// nodeKind is the kind of a generic JSON value.
type nodeKind uint8

const (
	nullNode nodeKind = iota
	boolNode
	numberNode
	stringNode
	arrayNode
	objectNode
)

// node is a generic JSON value with its byte range, for the parts of a plan
// Amber buffers before decoding them (flattened declarations, programs) and
// for free JSON (config, config_schema, metadata). Object members keep their
// order and repeated keys.
type node struct {
	kind       nodeKind
	start, end int
	b          bool
	num        any // uint64, int64 or float64
	str        string
	elems      []*node
	members    []member
}

type member struct {
	key string
	val *node
}

// value reads any JSON value, serde_json's deserialize_any.
func (r *reader) value() (*node, error) {
	c, ok := r.ws()
	if !ok {
		return nil, r.peekErr(errEOFValue)
	}
	n := &node{start: r.pos}
	switch {
	case c == 'n':
		r.pos++
		if err := r.ident("ull"); err != nil {
			return nil, err
		}
	case c == 't':
		r.pos++
		if err := r.ident("rue"); err != nil {
			return nil, err
		}
		n.kind, n.b = boolNode, true
	case c == 'f':
		r.pos++
		if err := r.ident("alse"); err != nil {
			return nil, err
		}
		n.kind = boolNode
	case c == '-' || c >= '0' && c <= '9':
		num, err := r.number()
		if err != nil {
			return nil, err
		}
		n.kind, n.num = numberNode, num
	case c == '"':
		r.pos++
		s, err := r.str()
		if err != nil {
			return nil, err
		}
		n.kind, n.str = stringNode, s
	case c == '[':
		if err := r.enter(); err != nil {
			return nil, err
		}
		r.pos++
		n.kind = arrayNode
		for first := true; ; first = false {
			more, err := r.nextElement(first)
			if err != nil {
				return nil, err
			}
			if !more {
				break
			}
			e, err := r.value()
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, e)
		}
		r.pos++ // ']'
		r.leave()
	case c == '{':
		if err := r.enter(); err != nil {
			return nil, err
		}
		r.pos++
		n.kind = objectNode
		for first := true; ; first = false {
			more, err := r.nextKey(first)
			if err != nil {
				return nil, err
			}
			if !more {
				break
			}
			r.pos++ // '"'
			k, err := r.str()
			if err != nil {
				return nil, err
			}
			if err := r.colon(); err != nil {
				return nil, err
			}
			v, err := r.value()
			if err != nil {
				return nil, err
			}
			n.members = append(n.members, member{k, v})
		}
		r.pos++ // '}'
		r.leave()
	default:
		return nil, r.peekErr(errExpectedValue)
	}
	n.end = r.pos
	return n, nil
}

// nextElement is serde_json's has_next_element: it reports whether another
// element follows inside an array, consuming the comma before it. At false
// the reader is at the closing bracket.
func (r *reader) nextElement(first bool) (bool, error) {
	c, ok := r.ws()
	switch {
	case !ok:
		return false, r.peekErr(errEOFList)
	case c == ']':
		return false, nil
	case first:
		return true, nil
	case c == ',':
		r.pos++
		c, ok := r.ws()
		switch {
		case !ok:
			return false, r.peekErr(errEOFValue)
		case c == ']':
			return false, r.peekErr(errTrailingComma)
		}
		return true, nil
	}
	return false, r.peekErr(errExpectedList)
}

// nextKey is serde_json's has_next_key: it reports whether another member
// follows inside an object, consuming the comma before it. At true the
// reader is at the key's opening quote, at false at the closing brace.
func (r *reader) nextKey(first bool) (bool, error) {
	c, ok := r.ws()
	switch {
	case !ok:
		return false, r.peekErr(errEOFObject)
	case c == '}':
		return false, nil
	case first:
		if c != '"' {
			return false, r.peekErr(errKeyString)
		}
		return true, nil
	case c == ',':
		r.pos++
		c, ok := r.ws()
		switch {
		case !ok:
			return false, r.peekErr(errEOFValue)
		case c == '"':
			return true, nil
		case c == '}':
			return false, r.peekErr(errTrailingComma)
		}
		return false, r.peekErr(errKeyString)
	}
	return false, r.peekErr(errExpectedObject)
}

func (r *reader) colon() error {
	c, ok := r.ws()
	switch {
	case !ok:
		return r.peekErr(errEOFObject)
	case c != ':':
		return r.peekErr(errExpectedColon)
	}
	r.pos++
	return nil
}

// unexpected describes what stands at the current position for an
// `invalid type` error, consuming a scalar the way serde_json's
// peek_invalid_type does (brackets are not consumed). A malformed scalar is
// a syntax error instead.
func (r *reader) unexpected() (string, error) {
	c, ok := r.ws()
	if !ok {
		return "", r.peekErr(errEOFValue)
	}
	switch {
	case c == 'n', c == 't', c == 'f', c == '"', c == '-' || c >= '0' && c <= '9':
		n, err := r.value()
		if err != nil {
			return "", err
		}
		return describe(n), nil
	case c == '[':
		return "sequence", nil
	case c == '{':
		return "map", nil
	}
	return "", r.peekErr(errExpectedValue)
}

// describe renders a value as serde_json's `invalid type` messages do.
func describe(n *node) string {
	switch n.kind {
	case nullNode:
		return "null"
	case boolNode:
		return "boolean `" + strconv.FormatBool(n.b) + "`"
	case numberNode:
		switch v := n.num.(type) {
		case uint64:
			return "integer `" + strconv.FormatUint(v, 10) + "`"
		case int64:
			return "integer `" + strconv.FormatInt(v, 10) + "`"
		case float64:
			s, _ := scenario.FormatFloat(v)
			return "floating point `" + s + "`"
		}
	case stringNode:
		return "string " + strconv.Quote(n.str)
	case arrayNode:
		return "sequence"
	}
	return "map"
}

// toAny converts a node to generic JSON as serde_json's Value holds it:
// objects become maps in which a repeated key keeps its last value.
func (n *node) toAny() any {
	switch n.kind {
	case boolNode:
		return n.b
	case numberNode:
		return n.num
	case stringNode:
		return n.str
	case arrayNode:
		out := make([]any, len(n.elems))
		for i, e := range n.elems {
			out[i] = e.toAny()
		}
		return out
	case objectNode:
		out := make(map[string]any, len(n.members))
		for _, m := range n.members {
			out[m.key] = m.val.toAny()
		}
		return out
	}
	return nil
}

// position converts a byte offset to serde_json's line and column: lines
// count LF from 1, the column is the number of bytes between the last LF
// before the offset and the offset.
func position(data []byte, at int) (line, column int) {
	line = 1
	start := 0
	for i := 0; i < at && i < len(data); i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, at - start
}
