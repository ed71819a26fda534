package lsp

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
)

// willRenameFilesCapability: a file or a folder renamed in the editor
// (VS Code's explorer) brings the edits that keep the references to it,
// and a manifest's own, naming the same files. Every local file and
// folder: a manifest's `{ file }` texts may have any name.
func willRenameFilesCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	if caps.Workspace == nil {
		caps.Workspace = &protocol.WorkspaceOptions{}
	}
	caps.Workspace.FileOperations = &protocol.FileOperationOptions{
		WillRename: protocol.FileOperationRegistrationOptions{Filters: []protocol.FileOperationFilter{
			{Scheme: ptr("file"), Pattern: protocol.FileOperationPattern{Glob: "**"}},
		}},
	}
}

// willRenameFiles answers workspace/willRenameFiles with analysis'
// RenameFiles: the references the renames would break, written anew; null
// when none would change. Renames of what is not a local file are left
// out.
func (s *server) willRenameFiles(ctx context.Context, snap *snapshot, p *protocol.RenameFilesParams) (*protocol.WorkspaceEdit, error) {
	var moves []analysis.FileMove
	for _, f := range p.Files {
		old, ok1 := pathOf(uri.URI(f.OldURI))
		now, ok2 := pathOf(uri.URI(f.NewURI))
		if ok1 && ok2 {
			moves = append(moves, analysis.FileMove{Old: old, New: now})
		}
	}
	if len(moves) == 0 {
		return nil, nil
	}
	edits, err := snap.RenameFiles(ctx, moves)
	if err != nil || edits == nil {
		return nil, err
	}
	return s.workspaceEdit(snap, edits), nil
}
