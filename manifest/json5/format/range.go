package format

import (
	"sort"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// child is a member or element of a collection, with its extent: from its
// key (or its start) to after its comma (or its end).
type child struct {
	start, end int
	value      *json5.Node
}

// children returns the members or elements of collection n.
func (p *printer) children(n *json5.Node) []child {
	var out []child
	if n.Kind == json5.Object {
		for _, m := range n.Members {
			c := child{start: m.Key.Start, end: m.Value.End, value: m.Value}
			if m.Comma >= 0 {
				c.end = m.Comma + 1
			}
			out = append(out, c)
		}
		return out
	}
	for i, e := range n.Elems() {
		next := n.End - 1
		if i+1 < len(n.Elems()) {
			next = n.Elems()[i+1].Start
		}
		c := child{start: e.Start, end: e.End, value: e}
		if comma := p.commaAfter(e.End, next); comma >= 0 {
			c.end = comma + 1
		}
		out = append(out, c)
	}
	return out
}

// enclosing returns the region Range formats for span: the members or
// elements of the innermost collection that span touches, with the
// comments on lines of their own before the first and those at the end of
// the last one's line (and up to the closing bracket after the last of the
// collection). A collection that is not laid out one member per line yet
// (written on one line, or with a member on the line of a bracket) is
// formatted whole, and so is one when span touches none of its members.
// A span that reaches the root's brackets formats the whole text.
func (p *printer) enclosing(span diag.Span) diag.Span {
	region := diag.Span{Start: 0, End: len(p.src)}
	n := p.root
	for (n.Kind == json5.Object || n.Kind == json5.Array) && n.Start < span.Start && span.End < n.End {
		kids := p.children(n)
		if len(kids) == 0 || p.countBreaks(n.Start, kids[0].start) == 0 || p.countBreaks(kids[len(kids)-1].value.End, n.End-1) == 0 {
			return region
		}
		first, last := -1, -1
		for i, c := range kids {
			if c.start <= span.End && span.Start <= c.end {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			return diag.Span{Start: n.Start, End: n.End}
		}
		prevEnd := n.Start + 1
		if first > 0 {
			prevEnd = kids[first-1].end
		}
		end := n.End - 1 // the last member's line ends at the closing bracket
		if last+1 < len(kids) {
			end = p.trailingTo(kids[last].end, kids[last+1].start)
		}
		region = diag.Span{Start: p.leadingFrom(prevEnd, kids[first].start), End: end}
		v := kids[first].value
		if first != last || v.Kind != json5.Object && v.Kind != json5.Array {
			return region
		}
		n = v
	}
	return region
}

// leadingFrom returns where the comments before a child at start begin
// that are on lines after the token ending at from (start when there are
// none).
func (p *printer) leadingFrom(from, start int) int {
	for _, c := range p.commentsIn(from, start) {
		if p.countBreaks(from, c.Start) > 0 {
			return c.Start
		}
	}
	return start
}

// trailingTo returns the end of the comments on the line of the token
// ending at end, before next (end when there are none).
func (p *printer) trailingTo(end, next int) int {
	to := end
	for _, c := range p.commentsIn(end, next) {
		if p.countBreaks(to, c.Start) > 0 {
			break
		}
		to = c.End
	}
	return to
}

// commentsIn returns the comments that start in src[from:to].
func (p *printer) commentsIn(from, to int) []json5.Comment {
	i := sort.Search(len(p.comments), func(i int) bool { return p.comments[i].Start >= from })
	j := i
	for j < len(p.comments) && p.comments[j].Start < to {
		j++
	}
	return p.comments[i:j]
}
