package lsp

import (
	"context"
	"errors"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// renameCapability: rename, checked first with prepareRename when the
// client can ask (the LSP allows prepareProvider only then).
func renameCapability(caps *protocol.ServerCapabilities, client clientCaps) {
	if client.prepareRename {
		caps.RenameProvider = &protocol.RenameOptions{PrepareProvider: ptr(true)}
	} else {
		caps.RenameProvider = protocol.Boolean(true)
	}
}

// prepareRename answers textDocument/prepareRename: the name at the
// position and its range, null when the position names nothing
// renamable, or an error saying why what it names cannot be renamed.
func (s *server) prepareRename(ctx context.Context, snap *snapshot, p *protocol.PrepareRenameParams) (protocol.PrepareRenameResult, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	t, err := snap.PrepareRename(ctx, path, snap.conv.offset(path, p.Position))
	if err != nil || t == nil {
		return nil, renameError(err)
	}
	return &protocol.PrepareRenamePlaceholder{Range: snap.conv.Range(path, t.Span), Placeholder: t.Name}, nil
}

// rename answers textDocument/rename with one WorkspaceEdit changing every
// file: versioned documentChanges when the client takes them (open
// documents with their version, other files with none), changes
// otherwise. A refused rename is an error whose message the editor shows.
func (s *server) rename(ctx context.Context, snap *snapshot, p *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	edits, err := snap.Rename(ctx, path, snap.conv.offset(path, p.Position), p.NewName)
	if err != nil || edits == nil {
		return nil, renameError(err)
	}
	return s.workspaceEdit(snap, edits), nil
}

// renameError maps a refused rename to a RequestFailed error with its
// message; other errors are returned as they are.
func renameError(err error) error {
	var re *analysis.RenameError
	if errors.As(err, &re) {
		return jsonrpc2.Errorf(codeRequestFailed, "%s", re.Message)
	}
	return err
}

// workspaceEdit converts edits of files (absolute paths, grouped by file
// in order).
func (s *server) workspaceEdit(snap *snapshot, edits []diag.Edit) *protocol.WorkspaceEdit {
	conv := snap.conv
	var files []string
	byFile := map[string][]protocol.TextEdit{}
	for _, e := range edits {
		if _, seen := byFile[e.File]; !seen {
			files = append(files, e.File)
		}
		byFile[e.File] = append(byFile[e.File], protocol.TextEdit{Range: conv.Range(e.File, e.Span), NewText: e.NewText})
	}
	if !s.caps.documentChanges {
		changes := map[uri.URI][]protocol.TextEdit{}
		for _, f := range files {
			changes[conv.URI(f)] = byFile[f]
		}
		return &protocol.WorkspaceEdit{Changes: changes}
	}
	out := &protocol.WorkspaceEdit{DocumentChanges: []protocol.DocumentChange{}}
	for _, f := range files {
		doc := protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: conv.URI(f)}}
		if d := snap.Document(f); d != nil {
			doc.Version = ptr(d.Version)
		}
		elems := make([]protocol.TextDocumentEditElement, 0, len(byFile[f]))
		for i := range byFile[f] {
			elems = append(elems, &byFile[f][i])
		}
		out.DocumentChanges = append(out.DocumentChanges, &protocol.TextDocumentEdit{TextDocument: doc, Edits: elems})
	}
	return out
}
