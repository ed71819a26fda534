package lsp

import (
	"go.lsp.dev/protocol"
)

// methods is the method table: every request and notification the server
// handles, with where it runs and what it advertises. Each handler and its
// capability live in the file of its group; adding a method is one line
// here (see dispatch.go for the adapters).
var methods = newMethodTable(
	// lifecycle.go
	request(protocol.MethodInitialize, (*server).initialize).acceptedIn(beforeInitialize),
	notification(protocol.MethodInitialized, (*server).initialized),
	request(protocol.MethodShutdown, (*server).shutdown),
	notification(protocol.MethodExit, (*server).exit).acceptedIn(inAnyPhase),
	notification(protocol.MethodSetTrace, (*server).setTrace),
	// dispatch.go
	notification(protocol.MethodCancelRequest, (*server).cancelRequest).acceptedIn(inAnyPhase),

	// sync.go
	notification(protocol.MethodTextDocumentDidOpen, (*server).didOpen).advertises(syncOpenClose),
	notification(protocol.MethodTextDocumentDidChange, (*server).didChange).advertises(syncChange),
	notification(protocol.MethodTextDocumentDidClose, (*server).didClose).advertises(syncOpenClose),
	notification(protocol.MethodTextDocumentDidSave, (*server).didSave).advertises(syncSave),

	// workspace.go
	notification(protocol.MethodWorkspaceDidChangeWatchedFiles, (*server).didChangeWatchedFiles),
	notification(protocol.MethodWorkspaceDidChangeConfiguration, (*server).didChangeConfiguration),
	notification(protocol.MethodWorkspaceDidChangeWorkspaceFolders, (*server).didChangeWorkspaceFolders).advertises(workspaceFoldersCapability),

	// diagnostics.go
	query(protocol.MethodTextDocumentDiagnostic, (*server).pullDiagnostics).advertises(diagnosticCapability),

	// hover.go, definition.go, completion.go, codeaction.go
	query(protocol.MethodTextDocumentHover, (*server).hover).advertises(hoverCapability),
	query(protocol.MethodTextDocumentDefinition, (*server).definition).advertises(definitionCapability),
	query(protocol.MethodTextDocumentCompletion, (*server).completion).advertises(completionCapability),
	query(protocol.MethodTextDocumentCodeAction, (*server).codeAction).advertises(codeActionCapability),

	// formatting.go, folding.go, selection.go
	query(protocol.MethodTextDocumentFormatting, (*server).formatting).advertises(formattingCapability),
	query(protocol.MethodTextDocumentRangeFormatting, (*server).rangeFormatting).advertises(rangeFormattingCapability),
	query(protocol.MethodTextDocumentFoldingRange, (*server).foldingRanges).advertises(foldingCapability),
	query(protocol.MethodTextDocumentSelectionRange, (*server).selectionRanges).advertises(selectionCapability),
	// inlayhint.go, commands.go
	query(protocol.MethodTextDocumentInlayHint, (*server).inlayHint).advertises(inlayHintCapability),
	queryAfterIndex(protocol.MethodWorkspaceExecuteCommand, (*server).executeCommand).advertises(executeCommandCapability),
	// references.go, highlight.go, rename.go, filerename.go, codelens.go, callhierarchy.go
	queryAfterIndex(protocol.MethodTextDocumentReferences, (*server).references).advertises(referencesCapability),
	queryAfterIndex(protocol.MethodTextDocumentDocumentHighlight, (*server).documentHighlight).advertises(documentHighlightCapability),
	queryAfterIndex(protocol.MethodTextDocumentPrepareRename, (*server).prepareRename).advertises(renameCapability),
	queryAfterIndex(protocol.MethodTextDocumentRename, (*server).rename).advertises(renameCapability),
	queryAfterIndex(protocol.MethodWorkspaceWillRenameFiles, (*server).willRenameFiles).advertises(willRenameFilesCapability),
	query(protocol.MethodTextDocumentCodeLens, (*server).codeLens).advertises(codeLensCapability),
	queryAfterIndex(protocol.MethodTextDocumentPrepareCallHierarchy, (*server).prepareCallHierarchy).advertises(callHierarchyCapability),
	queryAfterIndex(protocol.MethodCallHierarchyIncomingCalls, (*server).incomingCalls).advertises(callHierarchyCapability),
	queryAfterIndex(protocol.MethodCallHierarchyOutgoingCalls, (*server).outgoingCalls).advertises(callHierarchyCapability),
	// symbols.go, semantictokens.go, documentlink.go
	query(protocol.MethodTextDocumentDocumentSymbol, (*server).documentSymbol).advertises(documentSymbolCapability),
	queryAfterIndex(protocol.MethodWorkspaceSymbol, (*server).workspaceSymbol).advertises(workspaceSymbolCapability),
	query(protocol.MethodTextDocumentSemanticTokensFull, (*server).semanticTokensFull).advertises(semanticTokensCapability),
	query(protocol.MethodTextDocumentSemanticTokensFullDelta, (*server).semanticTokensDelta).advertises(semanticTokensCapability),
	query(protocol.MethodTextDocumentSemanticTokensRange, (*server).semanticTokensRange).advertises(semanticTokensCapability),
	query(protocol.MethodTextDocumentDocumentLink, (*server).documentLink).advertises(documentLinkCapability),
)

// methodTable is a list of methods indexed by name. The server reaches it
// through its methods field, so that the handlers it lists may read it.
type methodTable struct {
	list []method
	// index holds notifications [0] and requests [1] apart: a
	// notification's name sent as a request is as unknown as any other.
	index [2]map[string]method
}

func newMethodTable(list ...method) *methodTable {
	t := &methodTable{list: list, index: [2]map[string]method{{}, {}}}
	for _, m := range list {
		k := kindOf(m.call)
		if _, dup := t.index[k][m.name]; dup {
			panic("lsp: method " + m.name + " is in the table twice")
		}
		t.index[k][m.name] = m
	}
	return t
}

func kindOf(call bool) int {
	if call {
		return 1
	}
	return 0
}

// lookup returns the entry of a request (call) or notification, or an
// entry that only names it.
func (t *methodTable) lookup(name string, call bool) (method, bool) {
	m, ok := t.index[kindOf(call)][name]
	if !ok {
		return method{name: name, call: call}, false
	}
	return m, true
}

// advertise fills in the capabilities of every method in the table.
func (t *methodTable) advertise(caps *protocol.ServerCapabilities, client clientCaps) {
	for _, m := range t.list {
		if m.capability != nil {
			m.capability(caps, client)
		}
	}
}
