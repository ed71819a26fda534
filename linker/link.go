// Package linker resolves a tree of Amber manifests, links it into a
// scenario and runs every link-time check with Amber's codes, messages,
// spans and related labels (linker.md).
//
// Link is a pure function of the files it reads (through Options.Files,
// so editors can shadow the disk and share their analyses) plus a Cache of
// parsed manifests: linking again after one file changed re-parses only
// that file.
package linker

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
)

// Resolver is a host-provided manifest resolver that an environment can
// name (linker.md §2.6). Amber's CLI registry is empty.
type Resolver interface {
	// Resolve fetches rawURL, reporting handled=false for URLs it does not
	// serve.
	Resolve(ctx context.Context, rawURL string) (body []byte, observed string, handled bool, err error)
}

// Options configure Link.
type Options struct {
	// Files reads and analyzes local files; nil means DiskFiles with Cache.
	Files Files
	// Fetcher fetches http and https manifests; nil disables remote refs.
	Fetcher Fetcher
	// Resolvers is the registry environments name their resolvers from.
	Resolvers map[string]Resolver
	// Cache keeps parsed manifests between links; nil uses a fresh one.
	Cache *Cache
	// Remote says which remote manifests may be fetched; the zero value
	// fetches https:// only (remote.go).
	Remote RemoteFetch
	// MaxInstances bounds the component instances a link resolves;
	// 0 means DefaultMaxInstances (budget.go).
	MaxInstances int
}

// Result is the outcome of linking one root manifest.
type Result struct {
	// Root is the resolved tree; nil when the root could not be read.
	Root *Node
	// Components is the main tree in id order (nil when resolution failed).
	Components []*Component
	// Diagnostics in Amber's order: slot-interpolation errors, lints, then
	// link errors (or the one fatal resolution error). Shared: read only
	// (a link that reports what the root's previous link reported may
	// return the same slice).
	Diagnostics []diag.Diagnostic
	// Files lists every local file the tree read or tried to read, sorted:
	// an edit to any of them can change the result.
	Files []string
	// Texts holds the text of every manifest read, by the name its
	// diagnostics use.
	Texts map[string][]byte
	// linked and optimize build the linked and the optimised scenario once,
	// on first use, and routes the routes of its bindings; nil when
	// resolution or linking failed.
	linked, optimize func() *scenario.Scenario
	routes           func() [][]Site
	// Overlays lists the overlay scopes and the linked helper scenario.
	Overlays *OverlayPlan
	// Configs holds each component's composed config template, by id (nil
	// when linking stopped before composition).
	Configs []*config.Template
}

// Scenario returns the linked scenario; nil when resolution or linking
// failed. It is built on first use: diagnostics do not need it, and a
// result kept by an editor's snapshot should not hold it until asked.
func (r *Result) Scenario() *scenario.Scenario {
	if r.linked == nil {
		return nil
	}
	return r.linked()
}

// Linked reports whether linking succeeded, so that Scenario is not nil,
// without building the scenario.
func (r *Result) Linked() bool { return r.linked != nil }

// Routes returns, for each binding of Scenario (same index), the authored
// bindings it was routed through, from the upstream end to the binding
// into the slot (none for an external root slot's edge); nil when
// resolution or linking failed.
func (r *Result) Routes() [][]Site {
	if r.routes == nil {
		return nil
	}
	return r.routes()
}

// Optimized returns the linked scenario after Amber's MIR optimisation
// (linker.md §7), what overlay helpers see; nil when linking failed. It is
// computed on first use: editing needs only the diagnostics.
func (r *Result) Optimized() *scenario.Scenario {
	if r.optimize == nil {
		return nil
	}
	return r.optimize()
}

// Link resolves the manifest at root (a local path or a URL) and links it.
func Link(ctx context.Context, root string, opts Options) *Result {
	if opts.Cache == nil {
		opts.Cache = NewCache()
	}
	if opts.Files == nil {
		opts.Files = DiskFiles{Cache: opts.Cache}
	}
	memo := opts.Cache.memo.session(root)
	r := &resolver{ctx: ctx, opts: &opts, cache: opts.Cache, deps: map[string]bool{}, texts: map[string][]byte{}, memo: map[loadKey]*loaded{}}
	rootURL := root
	if _, ok := LocalPath(root); !ok && !hasScheme(root) {
		u, err := FileURL(root)
		if err == nil {
			rootURL = u
		}
	}
	res := &Result{Texts: r.texts}
	tree, f := r.resolveRoot(rootURL)
	res.Root = tree
	defer func() {
		for p := range r.deps {
			res.Files = append(res.Files, p)
		}
		sort.Strings(res.Files)
	}()
	if f != nil {
		res.Diagnostics = copyDiags(f.diags)
		return res
	}
	// A link that stops at resolution (a syntax error in the root, a
	// missing child) uses nothing of the memo: the root keeps the cells of
	// its last link that got further, for when the error is fixed.
	defer memo.commit()
	l := &linker{res: res, deps: r.deps, files: opts.Files, memo: memo, opaque: r.sawOpaque}
	if r.sawOpaque || r.loadedNotes() {
		l.notes = manifestNotes(tree)
	}
	l.comps, l.sameShape = flatten(tree, memo, memo.prev.units)
	l.units, l.prev = memo.units(len(l.comps))
	res.Components = l.comps
	l.run()
	return res
}

// manifestNotes returns the warnings and notes that the manifests of a
// resolved tree got from their own analysis (a byte order mark, content
// after the root value), once per file: resolution stops at a manifest's
// errors, but lets these through, and linking reports only lints.
func manifestNotes(root *Node) []diag.Diagnostic {
	var out []diag.Diagnostic
	seen := map[string]bool{}
	last := "" // the file seen last: siblings mostly share one
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil || n.Result == nil || (n.File == last || seen[n.File]) && !n.Opaque { // each unfetched ref has its note
			return
		}
		seen[n.File], last = true, n.File
		for _, d := range n.Result.Diagnostics {
			if d.Severity != diag.Error {
				out = append(out, copyDiags([]diag.Diagnostic{d})...)
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
		for _, u := range n.Uses {
			walk(u)
		}
		if len(n.Templates) > 0 {
			for _, name := range slices.Sorted(maps.Keys(n.Templates)) {
				for _, t := range n.Templates[name] {
					walk(t)
				}
			}
		}
	}
	walk(root)
	return out
}

// loadedNotes reports whether a manifest the resolver loaded has a
// diagnostic that is not an error: every node of the tree has the
// analysis of a loaded manifest, or is opaque, so without one the tree
// has no notes (manifestNotes) and need not be walked for them.
func (r *resolver) loadedNotes() bool {
	for _, l := range r.memo {
		if l.res == nil {
			continue
		}
		for _, d := range l.res.Diagnostics {
			if d.Severity != diag.Error {
				return true
			}
		}
	}
	return false
}

func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			return i > 1 // "C:" is a drive letter, not a scheme
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}

// copyDiags copies diagnostics out of the cache, so callers (diag.Deny)
// may change them.
func copyDiags(ds []diag.Diagnostic) []diag.Diagnostic {
	out := make([]diag.Diagnostic, len(ds))
	for i, d := range ds {
		d.Labels = append([]diag.Label(nil), d.Labels...)
		d.Fixes = append([]diag.Fix(nil), d.Fixes...)
		out[i] = d
	}
	return out
}

// linker links one resolved tree.
type linker struct {
	res   *Result
	comps []*Component
	deps  map[string]bool // local files read, shared with the resolver
	files Files
	memo  *session // what earlier links computed per component
	// units holds the memo cells of each component (nil for the helper
	// scenario, whose cells are the session's others), and prev those of
	// the root's previous link.
	units, prev []unit

	configTpls     []*config.Template // composed config templates by component id
	defaults       config.Defaults    // what the schemas' defaults give, for config.Schemas
	resourceParams map[ref]map[string]string
	useConfigs     map[*Node]*config.Template // composed configs of referenced `use` entries
	helper         bool                       // linking the overlay helper scenario: no lints, no slot checks
	opaque         bool                       // the tree holds an opaque node (hasOpaque)

	notes     []diag.Diagnostic       // the manifests' own warnings (manifestNotes)
	slotDiags []diag.Diagnostic       // slot-interpolation validation (§5)
	errs      []diag.Diagnostic       // link errors, in phase order
	budgets   map[string]*diag.Budget // of errs and slotDiags, by file (see keep)

	specs       []spec                           // the bindings that survived collection (collectBindings)
	lastBinding map[bindingKey]*manifest.Binding // keyed's answers
	// errCount counts errorf's calls, and forwarded says that
	// effectiveRange read a parent's bindings: collectBindings memoizes a
	// realm only when neither happened while it collected the realm's.
	errCount  int
	forwarded bool
	sameShape bool // the main tree has the shape of the root's previous link (flatten)
	asBefore  int8 // declsAsBefore: 0 not yet known, 1 true, -1 false
	// graph is the previous link's graph when this link shares it
	// (graphMemo); allMemoized says that every realm's specs are those of
	// its bindings memo, so that routing may record the graph.
	graph       *graphMemo
	allMemoized bool
	edges       []edge
	dropped     []edge          // strong routes from external root slots, which routing reports and drops
	external    map[string]bool // external root slots
	exports     []scenario.Export
}

func (l *linker) root() *Component { return l.comps[0] }

func (l *linker) errorf(code diag.Code, msg string, labels []diag.Label, help string) {
	l.addError(diag.Diagnostic{Code: code, Severity: diag.Error, Message: msg, Labels: labels, Help: help})
}

// addError counts error d and keeps it when its file's budget has room.
func (l *linker) addError(d diag.Diagnostic) {
	l.errCount++
	if l.keep(&d) {
		l.errs = append(l.errs, d)
	}
}

// keep reports whether the file of d's primary label has room for d in its
// diag.Budget; summaries says what the budgets left out.
func (l *linker) keep(d *diag.Diagnostic) bool {
	p, _ := d.Primary()
	b := l.budgets[p.File]
	if b == nil {
		if l.budgets == nil {
			l.budgets = map[string]*diag.Budget{}
		}
		b = &diag.Budget{}
		l.budgets[p.File] = b
	}
	return b.Keep(d)
}

// failed reports whether ds, or what the budgets left out, holds an error.
func (l *linker) failed(ds []diag.Diagnostic) bool {
	if hasError(ds) {
		return true
	}
	for _, b := range l.budgets {
		if b.Left()[diag.Error] > 0 {
			return true
		}
	}
	return false
}

// summaries returns a diagnostic for each file whose budget left
// diagnostics out, in file order.
func (l *linker) summaries() []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, f := range slices.Sorted(maps.Keys(l.budgets)) {
		if s, ok := l.budgets[f].Summary(codes.TooManyDiagnostics, f); ok {
			out = append(out, s)
		}
	}
	return out
}

// run is the pipeline of linker.md §1.
func (l *linker) run() {
	l.checkSlotInterpolation()
	l.checkConfig()
	l.checkExportChains()
	l.lowerPrograms()
	l.collectBindings()
	l.route()
	l.checkRequiredSlots()
	l.checkStorage()
	l.rootExports()
	l.externalRootEdges()
	opaque := l.opaque // not every manifest was fetched: no scenario
	if !l.helper {
		l.checkOverlays()
		if !opaque {
			l.planOverlays()
		}
	}
	// l.errs may hold warnings (an overlay endpoint over https): only
	// errors fail the link.
	linked := !l.failed(l.errs)
	if linked {
		l.checkDependencyCycles()
		linked = !l.failed(l.errs)
	}
	var picks lintPicks
	if !l.helper {
		picks = l.pickLints(linked)
	}
	sums := l.summaries()
	if len(l.notes)+len(l.slotDiags)+len(l.errs)+len(sums) == 0 && !l.helper {
		l.res.Diagnostics = l.lintDiags(picks)
	} else {
		// One allocation for every diagnostic: a large tree has thousands.
		out := make([]diag.Diagnostic, 0, len(l.notes)+len(l.slotDiags)+len(picks.kept)+len(l.errs)+len(sums))
		out = append(out, l.notes...)
		out = append(out, l.slotDiags...)
		out = l.appendLints(out, picks)
		out = append(out, l.errs...)
		l.res.Diagnostics = append(out, sums...)
	}
	l.res.Configs = l.configTpls
	if linked && !opaque && !l.failed(l.slotDiags) {
		// Results are kept (an editor's snapshot holds the link of every
		// root): the closures keep only what building the scenario and
		// optimising it read, not the linker's working state.
		kept := &linker{comps: l.comps, specs: l.specs, edges: l.edges, exports: l.exports, resourceParams: l.resourceParams}
		linked := sync.OnceValue(kept.scenario)
		l.res.linked = linked
		l.res.optimize = sync.OnceValue(func() *scenario.Scenario { return kept.optimize(linked()) })
		l.res.routes = sync.OnceValue(kept.routes)
	}
}

// lintPicks are the lints a link reports, as indexes into the lints of
// their components (componentLints): those of component i are
// kept[ends[i-1]:ends[i]] (kept[:ends[0]] for the root).
type lintPicks struct {
	kept, ends []int32
}

// pickLints picks the manifest lints of every main-tree component with
// its moniker (componentLints, which it runs); after a successful link,
// unused_slot and unused_program are suppressed where the linked graph
// shows them used (linker.md §6).
//
// A program that inlines `{ file }` text is not checked for unused config
// or slots: the file's text is interpolated like the manifest's own strings,
// and it is not part of the manifest an editor shows.
func (l *linker) pickLints(linked bool) lintPicks {
	var weakTargets map[ref]bool
	var externalUse map[int]bool
	graph := func() { // what the suppressions read, once one is needed
		if weakTargets != nil {
			return
		}
		weakTargets, externalUse = map[ref]bool{}, map[int]bool{}
		for _, e := range l.edges {
			if e.weak {
				weakTargets[e.to] = true
			}
			if e.from().Kind == scenario.FromExternal {
				c := l.comps[e.to.comp]
				if used, all := usedSlots(c); all || used[e.to.name] {
					externalUse[c.ID] = true
				}
			}
		}
	}
	if len(l.prev) == 0 {
		reserve(l.memo, &l.memo.m.tables.lints, len(l.comps)) // a first link: every component's lints are new
	}
	n := 0
	for _, c := range l.comps {
		n += len(l.componentLints(c))
	}
	// The picks are made in a scratch table: most links pick what the
	// root's previous link picked, and take its picks (read only).
	buf := int32Scratch.take(n + len(l.comps))
	defer int32Scratch.put(buf)
	p := lintPicks{kept: (*buf)[:0:n], ends: (*buf)[n:]}
	for _, c := range l.comps {
		lm := l.units[c.ID].lints.val
		if lm.fixed {
			for i := range lm.ds {
				p.kept = append(p.kept, int32(i))
			}
			p.ends[c.ID] = int32(len(p.kept))
			continue
		}
		lints := lm.ds
		for i := range lints {
			d := &lints[i] // not a copy: a tree has thousands
			if c.mm.opaque && (d.Code == codes.UnusedConfig || d.Code == codes.UnusedSlot) {
				continue
			}
			if linked && (d.Code == codes.UnusedSlot || d.Code == codes.UnusedProgram) {
				graph()
				switch d.Code {
				case codes.UnusedSlot:
					if weakTargets[ref{c.ID, d.Subject}] {
						continue
					}
				case codes.UnusedProgram:
					if externalUse[c.ID] {
						continue
					}
				}
			}
			p.kept = append(p.kept, int32(i))
		}
		p.ends[c.ID] = int32(len(p.kept))
	}
	if prev := l.memo.prev.picks; slices.Equal(prev.ends, p.ends) && slices.Equal(prev.kept, p.kept) {
		return prev
	}
	return lintPicks{kept: slices.Clone(p.kept), ends: slices.Clone(p.ends)}
}

// appendLints appends the lints p picked.
func (l *linker) appendLints(out []diag.Diagnostic, p lintPicks) []diag.Diagnostic {
	start := int32(0)
	for id, end := range p.ends {
		lints := l.units[id].lints.val.ds
		for _, i := range p.kept[start:end] {
			out = append(out, lints[i])
		}
		start = end
	}
	return out
}

// lintDiags returns the diagnostics of a link that reports only the lints
// p picked: those of the root's previous link when it reported only lints
// too, the same picks of the same cells, else a new slice. A tree of
// thousands of components has thousands of lints, which an edit that
// changes none of them (most keystrokes) would otherwise copy.
func (l *linker) lintDiags(p lintPicks) []diag.Diagnostic {
	prev := l.memo.prev
	l.memo.used.picks = p
	if prev.lintDiags != nil && len(prev.units) == len(l.units) &&
		slices.Equal(prev.picks.ends, p.ends) && slices.Equal(prev.picks.kept, p.kept) && l.sameLints(prev.units, p) {
		l.memo.used.lintDiags = prev.lintDiags
		return prev.lintDiags
	}
	out := l.appendLints(make([]diag.Diagnostic, 0, len(p.kept)), p)
	l.memo.used.lintDiags = out
	return out
}

// sameLints reports whether every component that p picks lints of has
// the lints cell it had in the previous link, whose units are prev.
func (l *linker) sameLints(prev []unit, p lintPicks) bool {
	start := int32(0)
	for id, end := range p.ends {
		if end > start && prev[id].lints != l.units[id].lints {
			return false
		}
		start = end
	}
	return true
}

// inlinesFiles reports whether a program inlines `{ file }` text.
func inlinesFiles(p *manifest.Program) bool { return len(programFileRefs(p)) > 0 }

// monikerHole stands for the moniker in the lints a manifest's record
// keeps: a component's lints are those with the hole replaced by its
// moniker, so one manifest is linted once for all its instances.
const monikerHole = "\x00amber-lsp: moniker\x00"

// lintKey is what a component's lints depend on: its manifest and moniker.
type lintKey struct {
	res     *manifest.Result
	moniker string
}

// lintsMemo are a component's lints, before the linked graph suppresses
// any. Shared: read only.
type lintsMemo struct {
	ds []diag.Diagnostic
	// fixed says that pickLints keeps them all, whatever the graph: none
	// has a code it may suppress. It then need not read them.
	fixed bool
}

// newLintsMemo records a component's lints.
func newLintsMemo(ds []diag.Diagnostic) lintsMemo {
	for i := range ds {
		switch ds[i].Code {
		case codes.UnusedConfig, codes.UnusedSlot, codes.UnusedProgram:
			return lintsMemo{ds: ds}
		}
	}
	return lintsMemo{ds: ds, fixed: true}
}

// componentLints returns the lints of a main-tree component (manifest.Lint
// with its moniker), from the memo when an earlier link computed them.
func (l *linker) componentLints(c *Component) []diag.Diagnostic {
	key := lintKey{c.Node.Result, c.Moniker}
	var prev *cell[lintKey, lintsMemo]
	if c.ID < len(l.prev) {
		prev = l.prev[c.ID].lints
	}
	cl := find(l.memo, &l.memo.m.tables.lints, prev, key)
	if cl == nil {
		cl = put(l.memo, &l.memo.m.tables.lints, key, newLintsMemo(l.lintsAt(c)))
	}
	l.units[c.ID].lints = cl // the helper scenario, which has no units, has no lints
	return cl.val.ds
}

// lintsAt lints component c's manifest with its moniker: the manifest is
// linted once, with monikerHole, for all its instances.
func (l *linker) lintsAt(c *Component) []diag.Diagnostic {
	mm := c.mm
	if l.memo.m.off {
		return manifest.Lint(mm.res, c.Moniker)
	}
	mm.lintOnce.Do(func() {
		mm.lintAt = manifest.Lint(mm.res, monikerHole)
		mm.lintTpl = true
		for _, d := range mm.lintAt {
			// Every lint message names the component once; user text
			// holding the hole would make the substitution ambiguous.
			if strings.Count(d.Message, monikerHole) != 1 {
				mm.lintTpl = false
			}
		}
	})
	if !mm.lintTpl {
		return manifest.Lint(mm.res, c.Moniker)
	}
	ds := make([]diag.Diagnostic, len(mm.lintAt))
	for i, d := range mm.lintAt {
		d.Message = strings.Replace(d.Message, monikerHole, c.Moniker, 1)
		ds[i] = d
	}
	return ds
}
