package analysis

import (
	"context"
	"slices"

	"github.com/amberlsp/amber-lsp/manifest/json5"
	"github.com/amberlsp/amber-lsp/source"
)

// FoldKind says what a folding range folds.
type FoldKind int

// Folding range kinds.
const (
	FoldRegion  FoldKind = iota + 1 // the inside of an object or array
	FoldComment                     // a block comment, or a run of line comments
)

// FoldingRange is text an editor can hide: the bytes from Start to End.
// For an object or array they lie between its brackets; for a block comment
// they run from after its `/*` to its end; for a run of line comments, each
// on a line of its own, from the end of the first to the end of the last.
// Every range spans more than one line.
type FoldingRange struct {
	Start, End int      // byte offsets in the manifest
	Kind       FoldKind // what the range folds
}

// FoldingRanges returns the folding ranges of the manifest at path, sorted
// by start: its objects and arrays written over several lines (closed
// ones: an unclosed one has no end yet), its block comments over several
// lines and its runs of two or more line comments on consecutive lines.
func (s *Snapshot) FoldingRanges(ctx context.Context, path string) (ranges []FoldingRange, err error) {
	defer recoverFeature("folding ranges", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil || f.syn == nil {
		return nil, err
	}
	lines := source.NewLines(f.text)
	var out []FoldingRange
	add := func(start, end int, kind FoldKind) {
		if lines.Line(start) < lines.Line(end) {
			out = append(out, FoldingRange{Start: start, End: end, Kind: kind})
		}
	}
	var walk func(n *json5.Node)
	walk = func(n *json5.Node) {
		if n.Kind != json5.Object && n.Kind != json5.Array {
			return
		}
		if n.Closed {
			add(n.Start+1, n.End-1, FoldRegion)
		}
		for _, m := range n.Members {
			walk(m.Value)
		}
		for _, e := range n.Elems() {
			walk(e)
		}
	}
	if f.syn.Root() != nil {
		walk(f.syn.Root())
	}
	comments := f.syn.Comments()
	for i := 0; i < len(comments); i++ {
		c := comments[i]
		if c.Block {
			add(c.Start+2, c.End, FoldComment)
			continue
		}
		// A run: line comments alone on consecutive lines.
		if !ownLine(f.text, lines, c.Start) {
			continue
		}
		j := i
		for j+1 < len(comments) {
			next := comments[j+1]
			if next.Block || lines.Line(next.Start) != lines.Line(comments[j].Start)+1 || !ownLine(f.text, lines, next.Start) {
				break
			}
			j++
		}
		add(c.End, comments[j].End, FoldComment)
		i = j
	}
	slices.SortStableFunc(out, func(a, b FoldingRange) int { return a.Start - b.Start })
	return out, ctx.Err()
}

// ownLine reports whether only whitespace precedes offset off on its line.
func ownLine(text []byte, lines *source.Lines, off int) bool {
	for _, c := range text[lines.LineStart(lines.Line(off)):off] {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
