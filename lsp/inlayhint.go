package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// inlayHintCapability: inlay hints (capability kinds, config defaults,
// template sizes).
func inlayHintCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.InlayHintProvider = protocol.Boolean(true)
}

// inlayHint answers textDocument/inlayHint for the range asked about.
func (s *server) inlayHint(ctx context.Context, snap *snapshot, p *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	conv := snap.conv
	span := diag.Span{Start: conv.offset(path, p.Range.Start), End: conv.offset(path, p.Range.End)}
	hints, err := snap.InlayHints(ctx, path, span)
	if err != nil || hints == nil {
		return nil, err
	}
	l := conv.index(path)
	cur := l.Cursor(conv.Unit)
	out := make([]protocol.InlayHint, 0, len(hints))
	for _, h := range hints {
		pos := cur.Position(h.Offset)
		hint := protocol.InlayHint{
			Position: protocol.Position{Line: uint32(pos.Line), Character: uint32(pos.Column)},
			Label:    protocol.String(h.Label),
		}
		if h.Kind == analysis.InlayType {
			hint.Kind = protocol.InlayHintKindType
		}
		if h.Tooltip != "" {
			hint.Tooltip = protocol.String(h.Tooltip)
		}
		if h.PadLeft {
			hint.PaddingLeft = ptr(true)
		}
		out = append(out, hint)
	}
	return out, nil
}
