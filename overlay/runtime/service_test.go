//go:build unix

package runtime

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestFailureBackoff: a helper whose process failed is not started again
// while its backoff lasts (the same error is answered), is started again
// once it passed, and a helper started from other inputs is not held back.
func TestFailureBackoff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		mode string
		opts Options
	}{
		{"crash at start", "crash", Options{}},
		{"dies on the request", "dieonpost", Options{}},
		{"never answers", "noanswer", Options{RequestTimeout: 200 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := tc.opts
			opts.FailureBackoff = 700 * time.Millisecond
			f := newFixture(t, opts)
			spec := f.spec(tc.mode)
			_, first := f.rt.Invoke(context.Background(), spec, scopeRequest)
			if first == nil {
				t.Fatal("the first call succeeded")
			}
			for range 5 {
				_, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
				if err == nil || err.Error() != first.Error() {
					t.Fatalf("during the backoff: %v, want the first error %v", err, first)
				}
			}
			if n := len(f.eventsOf("start")); n != 1 {
				t.Fatalf("%d starts during the backoff, want 1", n)
			}
			other := spec
			other.Fingerprint = "v2"
			if _, err := f.rt.Invoke(context.Background(), other, scopeRequest); err == nil {
				t.Fatal("the changed helper succeeded")
			}
			if n := len(f.eventsOf("start")); n != 2 {
				t.Fatalf("%d starts after the inputs changed, want 2", n)
			}
			time.Sleep(800 * time.Millisecond)
			if _, err := f.rt.Invoke(context.Background(), spec, scopeRequest); err == nil {
				t.Fatal("succeeded after the backoff")
			}
			if n := len(f.eventsOf("start")); n != 3 {
				t.Fatalf("%d starts after the backoff, want 3", n)
			}
			// A second consecutive failure waits twice as long.
			time.Sleep(800 * time.Millisecond)
			_, _ = f.rt.Invoke(context.Background(), spec, scopeRequest)
			if n := len(f.eventsOf("start")); n != 3 {
				t.Fatalf("%d starts 0.8 s into the doubled backoff, want 3", n)
			}
		})
	}
}

// TestNoBackoffByDefault: without FailureBackoff every call may start the
// helper again (the command line's one-shot runs).
func TestNoBackoffByDefault(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	spec := f.spec("crash")
	for range 2 {
		if _, err := f.rt.Invoke(context.Background(), spec, scopeRequest); !isStartError(err) {
			t.Fatalf("err = %v, want a start error", err)
		}
	}
	if n := len(f.eventsOf("start")); n != 2 {
		t.Errorf("%d starts, want 2", n)
	}
}

// TestAnsweringHelperIsNotHeldBack: answers that are errors (a status, a
// body that is not a plan) leave the helper running and are no failure of
// its process.
func TestAnsweringHelperIsNotHeldBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{FailureBackoff: time.Hour})
	spec := f.spec("status500")
	for range 3 {
		resp, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
		if !isReason(ReasonStatus)(err) {
			t.Fatalf("err = %v, want a status error", err)
		}
		_ = resp
	}
	if n := len(f.eventsOf("start")); n != 1 {
		t.Errorf("%d starts, want 1 (reused)", n)
	}
}

// TestSetIdleTimeout: a shorter idle timeout applies to helpers idle now,
// measured from their last use; zero stops a helper as soon as it is
// released.
func TestSetIdleTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{IdleTimeout: time.Hour})
	resp, err := f.rt.Invoke(context.Background(), f.spec("plan"), scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if !alive(resp.PID) {
		t.Fatal("helper stopped before its idle timeout")
	}
	f.rt.SetIdleTimeout(300 * time.Millisecond)
	if !waitGone(resp.PID, 3*time.Second) {
		t.Fatalf("helper %d still runs after the shorter idle timeout", resp.PID)
	}

	f.rt.SetIdleTimeout(0)
	resp, err = f.rt.Invoke(context.Background(), f.spec("plan"), scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	if !waitGone(resp.PID, 2*time.Second) {
		t.Fatalf("helper %d still runs with idle timeout 0", resp.PID)
	}

	f.rt.SetIdleTimeout(-1)
	resp, err = f.rt.Invoke(context.Background(), f.spec("plan"), scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if !alive(resp.PID) {
		t.Error("helper stopped although the idle timeout is never")
	}
}

// TestSetTimeouts: the request timeout set later bounds later requests.
func TestSetTimeouts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	f.rt.SetTimeouts(0, 200*time.Millisecond)
	begin := time.Now()
	_, err := f.rt.Invoke(context.Background(), f.spec("noanswer"), scopeRequest)
	var ie *InvokeError
	if !errors.As(err, &ie) || ie.Reason != ReasonTimeout || ie.Timeout != 200*time.Millisecond {
		t.Fatalf("err = %v, want a 0.2 s timeout", err)
	}
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("the timeout took %v", d)
	}
}

// TestChangedHelperReplacesTheOldOne: a helper started from new inputs
// (another fingerprint) on another port stops the idle old one at once.
func TestChangedHelperReplacesTheOldOne(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	first, err := f.rt.Invoke(context.Background(), f.spec("plan"), scopeRequest)
	if err != nil {
		t.Fatal(err)
	}
	spec := f.spec("plan") // a fresh port
	spec.Fingerprint = "v2"
	if _, err := f.rt.Invoke(context.Background(), spec, scopeRequest); err != nil {
		t.Fatal(err)
	}
	if !waitGone(first.PID, 3*time.Second) {
		t.Errorf("the old helper %d still runs", first.PID)
	}
	if hs := f.rt.Helpers(); len(hs) != 1 || hs[0].Fingerprint != "v2" {
		t.Errorf("Helpers() = %+v, want only the v2 helper", hs)
	}
}
