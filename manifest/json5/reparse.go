package json5

import (
	"bytes"
	"slices"
	"sort"
	"sync"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// Reparse returns the File of old's text with the bytes [start, end)
// replaced by newText: exactly what Parse of that text returns (the same
// tree, errors and Print), usually in a fraction of the time. old is not
// modified, and the new tree shares the nodes that lie before the edit with
// it; start and end are clamped to old's text.
//
// Reparse re-parses only a slot: the text of one member (of an object) or
// element (of an array) that contains the edit, from just after the `{`,
// `[` or `,` before it to just before the `,`, `}` or `]` after it. Members
// or elements that lack the comma between them share one slot. The result
// is spliced into a copy of the path from the root, and the nodes after the
// edit are copied with their offsets shifted.
//
// A chain of Reparse calls, each on the previous result, never needs a
// full Parse to bound the memory it keeps: every copy Reparse makes is
// allocated apart from the rest, a container on the path alone, the
// members or elements of the slot and each member or element after the
// edit in chunks of their own (sized exactly). A later version shares an
// earlier one's nodes only as whole subtrees, so a shared node keeps alive
// at most the rest of the one subtree it was copied with, never the
// previous version's root or the rest of its shifted tail; and an edit
// inside such a subtree copies it whole, as shifting it would, so that its
// old chunks never stay alive for a part of it. A chunk of a copy then
// lives exactly as long as the subtree it holds, and what a long chain
// keeps beside its current tree is at most the tree of the full Parse it
// started from (whose chunks its shared nodes keep):
// TestReparseChainRetention measures it.
//
// Syntax errors do not force a full parse when they stay in the slot: the
// slot is the innermost one around the edit that also holds every syntax
// error of old, and the new text of the slot may have errors of its own,
// as long as the parse of the slot alone is the parse a full Parse makes of
// it (see parseSlot). Typing a member character by character, through the
// errors of its unfinished text, is therefore incremental, as is adding or
// removing a stray comma. Reparse falls back to a full Parse whenever that
// could give a different result: when no slot holds the edit and the old
// errors, when old has encoding problems or Amber's span grammar rejects
// it, when the edit touches a delimiter, when the new text of the slot
// opens or closes a bracket it does not match or does not end at the same
// delimiter.
//
// It is meant for an editor, called once per change, in order, on the File
// of the previous version.
func Reparse(old *File, start, end int, newText []byte) *File {
	start = min(max(start, 0), len(old.Src))
	end = min(max(end, start), len(old.Src))
	src := make([]byte, 0, len(old.Src)-(end-start)+len(newText))
	src = append(append(append(src, old.Src[:start]...), newText...), old.Src[end:]...)
	if f := reparse(old, src, start, end); f != nil {
		return f
	}
	return ParseShared(src)
}

// ReparseEdited is Reparse for a caller that holds the edited text: src is
// old's text with the bytes [start, end) replaced, and becomes the new
// File's Src (it must not be modified afterwards). When src does not begin
// with old's text before start and end with old's text after end, it is
// parsed whole.
func ReparseEdited(old *File, src []byte, start, end int) *File {
	tail := len(old.Src) - end
	if start < 0 || start > end || end > len(old.Src) || len(src) < start+tail ||
		!bytes.Equal(src[:start], old.Src[:start]) || !bytes.Equal(src[len(src)-tail:], old.Src[end:]) {
		return ParseShared(src)
	}
	if f := reparse(old, src, start, end); f != nil {
		return f
	}
	return ParseShared(src)
}

// Reparsed reports whether Reparse built the file from the tree of an
// earlier version, re-parsing only part of its text, rather than parsing it
// whole.
func (f *File) Reparsed() bool { return f.reparsed }

// slot is the part of a container's interior that holds members or
// elements [i, j) (none, for a gap), with the delimiters around it
// excluded. Outside a slot the parser is always at the start of a member or
// element: the slot begins after the container's opening bracket or after a
// comma that ended the member or element before it, and ends at a comma
// that ends its last one, or at the closing bracket.
type slot struct {
	i, j   int // the members or elements the slot holds; i == j for a gap
	lo, hi int // the slot runs from lo to the delimiter at hi
}

// level is a container on the path from the root to the edit, and the slot
// of it that contains the edit.
type level struct {
	n *Node
	s slot
}

// reparse implements Reparse, returning nil when it has to fall back.
//
// The new tree is built at once when the new text parses without a
// syntax error, and otherwise when it is first asked for (File.Root): the
// diagnostics of a text with a syntax error are its syntax errors, which
// the slot's parse gives, so an editor's keystroke that breaks the text
// (an unfinished string, a member typed so far) is answered without
// copying the nodes after the edit with their offsets shifted. A Reparse
// of such a file whose tree nobody asked for starts from the version its
// tree was to be built from, with the two edits as one (composeStart,
// composeEnd).
func reparse(old *File, src []byte, start, end int) *File {
	if p := old.pending; p != nil {
		if base := p.unbuilt(); base != nil {
			if f := reparseTree(base, src, p.composeStart(start), p.composeEnd(end)); f != nil {
				return f
			}
		}
	}
	return reparseTree(old, src, start, end)
}

// reparseTree is reparse from old's tree.
func reparseTree(old *File, src []byte, start, end int) *File {
	if !old.SpanGrammarOK || old.Root() == nil || len(src) > maxInput {
		return nil
	}
	levels := findLevels(old, start, end)
	// Re-parse the innermost slot that holds every syntax error as well as
	// the edit: the text around it parsed without a problem, so nothing
	// there depends on the text of the slot.
	var kept []Error
	for _, e := range old.Errors {
		switch {
		case e.Code == codes.ByteOrderMark:
			kept = append(kept, e)
		case e.Code != codes.JSON5Error:
			return nil // encoding problems, nesting: rare, parse whole
		default:
			for len(levels) > 0 && !levels[len(levels)-1].s.holds(e.Span.Start) {
				levels = levels[:len(levels)-1]
			}
		}
	}
	if len(levels) == 0 {
		return nil
	}
	delta := len(src) - len(old.Src)
	deepest := levels[len(levels)-1]
	ps, ok := parseSlot(src, deepest.n, deepest.s, delta, len(levels))
	if !ok {
		return nil
	}
	errs := kept
	if len(ps.errs) > 0 {
		errs = append(kept[:len(kept):len(kept)], ps.errs...)
	}
	f := &File{Src: src, Errors: errs, SpanGrammarOK: ps.spanGrammarOK, reparsed: true}
	t := &pendingTree{base: old, levels: levels, slot: ps, delta: delta, start: start, end: end}
	if f.HasSyntaxErrors() {
		f.pending = t
	} else {
		f.root = t.build()
	}
	return f
}

// pendingTree is the tree of a File that Reparse made, until it is built:
// the edit [start, end) of the base version (delta bytes longer), its
// containers from the root down to the slot re-parsed, and that slot's
// parse. Once built, it keeps nothing of the base version but the nodes
// the new tree shares.
type pendingTree struct {
	start, end int
	delta      int

	mu     sync.Mutex
	base   *File // nil once the tree is built
	levels []level
	slot   slotParse
	tree   *Node
}

// root builds the tree, the first time, and returns it.
func (t *pendingTree) root() *Node {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.base != nil {
		t.tree = t.build()
		t.base, t.levels, t.slot = nil, nil, slotParse{}
	}
	return t.tree
}

// unbuilt returns the base version while the tree is not built, or nil.
func (t *pendingTree) unbuilt() *File {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.base
}

// rootValue is File.RootValue answered from the base version's tree, the
// edit and the slot's parse, without building the tree: the members of
// the root before the slot the edit re-parsed are the base's, those after
// it too, shifted, and when the slot lies deeper, inside the value of one
// member, that member keeps its key. known is false when the tree is built
// or the value is the one the edit lies in.
func (t *pendingTree) rootValue(key string) (v Shape, ok, known bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.base == nil {
		return Shape{}, false, false
	}
	root, s := t.levels[0].n, t.levels[0].s
	if root.Kind != Object {
		return Shape{}, false, true
	}
	i := root.memberIndex(key) // the first member named key, or -1
	var n *Node
	switch {
	case i >= 0 && i < s.i: // before the slot
		n = root.Members[i].Value
	case len(t.levels) > 1: // the slot holds one member, whose key stays
		switch {
		case i < 0:
			return Shape{}, false, true
		case i == s.i: // the container the edit lies in: its brackets stay
			v := t.levels[1].n
			return Shape{Kind: v.Kind, Closed: v.Closed, Span: diag.Span{Start: v.Start, End: v.End + t.delta}}, true, true
		}
		n = root.Members[i].Value
	default: // the slot's members are new
		for _, m := range t.slot.members {
			if m.Key.Name == key {
				return shapeOf(m.Value, 0), true, true
			}
		}
		for _, m := range root.Members[s.j:] {
			if m.Key.Name == key {
				n = m.Value
				break
			}
		}
		if n == nil {
			return Shape{}, false, true
		}
	}
	if n.Start >= t.end { // after the edit
		return shapeOf(n, t.delta), true, true
	}
	return shapeOf(n, 0), true, true
}

// shapeOf returns the shape of n, its span moved by delta.
func shapeOf(n *Node, delta int) Shape {
	return Shape{Kind: n.Kind, Closed: n.Closed, Span: diag.Span{Start: n.Start + delta, End: n.End + delta}}
}

// composeStart and composeEnd map an edit [start, end) of the text with
// the pending tree to the edit of the base version's text that makes the
// same text with both edits, as one.
func (t *pendingTree) composeStart(start int) int { return min(start, t.start) }

func (t *pendingTree) composeEnd(end int) int {
	if end < t.end+t.delta { // before or inside the pending edit's new text
		return t.end
	}
	return end - t.delta
}

// TableEdit is what the edit a File's tree is pending for (see Reparse)
// changes in an object that is the value of a member of the root: members
// [I, J) of Base, that object in the base version's tree, of text BaseSrc,
// become Members, nodes of the new text; Base's members after them stay,
// Delta bytes further in the new text.
type TableEdit struct {
	Base    *Node     // the object in the base version's tree
	BaseSrc []byte    // the base version's text
	I, J    int       // the members of Base the edit replaced
	Members []*Member // what replaced them, in the new text
	Delta   int       // how far Base's members after J moved
}

// PendingTableEdit returns what the edit f's tree is pending for changes
// in the value of the first root member named key, when f's tree is not
// built, that value is an object and the edit lies inside it; ok is false
// otherwise. It builds the one member of that object the edit lies in, when
// the edit lies deeper, not the tree.
func (f *File) PendingTableEdit(key string) (e TableEdit, ok bool) {
	if f.pending == nil {
		return TableEdit{}, false
	}
	return f.pending.tableEdit(key)
}

// tableEdit implements File.PendingTableEdit.
func (t *pendingTree) tableEdit(key string) (TableEdit, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.base == nil || len(t.levels) < 2 || t.levels[0].n.memberIndex(key) != t.levels[0].s.i || t.levels[1].n.Kind != Object {
		return TableEdit{}, false
	}
	table, s := t.levels[1].n, t.levels[1].s
	e := TableEdit{Base: table, BaseSrc: t.base.Src, I: s.i, J: s.j, Delta: t.delta}
	if len(t.levels) == 2 {
		e.Members = slices.Clone(t.slot.members)
		return e, true
	}
	n, nm := t.buildDown(2)
	*nm = *table.Members[s.i]
	nm.Value = n
	if nm.Comma >= 0 {
		nm.Comma += t.delta
	}
	e.Members = []*Member{nm}
	return e, true
}

// build splices the slot's parse into a copy of the path from the root
// of the base version's tree, with the nodes after the edit shifted.
func (t *pendingTree) build() *Node {
	n, _ := t.buildDown(0)
	return n
}

// buildDown is build from the deepest level up to level to, whose
// container's copy it returns, with the member that holds it in its
// parent when that is an object (left for the caller to fill).
func (t *pendingTree) buildDown(to int) (*Node, *Member) {
	levels, ps, delta := t.levels, t.slot, t.delta
	r := &rebuild{delta: delta}
	// Rebuild the deepest container, then each ancestor around it. Each
	// copy of a container on the path is an allocation of its own, with
	// the member that holds it in its parent (an array's ext, which holds
	// its elements, is one more): a later version may share it (when it
	// edits elsewhere) or copy it again (when it edits inside), and either
	// way nothing else lives and dies with it. The members or elements the
	// slot's parse made are copied out of the parser's chunks, which mix
	// them and leave room unused, into chunks of their own.
	head := len(levels) // the first level whose container heads a copy
	for j, l := range levels {
		if l.n.head {
			head = j
			break
		}
	}
	var n *Node
	var nm *Member // the member that holds n, to fill at the parent's level
	for j := len(levels) - 1; j >= to; j-- {
		l := levels[j]
		var c *Node
		var cm *Member
		if j > 0 && levels[j-1].n.Kind == Object {
			pc := new(cell) // the container, and the member of its parent that holds it
			c, cm = &pc.n, &pc.m
		} else {
			c = new(Node)
		}
		*c = *l.n
		c.End += delta
		c.head = false
		// From the top of a subtree Reparse copied down, the members or
		// elements the edit leaves are copied too: sharing them would keep
		// the old copy's chunks, dead nodes and all, alive.
		r.all = j >= head
		switch {
		case j == len(levels)-1 && c.Kind == Object:
			for i, m := range ps.members {
				ps.members[i] = copyMember(m, 0)
			}
			c.Members = r.members(l.n.Members, l.s, ps.members)
			if !sameKeys(l.n.Members[l.s.i:l.s.j], ps.members) {
				c.indexMembers() // the edit changed keys or their indexes
			}
		case j == len(levels)-1:
			for i, e := range ps.elems {
				ps.elems[i] = copyNode(e, 0)
			}
			c.ext = arrayExt(r.elems(l.n.Elems(), l.s, ps.elems))
		case c.Kind == Object:
			*nm = *l.n.Members[l.s.i]
			nm.Value = n
			if nm.Comma >= 0 {
				nm.Comma += delta
			}
			c.Members = r.members(l.n.Members, l.s, []*Member{nm})
		default:
			c.ext = arrayExt(r.elems(l.n.Elems(), l.s, []*Node{n}))
		}
		n, nm = c, cm
	}
	return n, nm
}

// sameKeys reports whether the members a and b have the same keys in the
// same order: an object whose slot's members a become b keeps its index.
func sameKeys(a, b []*Member) bool {
	if len(a) != len(b) {
		return false
	}
	for i, m := range a {
		if m.Key.Name != b[i].Key.Name {
			return false
		}
	}
	return true
}

// holds reports whether offset off lies in the slot.
func (s slot) holds(off int) bool { return s.lo <= off && off < s.hi }

// findLevels returns the containers from the root down to the innermost
// whose slot holds the edit [start, end) of old, or nil when no slot of the
// root does. It descends into a member or element only when the slot holds
// that one alone.
func findLevels(old *File, start, end int) []level {
	var levels []level
	n := old.Root()
	for (n.Kind == Object || n.Kind == Array) && n.Closed && start > n.Start && end < n.End {
		var s slot
		var ok bool
		if n.Kind == Object {
			s, ok = objectSlot(n, start, end)
		} else {
			s, ok = arraySlot(old.Src, n, start, end)
		}
		if !ok {
			break
		}
		levels = append(levels, level{n, s})
		if s.j != s.i+1 {
			break
		}
		if n.Kind == Object {
			n = n.Members[s.i].Value
		} else {
			n = n.Elems()[s.i]
		}
	}
	return levels
}

// objectSlot returns the slot of object n that contains [start, end)
// without touching a delimiter.
func objectSlot(n *Node, start, end int) (slot, bool) {
	ms := n.Members
	return findSlot(len(ms), n, start, end,
		func(i int) int { return ms[i].Comma },
		func(i int) int { return ms[i].Value.End })
}

// arraySlot returns the slot of array n that contains [start, end)
// without touching a delimiter.
func arraySlot(src []byte, n *Node, start, end int) (slot, bool) {
	es := n.Elems()
	// comma returns the offset of the comma right after element i (only
	// trivia between), or -1: a comma there is the one that ended the
	// element.
	comma := func(i int) int {
		limit := n.End - 1
		if i+1 < len(es) {
			limit = es[i+1].Start
		}
		s := &scanner{src: string(src[es[i].End:limit])}
		s.skipTrivia()
		if c := es[i].End + s.pos; c < limit && src[c] == ',' {
			return c
		}
		return -1
	}
	return findSlot(len(es), n, start, end, comma, func(i int) int { return es[i].End })
}

// findSlot returns the slot of container n (closed, with count members or
// elements) that contains [start, end): comma(i) is the offset of the
// comma that ended member or element i, or -1 when none did, and valueEnd(i)
// the end of its value. A member without its comma shares a slot with the
// one after it.
func findSlot(count int, n *Node, start, end int, comma, valueEnd func(i int) int) (slot, bool) {
	// bound(i) grows with i: the comma after member i, or the end of its
	// value when it has none.
	bound := func(i int) int {
		if c := comma(i); c >= 0 {
			return c
		}
		return valueEnd(i)
	}
	i := sort.Search(count, func(i int) bool { return bound(i) >= end })
	var s slot
	switch {
	case count == 0:
		s = slot{lo: n.Start + 1, hi: n.End - 1}
	case i == count && comma(count-1) >= 0:
		s = slot{i: count, j: count, lo: comma(count-1) + 1, hi: n.End - 1}
	default:
		i = min(i, count-1)
		j := i + 1
		for i > 0 && comma(i-1) < 0 {
			i--
		}
		for j < count && comma(j-1) < 0 {
			j++
		}
		s = slot{i: i, j: j, lo: n.Start + 1, hi: n.End - 1}
		if i > 0 {
			s.lo = comma(i-1) + 1
		}
		if c := comma(j - 1); c >= 0 {
			s.hi = c
		}
	}
	if s.lo > start || s.hi < end {
		return slot{}, false
	}
	return s, true
}

// slotParse is what re-parsing a slot found.
type slotParse struct {
	members       []*Member
	elems         []*Node
	errs          []Error
	spanGrammarOK bool
}

// parseSlot re-parses slot s of container n in the edited text src (delta
// bytes longer than the old one), at nesting depth depth, and returns the
// members (for an object) or elements (for an array) the slot now holds,
// with its syntax errors.
//
// The text around the slot parsed without a problem, and the parser
// enters the slot at the start of a member or element, so a full Parse
// reads the slot exactly as this parse of the slot alone does, provided
// that the parse never consults anything outside the slot: the slot's
// tokens must end with the same delimiter, close every bracket they open
// and no other, and the parse must end where the full parse leaves the
// slot, at the start of the member or element after the delimiter (or
// before the closing bracket). Then the errors are the slot's own, and
// unterminated strings, which are placed by a scan of the whole text,
// are the first of the whole text. It returns false otherwise.
func parseSlot(src []byte, n *Node, s slot, delta, depth int) (slotParse, bool) {
	hi := s.hi + delta
	if hi < s.lo || hi >= len(src) {
		return slotParse{}, false
	}
	sc := scanAll(string(src[s.lo:hi+1]), s.lo, nil)
	toks := sc.toks
	delim := len(toks) - 2
	if len(sc.errs) > 0 || delim < 0 || toks[delim].start != int32(hi) || toks[delim].kind != punctuation[src[hi]] || !balanced(toks[:delim]) {
		return slotParse{}, false
	}
	p := newParser(sc.src, s.lo, len(src), sc)
	p.depth = depth
	p.opened = append(p.opened, n.Start)
	var stopped bool
	if n.Kind == Object {
		_, closed := p.objectMembers(n, delim)
		stopped = !closed
	} else {
		_, closed := p.arrayElems(n, delim)
		stopped = !closed
	}
	if !stopped || p.i < delim || p.atEOF {
		return slotParse{}, false
	}
	ps := slotParse{errs: mergeErrors(p.errs, nil), spanGrammarOK: sc.spanGrammarOK}
	if n.Kind == Object {
		ps.members = p.members
	} else {
		ps.elems = p.elems
	}
	return ps, true
}

// balanced reports whether the tokens close every bracket they open, in
// order, and no other.
func balanced(toks []token) bool {
	var stack []tokKind
	for _, t := range toks {
		switch t.kind {
		case tLBrace, tLBrack:
			stack = append(stack, t.kind)
		case tRBrace, tRBrack:
			if len(stack) == 0 || stack[len(stack)-1] != t.kind-1 {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return len(stack) == 0
}

// rebuild copies the parts of a tree that an edit moved.
type rebuild struct {
	delta int  // how far the text after the edit moved
	all   bool // copy the members or elements the edit left in place too
}

// members returns old with the members of slot s replaced by repl, and the
// members after them shifted.
func (r *rebuild) members(old []*Member, s slot, repl []*Member) []*Member {
	k := len(old) - (s.j - s.i) + len(repl)
	if k == 0 {
		return nil // as Parse leaves an empty object
	}
	out := make([]*Member, k)
	n := copy(out, old[:s.i])
	if r.all {
		for i, m := range old[:s.i] {
			out[i] = copyMember(m, 0)
		}
	}
	n += copy(out[n:], repl)
	for _, m := range old[s.j:] {
		out[n] = r.shiftMember(m)
		n++
	}
	return out
}

// elems is members for arrays.
func (r *rebuild) elems(old []*Node, s slot, repl []*Node) []*Node {
	k := len(old) - (s.j - s.i) + len(repl)
	if k == 0 {
		return nil
	}
	out := make([]*Node, k)
	n := copy(out, old[:s.i])
	if r.all {
		for i, e := range old[:s.i] {
			out[i] = copyNode(e, 0)
		}
	}
	n += copy(out[n:], repl)
	for _, e := range old[s.j:] {
		out[n] = r.shift(e)
		n++
	}
	return out
}

// shift returns the subtree n moved by r.delta bytes: n itself when the
// edit did not change the length (and n's container is not copied
// whole), else a copy.
func (r *rebuild) shift(n *Node) *Node {
	if r.delta == 0 && !r.all {
		return n
	}
	return copyNode(n, r.delta)
}

// shiftMember is shift for a member and its value.
func (r *rebuild) shiftMember(m *Member) *Member {
	if r.delta == 0 && !r.all {
		return m
	}
	return copyMember(m, r.delta)
}
