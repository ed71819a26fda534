package lsp

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
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
	items := snap.conv.Diagnostics(path, fileDiagnostics(rep, snap.OverlayDiagnostics(rep), path))
	id := resultID(items)
	s.pub.mu.Lock()
	s.pub.pulled[path] = id
	s.pub.mu.Unlock()
	if prev := p.PreviousResultID; prev != nil && *prev == id {
		return &protocol.RelatedUnchangedDocumentDiagnosticReport{
			UnchangedDocumentDiagnosticReport: protocol.UnchangedDocumentDiagnosticReport{Kind: "unchanged", ResultID: id},
		}, nil
	}
	return &protocol.RelatedFullDocumentDiagnosticReport{
		FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: "full", ResultID: &id, Items: items},
	}, nil
}

// fileDiagnostics are the diagnostics published for a file: the report's,
// then those the kept overlay previews add (overlays, from
// Snapshot.OverlayDiagnostics), as `--check --apply-overlays` orders them.
func fileDiagnostics(rep *analysis.Report, overlays map[string][]diag.Diagnostic, file string) []diag.Diagnostic {
	if len(overlays[file]) == 0 {
		return rep.ByFile[file]
	}
	return slices.Concat(rep.ByFile[file], overlays[file])
}
