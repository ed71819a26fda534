package json5

import (
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

// parser builds the tree from the token list, recovering after errors.
type parser struct {
	src    []byte
	toks   []token
	data   []tokData
	i      int // index of the current token
	errs   []Error
	depth  int
	hints  hints
	opened []int // offsets of the containers being read, innermost last
	atEOF  bool  // an end-of-input error has been reported
	// sawUnterminated is set once an unterminated string has been reported.
	sawUnterminated bool
	// unmatched holds the offsets of brackets that no closer matches, for
	// recovery: only such a container gives way to its parent's closer.
	unmatched map[int]bool
}

// hints are the locations Amber's separate token scan gives for
// unterminated strings and unclosed containers (spec 2.4).
type hints struct {
	ok             bool
	unterminated   int // opening quote of the first unterminated string, or -1
	unclosed       int // innermost unclosed opener, or -1
	unclosedObject bool
}

// Parse parses a JSON5 text. It never fails: the File holds the tree of
// everything recognised and every problem found, in source order.
func Parse(src []byte) *File {
	toks, sc := scanAll(src)
	p := &parser{src: src, toks: toks, data: sc.data}
	p.hints = computeHints(toks, sc.data, sc.scanOK)
	p.unmatched = unmatchedOpeners(toks)
	f := &File{Src: src, tokens: toks, SpanGrammarOK: sc.spanGrammarOK}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		p.errs = append(p.errs, Error{Span: diag.Span{Start: 0, End: 3}, Code: CodeByteOrderMrk, Severity: diag.Hint,
			Label: "byte order mark", Message: "the file starts with a UTF-8 byte order mark; Amber reads it as whitespace, but it is better left out"})
	}
	if p.tok().kind == tEOF {
		p.eofError("value")
	} else {
		f.Root = p.value()
		if t := p.tok(); t.kind != tEOF {
			f.SpanGrammarOK = false
			p.errs = append(p.errs, Error{Span: diag.Span{Start: t.start, End: t.end}, Code: CodeTrailing, Severity: diag.Warning,
				Label:   "content after the manifest",
				Message: "content after the end of the root value; Amber ignores it, and positions of its other diagnostics fall back to the start of the file"})
		}
	}
	f.Errors = mergeErrors(p.errs, sc.errs)
	return f
}

// mergeErrors orders parser and encoding errors by position. Parser errors
// are not always found in source order (an error at EOF may point back at
// the opening bracket of a container), so the result is sorted, stably.
func mergeErrors(a, b []Error) []Error {
	out := append(append(make([]Error, 0, len(a)+len(b)), a...), b...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	return out
}

// unmatchedOpeners returns the offsets of the `{` and `[` tokens that no
// closer matches, pairing brackets with a stack on which a mismatched closer
// is ignored (as Amber's hint scan does).
func unmatchedOpeners(toks []token) map[int]bool {
	var stack []token
	for _, t := range toks {
		switch t.kind {
		case tLBrace, tLBrack:
			stack = append(stack, t)
		case tRBrace, tRBrack:
			want := tLBrace
			if t.kind == tRBrack {
				want = tLBrack
			}
			if len(stack) > 0 && stack[len(stack)-1].kind == want {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) == 0 {
		return nil
	}
	out := make(map[int]bool, len(stack))
	for _, t := range stack {
		out[t.start] = true
	}
	return out
}

// computeHints runs Amber's hint scan over the tokens.
func computeHints(toks []token, data []tokData, scanOK bool) hints {
	h := hints{ok: scanOK, unterminated: -1, unclosed: -1}
	if !scanOK {
		return h
	}
	var stack []token
	for _, t := range toks {
		switch t.kind {
		case tString:
			if data[t.data].unterminated && h.unterminated < 0 {
				h.unterminated = t.start
			}
		case tLBrace, tLBrack:
			stack = append(stack, t)
		case tRBrace, tRBrack:
			want := tLBrace
			if t.kind == tRBrack {
				want = tLBrack
			}
			if len(stack) > 0 && stack[len(stack)-1].kind == want {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		h.unclosed, h.unclosedObject = top.start, top.kind == tLBrace
	}
	return h
}

func (p *parser) tok() *token { return &p.toks[p.i] }

func (p *parser) advance() {
	if p.toks[p.i].kind != tEOF {
		p.i++
	}
}

// syntax records a json5_error with a one-character span at offset at
// (zero width at the end of a line or of the input). Recovery may meet the
// same offending token twice; the same error is recorded once.
func (p *parser) syntax(at int, label string) {
	if n := len(p.errs); n > 0 && p.errs[n-1].Span.Start == at && p.errs[n-1].Label == label {
		return
	}
	end := at
	if at < len(p.src) && p.src[at] != '\n' && p.src[at] != '\r' {
		end = at + 1
	}
	p.errs = append(p.errs, Error{Span: diag.Span{Start: at, End: end}, Code: CodeSyntax, Severity: diag.Error, Label: label})
}

// unexpected reports label at token t, which stands where something else
// was expected. A `/` that does not start a comment is reported as Amber
// does: "expected comment", at the character after the `/`.
func (p *parser) unexpected(t *token, label string) {
	if t.kind == tIllegal && p.src[t.start] == '/' {
		p.syntax(t.start+1, "expected comment")
		return
	}
	p.syntax(t.start, label)
}

// eofError reports reaching the end of input while reading what. The end
// is reached once: the containers it leaves open are all reported by the
// first (innermost) error.
func (p *parser) eofError(what string) {
	if p.atEOF {
		return
	}
	p.atEOF = true
	switch {
	case p.hints.unclosed >= 0:
		label := "missing closing `]` for array opened here"
		if p.hints.unclosedObject {
			label = "missing closing `}` for object opened here"
		}
		p.syntax(p.hints.unclosed, label)
	case len(p.opened) > 0:
		p.syntax(p.opened[len(p.opened)-1], "unexpected EOF while parsing "+what)
	default:
		p.syntax(len(p.src), "unexpected EOF while parsing "+what)
	}
}

// unterminated reports a string ended by a line break or EOF. The first
// such error is placed as Amber places it; later ones, which Amber never
// reaches, at their own opening quote.
func (p *parser) unterminated(t *token) {
	const label = "unterminated string (missing closing quote)"
	first := !p.sawUnterminated
	p.sawUnterminated = true
	switch {
	case !first:
		p.syntax(t.start, label)
	case p.hints.unterminated >= 0:
		p.syntax(p.hints.unterminated, label)
	case t.end >= len(p.src) && len(p.opened) > 0:
		p.syntax(p.opened[len(p.opened)-1], label)
	default:
		p.syntax(t.end, label)
	}
}

// startsValue reports whether a token can begin a value.
func startsValue(k tokKind) bool {
	switch k {
	case tLBrace, tLBrack, tString, tNumber, tIdent:
		return true
	}
	return false
}

// value parses one value at the current token.
func (p *parser) value() *Node {
	t := p.tok()
	switch t.kind {
	case tLBrace, tLBrack:
		if p.depth >= MaxDepth {
			return p.skipDeep()
		}
		p.depth++
		defer func() { p.depth-- }()
		if t.kind == tLBrace {
			return p.object()
		}
		return p.array()
	case tString:
		return p.stringNode()
	case tNumber:
		p.advance()
		return p.number(t)
	case tIdent:
		p.advance()
		return p.ident(t)
	case tEOF:
		p.eofError("value")
		return &Node{Kind: Invalid, Start: t.start, End: t.start}
	}
	p.unexpected(t, "expected value")
	if t.kind == tIllegal {
		p.advance()
	}
	return &Node{Kind: Invalid, Start: t.start, End: t.start}
}

func (p *parser) stringNode() *Node {
	t := p.tok()
	d := p.stringData(t)
	return &Node{Kind: String, Start: t.start, End: t.end, Text: d.text, strMap: d.strMap}
}

// stringData consumes a string token, reporting a missing closing quote or
// a bad escape, and returns its data.
func (p *parser) stringData(t *token) *tokData {
	p.advance()
	d := &p.data[t.data]
	if d.unterminated {
		p.unterminated(t)
	} else if d.badEscape >= 0 {
		p.syntax(d.badEscape, "invalid escape sequence")
	}
	return d
}

// object parses `{ members }` starting at the current `{`.
func (p *parser) object() *Node {
	open := p.tok()
	n := &Node{Kind: Object, Start: open.start}
	p.advance()
	p.opened = append(p.opened, open.start)
	defer func() { p.opened = p.opened[:len(p.opened)-1] }()
	for {
		t := p.tok()
		switch t.kind {
		case tRBrace:
			p.advance()
			n.End, n.Closed = t.end, true
			return n
		case tEOF:
			p.eofError("object")
			n.End = p.lastEnd(n)
			return n
		case tRBrack:
			if p.unmatched[n.Start] && p.enclosing('[') {
				// `[{a: 1]`: the object is missing its `}`; the array
				// takes the `]`.
				p.syntax(n.Start, "missing closing `}` for object opened here")
				n.End = p.lastEnd(n)
				return n
			}
			p.unexpected(t, "expected identifier")
			p.advance()
			continue
		case tComma:
			p.unexpected(t, "expected identifier")
			p.advance()
			continue
		}
		m, ok := p.member()
		if m != nil {
			n.Members = append(n.Members, m)
		}
		if !ok {
			p.skipMember()
			continue
		}
		switch t := p.tok(); t.kind {
		case tComma:
			m.Comma = t.start
			p.advance()
		case tRBrace, tEOF:
		default:
			if !unclosed(m.Value) {
				p.unexpected(t, "missing `,`")
			}
		}
	}
}

// enclosing reports whether a container opened with the given bracket
// encloses the one being read.
func (p *parser) enclosing(bracket byte) bool {
	for _, off := range p.opened[:len(p.opened)-1] {
		if p.src[off] == bracket {
			return true
		}
	}
	return false
}

// unclosed reports whether n is an object or array that ended without its
// closing bracket; the error has been reported, so the token after it needs
// no "missing `,`".
func unclosed(n *Node) bool {
	return (n.Kind == Object || n.Kind == Array) && !n.Closed
}

// lastEnd is where an unclosed container ends: after its last child (and
// the comma that follows a last member).
func (p *parser) lastEnd(n *Node) int {
	end := n.Start + 1
	if len(n.Members) > 0 {
		m := n.Members[len(n.Members)-1]
		end = max(m.Value.End, m.Comma+1)
	}
	if len(n.Elems) > 0 {
		end = n.Elems[len(n.Elems)-1].End
	}
	return end
}

// skipMember skips what follows a token that cannot start a member, without
// further errors: up to and including the next `,`, or up to a closing
// bracket, the end of input or the next `key:`. Containers are skipped
// whole.
func (p *parser) skipMember() {
	level := 0
	for {
		t := p.tok()
		switch t.kind {
		case tEOF:
			return
		case tLBrace, tLBrack:
			level++
		case tRBrace, tRBrack:
			if level == 0 {
				return
			}
			level--
		case tComma:
			if level == 0 {
				p.advance()
				return
			}
		case tIdent, tString:
			if level == 0 && p.toks[p.i+1].kind == tColon {
				return
			}
		}
		p.advance()
	}
}

// member parses `key: value`. It returns false, having consumed nothing,
// when no key can start at the current token.
func (p *parser) member() (*Member, bool) {
	t := p.tok()
	m := &Member{Colon: -1, Comma: -1}
	switch {
	case t.kind == tString:
		d := p.stringData(t)
		m.Key = Key{Name: d.text, Start: t.start, End: t.end, Quoted: true}
	case t.kind == tIdent:
		p.advance()
		d := &p.data[t.data]
		if d.badEscape >= 0 {
			p.syntax(d.badEscape, "invalid escape sequence")
		}
		m.Key = Key{Name: d.text, Start: t.start, End: t.end}
	default:
		p.unexpected(t, "expected identifier")
		return nil, false
	}
	switch c := p.tok(); {
	case c.kind == tColon:
		m.Colon = c.start
		p.advance()
	case c.kind == tEOF:
		p.eofError("object")
		m.Value = &Node{Kind: Invalid, Start: m.Key.End, End: m.Key.End}
		return m, true
	default:
		p.unexpected(c, "missing `:`")
		if !startsValue(c.kind) || c.kind == tIdent && p.toks[p.i+1].kind == tColon {
			m.Value = &Node{Kind: Invalid, Start: m.Key.End, End: m.Key.End}
			return m, true
		}
	}
	if p.tok().kind == tEOF {
		p.eofError("value")
		m.Value = &Node{Kind: Invalid, Start: m.Key.End, End: m.Key.End}
		return m, true
	}
	m.Value = p.value()
	return m, true
}

// array parses `[ elements ]` starting at the current `[`.
func (p *parser) array() *Node {
	open := p.tok()
	n := &Node{Kind: Array, Start: open.start}
	p.advance()
	p.opened = append(p.opened, open.start)
	defer func() { p.opened = p.opened[:len(p.opened)-1] }()
	for {
		t := p.tok()
		switch t.kind {
		case tRBrack:
			p.advance()
			n.End, n.Closed = t.end, true
			return n
		case tEOF:
			p.eofError("array")
			n.End = p.lastEnd(n)
			return n
		case tRBrace:
			if p.unmatched[n.Start] && p.enclosing('{') {
				// `{a: [1}`: the array is missing its `]`.
				p.syntax(n.Start, "missing closing `]` for array opened here")
				n.End = p.lastEnd(n)
				return n
			}
			p.strayInArray(t)
			continue
		case tComma, tColon:
			p.strayInArray(t)
			continue
		case tIdent, tString:
			if p.toks[p.i+1].kind == tColon && p.unmatched[n.Start] && p.enclosing('{') {
				// `{a: [1, b: 2}`: a member of the enclosing object
				// follows an array that is missing its `]`.
				p.syntax(n.Start, "missing closing `]` for array opened here")
				n.End = p.lastEnd(n)
				return n
			}
		}
		e := p.value()
		n.Elems = append(n.Elems, e)
		switch t := p.tok(); t.kind {
		case tComma:
			p.advance()
		case tRBrack, tEOF:
		default:
			if !unclosed(e) {
				p.unexpected(t, "missing `,`")
			}
		}
	}
}

// strayInArray reports a token that cannot start an element and skips it,
// with the comma that separates it from the next element: `[1, :, 2]` is
// one error.
func (p *parser) strayInArray(t *token) {
	p.unexpected(t, "expected value")
	p.advance()
	if t.kind != tComma && p.tok().kind == tComma {
		p.advance()
	}
}

// skipDeep skips a container nested deeper than MaxDepth without recursion.
func (p *parser) skipDeep() *Node {
	open := p.tok()
	p.errs = append(p.errs, Error{Span: diag.Span{Start: open.start, End: open.end}, Code: CodeTooDeep, Severity: diag.Error,
		Label: "nested too deeply", Message: "objects and arrays are nested more than " + strconv.Itoa(MaxDepth) + " levels deep here; the content is not analysed"})
	level := 0
	for {
		t := p.tok()
		switch t.kind {
		case tLBrace, tLBrack:
			level++
		case tRBrace, tRBrack:
			level--
		case tEOF:
			return &Node{Kind: Invalid, Start: open.start, End: t.start}
		}
		p.advance()
		if level == 0 {
			return &Node{Kind: Invalid, Start: open.start, End: t.end}
		}
	}
}

// ident turns a bare word in value position into a literal, or an Invalid
// node describing it.
func (p *parser) ident(t *token) *Node {
	n := &Node{Kind: Invalid, Start: t.start, End: t.end, Text: string(p.src[t.start:t.end])}
	switch n.Text {
	case "true", "false":
		n.Kind = Bool
	case "null":
		n.Kind = Null
	case "Infinity", "NaN":
		n.Kind = Number
	default:
		// A malformed literal is a shape error where Amber's parser tried a
		// literal (`tru`, `nul`); any other bare word is an identifier, which
		// typed positions report as "expected X, found identifier".
		n.Found = "identifier"
		switch {
		case strings.HasPrefix("true", n.Text) || strings.HasPrefix("false", n.Text):
			n.Detail = "expected boolean"
		case strings.HasPrefix("null", n.Text):
			n.Detail = "expected null"
		case strings.HasPrefix("Infinity", n.Text) || strings.HasPrefix("NaN", n.Text):
			n.Detail = "expected number"
		}
	}
	return n
}

// number validates a numeric token (spec 2.1).
func (p *parser) number(t *token) *Node {
	text := string(p.src[t.start:t.end])
	n := &Node{Kind: Number, Start: t.start, End: t.end, Text: text}
	body := strings.TrimLeft(text, "+-")
	if len(text)-len(body) > 1 {
		n.Kind, n.Detail, n.Found = Invalid, "expected number", "number"
		return n
	}
	switch {
	case body == "Infinity" || body == "NaN":
		return n
	case strings.HasPrefix(body, "I") || strings.HasPrefix(body, "N"):
		n.Kind, n.Detail, n.Found = Invalid, "expected number", "identifier"
		return n
	case strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X"):
		digits := body[2:]
		for i := 0; i < len(digits); i++ {
			if _, ok := hexDigit(digits[i]); !ok {
				n.Kind, n.Detail, n.Found = Invalid, "expected number", "number"
				return n
			}
		}
		if digits == "" {
			n.Kind, n.Detail, n.Found = Invalid, "expected number", "number"
			return n
		}
		if v, _ := new(big.Int).SetString(digits, 16); v.BitLen() > 128 {
			significant := strings.TrimLeft(digits, "0")
			overflow := t.end - len(significant) + 32 // the 33rd significant digit
			p.syntax(overflow, "number is too large")
		}
		return n
	}
	if len(body) > 1 && body[0] == '0' && body[1] >= '0' && body[1] <= '9' {
		p.syntax(t.start, "leading zero is not allowed")
		return n
	}
	if !validDecimal(body) {
		n.Kind, n.Found = Invalid, "number"
		if strings.ContainsAny(body, ".eE") {
			n.Detail = "invalid float literal"
		} else {
			n.Detail = "invalid digit found in string"
		}
	}
	return n
}

// validDecimal checks `int? (. digits?)? ([eE] [+-]? digits)?` with at least
// one digit before the exponent.
func validDecimal(s string) bool {
	i, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
