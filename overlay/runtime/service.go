package runtime

import (
	"context"
	"time"
)

// What a long-lived Runtime (the language server's) needs beyond one run:
// timeouts that follow the user's settings, and memory of helpers that
// failed, so that a helper which cannot start is not started again on
// every save.

// maxFailureBackoff bounds the wait after repeated failures.
const maxFailureBackoff = 5 * time.Minute

// failure is a helper process that failed (it did not start, or it broke
// off a request and was stopped): until retry, Invoke answers the same
// error instead of starting it again.
type failure struct {
	err   error
	count int // consecutive failures
	retry time.Time
}

// SetIdleTimeout changes how long a helper no request uses keeps running:
// d > 0 stops it after d, d == 0 as soon as no request uses it, d < 0
// never. Helpers idle now are measured from their last use.
func (r *Runtime) SetIdleTimeout(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opts.IdleTimeout = d
	for _, h := range r.helpers {
		if h.inflight == 0 && !h.detached {
			r.armIdleLocked(h)
		}
	}
}

// SetTimeouts changes the start and request timeouts of later calls; a
// value <= 0 leaves that timeout as it is.
func (r *Runtime) SetTimeouts(start, request time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if start > 0 {
		r.opts.StartTimeout = start
	}
	if request > 0 {
		r.opts.RequestTimeout = request
	}
}

// startTimeout and requestTimeout read the current timeouts.
func (r *Runtime) startTimeout() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.opts.StartTimeout
}

func (r *Runtime) requestTimeout() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.opts.RequestTimeout
}

// armIdleLocked (re)arms h's idle timer from its last use.
func (r *Runtime) armIdleLocked(h *helper) {
	h.idleGen++
	if h.idle != nil {
		h.idle.Stop()
		h.idle = nil
	}
	d := r.opts.IdleTimeout
	if d < 0 || r.closed {
		return
	}
	gen := h.idleGen
	h.idle = time.AfterFunc(max(0, d-time.Since(h.lastUsed)), func() { r.stopIdle(h, gen) })
}

// failedLocked records that the helper process of key failed with err.
// Without Options.FailureBackoff nothing is recorded.
func (r *Runtime) failedLocked(key string, err error) {
	if r.opts.FailureBackoff <= 0 {
		return
	}
	now := time.Now()
	for k, f := range r.failures { // forget failures long past
		if now.Sub(f.retry) > maxFailureBackoff {
			delete(r.failures, k)
		}
	}
	f := r.failures[key]
	if f == nil {
		f = &failure{}
		r.failures[key] = f
	}
	f.err = err
	f.count++
	wait := r.opts.FailureBackoff
	for i := 1; i < f.count && wait < maxFailureBackoff; i++ {
		wait *= 2
	}
	f.retry = now.Add(min(wait, maxFailureBackoff))
}

// recentFailureLocked returns the error of the last failure of key while
// its backoff lasts.
func (r *Runtime) recentFailureLocked(key string) error {
	if f := r.failures[key]; f != nil && time.Now().Before(f.retry) {
		return f.err
	}
	return nil
}

// sameHelper reports whether a and b are the same `use` helper of the same
// manifest directory, started from different inputs (a changed manifest,
// config or program): the older one is stopped when the newer starts.
func sameHelper(a, b *helper) bool {
	return a != b && a.moniker == b.moniker && a.baseDir == b.baseDir && a.key != b.key
}

// retireChangedLocked stops, in the background, the idle helpers that h
// replaces (sameHelper); one in use is left to its idle timer.
func (r *Runtime) retireChangedLocked(h *helper) {
	for _, old := range r.helpers {
		if !sameHelper(old, h) || old.inflight > 0 {
			continue
		}
		r.detachLocked(old)
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			_ = r.stopHelper(old)
		}()
	}
}

// invoked records how a call of Invoke for spec ended: a helper that
// answered is healthy again; one whose request broke off or timed out (it
// was stopped) has failed, unless the caller gave up.
func (r *Runtime) invoked(ctx context.Context, spec *Spec, err error) {
	program := ""
	if spec.Kind == KindPath {
		p, perr := spec.resolveProgram()
		if perr != nil {
			return
		}
		program = p
	}
	key := spec.processKey(program)
	r.mu.Lock()
	defer r.mu.Unlock()
	if f := r.failures[key]; f != nil && f.err == err {
		return // the answer of the backoff, not a new failure
	}
	ie, ok := err.(*InvokeError)
	switch {
	case err == nil:
		delete(r.failures, key)
	case ok && (ie.Reason == ReasonTransport || ie.Reason == ReasonTimeout) && ctx.Err() == nil:
		r.failedLocked(key, err)
	}
}
