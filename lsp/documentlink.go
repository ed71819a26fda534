package lsp

import (
	"context"
	"path/filepath"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// documentLinkCapability: links from manifest and `{ file }` references
// to what they name.
func documentLinkCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.DocumentLinkProvider = &protocol.DocumentLinkOptions{}
}

// documentLink answers textDocument/documentLink: local files as file
// URIs, remote manifests as their URLs.
func (s *server) documentLink(ctx context.Context, snap *snapshot, p *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	links, err := snap.DocumentLinks(ctx, path)
	if err != nil || links == nil {
		return nil, err
	}
	out := make([]protocol.DocumentLink, 0, len(links))
	for _, l := range links {
		target, tip := uri.URI(l.URL), "Open "+l.URL
		if l.File != "" {
			target, tip = snap.conv.URI(l.File), "Open "+filepath.Base(l.File)
		}
		out = append(out, protocol.DocumentLink{Range: snap.conv.Range(path, l.Span), Target: &target, Tooltip: ptr(tip)})
	}
	return out, nil
}
