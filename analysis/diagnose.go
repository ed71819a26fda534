package analysis

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker"
)

// Report is everything a snapshot knows about its manifests.
type Report struct {
	// Manifests lists the workspace manifests (discovered below the folders
	// or open), sorted.
	Manifests []string
	// Referrers is the reverse index: for a file, the workspace manifests
	// whose `components` or `use` reference it, sorted. Reports whose
	// manifests reference the same files share it: it is read-only.
	Referrers map[string][]string
	// Roots lists the root manifests: the named roots, then the discovered
	// ones sorted.
	Roots []string
	// Trees gives, for each root, every local file its link read.
	Trees map[string][]string
	// ByFile holds the diagnostics of each file that has any, with -D
	// applied. A diagnostic belongs to the file of its primary label.
	ByFile map[string][]diag.Diagnostic
	// Hashes identifies, for each file of ByFile, its diagnostics, the -D
	// settings and the texts of the files they point into: equal hashes
	// (of one workspace) mean that the file's diagnostics would be shown
	// the same way, so a client that has them needs nothing new.
	Hashes map[string]uint64
	// Relinked lists the roots linked afresh for this report; the others
	// reused the link of an earlier snapshot.
	Relinked []string
	// Sidecars gives, for each cloud-init file a manifest names as
	// `{ file }`, the manifests that name it, sorted (features_sidecar.go).
	Sidecars map[string][]string
	// Held lists the roots that do not parse and whose trees' other files
	// keep the diagnostics of the root's last link that did parse (see
	// Snapshot.Diagnostics).
	Held []string
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
//
// The report is that of a fresh analysis of the snapshot's files, with one
// exception that keeps an editor's problems list still while a root is
// being typed into: while a root manifest has syntax errors, the files of
// the tree of its last link without them, other than the root, keep their
// diagnostics from that link, as long as none of the files that link read
// but the root changed and no link of this snapshot reads them. The root
// itself shows its own diagnostics (its syntax errors).
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
	r := &Report{Trees: map[string][]string{}}

	// Manifests and the reference graph.
	manifests, refs, err := s.manifests(ctx, gen)
	if err != nil {
		return nil, err
	}
	r.Manifests = manifests
	r.Referrers = s.ws.referrers.of(manifests, refs)
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

	// Diagnostics by file: each link's, then what roots that do not parse
	// hold from their last link that did.
	linked := map[string]bool{} // files read by a link of this snapshot
	var groups map[string][]*fileDiags
	add := func(files map[string]*fileDiags, keep func(f string) bool) bool {
		added := false
		for f, fd := range files {
			if keep(f) {
				if groups == nil {
					groups = map[string][]*fileDiags{}
				}
				groups[f] = append(groups[f], fd)
				added = true
			}
		}
		return added
	}
	for i, l := range links {
		root := r.Roots[i]
		r.Trees[root] = l.Result.Files
		for _, f := range l.Result.Files {
			linked[f] = true
		}
		if relinked[i] {
			r.Relinked = append(r.Relinked, root)
		}
		add(l.byFile(), func(string) bool { return true })
	}
	for i, root := range r.Roots {
		if !s.analyze(root, gen).res.Syntax.HasSyntaxErrors() {
			s.ws.setGood(root, links[i])
			continue
		}
		good := s.ws.good(root)
		if good == nil || good.link == links[i].id || !good.validExcept(s, root) {
			continue
		}
		s.ws.cache.touch(good.used, gen)
		if add(good.groups, func(f string) bool { return f != root && !linked[f] }) {
			r.Held = append(r.Held, root)
		}
	}
	add(s.sidecarDiagnostics(ctx, r, links, gen), func(string) bool { return true })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.ByFile = make(map[string][]diag.Diagnostic, len(groups))
	r.Hashes = make(map[string]uint64, len(groups))
	for f, gs := range groups {
		// The hash identifies the diagnostics before the cap, of which
		// the capped list is a function.
		var ds []diag.Diagnostic
		var h uint64
		if len(gs) == 1 {
			ds, h = gs[0].capped(), gs[0].hash
		} else {
			ds, h = mergeFileDiags(gs)
			ds = capFile(ds)
		}
		r.ByFile[f], r.Hashes[f] = s.deny(ds, h)
	}
	return r, nil
}

// deny applies the snapshot's -D settings to a file's diagnostics (shared:
// they are copied first) and mixes them into its hash.
func (s *Snapshot) deny(ds []diag.Diagnostic, hash uint64) ([]diag.Diagnostic, uint64) {
	if len(s.config.Deny) == 0 {
		return ds, hash
	}
	ds = slices.Clone(ds)
	diag.Deny(ds, s.config.Deny)
	return ds, hashDeny(hash, s.config.Deny)
}

// manifests lists the workspace manifests (discovered below the folders or
// open), sorted, with the files their local manifest references name
// (refTargets).
func (s *Snapshot) manifests(ctx context.Context, gen uint64) ([]string, map[string][]string, error) {
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
	refs := map[string][]string{}
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
		refs[p] = a.targets
	}
	return manifests, refs, nil
}

// roots chooses the root manifests: the named ones and, when discovering,
// the manifests nothing references, plus one manifest per group that only
// references itself in a cycle (so every manifest is checked). When not
// discovering, an open document that no named root reaches is a root of
// its own: an open document always gets its diagnostics.
func (s *Snapshot) roots(manifests []string, refs map[string][]string, referrers map[string][]string) []string {
	roots := slices.Clone(s.config.Roots)
	reached := map[string]bool{} // the manifests reached: refs' keys
	var reach func(string)
	reach = func(m string) {
		if _, manifest := refs[m]; !manifest || reached[m] {
			return
		}
		reached[m] = true
		for _, target := range refs[m] {
			reach(target)
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

// fileDiags are the diagnostics of one file in one link, without
// duplicates, in the link's order.
type fileDiags struct {
	diags  []diag.Diagnostic
	hashes []uint64 // diagHash of each
	texts  uint64   // hash of the paths and contents of the files they point into
	hash   uint64   // of hashes and texts
	// raw indexes the link's diagnostics grouped here, duplicates
	// included, and files lists the files they point into, sorted: a
	// later link of the same root compares its own with them to reuse
	// diags and hashes (groupByFile).
	raw   []int32
	files []string
	// shown is diags as a file shows them (capFile), computed once and
	// shared with the groups reused from it.
	shown *shownDiags
}

// shownDiags is a file's diagnostics capped by capFile, computed once.
type shownDiags struct {
	once sync.Once
	ds   []diag.Diagnostic
}

// capped returns fd's diagnostics capped by capFile, computed once.
func (fd *fileDiags) capped() []diag.Diagnostic {
	fd.shown.once.Do(func() { fd.shown.ds = capFile(fd.diags) })
	return fd.shown.ds
}

// capFile keeps at most diag.MaxPerFile of a file's diagnostics.
func capFile(ds []diag.Diagnostic) []diag.Diagnostic {
	if len(ds) > diag.MaxPerFile {
		return diag.CapPerFile(ds, diag.MaxPerFile, codes.TooManyDiagnostics)
	}
	return ds
}

// linkGroups are a link's diagnostics and their groups by file, which the
// next link of the same root starts from (groupByFile).
type linkGroups struct {
	diags []diag.Diagnostic
	files map[string]*fileDiags
	// older are the groups of the link before, when this link did not take
	// all of them: undoing an edit that changed a file's diagnostics (a
	// root that stops validating links no child) finds them. They go one
	// link back only, so that at most one earlier link's diagnostics stay.
	older *linkGroups
}

// newLinkGroups returns the groups files of diagnostics ds, of a link
// that started from before (nil for none).
func newLinkGroups(ds []diag.Diagnostic, files map[string]*fileDiags, before *linkGroups) *linkGroups {
	g := &linkGroups{diags: ds, files: files}
	if before != nil {
		for f, prev := range before.files {
			if now := files[f]; now == nil || &now.hashes[0] != &prev.hashes[0] { // not taken (keep)
				g.older = &linkGroups{diags: before.diags, files: before.files}
				break
			}
		}
	}
	return g
}

// match returns the group of file f, among the link's own groups and the
// older ones, whose diagnostics are ds[raw...] one for one (sameRaw); nil
// for none.
func (g *linkGroups) match(f string, ds []diag.Diagnostic, raw []int32) *fileDiags {
	for ; g != nil; g = g.older {
		if prev := g.files[f]; prev != nil && sameRaw(ds, raw, g.diags, prev.raw) {
			return prev
		}
	}
	return nil
}

// dedup drops diagnostics with the same content (sameContent) from a
// list, by hash.
type dedup struct {
	first map[uint64]int   // hash -> index of the first with that hash
	more  map[uint64][]int // hash -> indices of the others (rare)
}

// newDedup returns a dedup with room for n diagnostics.
func newDedup(n int) *dedup { return &dedup{first: make(map[uint64]int, n)} }

// add reports whether d, of hash h, is new to the list ds, and records it
// at index len(ds) when it is.
func (u *dedup) add(ds []diag.Diagnostic, d *diag.Diagnostic, h uint64) bool {
	if u.first == nil {
		u.first = map[uint64]int{}
	}
	i, ok := u.first[h]
	if !ok {
		u.first[h] = len(ds)
		return true
	}
	if sameContent(&ds[i], d) {
		return false
	}
	for _, i := range u.more[h] {
		if sameContent(&ds[i], d) {
			return false
		}
	}
	if u.more == nil {
		u.more = map[uint64][]int{}
	}
	u.more[h] = append(u.more[h], len(ds))
	return true
}

// groupByFile groups the diagnostics of the link of root by file, without
// duplicates. content gives the content key of a file the diagnostics
// point into. before, when not nil, are the groups of an earlier link of
// the same root: a file whose diagnostics are those of before, one for one
// (sameDiag: after an edit, the ones the linker's memo kept), keeps
// before's list and hashes instead of grouping and hashing them again.
func groupByFile(root string, ds []diag.Diagnostic, content func(path string) uint64, before *linkGroups) map[string]*fileDiags {
	if before != nil && sameDiags(ds, before.diags) {
		// The diagnostics of before, one for one (after an edit that
		// changed none): its groups, read from ds.
		out := make(map[string]*fileDiags, len(before.files))
		for f, prev := range before.files {
			fd := &fileDiags{raw: prev.raw}
			fd.keep(ds, prev, content)
			out[f] = fd
		}
		return out
	}
	// Each diagnostic's file first (consecutive diagnostics are mostly
	// of one file: a tree of 2,000 instances of one leaf gives that file
	// 4,000 diagnostics in a row).
	out := map[string]*fileDiags{}
	var lastLabel string
	var last *fileDiags
	for i := range ds {
		l, ok := ds[i].Primary()
		if !ok || l.File == "" || l.File != lastLabel || last == nil {
			f := fileOf(&ds[i], root)
			last = out[f]
			if last == nil {
				last = &fileDiags{}
				out[f] = last
			}
			lastLabel = ""
			if ok {
				lastLabel = l.File
			}
		}
		last.raw = append(last.raw, int32(i))
	}
	for f, fd := range out {
		if prev := before.match(f, ds, fd.raw); prev != nil {
			fd.keep(ds, prev, content)
			continue
		}
		fd.diags, fd.hashes = dedupRaw(ds, fd.raw)
		fd.shown = &shownDiags{}
		fd.files = []string{f}
		last := ""
		for i := range fd.diags {
			for _, l := range fd.diags[i].Labels {
				if l.File == last && last != "" {
					continue
				}
				last = l.File
				if p := labelFile(l.File, f); !slices.Contains(fd.files, p) {
					fd.files = append(fd.files, p)
				}
			}
		}
		slices.Sort(fd.files)
		fd.texts = hashTexts(fd.files, content)
		fd.hash = hashDiags(fd.hashes, fd.texts)
	}
	return out
}

// keep makes fd, whose diagnostics ds[fd.raw...] are those of prev one for
// one, prev's list and hashes; content gives the content key of a file.
func (fd *fileDiags) keep(ds []diag.Diagnostic, prev *fileDiags, content func(path string) uint64) {
	fd.diags, fd.hashes, fd.files, fd.shown = prev.diags, prev.hashes, prev.files, prev.shown
	if w, ok := window(ds, fd.raw); ok && len(w) == len(prev.diags) {
		// The same list, none dropped as a duplicate, read from this
		// link's diagnostics: the earlier link's can go.
		fd.diags = w
	}
	fd.texts = hashTexts(fd.files, content)
	fd.hash = prev.hash
	if fd.texts != prev.texts {
		fd.hash = hashDiags(fd.hashes, fd.texts)
	}
}

// sameDiags reports whether ds and before are the same diagnostics, one
// for one (sameDiag).
func sameDiags(ds, before []diag.Diagnostic) bool {
	if len(ds) != len(before) {
		return false
	}
	for i := range ds {
		if !sameDiag(&ds[i], &before[i]) {
			return false
		}
	}
	return true
}

// dedupRaw returns the diagnostics ds[raw...] without duplicates, and
// their hashes (diagHash). When they lie in a row in ds and none is a
// duplicate (a file's diagnostics usually do), the list is a window on ds
// rather than a copy: the link's diagnostics are kept anyway, and a copy
// of a leaf's thousands of diagnostics would double what they take. The
// list is clipped: it is shared by reports, and appending copies.
func dedupRaw(ds []diag.Diagnostic, raw []int32) ([]diag.Diagnostic, []uint64) {
	n := len(raw)
	row, inRow := window(ds, raw)
	var out []diag.Diagnostic
	if !inRow {
		out = make([]diag.Diagnostic, 0, n)
	}
	hashes := make([]uint64, 0, n)
	seen := newDedup(n)
	for k, i := range raw {
		d := &ds[i]
		h := diagHash(d)
		kept := out
		if inRow {
			kept = row[:k] // every one before was kept
		}
		if !seen.add(kept, d, h) {
			if inRow {
				out, inRow = append(make([]diag.Diagnostic, 0, n), kept...), false
			}
			continue
		}
		if !inRow {
			out = append(out, *d)
		}
		hashes = append(hashes, h)
	}
	if inRow {
		return row, hashes
	}
	return slices.Clip(out), hashes
}

// window returns ds[raw...], clipped, when raw indexes diagnostics in a
// row (raw is increasing and not empty); false otherwise.
func window(ds []diag.Diagnostic, raw []int32) ([]diag.Diagnostic, bool) {
	lo, hi := int(raw[0]), int(raw[len(raw)-1])+1
	if hi-lo != len(raw) {
		return nil, false
	}
	return ds[lo:hi:hi], true
}

// hashTexts hashes the paths of files and their content keys.
func hashTexts(files []string, content func(path string) uint64) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	for _, p := range files {
		writeString(&h, p)
		writeUint64(&h, content(p))
	}
	return h.Sum64()
}

// sameRaw reports whether the diagnostics ds[raw...] are, one for one,
// those of before[prev...] (sameDiag).
func sameRaw(ds []diag.Diagnostic, raw []int32, before []diag.Diagnostic, prev []int32) bool {
	if len(raw) != len(prev) {
		return false
	}
	for k, i := range raw {
		if !sameDiag(&ds[i], &before[prev[k]]) {
			return false
		}
	}
	return true
}

// sameDiag reports whether a and b are the same diagnostic in every field,
// quickly for copies of one diagnostic (as the linker's memo returns after
// an edit elsewhere): the slices and pointers they hold must be the same
// ones, so a diagnostic rebuilt with equal fixes reports false, which
// costs a regrouping, never a wrong result.
func sameDiag(a, b *diag.Diagnostic) bool {
	return sameContent(a, b) && a.Subject == b.Subject && a.Denied == b.Denied && a.Omitted == b.Omitted &&
		len(a.Fixes) == len(b.Fixes) && (len(a.Fixes) == 0 || &a.Fixes[0] == &b.Fixes[0])
}

// mergeFileDiags joins one file's diagnostics from several links, without
// duplicates, and hashes the result.
func mergeFileDiags(gs []*fileDiags) ([]diag.Diagnostic, uint64) {
	var ds []diag.Diagnostic
	var hashes []uint64
	var u dedup
	var h maphash.Hash
	h.SetSeed(hashSeed)
	for _, g := range gs {
		writeUint64(&h, g.texts)
		for i := range g.diags {
			if u.add(ds, &g.diags[i], g.hashes[i]) {
				ds = append(ds, g.diags[i])
				hashes = append(hashes, g.hashes[i])
			}
		}
	}
	return slices.Clip(ds), hashDiags(hashes, h.Sum64())
}

// hashDiags hashes a file's diagnostics (by their diagHash) and the texts
// they point into.
func hashDiags(hashes []uint64, texts uint64) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	for _, x := range hashes {
		writeUint64(&h, x)
	}
	writeUint64(&h, texts)
	return h.Sum64()
}

// diagHash hashes what sameContent compares.
func diagHash(d *diag.Diagnostic) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	writeString(&h, string(d.Code))
	writeUint64(&h, uint64(d.Severity))
	writeString(&h, d.Message)
	writeString(&h, d.Help)
	for _, l := range d.Labels {
		writeString(&h, l.File)
		writeUint64(&h, uint64(l.Span.Start))
		writeUint64(&h, uint64(l.Span.End))
		writeString(&h, l.Message)
		if l.Primary {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
	}
	return h.Sum64()
}

// sameContent reports whether two diagnostics say the same thing at the
// same places: a file shows one of them.
func sameContent(a, b *diag.Diagnostic) bool {
	return a.Code == b.Code && a.Severity == b.Severity && a.Message == b.Message && a.Help == b.Help && sameLabels(a.Labels, b.Labels)
}

// sameLabels reports whether two lists of labels are equal: at once when
// they are one list (copies of one diagnostic share it, and no list is
// modified once made).
func sameLabels(a, b []diag.Label) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || slices.Equal(a, b)
}

// hashDeny mixes the -D settings into a file's hash.
func hashDeny(hash uint64, deny []string) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	writeUint64(&h, hash)
	for _, d := range deny {
		writeString(&h, d)
	}
	return h.Sum64()
}

func writeUint64(h *maphash.Hash, v uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	h.Write(b[:])
}

// writeString writes s with its length, so that strings in a row hash
// apart from their concatenation.
func writeString(h *maphash.Hash, s string) {
	writeUint64(h, uint64(len(s)))
	h.WriteString(s)
}

// labelFile is the path of the file a label points into ("" is file).
func labelFile(labelFile, file string) string {
	if labelFile == "" {
		return file
	}
	if p, ok := localPath(labelFile); ok {
		labelFile = p
	}
	if filepath.IsAbs(labelFile) {
		return filepath.Clean(labelFile)
	}
	return labelFile
}

// localPath is linker.LocalPath, without parsing the paths that are not
// file: URLs (nearly all of them).
func localPath(file string) (string, bool) {
	if len(file) < 5 || !strings.EqualFold(file[:5], "file:") {
		return "", false
	}
	return linker.LocalPath(file)
}

// fileOf returns the file a diagnostic belongs to: the local file of its
// primary label, or the root.
func fileOf(d *diag.Diagnostic, root string) string {
	l, ok := d.Primary()
	if !ok || l.File == "" {
		return root
	}
	f := l.File
	if p, ok := localPath(f); ok {
		f = p
	}
	if !filepath.IsAbs(f) {
		return root
	}
	return filepath.Clean(f)
}

// referrerIndex builds Report.Referrers, and keeps the last index it built
// for the next report: a keystroke rarely changes which files the
// workspace's manifests reference, and a tree of thousands of children
// would otherwise rebuild an index of thousands of files on each.
type referrerIndex struct {
	mu        sync.Mutex
	manifests []string            // the manifests the index was built from
	targets   map[string][]string // the files they reference
	index     map[string][]string
}

// of returns the reverse index of the references refs of manifests: for
// each file, the manifests that reference it (not counting a manifest's
// references to itself), sorted. It is the last index built when the
// manifests and the paths of their references are the same.
func (x *referrerIndex) of(manifests []string, refs map[string][]string) map[string][]string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.index != nil && slices.Equal(manifests, x.manifests) && samePaths(manifests, refs, x.targets) {
		return x.index
	}
	index := map[string][]string{}
	for _, m := range manifests {
		for _, target := range refs[m] {
			if target != m && !slices.Contains(index[target], m) {
				index[target] = append(index[target], m)
			}
		}
	}
	for _, list := range index {
		slices.Sort(list)
	}
	x.manifests, x.targets, x.index = manifests, refs, index
	return index
}

// samePaths reports whether the references of each of manifests name the
// same paths, in the same order, in a and b.
func samePaths(manifests []string, a, b map[string][]string) bool {
	for _, m := range manifests {
		if !slices.Equal(a[m], b[m]) {
			return false
		}
	}
	return true
}
