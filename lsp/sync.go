package lsp

import (
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
)

// The document-sync handlers run on the read loop, in wire order. Each
// records the new state in the workspace and wakes the scheduler; none
// waits for analysis. Together they advertise textDocumentSync: open and
// close, incremental changes, saves without the text.

func syncOptions(caps *protocol.ServerCapabilities) *protocol.TextDocumentSyncOptions {
	o, _ := caps.TextDocumentSync.(*protocol.TextDocumentSyncOptions)
	if o == nil {
		o = &protocol.TextDocumentSyncOptions{}
		caps.TextDocumentSync = o
	}
	return o
}

func syncOpenClose(caps *protocol.ServerCapabilities, _ clientCaps) {
	syncOptions(caps).OpenClose = ptr(true)
}

func syncChange(caps *protocol.ServerCapabilities, _ clientCaps) {
	syncOptions(caps).Change = ptr(protocol.TextDocumentSyncKindIncremental)
}

func syncSave(caps *protocol.ServerCapabilities, _ clientCaps) {
	syncOptions(caps).Save = &protocol.SaveOptions{IncludeText: ptr(false)}
}

func (s *server) didOpen(p *openParams) {
	item := p.TextDocument
	path, ok := s.localPath(item.URI, "didOpen")
	if !ok {
		return
	}
	if _, open := s.docs[path]; open {
		s.logf(protocol.MessageTypeWarning, "didOpen: %s is already open; using the new text", item.URI)
	}
	d := &document{uri: item.URI, path: path, version: item.Version, text: p.Text, lines: &s.pub.lines}
	s.docs[path] = d
	s.pub.setURI(path, item.URI)
	s.ws.SetDocument(path, d.version, d.text)
	s.sched.schedule()
}

func (s *server) didChange(p *protocol.DidChangeTextDocumentParams) {
	path, ok := s.localPath(p.TextDocument.URI, "didChange")
	if !ok {
		return
	}
	d := s.docs[path]
	if d == nil {
		s.logf(protocol.MessageTypeError, "didChange: %s is not open; change ignored (reopen the document)", p.TextDocument.URI)
		return
	}
	if p.TextDocument.Version <= d.version {
		s.logf(protocol.MessageTypeWarning, "didChange: version %d of %s does not follow %d", p.TextDocument.Version, p.TextDocument.URI, d.version)
	}
	// The edits let the workspace re-parse only what changed; after a
	// change of the whole text, or one that failed, it parses the text
	// whole.
	edits, incremental := d.applyChanges(p.ContentChanges, s.unit, func(i int, err error) {
		s.logf(protocol.MessageTypeError, "didChange: change %d of version %d of %s: %v; the server's copy may now differ from the editor's (reopen the document)", i, p.TextDocument.Version, p.TextDocument.URI, err)
	})
	if !incremental {
		edits = nil
	}
	d.version = p.TextDocument.Version
	s.ws.EditDocument(path, d.version, d.text, edits)
	s.sched.schedule()
}

func (s *server) didClose(p *protocol.DidCloseTextDocumentParams) {
	path, ok := s.localPath(p.TextDocument.URI, "didClose")
	if !ok {
		return
	}
	if s.docs[path] == nil {
		s.logf(protocol.MessageTypeWarning, "didClose: %s is not open", p.TextDocument.URI)
		return
	}
	delete(s.docs, path)
	s.pub.mu.Lock()
	delete(s.pub.pulled, path) // a document opened again starts over
	s.pub.mu.Unlock()
	s.ws.CloseDocument(path)
	s.sched.schedule()
}

func (s *server) didSave(p *protocol.DidSaveTextDocumentParams) {
	path, ok := s.localPath(p.TextDocument.URI, "didSave")
	if !ok {
		return
	}
	// The disk now holds the document's text: forget what was read before.
	s.ws.FilesChanged([]analysis.FileChange{{Path: path, Kind: analysis.FileChanged}})
	s.sched.schedule()
	s.previews.saved(path) // runs the overlay helpers when the user opted in
}

// localPath maps a document URI to a local path, logging URIs the server
// cannot handle.
func (s *server) localPath(u uri.URI, what string) (string, bool) {
	p, ok := pathOf(u)
	if !ok {
		s.logf(protocol.MessageTypeWarning, "%s: ignoring %s (only local file: URIs are supported)", what, u)
	}
	return p, ok
}
