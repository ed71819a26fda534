package linker

import (
	"sort"

	"github.com/amberlsp/amber-lsp/linker/program"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
)

// optimize runs Amber's MIR optimisation (linker.md §7) on a copy of the
// linked scenario: canonical bindings, flattening of pure routing
// components and dead-code elimination. Component ids never change; removed
// components leave holes.
func (l *linker) optimize(linked *scenario.Scenario) *scenario.Scenario {
	s := cloneScenario(linked)
	l.canonicalize(s)
	sortScenario(s)
	l.flattenRouting(s)
	sortScenario(s)
	l.eliminateDeadCode(s)
	sortScenario(s)
	return s
}

// cloneScenario copies the parts optimisation changes.
func cloneScenario(s *scenario.Scenario) *scenario.Scenario {
	out := &scenario.Scenario{Root: s.Root, Bindings: append([]scenario.Binding(nil), s.Bindings...), Exports: append([]scenario.Export(nil), s.Exports...)}
	for _, c := range s.Components {
		if c == nil {
			out.Components = append(out.Components, nil)
			continue
		}
		cc := *c
		cc.Children = append([]int(nil), c.Children...)
		cc.Slots = copyMap(c.Slots)
		cc.Provides = copyMap(c.Provides)
		out.Components = append(out.Components, &cc)
	}
	return out
}

func copyMap[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// sortScenario sorts children by moniker and exports by name.
func sortScenario(s *scenario.Scenario) {
	for _, c := range s.Components {
		if c == nil {
			continue
		}
		sort.SliceStable(c.Children, func(i, j int) bool {
			return s.Components[c.Children[i]].Moniker < s.Components[c.Children[j]].Moniker
		})
	}
	sort.SliceStable(s.Exports, func(i, j int) bool { return s.Exports[i].Name < s.Exports[j].Name })
}

// forward is a routing binding "child slot <- own slot".
type forward struct {
	to   ref
	weak bool
}

// canonicalize is §7 step 1: edges into program-less components are
// forwarded along routing bindings to the components that consume them.
func (l *linker) canonicalize(s *scenario.Scenario) {
	fwd := map[ref][]forward{}
	for i := range l.specs {
		if sp := &l.specs[i]; sp.slot && sp.from.Component == int(sp.realm) {
			from := ref{sp.from.Component, sp.from.Name}
			fwd[from] = append(fwd[from], forward{sp.target, sp.weak})
		}
	}
	hasProgram := func(id int) bool { c := s.Component(id); return c != nil && c.Program != nil }
	var out []scenario.Binding
	index := map[[2]string]int{}
	add := func(b scenario.Binding) {
		key := [2]string{string(scenario.MustEncode(b.From)), string(scenario.MustEncode(b.To))}
		if i, ok := index[key]; ok {
			out[i].Weak = out[i].Weak && b.Weak
			return
		}
		index[key] = len(out)
		out = append(out, b)
	}
	for _, b := range s.Bindings {
		if hasProgram(b.To.Component) {
			add(b)
		}
	}
	for _, b := range s.Bindings {
		if hasProgram(b.To.Component) {
			continue
		}
		start := ref{b.To.Component, b.To.Name}
		var finals []forward
		visiting := map[ref]bool{}
		var walk func(at ref, weak bool)
		walk = func(at ref, weak bool) {
			next := fwd[at]
			if hasProgram(at.comp) || len(next) == 0 || visiting[at] {
				finals = append(finals, forward{at, weak})
				return
			}
			visiting[at] = true
			for _, f := range next {
				walk(f.to, weak || f.weak)
			}
			visiting[at] = false
		}
		walk(start, b.Weak)
		for _, f := range finals {
			add(scenario.Binding{From: b.From, To: scenario.Ref{Component: f.to.comp, Name: f.to.name}, Weak: f.weak})
		}
	}
	s.Bindings = out
}

// flattenRouting is §7 step 2: pure routing components are removed and
// their children re-parented to the nearest kept ancestor.
func (l *linker) flattenRouting(s *scenario.Scenario) {
	referenced := map[int]bool{}
	for _, b := range s.Bindings {
		referenced[b.To.Component] = true
		if b.From.Kind == scenario.FromComponent || b.From.Kind == scenario.FromResource {
			referenced[b.From.Component] = true
		}
	}
	for _, e := range s.Exports {
		referenced[e.From.Component] = true
	}
	removed := map[int]bool{}
	for _, c := range l.comps {
		sc := s.Component(c.ID)
		if sc == nil || c.Parent == nil || referenced[c.ID] || !l.pureRouting(c, sc) {
			continue
		}
		removed[c.ID] = true
	}
	if len(removed) == 0 {
		return
	}
	keptParent := func(id int) int {
		p := s.Components[id].Parent
		for p >= 0 && removed[p] {
			p = s.Components[p].Parent
		}
		return p
	}
	for _, c := range s.Components {
		if c != nil && !removed[c.ID] && c.Parent >= 0 && removed[c.Parent] {
			c.Parent = keptParent(c.ID)
		}
	}
	for id := range removed {
		s.Components[id] = nil
	}
	for _, c := range s.Components {
		if c == nil {
			continue
		}
		c.Children = c.Children[:0]
	}
	for _, c := range s.Components {
		if c != nil && c.Parent >= 0 {
			p := s.Components[c.Parent]
			p.Children = append(p.Children, c.ID)
		}
	}
}

// pureRouting reports whether a component only routes slots to children.
func (l *linker) pureRouting(c *Component, sc *scenario.Component) bool {
	m := c.m
	if sc.Program != nil || sc.Config != nil || sc.ConfigSchema != nil || sc.Metadata != nil ||
		len(sc.Provides) > 0 || len(sc.Resources) > 0 || len(m.ChildTemplates) > 0 || len(m.Overlays) > 0 || len(c.Children) == 0 {
		return false
	}
	for _, sl := range m.Slots {
		if sl.Kind.Value == scenario.KindComponent {
			return false
		}
	}
	for _, x := range m.Exports {
		if end, _, _, ok := resolveExport(c, x.Name); ok && end.slot {
			if sl := end.comp.mm.slots[end.name]; sl != nil && sl.Kind.Value == scenario.KindComponent {
				return false
			}
		}
	}
	if len(m.Slots) == 0 && len(m.Bindings) == 0 {
		return true
	}
	forwarded := map[string]bool{}
	for _, b := range m.Bindings {
		if b.Target != manifest.RefChild {
			return false
		}
		if !(b.Source == manifest.RefSlots || (b.Source == manifest.RefSelf && c.mm.slots[b.SourceCap] != nil)) {
			return false
		}
		if sl := c.mm.slots[b.SourceCap]; sl != nil && sl.Kind.Value == scenario.KindComponent {
			return false
		}
		forwarded[b.SourceCap] = true
	}
	for _, sl := range m.Slots {
		if !forwarded[sl.Name] {
			return false
		}
	}
	return true
}

// eliminateDeadCode is §7 step 3.
func (l *linker) eliminateDeadCode(s *scenario.Scenario) {
	kept := map[int]bool{s.Root: true}
	liveProgram := map[int]bool{}
	liveSlot := map[ref]bool{}
	liveProvide := map[ref]bool{}
	liveEdge := map[int]bool{}
	var work []func()

	keep := func(id int) {
		for id >= 0 && !kept[id] {
			kept[id] = true
			id = s.Components[id].Parent
		}
	}
	var markProgram, markSlot, markProvide func(id int, name string)
	markProgram = func(id int, _ string) {
		c := s.Component(id)
		if c == nil || c.Program == nil || liveProgram[id] {
			return
		}
		liveProgram[id] = true
		keep(id)
		use := program.UsedSlots(c.Program)
		for name := range c.Slots {
			if use.All || use.Uses(name) {
				n := name
				work = append(work, func() { markSlot(id, n) })
			}
		}
	}
	markSlot = func(id int, name string) {
		r := ref{id, name}
		if liveSlot[r] {
			return
		}
		liveSlot[r] = true
		keep(id)
		for i, b := range s.Bindings {
			if b.To.Component != id || b.To.Name != name {
				continue
			}
			liveEdge[i] = true
			switch b.From.Kind {
			case scenario.FromComponent:
				from := b.From
				work = append(work, func() { markProvide(from.Component, from.Name) })
			case scenario.FromResource:
				keep(b.From.Component)
			}
		}
	}
	markProvide = func(id int, name string) {
		r := ref{id, name}
		if liveProvide[r] {
			return
		}
		liveProvide[r] = true
		keep(id)
		work = append(work, func() { markProgram(id, "") })
	}
	for _, e := range s.Exports {
		markProvide(e.From.Component, e.From.Name)
	}
	for _, b := range s.Bindings {
		if b.From.Kind != scenario.FromExternal {
			continue
		}
		if b.To.Component == s.Root {
			markProgram(s.Root, "") // a root program with external slots
		}
		c := s.Component(b.To.Component)
		if c == nil || c.Program == nil {
			continue
		}
		if use := program.UsedSlots(c.Program); use.All || use.Uses(b.To.Name) {
			markProgram(c.ID, "")
		}
	}
	for _, c := range l.comps {
		if len(c.m.ChildTemplates) == 0 {
			continue
		}
		var subtree func(c *Component)
		subtree = func(c *Component) {
			markProgram(c.ID, "")
			keep(c.ID)
			for _, ch := range c.Children {
				subtree(ch)
			}
		}
		subtree(c)
	}
	for len(work) > 0 {
		w := work[0]
		work = work[1:]
		w()
	}
	for id, c := range s.Components {
		if c == nil {
			continue
		}
		if !kept[id] {
			s.Components[id] = nil
			continue
		}
		if !liveProgram[id] {
			c.Program = nil
			for name := range c.Slots {
				if !liveSlot[ref{id, name}] {
					delete(c.Slots, name)
				}
			}
			for name := range c.Provides {
				if !liveProvide[ref{id, name}] {
					delete(c.Provides, name)
				}
			}
		}
	}
	var edges []scenario.Binding
	for i, b := range s.Bindings {
		if !liveEdge[i] || !kept[b.To.Component] {
			continue
		}
		if b.From.Kind != scenario.FromExternal && !kept[b.From.Component] {
			continue
		}
		edges = append(edges, b)
	}
	s.Bindings = edges
	for _, c := range s.Components {
		if c == nil {
			continue
		}
		var children []int
		for _, ch := range c.Children {
			if s.Components[ch] != nil {
				children = append(children, ch)
			}
		}
		c.Children = children
	}
}
