// Package interp parses Amber's string interpolation (manifest.md §7,
// linker.md §4.1.1).
//
// An interpolated string is literal text with placeholders: `${config.a.b}`,
// `${config}`, `${slots.x}`, `${slots.x.url}`, `${slots}`, `${item}`,
// `${item.url}`. Parse applies the parse-time grammar, in which `$$` is not
// an escape: `$${config.x}` is a literal `$` followed by `${config.x}`.
// ParseSymbolic applies the reading of component configs, where a string
// that is exactly `$${config}` or `$${config.<path>}` is one symbolic
// reference.
//
// Every part carries its byte range in the decoded string; SourceSpan maps
// such a range back to the manifest source through json5.Node.SourceOffset,
// so hovers and go-to-definition can point at a single query segment.
package interp

import (
	"strconv"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Source names where a reference reads its value from.
type Source uint8

// Reference sources.
const (
	NoSource Source = iota // not a reference (literal parts)
	Config                 // `config`: the component's configuration
	Slots                  // `slots`: the component's slot values
	Item                   // `item`: the current element of an `each` expansion
)

var sourceNames = [...]string{"", "config", "slots", "item"}

// String returns the source as written in a placeholder: "config", "slots"
// or "item" ("" for NoSource).
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "source(" + strconv.Itoa(int(s)) + ")"
}

// sourceOf returns the Source a word names; sources are case-sensitive.
func sourceOf(word string) Source {
	switch word {
	case "config":
		return Config
	case "slots":
		return Slots
	case "item":
		return Item
	}
	return NoSource
}

// Kind is the kind of a template part.
type Kind uint8

// Part kinds.
const (
	Literal     Kind = iota // literal text
	Placeholder             // `${source.query}`
	Symbolic                // `$${config.query}` occupying the whole string (ParseSymbolic only)
)

var kindNames = [...]string{"literal", "placeholder", "symbolic"}

// String returns "literal", "placeholder" or "symbolic".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Template is a parsed interpolated string.
type Template struct {
	Input string // the decoded string that was parsed
	// Parts tile Input in order: adjacent literal text is one part, so no two
	// literal parts are adjacent. The empty string has no parts.
	Parts []Part
}

// Part is literal text or a reference.
type Part struct {
	Kind Kind // Literal, Placeholder or Symbolic
	// Start and End delimit the part in Template.Input: the literal text, or
	// the whole placeholder from its `$` to just after its `}` (for a
	// symbolic reference, from the first of its two `$`).
	Start, End int
	// Text is the literal text, or for a reference the text between the
	// braces (Ref.Text).
	Text string
	// Ref describes the reference; zero for literal parts.
	Ref Ref
}

// Ref is a reference `source[.query]`: the text of a placeholder, or a
// `when` path, split at its first `.`. The query is not validated: it may
// be empty or hold empty segments (`config..a`), spaces or braces.
type Ref struct {
	Source Source // what the word before the first `.` names: Config, Slots or Item
	// Text is the whole reference, e.g. "config.a.b".
	Text string
	// Start and End are the byte range of Text in the parsed string.
	Start, End int
	// Query is the raw text after the first `.` ("" when there is none, and
	// for `config.`, which means the same as `config`).
	Query string
	// Segments is Query split at every `.`, each with its range; nil when
	// Query is "".
	Segments []Segment
}

// Segment is one dot-separated name of a query.
type Segment struct {
	Name       string // the raw segment; "" for an empty one (`config..a`)
	Start, End int    // range in the parsed string
}

// IsLiteral reports whether the template is exactly one literal part: a
// non-empty string without placeholders. QUIRK (manifest.md §7.1): the empty
// string is therefore not literal.
func (t *Template) IsLiteral() bool {
	return len(t.Parts) == 1 && t.Parts[0].Kind == Literal
}

// Symbolic reports whether the template is exactly one symbolic reference
// (only ParseSymbolic produces those) and returns it.
func (t *Template) Symbolic() (Ref, bool) {
	if len(t.Parts) == 1 && t.Parts[0].Kind == Symbolic {
		return t.Parts[0].Ref, true
	}
	return Ref{}, false
}

// Refs returns the reference parts (placeholders and symbolic references) in
// order.
func (t *Template) Refs() []Part {
	var out []Part
	for _, p := range t.Parts {
		if p.Kind != Literal {
			out = append(out, p)
		}
	}
	return out
}

// PartAt returns the index of the part covering offset off of Input (a part
// covers [Start, End]; at a boundary the part that starts there wins), or -1
// when there is none.
func (t *Template) PartAt(off int) int {
	for i, p := range t.Parts {
		if p.Start <= off && off < p.End {
			return i
		}
	}
	if n := len(t.Parts); n > 0 && off == t.Parts[n-1].End {
		return n - 1
	}
	return -1
}

// SourceEnd returns the end of the source word ("config", "slots", "item")
// at the start of the reference.
func (r Ref) SourceEnd() int { return r.Start + len(r.Source.String()) }

// Path returns the query prefix made of the first n segments joined by `.`
// ("a.b" for n = 2 of `config.a.b.c`); n past the last segment gives the
// whole query.
func (r Ref) Path(n int) string {
	if n <= 0 || len(r.Segments) == 0 {
		return ""
	}
	if n >= len(r.Segments) {
		return r.Query
	}
	return r.Query[:r.Segments[n-1].End-r.Segments[0].Start]
}

// SegmentAt returns the index of the segment covering offset off (its start
// up to and including its end), or -1.
func (r Ref) SegmentAt(off int) int {
	for i, s := range r.Segments {
		if s.Start <= off && off <= s.End {
			return i
		}
	}
	return -1
}

// Error is an interpolation syntax error.
type Error struct {
	// Message is Amber's text, e.g. "invalid interpolation `HOME`".
	Message string
	// Start and End delimit the offending text in the parsed string: the
	// placeholder with the bad source, or everything from an unclosed `${`.
	Start, End int
}

// Error returns the error's message.
func (e *Error) Error() string { return e.Message }

// invalid returns Amber's `invalid interpolation` error for text.
func invalid(text string, start, end int) *Error {
	return &Error{Message: "invalid interpolation `" + text + "`", Start: start, End: end}
}

// SourceSpan maps the range [start, end) of a string node's decoded text to
// the source span it was written as, escapes included. For a node that is
// not a string it returns the node's span.
func SourceSpan(n *json5.Node, start, end int) diag.Span {
	if n == nil {
		return diag.Span{}
	}
	if n.Kind != json5.String {
		return n.Span()
	}
	s := diag.Span{Start: n.SourceOffset(start), End: n.SourceOffset(end)}
	if s.End < s.Start {
		s.End = s.Start
	}
	return s
}

// DecodedOffset maps a source offset inside string node n (a cursor, say) to
// an offset in n.Text: the start of the character written at or before it
// (a cursor inside an escape sequence gives the escaped character). It is
// the inverse of json5.Node.SourceOffset, for finding the part under a
// cursor with Template.PartAt. Offsets before the text give 0, after it
// len(n.Text).
func DecodedOffset(n *json5.Node, off int) int {
	if n == nil || n.Kind != json5.String {
		return 0
	}
	// SourceOffset is monotonic: find the last i with SourceOffset(i) <= off.
	lo, hi := 0, len(n.Text)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if n.SourceOffset(mid) <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	// An escape that decoded to several bytes maps them all to its start:
	// step back to the first of them, the character's start.
	for lo > 0 && n.SourceOffset(lo-1) == n.SourceOffset(lo) {
		lo--
	}
	return lo
}

// Span returns the part's source span within string node n.
func (p Part) Span(n *json5.Node) diag.Span { return SourceSpan(n, p.Start, p.End) }

// Span returns the reference text's source span within string node n.
func (r Ref) Span(n *json5.Node) diag.Span { return SourceSpan(n, r.Start, r.End) }

// Span returns the segment's source span within string node n.
func (s Segment) Span(n *json5.Node) diag.Span { return SourceSpan(n, s.Start, s.End) }

// Span returns the error's source span within string node n.
func (e *Error) Span(n *json5.Node) diag.Span { return SourceSpan(n, e.Start, e.End) }
