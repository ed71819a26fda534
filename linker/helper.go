package linker

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// HelperRootURL is the URL of the helper scenario's synthetic root
// (overlays.md §5).
const HelperRootURL = "overlays://root"

// OverlayPlan is what the overlay pass needs from a link: the overlay
// scopes with their overlays, and the linked helper scenario that serves
// them (overlays.md §5).
type OverlayPlan struct {
	Scopes []*OverlayScope // in pre-order, as the scopes are numbered
	// Helper is the helper scenario's link result (its Optimized scenario
	// is what runs); nil when it was not built.
	Helper *Result
	// HelperRootSchema is the helper root's config_schema (nil: none).
	HelperRootSchema any
}

// OverlayScope is a main-tree component whose manifest lists overlays.
type OverlayScope struct {
	Index    int        // s, in pre-order
	Root     *Component // the main-tree component whose manifest lists the overlays
	Overlays []*Overlay // in declaration order; entries whose alias names no `use` are left out
}

// Overlay is one entry of a scope's `overlays` list.
type Overlay struct {
	Index   int    // o, in declaration order
	Ref     string // `#alias.export`
	Use     string // the alias
	Export  string // the export of the use manifest
	Display string // `/alias` or `{R}/alias`: how messages name the overlay
	// HelperChild and HelperExport name the overlay in the helper scenario:
	// `use_{s}_{u}` and `overlay_{s}_{o}`.
	HelperChild, HelperExport string
	UseNode                   *Node // the resolved `use` manifest the alias names
	// Decl locates the entry in the scope manifest.
	Decl diag.Label
}

// helperChild is one `use_{s}_{u}` component of the helper scenario.
type helperChild struct {
	name  string
	scope *OverlayScope
	use   *Node
	cfg   *config.Template // composed config; nil when the use has none
}

// planOverlays lists the scopes and builds and links the helper scenario.
// Errors of the helper link become errors of the main link.
func (l *linker) planOverlays() {
	var plan OverlayPlan
	var children []helperChild
	for s, sc := range l.scopes() {
		scope := &OverlayScope{Index: s, Root: sc.Root}
		uses := map[string]*Node{}
		for _, u := range sc.Root.Node.Uses {
			uses[u.Name] = u
		}
		var aliases []string
		for _, o := range sc.Overlays {
			if ref, ok := manifest.ParseOverlayRef(o.Value); ok && uses[ref.Use] != nil && !contains(aliases, ref.Use) {
				aliases = append(aliases, ref.Use)
			}
		}
		sort.Strings(aliases)
		index := map[string]int{}
		for u, alias := range aliases {
			index[alias] = u
			hc := helperChild{name: fmt.Sprintf("use_%d_%d", s, u), scope: scope, use: uses[alias]}
			if declConfig(&Component{Node: uses[alias]}) != nil {
				hc.cfg = l.useConfigs[uses[alias]]
			}
			children = append(children, hc)
		}
		for o, entry := range sc.Overlays {
			ref, ok := manifest.ParseOverlayRef(entry.Value)
			if !ok || uses[ref.Use] == nil {
				continue
			}
			display := "/" + ref.Use
			if sc.Root.Parent != nil {
				display = sc.Root.Moniker + "/" + ref.Use
			}
			scope.Overlays = append(scope.Overlays, &Overlay{
				Index: o, Ref: entry.Value, Use: ref.Use, Export: ref.Export, Display: display,
				HelperChild: fmt.Sprintf("use_%d_%d", s, index[ref.Use]), HelperExport: fmt.Sprintf("overlay_%d_%d", s, o),
				UseNode: uses[ref.Use], Decl: sc.Root.at(entry.Node).label("overlay declared here", true),
			})
		}
		plan.Scopes = append(plan.Scopes, scope)
	}
	l.res.Overlays = &plan
	if len(plan.Scopes) == 0 || len(l.errs) > 0 {
		return
	}
	var tpls []*config.Template
	for _, hc := range children {
		if hc.cfg != nil {
			tpls = append(tpls, hc.cfg)
		}
	}
	if paths := config.ReferencedRootPaths(tpls...); len(paths) > 0 {
		plan.HelperRootSchema, _ = config.HelperRootSchema(l.root().m.ConfigSchema, paths)
	}
	helper := l.linkHelper(&plan, children)
	plan.Helper = helper
	for _, d := range helper.Diagnostics {
		if d.Severity == diag.Error {
			l.errs = append(l.errs, l.anchorHelperDiag(d, children, helper))
		}
	}
}

// helperManifest is the synthetic root's text.
func helperManifest(plan *OverlayPlan, children []helperChild) []byte {
	comps := map[string]any{}
	for _, hc := range children {
		decl := map[string]any{"manifest": map[string]any{"url": hc.use.Observed, "digest": hc.use.Digest()}}
		if hc.cfg != nil {
			decl["config"] = config.WriteBack(hc.cfg)
		}
		comps[hc.name] = decl
	}
	exports := map[string]any{}
	for _, sc := range plan.Scopes {
		for _, o := range sc.Overlays {
			exports[o.HelperExport] = "#" + o.HelperChild + "." + o.Export
		}
	}
	root := scenario.Ordered{{Key: "manifest_version", Value: "0.4.0"}, {Key: "components", Value: comps}, {Key: "exports", Value: exports}}
	if plan.HelperRootSchema != nil {
		root = append(root, scenario.Field{Key: "config_schema", Value: plan.HelperRootSchema})
	}
	return scenario.MustEncode(root)
}

// linkHelper links the helper scenario: the synthetic root with the
// referenced `use` subtrees as its children.
func (l *linker) linkHelper(plan *OverlayPlan, children []helperChild) *Result {
	src := helperManifest(plan, children)
	res := &Result{Texts: map[string][]byte{HelperRootURL: src}}
	rootRes := manifest.AnalyzeWith(HelperRootURL, src, manifest.Options{NoLints: true})
	if rootRes.Manifest == nil || hasError(rootRes.Diagnostics) {
		res.Diagnostics = rootRes.Diagnostics
		return res
	}
	root := &Node{URL: HelperRootURL, Observed: HelperRootURL, File: HelperRootURL, Result: rootRes, digest: newDigest(rootRes.Manifest)}
	decls := map[string]*manifest.ComponentDecl{}
	for _, d := range rootRes.Manifest.Components {
		decls[d.Name] = d
	}
	for _, hc := range children {
		n := *hc.use
		n.Name, n.Decl, n.Use, n.Parent = hc.name, decls[hc.name], false, root
		root.Children = append(root.Children, &n)
	}
	sort.Slice(root.Children, func(i, j int) bool { return root.Children[i].Name < root.Children[j].Name })
	res.Root = root
	h := &linker{res: res, deps: l.deps, files: l.files, memo: l.memo, helper: true, opaque: hasOpaque(root)}
	h.comps, _ = flatten(root, l.memo, nil)
	res.Components = h.comps
	h.run()
	return res
}

// anchorHelperDiag moves labels that point into the synthetic root (which
// has no source) to the `use` declaration in the scope manifest (its
// `config` when it has one: spec overlays.md §6.3), and names the scope in
// the message. A label on a helper child's key (a config the child needs
// but was not given) or value moves to that child's `use` entry.
func (l *linker) anchorHelperDiag(d diag.Diagnostic, children []helperChild, helper *Result) diag.Diagnostic {
	d.Labels = append([]diag.Label(nil), d.Labels...)
	var comps *json5.Node // nil when the helper root itself did not analyze
	if helper.Root != nil {
		comps = helper.Root.Manifest().Root.Get("components")
	}
	for i, lb := range d.Labels {
		if lb.File != HelperRootURL {
			continue
		}
		moved := false
		for _, hc := range children {
			if comps == nil {
				break
			}
			decl := comps.Member(hc.name)
			if decl == nil || !keySpan(decl.Key).Contains(lb.Span) && !decl.Value.Span().Contains(lb.Span) && lb.Span != (diag.Span{}) {
				continue
			}
			scopeRoot := hc.scope.Root
			site := scopeRoot.at(scopeRoot.m.Root.Lookup("use", hc.use.Name))
			if cfg := scopeRoot.m.Root.Lookup("use", hc.use.Name); cfg != nil && cfg.Kind == json5.Object {
				if mem := cfg.Member("config"); mem != nil {
					site = scopeRoot.atKey(mem.Key)
				}
			}
			msg := lb.Message
			if lb.Primary {
				msg = "`use` entry `#" + hc.use.Name + "` declared here (helper component /" + hc.name + ")"
			}
			d.Labels[i] = site.label(msg, lb.Primary)
			moved = true
			break
		}
		if !moved && len(l.res.Overlays.Scopes) > 0 && len(l.res.Overlays.Scopes[0].Overlays) > 0 {
			first := l.res.Overlays.Scopes[0].Overlays[0].Decl
			first.Message, first.Primary = lb.Message, lb.Primary
			d.Labels[i] = first
		}
	}
	if d.Help == "" {
		d.Help = "This problem is in the overlay helper scenario, where `use` entries are linked as /use_{scope}_{index} (" + strconv.Itoa(len(children)) + " helper component(s))."
	}
	return d
}
