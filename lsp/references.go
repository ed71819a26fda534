package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// referencesCapability: find references.
func referencesCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.ReferencesProvider = protocol.Boolean(true)
}

// references answers textDocument/references with analysis' references
// (the declaration first when the client asks for it); null when the
// position names nothing.
func (s *server) references(ctx context.Context, snap *snapshot, p *protocol.ReferenceParams) (protocol.LocationSlice, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	locs, err := snap.References(ctx, path, snap.conv.offset(path, p.Position), p.Context.IncludeDeclaration)
	if err != nil || locs == nil {
		return nil, err
	}
	out := make(protocol.LocationSlice, 0, len(locs))
	for _, l := range locs {
		out = append(out, snap.conv.location(l.File, l.Span))
	}
	return out, nil
}
