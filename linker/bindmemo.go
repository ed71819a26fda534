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
//   - the realm's bindings are as many as those the memo collected, and
//     their text (from the first's start to the last's end) is the same:
//     equal texts decode to equal bindings (the same property lets an
//     analysis reuse the entries of its previous version, manifest/reuse.go).
//
// A realm whose collection reported a diagnostic, found a binding naming
// no child, or read the bindings of its parent (a slot forwarded as a
// source: effectiveRange) is not memoized.

// bindingsMemo is what collecting one realm's bindings found. Read only.
// The names in its specs are substrings of the source of the manifest
// version that recorded it, which they keep alive while the memo is
// replayed: one text per realm of a live root.
type bindingsMemo struct {
	text  string // the text of the realm's bindings (bindingsText)
	n     int    // the number of bindings
	specs []spec // the specs they made, in order (shared with the link that made them)
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

// bindingsText returns the text of a realm's bindings, from the start of
// the first to the end of the last; false when it cannot be told.
func bindingsText(r *Component) ([]byte, bool) {
	bs, res := r.m.Bindings, r.Node.Result
	if len(bs) == 0 || res == nil || res.Syntax == nil || bs[0].Node == nil || bs[len(bs)-1].Node == nil {
		return nil, false
	}
	start, end := bs[0].Node.Start, bs[len(bs)-1].Node.End
	if start < 0 || start > end || end > len(res.Syntax.Src) {
		return nil, false
	}
	return res.Syntax.Src[start:end], true
}

// sameBindings reports whether realm r has the bindings the memo
// collected: as many, written with the same text.
func (bm *bindingsMemo) sameBindings(r *Component) bool {
	text, ok := bindingsText(r)
	return ok && len(r.m.Bindings) == bm.n && string(text) == bm.text
}

// recordBindings returns the memo of realm r, whose collected specs are
// made (read only from now on: the memo shares them), or nil when its
// bindings' text cannot be told.
func recordBindings(r *Component, made []spec) *bindingsMemo {
	text, ok := bindingsText(r)
	if !ok {
		return nil
	}
	return &bindingsMemo{text: string(text), n: len(r.m.Bindings), specs: slices.Clip(made)}
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
		if k == len(prev) || prev[k].id != c.ID || !prev[k].bm.sameBindings(c) {
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
