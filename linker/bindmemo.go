package linker

import (
	"slices"
	"strconv"

	"github.com/amberlsp/amber-lsp/manifest"
)

// The bindings memo keeps, for each realm of a root's latest link, what
// collecting its bindings found (collectBindings), when that reported
// nothing: the specs, by binding index and component id. The next link of
// the root replays them instead of looking every binding's target, slot,
// source and export chain up again, when what collecting them reads is
// provably the same:
//
//   - the main tree has the shape of the previous link's (every component
//     has the moniker of the component at its id in the previous link), so
//     names resolve to the same ids, and no node is opaque;
//   - every component declares the same slots, provides, resources and
//     exports as the component at its id in the previous link (its
//     manifest analysis is the same, or its declSig is);
//   - the realm's bindings have the same fields as those the memo collected.
//
// A realm whose collection reported a diagnostic, found a binding naming
// no child, or read the bindings of its parent (a slot forwarded as a
// source: effectiveRange) is not memoized.

// bindingsMemo is what collecting one realm's bindings found. Read only.
// Its strings may share the text of the manifest version that recorded
// it: one text per realm of a live root, while the memo is replayed.
type bindingsMemo struct {
	binds []bindFields // the realm's bindings, as collected
	specs []spec       // the specs they made, in order
}

// realmBindings is the bindings memo of the realm with component id id.
type realmBindings struct {
	id int
	bm *bindingsMemo
}

// prevBindings returns the bindings memo of realm id in the root's
// previous link, or nil; realms are asked for in id order, from *at on
// in prev, which it advances.
func prevBindings(prev []realmBindings, at *int, id int) *bindingsMemo {
	for *at < len(prev) && prev[*at].id < id {
		*at++
	}
	if *at < len(prev) && prev[*at].id == id {
		return prev[*at].bm
	}
	return nil
}

// bindFields are the fields of a binding that collecting it reads.
type bindFields struct {
	target, source                        manifest.RefKind
	weak                                  bool
	targetName, slotName, sourceName, cap string
}

func fieldsOf(b *manifest.Binding) bindFields {
	return bindFields{target: b.Target, source: b.Source, weak: b.Weak,
		targetName: b.TargetName, slotName: b.SlotName, sourceName: b.SourceName, cap: b.SourceCap}
}

// sameBindings reports whether bs have the fields the memo collected.
func (bm *bindingsMemo) sameBindings(bs []*manifest.Binding) bool {
	if len(bs) != len(bm.binds) {
		return false
	}
	for i, b := range bs {
		if fieldsOf(b) != bm.binds[i] {
			return false
		}
	}
	return true
}

// recordBindings returns the memo of realm r, whose collected specs are
// made.
func recordBindings(r *Component, made []spec) *bindingsMemo {
	bm := &bindingsMemo{binds: make([]bindFields, len(r.m.Bindings)), specs: slices.Clone(made)}
	for i, b := range r.m.Bindings {
		bm.binds[i] = fieldsOf(b)
	}
	return bm
}

// graphMemo is the graph of a link in which every realm's specs are those
// of its bindingsMemo and routing reported nothing: its specs, and the
// edges and external root slots routing made of them. The next link of
// the root shares it when its realms have the same bindings memos (so the
// same specs) and every component declares what it declared (routing
// reads the slots of every component, and whether the root has a
// program). Read only; the slices are clipped, so that appending to them
// copies.
type graphMemo struct {
	specs    []spec
	edges    []edge
	external map[string]bool
}

// sharedGraph returns the previous link's graph when this link's specs
// are its specs (see graphMemo), giving every realm its bindings memo;
// nil otherwise.
func (l *linker) sharedGraph() *graphMemo {
	g := l.memo.prev.graph
	if g == nil || l.units == nil || !l.declsAsBefore() {
		return nil
	}
	// The realms are those of the previous link, each with the bindings
	// of its memo.
	prev, k := l.memo.prev.realms, 0
	for _, c := range l.comps {
		if len(c.m.Bindings) == 0 {
			continue
		}
		if k == len(prev) || prev[k].id != c.ID || !prev[k].bm.sameBindings(c.m.Bindings) {
			return nil
		}
		k++
	}
	if k != len(prev) {
		return nil
	}
	l.memo.used.realms = slices.Clip(prev)
	return g
}

// declsAsBefore reports whether the main tree has the shape of the root's
// previous link, no opaque node, and every component declares what the
// component at its id declared there (see bindingsMemo); computed once.
func (l *linker) declsAsBefore() bool {
	if l.asBefore == 0 {
		l.asBefore = -1
		if l.computeDeclsAsBefore() {
			l.asBefore = 1
		}
	}
	return l.asBefore > 0
}

func (l *linker) computeDeclsAsBefore() bool {
	if !l.sameShape || l.opaque || l.memo.m.off || len(l.prev) != len(l.comps) {
		return false
	}
	for _, c := range l.comps {
		prev := l.prev[c.ID].lints
		if prev == nil {
			return false
		}
		if prev.key.res == c.Node.Result {
			continue
		}
		was := l.memo.manifestOf(prev.key.res)
		if was == nil || was.declSig() != c.mm.declSig() {
			return false
		}
	}
	return true
}

// manifestOf returns the record of a manifest analysis the memo holds, or
// nil.
func (s *session) manifestOf(res *manifest.Result) *manifestMemo {
	if mm := s.manifests[res]; mm != nil {
		return mm
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	if c := s.m.tables.manifests.m[res]; c != nil {
		return c.val
	}
	return nil
}

// declSig renders what collecting bindings and routing read of a
// manifest's declarations: its slots, provides, resources and exports, in
// declaration order (equal renderings, equal first declarations by name),
// and whether it has a program.
func (mm *manifestMemo) declSig() string { return mm.sig() }

func newDeclSig(m *manifest.Manifest) string {
	var b []byte
	str := func(s string) { b = strconv.AppendQuote(b, s) }
	opt := func(s *manifest.Str) {
		if s == nil {
			b = append(b, '-')
			return
		}
		str(s.Value)
	}
	flag := func(f bool) { b = strconv.AppendBool(b, f) }
	for _, s := range m.Slots {
		b = append(b, 's')
		str(s.Name)
		str(s.Kind.Value)
		opt(s.Profile)
		flag(s.Optional)
		flag(s.Multiple)
	}
	for _, p := range m.Provides {
		b = append(b, 'p')
		str(p.Name)
		str(p.Kind.Value)
		opt(p.Profile)
	}
	for _, r := range m.Resources {
		b = append(b, 'r')
		str(r.Name)
		str(r.Kind.Value)
	}
	if m.Program != nil {
		b = append(b, 'P') // routing resolves the root's slots when it has a program
	}
	for _, x := range m.Exports {
		b = append(b, 'x')
		str(x.Name)
		b = strconv.AppendInt(b, int64(x.Kind), 10)
		str(x.Child)
		str(x.Capability)
	}
	return string(b)
}
