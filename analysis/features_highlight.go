package analysis

import (
	"context"
	"slices"

	"github.com/amberlsp/amber-lsp/diag"
)

// Highlight is a place in a file that declares or names what the text
// under the cursor declares or names.
type Highlight struct {
	Span        diag.Span // the name as written
	Declaration bool      // the place declares it; otherwise it refers to it
}

// Highlights returns the places of the file at path that declare or refer
// to what the text at byte offset off declares or names, sorted by
// offset: References, within the one file, with the declaration marked.
// It returns nil when the text names nothing the index knows.
func (s *Snapshot) Highlights(ctx context.Context, path string, off int) (hs []Highlight, err error) {
	defer recoverFeature("highlights", path, &err)
	t, err := s.declarationAt(ctx, path, off)
	if t == nil || t.decl == nil || err != nil {
		return nil, err
	}
	file := t.f.path
	if d := t.decl; d.At.File == file && d.NameSpan != (diag.Span{}) {
		hs = append(hs, Highlight{Span: d.NameSpan, Declaration: true})
	}
	for _, l := range t.idx.referencesOf(t.decl) {
		if l.File == file {
			hs = append(hs, Highlight{Span: l.Span})
		}
	}
	slices.SortFunc(hs, func(a, b Highlight) int { return a.Span.Start - b.Span.Start })
	return hs, nil
}
