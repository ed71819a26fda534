// Package format formats JSON5 text, manifests included, without changing
// what it means.
//
// The formatter rewrites only the trivia between tokens (whitespace, the
// placement of comments) and the commas; every key, string, number and
// literal is copied as written, and so is every comment. The style:
//
//   - Indentation: two spaces per level by default (Options).
//   - An object or array is kept on one line when it is written on one line,
//     holds no comment, and fits, with the comma that follows it, within
//     Width (100) columns: `{ a: 1, b: [1, 2] }` (spaces inside braces,
//     none inside brackets, no trailing comma). Otherwise each member or
//     element goes on a line of its own, and the trailing comma after the
//     last one is kept if it was written, left out if it was not. A
//     collection written over several lines stays so; empty ones are `{}`
//     and `[]`.
//   - Comments stay where they are relative to the tokens: a comment on the
//     line of the code before it stays at the end of that line (unless the
//     next member follows it there: it then leads that member on its line),
//     a comment on a line of its own stays on a line of its own,
//     re-indented (the lines of a block comment move with its first line).
//     A comma written after a comment (`1 /* c */,`) moves before it.
//   - Blank lines between members, elements and comments are kept, several
//     in a row become one; none is kept just inside a bracket or at the
//     start of the text.
//   - Keys keep their quotes (or lack of them), strings their quote style
//     and escapes, numbers their spelling (`0x1F`, `+1`, `.5`, `Infinity`).
//   - Lines end as the first line break between the text's tokens does (LF,
//     CRLF or CR; LF when there is none), and the text ends with one line
//     break (unless it ends inside an unclosed block comment). A byte
//     order mark is kept. The editor's other options (trimming trailing
//     whitespace, final newlines) need nothing: the formatter ends no line
//     with whitespace of its own.
//
// Formatting is idempotent, and the formatted text parses to the same
// values. A text with syntax errors is refused with a *SyntaxError: it
// is never reformatted around a mistake. So is, with ErrTooLarge, a text
// whose deep nesting would make its formatting many times as large.
package format

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Width is the line width collections written on one line must fit in to
// stay on one line.
const Width = 100

// Options adjust the indentation, as an editor's formatting options do.
type Options struct {
	// TabSize is the number of columns of one indentation level: the
	// number of spaces, or how wide a tab counts. 0 or less means 2.
	TabSize int
	// UseTabs indents with one tab per level instead of TabSize spaces.
	UseTabs bool
}

func (o Options) tabSize() int {
	if o.TabSize <= 0 {
		return 2
	}
	return o.TabSize
}

// unit returns one level of indentation.
func (o Options) unit() string {
	if o.UseTabs {
		return "\t"
	}
	return strings.Repeat(" ", o.tabSize())
}

// SyntaxError is the error for a text the formatter refuses: it has syntax
// errors (or problems Amber reports as such, like content after the root
// value), which formatting could make worse.
type SyntaxError struct {
	// Errors are the parse errors of severity error or warning.
	Errors []json5.Error
}

// Error names the first problem, by offset and Amber's message.
func (e *SyntaxError) Error() string {
	first := e.Errors[0]
	msg := first.Message
	if msg == "" {
		msg = "json5 parse error: " + first.Label
	}
	if len(e.Errors) == 1 {
		return fmt.Sprintf("not formatted: the text has a syntax error at offset %d: %s", first.Span.Start, msg)
	}
	return fmt.Sprintf("not formatted: the text has %d syntax errors; the first, at offset %d: %s", len(e.Errors), first.Span.Start, msg)
}

// refusal returns the SyntaxError of a file that must not be formatted, or
// nil.
func refusal(f *json5.File) error {
	var errs []json5.Error
	for _, e := range f.Errors {
		if e.Severity == diag.Error || e.Severity == diag.Warning {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 || f.Root() == nil {
		if len(errs) == 0 {
			errs = []json5.Error{{Code: codes.JSON5Error, Severity: diag.Error, Label: "unexpected EOF while parsing value"}}
		}
		return &SyntaxError{Errors: errs}
	}
	return nil
}

// maxGrowth bounds how many times larger than the original the formatted
// text may be (plus a megabyte).
const maxGrowth = 16

// ErrTooLarge is the error for a text whose formatting would be more than
// 16 times as large (plus a megabyte): deep nesting written on few lines
// grows by its indentation, quadratically. No manifest needs that; the text
// is left as it is, and formatting stays linear in time and memory.
var ErrTooLarge = errors.New("not formatted: the formatted text would be more than 16 times as large as the original (objects or arrays nested very deeply)")

// Edit replaces the bytes of Span in the original text with NewText.
type Edit struct {
	Span    diag.Span // byte offsets in the original text
	NewText string    // what replaces them
}

// Result is a formatted text.
type Result struct {
	// Text is the formatted text.
	Text []byte
	// Edits turn the original text into Text. They are sorted and do not
	// overlap, and each lies between two tokens: it replaces only
	// whitespace, comments and commas, so editors keep cursors, folds and
	// marks on the code. An already formatted text has none.
	Edits []Edit
}

// Source formats a JSON5 text.
func Source(src []byte, opts Options) ([]byte, error) {
	res, err := File(json5.Parse(src), opts)
	if err != nil {
		return nil, err
	}
	return res.Text, nil
}

// File formats a parsed text. It returns a *SyntaxError when the text has
// syntax errors.
func File(f *json5.File, opts Options) (*Result, error) {
	if err := refusal(f); err != nil {
		return nil, err
	}
	p := newPrinter(f, opts)
	if err := p.run(); err != nil {
		return nil, err
	}
	return &Result{Text: p.out, Edits: p.edits}, nil
}

// Range formats the smallest run of members or elements that encloses
// span: the edits of File that fall within them (and the indentation
// before the first). A span on a container's brackets, or in the space
// between its members, formats the whole container; a span in a
// collection kept on one line formats the collection. It returns a
// *SyntaxError when the text has syntax errors.
func Range(f *json5.File, span diag.Span, opts Options) ([]Edit, error) {
	if err := refusal(f); err != nil {
		return nil, err
	}
	p := newPrinter(f, opts)
	if err := p.run(); err != nil {
		return nil, err
	}
	region := p.enclosing(span)
	var out []Edit
	for _, e := range p.edits {
		if e.Span.End >= region.Start && e.Span.Start < region.End {
			out = append(out, e)
		}
	}
	return out, nil
}

// printer writes the formatted text of one file.
type printer struct {
	src      []byte
	root     *json5.Node
	unit     string // one level of indentation
	tab      int    // columns of a tab
	eol      string
	breaks   []int // offsets of the line breaks of src
	comments []json5.Comment
	next     int // index of the first comment not printed yet

	out       []byte
	level     int
	col       int // column of the end of out
	lineStart int // offset in out of the current line
	// floating is the offset of a comma printed before the comments that
	// preceded it: comments before it are not anchored, so that the edit
	// that moves the comma is one edit.
	floating int
	// Anchors are the tokens and comments copied as written; the text
	// between two anchors is trivia, compared with what it became when the
	// next anchor is copied. oldAt and newAt are the ends of the last
	// anchor in src and out.
	oldAt, newAt int
	edits        []Edit
	// limit bounds the output (see ErrTooLarge): write panics with
	// errOverflow beyond it, and run recovers.
	limit   int
	indents []byte // the indentation of the deepest level so far
}

// errOverflow stops a printer whose output passed its limit.
var errOverflow = errors.New("format: output limit")

// run prints the whole text; it returns ErrTooLarge when the output
// passed its limit.
func (p *printer) run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errOverflow {
				panic(r)
			}
			err = ErrTooLarge
		}
	}()
	p.file()
	return nil
}

func newPrinter(f *json5.File, opts Options) *printer {
	p := &printer{
		src:      f.Src,
		root:     f.Root(),
		unit:     opts.unit(),
		tab:      opts.tabSize(),
		breaks:   lineBreaks(f.Src),
		comments: f.Comments(),
		floating: -1,
		limit:    maxGrowth*len(f.Src) + 1<<20,
	}
	p.out = make([]byte, 0, len(f.Src)+len(f.Src)/8)
	p.eol = p.lineEnding()
	return p
}

// lineBreaks returns the offsets of the line breaks of src: LF, CR not
// followed by LF, CRLF (at its LF), U+2028 and U+2029.
func lineBreaks(src []byte) []int {
	var out []int
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			out = append(out, i)
		case c == '\r' && (i+1 >= len(src) || src[i+1] != '\n'):
			out = append(out, i)
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			out = append(out, i)
		}
	}
	return out
}

// countBreaks returns the number of line breaks in src[from:to].
func (p *printer) countBreaks(from, to int) int {
	return sort.SearchInts(p.breaks, to) - sort.SearchInts(p.breaks, from)
}

// lineEnding is the line break the output uses: the first one written
// between tokens (not inside a string or a comment), LF when there is
// none. Only output whitespace is considered, so the choice is the same
// when the output is formatted again.
func (p *printer) lineEnding() string {
	ci := 0
	for _, b := range p.breaks {
		for ci < len(p.comments) && p.comments[ci].End <= b {
			ci++
		}
		if ci < len(p.comments) && p.comments[ci].Start <= b {
			continue
		}
		if inToken(p.root, b) {
			continue
		}
		if p.src[b] == '\n' && b > 0 && p.src[b-1] == '\r' {
			return "\r\n"
		}
		if p.src[b] == '\n' {
			return "\n"
		}
		if p.src[b] == '\r' {
			return "\r"
		}
		return "\n" // U+2028 and U+2029 are not line breaks to editors
	}
	return "\n"
}

// inToken reports whether offset off lies inside a token of the tree
// rooted at n (a string with a line continuation, a quoted key).
func inToken(n *json5.Node, off int) bool {
	for n != nil && n.Start <= off && off < n.End {
		switch n.Kind {
		case json5.Object:
			i := sort.Search(len(n.Members), func(i int) bool { return n.Members[i].Value.End > off })
			if i == len(n.Members) {
				return false
			}
			m := n.Members[i]
			if m.Key.Start <= off && off < m.Key.End {
				return true
			}
			n = m.Value
		case json5.Array:
			i := sort.Search(len(n.Elems()), func(i int) bool { return n.Elems()[i].End > off })
			if i == len(n.Elems()) {
				return false
			}
			n = n.Elems()[i]
		default:
			return true
		}
	}
	return false
}

// copySrc copies a token (or a comment) as written, anchored: the trivia
// since the last anchor becomes an edit when it changed.
func (p *printer) copySrc(start, end int) {
	p.gapEdit(start)
	p.write(p.src[start:end])
	p.oldAt, p.newAt = end, len(p.out)
}

// gapEdit records the edit of the trivia between the last anchor and the
// offset to of src (what has been written since, in out).
func (p *printer) gapEdit(to int) {
	if e, ok := minimalEdit(p.src, p.oldAt, to, p.out[p.newAt:]); ok {
		p.edits = append(p.edits, e)
	}
}

// text writes new text (trivia or a moved comma).
func (p *printer) text(s string) { p.write([]byte(s)) }

// write appends b, following the column.
func (p *printer) write(b []byte) {
	if len(p.out)+len(b) > p.limit {
		panic(errOverflow)
	}
	for _, c := range b {
		switch {
		case c == '\n' || c == '\r':
			p.col = 0
			p.lineStart = len(p.out) + 1
		case c == '\t':
			p.col += p.tab
		case c&0xC0 != 0x80:
			p.col++
		}
		p.out = append(p.out, c)
	}
}

// newline ends the line (with a blank line after it when blank) and
// indents the next one.
func (p *printer) newline(blank bool) {
	p.text(p.eol)
	if blank {
		p.text(p.eol)
	}
	n := p.level * len(p.unit)
	for len(p.indents) < n {
		p.indents = append(p.indents, p.unit...)
	}
	p.write(p.indents[:n])
}

// take returns the comments that start before offset to, not yet printed.
func (p *printer) take(to int) []json5.Comment {
	i := p.next
	for p.next < len(p.comments) && p.comments[p.next].Start < to {
		p.next++
	}
	return p.comments[i:p.next]
}

// hasComment reports whether a comment starts in src[from:to].
func (p *printer) hasComment(from, to int) bool { return len(p.commentsIn(from, to)) > 0 }

// file prints the whole text.
func (p *printer) file() {
	start := 0
	if bytes.HasPrefix(p.src, []byte("\xEF\xBB\xBF")) {
		p.copySrc(0, 3)
		start = 3
	}
	// Comments before the root value, each group on its own line.
	prev := start
	cs := p.take(p.root.Start)
	for i, c := range cs {
		if i > 0 {
			p.lineBefore(prev, c.Start, true)
		}
		p.comment(c)
		prev = c.End
	}
	if len(cs) > 0 {
		p.lineBefore(prev, p.root.Start, cs[len(cs)-1].Block)
	}
	p.value(p.root, 0)
	// Comments after it.
	prev = p.root.End
	cs = p.take(len(p.src) + 1)
	for _, c := range cs {
		p.lineBefore(prev, c.Start, true)
		p.comment(c)
		prev = c.End
	}
	if n := len(cs); n == 0 || !cs[n-1].Unclosed {
		p.text(p.eol)
	}
	p.gapEdit(len(p.src))
}

// lineBefore separates two things printed at the top level: a space when
// they were on one line (and sameLine allows it), else a line break, with
// a blank line when there was one.
func (p *printer) lineBefore(from, to int, sameLine bool) {
	n := p.countBreaks(from, to)
	if n == 0 && sameLine {
		p.text(" ")
		return
	}
	p.newline(n >= 2)
}

// value prints a value; trailing is the number of columns that follow it
// on its line (its comma).
func (p *printer) value(n *json5.Node, trailing int) {
	switch n.Kind {
	case json5.Object, json5.Array:
		if p.oneLine(n, trailing) {
			p.flat(n)
		} else {
			p.broken(n)
		}
	default:
		p.copySrc(n.Start, n.End)
	}
}

// oneLine reports whether a collection stays on one line: it was written
// on one line, holds no comment, and fits; or it is empty and holds no
// comment.
func (p *printer) oneLine(n *json5.Node, trailing int) bool {
	if len(n.Members) == 0 && len(n.Elems()) == 0 {
		return !p.hasComment(n.Start, n.End)
	}
	budget := Width - p.col - trailing
	if p.flatWidth(n, budget) > budget {
		return false
	}
	return p.countBreaks(n.Start, n.End) == 0 && !p.hasComment(n.Start, n.End)
}

// flatWidth returns the width of a value printed on one line, or any
// number above budget once it is known not to fit.
func (p *printer) flatWidth(n *json5.Node, budget int) int {
	switch n.Kind {
	case json5.Object:
		if len(n.Members) == 0 {
			return 2
		}
		w := 4 // `{ ` and ` }`
		for i, m := range n.Members {
			if i > 0 {
				w += 2 // `, `
			}
			w += p.width(m.Key.Start, m.Key.End) + 2 // `: `
			if w > budget {
				return w
			}
			w += p.flatWidth(m.Value, budget-w)
			if w > budget {
				return w
			}
		}
		return w
	case json5.Array:
		w := 2
		for i, e := range n.Elems() {
			if i > 0 {
				w += 2
			}
			w += p.flatWidth(e, budget-w)
			if w > budget {
				return w
			}
		}
		return w
	}
	return p.width(n.Start, n.End)
}

// width returns the number of characters of src[start:end].
func (p *printer) width(start, end int) int {
	return utf8.RuneCount(p.src[start:end])
}

// flat prints a collection on one line.
func (p *printer) flat(n *json5.Node) {
	p.copySrc(n.Start, n.Start+1)
	if n.Kind == json5.Object {
		for i, m := range n.Members {
			if i == 0 {
				p.text(" ")
			} else {
				p.comma(n.Members[i-1].Comma)
				p.text(" ")
			}
			p.member(m, 0)
		}
		if len(n.Members) > 0 {
			p.text(" ")
		}
	} else {
		for i, e := range n.Elems() {
			if i > 0 {
				p.comma(p.commaAfter(n.Elems()[i-1].End, e.Start))
				p.text(" ")
			}
			p.value(e, 0)
		}
	}
	p.copySrc(n.End-1, n.End)
}

// comma copies the comma at offset off.
func (p *printer) comma(off int) { p.copySrc(off, off+1) }

// commaAfter returns the offset of the comma in src[from:to] (the trivia
// after an element), or -1.
func (p *printer) commaAfter(from, to int) int {
	i := sort.Search(len(p.comments), func(i int) bool { return p.comments[i].End > from })
	for off := from; off < to; off++ {
		for i < len(p.comments) && p.comments[i].End <= off {
			i++
		}
		if i < len(p.comments) && p.comments[i].Start <= off {
			off = p.comments[i].End - 1
			continue
		}
		if p.src[off] == ',' {
			return off
		}
	}
	return -1
}

// broken prints a collection with each member or element on a line of its
// own.
func (p *printer) broken(n *json5.Node) {
	p.copySrc(n.Start, n.Start+1)
	p.level++
	count := len(n.Members)
	if n.Kind == json5.Array {
		count = len(n.Elems())
	}
	from := n.Start + 1
	for i := range count {
		var start, end, comma int
		last := i == count-1
		if n.Kind == json5.Object {
			m := n.Members[i]
			start, end, comma = m.Key.Start, m.Value.End, m.Comma
		} else {
			e := n.Elems()[i]
			next := n.End - 1
			if !last {
				next = n.Elems()[i+1].Start
			}
			start, end, comma = e.Start, e.End, p.commaAfter(e.End, next)
		}
		p.between(from, start, i == 0, false)
		trailing := 0
		if comma >= 0 {
			trailing = 1
		}
		if n.Kind == json5.Object {
			p.member(n.Members[i], trailing)
		} else {
			p.value(n.Elems()[i], trailing)
		}
		switch {
		case comma < 0:
			from = end
		case p.hasComment(end, comma):
			// `1 /* c */,` prints as `1, /* c */`.
			p.text(",")
			p.floating = comma
			from = end
		default:
			p.comma(comma)
			from = comma + 1
		}
	}
	p.between(from, n.End-1, count == 0, true)
	p.copySrc(n.End-1, n.End)
}

// member prints `key: value`; trailing is as for value.
func (p *printer) member(m *json5.Member, trailing int) {
	p.copySrc(m.Key.Start, m.Key.End)
	cont := p.inline(m.Key.End, m.Colon, "")
	p.copySrc(m.Colon, m.Colon+1)
	cont = p.inline(m.Colon+1, m.Value.Start, " ") || cont
	if cont {
		p.level++
	}
	p.value(m.Value, trailing)
	if cont {
		p.level--
	}
}

// inline prints the trivia between two tokens of a member: sep when it
// holds no comment, else the comments, on continuation lines (one level
// deeper) where they were on lines of their own. It reports whether it
// broke the line.
func (p *printer) inline(from, to int, sep string) bool {
	cs := p.take(to)
	if len(cs) == 0 {
		p.text(sep)
		return false
	}
	broke := false
	prev := from
	for _, c := range cs {
		if p.countBreaks(prev, c.Start) > 0 {
			p.continuation()
			broke = true
		} else {
			p.text(" ")
		}
		p.comment(c)
		prev = c.End
	}
	if last := cs[len(cs)-1]; !last.Block || p.countBreaks(prev, to) > 0 {
		p.continuation()
		return true
	}
	p.text(sep)
	return broke
}

// continuation starts a continuation line of a member, one level deeper.
func (p *printer) continuation() {
	p.level++
	p.newline(false)
	p.level--
}

// between prints the trivia of a broken collection between a token ending
// at from and the next member or element (or, when closing, the closing
// bracket) starting at to; p.level is the level of the members. first is
// set when from follows the opening bracket.
//
// Comments on the line of from stay at the end of that line, unless the
// next member follows them there: then they lead it on its line. The
// other comments go on lines of their own, those written on one line
// together. Blank lines are kept (one at most), but not just inside the
// brackets.
func (p *printer) between(from, to int, first, closing bool) {
	cs := p.take(to)
	prev := from
	i := 0
	for i < len(cs) && p.countBreaks(prev, cs[i].Start) == 0 {
		prev = cs[i].End
		i++
	}
	if i > 0 && (closing && !first || i < len(cs) || !cs[i-1].Block || p.countBreaks(prev, to) > 0) {
		for _, c := range cs[:i] {
			p.text(" ")
			p.comment(c)
		}
	} else {
		i, prev = 0, from
	}
	blankOK := !first
	ownLine := false
	for i < len(cs) {
		p.newline(blankOK && p.blank(prev, cs[i].Start))
		p.comment(cs[i])
		prev = cs[i].End
		i++
		for i < len(cs) && p.countBreaks(prev, cs[i].Start) == 0 {
			p.text(" ")
			p.comment(cs[i])
			prev = cs[i].End
			i++
		}
		blankOK, ownLine = true, true
	}
	if closing {
		p.level--
		p.newline(false)
		return
	}
	if ownLine && p.countBreaks(prev, to) == 0 && cs[len(cs)-1].Block {
		p.text(" ") // `/* c */ key: value`
		return
	}
	p.newline(blankOK && p.blank(prev, to))
}

// blank reports whether the trivia src[from:to] holds an empty line. A
// comma moved from there (p.floating) does not count as empty.
func (p *printer) blank(from, to int) bool {
	if c := p.floating; from <= c && c < to {
		return p.countBreaks(from, c) >= 2 || p.countBreaks(c+1, to) >= 2
	}
	return p.countBreaks(from, to) >= 2
}

// comment prints a comment as written; the lines of a block comment that
// starts a line move with its first line.
func (p *printer) comment(c json5.Comment) {
	anchored := c.Start >= p.floating
	text := p.src[c.Start:c.End]
	if !c.Block || p.countBreaks(c.Start, c.End) == 0 {
		if anchored {
			p.copySrc(c.Start, c.End)
		} else {
			p.write(text)
		}
		return
	}
	oldIndent, ok := p.srcIndent(c.Start)
	newIndent := p.out[p.lineStart:]
	if !ok || !isBlank(newIndent) || bytes.Equal(oldIndent, newIndent) {
		if anchored {
			p.copySrc(c.Start, c.End)
		} else {
			p.write(text)
		}
		return
	}
	newIndent = bytes.Clone(newIndent)
	var b []byte
	lineStart := true // text[0] starts the comment's first line, already indented
	for i := 0; i < len(text); i++ {
		if lineStart && i > 0 {
			rest := text[i:]
			if bytes.HasPrefix(rest, oldIndent) && !startsWithBreak(rest[len(oldIndent):]) {
				b = append(b, newIndent...)
				i += len(oldIndent)
				if i >= len(text) {
					break
				}
			}
		}
		lineStart = false
		c := text[i]
		b = append(b, c)
		switch {
		case c == '\n':
			lineStart = true
		case c == '\r' && (i+1 >= len(text) || text[i+1] != '\n'):
			lineStart = true
		case c == 0xA8 || c == 0xA9:
			lineStart = i >= 2 && text[i-2] == 0xE2 && text[i-1] == 0x80
		}
	}
	p.write(b)
}

// srcIndent returns the whitespace before offset off on its line in src,
// and whether only whitespace precedes off there.
func (p *printer) srcIndent(off int) ([]byte, bool) {
	start := off
	for start > 0 && p.src[start-1] != '\n' && p.src[start-1] != '\r' {
		start--
	}
	ws := p.src[start:off]
	return ws, isBlank(ws)
}

// isBlank reports whether b holds only spaces and tabs.
func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// startsWithBreak reports whether b starts with a line break (or is
// empty): such lines get no indentation.
func startsWithBreak(b []byte) bool {
	return len(b) == 0 || b[0] == '\n' || b[0] == '\r'
}

// minimalEdit returns the edit replacing src[start:end] with repl, trimmed
// of what they share at either end (never splitting a CRLF or a
// character), and false when they are equal.
func minimalEdit(src []byte, start, end int, repl []byte) (Edit, bool) {
	old := src[start:end]
	if bytes.Equal(old, repl) {
		return Edit{}, false
	}
	pre := 0
	for pre < len(old) && pre < len(repl) && old[pre] == repl[pre] {
		pre++
	}
	for pre > 0 && (splits(old, pre) || splits(repl, pre)) {
		pre--
	}
	suf := 0
	for suf < len(old)-pre && suf < len(repl)-pre && old[len(old)-1-suf] == repl[len(repl)-1-suf] {
		suf++
	}
	for suf > 0 && (splits(old, len(old)-suf) || splits(repl, len(repl)-suf)) {
		suf--
	}
	return Edit{
		Span:    diag.Span{Start: start + pre, End: end - suf},
		NewText: string(repl[pre : len(repl)-suf]),
	}, true
}

// splits reports whether cutting b at i would split a CRLF or a UTF-8
// sequence.
func splits(b []byte, i int) bool {
	if i <= 0 || i >= len(b) {
		return false
	}
	return b[i-1] == '\r' && b[i] == '\n' || b[i]&0xC0 == 0x80
}
