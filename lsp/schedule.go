package lsp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/amberlsp/amber-lsp/analysis"
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
	// workspace has been published; seen holds the open documents any
	// report was published for (loop only).
	published bool
	seen      map[string]bool

	// begun is closed when analysis begins (start): the client's
	// settings are known then, or were waited for long enough.
	begun chan struct{}

	mu      sync.Mutex
	started bool
	closed  bool
	cancel  context.CancelFunc // of the analysis in progress
	done    chan struct{}      // closed when the loop has returned
	last    lastReport         // the latest report published
	newer   chan struct{}      // closed and replaced when last changes
}

// lastReport is a report the scheduler published and its snapshot's id.
type lastReport struct {
	id  uint64
	rep *analysis.Report
}

func newScheduler(s *server) *scheduler {
	return &scheduler{s: s, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}), newer: make(chan struct{}), begun: make(chan struct{}), seen: map[string]bool{}}
}

// report waits until the scheduler has published the report of snapshot
// id or of a later one, and returns it; it fails when ctx ends or the
// scheduler stops first. The index waits for it rather than computing the
// report beside the scheduler, so that the two never compete for the
// processor while the documents opened at start-up are being analyzed.
func (q *scheduler) report(ctx context.Context, id uint64) (*analysis.Report, error) {
	for {
		q.mu.Lock()
		last, newer := q.last, q.newer
		q.mu.Unlock()
		if last.rep != nil && last.id >= id {
			return last.rep, nil
		}
		select {
		case <-newer:
		case <-q.quit:
			return nil, errors.New("analysis stopped")
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
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

// unseen reports whether snap has open documents no report was published
// for yet.
func (q *scheduler) unseen(snap *analysis.Snapshot) bool {
	for _, d := range snap.Documents() {
		if !q.seen[d] {
			return true
		}
	}
	return false
}

// see records that a report was published for snap's open documents.
func (q *scheduler) see(snap *analysis.Snapshot) {
	for _, d := range snap.Documents() {
		q.seen[d] = true
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
	close(q.begun)
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
		gc := betweenAnalyses.Load()
		gc.analysisStarted()
		// Start-up: until the workspace folders are indexed, and then
		// for the documents opened before, what each open document says
		// of itself is published first (analysis.Snapshot.OwnDiagnostics):
		// where a document sits in its tree is not known yet, and
		// diagnostics that depend on it could be wrong until the index
		// shows it. The full report follows; nothing published early is
		// taken back.
		waiting := q.s.indexPending.Load() && len(snap.Folders()) == 0
		if waiting || !q.published && q.unseen(snap) {
			if rep, err := snap.OwnDiagnostics(ctx); err == nil && ctx.Err() == nil {
				q.s.pub.publish(snap, rep)
				q.see(snap)
			}
			if waiting {
				q.mu.Lock()
				q.cancel = nil
				q.mu.Unlock()
				cancel()
				last = snap.ID()
				continue // the index wakes the scheduler
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
		q.s.lensesChanged(snap)
		q.see(snap)
		gc.analysisDone(len(q.wake) == 0)
		if f := q.s.opts.onReport; f != nil {
			f(snap, rep)
		}
		q.mu.Lock()
		q.last = lastReport{snap.ID(), rep}
		close(q.newer)
		q.newer = make(chan struct{})
		q.mu.Unlock()
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
