package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// hoverCapability: hovers, in markdown unless the client shows plain text
// only.
func hoverCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.HoverProvider = protocol.Boolean(true)
}

// hover answers textDocument/hover from analysis' hover.
func (s *server) hover(ctx context.Context, snap *snapshot, p *protocol.HoverParams) (*protocol.Hover, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	h, err := snap.Hover(ctx, path, snap.conv.offset(path, p.Position))
	if err != nil || h == nil {
		return nil, err
	}
	kind := protocol.MarkupKindMarkdown
	if s.caps.plainHover {
		kind = protocol.MarkupKindPlainText
	}
	r := snap.conv.Range(path, h.Span)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: h.Markdown}, Range: &r}, nil
}
