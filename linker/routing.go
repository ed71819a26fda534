package linker

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// upstream is one ultimate provider a slot resolves to, with the route of
// specs that leads from it (weak when any hop is weak).
type upstream struct {
	from  scenario.Source
	weak  bool
	route []*spec
}

// router resolves slots to their ultimate providers (linker.md §4.5).
type router struct {
	l        *linker
	targeted map[ref][]*spec
	state    map[ref]int // 0 unvisited, 1 on the stack, 2 done
	result   map[ref][]upstream
	stack    []ref
	cut      map[ref]bool // slots of a cycle: they resolve to nothing
}

// route turns the collected specs into binding edges.
func (l *linker) route() {
	if g := l.graph; g != nil {
		l.edges, l.external = g.edges, g.external
		l.memo.used.graph = g
		return
	}
	errs := l.errCount
	defer func() {
		if l.allMemoized && l.errCount == errs {
			l.memo.used.graph = &graphMemo{specs: slices.Clip(l.specs), edges: slices.Clip(l.edges), external: l.external}
		}
	}()
	rt := &router{l: l}
	l.external = map[string]bool{}
	root := l.root()
	if root.m.Program != nil {
		for _, name := range keys(root.mm.slots) {
			rt.resolve(ref{root.ID, name})
		}
	}
	l.edges = make([]edge, 0, len(l.specs))
	for i := range l.specs {
		s := &l.specs[i]
		if !s.slot {
			// Not external: the edge's source is the spec's own.
			l.edges = append(l.edges, edge{to: s.target, weak: s.weak, origin: s})
			continue
		}
		ups := rt.resolve(ref{s.from.Component, s.from.Name})
		for i := range ups {
			l.addEdge(s, &ups[i])
		}
	}
}

// addEdge adds the edge from upstream u through spec s, unless it is a
// strong route from an external root slot.
func (l *linker) addEdge(s *spec, u *upstream) {
	weak := s.weak || u.weak
	if u.from.Kind == scenario.FromExternal && !weak {
		if sl := l.root().mm.slots[u.from.Name]; sl != nil && sl.Kind.Value != scenario.KindStorage {
			l.externalRequiresWeak(s, u.from.Name)
			l.dropped = append(l.dropped, edge{to: s.target, weak: weak, origin: s, up: u})
			return
		}
	}
	l.edges = append(l.edges, edge{to: s.target, weak: weak, origin: s, up: u})
}

// sourceUpstreams resolves a spec's source.
func (rt *router) sourceUpstreams(s *spec) []upstream {
	if !s.slot {
		return []upstream{{from: s.from}}
	}
	return rt.resolve(ref{s.from.Component, s.from.Name})
}

// resolve returns the upstreams of a slot.
func (rt *router) resolve(slot ref) []upstream {
	if rt.state == nil { // the first slot resolved: index the specs
		rt.targeted, rt.state, rt.result, rt.cut = map[ref][]*spec{}, map[ref]int{}, map[ref][]upstream{}, map[ref]bool{}
		for i := range rt.l.specs {
			s := &rt.l.specs[i]
			rt.targeted[s.target] = append(rt.targeted[s.target], s)
		}
	}
	switch rt.state[slot] {
	case 2:
		return rt.result[slot]
	case 1:
		rt.cycle(slot)
		return nil
	}
	rt.state[slot] = 1
	rt.stack = append(rt.stack, slot)
	var out []upstream
	specs := rt.targeted[slot]
	if len(specs) == 0 && slot.comp == rt.l.root().ID {
		rt.l.external[slot.name] = true
		out = []upstream{{from: scenario.Source{Kind: scenario.FromExternal, Component: slot.comp, Name: slot.name}}}
	}
	for _, s := range specs {
		for _, u := range rt.sourceUpstreams(s) {
			out = append(out, upstream{from: u.from, weak: u.weak || s.weak, route: append(append([]*spec(nil), u.route...), s)})
		}
	}
	rt.stack = rt.stack[:len(rt.stack)-1]
	if rt.cut[slot] {
		out = nil
	}
	rt.state[slot] = 2
	rt.result[slot] = out
	return out
}

// cycle handles re-entering a slot that is being resolved.
func (rt *router) cycle(slot ref) {
	i := len(rt.stack) - 1
	for i >= 0 && rt.stack[i] != slot {
		i--
	}
	cyc := rt.stack[i:]
	if rt.cut[slot] {
		return // already reported
	}
	optional := false
	for _, s := range cyc {
		rt.cut[s] = true
		if sl := rt.l.comps[s.comp].mm.slots[s.name]; sl != nil && sl.Optional {
			optional = true
		}
	}
	if optional {
		return
	}
	var names []string
	var related []diag.Label
	for _, s := range cyc {
		c := rt.l.comps[s.comp]
		names = append(names, c.Moniker+"."+s.name)
		if sl := c.mm.slots[s.name]; sl != nil {
			related = append(related, c.atKey(sl.Key).label(fmt.Sprintf("slot `%s` declared on %s", s.name, c.Moniker), false))
		}
	}
	names = append(names, names[0])
	top := cyc[len(cyc)-1]
	var labels []diag.Label
	if specs := rt.targeted[top]; len(specs) > 0 {
		labels = append(labels, rt.l.realmOf(specs[0]).at(rt.l.keyedOf(specs[0]).Node).label("binding here participates in the cycle", true))
	}
	rt.l.errorf(codes.SlotCycle, "slot routing cycle detected: "+strings.Join(names, " -> "), append(labels, related...),
		"Break the cycle by making at least one slot `optional: true` or by rewiring the route.")
}

// externalRequiresWeak reports a strong route from an external root slot
// through spec s. The route is strong, so s is: the first non-weak binding
// counted from the edge's own end, reported at its own target in its own
// realm (each strong binding of a multi-hop route gets its own error).
func (l *linker) externalRequiresWeak(s *spec, slot string) {
	target := l.comps[s.target.comp]
	root := l.root()
	labels := []diag.Label{l.realmOf(s).slotText(l.keyedOf(s)).label("binding must be weak here", true)}
	if sl := root.mm.slots[slot]; sl != nil {
		labels = append(labels, root.atKey(sl.Key).label(fmt.Sprintf("external slot `%s` declared on /", slot), false))
	}
	l.errorf(codes.ExternalSlotRequiresWeak,
		fmt.Sprintf("binding into %s.%s must be weak because it depends on external slot `%s`", target.describe(), s.target.name, slot), labels,
		"Any route that depends on an external slot must be weak overall. Make this binding weak or insert a weak binding upstream.")
}

// checkRequiredSlots is linker.md §4.6.
func (l *linker) checkRequiredSlots() {
	var targeted map[ref]bool // built once a required slot needs it
	for _, c := range l.comps {
		var mounted map[string]bool
		for _, sl := range c.mm.required {
			if targeted == nil {
				targeted = make(map[ref]bool, len(l.edges))
				for _, e := range l.edges {
					targeted[e.to] = true
				}
			}
			if targeted[ref{c.ID, sl.Name}] {
				continue
			}
			if mounted == nil {
				mounted = storageMounted(c)
			}
			if sl.Kind.Value == scenario.KindStorage && mounted[sl.Name] {
				continue
			}
			if c.Parent == nil && l.external[sl.Name] {
				continue
			}
			labels := []diag.Label{c.atKey(sl.Key).label("slot declared here", true)}
			if c.Parent != nil {
				if decl := c.Parent.m.Component(c.Node.Name); decl != nil {
					labels = append(labels, c.Parent.atKey(decl.Key).label(fmt.Sprintf("component `%s` declared on %s", c.Node.Name, c.Parent.describe()), false))
				}
			}
			l.errorf(codes.UnboundSlot, fmt.Sprintf("slot `%s` on %s is not bound (non-optional slots must be filled)", sl.Name, c.describe()), labels, "")
		}
	}
}

// rootExports turns the root's exports into scenario exports (§4.8).
func (l *linker) rootExports() {
	root := l.root()
	for _, name := range keys(root.mm.exports) {
		x := root.mm.exports[name]
		end, _, _, ok := resolveExport(root, name)
		if !ok {
			continue // reported by checkExportChains
		}
		at := root.at(x.Target.Node)
		if !end.slot {
			p := end.comp.mm.provides[end.name]
			if p == nil {
				continue
			}
			l.exports = append(l.exports, scenario.Export{Name: name, Capability: scenario.Capability{Kind: p.Kind.Value, Profile: optValue(p.Profile)}, From: scenario.Ref{Component: end.comp.ID, Name: end.name}})
			continue
		}
		// What the slot resolves to: its edges, and the routes from
		// external slots routing dropped for being strong (Amber resolves
		// the slot again, without that rule).
		var ups []edge
		for _, list := range [][]edge{l.edges, l.dropped} {
			for _, e := range list {
				if e.to == (ref{end.comp.ID, end.name}) {
					ups = append(ups, e)
				}
			}
		}
		invalid := func(reason, help string) {
			l.errorf(codes.InvalidExport, fmt.Sprintf("invalid export `%s` on root component: %s", name, reason),
				[]diag.Label{at.label("export declared here", true)}, help)
		}
		switch {
		case len(ups) == 0 && end.comp.Parent == nil:
			// Nothing can bind a root slot: it resolves to itself, external
			// whether or not a binding forwards it (§4.5).
			invalid(fmt.Sprintf("target resolves to external slot `%s`, which cannot be exported", end.name), "Export a component provide or child export instead.")
		case len(ups) == 0:
			labels := []diag.Label{at.label("export declared here", true)}
			if sl := end.comp.mm.slots[end.name]; sl != nil {
				labels = append(labels, end.comp.atKey(sl.Key).label(fmt.Sprintf("slot `%s` declared on %s", end.name, end.comp.Moniker), false))
			}
			l.errorf(codes.ExportUnboundSlot, fmt.Sprintf("export `%s` on root component resolves to unbound slot `%s`", name, end.name), labels,
				"Bind the slot or export a provide/child export instead.")
		case len(ups) > 1:
			invalid(fmt.Sprintf("target resolves to multiple capabilities via slot `%s`", end.name), "Export a single component provide or child export instead.")
		default:
			src := ups[0].from()
			switch src.Kind {
			case scenario.FromResource:
				invalid(fmt.Sprintf("target resolves to resource `resources.%s`, which cannot be exported", src.Name), "Export a component provide or child export instead.")
			case scenario.FromFramework:
				invalid(fmt.Sprintf("target resolves to framework.%s, which cannot be exported", src.Name), "Export a component provide or child export instead.")
			case scenario.FromExternal:
				invalid(fmt.Sprintf("target resolves to external slot `%s`, which cannot be exported", src.Name), "Export a component provide or child export instead.")
			default:
				p := l.comps[src.Component].mm.provides[src.Name]
				if p == nil {
					continue
				}
				l.exports = append(l.exports, scenario.Export{Name: name, Capability: scenario.Capability{Kind: p.Kind.Value, Profile: optValue(p.Profile)}, From: scenario.Ref{Component: src.Component, Name: src.Name}})
			}
		}
	}
}

// externalRootEdges is linker.md §4.9.
func (l *linker) externalRootEdges() {
	root := l.root()
	if root.m.Program == nil {
		return
	}
	targeted := map[ref]bool{}
	for _, e := range l.edges {
		targeted[e.to] = true
	}
	for _, name := range keys(l.external) {
		to := ref{root.ID, name}
		if targeted[to] {
			continue
		}
		l.edges = append(l.edges, edge{up: &upstream{from: scenario.Source{Kind: scenario.FromExternal, Component: root.ID, Name: name}}, to: to, weak: true})
	}
}

// checkDependencyCycles is linker.md §4.11: a topological order over strong
// component-to-component edges.
func (l *linker) checkDependencyCycles() {
	// Only strong edges count, which routing made (externalRootEdges adds
	// weak ones): a link that shares the previous link's graph finds what
	// its check found.
	if l.graph != nil && l.memo.prev.acyclic {
		l.memo.used.acyclic = true
		return
	}
	errs := l.errCount
	defer func() { l.memo.used.acyclic = l.memo.used.graph != nil && l.errCount == errs }()
	n := len(l.comps)
	// The strong component-to-component edges as successor lists in one
	// array: succ[off[v]:end[v]] are v's successors, ascending, each once.
	strong := func(e *edge) bool {
		if e.weak {
			return false
		}
		from := e.from()
		return from.Kind == scenario.FromComponent && from.Component != e.to.comp
	}
	strongs := 0
	for i := range l.edges {
		if strong(&l.edges[i]) {
			strongs++
		}
	}
	// The tables are in one scratch array, taken from the previous links':
	// off (n+1), end, indeg, queue (n each) and succ.
	buf := int32Scratch.take(4*n + 1 + strongs)
	defer int32Scratch.put(buf)
	tab := *buf
	off, end, indeg, queue := tab[:n+1], tab[n+1:2*n+1], tab[2*n+1:3*n+1], tab[3*n+1:3*n+1:4*n+1]
	succ := tab[4*n+1:]
	for i := range l.edges {
		if e := &l.edges[i]; strong(e) {
			off[e.from().Component+1]++
		}
	}
	for v := 0; v < n; v++ {
		off[v+1] += off[v]
	}
	copy(end, off[:n])
	for i := range l.edges {
		if e := &l.edges[i]; strong(e) {
			v := e.from().Component
			succ[end[v]] = int32(e.to.comp)
			end[v]++
		}
	}
	for v := 0; v < n; v++ {
		seg := succ[off[v]:end[v]]
		slices.Sort(seg)
		seg = slices.Compact(seg)
		end[v] = off[v] + int32(len(seg))
		for _, w := range seg {
			indeg[w]++
		}
	}
	// firstEdge is the first strong edge from v to w, which the
	// diagnostic names.
	firstEdge := func(v, w int) *edge {
		for i := range l.edges {
			if e := &l.edges[i]; strong(e) && e.from().Component == v && e.to.comp == w {
				return e
			}
		}
		return nil
	}
	// Kahn's algorithm; a component taken from the queue is marked by an
	// in-degree of -1. Each component joins the queue once, and one that
	// never does keeps an in-degree above 0.
	for i := 0; i < n; i++ {
		if indeg[i] == 0 {
			queue = append(queue, int32(i))
		}
	}
	for head := 0; head < len(queue); head++ {
		v := queue[head]
		indeg[v] = -1
		for _, w := range succ[off[v]:end[v]] {
			if indeg[w]--; indeg[w] == 0 {
				queue = append(queue, w)
			}
		}
	}
	start := -1
	for i := 0; i < n; i++ {
		if indeg[i] > 0 {
			start = i
			break
		}
	}
	if start < 0 {
		return
	}
	// DFS from start, successors in ascending id order, until a node on the
	// current path repeats.
	onPath := map[int]int{}
	var path []int
	v := start
	for {
		if at, ok := onPath[v]; ok {
			path = append(path[at:], v)
			break
		}
		onPath[v] = len(path)
		path = append(path, v)
		next := -1
		for _, w := range succ[off[v]:end[v]] {
			if indeg[w] > 0 && (next < 0 || int(w) < next) {
				next = int(w)
			}
		}
		if next < 0 {
			return
		}
		v = next
	}
	names := make([]string, len(path))
	for i, id := range path {
		names[i] = l.comps[id].Moniker
	}
	var labels []diag.Label
	for i := 0; i+1 < len(path); i++ {
		e := firstEdge(path[i], path[i+1])
		if e == nil || e.origin == nil {
			continue
		}
		at := l.realmOf(e.origin).at(l.keyedOf(e.origin).Node)
		if len(labels) == 0 {
			labels = append(labels, at.label("binding here participates in the cycle", true))
			continue
		}
		labels = append(labels, at.label(fmt.Sprintf("binding into %s.%s participates in the cycle", l.comps[e.to.comp].Moniker, e.to.name), false))
	}
	l.errorf(codes.DependencyCycle, "dependency cycle detected: "+strings.Join(names, " -> "), labels,
		"Break the cycle by removing or weakening at least one binding in the cycle.")
}

// scenario builds the linked scenario.
func (l *linker) scenario() *scenario.Scenario {
	s := &scenario.Scenario{Root: 0}
	for _, c := range l.comps {
		s.Components = append(s.Components, l.component(c))
	}
	for _, e := range l.edges {
		s.Bindings = append(s.Bindings, scenario.Binding{From: e.from(), To: scenario.Ref{Component: e.to.comp, Name: e.to.name}, Weak: e.weak})
	}
	s.Exports = append(s.Exports, l.exports...)
	sort.SliceStable(s.Exports, func(i, j int) bool { return s.Exports[i].Name < s.Exports[j].Name })
	return s
}

// Site is where something is written: a file (a local path or a URL, as
// diagnostics name it) and a span of it.
type Site struct {
	File string    // as Node.File names it
	Span diag.Span // byte offsets into File's text
}

// routes returns where the bindings of each edge's route are written, in
// the order of the scenario's bindings.
func (l *linker) routes() [][]Site {
	out := make([][]Site, len(l.edges))
	for i, e := range l.edges {
		if e.origin == nil {
			continue // an external root slot's edge
		}
		route := e.route()
		out[i] = make([]Site, 0, len(route)+1)
		for _, s := range append(route[:len(route):len(route)], e.origin) {
			out[i] = append(out[i], Site{File: l.realmOf(s).Node.File, Span: l.bindingOf(s).Node.Span()})
		}
	}
	return out
}
