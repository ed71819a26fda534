package json5

import (
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// parser builds the tree from the tokens of a text, recovering after
// errors. The parser of a whole file (Parse) scans its tokens as it reads
// them, streamChunk at a time (stream); a slot's parser (Reparse) is given
// every token of the slot.
type parser struct {
	src  string // the text the tokens were scanned from
	base int    // offset in the file of src[0]
	size int    // length of the whole file
	// toks holds the tokens from index off on: while stream is set, those
	// scanned so far (at least the current token and the one after it,
	// until the end of the text); then every one up to tEOF. The hint
	// scan (brackets) has read the ones before off.
	toks   []token
	off    int
	stream *scanner // scans the next tokens; nil once the last is in toks
	more   int      // where toks ends for advance: fill, or stay at tEOF (atMore)
	data   []tokData
	scanOK bool // the scanner tokenised every character (hints; set once stream is nil)
	i      int  // index of the current token
	errs   []Error
	// lastErr is one past the offset of the last syntax error recorded
	// (0 for none): each error must lie after the one before (syntax).
	lastErr int
	depth   int
	opened  []int // offsets of the containers being read, innermost last
	atEOF   bool  // an end-of-input error has been reported
	// sawUnterminated is set once an unterminated string has been reported.
	sawUnterminated bool

	// hints and unmatched describe the whole token list; they are needed
	// only to word errors, so they are computed on first use, from
	// brackets, which has read the tokens before off (or every one, once
	// scannedAll).
	hints      *hints
	unmatched  map[int]bool // offsets of brackets that no closer matches
	matched    bool         // unmatched has been computed
	brackets   bracketScan
	scannedAll bool

	slab    slab
	members []*Member // members of the objects being read, innermost last
	elems   []*Node   // elements of the arrays being read, innermost last
}

// hints are the locations Amber's separate token scan gives for
// unterminated strings and unclosed containers (spec 2.4).
type hints struct {
	ok             bool
	unterminated   int // opening quote of the first unterminated string, or -1
	unclosed       int // innermost unclosed opener, or -1
	unclosedObject bool
}

// maxInput is the largest input Parse builds a tree for: token offsets are
// int32.
const maxInput = math.MaxInt32 - 1

// tokenBuffers recycles token lists between parses: the tree keeps no
// tokens, so the list of one parse is scratch space for the next.
var tokenBuffers sync.Pool

// streamChunk is how many tokens a parse of a whole file scans at a time
// (a variable for tests). The tokens of the 10k-line document took 536 KB
// when the file was scanned whole before the parse: for a fresh server 131
// pages touched for the first time on the way to its first diagnostics,
// each a page fault (about 12 us on the 2-core VM of the README's
// figures).
var streamChunk = 512

// Parse parses a JSON5 text. It never fails: the File holds the tree of
// everything recognised and every problem found, in source order.
//
// The tree does not refer to src: strings are cut from one immutable copy
// of it, so callers may reuse src after Parse returns (File.Src is src).
func Parse(src []byte) *File {
	if len(src) > maxInput {
		return tooLarge(src)
	}
	return parse(src, string(src))
}

// ParseShared is Parse for a text that is never modified afterwards (an
// open document's version, a file's contents as read): the tree's strings
// are cut from src itself, not from a copy. A copy costs a fresh server
// more than its bytes: the 10k-line document's 283 KB are 71 pages the
// process touches for the first time, each a page fault (about 12 us on
// the 2-core VM the README's figures come from); and later versions share
// the strings of the version they were re-parsed from, so each would keep
// a copy alive besides the text.
func ParseShared(src []byte) *File {
	if len(src) > maxInput {
		return tooLarge(src)
	}
	return parse(src, unsafe.String(unsafe.SliceData(src), len(src)))
}

// parse parses src, whose bytes text holds.
func parse(src []byte, text string) *File {
	var buf []token
	if b, ok := tokenBuffers.Get().(*[]token); ok {
		buf = *b
	}
	if cap(buf) < streamChunk {
		buf = make([]token, 0, streamChunk)
	}
	sc := &scanner{src: text, spanGrammarOK: true, scanOK: true, toks: buf[:0]}
	p := &parser{src: text, size: len(src), toks: sc.toks, stream: sc}
	p.brackets.unterminated = -1
	p.slab.chunk = min(max(len(src)/32, 16), 256) // about a quarter of the tokens
	p.fill()
	f := p.file(src, sc)
	toks := sc.toks[:0]
	tokenBuffers.Put(&toks)
	return f
}

// file parses the whole file src, whose tokens sc scans (p.stream) or
// scanned.
func (p *parser) file(src []byte, sc *scanner) *File {
	f := &File{Src: src}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		p.errs = append(p.errs, bomError())
	}
	trailing := false
	if p.tok().kind == tEOF {
		p.eofError("value")
	} else {
		f.root = p.value()
		if t := p.tok(); t.kind != tEOF {
			trailing = true
			p.errs = append(p.errs, Error{Span: diag.Span{Start: int(t.start), End: int(t.end)}, Code: codes.TrailingContent, Severity: diag.Warning,
				Label:   "content after the manifest",
				Message: "content after the end of the root value; Amber ignores it, and positions of its other diagnostics fall back to the start of the file"})
		}
	}
	// The rest of the text is scanned for its encoding errors and what
	// its tokens say of Amber's span grammar.
	for p.stream != nil && sc.next() {
		if len(sc.toks) >= streamChunk {
			sc.toks = sc.toks[:0]
		}
	}
	f.SpanGrammarOK = sc.spanGrammarOK && !trailing
	f.Errors = mergeErrors(p.errs, sc.errs)
	return f
}

// newParser returns a parser of the tokens sc scanned from src, which starts
// at offset base of a file of size bytes.
func newParser(src string, base, size int, sc *scanner) *parser {
	p := &parser{src: src, base: base, size: size, toks: sc.toks, data: sc.data, scanOK: sc.scanOK, more: len(sc.toks)}
	p.brackets.unterminated = -1
	p.slab.chunk = min(max(len(sc.toks)/4, 16), 256)
	return p
}

// fill scans the next tokens, streamChunk of them or up to the end of the
// text, into toks, which keeps the current token and those after it; the
// hint scan reads the ones it drops.
func (p *parser) fill() {
	s, k := p.stream, p.i-p.off
	p.brackets.read(p.toks[:k], p.data)
	s.toks = p.toks[:copy(p.toks, p.toks[k:])]
	p.off = p.i
	for len(s.toks) < max(streamChunk, 2) { // the current token and the next
		if !s.next() {
			p.stream, p.scanOK = nil, s.scanOK
			break
		}
	}
	p.toks, p.data = s.toks, s.data
	p.more = p.off + len(p.toks) // the index after tEOF
	if p.stream != nil {
		p.more-- // the last token scanned: the one after it is needed then
	}
}

// bracketScan is Amber's hint scan over a token list, read in order: the
// brackets opened and not closed so far, a closer that does not match the
// innermost opener being ignored, and the first unterminated string.
type bracketScan struct {
	open         []token
	unterminated int // offset of the first unterminated string's quote, or -1
}

// read continues the scan over toks, whose tokData are in data.
func (b *bracketScan) read(toks []token, data []tokData) {
	for _, t := range toks {
		switch t.kind {
		case tString:
			if t.data >= 0 && data[t.data].unterminated && b.unterminated < 0 {
				b.unterminated = int(t.start)
			}
		case tLBrace, tLBrack:
			b.open = append(b.open, t)
		case tRBrace, tRBrack:
			if n := len(b.open); n > 0 && b.open[n-1].kind == t.kind-1 {
				b.open = b.open[:n-1]
			}
		}
	}
}

// scanAllBrackets completes the hint scan: the rest of the text is
// scanned into toks, which keeps every token from then on.
func (p *parser) scanAllBrackets() *bracketScan {
	if !p.scannedAll {
		p.scannedAll = true
		if s := p.stream; s != nil {
			s.toks = slices.Grow(s.toks, (len(s.src)-s.pos)/6+2) // about one token per 6 bytes
			for s.next() {
			}
			p.toks, p.data, p.stream, p.scanOK = s.toks, s.data, nil, s.scanOK
			p.more = p.off + len(p.toks)
		}
		p.brackets.read(p.toks, p.data)
	}
	return &p.brackets
}

func bomError() Error {
	return Error{Span: diag.Span{Start: 0, End: 3}, Code: codes.ByteOrderMark, Severity: diag.Hint,
		Label: "byte order mark", Message: "the file starts with a UTF-8 byte order mark; Amber reads it as whitespace, but it is better left out"}
}

// tooLarge is the File of an input too large to parse.
func tooLarge(src []byte) *File {
	const msg = "the file is 2 GiB or larger; amber-lsp does not parse it"
	return &File{Src: src, Errors: []Error{{Span: diag.Span{}, Code: codes.FileTooLarge, Severity: diag.Error, Label: "file too large", Message: msg}}}
}

// mergeErrors orders parser and encoding errors by position. Parser errors
// are not always found in source order (an error at EOF may point back at
// the opening bracket of a container), so the result is sorted, stably.
func mergeErrors(a, b []Error) []Error {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := append(append(make([]Error, 0, len(a)+len(b)), a...), b...)
	slices.SortStableFunc(out, func(x, y Error) int { return x.Span.Start - y.Span.Start })
	return out
}

// isUnmatched reports whether no closer matches the `{` or `[` at offset
// off, pairing brackets with a stack on which a mismatched closer is
// ignored (as Amber's hint scan does).
func (p *parser) isUnmatched(off int) bool {
	if !p.matched {
		p.matched = true
		if open := p.scanAllBrackets().open; len(open) > 0 {
			p.unmatched = make(map[int]bool, len(open))
			for _, t := range open {
				p.unmatched[int(t.start)] = true
			}
		}
	}
	return p.unmatched[off]
}

// hint returns the result of Amber's hint scan over the tokens.
func (p *parser) hint() *hints {
	if p.hints != nil {
		return p.hints
	}
	b := p.scanAllBrackets()
	h := &hints{ok: p.scanOK, unterminated: -1, unclosed: -1}
	p.hints = h
	if !h.ok {
		return h
	}
	h.unterminated = b.unterminated
	if n := len(b.open); n > 0 {
		top := b.open[n-1]
		h.unclosed, h.unclosedObject = int(top.start), top.kind == tLBrace
	}
	return h
}

// tok returns the current token.
func (p *parser) tok() token { return p.toks[p.i-p.off] }

// peek returns the token after the current one, which is not tEOF.
func (p *parser) peek() token { return p.toks[p.i-p.off+1] }

// at returns the token at index i, at or after the current one, of a
// parser given every token (a slot's).
func (p *parser) at(i int) token { return p.toks[i-p.off] }

// advance moves to the next token; it stays at tEOF.
func (p *parser) advance() {
	if p.i++; p.i >= p.more {
		p.atMore()
	}
}

// atMore is advance at the end of toks: the token before is tEOF, or the
// last one scanned so far. (Left out of line, advance is inlined.)
//
//go:noinline
func (p *parser) atMore() {
	if p.stream == nil {
		p.i--
		return
	}
	p.fill()
}

// byteAt returns the file's byte at offset off, or 0 outside the text.
func (p *parser) byteAt(off int) byte {
	if i := off - p.base; i >= 0 && i < len(p.src) {
		return p.src[i]
	}
	return 0
}

// text returns the file's text from start to end.
func (p *parser) text(start, end int32) string { return p.src[int(start)-p.base : int(end)-p.base] }

// syntax records a json5_error with a one-character span at offset at
// (zero width at the end of a line or of the input).
//
// Errors are kept in the order the parser meets them, each at a later
// character than the one before. Amber reports the first error its parser
// meets, which is therefore the first listed; an error that would land at
// or before the previous one follows from an earlier problem, and is
// dropped: a second complaint about one character (recovery meets an
// offending token again, as a missing `,` and then as a stray token), or
// an unclosed container reported at its opening bracket once the end of
// the input is reached, when a string missing its closing quote swallowed
// the closer or an earlier error lies after the bracket.
func (p *parser) syntax(at int, label string) {
	if at < p.lastErr {
		return
	}
	p.lastErr = at + 1
	end := at
	if c := p.byteAt(at); at < p.size && c != '\n' && c != '\r' {
		end = at + 1
		if c >= utf8.RuneSelf { // the whole character, as Amber's spans take it
			_, n := utf8.DecodeRuneInString(p.src[at-p.base:])
			end = at + n
		}
	}
	p.errs = append(p.errs, Error{Span: diag.Span{Start: at, End: end}, Code: codes.JSON5Error, Severity: diag.Error, Label: label})
}

// unexpected reports label at token t, which stands where something else
// was expected. A `/` that does not start a comment is reported as Amber
// does: "expected comment", at the character after the `/`, or the end of
// the input in a comment when the `/` is the last character.
func (p *parser) unexpected(t token, label string) {
	if t.kind == tIllegal && p.byteAt(int(t.start)) == '/' {
		if int(t.end) == p.size {
			p.eofInside("comment")
			return
		}
		p.syntax(int(t.start)+1, "expected comment")
		return
	}
	p.syntax(int(t.start), label)
}

// The labels of the errors that report the end of the input met early: a
// container left open (the hint), or eofLabel + what was being read.
const (
	unclosedObject = "missing closing `}` for object opened here"
	unclosedArray  = "missing closing `]` for array opened here"
	eofLabel       = "unexpected EOF while parsing "
)

// eofError reports reaching the end of input while reading what. The end
// is reached once: the containers it leaves open are all reported by the
// first (innermost) error.
func (p *parser) eofError(what string) {
	if p.atEOF {
		return
	}
	p.atEOF = true
	switch h := p.hint(); {
	case h.unclosed >= 0:
		label := unclosedArray
		if h.unclosedObject {
			label = unclosedObject
		}
		p.syntax(h.unclosed, label)
	case len(p.opened) > 0:
		p.syntax(p.opened[len(p.opened)-1], eofLabel+what)
	default:
		p.syntax(p.size, eofLabel+what)
	}
}

// eofInside reports the end of the input met inside a token: a literal, a
// number, a key, an escape sequence, or a comment (what). Amber's parser
// names it so, without a hint, at the innermost container being read (at
// the end of the input when there is none).
func (p *parser) eofInside(what string) {
	if p.atEOF {
		return
	}
	p.atEOF = true
	label := eofLabel + what
	if n := len(p.opened); n > 0 {
		p.syntax(p.opened[n-1], label)
		return
	}
	p.syntax(p.size, label)
}

// eofLiteral reports the end of the input in the middle of a literal, when
// token t ends the input and n, its node, is a start of one (`tr`, `nu`,
// `-`, `-Inf`, `0x`): Amber's parser was reading a bool, null or number.
func (p *parser) eofLiteral(t token, n *Node) {
	if int(t.end) != p.size || n.Kind != Invalid {
		return
	}
	switch n.detail {
	case detailBoolean:
		p.eofInside("bool")
	case detailNull:
		p.eofInside("null")
	case detailNumber:
		body := strings.TrimLeft(n.Text, "+-")
		if len(n.Text)-len(body) <= 1 && (strings.HasPrefix("Infinity", body) || strings.HasPrefix("NaN", body) ||
			body == "0x" || body == "0X") {
			p.eofInside("number")
		}
	}
}

// unterminated reports a string ended by a line break or EOF. The first
// such error is placed as Amber places it; later ones, which Amber never
// reaches, at their own opening quote.
func (p *parser) unterminated(t token) {
	const label = "unterminated string (missing closing quote)"
	first := !p.sawUnterminated
	p.sawUnterminated = true
	switch {
	case !first:
		p.syntax(int(t.start), label)
	case p.hint().unterminated >= 0:
		p.syntax(p.hint().unterminated, label)
	case int(t.end) >= p.size && len(p.opened) > 0:
		p.syntax(p.opened[len(p.opened)-1], label)
	default:
		p.syntax(int(t.end), label)
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

// newNode returns a node from the slab.
func (p *parser) newNode(kind Kind, start, end int) *Node {
	n := p.slab.node()
	n.Kind, n.Start, n.End = kind, start, end
	return n
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
		var n *Node
		if t.kind == tLBrace {
			n = p.object()
		} else {
			n = p.array()
		}
		p.depth--
		return n
	case tString:
		n := p.newNode(String, int(t.start), int(t.end))
		text, segs := p.stringText(t)
		n.Text = text
		if segs != nil {
			n.ext = &nodeExt{strMap: segs}
		}
		return n
	case tNumber:
		p.advance()
		n := p.number(t)
		if n.Kind == Invalid {
			p.eofLiteral(t, n)
		}
		return n
	case tIdent:
		p.advance()
		n := p.ident(t)
		if n.Kind == Invalid {
			p.eofLiteral(t, n)
		}
		return n
	case tEOF:
		p.eofError("value")
		return p.newNode(Invalid, int(t.start), int(t.start))
	}
	if c := p.byteAt(int(t.start)); t.kind == tIllegal && int(t.end) == p.size && (c == '-' || c == '+') {
		// A sign, and then the end: a number cut short.
		p.eofInside("number")
		p.advance()
		n := p.newNode(Invalid, int(t.start), int(t.end))
		n.Text, n.detail, n.found = p.text(t.start, t.end), detailNumber, foundNumber
		return n
	}
	p.unexpected(t, "expected value")
	if t.kind == tIllegal {
		p.advance()
	}
	return p.newNode(Invalid, int(t.start), int(t.start))
}

// stringText consumes a string token, reporting a missing closing quote or
// a bad escape, and returns its decoded text and offset map.
func (p *parser) stringText(t token) (string, []strSeg) {
	p.advance()
	if t.data < 0 {
		return p.text(t.start+1, t.end-1), nil
	}
	d := &p.data[t.data]
	switch {
	case d.badEscape >= 0: // met first, before the end of the string
		p.syntax(d.badEscape, "invalid escape sequence")
		p.sawUnterminated = p.sawUnterminated || d.unterminated
	case d.eofEscape:
		p.eofInside("escape sequence")
	case d.unterminated:
		p.unterminated(t)
	}
	return d.text, d.strMap
}

// noStop is the stop index of a container read whole.
const noStop = math.MaxInt

// object parses `{ members }` starting at the current `{`.
func (p *parser) object() *Node {
	open := p.tok()
	n := p.newNode(Object, int(open.start), 0)
	p.advance()
	p.opened = append(p.opened, n.Start)
	first := len(p.members)
	end, closed := p.objectMembers(n, noStop)
	p.endObject(n, first)
	if closed {
		n.End, n.Closed = end, true
	} else {
		n.End = p.lastEnd(n)
	}
	return n
}

// objectMembers reads the members of object n, whose `{` has been read,
// onto p.members. It returns the end of the closing `}` it consumed, or
// closed false when the object ends without one. With a stop index (a
// slot being re-parsed, see reparse.go) it returns, closed false, once
// the token at index stop has been consumed, or is about to be read at the
// start of a member and is not a comma: stop is then the slot's delimiter.
func (p *parser) objectMembers(n *Node, stop int) (end int, closed bool) {
	for {
		if p.i >= stop && (p.i > stop || p.at(stop).kind != tComma) {
			return 0, false
		}
		t := p.tok()
		switch t.kind {
		case tRBrace:
			p.advance()
			return int(t.end), true
		case tEOF:
			p.eofError("object")
			return 0, false
		case tRBrack:
			// Where a key belongs; after a member without its comma, Amber
			// has reported a missing `,` here.
			p.unexpected(t, "expected identifier")
			if p.isUnmatched(n.Start) && p.enclosing('[') {
				// `[{a: 1]`: the object is missing its `}`; the array
				// takes the `]`.
				return 0, false
			}
			p.advance()
			continue
		case tComma:
			p.unexpected(t, "expected identifier")
			p.advance()
			continue
		}
		m := p.member()
		if m == nil {
			p.skipMember()
			continue
		}
		p.members = append(p.members, m)
		switch t := p.tok(); t.kind {
		case tComma:
			m.Comma = int(t.start)
			p.advance()
		case tRBrace, tEOF:
		default:
			if !unclosed(m.Value) {
				p.unexpected(t, "missing `,`")
			}
		}
	}
}

// endObject gives object n the members read since index first of p.members.
func (p *parser) endObject(n *Node, first int) {
	n.Members = p.slab.memberList(p.members[first:])
	n.indexMembers()
	clear(p.members[first:])
	p.members = p.members[:first]
	p.opened = p.opened[:len(p.opened)-1]
}

// endArray gives array n the elements read since index first of p.elems.
func (p *parser) endArray(n *Node, first int) {
	if es := p.elems[first:]; len(es) > 0 {
		n.ext = p.slab.ext()
		n.ext.elems = p.slab.nodeList(es)
	}
	clear(p.elems[first:])
	p.elems = p.elems[:first]
	p.opened = p.opened[:len(p.opened)-1]
}

// enclosing reports whether a container opened with the given bracket
// encloses the one being read.
func (p *parser) enclosing(bracket byte) bool {
	for _, off := range p.opened[:len(p.opened)-1] {
		if p.byteAt(off) == bracket {
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
	if es := n.Elems(); len(es) > 0 {
		end = es[len(es)-1].End
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
			if level == 0 && p.peek().kind == tColon {
				return
			}
		}
		p.advance()
	}
}

// member parses `key: value`. It returns nil, having consumed nothing, when
// no key can start at the current token.
func (p *parser) member() *Member {
	t := p.tok()
	var key Key
	switch {
	case t.kind == tString:
		key = Key{Start: int(t.start), End: int(t.end), Quoted: true}
		key.Name, _ = p.stringText(t)
	case t.kind == tIdent:
		p.advance()
		key = Key{Start: int(t.start), End: int(t.end)}
		if t.data < 0 {
			key.Name = p.text(t.start, t.end)
		} else {
			d := &p.data[t.data]
			if d.badEscape >= 0 {
				label := "invalid escape sequence"
				if d.escapeNotIdent {
					label = "expected identifier"
				}
				p.syntax(d.badEscape, label)
			} else if d.eofEscape {
				p.eofInside("escape sequence")
			}
			key.Name = d.text
		}
	default:
		p.unexpected(t, "expected identifier")
		return nil
	}
	m := p.slab.member()
	*m = Member{Key: key, Colon: -1, Comma: -1}
	switch c := p.tok(); {
	case c.kind == tColon:
		m.Colon = int(c.start)
		p.advance()
	case c.kind == tEOF:
		if t.kind == tIdent && int(t.end) == p.size {
			p.eofInside("identifier") // the key may go on
		}
		p.eofError("object")
		m.Value = p.newNode(Invalid, m.Key.End, m.Key.End)
		return m
	default:
		p.unexpected(c, "missing `:`")
		if !startsValue(c.kind) || c.kind == tIdent && p.peek().kind == tColon {
			m.Value = p.newNode(Invalid, m.Key.End, m.Key.End)
			return m
		}
	}
	if p.tok().kind == tEOF {
		p.eofError("value")
		m.Value = p.newNode(Invalid, m.Key.End, m.Key.End)
		return m
	}
	m.Value = p.value()
	return m
}

// array parses `[ elements ]` starting at the current `[`.
func (p *parser) array() *Node {
	open := p.tok()
	n := p.newNode(Array, int(open.start), 0)
	p.advance()
	p.opened = append(p.opened, n.Start)
	first := len(p.elems)
	end, closed := p.arrayElems(n, noStop)
	p.endArray(n, first)
	if closed {
		n.End, n.Closed = end, true
	} else {
		n.End = p.lastEnd(n)
	}
	return n
}

// arrayElems is objectMembers for the elements of array n, read onto
// p.elems.
func (p *parser) arrayElems(n *Node, stop int) (end int, closed bool) {
	for {
		if p.i >= stop && (p.i > stop || p.at(stop).kind != tComma) {
			return 0, false
		}
		t := p.tok()
		switch t.kind {
		case tRBrack:
			p.advance()
			return int(t.end), true
		case tEOF:
			p.eofError("array")
			return 0, false
		case tRBrace:
			if p.isUnmatched(n.Start) && p.enclosing('{') {
				// `{a: [1}`: the array is missing its `]`; the `}`
				// stands where a value (or a `,`) belongs.
				p.unexpected(t, "expected value")
				return 0, false
			}
			p.strayInArray(t)
			continue
		case tComma, tColon:
			p.strayInArray(t)
			continue
		case tIdent, tString:
			if p.peek().kind == tColon && p.isUnmatched(n.Start) && p.enclosing('{') {
				// `{a: [1, b: 2}`: a member of the enclosing object
				// follows an array that is missing its `]`.
				p.unexpected(t, "expected value")
				return 0, false
			}
		}
		e := p.value()
		p.elems = append(p.elems, e)
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
func (p *parser) strayInArray(t token) {
	p.unexpected(t, "expected value")
	p.advance()
	if t.kind != tComma && p.tok().kind == tComma {
		p.advance()
	}
}

// skipDeep skips a container nested deeper than MaxDepth without recursion.
func (p *parser) skipDeep() *Node {
	open := p.tok()
	p.errs = append(p.errs, Error{Span: diag.Span{Start: int(open.start), End: int(open.end)}, Code: codes.NestingTooDeep, Severity: diag.Error,
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
			return p.newNode(Invalid, int(open.start), int(t.start))
		}
		p.advance()
		if level == 0 {
			return p.newNode(Invalid, int(open.start), int(t.end))
		}
	}
}

// ident turns a bare word in value position into a literal, or an Invalid
// node describing it.
func (p *parser) ident(t token) *Node {
	n := p.newNode(Invalid, int(t.start), int(t.end))
	n.Text = p.text(t.start, t.end)
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
		n.found = foundIdentifier
		switch {
		case strings.HasPrefix("true", n.Text) || strings.HasPrefix("false", n.Text):
			n.detail = detailBoolean
		case strings.HasPrefix("null", n.Text):
			n.detail = detailNull
		case strings.HasPrefix("Infinity", n.Text) || strings.HasPrefix("NaN", n.Text):
			n.detail = detailNumber
		}
	}
	return n
}

// number validates a numeric token (spec 2.1).
func (p *parser) number(t token) *Node {
	text := p.text(t.start, t.end)
	n := p.newNode(Number, int(t.start), int(t.end))
	n.Text = text
	body := strings.TrimLeft(text, "+-")
	if len(text)-len(body) > 1 {
		n.Kind, n.detail, n.found = Invalid, detailNumber, foundNumber
		return n
	}
	switch {
	case body == "Infinity" || body == "NaN":
		return n
	case strings.HasPrefix(body, "I") || strings.HasPrefix(body, "N"):
		n.Kind, n.detail, n.found = Invalid, detailNumber, foundIdentifier
		return n
	case strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X"):
		digits := body[2:]
		for i := 0; i < len(digits); i++ {
			if _, ok := hexDigit(digits[i]); !ok {
				n.Kind, n.detail, n.found = Invalid, detailNumber, foundNumber
				return n
			}
		}
		if digits == "" {
			n.Kind, n.detail, n.found = Invalid, detailNumber, foundNumber
			return n
		}
		if significant := strings.TrimLeft(digits, "0"); len(significant) > 32 {
			if v, _ := new(big.Int).SetString(digits, 16); v.BitLen() > 128 {
				overflow := int(t.end) - len(significant) + 32 // the 33rd significant digit
				p.syntax(overflow, "number is too large")
			}
		}
		return n
	}
	if len(body) > 1 && body[0] == '0' && body[1] >= '0' && body[1] <= '9' {
		p.syntax(int(t.start), "leading zero is not allowed")
		return n
	}
	if !validDecimal(body) {
		n.Kind, n.found = Invalid, foundNumber
		if strings.ContainsAny(body, ".eE") {
			n.detail = detailFloat
		} else {
			n.detail = detailDigit
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
