package manifest

import (
	"bytes"
	"slices"
	"sort"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Incremental decoding.
//
// An editor analyzes a manifest once per keystroke, and a keystroke
// changes one entry of one section: decoding the thousands of entries it
// did not touch again would cost most of the analysis. So AnalyzeWith,
// given the Result of an earlier version of the same file
// (Options.Previous), reuses what that version decoded, entry by entry,
// in the sections that grow with the manifest: `components`, `use`,
// `environments`, `slots`, `provides`, `resources`, `bindings` and
// `exports`. Everything else (the root, `program`, `config_schema`, ...),
// the validation and the lints run as on a fresh analysis; they are
// cheaper than decoding, and several of them read across sections.
//
// What is reused is decided by text, not by position: an entry (the text
// from a member's key to the end of its value, or an element's text) whose
// text is the text of the prior version's entry at the same place parses
// to a tree of the same shape, and decodes to the same value, except for
// the nodes the value points at. The entries of a section are lined up
// with the prior version's from both ends (lineup): those before the edit
// keep their index, those after it keep their distance to the end, and
// the ones in between are decoded. A reused entry whose syntax node is
// the prior's very node (json5.Reparse shares the nodes before an edit,
// and the nodes after an edit that kept the length), at the same index
// for an element, is the prior's value itself; any other is a copy whose
// nodes are those of the new tree at the same place and whose strings are
// the new tree's (mover), so that the Manifest points only into its own
// tree, exactly as a fresh decode's does. A section whose node is the
// prior's node, decoded without a problem, is reused whole. The copies
// come from chunks (arena), so moving thousands of entries after an edit
// that changed the length costs a few allocations.
//
// Moving an entry costs a comparison of its text and a copy of its value;
// decoding it costs a walk of its tree with the checks of every field,
// paths and many small allocations. When the prior's section decoded
// without a problem, its entries and decoded values pair one for one and
// its keys are distinct, so the entries lined up with it are taken by
// index, and only the entries in between are looked up for repeated keys
// (readTableAround).
//
// Validation runs on the new Manifest, whose checks read across sections
// (bindings name children, exports name slots), with the children indexed
// by name once (the index shared with the prior while the children keep
// their names). The checks that grow with the children, of their names
// and of the bindings, take what the prior's validation found for what
// did not change, when what else they read did not change either
// (validated).
//
// Entries whose decoding found a problem (a shape error, a draft
// spelling, a bad token in a JSON value) are never reused: their
// diagnostics carry paths and spans. Every other entry decodes without
// consulting the decoder's state, so the diagnostics of a partly reused
// decode are a fresh decode's, in the same order, under the same budget.
//
// A version that does not decode (a syntax error) lends nothing: the
// version after it decodes afresh. Lending the last version that decoded
// instead would keep its tree alive beside the current one through every
// keystroke of broken text (a tree of the 10k-line benchmark manifest is
// about 10 MB), and moving its entries onto each broken tree costs more
// than the one fresh decode it saves. A Result's prior is its own decode:
// it points only into the Result's own tree and text, and holds nothing
// more than the Result does but the set of entries with problems.

// prior is what an analysis lends the analysis of a later version of the
// same file: the manifest it decoded, from the text src, and the entries
// and sections whose decoding found a problem (by value node).
type prior struct {
	src   []byte
	m     *Manifest
	dirty map[*json5.Node]bool
	// validated is what validation found that the next version's may
	// take; nil when validation did not run its checks.
	validated *validated
	// reused is the number of entries the decode took from its own prior,
	// for tests.
	reused int
}

// validated is what the validation of one version found that the
// validation of the next takes instead of checking again (see
// validator.was), for the checks that grow with the children:
//
//   - checkNames of the children reads only their names, so with the same
//     names a version whose children had no dotted name tells that this
//     one has none;
//   - a binding's checks read the binding's own fields, which its
//     element's text decides, and besides them only the names of the
//     children, slots, provides and resources and the experimental
//     features. So when those are as they were, a binding whose element
//     has the text of a prior element (lineup) that the prior's checks did
//     not report is clean without a check; the others are checked, so
//     that what is reported (and where) is a fresh check's.
type validated struct {
	dottedChildren bool
	// reported are the element indexes of the bindings checkBindings
	// reported, increasing; bindingsChecked says it ran.
	reported        []int32
	bindingsChecked bool
	// checked is the number of bindings checked, for tests.
	checked int
}

// was returns what the validation of the prior version found when it
// holds for this version's children: the prior was validated, and its
// children have this version's names in the same order. Otherwise nil.
func (v *validator) was() *validated {
	if v.prev == nil || !v.sameChildren {
		return nil
	}
	return v.prev.validated
}

// priorBindings returns what the prior's checks of its bindings found when
// it holds for this version's bindings: the prior checked its bindings
// under the same children, `bindings` lines up with the prior's, and the
// slots, provides, resources and features are as they were. Otherwise
// nil.
func (v *validator) priorBindings() *validated {
	was := v.was()
	if was == nil || !was.bindingsChecked || v.bindings == nil {
		return nil
	}
	pm, m := v.prev.m, v.m
	str := func(s Str) string { return s.Value }
	if !sameNames(m.Slots, pm.Slots, func(s *Slot) string { return s.Name }) ||
		!sameNames(m.Provides, pm.Provides, func(p *Provide) string { return p.Name }) ||
		!sameNames(m.Resources, pm.Resources, func(r *Resource) string { return r.Name }) ||
		!sameNames(m.ExperimentalFeatures, pm.ExperimentalFeatures, str) {
		return nil
	}
	return was
}

// clean reports whether element i of the new `bindings`, lined up with the
// prior's by l, has the text of a prior element that checks did not
// report. A nil validated knows nothing.
func (c *validated) clean(l *lineup, i int) bool {
	if c == nil {
		return false
	}
	j := l.old(i)
	if j < 0 {
		return false
	}
	_, found := slices.BinarySearch(c.reported, int32(j))
	return !found
}

// sameNames reports whether a and b name the same things in the same
// order.
func sameNames[T any](a, b []T, name func(T) string) bool {
	return slices.EqualFunc(a, b, func(x, y T) bool { return name(x) == name(y) })
}

// markDirty records that decoding the entry or section with value node n
// found a problem.
func (d *decoder) markDirty(n *json5.Node) {
	if d.dirty == nil {
		d.dirty = map[*json5.Node]bool{}
	}
	d.dirty[n] = true
}

// lineup pairs the entries of a section of the new tree (an object's
// members or an array's elements) with those of the same section of the
// prior version: the first head entries of both have the same text, and so
// do the last tail.
type lineup struct {
	wasSrc, nowSrc []byte
	was, now       *json5.Node
	head, tail     int
}

// count returns the number of entries of section n.
func count(n *json5.Node) int {
	if n.Kind == json5.Object {
		return len(n.Members)
	}
	return len(n.Elems())
}

// entryText returns the text of entry i of section n: a member from its
// key to the end of its value, or an element.
func entryText(src []byte, n *json5.Node, i int) []byte {
	if n.Kind == json5.Object {
		m := n.Members[i]
		return src[m.Key.Start:m.Value.End]
	}
	e := n.Elems()[i]
	return src[e.Start:e.End]
}

// value returns the value node of entry i of section n.
func value(n *json5.Node, i int) *json5.Node {
	if n.Kind == json5.Object {
		return n.Members[i].Value
	}
	return n.Elems()[i]
}

// same reports whether entry i of the new section has the text of entry j
// of the prior one: trivially when it is the same member or element.
func (l *lineup) same(i, j int) bool {
	if l.now.Kind == json5.Object {
		if l.now.Members[i] == l.was.Members[j] {
			return true
		}
	} else if l.now.Elems()[i] == l.was.Elems()[j] {
		return true
	}
	return bytes.Equal(entryText(l.nowSrc, l.now, i), entryText(l.wasSrc, l.was, j))
}

// newLineup lines up the entries of section now (in text nowSrc) with
// those of was (in wasSrc); both are objects or both arrays.
func newLineup(wasSrc []byte, was *json5.Node, nowSrc []byte, now *json5.Node) lineup {
	l := lineup{wasSrc: wasSrc, nowSrc: nowSrc, was: was, now: now}
	nw, nn := count(was), count(now)
	for l.head < min(nw, nn) && l.same(l.head, l.head) {
		l.head++
	}
	for l.tail < min(nw, nn)-l.head && l.same(nn-1-l.tail, nw-1-l.tail) {
		l.tail++
	}
	return l
}

// old returns the index of the prior entry paired with new entry i, or -1.
func (l *lineup) old(i int) int {
	nn := count(l.now)
	switch {
	case i < l.head:
		return i
	case i >= nn-l.tail:
		return i - nn + count(l.was)
	}
	return -1
}

// reuse lends the decoded entries of one section of the prior version to
// the decode of the same section of the new one. A nil reuse lends
// nothing.
type reuse[T comparable] struct {
	lineup
	decls []T // the prior's decoded entries of the section, in source order
	node  func(T) *json5.Node
	dirty map[*json5.Node]bool
	k     int // decls[:k] lie before the entries still to be asked for
}

// newReuse returns the reuse of section key of the prior version for
// section now of the text being decoded, whose entries that version
// decoded to decls; nil when there is no prior or it has no such section
// of the same kind.
func newReuse[T comparable](d *decoder, key string, now *json5.Node, decls []T, node func(T) *json5.Node) *reuse[T] {
	pr := d.prev
	if pr == nil {
		return nil
	}
	was := pr.m.Root.Get(key)
	if was == nil || was.Kind != now.Kind || (now.Kind != json5.Object && now.Kind != json5.Array) {
		return nil
	}
	return &reuse[T]{lineup: newLineup(pr.src, was, d.src, now), decls: decls, node: node, dirty: pr.dirty}
}

// whole reports whether the section is the prior's very node, which
// decoded without a problem: its entries are the prior's.
func (r *reuse[T]) whole() bool {
	return r != nil && r.was == r.now && !r.dirty[r.was]
}

// get returns the prior's decoded value of entry i of the new section and
// the prior entry's index, when the two have the same text and decoding
// the prior entry found no problem. Entries are asked for in order.
func (r *reuse[T]) get(i int) (T, int, bool) {
	var zero T
	if r == nil {
		return zero, -1, false
	}
	j := r.old(i)
	if j < 0 {
		return zero, -1, false
	}
	n := value(r.was, j)
	if r.dirty[n] {
		return zero, -1, false
	}
	for r.k < len(r.decls) {
		dn := r.node(r.decls[r.k])
		if dn == n {
			return r.decls[r.k], j, true
		}
		if dn.Start > n.Start {
			break
		}
		r.k++
	}
	return zero, -1, false
}

// readTable reads a root table (see table), reusing the prior's entries
// through r: the prior's value itself for the very same member, else a
// copy made by rebase, which reports false when it cannot make one.
// decode reads an entry afresh and returns zero for an entry it drops.
func readTable[T comparable](d *decoder, n *json5.Node, p path, r *reuse[T],
	decode func(e *json5.Member, p path) T, rebase func(mv *mover, old T, e *json5.Member) (T, bool)) []T {
	d.sameKeys = false
	if r.whole() {
		d.reused += len(r.decls)
		d.sameKeys = true
		return r.decls
	}
	if out, ok := readTableAround(d, n, p, r, decode, rebase); ok {
		return out
	}
	var out []T
	if n != nil && len(n.Members) > 0 {
		out = make([]T, 0, len(n.Members)) // an entry each, but for those dropped
	}
	d.table(n, p, func(i int, e *json5.Member, p path) {
		if old, j, ok := r.get(i); ok {
			if r.was.Members[j] == e {
				d.reused++
				out = append(out, old)
				return
			}
			if x, ok := rebase(d.mover(r.was.Members[j].Value, e.Value, len(n.Members)-i), old, e); ok {
				d.reused++
				out = append(out, x)
				return
			}
		}
		readEntry(d, &out, e, p, decode)
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// readTableAround is readTable for a table whose prior decoded without a
// problem, so that its entries and decls pair one for one and its keys are
// distinct: the entries lined up with the prior's (before and after the
// edit) are taken without looking them up, and only those in between are
// read and checked for repeated keys. It sets d.sameKeys when the entries
// are the prior's keys in order, each read to a value. It reports false, having done
// nothing, when that does not apply or an entry in between repeats a key
// (readTable then reads the table entry by entry).
//
// An entry lined up with the prior's has the prior's key, so the keys of
// those entries are distinct; a repeated key therefore involves an entry
// in between, either as the repetition (it is not the first member of its
// name) or as the first of a name a later lined-up entry has too (the
// prior has the name after the edit).
func readTableAround[T comparable](d *decoder, n *json5.Node, p path, r *reuse[T],
	decode func(e *json5.Member, p path) T, rebase func(mv *mover, old T, e *json5.Member) (T, bool)) ([]T, bool) {
	if r == nil || n.Kind != json5.Object || r.dirty[r.was] || len(r.decls) != len(r.was.Members) {
		return nil, false
	}
	nn, nw := len(n.Members), len(r.was.Members)
	mid := n.Members[r.head : nn-r.tail]
	for _, e := range mid {
		if n.Member(e.Key.Name) != e {
			return nil, false
		}
		if w := r.was.Member(e.Key.Name); w != nil && r.tail > 0 && w.Key.Start >= r.was.Members[nw-r.tail].Key.Start {
			return nil, false
		}
	}
	p = p.fixed()
	out := make([]T, 0, nn)
	take := func(i, j int) {
		e, was := n.Members[i], r.was.Members[j]
		if e == was {
			d.reused++
			out = append(out, r.decls[j])
			return
		}
		if x, ok := rebase(d.mover(was.Value, e.Value, nn-i), r.decls[j], e); ok {
			d.reused++
			out = append(out, x)
			return
		}
		readEntry(d, &out, e, p.key(e.Key.Name), decode)
	}
	for i := range r.head {
		take(i, i)
	}
	for _, e := range mid {
		readEntry(d, &out, e, p.key(e.Key.Name), decode)
	}
	for i := nn - r.tail; i < nn; i++ {
		take(i, i-nn+nw)
	}
	d.sameKeys = nn == nw && len(out) == nn
	for i := r.head; d.sameKeys && i < nn-r.tail; i++ {
		d.sameKeys = n.Members[i].Key.Name == r.was.Members[i].Key.Name
	}
	if len(out) == 0 {
		return nil, true
	}
	return out, true
}

// readEntry decodes table entry e, at path p, afresh onto *out,
// recording a problem for the next version, and drops it when decode
// returns zero.
func readEntry[T comparable](d *decoder, out *[]T, e *json5.Member, p path, decode func(e *json5.Member, p path) T) {
	var zero T
	before := d.problems
	x := decode(e, p)
	if d.problems != before {
		d.markDirty(e.Value)
	}
	if x != zero {
		*out = append(*out, x)
	}
}

// mover maps the nodes of a prior entry's value, was, onto the new
// entry's value of the same text, now. ok turns false when a node has no
// counterpart (which the same text rules out). The values it makes come
// from its arena.
type mover struct {
	was, now *json5.Node
	ok       bool
	arena
}

// mover returns the decoder's mover, set to move was onto now, with left
// entries of the section left to read.
func (d *decoder) mover(was, now *json5.Node, left int) *mover {
	d.mv.was, d.mv.now, d.mv.ok, d.mv.left = was, now, true, left
	return &d.mv
}

// arena hands out the values a mover makes from chunks, so that moving
// thousands of entries costs a few allocations. A chunk lives as long as
// any value in it, as json5's node chunks do.
type arena struct {
	left     int // entries left to move, at most: the size of a new chunk
	strs     []Str
	comps    []ComponentDecl
	bindings []Binding
	exports  []Export
}

// alloc returns a zero T from the chunk *free, which it refills with n
// values (at most 256) when it is empty.
func alloc[T any](free *[]T, n int) *T {
	if len(*free) == 0 {
		*free = make([]T, min(max(n, 1), 256))
	}
	p := &(*free)[0]
	*free = (*free)[1:]
	return p
}

// node returns the node of the new value at the place of n in the prior
// one.
func (mv *mover) node(n *json5.Node) *json5.Node {
	if n == nil {
		return nil
	}
	was, now := mv.was, mv.now
	for was != n {
		i := childHolding(was, n)
		if i < 0 || count(now) != count(was) || now.Kind != was.Kind {
			mv.ok = false
			return nil
		}
		was, now = value(was, i), value(now, i)
	}
	return now
}

// childHolding returns the index of the member value or element of
// container c whose text holds node n, or -1.
func childHolding(c *json5.Node, n *json5.Node) int {
	if c.Kind != json5.Object && c.Kind != json5.Array {
		return -1
	}
	k := count(c)
	i := sort.Search(k, func(i int) bool { return value(c, i).End >= n.End })
	if i == k {
		return -1
	}
	if v := value(c, i); v.Start > n.Start {
		return -1
	}
	return i
}

// str returns s with its node moved. The decoded text is the new node's
// (the same text), so that the new manifest holds no string of the prior
// tree.
func (mv *mover) str(s Str) Str {
	n := mv.node(s.Node)
	if n == nil || n.Text != s.Value {
		mv.ok = false
		return Str{}
	}
	return Str{n.Text, n}
}

// strp is str for an optional string.
func (mv *mover) strp(s *Str) *Str {
	if s == nil {
		return nil
	}
	c := alloc(&mv.strs, 2*mv.left)
	*c = mv.str(*s)
	return c
}

// entry returns the Entry of member e.
func entry(e *json5.Member) Entry { return Entry{e.Key.Name, e.Key, e.Value} }

// The rebase functions copy a reused entry onto the new tree; a test
// (TestRebaseCoversFields) fails when a field is added to one of these
// types, as a reminder to move it here too.

func rebaseComponent(mv *mover, c *ComponentDecl, e *json5.Member) (*ComponentDecl, bool) {
	out := alloc(&mv.comps, mv.left)
	*out = ComponentDecl{
		Entry:       entry(e),
		Manifest:    mv.str(c.Manifest),
		Digest:      mv.strp(c.Digest),
		Config:      mv.node(c.Config),
		Environment: mv.strp(c.Environment),
	}
	return out, mv.ok
}

func rebaseEnvironment(mv *mover, env *Environment, e *json5.Member) (*Environment, bool) {
	out := &Environment{Entry: entry(e), Extends: mv.strp(env.Extends)}
	if env.Resolvers != nil {
		out.Resolvers = make([]Str, len(env.Resolvers))
		for i, s := range env.Resolvers {
			out.Resolvers[i] = mv.str(s)
		}
	}
	return out, mv.ok
}

func rebaseSlot(mv *mover, s *Slot, e *json5.Member) (*Slot, bool) {
	out := &Slot{Entry: entry(e), Kind: mv.str(s.Kind), Profile: mv.strp(s.Profile), Optional: s.Optional, Multiple: s.Multiple}
	return out, mv.ok
}

func rebaseProvide(mv *mover, p *Provide, e *json5.Member) (*Provide, bool) {
	out := &Provide{Entry: entry(e), Kind: mv.str(p.Kind), Profile: mv.strp(p.Profile), Endpoint: mv.strp(p.Endpoint)}
	return out, mv.ok
}

func rebaseResource(mv *mover, r *Resource, e *json5.Member) (*Resource, bool) {
	out := &Resource{Entry: entry(e), Kind: mv.str(r.Kind),
		Size: mv.strp(r.Size), Retention: mv.strp(r.Retention), Sharing: mv.strp(r.Sharing)}
	return out, mv.ok
}

// rebaseExport parses the moved target again, so that the names it
// holds are the new tree's strings.
func rebaseExport(mv *mover, x *Export, e *json5.Member) (*Export, bool) {
	out := alloc(&mv.exports, mv.left)
	*out = Export{Entry: entry(e), Target: mv.str(x.Target)}
	return out, mv.ok && parseExportTarget(out.Target.Value, out) == ""
}

// rebaseBinding is the rebase of element i, n, of `bindings`; like
// rebaseExport it parses the moved references again.
func rebaseBinding(mv *mover, b *Binding, i int, n *json5.Node) (*Binding, bool) {
	out := alloc(&mv.bindings, mv.left)
	*out = Binding{Index: i, Node: n, To: mv.strp(b.To), Slot: mv.strp(b.Slot),
		From: mv.strp(b.From), Capability: mv.strp(b.Capability), Weak: b.Weak}
	return out, mv.ok && parseBinding(out) == ""
}

// readBindings reads `bindings` (see readTable): an element is the
// prior's value itself when it is the very same node at the same index.
// When the prior's `bindings` decoded without a problem, its elements and
// decls pair one for one, and an element lined up with a prior one takes
// its decl by index.
func readBindings(d *decoder, n *json5.Node, p path, r *reuse[*Binding]) []*Binding {
	if r.whole() {
		d.reused += len(r.decls)
		return r.decls
	}
	direct := r != nil && !r.dirty[r.was] && len(r.decls) == len(r.was.Elems())
	var out []*Binding
	if len(n.Elems()) > 0 {
		out = make([]*Binding, 0, len(n.Elems())) // an element each, but for those dropped
	}
	d.array(n, p, func(i int, e *json5.Node, p path) {
		var old *Binding
		j, ok := -1, false
		if direct {
			if j = r.old(i); j >= 0 {
				old, ok = r.decls[j], true
			}
		} else {
			old, j, ok = r.get(i)
		}
		if ok {
			if r.was.Elems()[j] == e && i == j {
				d.reused++
				out = append(out, old)
				return
			}
			if b, ok := rebaseBinding(d.mover(r.was.Elems()[j], e, len(n.Elems())-i), old, i, e); ok {
				d.reused++
				out = append(out, b)
				return
			}
		}
		before := d.problems
		b := d.binding(i, e, p)
		if d.problems != before {
			d.markDirty(e)
		}
		if b != nil {
			out = append(out, b)
		}
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// priorManifest returns the prior's manifest, or an empty one.
func (d *decoder) priorManifest() *Manifest {
	if d.prev == nil {
		return &noManifest
	}
	return d.prev.m
}

var noManifest Manifest
