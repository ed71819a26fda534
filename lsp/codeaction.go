package lsp

import (
	"context"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// codeActionCapability: code actions, with their kinds when the client
// takes CodeAction literals.
func codeActionCapability(caps *protocol.ServerCapabilities, client clientCaps) {
	if client.actionLiterals {
		caps.CodeActionProvider = &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}}
	} else {
		caps.CodeActionProvider = protocol.Boolean(true)
	}
}

// codeAction answers textDocument/codeAction: the fixes of the diagnostics
// in the range (or sent in the context) as quick fixes.
func (s *server) codeAction(ctx context.Context, snap *snapshot, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	if !wantsQuickFixes(p.Context.Only) {
		return []protocol.CommandOrCodeAction{}, nil
	}
	conv := snap.conv
	q := analysis.ActionQuery{Span: diag.Span{Start: conv.offset(path, p.Range.Start), End: conv.offset(path, p.Range.End)}}
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
	quickfix := protocol.CodeActionKindQuickFix
	for _, a := range actions {
		changes := map[uri.URI][]protocol.TextEdit{}
		for _, e := range a.Edits {
			file := labelPath(e.File, path)
			u := conv.URI(file)
			changes[u] = append(changes[u], protocol.TextEdit{Range: conv.Range(file, e.Span), NewText: e.NewText})
		}
		action := &protocol.CodeAction{
			Title:       a.Title,
			Kind:        &quickfix,
			Diagnostics: []protocol.Diagnostic{conv.Diagnostic(path, &a.Diagnostic)},
			Edit:        &protocol.WorkspaceEdit{Changes: changes},
		}
		if a.Preferred {
			action.IsPreferred = ptr(true)
		}
		out = append(out, action)
	}
	return out, nil
}

// wantsQuickFixes reports whether a code action request's `only` filter
// lets quick fixes through: no filter, or a kind that is quickfix or one
// of its parents.
func wantsQuickFixes(only []protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, k := range only {
		if k == protocol.CodeActionKindEmpty || k == protocol.CodeActionKindQuickFix || strings.HasPrefix(string(protocol.CodeActionKindQuickFix), string(k)+".") {
			return true
		}
	}
	return false
}
