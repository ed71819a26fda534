package lsp

import (
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// The call hierarchy shows how capabilities flow between components: the
// incoming calls of a component are the components whose provides feed
// its slots, its outgoing calls those its provides feed (analysis'
// IncomingCalls, OutgoingCalls). An item names its component by its tree's
// root and its moniker, in the item's data.

// callHierarchyCapability: call hierarchy.
func callHierarchyCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.CallHierarchyProvider = protocol.Boolean(true)
}

// callData is what an item carries between the requests.
type callData struct {
	Root    string `json:"root"`
	Moniker string `json:"moniker"`
}

// prepareCallHierarchy answers textDocument/prepareCallHierarchy: the
// component at the position, in each tree that contains it.
func (s *server) prepareCallHierarchy(ctx context.Context, snap *snapshot, p *protocol.CallHierarchyPrepareParams) ([]protocol.CallHierarchyItem, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	items, err := snap.PrepareCallHierarchy(ctx, path, snap.conv.offset(path, p.Position))
	if err != nil || len(items) == 0 {
		return nil, err
	}
	out := make([]protocol.CallHierarchyItem, 0, len(items))
	for _, it := range items {
		out = append(out, callItem(snap, it))
	}
	return out, nil
}

// incomingCalls answers callHierarchy/incomingCalls.
func (s *server) incomingCalls(ctx context.Context, snap *snapshot, p *protocol.CallHierarchyIncomingCallsParams) ([]protocol.CallHierarchyIncomingCall, error) {
	item, ok, err := itemOf(ctx, snap, p.Item)
	if !ok || err != nil {
		return nil, err
	}
	calls, err := snap.IncomingCalls(ctx, item)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.CallHierarchyIncomingCall, 0, len(calls))
	for _, c := range calls {
		out = append(out, protocol.CallHierarchyIncomingCall{From: callItem(snap, c.Item), FromRanges: ranges(snap, c.Item.File, c)})
	}
	return out, nil
}

// outgoingCalls answers callHierarchy/outgoingCalls.
func (s *server) outgoingCalls(ctx context.Context, snap *snapshot, p *protocol.CallHierarchyOutgoingCallsParams) ([]protocol.CallHierarchyOutgoingCall, error) {
	item, ok, err := itemOf(ctx, snap, p.Item)
	if !ok || err != nil {
		return nil, err
	}
	calls, err := snap.OutgoingCalls(ctx, item)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.CallHierarchyOutgoingCall, 0, len(calls))
	for _, c := range calls {
		out = append(out, protocol.CallHierarchyOutgoingCall{To: callItem(snap, c.Item), FromRanges: ranges(snap, item.File, c)})
	}
	return out, nil
}

// callItem converts an item.
func callItem(snap *snapshot, it analysis.CallItem) protocol.CallHierarchyItem {
	data, _ := json.Marshal(callData{Root: it.Root, Moniker: it.Moniker})
	return protocol.CallHierarchyItem{
		Name:           it.Name,
		Kind:           protocol.SymbolKindModule,
		Detail:         ptr(it.Detail),
		URI:            snap.conv.URI(it.File),
		Range:          snap.conv.Range(it.File, it.Span),
		SelectionRange: snap.conv.Range(it.File, it.Selection),
		Data:           protocol.LSPAny(data),
	}
}

// ranges converts the ranges of a call, spans of file.
func ranges(snap *snapshot, file string, c analysis.Call) []protocol.Range {
	out := make([]protocol.Range, 0, len(c.Ranges))
	for _, sp := range c.Ranges {
		out = append(out, snap.conv.Range(file, sp))
	}
	return out
}

// itemOf finds the component of an item the client sends back: by its
// data, else (a client that drops data) the first component at the item's
// selection.
func itemOf(ctx context.Context, snap *snapshot, it protocol.CallHierarchyItem) (analysis.CallItem, bool, error) {
	path, err := documentPath(it.URI)
	if err != nil {
		return analysis.CallItem{}, false, err
	}
	var data callData
	if len(it.Data) > 0 && json.Unmarshal(it.Data, &data) == nil && data.Root != "" {
		sel := diag.Span{Start: snap.conv.offset(path, it.SelectionRange.Start), End: snap.conv.offset(path, it.SelectionRange.End)}
		return analysis.CallItem{File: path, Root: data.Root, Moniker: data.Moniker, Name: it.Name, Selection: sel}, true, nil
	}
	items, err := snap.PrepareCallHierarchy(ctx, path, snap.conv.offset(path, it.SelectionRange.Start))
	if err != nil || len(items) == 0 {
		return analysis.CallItem{}, false, err
	}
	return items[0], true, nil
}
