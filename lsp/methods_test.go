package lsp

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// capabilityPromises names, for each capability the server may advertise
// (a key of ServerCapabilities, or key.subkey where the methods differ by
// subkey), the methods a client may then send. A capability the table
// advertises that is missing here fails the tests: add it, with its
// methods.
var capabilityPromises = map[string][]string{
	"positionEncoding":           nil, // negotiated by initialize, not a method
	"textDocumentSync.openClose": {protocol.MethodTextDocumentDidOpen, protocol.MethodTextDocumentDidClose},
	"textDocumentSync.change":    {protocol.MethodTextDocumentDidChange},
	"textDocumentSync.save":      {protocol.MethodTextDocumentDidSave},
	"workspace.workspaceFolders": {protocol.MethodWorkspaceDidChangeWorkspaceFolders},
	"workspace.fileOperations":   {protocol.MethodWorkspaceWillRenameFiles},
	"diagnosticProvider":         {protocol.MethodTextDocumentDiagnostic},
	"hoverProvider":              {protocol.MethodTextDocumentHover},
	"definitionProvider":         {protocol.MethodTextDocumentDefinition},
	"completionProvider":         {protocol.MethodTextDocumentCompletion},
	"codeActionProvider":         {protocol.MethodTextDocumentCodeAction},

	// formatting.go, folding.go, selection.go
	"documentFormattingProvider":      {protocol.MethodTextDocumentFormatting},
	"documentRangeFormattingProvider": {protocol.MethodTextDocumentRangeFormatting},
	"foldingRangeProvider":            {protocol.MethodTextDocumentFoldingRange},
	"selectionRangeProvider":          {protocol.MethodTextDocumentSelectionRange},
	"inlayHintProvider":               {protocol.MethodTextDocumentInlayHint},
	"executeCommandProvider":          {protocol.MethodWorkspaceExecuteCommand},
	"referencesProvider":              {protocol.MethodTextDocumentReferences},
	"documentHighlightProvider":       {protocol.MethodTextDocumentDocumentHighlight},
	"renameProvider":                  {protocol.MethodTextDocumentRename, protocol.MethodTextDocumentPrepareRename},
	"codeLensProvider":                {protocol.MethodTextDocumentCodeLens},
	"callHierarchyProvider": {protocol.MethodTextDocumentPrepareCallHierarchy, protocol.MethodCallHierarchyIncomingCalls,
		protocol.MethodCallHierarchyOutgoingCalls},
	"documentSymbolProvider":  {protocol.MethodTextDocumentDocumentSymbol},
	"workspaceSymbolProvider": {protocol.MethodWorkspaceSymbol},
	"semanticTokensProvider": {protocol.MethodTextDocumentSemanticTokensFull, protocol.MethodTextDocumentSemanticTokensFullDelta,
		protocol.MethodTextDocumentSemanticTokensRange},
	"documentLinkProvider": {protocol.MethodTextDocumentDocumentLink},
}

// everyClientCap is a client that supports everything the server acts on.
var everyClientCap = clientCaps{
	configuration: true, watchDynamic: true, progress: true, pull: true,
	refresh: true, plainHover: true, actionLiterals: true, prepareRename: true, documentChanges: true,
	lensRefresh: true, hintRefresh: true, lineFoldingOnly: true, createFiles: true, symbolTree: true, snippets: true,
}

// capabilityPaths lists the capabilities set in the encoded capabilities
// raw, named as in capabilityPromises.
func capabilityPaths(t *testing.T, raw []byte) []string {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatalf("capabilities %s: %v", raw, err)
	}
	var paths []string
	for key, value := range top {
		split := false
		for p := range capabilityPromises {
			split = split || strings.HasPrefix(p, key+".")
		}
		if !split {
			paths = append(paths, key)
			continue
		}
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(value, &inner); err != nil {
			t.Fatalf("capability %s = %s: %v", key, value, err)
		}
		for sub := range inner {
			paths = append(paths, key+"."+sub)
		}
	}
	sort.Strings(paths)
	return paths
}

func encodeCaps(t *testing.T, caps *protocol.ServerCapabilities) []byte {
	t.Helper()
	raw, err := protocol.Marshal(caps)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// advertisedBy returns the capabilities one method advertises alone.
func advertisedBy(t *testing.T, m method, client clientCaps) []string {
	t.Helper()
	if m.capability == nil {
		return nil
	}
	var caps protocol.ServerCapabilities
	m.capability(&caps, client)
	return capabilityPaths(t, encodeCaps(t, &caps))
}

// TestEveryAdvertisedCapabilityIsHandled: whatever the table advertises
// promises only methods the table handles, and each of those methods
// advertises it itself (so removing a method withdraws its capability).
func TestEveryAdvertisedCapabilityIsHandled(t *testing.T) {
	var caps protocol.ServerCapabilities
	methods.advertise(&caps, everyClientCap)
	paths := capabilityPaths(t, encodeCaps(t, &caps))
	if len(paths) == 0 {
		t.Fatal("the table advertises nothing")
	}
	for _, path := range paths {
		promised, known := capabilityPromises[path]
		if !known {
			t.Errorf("the table advertises %s, which capabilityPromises does not know: add it with the methods it promises", path)
			continue
		}
		for _, name := range promised {
			m, ok := methods.lookup(name, false)
			if !ok {
				m, ok = methods.lookup(name, true)
			}
			if !ok {
				t.Errorf("%s is advertised, but %s is not in the table", path, name)
				continue
			}
			if !slices.Contains(advertisedBy(t, m, everyClientCap), path) {
				t.Errorf("%s is advertised, but not by %s, which needs it", path, name)
			}
		}
	}
}

// TestEveryHandlerWithACapabilityIsAdvertised: each method's capability
// sets something, and what it sets promises that method.
func TestEveryHandlerWithACapabilityIsAdvertised(t *testing.T) {
	n := 0
	for _, m := range methods.list {
		if m.capability == nil {
			continue
		}
		n++
		paths := advertisedBy(t, m, everyClientCap)
		if len(paths) == 0 {
			t.Errorf("%s: its capability sets nothing", m.name)
		}
		ok := false
		for _, p := range paths {
			ok = ok || slices.Contains(capabilityPromises[p], m.name)
		}
		if !ok {
			t.Errorf("%s advertises %v, none of which promises it", m.name, paths)
		}
	}
	if n == 0 {
		t.Fatal("no method has a capability")
	}
}

// TestMethodTable checks the table's own rules: one entry per name and
// kind, notifications on the read loop, and only the lifecycle accepted
// outside the running state.
func TestMethodTable(t *testing.T) {
	outside := map[string]bool{protocol.MethodInitialize: true, protocol.MethodExit: true, protocol.MethodCancelRequest: true}
	for _, m := range methods.list {
		if m.name == "" || m.run == nil {
			t.Errorf("an entry without a name or handler: %+v", m)
		}
		if !m.call && m.async {
			t.Errorf("notification %s is async: notifications must apply in wire order", m.name)
		}
		if got, want := m.phases != 0, outside[m.name]; got != want {
			t.Errorf("%s: accepted outside the running state = %v, want %v", m.name, got, want)
		}
	}
}

// initializeEverything initializes a server as a client that supports
// everything the server acts on.
func initializeEverything(t *testing.T, e *editor) *protocol.InitializeResult {
	t.Helper()
	params := &protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
		TextDocument: &protocol.TextDocumentClientCapabilities{
			Diagnostic: &protocol.DiagnosticClientCapabilities{},
			CodeAction: &protocol.CodeActionClientCapabilities{CodeActionLiteralSupport: protocol.ClientCodeActionLiteralOptions{
				CodeActionKind: protocol.ClientCodeActionKindOptions{ValueSet: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
			}},
		},
	}}
	var res protocol.InitializeResult
	if err := e.call(protocol.MethodInitialize, params, &res); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	return &res
}

// TestMethodTableOverThePipe: the server advertises what its table does,
// answers every request of the table (with an error about the params, not
// MethodNotFound), and only those.
func TestMethodTableOverThePipe(t *testing.T) {
	e := startServer(t, Options{})
	res := initializeEverything(t, e)
	var want protocol.ServerCapabilities
	want.PositionEncoding = protocol.PositionEncodingKindUTF16
	methods.advertise(&want, clientCapsOf(protocol.ClientCapabilities{TextDocument: &protocol.TextDocumentClientCapabilities{
		Diagnostic: &protocol.DiagnosticClientCapabilities{},
		CodeAction: &protocol.CodeActionClientCapabilities{CodeActionLiteralSupport: protocol.ClientCodeActionLiteralOptions{
			CodeActionKind: protocol.ClientCodeActionKindOptions{ValueSet: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
		}},
	}}))
	if got, want := encodeCaps(t, &res.Capabilities), encodeCaps(t, &want); string(got) != string(want) {
		t.Errorf("initialize advertised\n%s\nthe table advertises\n%s", got, want)
	}
	for _, m := range methods.list {
		if !m.call || m.name == protocol.MethodInitialize || m.name == protocol.MethodShutdown {
			continue
		}
		if err := e.call(m.name, map[string]any{}, nil); errCode(err) == jsonrpc2.MethodNotFound {
			t.Errorf("%s: %v", m.name, err)
		}
	}
	for _, name := range []string{protocol.MethodTextDocumentMoniker, protocol.MethodTextDocumentDidOpen, protocol.MethodExit} {
		if err := e.call(name, map[string]any{}, nil); errCode(err) != jsonrpc2.MethodNotFound {
			t.Errorf("request %s: %v, want MethodNotFound", name, err)
		}
	}
	if code := e.shutdown(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

// TestMethodsOutsideTheTable: a server whose table lacks hover neither
// advertises nor answers it, and still answers the rest.
func TestMethodsOutsideTheTable(t *testing.T) {
	var without []method
	for _, m := range methods.list {
		if m.name != protocol.MethodTextDocumentHover {
			without = append(without, m)
		}
	}
	e := startTable(t, Options{}, newMethodTable(without...))
	res := initializeEverything(t, e)
	if res.Capabilities.HoverProvider != nil || res.Capabilities.DefinitionProvider == nil {
		t.Errorf("hover %v, definition %v: want no hover, a definition", res.Capabilities.HoverProvider, res.Capabilities.DefinitionProvider)
	}
	pos := map[string]any{"textDocument": map[string]string{"uri": "untitled:x"}, "position": map[string]int{"line": 0, "character": 0}}
	if err := e.call(protocol.MethodTextDocumentHover, pos, nil); errCode(err) != jsonrpc2.MethodNotFound {
		t.Errorf("hover: %v, want MethodNotFound", err)
	}
	if err := e.call(protocol.MethodTextDocumentDefinition, pos, nil); errCode(err) != jsonrpc2.InvalidParams {
		t.Errorf("definition of an untitled document: %v, want InvalidParams", err)
	}
}
