package lsp

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// scheduler runs analysis on its own goroutine, always on the latest
// snapshot. Waking it never blocks; wakes that arrive while it is busy
// coalesce into one; a wake cancels the analysis in progress (its snapshot
// is stale), and since one goroutine analyzes and publishes in snapshot
// order, results for an old version are never published over a newer one.
type scheduler struct {
	s    *server
	wake chan struct{}
	quit chan struct{}

	// published is set (by the loop) once a report of the indexed
	// workspace has been published.
	published bool

	mu      sync.Mutex
	started bool
	closed  bool
	cancel  context.CancelFunc // of the analysis in progress
	done    chan struct{}      // closed when the loop has returned
}

func newScheduler(s *server) *scheduler {
	return &scheduler{s: s, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
}

// schedule asks for the latest snapshot to be analyzed and published.
func (q *scheduler) schedule() {
	q.mu.Lock()
	if q.cancel != nil {
		q.cancel()
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// refresh asks for the latest snapshot to be analyzed and published once
// the analysis in progress, if any, is done: the change it brings (the
// workspace indexed) does not make that analysis stale.
func (q *scheduler) refresh() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// start begins analyzing.
func (q *scheduler) start() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started || q.closed {
		return
	}
	q.started = true
	go q.loop()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// close stops the scheduler and waits for it.
func (q *scheduler) close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	started := q.started
	if q.cancel != nil {
		q.cancel()
	}
	close(q.quit)
	q.mu.Unlock()
	if started {
		<-q.done
	}
}

func (q *scheduler) loop() {
	defer close(q.done)
	var last uint64
	for {
		select {
		case <-q.quit:
			return
		case <-q.wake:
		}
		snap := q.s.ws.Snapshot()
		if snap.ID() == last {
			continue
		}
		ctx, cancel := context.WithCancel(q.s.ctx)
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			cancel()
			return
		}
		q.cancel = cancel
		q.mu.Unlock()

		start := time.Now()
		parses, links := q.s.ws.Parses(), q.s.ws.Links()
		if !q.published {
			// Start-up: the open documents first, then the workspace.
			if docs, ok := snap.DocumentsOnly(); ok {
				if rep, err := docs.Diagnostics(ctx); err == nil && ctx.Err() == nil {
					q.s.pub.publish(docs, rep)
				}
			}
		}
		rep, err := snap.Diagnostics(ctx)

		q.mu.Lock()
		q.cancel = nil
		q.mu.Unlock()
		stale := ctx.Err() != nil
		cancel()
		if err != nil || stale {
			continue // a newer snapshot is waiting
		}
		q.s.pub.publish(snap, rep)
		last = snap.ID()
		if len(snap.Folders()) > 0 {
			q.published = true
		}
		q.s.tracef(func() string {
			return fmt.Sprintf("roots linked afresh: %s", strings.Join(rep.Relinked, ", "))
		}, "snapshot %d analyzed in %v: %d files parsed, %d roots linked, %d files with diagnostics",
			snap.ID(), time.Since(start).Round(time.Microsecond), q.s.ws.Parses()-parses, q.s.ws.Links()-links, len(rep.ByFile))
	}
}
