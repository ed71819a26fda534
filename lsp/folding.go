package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
)

// foldingCapability: folding ranges.
func foldingCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.FoldingRangeProvider = protocol.Boolean(true)
}

// foldingRanges answers textDocument/foldingRange. A client that folds
// whole lines only gets line ranges that leave a closing bracket's line
// visible; the others get the characters too, so that `{…}` folds on one
// line.
func (s *server) foldingRanges(ctx context.Context, snap *snapshot, p *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	ranges, err := snap.FoldingRanges(ctx, path)
	if err != nil || ranges == nil {
		return nil, err
	}
	lines := snap.conv.index(path)
	out := make([]protocol.FoldingRange, 0, len(ranges))
	for _, r := range ranges {
		start, end := snap.conv.position(lines, r.Start), snap.conv.position(lines, r.End)
		fr := protocol.FoldingRange{StartLine: start.Line, EndLine: end.Line, Kind: protocol.FoldingRangeKindRegion}
		if r.Kind == analysis.FoldComment {
			fr.Kind = protocol.FoldingRangeKindComment
		}
		if s.caps.lineFoldingOnly {
			if blankBefore(lines.Text(), lines.LineStart(int(end.Line)), r.End) {
				fr.EndLine-- // keep the line of the closing bracket
			}
			if fr.EndLine <= fr.StartLine {
				continue
			}
		} else {
			fr.StartCharacter, fr.EndCharacter = &start.Character, &end.Character
		}
		out = append(out, fr)
	}
	return out, nil
}

// blankBefore reports whether text[from:to] is only spaces and tabs.
func blankBefore(text []byte, from, to int) bool {
	for _, c := range text[from:to] {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
