package json5

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF     tokKind = iota
	tLBrace          // {
	tRBrace          // }
	tLBrack          // [
	tRBrack          // ]
	tColon           // :
	tComma           // ,
	tString          // a string, terminated or not
	tNumber          // a numeric literal run, including a sign and Infinity/NaN
	tIdent           // an identifier (true, false, null and bare words)
	tIllegal         // a character that cannot start a token
)

// token is a token with the trivia (whitespace and comments) before it.
// Tokens tile the source: trivia..end of one token is followed by the next
// token's trivia, so printing every token's text reproduces the input.
type token struct {
	kind   tokKind
	trivia int // offset where the leading trivia starts
	start  int // offset of the token's first byte
	end    int // offset just after the token
	data   int // index of the token's tokData (strings and identifiers), or -1
}

// tokData is what strings and identifiers carry beyond their offsets; it is
// kept out of token so the token list stays small.
type tokData struct {
	text         string   // decoded value
	strMap       []strSeg // decoded->source map when the body has escapes
	unterminated bool
	badEscape    int // offset of the first invalid escape, or -1
}

// scanner splits a JSON5 text into tokens.
type scanner struct {
	src  []byte
	pos  int
	data []tokData
	errs []Error // encoding problems: invalid UTF-8, NUL bytes
	// spanGrammarOK is cleared by constructs Amber's span grammar rejects.
	spanGrammarOK bool
	// scanOK is cleared when a character cannot be tokenised, which makes
	// Amber's hint scan fail (spec 2.4).
	scanOK bool
}

func scanAll(src []byte) ([]token, *scanner) {
	s := &scanner{src: src, spanGrammarOK: true, scanOK: true}
	toks := make([]token, 0, len(src)/5+1)
	s.data = make([]tokData, 0, len(src)/12+1)
	for {
		t := s.next()
		toks = append(toks, t)
		if t.kind == tEOF {
			return toks, s
		}
	}
}

func (s *scanner) encodingError(code string, at int, msg string) {
	s.errs = append(s.errs, Error{Span: diag.Span{Start: at, End: at + 1}, Code: code, Severity: diag.Error, Label: msg, Message: msg})
}

// punctuation maps the structural characters to their token kinds.
var punctuation = [128]tokKind{'{': tLBrace, '}': tRBrace, '[': tLBrack, ']': tRBrack, ':': tColon, ',': tComma}

// isSpace reports JSON5 whitespace (spec 2.1).
func isSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x2028, 0x2029, 0xFEFF:
		return true
	}
	return r > 0x7f && unicode.Is(unicode.Zs, r)
}

// isLineTerminator reports LF, CR, U+2028 and U+2029.
func isLineTerminator(r rune) bool { return r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029 }

// isIdentStart reports characters that may start an ES5.1 IdentifierName.
func isIdentStart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '$' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return r == '$' || r == '_' || unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Lm, unicode.Lo, unicode.Nl)
}

// isIdentPart reports characters that may continue an IdentifierName.
func isIdentPart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '$' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return isIdentStart(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc) || r == 0x200C || r == 0x200D
}

// decode returns the rune at i and its size, reporting invalid UTF-8 once.
func (s *scanner) decode(i int) (rune, int) {
	c := s.src[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	r, size := utf8.DecodeRune(s.src[i:])
	if r == utf8.RuneError && size == 1 {
		s.encodingError(CodeInvalidUTF8, i, "invalid UTF-8 byte 0x"+hexByte(c)+"; manifests must be UTF-8 text")
	}
	return r, size
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// skipTrivia moves past whitespace and comments.
func (s *scanner) skipTrivia() {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			s.pos++
		case c == '/' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '/':
			s.pos += 2
			for s.pos < len(s.src) {
				r, size := s.decode(s.pos)
				if isLineTerminator(r) {
					break
				}
				s.pos += size
			}
		case c == '/' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '*':
			end := bytes.Index(s.src[s.pos+2:], []byte("*/"))
			if end < 0 {
				s.checkEncoding(s.pos+2, len(s.src))
				s.pos = len(s.src)
				s.spanGrammarOK, s.scanOK = false, false
				return
			}
			s.checkEncoding(s.pos+2, s.pos+2+end)
			s.pos += end + 4
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(s.src[s.pos:])
			if r == utf8.RuneError || !isSpace(r) {
				return
			}
			s.pos += size
		case c == '\v' || c == '\f':
			s.pos++
		default:
			return
		}
	}
}

// checkEncoding reports invalid UTF-8 in a range (comment bodies).
func (s *scanner) checkEncoding(from, to int) {
	for i := from; i < to; {
		_, size := s.decode(i)
		i += size
	}
}

// next returns the next token.
func (s *scanner) next() token {
	trivia := s.pos
	s.skipTrivia()
	t := token{trivia: trivia, start: s.pos, data: -1}
	if s.pos >= len(s.src) {
		t.kind, t.end = tEOF, s.pos
		return t
	}
	c := s.src[s.pos]
	switch c {
	case '{', '}', '[', ']', ':', ',':
		t.kind = punctuation[c]
		s.pos++
	case '"', '\'':
		s.scanString(&t)
	case '+', '-', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		s.scanNumber(&t)
	default:
		r, size := s.decode(s.pos)
		switch {
		case isIdentStart(r) || c == '\\':
			s.scanIdent(&t)
		default:
			if c == 0 {
				s.encodingError(CodeNULByte, s.pos, "NUL byte outside a string; manifests must be text")
			}
			t.kind = tIllegal
			s.pos += size
			s.scanOK = false
		}
	}
	t.end = s.pos
	return t
}

// scanIdent scans an IdentifierName, accepting \uXXXX escapes.
func (s *scanner) scanIdent(t *token) {
	t.kind = tIdent
	d := s.newData(t)
	var b strings.Builder
	for s.pos < len(s.src) {
		if s.src[s.pos] == '\\' {
			r, n, ok := unicodeEscape(s.src[s.pos:])
			if !ok || !isIdentPart(r) {
				if d.badEscape < 0 {
					d.badEscape = s.pos
				}
				s.pos++
				continue
			}
			b.WriteRune(r)
			s.pos += n
			continue
		}
		r, size := utf8.DecodeRune(s.src[s.pos:])
		if r == utf8.RuneError || !isIdentPart(r) {
			break
		}
		b.WriteRune(r)
		s.pos += size
	}
	d.text = b.String()
}

// unicodeEscape decodes `\uXXXX` at the start of b.
func unicodeEscape(b []byte) (rune, int, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, 0, false
	}
	v, ok := hexValue(b[2:6])
	return rune(v), 6, ok
}

func hexValue(b []byte) (uint32, bool) {
	var v uint32
	for _, c := range b {
		d, ok := hexDigit(c)
		if !ok {
			return 0, false
		}
		v = v<<4 | uint32(d)
	}
	return v, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// scanNumber scans a signed number: Infinity, NaN, hex, or the greedy run of
// decimal characters that Amber's parser hands to Rust's number parser.
func (s *scanner) scanNumber(t *token) {
	t.kind = tNumber
	i := s.pos
	if c := s.src[i]; c == '+' || c == '-' {
		i++
	}
	rest := s.src[i:]
	switch {
	case hasIdentPrefix(rest, "Infinity"), hasIdentPrefix(rest, "NaN"):
		for i < len(s.src) && isASCIIIdent(s.src[i]) {
			i++
		}
	case len(rest) >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X'):
		i += 2
		for i < len(s.src) && isASCIIIdent(s.src[i]) {
			i++
		}
	case len(rest) > 0 && (rest[0] == 'I' || rest[0] == 'N'):
		for i < len(s.src) && isASCIIIdent(s.src[i]) {
			i++
		}
	default:
		for i < len(s.src) && strings.IndexByte("+-.eE0123456789", s.src[i]) >= 0 {
			i++
		}
	}
	if i == s.pos+1 && (s.src[s.pos] == '+' || s.src[s.pos] == '-' || s.src[s.pos] == '.') {
		// A lone sign or dot is not a number.
		t.kind = tIllegal
		s.scanOK = false
	}
	s.pos = i
}

func hasIdentPrefix(b []byte, word string) bool {
	return len(b) >= len(word) && string(b[:len(word)]) == word
}

func isASCIIIdent(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// newData attaches a fresh tokData to t.
func (s *scanner) newData(t *token) *tokData {
	t.data = len(s.data)
	s.data = append(s.data, tokData{badEscape: -1})
	return &s.data[t.data]
}

// scanString scans a quoted string, decoding escapes and recording where
// decoded offsets map back to the source.
func (s *scanner) scanString(t *token) {
	t.kind = tString
	var d tokData
	d.badEscape = -1
	defer func() { *s.newData(t) = d }()
	quote := s.src[s.pos]
	s.pos++
	var b strings.Builder
	verbatim := s.pos
	flush := func(to int) { b.Write(s.src[verbatim:to]) }
	// mark records a decoded->source correspondence. Marks come in pairs,
	// before and after each escape or invalid byte; Node.SourceOffset relies
	// on that.
	mark := func(src int) {
		if d.strMap == nil {
			d.strMap = []strSeg{{0, t.start + 1}}
		}
		d.strMap = append(d.strMap, strSeg{b.Len(), src})
	}
	for {
		if s.pos >= len(s.src) {
			flush(s.pos)
			d.unterminated = true
			break
		}
		c := s.src[s.pos]
		if c == quote {
			flush(s.pos)
			s.pos++
			break
		}
		if c == '\n' || c == '\r' {
			flush(s.pos)
			d.unterminated = true
			break
		}
		if c == '\\' {
			flush(s.pos)
			mark(s.pos)
			s.escape(&d, &b)
			mark(s.pos)
			verbatim = s.pos
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := s.decode(s.pos)
			if r == 0x2028 || r == 0x2029 {
				s.spanGrammarOK, s.scanOK = false, false
			}
			if r == utf8.RuneError && size == 1 {
				flush(s.pos)
				mark(s.pos)
				b.WriteRune(utf8.RuneError)
				s.pos++
				mark(s.pos)
				verbatim = s.pos
				continue
			}
			s.pos += size
			continue
		}
		s.pos++
	}
	d.text = b.String()
}

// escape decodes one escape sequence at s.pos (a backslash).
func (s *scanner) escape(t *tokData, b *strings.Builder) {
	at := s.pos
	s.pos++
	if s.pos >= len(s.src) {
		return // EOF: the string is unterminated
	}
	bad := func() {
		if t.badEscape < 0 {
			t.badEscape = at
		}
	}
	c := s.src[s.pos]
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'v':
		b.WriteByte('\v')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case '0':
		if s.pos+1 < len(s.src) && s.src[s.pos+1] >= '0' && s.src[s.pos+1] <= '9' {
			bad()
		}
		b.WriteByte(0)
	case '1', '2', '3', '4', '5', '6', '7', '8':
		bad()
	case '9':
		// QUIRK: Amber's parser accepts `\9` as `9`, its span grammar does not.
		s.spanGrammarOK, s.scanOK = false, false
		b.WriteByte('9')
	case 'x':
		if s.pos+2 < len(s.src) {
			if v, ok := hexValue(s.src[s.pos+1 : s.pos+3]); ok {
				b.WriteRune(rune(v))
				s.pos += 3
				return
			}
		}
		bad()
	case 'u':
		s.pos--
		s.unicodeInString(t, b, at)
		return
	case '\n':
	case '\r':
		if s.pos+1 < len(s.src) && s.src[s.pos+1] == '\n' {
			s.pos++
		}
	default:
		r, size := s.decode(s.pos)
		if r != 0x2028 && r != 0x2029 {
			b.WriteRune(r)
		}
		s.pos += size
		return
	}
	s.pos++
}

// unicodeInString decodes `\uXXXX`, joining a surrogate pair.
func (s *scanner) unicodeInString(t *tokData, b *strings.Builder, at int) {
	r, n, ok := unicodeEscape(s.src[s.pos:])
	if !ok {
		if t.badEscape < 0 {
			t.badEscape = at
		}
		s.pos += 2
		return
	}
	s.pos += n
	if r >= 0xD800 && r < 0xDC00 {
		lo, n2, ok := unicodeEscape(s.src[s.pos:])
		if !ok || lo < 0xDC00 || lo > 0xDFFF {
			if t.badEscape < 0 {
				t.badEscape = s.pos
			}
			return
		}
		s.pos += n2
		r = (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000
	}
	b.WriteRune(r)
}
