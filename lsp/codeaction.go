package lsp

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// codeActionKinds are the kinds of code actions the server offers.
var codeActionKinds = []protocol.CodeActionKind{
	protocol.CodeActionKindQuickFix,
	protocol.CodeActionKindRefactorRewrite,
	protocol.CodeActionKindSourceFixAll,
}

// codeActionCapability: code actions, with their kinds when the client
// takes CodeAction literals.
func codeActionCapability(caps *protocol.ServerCapabilities, client clientCaps) {
	if client.actionLiterals {
		caps.CodeActionProvider = &protocol.CodeActionOptions{CodeActionKinds: codeActionKinds}
	} else {
		caps.CodeActionProvider = protocol.Boolean(true)
	}
}

// codeAction answers textDocument/codeAction: the fixes of the diagnostics
// in the range (or sent in the context) as quick fixes, the refactorings
// of what the range starts on, and every safe fix of the file as
// source.fixAll. An action that creates a file is left out for clients
// that cannot create files in a workspace edit.
func (s *server) codeAction(ctx context.Context, snap *snapshot, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	conv := snap.conv
	q := analysis.ActionQuery{Span: diag.Span{Start: conv.offset(path, p.Range.Start), End: conv.offset(path, p.Range.End)}}
	for _, k := range p.Context.Only {
		q.Only = append(q.Only, string(k))
	}
	for _, d := range p.Context.Diagnostics {
		code, ok := d.Code.(protocol.String)
		if !ok {
			continue
		}
		q.Diagnostics = append(q.Diagnostics, analysis.DiagnosticRef{
			Code: string(code),
			Span: diag.Span{Start: conv.offset(path, d.Range.Start), End: conv.offset(path, d.Range.End)},
		})
	}
	actions, err := snap.CodeActions(ctx, path, q)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.CommandOrCodeAction, 0, len(actions))
	for _, a := range actions {
		if len(a.Create) > 0 && !s.caps.createFiles {
			continue
		}
		kind := protocol.CodeActionKind(a.Kind)
		action := &protocol.CodeAction{Title: a.Title, Kind: &kind, Edit: workspaceEdit(conv, path, a)}
		for i := range a.Diagnostics {
			action.Diagnostics = append(action.Diagnostics, conv.Diagnostic(path, &a.Diagnostics[i]))
		}
		if a.Preferred {
			action.IsPreferred = ptr(true)
		}
		out = append(out, action)
	}
	return out, nil
}

// workspaceEdit converts an action's edits: `changes` by file, or, when it
// creates files, `documentChanges` creating each before the edits.
func workspaceEdit(conv *Converter, path string, a analysis.CodeAction) *protocol.WorkspaceEdit {
	if len(a.Create) == 0 {
		changes := map[uri.URI][]protocol.TextEdit{}
		for _, e := range a.Edits {
			file := labelPath(e.File, path)
			u := conv.URI(file)
			changes[u] = append(changes[u], protocol.TextEdit{Range: conv.Range(file, e.Span), NewText: e.NewText})
		}
		return &protocol.WorkspaceEdit{Changes: changes}
	}
	var changes []protocol.DocumentChange
	for _, f := range a.Create {
		changes = append(changes, &protocol.CreateFile{Kind: "create", URI: conv.URI(f), Options: &protocol.CreateFileOptions{IgnoreIfExists: ptr(true)}})
	}
	for _, e := range a.Edits {
		file := labelPath(e.File, path)
		id := protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: conv.URI(file)}}
		changes = append(changes, &protocol.TextDocumentEdit{TextDocument: id, Edits: []protocol.TextDocumentEditElement{
			&protocol.TextEdit{Range: conv.Range(file, e.Span), NewText: e.NewText},
		}})
	}
	return &protocol.WorkspaceEdit{DocumentChanges: changes}
}
