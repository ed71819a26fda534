package json5

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
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

// token is a token without its leading trivia (whitespace and comments).
// Tokens tile the source: the trivia before a token runs from the end of the
// previous one (or the start of the input), so printing the text from each
// token's predecessor's end to its own end reproduces the input. Offsets are
// int32 to keep the token list small; Parse refuses inputs of 2 GiB and more.
type token struct {
	start int32   // offset of the token's first byte
	end   int32   // offset just after the token
	data  int32   // index of the token's tokData, or -1
	kind  tokKind // what the token is
}

// tokData is what a string or identifier carries beyond its offsets when its
// text is not simply its source: escapes, invalid bytes, a missing closing
// quote. Plain strings and identifiers, nearly all of them, have none.
type tokData struct {
	text         string   // decoded value
	strMap       []strSeg // decoded->source map (relative to the token start) when the body has escapes
	unterminated bool
	badEscape    int // offset of the first invalid escape, or -1
	// escapeNotIdent is set when that escape, in an identifier, is a valid
	// \uXXXX but decodes to a character the identifier cannot hold there
	// (Amber: "expected identifier", not "invalid escape sequence").
	escapeNotIdent bool
	// eofEscape is set when the input ends in the middle of an escape
	// sequence (`"\`, `"\u00`, `a\u0`): Amber's parser meets the end there.
	eofEscape bool
}

// scanner splits a JSON5 text into tokens.
type scanner struct {
	src  string // the text being scanned
	base int    // offset in the file of src[0] (non-zero when re-scanning a region)
	pos  int    // offset in src of the next byte
	toks []token
	data []tokData
	errs []Error // encoding problems: invalid UTF-8, NUL bytes
	// spanGrammarOK is cleared by constructs Amber's span grammar rejects.
	spanGrammarOK bool
	// scanOK is cleared when a character cannot be tokenised, which makes
	// Amber's hint scan fail (spec 2.4).
	scanOK bool
	// comments, when not nil, receives every comment skipped (File.Comments).
	comments *[]Comment
}

// scanAll tokenizes src, which starts at offset base of the file, into toks
// (reusing its storage). The last token is tEOF.
func scanAll(src string, base int, toks []token) *scanner {
	s := &scanner{src: src, base: base, spanGrammarOK: true, scanOK: true, toks: toks[:0]}
	if want := len(src)/6 + 2; cap(s.toks) < want {
		s.toks = make([]token, 0, want) // about one token per 6 bytes
	}
	for s.next() {
	}
	return s
}

// encodingError reports bad bytes (invalid UTF-8 or NUL) at [at, end) of
// src. A run of bad bytes of one kind is one error: the report of the bytes
// just before is extended.
func (s *scanner) encodingError(code diag.Code, at, end int) {
	if n := len(s.errs); n > 0 && s.errs[n-1].Code == code && s.errs[n-1].Span.End >= s.base+at {
		e := &s.errs[n-1]
		e.Span.End = max(e.Span.End, s.base+end)
		e.Message = encodingMessage(code, s.src[e.Span.Start-s.base], e.Span.Len())
		e.Label = e.Message
		return
	}
	msg := encodingMessage(code, s.src[at], end-at)
	s.errs = append(s.errs, Error{Span: diag.Span{Start: s.base + at, End: s.base + end}, Code: code, Severity: diag.Error, Label: msg, Message: msg})
}

// encodingMessage describes a run of n bad bytes starting with first.
func encodingMessage(code diag.Code, first byte, n int) string {
	switch {
	case code == codes.NULByte && n == 1:
		return "NUL byte outside a string; manifests must be text"
	case code == codes.NULByte:
		return strconv.Itoa(n) + " NUL bytes outside a string; manifests must be text"
	case n == 1:
		return "invalid UTF-8 byte 0x" + hexByte(first) + "; manifests must be UTF-8 text"
	}
	return strconv.Itoa(n) + " invalid UTF-8 bytes, the first 0x" + hexByte(first) + "; manifests must be UTF-8 text"
}

// Byte classes for the first byte of a token.
const (
	cOther   uint8 = iota // decoded as a rune: an identifier start or an illegal character
	cPunct                // one of {}[]:,
	cQuote                // " or '
	cNumber               // + - . or a digit
	cIdent                // ASCII identifier start: letter, $ or _
	cEscaped              // \ (an identifier with a unicode escape)
)

var (
	firstClass  [256]uint8
	punctuation [256]tokKind
	identPart   [256]bool // ASCII IdentifierPart characters
	numberPart  [256]bool // characters of a decimal number run
)

func init() {
	for _, c := range "{}[]:," {
		firstClass[c] = cPunct
	}
	punctuation['{'], punctuation['}'], punctuation['['], punctuation[']'], punctuation[':'], punctuation[','] = tLBrace, tRBrace, tLBrack, tRBrack, tColon, tComma
	firstClass['"'], firstClass['\''] = cQuote, cQuote
	for _, c := range "+-.0123456789" {
		firstClass[c] = cNumber
	}
	for c := 0; c < utf8.RuneSelf; c++ {
		if isASCIIIdent(byte(c)) {
			identPart[c] = true
			if c < '0' || c > '9' {
				firstClass[c] = cIdent
			}
		}
	}
	firstClass['\\'] = cEscaped
	for _, c := range "+-.eE0123456789" {
		numberPart[c] = true
	}
}

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
	r, size := utf8.DecodeRuneInString(s.src[i:])
	if r == utf8.RuneError && size == 1 {
		s.encodingError(codes.InvalidUTF8, i, i+1)
	}
	return r, size
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// skipTrivia moves past whitespace and comments.
func (s *scanner) skipTrivia() {
	src := s.src
	for s.pos < len(src) {
		c := src[s.pos]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			s.pos++
		case c == '/' && s.pos+1 < len(src) && src[s.pos+1] == '/':
			start := s.pos
			s.pos += 2
			for s.pos < len(src) {
				if c := src[s.pos]; c < utf8.RuneSelf {
					if c == '\n' || c == '\r' {
						break
					}
					s.pos++
					continue
				}
				r, size := s.decode(s.pos)
				if isLineTerminator(r) {
					break
				}
				s.pos += size
			}
			s.comment(Comment{Start: start, End: s.pos})
		case c == '/' && s.pos+1 < len(src) && src[s.pos+1] == '*':
			end := strings.Index(src[s.pos+2:], "*/")
			if end < 0 {
				s.checkEncoding(s.pos+2, len(src))
				s.comment(Comment{Start: s.pos, End: len(src), Block: true, Unclosed: true})
				s.pos = len(src)
				s.spanGrammarOK, s.scanOK = false, false
				return
			}
			s.checkEncoding(s.pos+2, s.pos+2+end)
			s.comment(Comment{Start: s.pos, End: s.pos + end + 4, Block: true})
			s.pos += end + 4
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(src[s.pos:])
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
		if s.src[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := s.decode(i)
		i += size
	}
}

// next appends the next token and reports whether it was not the end.
func (s *scanner) next() bool {
	s.skipTrivia()
	start := s.pos
	if start >= len(s.src) {
		s.emit(tEOF, start, -1)
		return false
	}
	c := s.src[start]
	data := int32(-1)
	kind := tIllegal
	switch firstClass[c] {
	case cPunct:
		kind = punctuation[c]
		s.pos++
	case cQuote:
		kind = tString
		data = s.scanString()
	case cNumber:
		kind = s.scanNumber()
	case cIdent, cEscaped:
		kind = tIdent
		data = s.scanIdent()
	default:
		r, size := s.decode(start)
		if isIdentStart(r) {
			kind = tIdent
			data = s.scanIdent()
			break
		}
		s.pos += size
		if c == 0 {
			// A run of NUL bytes (a binary or UTF-16 file) is one token
			// and one error.
			for s.pos < len(s.src) && s.src[s.pos] == 0 {
				s.pos++
			}
			s.encodingError(codes.NULByte, start, s.pos)
		}
		s.scanOK = false
	}
	s.emit(kind, start, data)
	return true
}

func (s *scanner) emit(kind tokKind, start int, data int32) {
	s.toks = append(s.toks, token{start: int32(s.base + start), end: int32(s.base + s.pos), data: data, kind: kind})
}

// scanIdent scans an IdentifierName, accepting \uXXXX escapes. Only an
// identifier with escapes gets a tokData: any other is its own text.
func (s *scanner) scanIdent() int32 {
	src := s.src
	start := s.pos
	i := s.pos
	for i < len(src) && identPart[src[i]] {
		i++
	}
	for i < len(src) && src[i] >= utf8.RuneSelf {
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == utf8.RuneError || !isIdentPart(r) {
			break
		}
		i += size
		for i < len(src) && identPart[src[i]] {
			i++
		}
	}
	if i >= len(src) || src[i] != '\\' {
		s.pos = i
		return -1
	}
	// An escape: decode the whole identifier.
	d := tokData{badEscape: -1}
	var b strings.Builder
	b.WriteString(src[s.pos:i])
	s.pos = i
	for s.pos < len(src) {
		if src[s.pos] == '\\' {
			r, n, ok := unicodeEscape(src[s.pos:])
			if !ok && cutAtEOF(src[s.pos:]) {
				// `a\` runs on as the key, `a\u0` as its escape.
				d.eofEscape = len(src)-s.pos > 1
				s.pos = len(src)
				break
			}
			if !ok || !isIdentPart(r) || s.pos == start && !isIdentStart(r) {
				if d.badEscape < 0 {
					d.badEscape = s.base + s.pos
					d.escapeNotIdent = ok
				}
				s.pos++
				continue
			}
			b.WriteRune(r)
			s.pos += n
			continue
		}
		r, size := utf8.DecodeRuneInString(src[s.pos:])
		if r == utf8.RuneError || !isIdentPart(r) {
			break
		}
		b.WriteRune(r)
		s.pos += size
	}
	d.text = b.String()
	return s.addData(d)
}

// cutAtEOF reports whether rest, the text from a backslash to the end of
// the input, is a `\uXXXX` escape cut short.
func cutAtEOF(rest string) bool {
	if len(rest) >= 6 || len(rest) > 0 && rest[0] != '\\' || len(rest) > 1 && rest[1] != 'u' {
		return false
	}
	for i := 2; i < len(rest); i++ {
		if _, ok := hexDigit(rest[i]); !ok {
			return false
		}
	}
	return true
}

// unicodeEscape decodes `\uXXXX` at the start of b.
func unicodeEscape(b string) (rune, int, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, 0, false
	}
	v, ok := hexValue(b[2:6])
	return rune(v), 6, ok
}

func hexValue(b string) (uint32, bool) {
	var v uint32
	for i := 0; i < len(b); i++ {
		d, ok := hexDigit(b[i])
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
func (s *scanner) scanNumber() tokKind {
	src := s.src
	i := s.pos
	if c := src[i]; c == '+' || c == '-' {
		i++
	}
	rest := src[i:]
	switch {
	case len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9' && !(len(rest) >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')):
		for i < len(src) && numberPart[src[i]] {
			i++
		}
	case strings.HasPrefix(rest, "Infinity"), strings.HasPrefix(rest, "NaN"),
		len(rest) >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X'),
		len(rest) > 0 && (rest[0] == 'I' || rest[0] == 'N'):
		if rest[0] == '0' {
			i += 2
		}
		for i < len(src) && isASCIIIdent(src[i]) {
			i++
		}
	default:
		for i < len(src) && numberPart[src[i]] {
			i++
		}
	}
	kind := tNumber
	if i == s.pos+1 && (src[s.pos] == '+' || src[s.pos] == '-' || src[s.pos] == '.') {
		// A lone sign or dot is not a number.
		kind = tIllegal
		s.scanOK = false
	}
	s.pos = i
	return kind
}

func isASCIIIdent(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (s *scanner) addData(d tokData) int32 {
	s.data = append(s.data, d)
	return int32(len(s.data) - 1)
}

// scanString scans a quoted string. A string whose body is its value (no
// escapes, no invalid bytes, closed on its line) gets no tokData; any other
// is decoded by scanEscapedString.
func (s *scanner) scanString() int32 {
	src := s.src
	quote := src[s.pos]
	for i := s.pos + 1; i < len(src); {
		c := src[i]
		switch {
		case c == quote:
			s.pos = i + 1
			return -1
		case c == '\\' || c == '\n' || c == '\r':
			return s.scanEscapedString()
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				return s.scanEscapedString()
			}
			if r == 0x2028 || r == 0x2029 {
				s.spanGrammarOK, s.scanOK = false, false
			}
			i += size
		default:
			i++
		}
	}
	return s.scanEscapedString() // unterminated at the end of the input
}

// scanEscapedString scans a string from its opening quote, decoding escapes
// and recording where decoded offsets map back to the source.
func (s *scanner) scanEscapedString() int32 {
	src := s.src
	start := s.pos
	var d tokData
	d.badEscape = -1
	quote := src[s.pos]
	s.pos++
	var b strings.Builder
	verbatim := s.pos
	// mark records a decoded->source correspondence. Marks come in pairs,
	// before and after each escape or invalid byte; Node.SourceOffset relies
	// on that.
	mark := func(at int) {
		if d.strMap == nil {
			d.strMap = []strSeg{{0, 1}}
		}
		d.strMap = append(d.strMap, strSeg{int32(b.Len()), int32(at - start)})
	}
	for {
		if s.pos >= len(src) {
			b.WriteString(src[verbatim:s.pos])
			d.unterminated = true
			break
		}
		c := src[s.pos]
		if c == quote {
			b.WriteString(src[verbatim:s.pos])
			s.pos++
			break
		}
		if c == '\n' || c == '\r' {
			b.WriteString(src[verbatim:s.pos])
			d.unterminated = true
			break
		}
		if c == '\\' {
			b.WriteString(src[verbatim:s.pos])
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
				b.WriteString(src[verbatim:s.pos])
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
	return s.addData(d)
}

// escape decodes one escape sequence at s.pos (a backslash).
func (s *scanner) escape(t *tokData, b *strings.Builder) {
	src := s.src
	at := s.pos
	s.pos++
	if s.pos >= len(src) {
		t.eofEscape = true // and the string is unterminated
		return
	}
	bad := func() {
		if t.badEscape < 0 {
			t.badEscape = s.base + at
		}
	}
	c := src[s.pos]
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
		if s.pos+1 < len(src) && src[s.pos+1] >= '0' && src[s.pos+1] <= '9' {
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
		if s.pos+2 < len(src) {
			if v, ok := hexValue(src[s.pos+1 : s.pos+3]); ok {
				b.WriteRune(rune(v))
				s.pos += 3
				return
			}
		} else if _, ok := hexValue(src[s.pos+1:]); ok { // `\x4` and the end
			t.eofEscape = true
			s.pos = len(src)
			return
		}
		bad()
	case 'u':
		s.pos--
		s.unicodeInString(t, b, at)
		return
	case '\n':
	case '\r':
		if s.pos+1 < len(src) && src[s.pos+1] == '\n' {
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
	if !ok && cutAtEOF(s.src[s.pos:]) {
		t.eofEscape = true
		s.pos = len(s.src)
		return
	}
	if !ok {
		if t.badEscape < 0 {
			t.badEscape = s.base + at
		}
		s.pos += 2
		return
	}
	s.pos += n
	if r >= 0xD800 && r < 0xDC00 {
		lo, n2, ok := unicodeEscape(s.src[s.pos:])
		if !ok && cutAtEOF(s.src[s.pos:]) { // the low half cut short
			t.eofEscape = true
			s.pos = len(s.src)
			return
		}
		if !ok || lo < 0xDC00 || lo > 0xDFFF {
			if t.badEscape < 0 {
				t.badEscape = s.base + s.pos
			}
			return
		}
		s.pos += n2
		r = (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000
	}
	b.WriteRune(r)
}
