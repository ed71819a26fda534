package lsp

import (
	"context"
	"strconv"

	"go.lsp.dev/protocol"
)

// codeLensCapability: code lenses, complete as sent (no resolve).
func codeLensCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.CodeLensProvider = &protocol.CodeLensOptions{}
}

// codeLens answers textDocument/codeLens from analysis' lenses. A lens
// with a command runs it on the document the lens is about.
func (s *server) codeLens(ctx context.Context, snap *snapshot, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	lenses, err := snap.CodeLenses(ctx, path)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.CodeLens, 0, len(lenses))
	for _, l := range lenses {
		cmd := protocol.Command{Title: l.Title, Command: l.Command}
		if l.Command != "" {
			cmd.Arguments = []protocol.LSPAny{protocol.LSPAny(strconv.Quote(string(snap.conv.URI(l.File))))}
		}
		out = append(out, protocol.CodeLens{Range: snap.conv.Range(path, l.Span), Command: cmd})
	}
	return out, nil
}
