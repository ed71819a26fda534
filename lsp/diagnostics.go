package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// diagnosticCapability: pulled diagnostics, for clients that pull; the
// others get every file's diagnostics pushed (publish.go).
func diagnosticCapability(caps *protocol.ServerCapabilities, client clientCaps) {
	if client.pull {
		caps.DiagnosticProvider = &protocol.DiagnosticOptions{
			Identifier:            ptr("amber"),
			InterFileDependencies: true,
		}
	}
}

// pullDiagnostics answers textDocument/diagnostic from the snapshot's
// report, "unchanged" when the client already has it.
func (s *server) pullDiagnostics(ctx context.Context, snap *snapshot, p *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	rep, err := snap.Diagnostics(ctx)
	if err != nil {
		return nil, err
	}
	ds, hash := snap.FileDiagnostics(rep, snap.OverlayDiagnostics(rep), path)
	id := resultID(hash, len(ds))
	s.pub.mu.Lock()
	s.pub.pulled[path] = id
	s.pub.mu.Unlock()
	if prev := p.PreviousResultID; prev != nil && *prev == id {
		return &protocol.RelatedUnchangedDocumentDiagnosticReport{
			UnchangedDocumentDiagnosticReport: protocol.UnchangedDocumentDiagnosticReport{Kind: "unchanged", ResultID: id},
		}, nil
	}
	items := snap.conv.Diagnostics(path, ds)
	return &protocol.RelatedFullDocumentDiagnosticReport{
		FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: "full", ResultID: &id, Items: items},
	}, nil
}
