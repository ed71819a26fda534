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
	"sync"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/program"
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
	// link errors (or the one fatal resolution error).
	Diagnostics []diag.Diagnostic
	// Files lists every local file the tree read or tried to read, sorted:
	// an edit to any of them can change the result.
	Files []string
	// Texts holds the text of every manifest read, by the name its
	// diagnostics use.
	Texts map[string][]byte
	// Scenario is the linked scenario; nil when resolution or linking failed.
	Scenario *scenario.Scenario
	// Routes holds, for each binding of Scenario (same index), the
	// authored bindings it was routed through, from the upstream end to
	// the binding into the slot; none for an external root slot's edge.
	Routes [][]Site
	// optimize computes the optimised scenario once, on first use.
	optimize func() *scenario.Scenario
	// Overlays lists the overlay scopes and the linked helper scenario.
	Overlays *OverlayPlan
	// Configs holds each component's composed config template, by id (nil
	// when linking stopped before composition).
	Configs []*config.Template
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
	r := &resolver{ctx: ctx, opts: &opts, cache: opts.Cache, exists: existsThrough(opts.Files), deps: map[string]bool{}, texts: map[string][]byte{}, memo: map[string]*loaded{}}
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
	l := &linker{res: res, comps: flatten(tree), deps: r.deps, files: opts.Files, templates: map[int]program.Config{}}
	res.Components = l.comps
	l.run()
	res.Diagnostics = append(manifestNotes(tree), res.Diagnostics...)
	return res
}

// manifestNotes returns the warnings and notes that the manifests of a
// resolved tree got from their own analysis (a byte order mark, content
// after the root value), once per file: resolution stops at a manifest's
// errors, but lets these through, and linking reports only lints.
func manifestNotes(root *Node) []diag.Diagnostic {
	var out []diag.Diagnostic
	seen := map[string]bool{}
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil || n.Result == nil || seen[n.File] && !n.Opaque { // each unfetched ref has its note
			return
		}
		seen[n.File] = true
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
		for _, name := range slices.Sorted(maps.Keys(n.Templates)) {
			for _, t := range n.Templates[name] {
				walk(t)
			}
		}
	}
	walk(root)
	return out
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

	templates      map[int]program.Config // composed config per component id, for lowering
	configTpls     []*config.Template     // composed config templates by component id
	resourceParams map[ref]map[string]string
	useConfigs     map[*Node]*config.Template // composed configs of referenced `use` entries
	helper         bool                       // linking the overlay helper scenario: no lints, no slot checks

	slotDiags []diag.Diagnostic // slot-interpolation validation (§5)
	errs      []diag.Diagnostic // link errors, in phase order

	specs    []*spec
	edges    []edge
	external map[string]bool // external root slots
	exports  []scenario.Export
}

func (l *linker) root() *Component { return l.comps[0] }

func (l *linker) errorf(code diag.Code, msg string, labels []diag.Label, help string) {
	l.errs = append(l.errs, diag.Diagnostic{Code: code, Severity: diag.Error, Message: msg, Labels: labels, Help: help})
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
	opaque := hasOpaque(l.root().Node) // not every manifest was fetched: no scenario
	if !l.helper {
		l.checkOverlays()
		if !opaque {
			l.planOverlays()
		}
	}
	// l.errs may hold warnings (an overlay endpoint over https): only
	// errors fail the link.
	linked := !hasError(l.errs)
	if linked {
		l.checkDependencyCycles()
		linked = !hasError(l.errs)
	}
	var out []diag.Diagnostic
	out = append(out, l.slotDiags...)
	if !l.helper {
		out = append(out, l.lints(linked)...)
	}
	out = append(out, l.errs...)
	l.res.Diagnostics = out
	l.res.Configs = l.configTpls
	if linked && !opaque && !hasError(l.slotDiags) {
		l.res.Scenario = l.scenario()
		l.res.Routes = l.routes()
		linked := l.res.Scenario
		// Results are kept (an editor's snapshot holds the link of every
		// root): the closure keeps only what optimisation reads, not the
		// linker's working state.
		opt := &linker{comps: l.comps, specs: l.specs}
		l.res.optimize = sync.OnceValue(func() *scenario.Scenario { return opt.optimize(linked) })
	}
}

// lints runs the manifest lints of every main-tree component with its
// moniker; after a successful link, unused_slot and unused_program are
// suppressed where the linked graph shows them used (linker.md §6).
//
// A program that inlines `{ file }` text is not checked for unused config
// or slots: the file's text is interpolated like the manifest's own strings,
// and it is not part of the manifest an editor shows.
func (l *linker) lints(linked bool) []diag.Diagnostic {
	weakTargets := map[ref]bool{}
	externalUse := map[int]bool{}
	if linked {
		for _, e := range l.edges {
			if e.weak {
				weakTargets[e.to] = true
			}
			if e.from.Kind == scenario.FromExternal {
				c := l.comps[e.to.comp]
				if used, all := usedSlots(c); all || used[e.to.name] {
					externalUse[c.ID] = true
				}
			}
		}
	}
	var out []diag.Diagnostic
	for _, c := range l.comps {
		opaque := inlinesFiles(c.m.Program)
		for _, d := range manifest.Lint(c.Node.Result, c.Moniker) {
			if opaque && (d.Code == codes.UnusedConfig || d.Code == codes.UnusedSlot) {
				continue
			}
			if linked {
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
			out = append(out, d)
		}
	}
	return out
}

// inlinesFiles reports whether a program inlines `{ file }` text.
func inlinesFiles(p *manifest.Program) bool { return len(programFileRefs(p)) > 0 }
