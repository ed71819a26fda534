package linker

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// ref names a slot (or provide, resource) of a component by id.
type ref struct {
	comp int
	name string
}

// span is a located range in some manifest.
type span struct {
	file string
	at   diag.Span
}

func (s span) label(msg string, primary bool) diag.Label {
	return diag.Label{File: s.file, Span: s.at, Message: msg, Primary: primary}
}

// at locates a node of a component's manifest.
func (c *Component) at(n *json5.Node) span { return span{c.Node.File, c.Node.span(n)} }

// atKey locates a key of a component's manifest.
func (c *Component) atKey(k json5.Key) span { return span{c.Node.File, keySpan(k)} }

// cardinality is a slot range [min, max]; max < 0 is unbounded.
type cardinality struct{ min, max int }

var exactlyOne = cardinality{1, 1}

func slotRange(s *manifest.Slot) cardinality {
	r := cardinality{1, 1}
	if s.Optional {
		r.min = 0
	}
	if s.Multiple {
		r.max = -1
	}
	return r
}

// String renders a range as Amber does: `1`, `0..1`, `0..*`, `1..*`.
func (r cardinality) String() string {
	switch {
	case r.max < 0:
		return strconv.Itoa(r.min) + "..*"
	case r.min == r.max:
		return strconv.Itoa(r.min)
	}
	return strconv.Itoa(r.min) + ".." + strconv.Itoa(r.max)
}

// accepts reports whether a target range covers a source range.
func (r cardinality) accepts(s cardinality) bool {
	return r.min <= s.min && (r.max < 0 || (s.max >= 0 && r.max >= s.max))
}

// bindSource is the resolved upstream end of a binding.
type bindSource struct {
	kind scenario.SourceKind
	comp *Component // provide/resource owner, framework authority, or slot owner
	name string
	slot bool // kind is a component slot (to be routed further), not a provide
}

// spec is a binding that survived collection (linker.md §4.4), by ids
// and indexes: the specs of a link hold no pointer into it, so that the
// next link of the root may replay them (bindingsMemo) or share them
// whole (graphMemo).
type spec struct {
	realm, b int32 // the realm's id, and the binding's index in its manifest's bindings
	weak     bool  // the binding is weak
	slot     bool  // from is a component slot (to be routed further), not a provide
	target   ref
	from     scenario.Source
}

// realmOf returns the component whose manifest declares s.
func (l *linker) realmOf(s *spec) *Component { return l.comps[s.realm] }

// bindingOf returns the binding of s.
func (l *linker) bindingOf(s *spec) *manifest.Binding { return l.comps[s.realm].m.Bindings[s.b] }

// bindingKey is what Amber looks a binding's spans up by: its target, in
// its realm.
type bindingKey struct {
	realm  int // the realm's component id
	target manifest.RefKind
	child  string
	slot   string
}

func keyOf(r *Component, b *manifest.Binding) bindingKey {
	return bindingKey{r.ID, b.Target, b.TargetName, b.SlotName}
}

// keyed returns the binding whose spans Amber reports for binding b of
// realm r. Amber finds a binding's spans by its target, and the last
// binding of the realm into that slot wins (linker.md §9 quirk 3), so a
// diagnostic about one of several bindings into a `multiple` slot points
// at the last of them. Only duplicate_binding_target points at the
// bindings themselves.
func (l *linker) keyed(r *Component, b *manifest.Binding) *manifest.Binding {
	if l.lastBinding == nil {
		l.lastBinding = map[bindingKey]*manifest.Binding{}
	}
	key := keyOf(r, b)
	if last, ok := l.lastBinding[key]; ok {
		return last
	}
	// The realm's bindings are indexed at its first question.
	for _, o := range r.m.Bindings {
		l.lastBinding[keyOf(r, o)] = o
	}
	if last, ok := l.lastBinding[key]; ok {
		return last
	}
	return b
}

// keyedOf is keyed for the binding of spec s.
func (l *linker) keyedOf(s *spec) *manifest.Binding { return l.keyed(l.realmOf(s), l.bindingOf(s)) }

// edge is a binding edge of the linked scenario, with the spec it came from.
// An edge of a spec whose source is not a slot has no upstream of its own
// (up is nil: its source is the spec's); the others point at the upstream
// routing resolved them to (shared with the router's table, read only).
type edge struct {
	to     ref
	origin *spec     // nil for an external root slot's edge
	up     *upstream // the source and route, when not origin's own source
	weak   bool
}

// from is the edge's source.
func (e *edge) from() scenario.Source {
	if e.up != nil {
		return e.up.from
	}
	return e.origin.from
}

// route is the specs from the upstream end to origin, origin not included.
func (e *edge) route() []*spec {
	if e.up != nil {
		return e.up.route
	}
	return nil
}

// bindingSpans are the texts of a binding Amber points at.
func (c *Component) slotText(b *manifest.Binding) span {
	switch {
	case b.Slot != nil:
		return c.at(b.Slot.Node)
	case b.To != nil:
		return c.at(b.To.Node)
	}
	return c.at(b.Node)
}

func (c *Component) sourceText(b *manifest.Binding) span {
	switch {
	case b.Capability != nil:
		return c.at(b.Capability.Node)
	case b.From != nil:
		return c.at(b.From.Node)
	}
	return c.at(b.Node)
}

// exportEnd is where an export chain ends: a provide or a slot.
type exportEnd struct {
	comp *Component
	name string
	slot bool
}

// resolveExport follows export name of c through child export chains. On a
// broken chain it returns the component and export name where it broke.
func resolveExport(c *Component, name string) (exportEnd, *Component, string, bool) {
	for {
		if c.Node.Opaque { // not fetched: whatever it exports is taken on trust
			return exportEnd{c, name, false}, nil, "", true
		}
		x, ok := c.mm.exports[name]
		if !ok {
			return exportEnd{}, c, name, false
		}
		switch x.Kind {
		case manifest.ExportChild:
			child := c.child(x.Child)
			if child == nil {
				return exportEnd{}, c, name, false
			}
			c, name = child, x.Capability
		case manifest.ExportSlot:
			return exportEnd{c, x.Capability, true}, nil, "", true
		case manifest.ExportProvide:
			return exportEnd{c, x.Capability, false}, nil, "", true
		default: // bare or legacy self: a provide first, then a slot
			if _, ok := c.mm.provides[x.Capability]; ok {
				return exportEnd{c, x.Capability, false}, nil, "", true
			}
			return exportEnd{c, x.Capability, true}, nil, "", true
		}
	}
}

// exportHelp lists the exports of a component for help texts.
func exportHelp(c *Component) string {
	if len(c.mm.exports) == 0 {
		return "No exports are declared by " + c.describe() + ". Add an `exports: { ... }` entry, or fix the reference."
	}
	return "Valid exports on " + c.describe() + ": " + c.mm.exportNames()
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// nameList joins the first 20 names of m in sorted order, for a help text.
// A manifest's record keeps its lists (manifestMemo.slotNames and
// exportNames): a component's names are listed again for every wrong
// reference to it, and sorting them each time made n wrong references to
// a component of n names quadratic.
func nameList[V any](m map[string]V) string {
	names := keys(m)
	return strings.Join(names[:min(len(names), 20)], ", ")
}

// checkExportChains is linker.md §4.2.
func (l *linker) checkExportChains() {
	for _, r := range l.comps {
		for _, name := range r.mm.childExports {
			x := r.mm.exports[name]
			child := r.child(x.Child)
			if child == nil {
				continue
			}
			if _, q, broken, ok := resolveExport(child, x.Capability); !ok {
				l.errorf(codes.InvalidExport,
					fmt.Sprintf("invalid export `%s` on %s: target references non-exported `%s` on %s", name, r.describe(), broken, q.describe()),
					[]diag.Label{r.at(x.Target.Node).label("export declared here", true)}, exportHelp(q))
			}
		}
	}
}

// capabilityOf returns the capability of a resolved source.
func capabilityOf(s bindSource) (scenario.Capability, bool) {
	switch s.kind {
	case scenario.FromResource:
		r := s.comp.mm.resources[s.name]
		if r == nil {
			return scenario.Capability{}, false
		}
		return scenario.Capability{Kind: r.Kind.Value}, true
	case scenario.FromFramework:
		return scenario.Capability{Kind: s.name}, true
	}
	if s.slot {
		if sl := s.comp.mm.slots[s.name]; sl != nil {
			return slotCapability(sl), true
		}
		return scenario.Capability{}, false
	}
	if p := s.comp.mm.provides[s.name]; p != nil {
		return scenario.Capability{Kind: p.Kind.Value, Profile: optValue(p.Profile)}, true
	}
	return scenario.Capability{}, false
}

func slotCapability(s *manifest.Slot) scenario.Capability {
	return scenario.Capability{Kind: s.Kind.Value, Profile: optValue(s.Profile)}
}

func optValue(s *manifest.Str) *string {
	if s == nil {
		return nil
	}
	v := s.Value
	return &v
}

// authored is a binding as written in a realm's manifest.
type authored struct {
	realm *Component
	b     *manifest.Binding
}

// collectBindings is linker.md §4.4.
func (l *linker) collectBindings() {
	n := 0
	for _, r := range l.comps {
		n += len(r.m.Bindings)
	}
	// The first binding of each singular slot (by the declaration its name
	// finds): most components have one bound, kept by id as the index + 1
	// of the binding in the parent's manifest (a scratch table, from the
	// previous links'); more go to the map.
	type target struct {
		comp int
		slot *manifest.Slot
	}
	buf := int32Scratch.take(len(l.comps))
	defer int32Scratch.put(buf)
	firstByComp := *buf
	var more map[target]authored
	firstOf := func(comp int, slot *manifest.Slot) (authored, bool) {
		if i := firstByComp[comp]; i > 0 {
			c := l.comps[comp]
			if b := c.Parent.m.Bindings[i-1]; c.mm.slots[b.SlotName] == slot {
				return authored{c.Parent, b}, true
			}
		}
		a, ok := more[target{comp, slot}]
		return a, ok
	}
	setFirst := func(comp int, slot *manifest.Slot, i int) {
		if firstByComp[comp] == 0 {
			firstByComp[comp] = int32(i + 1)
			return
		}
		if more == nil {
			more = map[target]authored{}
		}
		more[target{comp, slot}] = authored{l.comps[comp].Parent, l.comps[comp].Parent.m.Bindings[i]}
	}
	// A realm with an opaque child skips the bindings into it, which is
	// not what a fetched child declaring nothing gets: not memoized.
	memoize := l.units != nil && !l.memo.m.off && !l.opaque
	if memoize {
		if g := l.sharedGraph(); g != nil {
			l.graph, l.specs = g, g.specs
			return
		}
	}
	l.allMemoized = memoize
	specs := make([]spec, 0, n) // never grown: the specs stay where they are made
	prev, at := l.memo.prev.realms, 0
	for _, r := range l.comps {
		if len(r.m.Bindings) == 0 {
			continue
		}
		if memoize {
			if bm := prevBindings(prev, &at, r.ID); bm != nil && bm.sameBindings(r) && l.declsAsBefore() {
				specs = append(specs, bm.specs...)
				l.memo.used.realms = append(l.memo.used.realms, realmBindings{r.ID, bm})
				continue
			}
		}
		// The realm is memoized when collecting its bindings reports
		// nothing, finds the child every binding names and reads no
		// parent's bindings (bindingsMemo).
		from, errs := len(specs), l.errCount
		l.forwarded = false
		named := true
		for i, b := range r.m.Bindings {
			child := r.child(b.TargetName)
			if b.Target != manifest.RefChild || child == nil {
				named = named && b.Target != manifest.RefChild
				continue // rejected by manifest validation
			}
			if child.Node.Opaque {
				continue // not fetched: its slots are unknown
			}
			slot := child.mm.slots[b.SlotName]
			if slot == nil {
				l.unknownSlot(r, child, b)
				continue
			}
			if !slot.Multiple {
				if prev, dup := firstOf(child.ID, slot); dup {
					l.errorf(codes.DuplicateBindingTarget,
						fmt.Sprintf("slot `%s` on %s is bound more than once", b.SlotName, child.Moniker),
						[]diag.Label{
							r.at(b.Node).label("duplicate binding here", true),
							prev.realm.at(prev.b.Node).label(fmt.Sprintf("first binding for `%s` on %s", b.SlotName, child.Moniker), false),
						},
						"Declare the slot with `multiple: true` or remove the duplicate binding.")
					continue
				}
				setFirst(child.ID, slot, i)
			}
			src, srcRange, ok := l.bindingSource(r, b)
			if !ok {
				named = named && (b.Source != manifest.RefChild || r.child(b.SourceName) != nil)
				continue
			}
			if !l.checkCapability(r, b, src, child, slot) || !l.checkRange(r, b, src, child, slot, srcRange) {
				continue
			}
			specs = append(specs, spec{realm: int32(r.ID), b: int32(i), weak: b.Weak, slot: src.slot, target: ref{child.ID, b.SlotName},
				from: scenario.Source{Kind: src.kind, Component: src.comp.ID, Name: src.name}})
		}
		var bm *bindingsMemo
		if memoize && named && !l.forwarded && l.errCount == errs {
			bm = recordBindings(r, specs[from:])
		}
		if bm == nil {
			l.allMemoized = false
			continue
		}
		l.memo.used.realms = append(l.memo.used.realms, realmBindings{r.ID, bm})
	}
	l.specs = specs
}

func (l *linker) unknownSlot(r, child *Component, b *manifest.Binding) {
	help := "No slots are declared on " + child.describe() + ". Declare slots in a `slots: { ... }` block, or fix the binding target."
	if len(child.mm.slots) > 0 {
		help = "Valid slots on " + child.describe() + ": " + child.mm.slotNames()
	}
	labels := []diag.Label{r.slotText(l.keyed(r, b)).label("binding references this slot", true)}
	if decl := r.m.Component(child.Node.Name); decl != nil {
		labels = append(labels, r.atKey(decl.Key).label(fmt.Sprintf("component `%s` declared on %s", child.Node.Name, r.describe()), false))
	}
	if v := child.m.Root.Get("slots"); v != nil {
		labels = append(labels, child.at(v).label("slots declared on "+child.describe(), false))
	}
	l.errorf(codes.UnknownSlot, fmt.Sprintf("unknown slot `%s` on %s", b.SlotName, child.describe()), labels, help)
}

// bindingSource resolves a binding's source and its range (§4.4 step 3).
func (l *linker) bindingSource(r *Component, b *manifest.Binding) (bindSource, cardinality, bool) {
	name := b.SourceCap
	switch b.Source {
	case manifest.RefProvides:
		return bindSource{kind: scenario.FromComponent, comp: r, name: name}, exactlyOne, true
	case manifest.RefSlots:
		return bindSource{kind: scenario.FromComponent, comp: r, name: name, slot: true}, l.effectiveRange(r, name), true
	case manifest.RefSelf:
		if _, ok := r.mm.slots[name]; ok {
			return bindSource{kind: scenario.FromComponent, comp: r, name: name, slot: true}, l.effectiveRange(r, name), true
		}
		return bindSource{kind: scenario.FromComponent, comp: r, name: name}, exactlyOne, true
	case manifest.RefResources:
		return bindSource{kind: scenario.FromResource, comp: r, name: name}, exactlyOne, true
	case manifest.RefFramework:
		return bindSource{kind: scenario.FromFramework, comp: r, name: name}, exactlyOne, true
	case manifest.RefChild:
		child := r.child(b.SourceName)
		if child == nil {
			return bindSource{}, cardinality{}, false
		}
		end, q, broken, ok := resolveExport(child, name)
		if !ok {
			l.errorf(codes.NotExported, fmt.Sprintf("`%s` is not exported by %s", broken, q.Moniker),
				[]diag.Label{r.sourceText(l.keyed(r, b)).label(fmt.Sprintf("missing export `%s`", broken), true)}, exportHelp(q))
			return bindSource{}, cardinality{}, false
		}
		if end.slot {
			rng := exactlyOne
			if s := end.comp.mm.slots[end.name]; s != nil {
				rng = slotRange(s)
			}
			return bindSource{kind: scenario.FromComponent, comp: end.comp, name: end.name, slot: true}, rng, true
		}
		return bindSource{kind: scenario.FromComponent, comp: end.comp, name: end.name}, exactlyOne, true
	}
	return bindSource{}, cardinality{}, false
}

// effectiveRange is the range of a component's own slot used as a binding
// source (§4.4): exactly one when the parent feeds it exactly one.
func (l *linker) effectiveRange(r *Component, name string) cardinality {
	s := r.mm.slots[name]
	if s == nil {
		return exactlyOne
	}
	declared := slotRange(s)
	if declared == exactlyOne || r.Parent == nil {
		return declared
	}
	l.forwarded = true // what follows reads the parent's bindings
	p := r.Parent
	for _, b := range p.m.Bindings {
		if b.Weak || b.Target != manifest.RefChild || b.TargetName != r.Node.Name || b.SlotName != name {
			continue
		}
		switch b.Source {
		case manifest.RefProvides, manifest.RefResources, manifest.RefFramework:
			return exactlyOne
		case manifest.RefSlots:
			if l.effectiveRange(p, b.SourceCap) == exactlyOne {
				return exactlyOne
			}
		case manifest.RefSelf:
			if _, isSlot := p.mm.slots[b.SourceCap]; !isSlot || l.effectiveRange(p, b.SourceCap) == exactlyOne {
				return exactlyOne
			}
		case manifest.RefChild:
			if child := p.child(b.SourceName); child != nil {
				if end, _, _, ok := resolveExport(child, b.SourceCap); ok {
					if !end.slot {
						return exactlyOne
					}
					if es := end.comp.mm.slots[end.name]; es != nil && slotRange(es) == exactlyOne {
						return exactlyOne
					}
				}
			}
		}
		return declared
	}
	return declared
}

// checkCapability is §4.4 step 4.
func (l *linker) checkCapability(r *Component, b *manifest.Binding, src bindSource, child *Component, slot *manifest.Slot) bool {
	want := slotCapability(slot)
	got, ok := capabilityOf(src)
	if !ok || want.Equal(got) {
		return true
	}
	at := r.at(l.keyed(r, b).Node)
	if src.kind == scenario.FromFramework {
		at = r.sourceText(l.keyed(r, b))
	}
	slotAt := child.at(slot.Kind.Node)
	if slot.Kind.Node == nil {
		slotAt = child.at(slot.Node)
	}
	labels := []diag.Label{
		at.label(fmt.Sprintf("binding provides `%s` to slot expecting `%s`", got, want), true),
		slotAt.label(fmt.Sprintf("slot `%s` declared on %s", b.SlotName, child.Moniker), false),
	}
	switch {
	case src.kind == scenario.FromResource:
		labels = append(labels, span{src.comp.Node.File, diag.Span{}}.label(fmt.Sprintf("resource `resources.%s` declared on %s", src.name, src.comp.Moniker), false))
	case src.kind == scenario.FromFramework:
	case src.slot:
		if sl := src.comp.mm.slots[src.name]; sl != nil {
			labels = append(labels, src.comp.at(sl.Kind.Node).label(fmt.Sprintf("slot `%s` declared on %s", src.name, src.comp.Moniker), false))
		}
	default:
		if p := src.comp.mm.provides[src.name]; p != nil {
			labels = append(labels, src.comp.at(p.Kind.Node).label(fmt.Sprintf("provide `%s` declared on %s", src.name, src.comp.Moniker), false))
		}
	}
	l.errorf(codes.TypeMismatch,
		fmt.Sprintf("type mismatch for slot `%s.%s`: expected %s, got %s", child.Moniker, b.SlotName, want, got), labels,
		fmt.Sprintf("Bind a capability of type `%s` to `%s.%s`, or change the slot/capability `kind`/`profile` so they match.", want, child.Moniker, b.SlotName))
	return false
}

// checkRange is §4.4 step 5.
func (l *linker) checkRange(r *Component, b *manifest.Binding, from bindSource, child *Component, slot *manifest.Slot, src cardinality) bool {
	target := slotRange(slot)
	if b.Weak {
		target.min = 0
	}
	if target.accepts(src) {
		return true
	}
	labels := []diag.Label{
		r.at(l.keyed(r, b).Node).label(fmt.Sprintf("binding forwards %s into slot accepting %s", src, target), true),
		child.at(slot.Kind.Node).label(fmt.Sprintf("target slot `%s` declared on %s", b.SlotName, child.Moniker), false),
	}
	if from.slot {
		if sl := from.comp.mm.slots[from.name]; sl != nil {
			labels = append(labels, from.comp.at(sl.Kind.Node).label(fmt.Sprintf("source slot `%s` declared on %s", from.name, from.comp.Moniker), false))
		}
	}
	l.errorf(codes.SlotRangeMismatch,
		fmt.Sprintf("slot range mismatch for `%s.%s`: target accepts %s, source may provide %s", child.Moniker, b.SlotName, target, src), labels,
		"The target slot range must cover the source slot range. Adjust `optional`/`multiple` on the source or target slot so the forwarded fan-in is always valid.")
	return false
}
