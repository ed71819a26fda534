package lsp

import (
	"context"
	"slices"
	"time"

	"go.lsp.dev/protocol"
)

// The lifecycle methods: initialize, initialized, shutdown, exit and
// $/setTrace. All run on the read loop, in wire order.

// clientCaps are the client capabilities the server acts on, read once by
// initialize.
type clientCaps struct {
	configuration   bool // answers workspace/configuration
	watchDynamic    bool // takes file watchers registered at run time
	progress        bool // shows $/progress
	pull            bool // pulls diagnostics (textDocument/diagnostic)
	refresh         bool // takes workspace/diagnostic/refresh
	plainHover      bool // shows no markdown in hovers
	actionLiterals  bool // takes CodeAction literals and kinds
	prepareRename   bool // asks textDocument/prepareRename before renaming
	documentChanges bool // takes versioned documentChanges in a WorkspaceEdit
	createFiles     bool // takes file creations in workspace edits (documentChanges)
	lensRefresh     bool // takes workspace/codeLens/refresh
	hintRefresh     bool // takes workspace/inlayHint/refresh
	lineFoldingOnly bool // folds whole lines only (folding.go)
	symbolTree      bool // takes hierarchical DocumentSymbols
	snippets        bool // takes completion snippets
}

func clientCapsOf(c protocol.ClientCapabilities) clientCaps {
	var cc clientCaps
	if w := c.Workspace; w != nil {
		cc.configuration = isTrue(w.Configuration)
		cc.watchDynamic = w.DidChangeWatchedFiles != nil && isTrue(w.DidChangeWatchedFiles.DynamicRegistration)
		cc.refresh = w.Diagnostics != nil && isTrue(w.Diagnostics.RefreshSupport)
		if e := w.WorkspaceEdit; e != nil && isTrue(e.DocumentChanges) {
			cc.createFiles = slices.Contains(e.ResourceOperations, protocol.ResourceOperationKindCreate)
		}
		cc.lensRefresh = w.CodeLens != nil && isTrue(w.CodeLens.RefreshSupport)
		cc.hintRefresh = w.InlayHint != nil && isTrue(w.InlayHint.RefreshSupport)
		cc.documentChanges = w.WorkspaceEdit != nil && isTrue(w.WorkspaceEdit.DocumentChanges)
	}
	if w := c.Window; w != nil {
		cc.progress = isTrue(w.WorkDoneProgress)
	}
	if t := c.TextDocument; t != nil {
		cc.pull = t.Diagnostic != nil
		if h := t.Hover; h != nil && len(h.ContentFormat) > 0 {
			cc.plainHover = true
			for _, k := range h.ContentFormat {
				if k == protocol.MarkupKindMarkdown {
					cc.plainHover = false
				}
			}
		}
		cc.actionLiterals = t.CodeAction != nil && len(t.CodeAction.CodeActionLiteralSupport.CodeActionKind.ValueSet) > 0
		cc.lineFoldingOnly = t.FoldingRange != nil && isTrue(t.FoldingRange.LineFoldingOnly)
		cc.prepareRename = t.Rename != nil && isTrue(t.Rename.PrepareSupport)
		cc.symbolTree = t.DocumentSymbol != nil && isTrue(t.DocumentSymbol.HierarchicalDocumentSymbolSupport)
		cc.snippets = t.Completion != nil && t.Completion.CompletionItem != nil && isTrue(t.Completion.CompletionItem.SnippetSupport)
	}
	return cc
}

// initialize reads the client's capabilities, folders and settings, and
// answers with the capabilities of the methods in the table.
func (s *server) initialize(_ context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	s.caps = clientCapsOf(p.Capabilities)
	s.encoding = negotiateEncoding(p.Capabilities)
	s.unit = unitOf(s.encoding)
	s.pub.unit = s.unit

	var folders []string
	if wf, ok := p.WorkspaceFolders.Get(); ok {
		for _, f := range wf {
			if path, ok := pathOf(f.URI); ok {
				folders = append(folders, path)
			}
		}
	} else if root, ok := legacyRoot(p); ok {
		folders = append(folders, root)
	}
	st, err := parseSettings(p.InitializationOptions, settings{})
	if err != nil {
		s.settingsProblem("initializationOptions", err)
	}
	s.indexPending.Store(len(folders) > 0)
	s.mu.Lock()
	s.folders = folders
	s.settings = st
	s.trace = p.Trace
	if st.Trace != "" {
		s.trace = st.Trace
	}
	s.mu.Unlock()
	s.applySettings()
	s.state.Store(stateRunning)

	caps := protocol.ServerCapabilities{PositionEncoding: s.encoding}
	s.methods.advertise(&caps, s.caps)
	return &protocol.InitializeResult{
		Capabilities: caps,
		ServerInfo:   protocol.ServerInfo{Name: "amber-lsp", Version: protocol.NewOptional(s.opts.Version)},
	}, nil
}

// legacyRoot is the workspace of a client that sends no workspace folders:
// rootUri, or from the oldest clients rootPath.
func legacyRoot(p *protocol.InitializeParams) (string, bool) {
	//lint:ignore SA1019 clients without workspace folders still send rootUri
	if uri := p.RootURI; uri != nil {
		return pathOf(*uri)
	}
	//lint:ignore SA1019 the oldest clients send only rootPath
	if rp, ok := p.RootPath.Get(); ok && rp != "" {
		return rp, true
	}
	return "", false
}

// initialized starts the work that needs the client (settings, file
// watching and indexing) and analysis. Analysis starts once the client
// has answered workspace/configuration, or after settingsWait if it is
// slow to (its answer re-analyzes then): the settings decide what is
// fetched and reported, and diagnostics published without them would
// change a moment later. It does not wait for the workspace to be
// indexed: what the documents opened meanwhile say of themselves is
// published first (scheduler.loop), and the full report follows the index.
func (s *server) initialized(*noParams) {
	s.indexStarted.Store(true)
	settled := make(chan struct{})
	s.goBackground(func(ctx context.Context) {
		if s.caps.configuration {
			s.fetchConfiguration(ctx)
		}
		close(settled)
		s.sched.start()
		s.previews.settle()
		if s.caps.watchDynamic {
			s.registerWatchers(ctx)
		}
		s.index(ctx)
	})
	s.goBackground(func(ctx context.Context) {
		select {
		case <-settled:
		case <-time.After(settingsWait):
			s.sched.start()
		case <-ctx.Done():
		}
	})
}

// settingsWait is how long analysis waits for the client's settings
// before it starts with those of initialize.
var settingsWait = 100 * time.Millisecond

// shutdown stops analysis and every overlay helper; only exit is accepted
// afterwards.
func (s *server) shutdown(context.Context, *noParams) (any, error) {
	s.state.Store(stateShutdown)
	s.sched.close()
	s.previews.close()
	return nil, nil
}

// exit ends the session; Serve returns.
func (s *server) exit(*noParams) {
	s.exitOnce.Do(func() { close(s.exited) })
}

// setTrace handles $/setTrace.
func (s *server) setTrace(p *protocol.SetTraceParams) {
	s.mu.Lock()
	s.trace = p.Value
	s.mu.Unlock()
}
