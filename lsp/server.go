// Package lsp is amber-lsp's Language Server Protocol front end: transport,
// lifecycle, document synchronization, scheduling of analysis and
// publication of diagnostics. Everything it knows about manifests comes from
// package analysis; the protocol types stay in this package.
//
// Messages are handled by our own chain on go.lsp.dev/jsonrpc2, routed by
// one method table (methods.go): notifications (document sync, settings,
// file events) run on the read loop in wire order and only record state;
// requests that read state take a snapshot in wire order, then run
// concurrently and can be cancelled with $/cancelRequest; a panic in any
// handler becomes an error response or a log message. Each group of methods
// has its file (lifecycle.go, sync.go, workspace.go, diagnostics.go,
// hover.go, ...) holding its handlers and the capabilities they advertise.
// Analysis runs on its own goroutine, so the read loop never waits for it;
// so do overlay previews (preview.go), which run helper programs only when
// the user turned amber.overlays.preview on.
package lsp

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
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
	// ClientProcessID, when not 0, is the process id of the client: the
	// server stops, as if the connection closed, once that process has
	// exited (editors pass it as --clientProcessId).
	ClientProcessID int

	// onReport, when set (by tests and benchmarks), is called with every
	// report the scheduler published, after publishing it.
	onReport func(*analysis.Snapshot, *analysis.Report)
}

// processPollInterval is how often the client's process is checked
// (Options.ClientProcessID).
var processPollInterval = time.Second

// Error codes the LSP adds to JSON-RPC's.
const (
	codeServerNotInitialized jsonrpc2.Code = -32002
	codeRequestCancelled     jsonrpc2.Code = -32800
	codeRequestFailed        jsonrpc2.Code = -32803 // understood, but failed
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

	methods  *methodTable
	problem  error // what keeps the server from starting, if anything
	state    atomic.Int32
	exited   chan struct{}
	exitOnce sync.Once
	inflight inflight

	// Set by initialize, read-only afterwards.
	caps     clientCaps
	encoding protocol.PositionEncodingKind
	unit     source.Unit

	tokens tokenResults // the semantic tokens last sent, for deltas

	// indexPending is set from initialize, when the client named workspace
	// folders, until index has read them: until then only what open
	// documents say of themselves is published (scheduler.loop), and the
	// queries about the whole workspace wait (queryAfterIndex). indexRead
	// is closed when it is cleared.
	indexPending atomic.Bool
	indexRead    chan struct{}
	indexOnce    sync.Once
	indexStarted atomic.Bool // the client sent `initialized`: the index is under way

	// Read-loop state: touched only by notification handlers, which run
	// one at a time in wire order.
	docs map[string]*document

	mu           sync.Mutex // guards the fields below
	folders      []string
	settings     settings
	trace        protocol.TraceValue
	shownProblem string // the settings problem last shown to the user
	shownRoots   string // the refusal of amber.roots entries last shown (refuseRoots)

	sched  *scheduler
	pub    *publisher
	lenses lensState      // codelens.go
	bg     sync.WaitGroup // background work started by handlers
	ctx    context.Context
	stop   context.CancelFunc

	previews *previewer // overlay previews (preview.go)
}

// Serve runs the language server on one connection until the client sends
// exit or closes the connection, and returns the exit status the LSP
// prescribes: 0 when shutdown came before, 1 otherwise.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) int {
	return serve(ctx, rwc, opts, methods, nil)
}

// serve runs a server answering the methods of table; problem, when not
// nil, is what keeps the server from starting (see ServeStartupError).
func serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options, table *methodTable, problem error) int {
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 10 * time.Second
	}
	s := &server{
		opts:      opts,
		ws:        analysis.NewWorkspace(analysis.Options{Link: opts.Link}),
		exited:    make(chan struct{}),
		indexRead: make(chan struct{}),
		methods:   table,
		problem:   problem,
		docs:      map[string]*document{},
		unit:      source.UTF16,
	}
	s.ctx, s.stop = context.WithCancel(ctx)
	st := newStream(rwc, func(reason string) { s.logf(protocol.MessageTypeError, "%s", reason) })
	s.conn = jsonrpc2.NewConn(st, jsonrpc2.WithCodec(codec{}))
	s.pub = newPublisher(s)
	s.sched = newScheduler(s)
	s.previews = newPreviewer(s)
	s.conn.Go(s.ctx, s.handle)

	var clientGone <-chan struct{} // nil: never
	if pid := opts.ClientProcessID; pid != 0 {
		clientGone = watchProcess(s.ctx, pid, processPollInterval)
	}
	select {
	case <-s.exited:
	case <-s.conn.Done():
	case <-ctx.Done():
	case <-clientGone:
		s.logLocal("the client (process %d) has exited; stopping", opts.ClientProcessID)
	}
	s.stop()
	s.sched.close()
	s.previews.close() // no overlay helper outlives the session
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

// showf shows a message to the user (window/showMessage); callers log it
// too.
func (s *server) showf(typ protocol.MessageType, format string, args ...any) {
	s.notify(protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{Type: typ, Message: fmt.Sprintf(format, args...)})
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
