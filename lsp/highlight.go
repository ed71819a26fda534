package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// documentHighlightCapability: the places of a document that name what
// the cursor is on.
func documentHighlightCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.DocumentHighlightProvider = protocol.Boolean(true)
}

// documentHighlight answers textDocument/documentHighlight with analysis'
// highlights: the declaration, when it is in the document, as a write, the
// references in the document as reads; null when the position names
// nothing.
func (s *server) documentHighlight(ctx context.Context, snap *snapshot, p *protocol.DocumentHighlightParams) ([]protocol.DocumentHighlight, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	hs, err := snap.Highlights(ctx, path, snap.conv.offset(path, p.Position))
	if err != nil || hs == nil {
		return nil, err
	}
	out := make([]protocol.DocumentHighlight, 0, len(hs))
	for _, h := range hs {
		kind := protocol.DocumentHighlightKindRead
		if h.Declaration {
			kind = protocol.DocumentHighlightKindWrite
		}
		out = append(out, protocol.DocumentHighlight{Range: snap.conv.Range(path, h.Span), Kind: kind})
	}
	return out, nil
}
