package lsp

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/overlay"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// Overlay previews in the editor. With amber.overlays.preview on, saving a
// file of a tree whose root has overlays runs the overlay pass on the
// snapshot's link, in the background, through one helper runtime the
// server owns: helpers start on first need and keep running between saves
// while their inputs are unchanged (the runtime's fingerprint), until
// amber.overlays.idleTimeout passes, the setting goes off, or the server
// stops. A save during a run cancels it; a burst of saves runs once at its
// start and once after it. Each result is kept in the workspace
// (analysis.Workspace.SetPreview), which is where the diagnostics, lenses,
// hovers and hints read it; the server then re-publishes and asks the
// client to refresh lenses and hints.
//
// With the setting off (the default) nothing is ever started: no runtime
// exists, saves are ignored here and the preview command refuses.

// saveQuiet is how long after a save another save still counts as part of
// the same burst.
var saveQuiet = 150 * time.Millisecond

// failureBackoff is how long a helper whose process failed is not started
// again (doubling while it keeps failing); the failure is reported
// meanwhile.
var failureBackoff = 5 * time.Second

// previewer runs the overlay previews of one server.
type previewer struct {
	s *server

	mu       sync.Mutex
	on       bool
	settled  bool            // the client's settings are known (settle)
	early    map[string]bool // files saved before they were
	idle     time.Duration
	timeout  time.Duration
	closed   bool
	rt       *hrt.Runtime       // nil until the first run
	pending  map[string]bool    // files saved since the last run began
	lastSave time.Time          // of the last save
	timer    *time.Timer        // the run after a burst of saves
	waiting  bool               // timer is armed
	cancel   context.CancelFunc // of the run in progress; nil when none
	stopping sync.WaitGroup     // runtimes being closed in the background
}

func newPreviewer(s *server) *previewer {
	return &previewer{s: s, pending: map[string]bool{}, early: map[string]bool{}, idle: defaultOverlayIdle, timeout: defaultOverlayTimeout}
}

// settle notes that the client's settings are known (its answer to the
// first workspace/configuration came, or it has none to give): the files
// saved before then are previewed now when previews are on. (Analysis
// starts before the settings are read, so a save can come first.)
func (p *previewer) settle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.settled {
		return
	}
	p.settled = true
	if len(p.early) == 0 || !p.on || p.closed {
		clear(p.early)
		return
	}
	for f := range p.early {
		p.pending[f] = true
	}
	clear(p.early)
	if p.cancel == nil && !p.waiting {
		p.startLocked()
	}
}

// configure applies the overlay settings. Turning previews off cancels
// the run in progress, stops every helper and forgets the previews.
func (p *previewer) configure(st settings) {
	p.mu.Lock()
	was := p.on
	p.on, p.idle, p.timeout = st.OverlaysPreview, st.overlayIdle(), st.overlayTimeout()
	rt := p.rt
	if rt != nil {
		rt.SetIdleTimeout(p.idle)
		rt.SetTimeouts(p.timeout, p.timeout)
	}
	if p.on || !was {
		p.mu.Unlock()
		return
	}
	p.stopLocked()
	p.mu.Unlock()
	p.s.ws.ClearPreviews()
	p.s.sched.schedule()
	p.refreshClient()
}

// close stops previews for good: shutdown, exit, or the connection gone.
// It returns once every helper process is gone.
func (p *previewer) close() {
	p.mu.Lock()
	p.closed = true
	rt := p.stopLocked()
	p.mu.Unlock()
	if rt != nil {
		if err := rt.Close(); err != nil {
			p.s.logLocal("stopping overlay helpers: %v", err)
		}
	}
	p.stopping.Wait()
}

// stopLocked cancels what runs and detaches the runtime, which it closes
// in the background (stopping helpers takes a moment); it returns it.
func (p *previewer) stopLocked() *hrt.Runtime {
	if p.cancel != nil {
		p.cancel()
	}
	if p.timer != nil {
		p.timer.Stop()
		p.waiting = false
	}
	clear(p.pending)
	rt := p.rt
	p.rt = nil
	if rt != nil && !p.closed {
		p.stopping.Go(func() { _ = rt.Close() })
	}
	return rt
}

// runtime returns the helper runtime, starting it on first need.
func (p *previewer) runtime() *hrt.Runtime {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rt == nil && p.on && !p.closed {
		p.rt = hrt.New(hrt.Options{StartTimeout: p.timeout, RequestTimeout: p.timeout, FailureBackoff: failureBackoff})
		p.rt.SetIdleTimeout(p.idle)
	}
	return p.rt
}

// enabled reports whether previews are on.
func (p *previewer) enabled() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.on && !p.closed
}

// saved notes that the document at path was saved. The first save after
// a quiet moment runs at once; a save during a run or right after another
// cancels the run and waits until the saves stop.
func (p *previewer) saved(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.settled && !p.closed {
		p.early[path] = true
		return
	}
	if !p.on || p.closed {
		return
	}
	p.pending[path] = true
	now := time.Now()
	burst := p.cancel != nil || now.Sub(p.lastSave) < saveQuiet
	p.lastSave = now
	if !burst {
		p.startLocked()
		return
	}
	if p.cancel != nil {
		p.cancel() // superseded
	}
	if p.timer == nil {
		p.timer = time.AfterFunc(saveQuiet, p.afterBurst)
	} else {
		p.timer.Reset(saveQuiet)
	}
	p.waiting = true
}

// afterBurst runs the saves of a burst once it ended, unless the run it
// cancelled has not returned yet (its end starts the next).
func (p *previewer) afterBurst() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiting = false
	if time.Since(p.lastSave) < saveQuiet && !p.closed && p.on {
		p.timer.Reset(saveQuiet - time.Since(p.lastSave))
		p.waiting = true
		return
	}
	if p.cancel == nil && len(p.pending) > 0 && p.on && !p.closed {
		p.startLocked()
	}
}

// startLocked starts a run of the pending saves in the background.
func (p *previewer) startLocked() {
	saved := slices.Sorted(maps.Keys(p.pending))
	clear(p.pending)
	ctx, cancel := context.WithCancel(p.s.ctx)
	p.cancel = cancel
	p.s.goBackground(func(context.Context) {
		defer cancel()
		p.run(ctx, saved)
		p.mu.Lock()
		defer p.mu.Unlock()
		p.cancel = nil
		if ctx.Err() != nil {
			for _, f := range saved { // superseded: the next run covers them
				p.pending[f] = true
			}
		}
		if len(p.pending) > 0 && !p.waiting && p.on && !p.closed {
			p.startLocked()
		}
	})
}

// run previews the roots the saved files concern, one after the other,
// keeping each result, unless cancelled.
func (p *previewer) run(ctx context.Context, saved []string) {
	snap := p.s.ws.Snapshot()
	rep, err := snap.Diagnostics(ctx)
	if err != nil {
		return
	}
	roots, gone := previewRoots(snap, rep, saved)
	for _, root := range gone {
		p.s.ws.ForgetPreview(root)
	}
	if len(roots) == 0 {
		return
	}
	rt := p.runtime()
	if rt == nil {
		return
	}
	total := 0
	for _, root := range roots {
		if l, err := snap.Link(ctx, root); err == nil && l.Result.Overlays != nil {
			for _, sc := range l.Result.Overlays.Scopes {
				total += len(sc.Overlays)
			}
		}
	}
	prog := p.s.beginProgress(ctx, "Running overlay helpers")
	var mu sync.Mutex
	done := 0
	opts := analysis.OverlayOptions{Runtime: rt, Done: func(r *overlay.Run) {
		mu.Lock()
		done++
		msg := fmt.Sprintf("%s: answered in %s", r.Overlay.Ref, r.RequestTime.Round(100*time.Microsecond))
		if r.Err != nil {
			msg = fmt.Sprintf("%s: failed: %s", r.Overlay.Ref, overlay.FailureWords(r.Err))
		}
		n := done
		mu.Unlock()
		prog.reportPercent(msg, n, total)
	}}
	var summaries []string
	for _, root := range roots {
		opts.WorkDir = folderOf(snap.Folders(), root)
		res, err := snap.RunOverlays(ctx, root, snap.Config().Deny, opts)
		if err != nil || !p.keep(ctx, res) {
			prog.end("superseded by a newer save")
			return
		}
		summaries = append(summaries, previewSummary(res))
		p.s.tracef(nil, "overlay preview of %s in %v: %s", root, res.Took.Round(time.Microsecond), previewSummary(res))
	}
	prog.end(strings.Join(summaries, "; "))
	p.s.sched.schedule()
	p.refreshClient()
}

// keep keeps a preview's result in the workspace, unless the run was
// cancelled or previews went off meanwhile (then it reports false).
func (p *previewer) keep(ctx context.Context, res *analysis.PreviewResult) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ctx.Err() != nil || !p.on || p.closed {
		return false
	}
	p.s.ws.SetPreview(res)
	return true
}

// previewRoots returns the roots whose overlays a save of the files
// concerns: the roots whose trees read one of them, and those whose last
// preview ran one of them as a helper program. Those without overlays now
// but with a kept preview are returned apart (gone).
func previewRoots(snap *analysis.Snapshot, rep *analysis.Report, saved []string) (roots, gone []string) {
	for _, root := range rep.Roots {
		last := snap.LastPreview(root)
		hit := false
		for _, f := range saved {
			hit = hit || slices.Contains(rep.Trees[root], f)
		}
		if last != nil && !hit {
			for _, prog := range last.Programs() {
				hit = hit || slices.Contains(saved, prog)
			}
		}
		switch {
		case !hit:
		case hasOverlays(snap, root):
			roots = append(roots, root)
		case last != nil:
			gone = append(gone, root)
		}
	}
	return roots, gone
}

// hasOverlays reports whether the linked tree of root has overlay scopes
// (the link is ready once the report is).
func hasOverlays(snap *analysis.Snapshot, root string) bool {
	l, err := snap.Link(context.Background(), root)
	return err == nil && l.Result.Overlays != nil && len(l.Result.Overlays.Scopes) > 0
}

// folderOf is the workspace folder holding path (the deepest), or path's
// directory when none does: the one directory overlay helpers are told of.
func folderOf(folders []string, path string) string {
	best := ""
	for _, f := range folders {
		if (path == f || strings.HasPrefix(path, f+string(filepath.Separator))) && len(f) > len(best) {
			best = f
		}
	}
	if best == "" {
		return filepath.Dir(path)
	}
	return best
}

// previewSummary says in a line what a preview found, for logs and the
// end of its progress.
func previewSummary(res *analysis.PreviewResult) string {
	name := filepath.Base(res.Root)
	if res.Outcome == nil {
		return name + ": overlays not run: " + res.NotRun
	}
	var parts []string
	for _, r := range res.Outcome.Runs {
		parts = append(parts, r.Overlay.Ref+" "+res.Outcome.Summary(r))
	}
	if len(parts) == 0 {
		return name + ": no overlays ran"
	}
	return name + ": " + strings.Join(parts, ", ")
}

// refreshClient asks the client to fetch lenses and inlay hints again,
// when it takes such requests.
func (p *previewer) refreshClient() {
	s := p.s
	for _, m := range []struct {
		ok     bool
		method string
	}{{s.caps.lensRefresh, protocol.MethodWorkspaceCodeLensRefresh}, {s.caps.hintRefresh, protocol.MethodWorkspaceInlayHintRefresh}} {
		if !m.ok {
			continue
		}
		s.goBackground(func(ctx context.Context) {
			if err := s.callClient(ctx, m.method, nil, nil); err != nil && ctx.Err() == nil {
				s.logf(protocol.MessageTypeWarning, "%s: %v", m.method, err)
			}
		})
	}
}

// reportPercent reports a message with the share done.
func (p *progress) reportPercent(msg string, done, total int) {
	r := &protocol.WorkDoneProgressReport{Kind: "report", Message: ptr(msg)}
	if total > 0 {
		r.Percentage = ptr(uint32(min(100, done*100/total)))
	}
	p.send(r)
}
