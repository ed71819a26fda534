package lsp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/source"
)

// The IDE features are computed by package analysis from a snapshot; the
// handlers here only convert positions and results. Each takes the
// snapshot on the read loop, so it sees every change sent before the
// request, then runs beside later messages (jsonrpc2.Async) under the
// request's cancellable context.

// featureCaps are the client capabilities the feature handlers act on.
type featureCaps struct {
	plainHover     bool // the client shows no markdown in hovers
	actionLiterals bool // the client takes CodeAction literals and kinds
}

func featureCapsOf(c protocol.ClientCapabilities) featureCaps {
	var f featureCaps
	if t := c.TextDocument; t != nil {
		if h := t.Hover; h != nil && len(h.ContentFormat) > 0 {
			f.plainHover = true
			for _, k := range h.ContentFormat {
				if k == protocol.MarkupKindMarkdown {
					f.plainHover = false
				}
			}
		}
		f.actionLiterals = t.CodeAction != nil && len(t.CodeAction.CodeActionLiteralSupport.CodeActionKind.ValueSet) > 0
	}
	return f
}

// completionTriggers are the characters after which editors ask for
// completions unprompted: reference separators, string and placeholder
// openers.
var completionTriggers = []string{".", "#", `"`, "{"}

// advertiseFeatures adds the features to the server's capabilities.
func (s *server) advertiseFeatures(caps *protocol.ServerCapabilities) {
	caps.HoverProvider = protocol.Boolean(true)
	caps.DefinitionProvider = protocol.Boolean(true)
	caps.CompletionProvider = &protocol.CompletionOptions{TriggerCharacters: completionTriggers}
	if s.feat.actionLiterals {
		caps.CodeActionProvider = &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}}
	} else {
		caps.CodeActionProvider = protocol.Boolean(true)
	}
}

// isFeature reports whether method is one of the feature requests.
func isFeature(method string) bool {
	switch method {
	case protocol.MethodTextDocumentHover, protocol.MethodTextDocumentDefinition,
		protocol.MethodTextDocumentCompletion, protocol.MethodTextDocumentCodeAction:
		return true
	}
	return false
}

// featureHook, when set by a test, runs in every feature handler once it
// runs beside the read loop.
var featureHook func(ctx context.Context, method string)

// feature answers a feature request. rctx is jsonrpc2's request context
// (for Async only); ctx is the request's cancellable context.
func (s *server) feature(rctx, ctx context.Context, method string, params jsonrpc2.RawMessage) (any, error) {
	var doc protocol.TextDocumentIdentifier
	var run func(snap *analysis.Snapshot, conv *Converter, path string) (any, error)
	switch method {
	case protocol.MethodTextDocumentHover:
		var p protocol.HoverParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		doc = p.TextDocument
		run = func(snap *analysis.Snapshot, conv *Converter, path string) (any, error) {
			return s.hover(ctx, snap, conv, path, p.Position)
		}
	case protocol.MethodTextDocumentDefinition:
		var p protocol.DefinitionParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		doc = p.TextDocument
		run = func(snap *analysis.Snapshot, conv *Converter, path string) (any, error) {
			return s.definition(ctx, snap, conv, path, p.Position)
		}
	case protocol.MethodTextDocumentCompletion:
		var p protocol.CompletionParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		doc = p.TextDocument
		run = func(snap *analysis.Snapshot, conv *Converter, path string) (any, error) {
			return s.completion(ctx, snap, conv, path, p.Position)
		}
	case protocol.MethodTextDocumentCodeAction:
		var p protocol.CodeActionParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		doc = p.TextDocument
		run = func(snap *analysis.Snapshot, conv *Converter, path string) (any, error) {
			return s.codeAction(ctx, snap, conv, path, &p)
		}
	default:
		return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method %q is not supported", method)
	}
	path, ok := pathOf(doc.URI)
	if !ok {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: %q is not a local file: URI", method, doc.URI)
	}
	snap := s.ws.Snapshot()
	jsonrpc2.Async(rctx) // reads a snapshot: runs beside later messages
	if featureHook != nil {
		featureHook(ctx, method)
	}
	if ctx.Err() != nil {
		return nil, cancelled(method)
	}
	res, err := run(snap, s.pub.converter(snap), path)
	if err != nil {
		return nil, s.featureError(ctx, method, err)
	}
	return res, nil
}

func cancelled(method string) error {
	return jsonrpc2.Errorf(codeRequestCancelled, "%s cancelled", method)
}

// featureError turns an error of analysis into a response error.
func (s *server) featureError(ctx context.Context, method string, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return cancelled(method)
	}
	var fe *analysis.FeatureError
	if errors.As(err, &fe) {
		s.logf(protocol.MessageTypeError, "%v\n%s", fe, fe.Stack)
	}
	return jsonrpc2.Errorf(jsonrpc2.InternalError, "%s: %v", method, err)
}

// offset converts an LSP position in a file to a byte offset.
func (c *Converter) offset(path string, p protocol.Position) int {
	return c.index(path).Offset(source.Position{Line: int(p.Line), Column: int(p.Character)}, c.Unit)
}

// location converts a span of a file.
func (c *Converter) location(path string, span diag.Span) protocol.Location {
	return protocol.Location{URI: c.URI(path), Range: c.Range(path, span)}
}

func (s *server) hover(ctx context.Context, snap *analysis.Snapshot, conv *Converter, path string, pos protocol.Position) (any, error) {
	h, err := snap.Hover(ctx, path, conv.offset(path, pos))
	if err != nil || h == nil {
		return nil, err
	}
	kind := protocol.MarkupKindMarkdown
	if s.feat.plainHover {
		kind = protocol.MarkupKindPlainText
	}
	r := conv.Range(path, h.Span)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: h.Markdown}, Range: &r}, nil
}

func (s *server) definition(ctx context.Context, snap *analysis.Snapshot, conv *Converter, path string, pos protocol.Position) (any, error) {
	locs, err := snap.Definition(ctx, path, conv.offset(path, pos))
	if err != nil || len(locs) == 0 {
		return nil, err
	}
	out := make(protocol.LocationSlice, 0, len(locs))
	for _, l := range locs {
		out = append(out, conv.location(l.File, l.Span))
	}
	return out, nil
}

// completionKinds maps analysis' completion kinds to the protocol's.
var completionKinds = map[analysis.CompletionKind]protocol.CompletionItemKind{
	analysis.CompleteKey:       protocol.CompletionItemKindProperty,
	analysis.CompleteValue:     protocol.CompletionItemKindEnumMember,
	analysis.CompleteComponent: protocol.CompletionItemKindModule,
	analysis.CompleteSlot:      protocol.CompletionItemKindInterface,
	analysis.CompleteProvide:   protocol.CompletionItemKindInterface,
	analysis.CompleteResource:  protocol.CompletionItemKindStruct,
	analysis.CompleteExport:    protocol.CompletionItemKindReference,
	analysis.CompleteConfig:    protocol.CompletionItemKindField,
	analysis.CompleteSource:    protocol.CompletionItemKindKeyword,
	analysis.CompleteName:      protocol.CompletionItemKindValue,
}

func (s *server) completion(ctx context.Context, snap *analysis.Snapshot, conv *Converter, path string, pos protocol.Position) (any, error) {
	items, err := snap.Completion(ctx, path, conv.offset(path, pos))
	if err != nil {
		return nil, err
	}
	list := &protocol.CompletionList{Items: make([]protocol.CompletionItem, 0, len(items))}
	for i, it := range items {
		ci := protocol.CompletionItem{
			Label:    it.Label,
			Kind:     completionKinds[it.Kind],
			SortText: protocol.NewOptional(fmt.Sprintf("%05d", i)), // analysis' order
			TextEdit: &protocol.TextEdit{Range: conv.Range(path, it.Edit.Span), NewText: it.Edit.NewText},
		}
		if it.Detail != "" {
			ci.Detail = protocol.NewOptional(it.Detail)
		}
		list.Items = append(list.Items, ci)
	}
	return list, nil
}

func (s *server) codeAction(ctx context.Context, snap *analysis.Snapshot, conv *Converter, path string, p *protocol.CodeActionParams) (any, error) {
	if !wantsQuickFixes(p.Context.Only) {
		return []protocol.CommandOrCodeAction{}, nil
	}
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
