package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// definitionCapability: go to definition.
func definitionCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.DefinitionProvider = protocol.Boolean(true)
}

// definition answers textDocument/definition with analysis' locations
// (null when there is none).
func (s *server) definition(ctx context.Context, snap *snapshot, p *protocol.DefinitionParams) (protocol.LocationSlice, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	locs, err := snap.Definition(ctx, path, snap.conv.offset(path, p.Position))
	if err != nil || len(locs) == 0 {
		return nil, err
	}
	out := make(protocol.LocationSlice, 0, len(locs))
	for _, l := range locs {
		out = append(out, snap.conv.location(l.File, l.Span))
	}
	return out, nil
}
