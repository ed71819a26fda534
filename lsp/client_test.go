package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// pipeConn is one end of a connection made of two OS pipes.
type pipeConn struct {
	r *os.File
	w *os.File
}

func (p pipeConn) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p pipeConn) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p pipeConn) Close() error {
	p.r.Close()
	return p.w.Close()
}

// pipes returns the server's and the client's ends of a real pipe.
func pipes(t testing.TB) (server, client pipeConn) {
	t.Helper()
	c2sR, c2sW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	s2cR, s2cW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	return pipeConn{r: c2sR, w: s2cW}, pipeConn{r: s2cR, w: c2sW}
}

// editor is a small fake editor: it speaks LSP to a server running in the
// test process over real pipes, keeps its own copy of open documents,
// answers the server's requests and records what the server sends.
type editor struct {
	t    testing.TB
	conn jsonrpc2.Conn
	raw  pipeConn
	exit chan int // the server's exit status

	settings any // answer to workspace/configuration
	// configGate, when set, holds the answers to workspace/configuration
	// until it is closed.
	configGate chan struct{}

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced on every notification
	diags         map[uri.URI]*protocol.PublishDiagnosticsParams
	publications  int
	publishedTo   map[uri.URI]int     // publications, by URI
	versions      map[uri.URI][]int32 // versions published, in order
	logs          []string
	shown         []string // window/showMessage
	registrations []protocol.Registration
	progress      []string
	progressText  []string // "kind: title message" of each $/progress
	traces        []string
	refreshes     int
	calls         map[string]int // requests the server made, by method
	lensRefreshes int

	docs map[uri.URI]*editorDoc
}

type editorDoc struct {
	text    string
	version int32
}

// editorCaps describes what the fake editor claims to support.
type editorCaps struct {
	encodings []protocol.PositionEncodingKind
	pull      bool
	watch     bool
	config    bool
	progress  bool
	refreshes bool // takes codeLens and inlayHint refreshes
}

var allCaps = editorCaps{watch: true, config: true, progress: true}

// startServer runs a server on pipes and connects an editor to it, without
// initializing.
func startServer(t testing.TB, opts Options) *editor {
	t.Helper()
	return startTable(t, opts, methods)
}

// startTable is startServer with a server that answers the methods of
// table.
func startTable(t testing.TB, opts Options, table *methodTable) *editor {
	t.Helper()
	srv, cli := pipes(t)
	e := &editor{
		t: t, raw: cli, exit: make(chan int, 1), changed: make(chan struct{}),
		diags: map[uri.URI]*protocol.PublishDiagnosticsParams{}, docs: map[uri.URI]*editorDoc{},
	}
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 5 * time.Second
	}
	go func() {
		code := serve(context.Background(), srv, opts, table, nil)
		srv.Close()
		e.exit <- code
	}()
	e.conn = jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(cli), jsonrpc2.WithCodec(codec{}))
	e.conn.Go(context.Background(), e.handle)
	t.Cleanup(func() {
		cli.Close()
		select {
		case <-e.exit:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop after its connection closed")
		}
	})
	return e
}

// start runs a server and initializes it with folders.
func start(t testing.TB, opts Options, caps editorCaps, folders ...string) *editor {
	t.Helper()
	e := startServer(t, opts)
	e.initialize(caps, folders...)
	return e
}

func (e *editor) initialize(caps editorCaps, folders ...string) *protocol.InitializeResult {
	e.t.Helper()
	var wf []protocol.WorkspaceFolder
	for _, f := range folders {
		wf = append(wf, protocol.WorkspaceFolder{URI: uri.File(f), Name: filepath.Base(f)})
	}
	c := protocol.ClientCapabilities{
		Workspace: &protocol.WorkspaceClientCapabilities{
			Configuration:         ptr(caps.config),
			DidChangeWatchedFiles: &protocol.DidChangeWatchedFilesClientCapabilities{DynamicRegistration: ptr(caps.watch)},
			Diagnostics:           &protocol.DiagnosticWorkspaceClientCapabilities{RefreshSupport: ptr(caps.pull)},
			CodeLens:              &protocol.CodeLensWorkspaceClientCapabilities{RefreshSupport: ptr(caps.refreshes)},
			InlayHint:             &protocol.InlayHintWorkspaceClientCapabilities{RefreshSupport: ptr(caps.refreshes)},
		},
		Window: &protocol.WindowClientCapabilities{WorkDoneProgress: ptr(caps.progress)},
		TextDocument: &protocol.TextDocumentClientCapabilities{
			PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{VersionSupport: ptr(true)},
		},
	}
	if caps.pull {
		c.TextDocument.Diagnostic = &protocol.DiagnosticClientCapabilities{}
	}
	if caps.encodings != nil {
		c.General = &protocol.GeneralClientCapabilities{PositionEncodings: caps.encodings}
	}
	params := &protocol.InitializeParams{Capabilities: c}
	params.WorkspaceFolders = protocol.NewNullable(wf)
	var res protocol.InitializeResult
	if err := e.call(protocol.MethodInitialize, params, &res); err != nil {
		e.t.Fatalf("initialize: %v", err)
	}
	e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	return &res
}

func (e *editor) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := e.conn.Call(ctx, method, params, result)
	return err
}

func (e *editor) notify(method string, params any) {
	e.t.Helper()
	if err := e.conn.Notify(context.Background(), method, params); err != nil {
		e.t.Fatalf("%s: %v", method, err)
	}
}

// handle answers the server's requests and records its notifications.
func (e *editor) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	if e.configGate != nil && req.Method() == protocol.MethodWorkspaceConfiguration {
		jsonrpc2.Async(ctx) // the server's other messages go on meanwhile
		<-e.configGate
	}
	e.mu.Lock()
	defer func() {
		close(e.changed)
		e.changed = make(chan struct{})
		e.mu.Unlock()
	}()
	if req.IsCall() {
		if e.calls == nil {
			e.calls = map[string]int{}
		}
		e.calls[strings.Clone(req.Method())]++ // the method aliases a reused buffer
	}
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p protocol.PublishDiagnosticsParams
		if err := protocol.Unmarshal(req.Params(), &p); err != nil {
			e.t.Errorf("bad publishDiagnostics: %v", err)
			return nil, nil
		}
		e.publications++
		if e.publishedTo == nil {
			e.publishedTo = map[uri.URI]int{}
		}
		e.publishedTo[p.URI]++
		if v, ok := p.Version.Get(); ok {
			if e.versions == nil {
				e.versions = map[uri.URI][]int32{}
			}
			e.versions[p.URI] = append(e.versions[p.URI], v)
		}
		if len(p.Diagnostics) == 0 && p.Version.IsZero() {
			delete(e.diags, p.URI)
		} else {
			e.diags[p.URI] = &p
		}
	case protocol.MethodWindowLogMessage:
		var p protocol.LogMessageParams
		protocol.Unmarshal(req.Params(), &p)
		e.logs = append(e.logs, p.Message)
	case protocol.MethodWindowShowMessage:
		var p protocol.ShowMessageParams
		protocol.Unmarshal(req.Params(), &p)
		e.shown = append(e.shown, p.Message)
	case protocol.MethodLogTrace:
		var p protocol.LogTraceParams
		protocol.Unmarshal(req.Params(), &p)
		e.traces = append(e.traces, p.Message)
	case protocol.MethodProgress:
		var p struct {
			Value struct {
				Kind, Title, Message string
			} `json:"value"`
		}
		json.Unmarshal(req.Params(), &p)
		e.progress = append(e.progress, p.Value.Kind)
		e.progressText = append(e.progressText, p.Value.Kind+": "+strings.TrimSpace(p.Value.Title+" "+p.Value.Message))
	case protocol.MethodWorkspaceConfiguration:
		return []any{e.settings}, nil
	case protocol.MethodClientRegisterCapability:
		var p protocol.RegistrationParams
		protocol.Unmarshal(req.Params(), &p)
		e.registrations = append(e.registrations, p.Registrations...)
		return nil, nil
	case protocol.MethodWindowWorkDoneProgressCreate:
		return nil, nil
	case protocol.MethodWorkspaceDiagnosticRefresh:
		e.refreshes++
		return nil, nil
	case protocol.MethodWorkspaceCodeLensRefresh:
		e.lensRefreshes++
		return nil, nil
	case protocol.MethodWorkspaceInlayHintRefresh:
		return nil, nil
	default:
		if req.IsCall() {
			return nil, jsonrpc2.ErrMethodNotFound
		}
	}
	return nil, nil
}

// waitIndexed waits until the server has indexed its folders and
// published their report (its "indexed" log). The first diagnostics of an
// open document may come before that (start-up publishes the documents
// first); requests about the whole workspace and the settings' effects are
// complete only after it.
func (e *editor) waitIndexed() {
	e.t.Helper()
	e.waitFor("indexing", func() bool {
		return slices.ContainsFunc(e.logs, func(l string) bool { return strings.HasPrefix(l, "indexed") })
	})
}

// waitFor waits until cond (called with e.mu held) holds.
func (e *editor) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		e.mu.Lock()
		ok := cond()
		ch := e.changed
		e.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			e.mu.Lock()
			defer e.mu.Unlock()
			e.t.Fatalf("timed out waiting for %s; diagnostics: %s; logs: %q", what, e.dumpLocked(), e.logs)
		}
	}
}

func (e *editor) dumpLocked() string {
	var b strings.Builder
	keys := make([]string, 0, len(e.diags))
	for u := range e.diags {
		keys = append(keys, string(u))
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := e.diags[uri.URI(k)]
		v, _ := p.Version.Get()
		fmt.Fprintf(&b, "\n  %s v%d:", filepath.Base(k), v)
		for _, d := range p.Diagnostics {
			fmt.Fprintf(&b, " [%s %v]", d.Code, d.Range)
		}
	}
	return b.String()
}

// diagnostics returns what was last published for a file.
func (e *editor) diagnostics(path string) []protocol.Diagnostic {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.diags[uri.File(path)]; p != nil {
		return p.Diagnostics
	}
	return nil
}

// waitVersion waits for the publication of a document's current version,
// after which everything published for that snapshot has arrived.
func (e *editor) waitVersion(path string) []protocol.Diagnostic {
	e.t.Helper()
	u := uri.File(path)
	want := e.docs[u].version
	var got []protocol.Diagnostic
	e.waitFor(fmt.Sprintf("diagnostics of %s version %d", filepath.Base(path), want), func() bool {
		p := e.diags[u]
		if p == nil {
			return false
		}
		v, ok := p.Version.Get()
		got = p.Diagnostics
		return ok && v == want
	})
	return got
}

// waitCodes waits until a file's published diagnostic codes are want.
func (e *editor) waitCodes(path string, want ...string) []protocol.Diagnostic {
	e.t.Helper()
	var got []protocol.Diagnostic
	e.waitFor(fmt.Sprintf("%s to have %v", filepath.Base(path), want), func() bool {
		got = nil
		if p := e.diags[uri.File(path)]; p != nil {
			got = p.Diagnostics
		}
		return slices.Equal(codesOf(got), want)
	})
	return got
}

func codesOf(ds []protocol.Diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		if s, ok := d.Code.(protocol.String); ok {
			out = append(out, string(s))
		}
	}
	return out
}

func (e *editor) open(path, text string) {
	e.t.Helper()
	u := uri.File(path)
	e.docs[u] = &editorDoc{text: text, version: 1}
	e.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "json5", Version: 1, Text: text},
	})
}

func (e *editor) close(path string) {
	e.t.Helper()
	u := uri.File(path)
	delete(e.docs, u)
	e.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}})
}

// edit is one change: replace the bytes [start, end) of the editor's text.
type edit struct {
	start, end int
	text       string
}

// change sends edits as one didChange, with positions counted in enc, and
// applies them to the editor's copy.
func (e *editor) change(path string, enc protocol.PositionEncodingKind, edits ...edit) {
	e.t.Helper()
	u := uri.File(path)
	d := e.docs[u]
	d.version++
	var changes []protocol.TextDocumentContentChangeEvent
	for _, ed := range edits {
		changes = append(changes, &protocol.TextDocumentContentChangePartial{
			Range: protocol.Range{Start: positionOf(d.text, ed.start, enc), End: positionOf(d.text, ed.end, enc)},
			Text:  ed.text,
		})
		d.text = d.text[:ed.start] + ed.text + d.text[ed.end:]
	}
	e.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: d.version},
		ContentChanges: changes,
	})
}

// positionOf computes an LSP position the way an editor does, independently
// of package source: lines end at \n, \r\n or \r; columns count UTF-16 code
// units, bytes or code points.
func positionOf(text string, offset int, enc protocol.PositionEncodingKind) protocol.Position {
	line, start := 0, 0
	for i := 0; i < offset; i++ {
		switch text[i] {
		case '\n':
			line, start = line+1, i+1
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				continue
			}
			line, start = line+1, i+1
		}
	}
	col := 0
	switch enc {
	case protocol.PositionEncodingKindUTF8:
		col = offset - start
	default:
		for _, r := range text[start:offset] {
			col++
			if enc != protocol.PositionEncodingKindUTF32 && r > 0xFFFF {
				col++
			}
		}
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// shutdown ends the session properly and returns the exit status.
func (e *editor) shutdown() int {
	e.t.Helper()
	if err := e.call(protocol.MethodShutdown, nil, nil); err != nil {
		e.t.Fatalf("shutdown: %v", err)
	}
	e.notify(protocol.MethodExit, nil)
	return e.waitExit()
}

func (e *editor) waitExit() int {
	e.t.Helper()
	select {
	case code := <-e.exit:
		e.exit <- code // for the cleanup
		return code
	case <-time.After(5 * time.Second):
		e.t.Fatal("server did not exit")
		return -1
	}
}

// writeFiles writes files below dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
