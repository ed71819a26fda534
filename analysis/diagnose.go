package analysis

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
)

// Report is everything a snapshot knows about its manifests.
type Report struct {
	// Manifests lists the workspace manifests (discovered below the folders
	// or open), sorted.
	Manifests []string
	// Referrers is the reverse index: for a file, the workspace manifests
	// whose `components` or `use` reference it, sorted.
	Referrers map[string][]string
	// Roots lists the root manifests: the named roots, then the discovered
	// ones sorted.
	Roots []string
	// Trees gives, for each root, every local file its link read.
	Trees map[string][]string
	// ByFile holds the diagnostics of each file that has any, with -D
	// applied. A diagnostic belongs to the file of its primary label.
	ByFile map[string][]diag.Diagnostic
	// Relinked lists the roots linked afresh for this report; the others
	// reused the link of an earlier snapshot.
	Relinked []string
	// Sidecars gives, for each cloud-init file a manifest names as
	// `{ file }`, the manifests that name it, sorted (features_sidecar.go).
	Sidecars map[string][]string
}

// Files returns the files that have diagnostics, sorted.
func (r *Report) Files() []string {
	out := make([]string, 0, len(r.ByFile))
	for f := range r.ByFile {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// RootsOf returns the roots whose trees read file.
func (r *Report) RootsOf(file string) []string {
	var out []string
	for _, root := range r.Roots {
		if slices.Contains(r.Trees[root], file) {
			out = append(out, root)
		}
	}
	return out
}

// Diagnostics returns the snapshot's report, computing it once. Callers
// asking at the same time share one computation; it is abandoned when every
// caller waiting for it has given up (then ctx's error is returned and a
// later call starts afresh).
func (s *Snapshot) Diagnostics(ctx context.Context) (*Report, error) {
	s.mu.Lock()
	if r := s.report; r != nil {
		s.mu.Unlock()
		return r, nil
	}
	c := s.running
	if c == nil {
		cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		c = &computation{done: make(chan struct{}), cancel: cancel}
		s.running = c
		go s.run(cctx, c)
	}
	c.waiters++
	s.mu.Unlock()

	select {
	case <-c.done:
		return c.report, c.err
	case <-ctx.Done():
		s.mu.Lock()
		c.waiters--
		if c.waiters == 0 {
			c.cancel()
			if s.running == c {
				s.running = nil
			}
		}
		s.mu.Unlock()
		return nil, ctx.Err()
	}
}

// computation is a report being computed.
type computation struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int // guarded by Snapshot.mu
	report  *Report
	err     error
}

func (s *Snapshot) run(ctx context.Context, c *computation) {
	defer c.cancel()
	gen := s.ws.begin()
	r, err := s.compute(ctx, gen)
	s.ws.end(gen, err == nil)
	s.mu.Lock()
	if err == nil {
		s.report = r
	}
	if s.running == c {
		s.running = nil
	}
	c.report, c.err = r, err
	s.mu.Unlock()
	close(c.done)
}

// compute builds the report: manifests and the reference graph, roots, one
// link per root (reused when nothing it read changed), then diagnostics by
// file.
func (s *Snapshot) compute(ctx context.Context, gen uint64) (*Report, error) {
	r := &Report{Referrers: map[string][]string{}, Trees: map[string][]string{}}

	// Manifests and the reference graph.
	manifests, refs, err := s.manifests(ctx, gen)
	if err != nil {
		return nil, err
	}
	r.Manifests = manifests
	for _, m := range r.Manifests {
		for _, ref := range refs[m] {
			if ref.Path != m && !slices.Contains(r.Referrers[ref.Path], m) {
				r.Referrers[ref.Path] = append(r.Referrers[ref.Path], m)
			}
		}
	}
	for _, list := range r.Referrers {
		slices.Sort(list)
	}
	r.Roots = s.roots(r.Manifests, refs, r.Referrers)

	// Link every root, reusing earlier links.
	links := make([]*RootLink, len(r.Roots))
	relinked := make([]bool, len(r.Roots))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(r.Roots)) {
		wg.Go(func() {
			for i := range next {
				links[i], relinked[i], _ = s.link(ctx, r.Roots[i], gen)
			}
		})
	}
	for i := range r.Roots {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.ws.keepRoots(r.Roots)

	// Diagnostics by file, without duplicates (a file in several trees).
	seen := map[string]map[string]bool{}
	r.ByFile = map[string][]diag.Diagnostic{}
	for i, l := range links {
		root := r.Roots[i]
		r.Trees[root] = l.Result.Files
		if relinked[i] {
			r.Relinked = append(r.Relinked, root)
		}
		for _, d := range l.Result.Diagnostics {
			f := fileOf(&d, root)
			k := dedupKey(&d)
			if seen[f] == nil {
				seen[f] = map[string]bool{}
			}
			if seen[f][k] {
				continue
			}
			seen[f][k] = true
			r.ByFile[f] = append(r.ByFile[f], d)
		}
	}
	s.sidecarDiagnostics(ctx, r, links, gen)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(s.config.Deny) > 0 {
		for f, ds := range r.ByFile {
			ds = slices.Clone(ds)
			diag.Deny(ds, s.config.Deny)
			r.ByFile[f] = ds
		}
	}
	return r, nil
}

// manifests lists the workspace manifests (discovered below the folders or
// open), sorted, with their local manifest references.
func (s *Snapshot) manifests(ctx context.Context, gen uint64) ([]string, map[string][]Ref, error) {
	paths := make([]string, 0, s.candidates.Len()+len(s.documents))
	for p := range s.candidates.All() {
		paths = append(paths, p)
	}
	for p := range s.documents {
		if _, found := s.candidates.Get(p); !found && !isYAML(p) {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	var manifests []string
	refs := map[string][]Ref{}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		h := s.handle(p)
		if h.err != nil || !mayBeManifest(h.text) {
			continue
		}
		a := s.analyze(p, gen)
		if !isManifest(a) {
			continue
		}
		manifests = append(manifests, p)
		refs[p] = a.refs
	}
	return manifests, refs, nil
}

// roots chooses the root manifests: the named ones and, when discovering,
// the manifests nothing references, plus one manifest per group that only
// references itself in a cycle (so every manifest is checked). When not
// discovering, an open document that no named root reaches is a root of
// its own: an open document always gets its diagnostics.
func (s *Snapshot) roots(manifests []string, refs map[string][]Ref, referrers map[string][]string) []string {
	roots := slices.Clone(s.config.Roots)
	reached := map[string]bool{}
	var reach func(string)
	reach = func(m string) {
		if reached[m] {
			return
		}
		reached[m] = true
		for _, ref := range refs[m] {
			reach(ref.Path)
		}
	}
	for _, m := range roots {
		reach(m)
	}
	if len(roots) > 0 && !s.config.DiscoverRoots {
		for _, m := range manifests {
			if s.documents[m] != nil && !reached[m] {
				roots = append(roots, m)
				reach(m)
			}
		}
		return roots
	}
	var found []string
	for _, m := range manifests {
		if len(referrers[m]) == 0 && !slices.Contains(roots, m) {
			found = append(found, m)
			reach(m)
		}
	}
	for _, m := range manifests {
		if !reached[m] {
			found = append(found, m)
			reach(m)
		}
	}
	slices.Sort(found)
	return append(roots, found...)
}

// fileOf returns the file a diagnostic belongs to: the local file of its
// primary label, or the root.
func fileOf(d *diag.Diagnostic, root string) string {
	l, ok := d.Primary()
	if !ok || l.File == "" {
		return root
	}
	f := l.File
	if p, ok := linker.LocalPath(f); ok {
		f = p
	}
	if !filepath.IsAbs(f) {
		return root
	}
	return filepath.Clean(f)
}

// dedupKey identifies a diagnostic's content.
func dedupKey(d *diag.Diagnostic) string {
	var b strings.Builder
	b.WriteString(string(d.Code))
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(int(d.Severity)))
	b.WriteByte(0)
	b.WriteString(d.Message)
	b.WriteByte(0)
	b.WriteString(d.Help)
	for _, l := range d.Labels {
		b.WriteByte(0)
		b.WriteString(l.File)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(l.Span.Start))
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(l.Span.End))
		b.WriteByte(':')
		b.WriteString(l.Message)
		if l.Primary {
			b.WriteByte('*')
		}
	}
	return b.String()
}
