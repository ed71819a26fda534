package analysis

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest"
)

// LinkFunc links the manifest tree rooted at the absolute path root. The
// workspace calls it with opts.Files reading through the snapshot (open
// documents shadow the disk, and analyses come from the workspace's cache)
// and with the workspace's Fetcher and link Cache. The standard LinkFunc is
// linker.Link; tests inject fakes, which must fill at least Diagnostics and
// Files. It must return promptly once ctx is cancelled (what it returns
// then is discarded). The result is shared by every reader of the snapshot
// and must not be modified afterwards.
type LinkFunc func(ctx context.Context, root string, opts linker.Options) *linker.Result

// RootLink is the link of one root manifest's tree in a snapshot: the whole
// linker result and what the link read. A snapshot links each root at most
// once (Snapshot.Link), and a later snapshot reuses the link while none of
// the files it read or looked up changed.
type RootLink struct {
	// Root is the root manifest, an absolute path.
	Root string
	// Result is what the linker found: the resolved tree, the components,
	// the scenario, the config templates, the overlay plan, and the
	// diagnostics of every file of the tree. Shared: read only.
	Result *linker.Result

	id     int64             // numbers the workspace's links
	reads  map[string]uint64 // path -> content key read
	used   []*parsed         // the per-file analyses the link used
	limits Limits            // what the link was allowed to do

	nodesOnce sync.Once
	nodes     map[string][]*linker.Node // by File

	groupOnce sync.Once
	groups    map[string]*fileDiags
	// before are the groups of the root's link this one replaced, when
	// they were computed, for byFile to start from; dropped once it ran.
	before *linkGroups
	done   atomic.Pointer[linkGroups] // set once byFile ran
}

// byFile returns the link's diagnostics grouped by file, computed once.
// Files the diagnostics point into are hashed with the content the link
// read: the link is used only while that is what snapshots hold.
func (l *RootLink) byFile() map[string]*fileDiags {
	l.groupOnce.Do(func() {
		l.groups = groupByFile(l.Root, l.Result.Diagnostics, func(p string) uint64 { return l.reads[p] }, l.before)
		l.done.Store(newLinkGroups(l.Result.Diagnostics, l.groups, l.before))
		l.before = nil
	})
	return l.groups
}

// Reads returns the local files the link read through the snapshot,
// sorted: an edit of any of them calls for a new link.
func (l *RootLink) Reads() []string { return slices.Sorted(maps.Keys(l.reads)) }

// Nodes returns the manifests of the resolved tree that were read from
// file (a shared child appears once per place it is used), in tree order:
// the root, then each node's children, `use` entries and template
// manifests depth first. It is nil when file is not in the tree or
// resolution stopped before reaching it.
func (l *RootLink) Nodes(file string) []*linker.Node {
	l.nodesOnce.Do(func() {
		l.nodes = map[string][]*linker.Node{}
		var walk func(n *linker.Node)
		walk = func(n *linker.Node) {
			if n == nil {
				return
			}
			f := n.File
			if filepath.IsAbs(f) {
				f = filepath.Clean(f)
			}
			l.nodes[f] = append(l.nodes[f], n)
			for _, c := range n.Children {
				walk(c)
			}
			for _, u := range n.Uses {
				walk(u)
			}
			for _, name := range slices.Sorted(maps.Keys(n.Templates)) {
				for _, t := range n.Templates[name] {
					walk(t)
				}
			}
		}
		if l.Result != nil {
			walk(l.Result.Root)
		}
	})
	return l.nodes[file]
}

// validFor reports whether every file the link read still has the same
// content in s, and every `{ file }` target its analyses read reads the
// same.
func (l *RootLink) validFor(s *Snapshot) bool {
	for p, k := range l.reads {
		if s.handle(p).key() != k {
			return false
		}
	}
	for _, p := range l.used {
		if !p.stillValid(s.readTarget) {
			return false
		}
	}
	return true
}

// heldLink is what the workspace keeps of the last link of a root made
// while the root parsed, for the report to show while it does not (see
// Snapshot.Diagnostics): the link's diagnostics by file and what they
// depend on, without the linker's result. It keeps the per-file analyses
// the link used (the linker's memo keeps them too, for when the error is
// fixed), so that while the root does not parse the analysis cache keeps
// them: text that parses again as it was (a typo undone) finds its
// analysis, and the memo the cells made from it, instead of parsing and
// linking it as new text.
type heldLink struct {
	link   int64 // the id of the link it was made from
	groups map[string]*fileDiags
	reads  map[string]uint64
	used   []*parsed
}

func newHeldLink(l *RootLink) *heldLink {
	return &heldLink{link: l.id, groups: l.byFile(), reads: l.reads, used: l.used}
}

// validExcept reports whether the link would still be valid in s if the
// content of except had not changed.
func (h *heldLink) validExcept(s *Snapshot, except string) bool {
	for p, k := range h.reads {
		if p != except && s.handle(p).key() != k {
			return false
		}
	}
	for _, p := range h.used {
		if !p.stillValid(s.readTarget) {
			return false
		}
	}
	return true
}

// linkCall is a link of one root in one snapshot, computed once and
// waited for by every caller that needs it meanwhile.
type linkCall struct {
	done     chan struct{}
	link     *RootLink // nil when the computing caller gave up
	relinked bool      // linked afresh, not reused from an earlier snapshot
}

// Link returns the link of the root manifest at the absolute path root in
// this snapshot, linking it at most once per snapshot (concurrent callers
// share one link) and reusing an earlier snapshot's link when none of the
// files it read changed. The report (Diagnostics) is built from these
// links, so after it is computed the links of its roots cost nothing.
// When ctx is cancelled first, its error is returned.
func (s *Snapshot) Link(ctx context.Context, root string) (*RootLink, error) {
	gen := s.ws.begin()
	l, _, err := s.link(ctx, filepath.Clean(root), gen)
	s.ws.end(gen, false) // one root's link keeps what other roots use: no sweep
	return l, err
}

// link is Link for a computation of generation gen; it also reports
// whether the link was computed afresh for this snapshot.
func (s *Snapshot) link(ctx context.Context, root string, gen uint64) (*RootLink, bool, error) {
	for {
		s.mu.Lock()
		c := s.links[root]
		if c == nil {
			c = &linkCall{done: make(chan struct{})}
			if s.links == nil {
				s.links = map[string]*linkCall{}
			}
			s.links[root] = c
			s.mu.Unlock()
			func() {
				defer close(c.done)
				c.link, c.relinked = s.linkRoot(ctx, root, gen)
				if c.link == nil { // cancelled: a later caller links afresh
					s.mu.Lock()
					if s.links[root] == c {
						delete(s.links, root)
					}
					s.mu.Unlock()
				}
			}()
			if c.link == nil {
				return nil, false, ctx.Err()
			}
			return c.link, c.relinked, nil
		}
		s.mu.Unlock()
		select {
		case <-c.done:
			if c.link != nil {
				s.ws.cache.touch(c.link.used, gen)
				return c.link, c.relinked, nil
			}
			// The caller computing it gave up: compute it here.
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}

// linkedIfReady returns the link of root when this snapshot has completed
// it, without waiting; nil otherwise.
func (s *Snapshot) linkedIfReady(root string) *RootLink {
	s.mu.Lock()
	c := s.links[root]
	s.mu.Unlock()
	if c == nil {
		return nil
	}
	select {
	case <-c.done:
		return c.link
	default:
		return nil
	}
}

// LinksContaining returns the links of the roots whose trees read file, in
// the order of the report's roots, computing the report first when needed.
func (s *Snapshot) LinksContaining(ctx context.Context, file string) ([]*RootLink, error) {
	rep, err := s.Diagnostics(ctx)
	if err != nil {
		return nil, err
	}
	var out []*RootLink
	for _, root := range rep.RootsOf(filepath.Clean(file)) {
		l, err := s.Link(ctx, root)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// ReadyLinksContaining is LinksContaining without waiting: the links of the
// roots whose trees read file once the snapshot's report is computed, and
// nil before. Editor features use it and fall back to reading the syntax
// of the files themselves, so they answer at once while a link runs.
func (s *Snapshot) ReadyLinksContaining(file string) []*RootLink {
	s.mu.Lock()
	rep := s.report
	s.mu.Unlock()
	if rep == nil {
		return nil
	}
	var out []*RootLink
	for _, root := range rep.RootsOf(filepath.Clean(file)) {
		if l := s.linkedIfReady(root); l != nil {
			out = append(out, l)
		}
	}
	return out
}

// linkRoot links root in s, reusing the workspace's latest link of it when
// that is still valid. It reports whether it linked afresh, and returns nil
// when ctx was cancelled before the link completed.
func (s *Snapshot) linkRoot(ctx context.Context, root string, gen uint64) (*RootLink, bool) {
	w := s.ws
	w.rootsMu.Lock()
	prev := w.roots[root]
	w.rootsMu.Unlock()
	if prev != nil && prev.limits == s.config.Limits && prev.validFor(s) {
		w.cache.touch(prev.used, gen)
		return prev, false
	}
	if ctx.Err() != nil {
		return nil, true
	}
	src := &linkFiles{s: s, gen: gen, reads: map[string]uint64{}}
	id := w.links.Add(1)
	res := safeLink(ctx, w.link, root, linker.Options{Files: src, Fetcher: w.fetcher, Cache: w.linkCache,
		Remote: s.config.Limits.Remote, MaxInstances: s.config.Limits.MaxInstances})
	if ctx.Err() != nil {
		return nil, true
	}
	l := &RootLink{Root: root, Result: res, id: id, reads: src.reads, used: src.used, limits: s.config.Limits}
	if prev != nil {
		l.before = prev.done.Load()
	}
	if _, ok := l.reads[root]; !ok {
		// The link did not read the root through src; make sure an edit of
		// it still invalidates the result.
		l.reads[root] = s.handle(root).key()
	}
	w.rootsMu.Lock()
	w.roots[root] = l
	w.rootsMu.Unlock()
	return l, true
}

// safeLink calls link, turning a panic into a diagnostic of the root.
func safeLink(ctx context.Context, link LinkFunc, root string, opts linker.Options) (res *linker.Result) {
	defer func() {
		if r := recover(); r != nil {
			res = &linker.Result{Diagnostics: []diag.Diagnostic{internalError("linking "+root, r)}, Files: []string{root}}
		}
	}()
	if res = link(ctx, root, opts); res == nil {
		res = &linker.Result{Files: []string{root}}
	}
	return res
}

// keepRoots forgets the links of files that are no longer roots, and what
// the link cache keeps for them.
func (w *Workspace) keepRoots(roots []string) {
	w.rootsMu.Lock()
	defer w.rootsMu.Unlock()
	keep := make(map[string]bool, len(roots))
	for _, r := range roots {
		keep[r] = true
	}
	for r := range w.roots {
		if !keep[r] {
			delete(w.roots, r)
		}
	}
	w.linkCache.ForgetRoots(roots)
	for r := range w.goodRoots {
		if !keep[r] {
			delete(w.goodRoots, r)
		}
	}
}

// setGood records l as the last link of root made while root parsed.
func (w *Workspace) setGood(root string, l *RootLink) {
	w.rootsMu.Lock()
	defer w.rootsMu.Unlock()
	if g := w.goodRoots[root]; g == nil || g.link != l.id {
		w.goodRoots[root] = newHeldLink(l)
	}
}

// good returns what is kept of the last link of root made while root
// parsed, or nil.
func (w *Workspace) good(root string) *heldLink {
	w.rootsMu.Lock()
	defer w.rootsMu.Unlock()
	return w.goodRoots[root]
}

// linkFiles is the linker.Files of one link: it reads through the
// snapshot and records every file the link read, with the content it saw,
// so the link can be reused by later snapshots in which none of them
// changed.
type linkFiles struct {
	s   *Snapshot
	gen uint64

	mu    sync.Mutex
	reads map[string]uint64 // path -> content key read
	used  []*parsed
}

var errRelative = errors.New("path is not absolute")

// open returns the snapshot's content of an absolute path, recording it.
func (l *linkFiles) open(path string) (string, *fileHandle, error) {
	if !filepath.IsAbs(path) {
		return path, nil, errRelative
	}
	path = filepath.Clean(path)
	h := l.s.handle(path)
	l.mu.Lock()
	l.reads[path] = h.key()
	l.mu.Unlock()
	return path, h, h.err
}

// ReadFile implements linker.Files.
func (l *linkFiles) ReadFile(path string) ([]byte, error) {
	_, h, err := l.open(path)
	if err != nil {
		return nil, err
	}
	return h.text, nil
}

// AnalyzeFile implements linker.Files through the workspace's analysis
// cache, which the snapshot's other features share.
func (l *linkFiles) AnalyzeFile(path string, text []byte) *manifest.Result {
	path, h, _ := l.open(path)
	if h == nil || h.err != nil || !sameBytes(h.text, text) {
		h = newHandle(text) // text the snapshot does not hold
	}
	p := l.s.ws.cache.analyze(path, h, manifest.Options{NoLints: true}, l.gen, l.s.readTarget)
	l.mu.Lock()
	l.used = append(l.used, p)
	l.mu.Unlock()
	return p.res
}

// sameBytes reports whether a and b are the same slice of memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
