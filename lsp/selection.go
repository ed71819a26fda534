package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// selectionCapability: selection ranges ("expand selection").
func selectionCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.SelectionRangeProvider = protocol.Boolean(true)
}

// selectionRanges answers textDocument/selectionRange: for each position,
// the chain of ranges from the innermost around it out to the document.
func (s *server) selectionRanges(ctx context.Context, snap *snapshot, p *protocol.SelectionRangeParams) ([]protocol.SelectionRange, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	offs := make([]int, len(p.Positions))
	for i, pos := range p.Positions {
		offs[i] = snap.conv.offset(path, pos)
	}
	chains, err := snap.SelectionRanges(ctx, path, offs)
	if err != nil || chains == nil {
		return nil, err
	}
	out := make([]protocol.SelectionRange, len(chains))
	for i, chain := range chains {
		var parent *protocol.SelectionRange
		for j := len(chain) - 1; j >= 0; j-- {
			r := &protocol.SelectionRange{Range: snap.conv.Range(path, chain[j]), Parent: parent}
			parent = r
		}
		if parent != nil {
			out[i] = *parent
		}
	}
	return out, nil
}
