package analysis

import (
	"context"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// SelectionRanges returns, for each byte offset of offs in the manifest at
// path, the spans an editor's "expand selection" steps through, innermost
// first, each holding the one before, the last the whole file: a part of
// a string (a config path segment and the reference and placeholder
// `${...}` around it, a reference's `#child` or its capability after the
// `.`), the string's text, the value or key, the member (`key: value`) or
// element, the object or array, its member in the parent, and so on up to
// the root. It returns nil when the file is not a manifest.
func (s *Snapshot) SelectionRanges(ctx context.Context, path string, offs []int) (chains [][]diag.Span, err error) {
	defer recoverFeature("selection ranges", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil {
		return nil, err
	}
	out := make([][]diag.Span, len(offs))
	for i, off := range offs {
		out[i] = f.selection(min(max(off, 0), len(f.text)))
	}
	return out, ctx.Err()
}

// selection returns the selection chain at off, innermost first.
func (f *featureFile) selection(off int) []diag.Span {
	var chain []diag.Span // outermost first
	add := func(sp diag.Span) {
		if off < sp.Start || off > sp.End {
			return
		}
		if n := len(chain); n > 0 {
			last := chain[n-1]
			if sp == last || sp.Start < last.Start || sp.End > last.End {
				return
			}
		}
		chain = append(chain, sp)
	}
	add(diag.Span{Start: 0, End: len(f.text)})
	n := f.syn.Root()
	for n != nil && n.Start <= off && off <= n.End {
		add(n.Span())
		if n.Kind != json5.Object && n.Kind != json5.Array {
			for _, sp := range f.stringParts(n, off) {
				add(sp)
			}
			break
		}
		if off == n.Start || n.Closed && off == n.End {
			break // on a bracket
		}
		next := (*json5.Node)(nil)
		for _, m := range n.Members {
			end := max(m.Key.End, m.Value.End, m.Colon+1)
			if off < m.Key.Start || off > end {
				continue
			}
			add(diag.Span{Start: m.Key.Start, End: end})
			if off <= m.Key.End {
				add(m.Key.Span())
				if m.Key.Quoted && m.Key.End-m.Key.Start >= 2 {
					add(diag.Span{Start: m.Key.Start + 1, End: m.Key.End - 1})
				}
			} else if m.Value.End > m.Value.Start {
				next = m.Value
			}
			break
		}
		for _, e := range n.Elems() {
			if e.Start <= off && off <= e.End && e.End > e.Start {
				next = e
				break
			}
		}
		n = next
	}
	slices.Reverse(chain)
	return chain
}

// stringParts returns the spans within string node n around off, largest
// first: the text between the quotes, then, in an interpolated string, the
// placeholder `${...}` and its reference, then the part the cursor names
// (a config path segment, `#child`, a capability name).
func (f *featureFile) stringParts(n *json5.Node, off int) []diag.Span {
	if n.Kind != json5.String || !inString(n, off) && off != n.Start {
		return nil
	}
	var out []diag.Span
	if terminated(n) {
		out = append(out, diag.Span{Start: n.Start + 1, End: n.End - 1})
	}
	d := interp.DecodedOffset(n, off)
	if strings.Contains(n.Text, "${") {
		if t, err := interp.Parse(n.Text); err == nil {
			for _, p := range t.Refs() {
				if p.Start <= d && d <= p.End {
					out = append(out, p.Span(n), p.Ref.Span(n))
					if i := p.Ref.SegmentAt(d); i >= 0 {
						out = append(out, p.Ref.Segments[i].Span(n))
					} else if d <= p.Ref.SourceEnd() {
						out = append(out, span(n, p.Ref.Start, p.Ref.SourceEnd()))
					}
					break
				}
			}
		}
	}
	if sym, ok := f.identify(off); ok && n.Start <= sym.span.Start && sym.span.End <= n.End {
		out = append(out, sym.span)
	}
	slices.SortStableFunc(out, func(a, b diag.Span) int { return (b.End - b.Start) - (a.End - a.Start) })
	return out
}
