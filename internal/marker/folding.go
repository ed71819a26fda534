package marker

import (
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/analysis"
)

// foldingMarker checks //@folding(text, kind): a folding range of kind
// ("region" or "comment") starts within text (its end included). With a
// @folding section every folding range of the file is recorded there, at
// the first folding marker of the file.
func foldingMarker(m *mark) {
	text, kind := m.args[0], m.args[1]
	off, ok := m.start(text)
	if !ok {
		return
	}
	ranges, err := m.backend().foldingRanges(m.file.name)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	header := fmt.Sprintf("== %s\n", m.file.name)
	if b := m.r.golden(sectionFolding); b != nil && !strings.Contains(b.String(), header) {
		b.WriteString(header)
		for _, r := range ranges {
			fmt.Fprintf(b, "%s %s\n", m.r.pos(r.span), r.kind)
		}
		b.WriteString("\n")
	}
	var got []string
	for _, r := range ranges {
		if r.kind == kind && off <= r.span.start && r.span.start <= off+len(text) {
			return
		}
		got = append(got, m.r.pos(r.span)+" "+r.kind)
	}
	m.errorf("no %s folding range starts in %q; ranges: %q", kind, text, got)
}

func (b *analysisBackend) foldingRanges(file string) ([]foldingRange, error) {
	ranges, err := b.snap.FoldingRanges(b.ctx, b.path(file))
	var out []foldingRange
	for _, r := range ranges {
		kind := "region"
		if r.Kind == analysis.FoldComment {
			kind = "comment"
		}
		out = append(out, foldingRange{span: span{file: file, start: r.Start, end: r.End}, kind: kind})
	}
	return out, err
}

func (b *lspBackend) foldingRanges(file string) ([]foldingRange, error) {
	var res []struct {
		StartLine      int    `json:"startLine"`
		StartCharacter *int   `json:"startCharacter"`
		EndLine        int    `json:"endLine"`
		EndCharacter   *int   `json:"endCharacter"`
		Kind           string `json:"kind"`
	}
	if err := b.cl.call("textDocument/foldingRange", map[string]any{"textDocument": lspDocument{URI: b.uri(file)}}, &res); err != nil {
		return nil, err
	}
	var out []foldingRange
	for _, r := range res {
		if r.StartCharacter == nil || r.EndCharacter == nil {
			return nil, fmt.Errorf("a folding range without characters for a client that folds within lines: %+v", r)
		}
		start := b.offset(file, lspPosition{Line: r.StartLine, Character: *r.StartCharacter})
		end := b.offset(file, lspPosition{Line: r.EndLine, Character: *r.EndCharacter})
		out = append(out, foldingRange{span: span{file: file, start: start, end: end}, kind: r.Kind})
	}
	return out, nil
}
