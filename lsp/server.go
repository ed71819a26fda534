// Package lsp is amber-lsp's Language Server Protocol front end: transport,
// lifecycle, document synchronization, scheduling of analysis and
// publication of diagnostics. Everything it knows about manifests comes from
// package analysis; the protocol types stay in this package.
//
// Messages are handled by our own chain on go.lsp.dev/jsonrpc2:
// notifications (document sync, settings, file events) run on the read loop
// in wire order and only record state; requests that read state run
// concurrently and can be cancelled with $/cancelRequest; a panic in any
// handler becomes an error response or a log message. Analysis runs on its
// own goroutine, so the read loop never waits for it.
package lsp

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/source"
)

// Options configure a server.
type Options struct {
	// Link links one root manifest tree; nil means analysis' standard one.
	Link analysis.LinkFunc
	// Version is reported in serverInfo.
	Version string
	// Log receives the server's own log lines (stderr); nil discards them.
	Log io.Writer
	// CallTimeout bounds requests the server makes to the client
	// (configuration, registration, progress); 0 means 10 seconds.
	CallTimeout time.Duration
}

// Error codes the LSP adds to JSON-RPC's.
const (
	codeServerNotInitialized jsonrpc2.Code = -32002
	codeRequestCancelled     jsonrpc2.Code = -32800
)

// lifecycle states.
const (
	stateNew int32 = iota
	stateRunning
	stateShutdown
)

// server is one LSP session.
type server struct {
	opts Options
	conn jsonrpc2.Conn
	ws   *analysis.Workspace

	state    atomic.Int32
	exited   chan struct{}
	exitOnce sync.Once

	inflightMu sync.Mutex
	inflight   map[string]context.CancelFunc // requests being answered, by id

	// Set by initialize, read-only afterwards.
	caps     clientCaps
	feat     featureCaps
	encoding protocol.PositionEncodingKind
	unit     source.Unit

	// Read-loop state: touched only by notification handlers, which run
	// one at a time in wire order.
	docs map[string]*document

	mu       sync.Mutex // guards the fields below
	folders  []string
	settings settings
	trace    protocol.TraceValue

	sched *scheduler
	pub   *publisher
	bg    sync.WaitGroup // background work started by handlers
	ctx   context.Context
	stop  context.CancelFunc
}

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	configuration, watchDynamic, progress, pull, refresh, relatedInfo bool
}

// Serve runs the language server on one connection until the client sends
// exit or closes the connection, and returns the exit status the LSP
// prescribes: 0 when shutdown came before, 1 otherwise.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) int {
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 10 * time.Second
	}
	s := &server{
		opts:     opts,
		ws:       analysis.NewWorkspace(analysis.Options{Link: opts.Link}),
		exited:   make(chan struct{}),
		docs:     map[string]*document{},
		inflight: map[string]context.CancelFunc{},
		unit:     source.UTF16,
	}
	s.ctx, s.stop = context.WithCancel(ctx)
	st := newStream(rwc, func(reason string) { s.logf(protocol.MessageTypeError, "%s", reason) })
	s.conn = jsonrpc2.NewConn(st, jsonrpc2.WithCodec(codec{}))
	s.pub = newPublisher(s)
	s.sched = newScheduler(s)
	s.conn.Go(s.ctx, s.handle)

	select {
	case <-s.exited:
	case <-s.conn.Done():
	case <-ctx.Done():
	}
	s.stop()
	s.sched.close()
	closed := make(chan struct{})
	go func() { s.conn.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(time.Second): // a read blocked on a terminal does not end
	}
	s.bg.Wait()
	if s.state.Load() == stateShutdown {
		return 0
	}
	return 1
}

// handle is the root of the handler chain: it recovers from panics, then
// routes calls and notifications.
func (s *server) handle(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
	method := req.Method()
	isCall := req.IsCall()
	defer func() {
		if r := recover(); r != nil {
			s.logf(protocol.MessageTypeError, "internal error handling %s: %v\n%s", method, r, debug.Stack())
			if isCall {
				result, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error handling %s: %v", method, r)
			} else {
				result, err = nil, nil // a notification error would end the connection
			}
		}
	}()
	if handlerHook != nil {
		handlerHook(method)
	}
	if !isCall {
		s.notification(ctx, method, req.Params())
		return nil, nil
	}
	// A request's own context, which $/cancelRequest cancels. It derives
	// from the connection's context: the pooled per-request context of
	// jsonrpc2 must not be the parent of a context.WithCancel (which may
	// watch it after the request was recycled).
	key := idKey(req.ID())
	work, cancel := context.WithCancel(jsonrpc2.DetachContext(ctx))
	s.inflightMu.Lock()
	s.inflight[key] = cancel
	s.inflightMu.Unlock()
	defer func() {
		s.inflightMu.Lock()
		delete(s.inflight, key)
		s.inflightMu.Unlock()
		cancel()
	}()
	return s.call(ctx, work, method, req.Params())
}

// idKey identifies a request id.
func idKey(id jsonrpc2.ID) string {
	if n, ok := id.Number(); ok {
		return "n" + strconv.FormatInt(n, 10)
	}
	str, _ := id.StringValue()
	return "s" + str
}

// handlerHook, when set by a test, runs first in every handler.
var handlerHook func(method string)

// call answers a request. rctx is jsonrpc2's request context (for Async
// only); ctx is the request's cancellable context.
func (s *server) call(rctx, ctx context.Context, method string, params jsonrpc2.RawMessage) (any, error) {
	switch s.state.Load() {
	case stateNew:
		if method != protocol.MethodInitialize {
			return nil, jsonrpc2.Errorf(codeServerNotInitialized, "%s before initialize", method)
		}
	case stateShutdown:
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown", method)
	}
	switch method {
	case protocol.MethodInitialize:
		if s.state.Load() != stateNew {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "initialize sent twice")
		}
		var p protocol.InitializeParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		return s.initialize(&p), nil
	case protocol.MethodShutdown:
		s.state.Store(stateShutdown)
		s.sched.close()
		return nil, nil
	case protocol.MethodTextDocumentDiagnostic:
		var p protocol.DocumentDiagnosticParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		jsonrpc2.Async(rctx) // reads a snapshot: runs beside later messages
		return s.pullDiagnostics(ctx, &p)
	}
	if isFeature(method) {
		return s.feature(rctx, ctx, method, params)
	}
	return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method %q is not supported", method)
}

// notification handles a notification, on the read loop.
func (s *server) notification(ctx context.Context, method string, params jsonrpc2.RawMessage) {
	if method == protocol.MethodExit {
		s.exitOnce.Do(func() { close(s.exited) })
		return
	}
	if method == protocol.MethodCancelRequest {
		s.cancel(params)
		return
	}
	if s.state.Load() != stateRunning {
		if method != protocol.MethodInitialized {
			s.logf(protocol.MessageTypeWarning, "ignoring %s: the server is not running", method)
		}
		return
	}
	var err error
	switch method {
	case protocol.MethodInitialized:
		s.initialized()
	case protocol.MethodTextDocumentDidOpen:
		var p protocol.DidOpenTextDocumentParams
		if err = decode(params, &p); err == nil {
			s.didOpen(&p)
		}
	case protocol.MethodTextDocumentDidChange:
		var p protocol.DidChangeTextDocumentParams
		if err = decode(params, &p); err == nil {
			s.didChange(&p)
		}
	case protocol.MethodTextDocumentDidClose:
		var p protocol.DidCloseTextDocumentParams
		if err = decode(params, &p); err == nil {
			s.didClose(&p)
		}
	case protocol.MethodTextDocumentDidSave:
		var p protocol.DidSaveTextDocumentParams
		if err = decode(params, &p); err == nil {
			s.didSave(&p)
		}
	case protocol.MethodWorkspaceDidChangeWatchedFiles:
		var p protocol.DidChangeWatchedFilesParams
		if err = decode(params, &p); err == nil {
			s.didChangeWatchedFiles(&p)
		}
	case protocol.MethodWorkspaceDidChangeConfiguration:
		var p protocol.DidChangeConfigurationParams
		if err = decode(params, &p); err == nil {
			s.didChangeConfiguration(&p)
		}
	case protocol.MethodWorkspaceDidChangeWorkspaceFolders:
		var p protocol.DidChangeWorkspaceFoldersParams
		if err = decode(params, &p); err == nil {
			s.didChangeWorkspaceFolders(&p)
		}
	case protocol.MethodSetTrace:
		var p protocol.SetTraceParams
		if err = decode(params, &p); err == nil {
			s.mu.Lock()
			s.trace = p.Value
			s.mu.Unlock()
		}
	default:
		// Unknown notifications are ignored, as the LSP asks ($/ ones
		// silently).
		if len(method) < 2 || method[:2] != "$/" {
			s.logf(protocol.MessageTypeLog, "ignoring unsupported notification %s", method)
		}
	}
	if err != nil {
		s.logf(protocol.MessageTypeError, "%s: %v", method, err)
	}
}

// cancel handles $/cancelRequest.
func (s *server) cancel(params jsonrpc2.RawMessage) {
	var p struct {
		ID any `json:"id"`
	}
	if err := decodeJSON(params, &p); err != nil {
		s.logf(protocol.MessageTypeError, "$/cancelRequest: %v", err)
		return
	}
	var key string
	switch id := p.ID.(type) {
	case float64:
		key = idKey(jsonrpc2.NewNumberID(int64(id)))
	case string:
		key = idKey(jsonrpc2.NewStringID(id))
	default:
		s.logf(protocol.MessageTypeError, "$/cancelRequest: id must be a number or a string")
		return
	}
	s.inflightMu.Lock()
	cancel := s.inflight[key]
	s.inflightMu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// initialize answers the initialize request.
func (s *server) initialize(p *protocol.InitializeParams) *protocol.InitializeResult {
	c := p.Capabilities
	if w := c.Workspace; w != nil {
		s.caps.configuration = isTrue(w.Configuration)
		s.caps.watchDynamic = w.DidChangeWatchedFiles != nil && isTrue(w.DidChangeWatchedFiles.DynamicRegistration)
		s.caps.refresh = w.Diagnostics != nil && isTrue(w.Diagnostics.RefreshSupport)
	}
	if w := c.Window; w != nil {
		s.caps.progress = isTrue(w.WorkDoneProgress)
	}
	if t := c.TextDocument; t != nil {
		s.caps.pull = t.Diagnostic != nil
		s.caps.relatedInfo = t.PublishDiagnostics != nil && isTrue(t.PublishDiagnostics.RelatedInformation)
	}
	s.feat = featureCapsOf(c)
	s.encoding = negotiateEncoding(c)
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
		s.logf(protocol.MessageTypeError, "initializationOptions: %v", err)
	}
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

	change := protocol.TextDocumentSyncKindIncremental
	caps := protocol.ServerCapabilities{
		PositionEncoding: s.encoding,
		TextDocumentSync: &protocol.TextDocumentSyncOptions{
			OpenClose: ptr(true),
			Change:    &change,
			Save:      &protocol.SaveOptions{IncludeText: ptr(false)},
		},
		Workspace: &protocol.WorkspaceOptions{
			WorkspaceFolders: &protocol.WorkspaceFoldersServerCapabilities{
				Supported:           ptr(true),
				ChangeNotifications: protocol.Boolean(true),
			},
		},
	}
	s.advertiseFeatures(&caps)
	if s.caps.pull {
		caps.DiagnosticProvider = &protocol.DiagnosticOptions{
			Identifier:            ptr("amber"),
			InterFileDependencies: true,
		}
	}
	return &protocol.InitializeResult{
		Capabilities: caps,
		ServerInfo:   protocol.ServerInfo{Name: "amber-lsp", Version: protocol.NewOptional(s.opts.Version)},
	}
}

// initialized starts the work that needs the client: settings, file
// watching and indexing, then analysis.
func (s *server) initialized() {
	s.goBackground(func(ctx context.Context) {
		if s.caps.configuration {
			s.fetchConfiguration(ctx)
		}
		if s.caps.watchDynamic {
			s.registerWatchers(ctx)
		}
		s.index(ctx)
		s.sched.start()
	})
}

// goBackground runs f beside the read loop, recovering from panics.
func (s *server) goBackground(f func(ctx context.Context)) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer func() {
			if r := recover(); r != nil {
				s.logf(protocol.MessageTypeError, "internal error: %v\n%s", r, debug.Stack())
			}
		}()
		f(s.ctx)
	}()
}

// callClient makes a request to the client, bounded by CallTimeout.
func (s *server) callClient(ctx context.Context, method string, params, result any) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	defer cancel()
	_, err := s.conn.Call(ctx, method, params, result)
	return err
}

// notify sends a notification; a failure (the connection is gone) is only
// logged.
func (s *server) notify(method string, params any) {
	if err := s.conn.Notify(s.ctx, method, params); err != nil && s.ctx.Err() == nil {
		s.logLocal("cannot send %s: %v", method, err)
	}
}

func decode(params jsonrpc2.RawMessage, v any) error {
	if len(params) == 0 {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "missing params")
	}
	if err := protocol.Unmarshal(params, v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	}
	return nil
}

func isTrue(b *bool) bool { return b != nil && *b }

func ptr[T any](v T) *T { return &v }

// logf logs to the client (window/logMessage) and to the local log.
func (s *server) logf(typ protocol.MessageType, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.logLocal("%s", msg)
	if s.conn != nil {
		s.conn.Notify(s.ctx, protocol.MethodWindowLogMessage, &protocol.LogMessageParams{Type: typ, Message: msg})
	}
}

// logLocal writes to the local log only.
func (s *server) logLocal(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "amber-lsp: "+format+"\n", args...)
	}
}

// tracef sends $/logTrace when tracing is on; verbose details only at
// "verbose".
func (s *server) tracef(verbose func() string, format string, args ...any) {
	s.mu.Lock()
	t := s.trace
	s.mu.Unlock()
	if t != protocol.TraceValueMessages && t != protocol.TraceValueVerbose {
		return
	}
	p := &protocol.LogTraceParams{Message: fmt.Sprintf(format, args...)}
	if t == protocol.TraceValueVerbose && verbose != nil {
		p.Verbose = ptr(verbose())
	}
	s.notify(protocol.MethodLogTrace, p)
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
