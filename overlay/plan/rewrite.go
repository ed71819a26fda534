package plan

import (
	"sort"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// Application is one overlay invocation of the overlay pass: an overlay of a
// scope and the plan it returned. Applications are given to Rewrite in
// Amber's order: scopes in order, and within a scope its overlays in
// declaration order; the index in that list is the `a` of interposer
// monikers.
type Application struct {
	Scope *Scope // the scope the overlay was invoked for
	// Overlay is the overlay's index in the scope root's `overlays`
	// (declaration order).
	Overlay int
	// Plan is the overlay's validated plan.
	Plan *Plan
}

// Rewrite applies the plans to the main scenario (overlays.md §11) and returns
// the rewritten scenario; s itself is not modified. When every plan is empty
// it returns s unchanged, without checking it again.
//
// For each application a and each interposition i (plan order) a component
// is appended: id = the current length of the component table, parent = the
// scope root, moniker `/__overlay_{a}_{i}` (or `{R}/__overlay_{a}_{i}`, with
// `_1`, `_2`, … appended while taken), digest = the main root's, config,
// schema, program, slots, provides, resources and metadata as returned.
// Its program is validated again with the real id (an *InvalidPlanError).
// The interposers attached to one original edge are chained in Amber's order
// (side, scope depth, overlay index, scope moniker, then application and
// interposition order); a binding is replaced in place by the chain, a
// scenario export gets the chain's edges appended after all bindings and is
// re-pointed at the last interposer. Children are then sorted by moniker and
// exports by name, and the result is checked with ValidateScenario (a
// *ScenarioError).
func Rewrite(s *scenario.Scenario, apps []Application) (*scenario.Scenario, error) {
	empty := true
	for _, app := range apps {
		if !app.Plan.Empty() {
			empty = false
		}
	}
	if empty {
		return s, nil
	}
	r := newRewriter(s)
	for a, app := range apps {
		if app.Plan.Empty() {
			continue
		}
		for i := range app.Plan.Interpositions {
			if err := r.insert(a, app, i); err != nil {
				return nil, err
			}
		}
	}
	r.rewire()
	r.sortChildren()
	sort.SliceStable(r.out.Exports, func(i, j int) bool { return r.out.Exports[i].Name < r.out.Exports[j].Name })
	if err := ValidateScenario(r.out); err != nil {
		return nil, err
	}
	return r.out, nil
}

// link is one interposer on an original edge.
type link struct {
	side        Side
	depth       int
	overlay     int
	scope       string
	app, interp int
	component   int
	slot        string
	provide     string
}

// edgeKey names an original edge: a binding index, or a scenario export.
type edgeKey struct {
	binding int // -1 for exports
	export  string
}

type rewriter struct {
	in, out  *scenario.Scenario
	cloned   map[int]bool // components of out that are copies of in's
	monikers map[string]bool
	chains   map[edgeKey][]link
	exports  map[string]bool // the names of in's exports
}

func newRewriter(s *scenario.Scenario) *rewriter {
	out := &scenario.Scenario{
		Root:       s.Root,
		Components: append([]*scenario.Component(nil), s.Components...),
		Bindings:   append([]scenario.Binding(nil), s.Bindings...),
		Exports:    append([]scenario.Export(nil), s.Exports...),
	}
	r := &rewriter{in: s, out: out, cloned: map[int]bool{}, monikers: map[string]bool{}, chains: map[edgeKey][]link{}, exports: map[string]bool{}}
	for _, c := range s.Components {
		if c != nil {
			r.monikers[c.Moniker] = true
		}
	}
	for _, e := range s.Exports {
		r.exports[e.Name] = true
	}
	return r
}

// mutable returns out's component id as a copy that may be changed.
func (r *rewriter) mutable(id int) *scenario.Component {
	c := r.out.Component(id)
	if c == nil || r.cloned[id] {
		return c
	}
	cp := *c
	cp.Children = append([]int(nil), c.Children...)
	r.out.Components[id] = &cp
	r.cloned[id] = true
	return &cp
}

// moniker returns the first free interposer moniker for (a, i) under scope R.
func (r *rewriter) moniker(scope string, a, i int) string {
	base := "/__overlay_" + strconv.Itoa(a) + "_" + strconv.Itoa(i)
	if scope != "/" {
		base = scope + base
	}
	m := base
	for n := 1; r.monikers[m]; n++ {
		m = base + "_" + strconv.Itoa(n)
	}
	r.monikers[m] = true
	return m
}

// insert appends the interposer of interposition i of application a and
// records its attachments.
func (r *rewriter) insert(a int, app Application, i int) error {
	sc := app.Scope
	in := &app.Plan.Interpositions[i]
	ip := &in.Interposer
	id := len(r.out.Components)
	digest := ""
	if root := r.in.Component(r.in.Root); root != nil {
		digest = root.Digest
	}
	c := &scenario.Component{
		ID:             id,
		Parent:         sc.Root,
		Moniker:        r.moniker(sc.Moniker, a, i),
		Digest:         digest,
		Config:         ip.Config,
		ConfigSchema:   ip.ConfigSchema,
		Metadata:       ip.Metadata,
		Children:       []int{},
		ChildTemplates: map[string]any{},
		Program:        ip.Program,
		Slots:          copyMap(ip.Slots),
		Provides:       copyMap(ip.Provides),
		Resources:      copyMap(ip.Resources),
	}
	r.out.Components = append(r.out.Components, c)
	if parent := r.mutable(sc.Root); parent != nil {
		parent.Children = append(parent.Children, id)
	}
	if ip.Program != nil {
		schema := config.ValueNode(ip.ConfigSchema)
		if cause := programProblem(ip, schema, id); cause != "" {
			return &InvalidPlanError{Application: a, Interposition: i, Cause: cause}
		}
	}
	for _, at := range in.Attachments {
		t, ok := sc.target(at.Target)
		if !ok || t.Binding >= len(r.in.Bindings) || t.Binding < 0 && !r.exports[t.Export] {
			return &MissingTargetError{Application: a, Target: at.Target, Scope: sc.Moniker}
		}
		key := edgeKey{binding: t.Binding}
		if t.Binding < 0 {
			key = edgeKey{binding: -1, export: t.Export}
		}
		r.chains[key] = append(r.chains[key], link{
			side: t.Side, depth: depth(sc.Moniker), overlay: app.Overlay, scope: sc.Moniker,
			app: a, interp: i, component: id, slot: at.Slot, provide: at.Provide,
		})
	}
	return nil
}

// depth is the number of non-empty segments of a moniker.
func depth(moniker string) int {
	n := 0
	for _, seg := range strings.Split(moniker, "/") {
		if seg != "" {
			n++
		}
	}
	return n
}

// sortChain orders the interposers of one edge from the provider to the
// consumer (overlays.md §11.3).
func sortChain(chain []link) {
	sort.SliceStable(chain, func(i, j int) bool {
		x, y := chain[i], chain[j]
		if x.side != y.side {
			return x.side < y.side
		}
		if x.depth != y.depth {
			if x.side == SideTarget {
				return x.depth < y.depth
			}
			return x.depth > y.depth
		}
		if x.overlay != y.overlay {
			return x.overlay < y.overlay
		}
		if x.scope != y.scope {
			return x.scope < y.scope
		}
		if x.app != y.app {
			return x.app < y.app
		}
		return x.interp < y.interp
	})
}

// rewire replaces every binding that has interposers by its chain, in
// place, and appends the chains of scenario exports after the bindings.
func (r *rewriter) rewire() {
	var bindings []scenario.Binding
	for b, edge := range r.in.Bindings {
		chain := r.chains[edgeKey{binding: b}]
		if len(chain) == 0 {
			bindings = append(bindings, edge)
			continue
		}
		sortChain(chain)
		from := edge.From
		for _, l := range chain {
			bindings = append(bindings, scenario.Binding{From: from, To: scenario.Ref{Component: l.component, Name: l.slot}, Weak: edge.Weak})
			from = scenario.Source{Kind: scenario.FromComponent, Component: l.component, Name: l.provide}
		}
		bindings = append(bindings, scenario.Binding{From: from, To: edge.To, Weak: edge.Weak})
	}
	for e := range r.out.Exports {
		export := &r.out.Exports[e]
		chain := r.chains[edgeKey{binding: -1, export: export.Name}]
		if len(chain) == 0 {
			continue
		}
		sortChain(chain)
		from := export.From
		for _, l := range chain {
			bindings = append(bindings, scenario.Binding{
				From: scenario.Source{Kind: scenario.FromComponent, Component: from.Component, Name: from.Name},
				To:   scenario.Ref{Component: l.component, Name: l.slot},
			})
			from = scenario.Ref{Component: l.component, Name: l.provide}
		}
		export.From = from
	}
	r.out.Bindings = bindings
}

// sortChildren sorts every component's children by moniker.
func (r *rewriter) sortChildren() {
	moniker := func(id int) string {
		if c := r.out.Component(id); c != nil {
			return c.Moniker
		}
		return ""
	}
	for id, c := range r.out.Components {
		if c == nil {
			continue
		}
		less := func(i, j int) bool { return moniker(c.Children[i]) < moniker(c.Children[j]) }
		if sort.SliceIsSorted(c.Children, less) {
			continue
		}
		c = r.mutable(id)
		sort.SliceStable(c.Children, func(i, j int) bool { return moniker(c.Children[i]) < moniker(c.Children[j]) })
	}
}

func copyMap[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
