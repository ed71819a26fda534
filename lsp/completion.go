package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
)

// completionTriggers are the characters after which editors ask for
// completions unprompted: reference separators, string and placeholder
// openers.
var completionTriggers = []string{".", "#", `"`, "{"}

// completionCapability: completion, with its trigger characters.
func completionCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.CompletionProvider = &protocol.CompletionOptions{TriggerCharacters: completionTriggers}
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
	analysis.CompleteSnippet:   protocol.CompletionItemKindSnippet,
}

// completion answers textDocument/completion with analysis' items, in
// analysis' order, each with the edit it makes.
func (s *server) completion(ctx context.Context, snap *snapshot, p *protocol.CompletionParams) (*protocol.CompletionList, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	conv := snap.conv
	items, err := snap.Completion(ctx, path, conv.offset(path, p.Position))
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
		if it.Snippet != "" && s.caps.snippets {
			ci.TextEdit = &protocol.TextEdit{Range: conv.Range(path, it.Edit.Span), NewText: it.Snippet}
			ci.InsertTextFormat = protocol.InsertTextFormatSnippet
		}
		if it.Detail != "" {
			ci.Detail = protocol.NewOptional(it.Detail)
		}
		list.Items = append(list.Items, ci)
	}
	return list, nil
}
