package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/diag"
)

// inlayHintCapability: inlay hints, complete as sent (no resolve).
func inlayHintCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.InlayHintProvider = protocol.Boolean(true)
}

// inlayHint answers textDocument/inlayHint from analysis' hints in the
// range asked for.
func (s *server) inlayHint(ctx context.Context, snap *snapshot, p *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	conv := snap.conv
	within := diag.Span{Start: conv.offset(path, p.Range.Start), End: conv.offset(path, p.Range.End)}
	hints, err := snap.InlayHints(ctx, path, within)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.InlayHint, 0, len(hints))
	for _, h := range hints {
		r := conv.Range(path, diag.Span{Start: h.Offset, End: h.Offset})
		hint := protocol.InlayHint{Position: r.Start, Label: protocol.String(h.Label), PaddingLeft: ptr(true)}
		if h.Tooltip != "" {
			hint.Tooltip = protocol.String(h.Tooltip)
		}
		out = append(out, hint)
	}
	return out, nil
}
