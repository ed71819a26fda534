package lsp

import (
	"context"
	"errors"
	"reflect"
	"runtime/debug"
	"slices"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
)

// Every request and notification the server handles is one entry of the
// method table (methods.go), made by one of three adapters:
//
//   - request: a request answered on the read loop, in wire order; it may
//     change the server's state (initialize, shutdown).
//   - query: a request that reads the workspace. Its snapshot is taken on
//     the read loop, so it holds every change sent before the request; the
//     handler then runs beside later messages, and $/cancelRequest cancels
//     its context.
//   - notification: a notification, applied on the read loop in wire order.
//
// The adapters decode the params and map the handler's errors; handle,
// below, checks the lifecycle state, makes requests cancellable and
// recovers from panics, once for every method.

// A method is one entry of the method table.
type method struct {
	name   string
	call   bool   // a request (answered) rather than a notification
	async  bool   // runs beside later messages, on a snapshot taken in order
	phases phases // when it is accepted; zero means while running
	// run decodes the params and handles them. rctx is jsonrpc2's request
	// context (for jsonrpc2.Async only); ctx is the request's cancellable
	// context.
	run func(s *server, rctx, ctx context.Context, params jsonrpc2.RawMessage) (any, error)
	// capability, when set, advertises the method in the initialize result.
	capability func(caps *protocol.ServerCapabilities, client clientCaps)
}

// phases is a set of lifecycle states.
type phases uint8

const (
	beforeInitialize phases = 1 << stateNew
	whileRunning     phases = 1 << stateRunning
	afterShutdown    phases = 1 << stateShutdown
	inAnyPhase              = beforeInitialize | whileRunning | afterShutdown
)

// acceptedIn returns m accepted in the given phases instead of only while
// the server runs.
func (m method) acceptedIn(p phases) method {
	m.phases = p
	return m
}

// advertises returns m with the capability it adds to the initialize
// result: a method is advertised exactly when it is in the table.
func (m method) advertises(capability func(*protocol.ServerCapabilities, clientCaps)) method {
	m.capability = capability
	return m
}

// accepts reports whether m may run in state.
func (m method) accepts(state int32) bool {
	p := m.phases
	if p == 0 {
		p = whileRunning
	}
	return p&(1<<state) != 0
}

// noParams is the params type of methods that take none: nothing is
// decoded, and absent params are fine.
type noParams struct{}

// request adapts a handler of requests that run on the read loop, in wire
// order.
func request[P, R any](name string, fn func(s *server, ctx context.Context, p *P) (R, error)) method {
	return method{name: name, call: true, run: func(s *server, _, ctx context.Context, params jsonrpc2.RawMessage) (any, error) {
		p, err := decodeParams[P](params)
		if err != nil {
			return nil, err
		}
		res, err := fn(s, ctx, p)
		return s.answer(ctx, name, res, err)
	}}
}

// query adapts a handler of requests that read a snapshot: the snapshot is
// taken in wire order, then the handler runs beside later messages.
func query[P, R any](name string, fn func(s *server, ctx context.Context, snap *snapshot, p *P) (R, error)) method {
	return queryWith(name, fn, false)
}

// queryAfterIndex is query for the requests whose answer reads the whole
// workspace (references, rename, workspace symbols, call hierarchy) or
// depends on which tree a document is in (the commands amber.graph and
// amber.overlays.preview, which would otherwise draw or preview a child
// as a tree of its own): one
// that comes while the workspace folders are being indexed
// waits for the index (or its cancellation), then reads the snapshot that
// has them, unless an open document changed meanwhile (the request's
// positions are in the texts it was sent for: it then answers on the
// snapshot of its place in the wire order). A rename asked a moment after
// start-up would otherwise edit only the open documents. (Code lenses
// need not wait: the client is asked to refresh them when an analysis
// finds others.) Before `initialized` no index is under way: the request
// is answered at once.
func queryAfterIndex[P, R any](name string, fn func(s *server, ctx context.Context, snap *snapshot, p *P) (R, error)) method {
	return queryWith(name, fn, true)
}

func queryWith[P, R any](name string, fn func(s *server, ctx context.Context, snap *snapshot, p *P) (R, error), afterIndex bool) method {
	return method{name: name, call: true, async: true, run: func(s *server, rctx, ctx context.Context, params jsonrpc2.RawMessage) (any, error) {
		p, err := decodeParams[P](params)
		if err != nil {
			return nil, err
		}
		snap := s.snapshot()
		jsonrpc2.Async(rctx) // the read loop goes on to the next message
		if asyncHook != nil {
			asyncHook(ctx, name)
		}
		if afterIndex && s.indexPending.Load() && s.indexStarted.Load() {
			select {
			case <-s.indexRead:
				if fresh := s.snapshot(); sameDocuments(snap.Snapshot, fresh.Snapshot) {
					snap = fresh
				}
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			return nil, cancelled(name)
		}
		res, err := fn(s, ctx, snap, p)
		return s.answer(ctx, name, res, err)
	}}
}

// sameDocuments reports whether two snapshots have the same open documents
// at the same versions.
func sameDocuments(a, b *analysis.Snapshot) bool {
	da, db := a.Documents(), b.Documents()
	if !slices.Equal(da, db) {
		return false
	}
	for _, p := range da {
		if a.Document(p).Version != b.Document(p).Version {
			return false
		}
	}
	return true
}

// notification adapts a handler of notifications, which run on the read
// loop in wire order.
func notification[P any](name string, fn func(s *server, p *P)) method {
	return method{name: name, run: func(s *server, _, _ context.Context, params jsonrpc2.RawMessage) (any, error) {
		p, err := decodeParams[P](params)
		if err != nil {
			return nil, err
		}
		fn(s, p)
		return nil, nil
	}}
}

// decodeParams decodes a method's params (unmarshalParams); noParams
// decodes nothing.
func decodeParams[P any](params jsonrpc2.RawMessage) (*P, error) {
	p := new(P)
	if _, none := any(p).(*noParams); none {
		return p, nil
	}
	if len(params) == 0 {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "missing params")
	}
	if err := unmarshalParams(params, p); err != nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	}
	return p, nil
}

// snapshot is what a query reads: the workspace snapshot taken in wire
// order, and a converter of positions in its texts.
type snapshot struct {
	*analysis.Snapshot
	conv *Converter
}

func (s *server) snapshot() *snapshot {
	snap := s.ws.Snapshot()
	return &snapshot{Snapshot: snap, conv: s.pub.converter(snap)}
}

// answer turns a handler's result into the response: a nil pointer, slice
// or map is sent as null, and errors are mapped once for every method.
func (s *server) answer(ctx context.Context, name string, res any, err error) (any, error) {
	if err != nil {
		return nil, s.responseError(ctx, name, err)
	}
	if isNil(res) {
		return nil, nil
	}
	return res, nil
}

// responseError maps a handler's error: cancellation to RequestCancelled,
// a response error as it is, anything else (a bug, logged with its stack
// when analysis caught a panic) to InternalError.
func (s *server) responseError(ctx context.Context, name string, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return cancelled(name)
	}
	var rpc *jsonrpc2.Error
	if errors.As(err, &rpc) {
		return rpc
	}
	var fe *analysis.FeatureError
	if errors.As(err, &fe) {
		s.logf(protocol.MessageTypeError, "%v\n%s", fe, fe.Stack)
	}
	return jsonrpc2.Errorf(jsonrpc2.InternalError, "%s: %v", name, err)
}

func cancelled(name string) error {
	return jsonrpc2.Errorf(codeRequestCancelled, "%s cancelled", name)
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return r.IsNil()
	}
	return false
}

// handle is the root of the handler chain: it recovers from panics, checks
// the lifecycle state and routes each message to its method.
func (s *server) handle(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
	name := req.Method()
	isCall := req.IsCall()
	defer func() {
		if r := recover(); r != nil {
			s.logf(protocol.MessageTypeError, "internal error handling %s: %v\n%s", name, r, debug.Stack())
			if isCall {
				result, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error handling %s: %v", name, r)
			} else {
				result, err = nil, nil // a notification error would end the connection
			}
		}
	}()
	if handlerHook != nil {
		handlerHook(name)
	}
	m, known := s.methods.lookup(name, isCall)
	state := s.state.Load()
	if !isCall {
		switch {
		case !m.accepts(state):
			s.logf(protocol.MessageTypeWarning, "ignoring %s: the server is not running", name)
		case !known:
			// Unknown notifications are ignored, as the LSP asks ($/ ones
			// silently).
			if len(name) < 2 || name[:2] != "$/" {
				s.logf(protocol.MessageTypeLog, "ignoring unsupported notification %s", name)
			}
		default:
			if _, err := m.run(s, ctx, ctx, req.Params()); err != nil {
				s.logf(protocol.MessageTypeError, "%s: %v", name, err)
			}
		}
		return nil, nil
	}
	if !m.accepts(state) {
		return nil, refused(name, state)
	}
	if !known {
		return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method %q is not supported", name)
	}
	work, done := s.inflight.begin(ctx, req.ID())
	defer done()
	return m.run(s, ctx, work, req.Params())
}

// refused is the error for a request sent in a state that does not accept
// it.
func refused(name string, state int32) error {
	switch state {
	case stateNew:
		return jsonrpc2.Errorf(codeServerNotInitialized, "%s before initialize", name)
	case stateShutdown:
		return jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown", name)
	}
	return jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after initialize", name)
}

// handlerHook, when set by a test, runs first in every handler.
var handlerHook func(method string)

// asyncHook, when set by a test, runs in every query once it runs beside
// the read loop.
var asyncHook func(ctx context.Context, method string)

// inflight holds the requests being answered, by id, for $/cancelRequest.
type inflight struct {
	mu     sync.Mutex
	cancel map[jsonrpc2.ID]context.CancelFunc
}

// begin returns a request's own context, which $/cancelRequest cancels,
// and the function to call once it is answered. The context derives from
// the connection's: the pooled per-request context of jsonrpc2 must not be
// the parent of a context.WithCancel (which may watch it after the request
// was recycled).
func (f *inflight) begin(ctx context.Context, id jsonrpc2.ID) (context.Context, func()) {
	work, cancel := context.WithCancel(jsonrpc2.DetachContext(ctx))
	f.mu.Lock()
	if f.cancel == nil {
		f.cancel = map[jsonrpc2.ID]context.CancelFunc{}
	}
	f.cancel[id] = cancel
	f.mu.Unlock()
	return work, func() {
		f.mu.Lock()
		delete(f.cancel, id)
		f.mu.Unlock()
		cancel()
	}
}

// cancelParams are the params of $/cancelRequest: a number or a string.
type cancelParams struct {
	ID any `json:"id"`
}

// cancelRequest handles $/cancelRequest: the request's context is
// cancelled; a request already answered or never seen is ignored.
func (s *server) cancelRequest(p *cancelParams) {
	var id jsonrpc2.ID
	switch v := p.ID.(type) {
	case float64:
		id = jsonrpc2.NewNumberID(int64(v))
	case string:
		id = jsonrpc2.NewStringID(v)
	default:
		s.logf(protocol.MessageTypeError, "$/cancelRequest: id must be a number or a string")
		return
	}
	s.inflight.mu.Lock()
	cancel := s.inflight.cancel[id]
	s.inflight.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}
