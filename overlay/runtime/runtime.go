package runtime

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// DefaultPath is the PATH a path helper gets: a fixed system list, as in
// Amber's direct execution.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Options configure a Runtime. Zero fields take their defaults.
type Options struct {
	// StartTimeout bounds the wait for a helper's endpoint (default 30s).
	StartTimeout time.Duration
	// RequestTimeout bounds one POST, reading the body included (default 30s).
	RequestTimeout time.Duration
	// IdleTimeout stops a helper no request used for this long (default 10
	// minutes; negative: never). SetIdleTimeout changes it later.
	IdleTimeout time.Duration
	// FailureBackoff, when positive, keeps a helper whose process failed
	// (did not become ready, or broke off a request) from being started
	// again for this long; Invoke answers the same error meanwhile. The wait
	// doubles with each consecutive failure of the same helper (up to 5
	// minutes) and ends once it answers a request; a helper started from
	// other inputs (another fingerprint) is a different helper. Zero: every
	// call may start it again (one-shot runs).
	FailureBackoff time.Duration
	// StopGrace is how long a helper has between SIGTERM and SIGKILL
	// (default 2s).
	StopGrace time.Duration
	// PollInterval is the readiness polling period (default 100ms).
	PollInterval time.Duration
	// OutputLines is how many stderr lines of a helper are kept (default 20).
	OutputLines int
	// PathEnv is the PATH given to path helpers (default DefaultPath).
	PathEnv string
	// Docker is the docker client used for image helpers (default "docker").
	Docker string
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.StartTimeout, 30*time.Second)
	def(&o.RequestTimeout, 30*time.Second)
	def(&o.IdleTimeout, 10*time.Minute)
	def(&o.StopGrace, 2*time.Second)
	def(&o.PollInterval, 100*time.Millisecond)
	if o.OutputLines <= 0 {
		o.OutputLines = 20
	}
	if o.PathEnv == "" {
		o.PathEnv = DefaultPath
	}
	if o.Docker == "" {
		o.Docker = "docker"
	}
	return o
}

// Runtime starts helpers on demand and keeps them running between runs.
// At most one helper holds a given endpoint port: a Spec that needs a port
// held by a helper started from something else (another fingerprint, say)
// replaces that helper once it is idle. A Runtime is safe for concurrent
// use; concurrent calls for the same helper share one start.
type Runtime struct {
	opts   Options
	ctx    context.Context // cancelled by Close: aborts starts in progress
	cancel context.CancelFunc

	mu      sync.Mutex
	closed  bool
	helpers map[string]*helper   // attached helpers by process key
	ports   map[int]*helper      // endpoint port -> attached helper claiming it
	live    map[*helper]struct{} // every helper whose process may still run
	keepers keeperPool           // processes that keep helpers (Linux)
	changed chan struct{}        // closed and renewed when a helper is released or detached
	waiting int                  // acquires waiting for a port another helper serves
	wg      sync.WaitGroup       // background goroutines

	failures map[string]*failure // guarded by mu: helpers that failed, by process key (service.go)
}

// helper is one helper process and the endpoints it serves.
type helper struct {
	key         string
	moniker     string
	baseDir     string
	fingerprint string
	startedAt   time.Time

	launched  chan struct{} // closed once proc or launchErr is set
	proc      *process
	launchErr error

	transport *http.Transport
	client    *http.Client

	// Guarded by Runtime.mu.
	endpoints map[int]*endpoint
	inflight  int
	lastUsed  time.Time
	idle      *time.Timer
	idleGen   int
	detached  bool
}

// endpoint is the readiness of one port of a helper.
type endpoint struct {
	port     int
	protocol Protocol
	ready    chan struct{} // closed when done
	done     bool          // guarded by Runtime.mu
	err      error         // valid after ready is closed
	exports  []string      // display names that waited for or used it
}

// New returns a Runtime with the given options. On Linux it starts, in the
// background, the process that will keep the first helper (keeper_linux.go),
// so that a helper start does not wait for it.
func New(opts Options) *Runtime {
	ctx, cancel := context.WithCancel(context.Background())
	r := &Runtime{
		opts:    opts.withDefaults(),
		ctx:     ctx,
		cancel:  cancel,
		helpers: map[string]*helper{},
		ports:   map[int]*helper{},
		live:    map[*helper]struct{}{},
		changed: make(chan struct{}),

		failures: map[string]*failure{},
	}
	r.keepers.start(r.opts.OutputLines)
	return r
}

// Ready describes the helper that served a Start or Invoke.
type Ready struct {
	// PID is the helper's process id, which is also its process group id
	// (for an image helper: of its `docker run` client).
	PID int
	// Reused is true when the endpoint was already ready: nothing started.
	Reused bool
	// StartDuration is the time spent starting the helper or waiting for a
	// start in progress; 0 when Reused.
	StartDuration time.Duration
}

// Start starts the helper of spec, or reuses a running one, and waits until
// its endpoint is ready (HTTP: `GET /` answers a status other than 502; tcp:
// a connection succeeds).
func (r *Runtime) Start(ctx context.Context, spec Spec) (Ready, error) {
	h, ready, err := r.acquire(ctx, &spec)
	if err != nil {
		return Ready{}, err
	}
	r.release(h)
	return ready, nil
}

// acquire returns the ready helper of spec, counted as in use until release.
func (r *Runtime) acquire(ctx context.Context, spec *Spec) (*helper, Ready, error) {
	if err := spec.check(); err != nil {
		return nil, Ready{}, err
	}
	program := ""
	if spec.Kind == KindPath {
		p, err := spec.resolveProgram()
		if err != nil {
			return nil, Ready{}, err
		}
		program = p
	}
	key := spec.processKey(program)
	begin := time.Now()

	r.mu.Lock()
	var h *helper
	for {
		if r.closed {
			r.mu.Unlock()
			return nil, Ready{}, ErrClosed
		}
		h = r.helpers[key]
		if h != nil && h.gone() {
			r.detachLocked(h) // crashed since its last use: start afresh
			h = nil
		}
		owner := r.ports[spec.Port]
		if owner == nil || owner == h {
			break
		}
		if owner.gone() {
			r.detachLocked(owner)
			continue
		}
		if owner.inflight > 0 {
			// A helper started from something else serves this port right
			// now; wait until it is released, then replace it.
			changed := r.changed
			r.waiting++
			r.mu.Unlock()
			select {
			case <-changed:
			case <-ctx.Done():
				r.mu.Lock()
				r.waiting--
				r.mu.Unlock()
				return nil, Ready{}, ctx.Err()
			}
			r.mu.Lock()
			r.waiting--
			continue
		}
		r.detachLocked(owner)
		r.mu.Unlock()
		_ = r.stopHelper(owner)
		r.mu.Lock()
	}
	if h == nil {
		if err := r.recentFailureLocked(key); err != nil {
			r.mu.Unlock()
			return nil, Ready{}, err
		}
		h = r.newHelperLocked(key, spec)
		r.retireChangedLocked(h)
		r.wg.Add(1)
		go r.launchHelper(h, *spec, program)
	}
	ep := h.endpoints[spec.Port]
	reused := ep != nil && ep.done && ep.err == nil
	if ep == nil {
		ep = &endpoint{port: spec.Port, protocol: spec.protocol(), ready: make(chan struct{})}
		h.endpoints[spec.Port] = ep
		r.ports[spec.Port] = h
		r.wg.Add(1)
		go r.awaitReady(h, ep)
	}
	if !slices.Contains(ep.exports, spec.display()) {
		ep.exports = append(ep.exports, spec.display())
	}
	h.inflight++
	h.idleGen++
	if h.idle != nil {
		h.idle.Stop()
	}
	r.mu.Unlock()

	select {
	case <-ep.ready:
	case <-ctx.Done():
		r.release(h)
		return nil, Ready{}, ctx.Err()
	}
	if ep.err != nil {
		r.release(h)
		return nil, Ready{}, ep.err
	}
	ready := Ready{PID: h.proc.pid, Reused: reused}
	if !reused {
		ready.StartDuration = time.Since(begin)
	}
	return h, ready, nil
}

// newHelperLocked registers a helper that is about to be launched.
func (r *Runtime) newHelperLocked(key string, spec *Spec) *helper {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	h := &helper{
		key:         key,
		moniker:     spec.Moniker,
		baseDir:     spec.BaseDir,
		fingerprint: spec.Fingerprint,
		startedAt:   time.Now(),
		launched:    make(chan struct{}),
		transport:   tr,
		client: &http.Client{
			Transport: tr,
			// A helper answers; it does not send us elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		endpoints: map[int]*endpoint{},
		lastUsed:  time.Now(),
	}
	r.helpers[key] = h
	r.live[h] = struct{}{}
	return h
}

// launchHelper launches h's process and then watches for its exit.
func (r *Runtime) launchHelper(h *helper, spec Spec, program string) {
	defer r.wg.Done()
	p, err := r.launch(r.ctx, &spec, program)
	r.mu.Lock()
	h.proc, h.launchErr = p, err
	if p == nil {
		delete(r.live, h)
	}
	r.mu.Unlock()
	close(h.launched)
	if p == nil {
		return
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		<-p.exited
		h.transport.CloseIdleConnections()
		r.mu.Lock()
		r.detachLocked(h)
		delete(r.live, h)
		r.mu.Unlock()
	}()
}

// awaitReady waits until ep answers, or records why it never will. A helper
// that fails to become ready is stopped and detached.
func (r *Runtime) awaitReady(h *helper, ep *endpoint) {
	defer r.wg.Done()
	<-h.launched
	err := h.launchErr
	if err == nil {
		err = r.waitReady(h, ep)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var nr *notReady
	var lf *launchFailure
	switch {
	case errors.As(err, &nr):
		err = &StartError{Exports: slices.Clone(ep.exports), TimedOut: nr.timedOut, Failure: nr.failure, Output: nr.output}
	case errors.As(err, &lf):
		err = &StartError{Exports: slices.Clone(ep.exports), Failure: lf.msg}
	}
	if err != nil {
		r.detachLocked(h)
		if se := (*StartError)(nil); errors.As(err, &se) {
			r.failedLocked(h.key, err) // a process ran and failed
		}
	}
	ep.err, ep.done = err, true
	close(ep.ready)
	r.notifyLocked()
}

// release ends one use of h; the last use arms the idle timer.
func (r *Runtime) release(h *helper) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h.inflight--
	h.lastUsed = time.Now()
	if h.inflight == 0 && !h.detached && !r.closed {
		r.armIdleLocked(h)
	}
	r.notifyLocked()
}

// stopIdle stops h if nothing used it since the timer of generation gen was armed.
func (r *Runtime) stopIdle(h *helper, gen int) {
	r.mu.Lock()
	if r.closed || h.detached || h.inflight > 0 || h.idleGen != gen {
		r.mu.Unlock()
		return
	}
	r.detachLocked(h)
	r.wg.Add(1)
	r.mu.Unlock()
	defer r.wg.Done()
	_ = r.stopHelper(h)
}

// retire detaches h and stops it.
func (r *Runtime) retire(h *helper) {
	r.mu.Lock()
	r.detachLocked(h)
	r.mu.Unlock()
	_ = r.stopHelper(h)
}

// detachLocked removes h from the lookup tables; no new use will find it.
func (r *Runtime) detachLocked(h *helper) {
	if h.detached {
		return
	}
	h.detached = true
	if r.helpers[h.key] == h {
		delete(r.helpers, h.key)
	}
	for port := range h.endpoints {
		if r.ports[port] == h {
			delete(r.ports, port)
		}
	}
	h.idleGen++
	if h.idle != nil {
		h.idle.Stop()
	}
	r.notifyLocked()
}

// notifyLocked wakes every acquire waiting for a helper to be released.
func (r *Runtime) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// stopHelper ends h's process group and waits for it.
func (r *Runtime) stopHelper(h *helper) error {
	<-h.launched
	if h.proc == nil {
		return nil
	}
	err := h.proc.stop(r.opts.StopGrace)
	h.transport.CloseIdleConnections()
	return err
}

// gone reports whether h's process has ended or never started. Called with
// Runtime.mu held.
func (h *helper) gone() bool {
	select {
	case <-h.launched:
		return h.proc == nil || h.proc.hasExited()
	default:
		return false
	}
}

// StopAll stops every helper and waits until their processes are gone.
// The Runtime stays usable.
func (r *Runtime) StopAll() error {
	r.mu.Lock()
	hs := make([]*helper, 0, len(r.live))
	for h := range r.live {
		r.detachLocked(h)
		hs = append(hs, h)
	}
	r.mu.Unlock()
	errs := make([]error, len(hs))
	var wg sync.WaitGroup
	for i, h := range hs {
		wg.Go(func() { errs[i] = r.stopHelper(h) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Close stops every helper, waits until their processes are gone and makes
// further calls fail with ErrClosed.
func (r *Runtime) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	err := r.StopAll()
	r.wg.Wait()
	r.keepers.close()
	return err
}

// HelperInfo describes a running helper.
type HelperInfo struct {
	Moniker     string    // the helper component's moniker
	PID         int       // also the process group id
	Ports       []int     // endpoint ports that became ready
	Exports     []string  // display names served
	Fingerprint string    // Spec.Fingerprint of the spec that started it
	StartedAt   time.Time // when it was launched
	LastUsed    time.Time // when its last request ended (launch time before any)
	InUse       bool      // a request to it is in flight
}

// Helpers lists the running helpers, by moniker then pid.
func (r *Runtime) Helpers() []HelperInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []HelperInfo
	for _, h := range r.helpers {
		if h.gone() || h.proc == nil {
			continue
		}
		info := HelperInfo{Moniker: h.moniker, PID: h.proc.pid, Fingerprint: h.fingerprint,
			StartedAt: h.startedAt, LastUsed: h.lastUsed, InUse: h.inflight > 0}
		for port, ep := range h.endpoints {
			if ep.done && ep.err == nil {
				info.Ports = append(info.Ports, port)
				info.Exports = append(info.Exports, ep.exports...)
			}
		}
		sort.Ints(info.Ports)
		slices.Sort(info.Exports)
		info.Exports = slices.Compact(info.Exports)
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Moniker != out[j].Moniker {
			return out[i].Moniker < out[j].Moniker
		}
		return out[i].PID < out[j].PID
	})
	return out
}
