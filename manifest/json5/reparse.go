package json5

import (
	"sort"

	"github.com/amberlsp/amber-lsp/diag/codes"
)

// maxReparses bounds a chain of Reparse calls that share nodes: the next
// call parses the whole text again, so that a tree never keeps more than
// this many generations of node chunks and source copies alive.
const maxReparses = 32

// Reparse returns the File of old's text with the bytes [start, end)
// replaced by newText: exactly what Parse of that text returns (the same
// tree, errors and Print), usually in a fraction of the time. old is not
// modified, and the new tree shares the nodes that lie before the edit with
// it; start and end are clamped to old's text.
//
// Reparse re-parses only the smallest member (of an object) or element (of
// an array) whose slot contains the edit: the text from just after the `{`,
// `[` or `,` before it to just before the `,`, `}` or `]` after it. The
// result is spliced into a copy of the path from the root, and the nodes
// after the edit are copied with their offsets shifted. It falls back to a
// full Parse whenever that could give a different result: when old has
// syntax or encoding problems, when the edit touches a delimiter, when the
// re-parsed text has any problem or does not end at the same delimiter, and
// after a chain of maxReparses calls.
//
// It is meant for an editor, called once per change, in order, on the File
// of the previous version. Nothing in amber-lsp calls it yet: the language
// server and the checker parse every version of a file whole.
func Reparse(old *File, start, end int, newText []byte) *File {
	start = min(max(start, 0), len(old.Src))
	end = min(max(end, start), len(old.Src))
	src := make([]byte, 0, len(old.Src)-(end-start)+len(newText))
	src = append(append(append(src, old.Src[:start]...), newText...), old.Src[end:]...)
	if f := reparse(old, src, start, end); f != nil {
		return f
	}
	return Parse(src)
}

// slot is the part of a container's interior that holds one member or
// element (or, for a gap, none), with the delimiters around it excluded.
type slot struct {
	i      int  // index of the member or element; for a gap, the number of them
	gap    bool // the slot holds nothing: an empty container or the space after a trailing comma
	lo, hi int  // the slot runs from lo to the delimiter at hi
}

// level is a container on the path from the root to the edit, and the slot
// of it that contains the edit.
type level struct {
	n *Node
	s slot
}

// reparse implements Reparse, returning nil when it has to fall back.
func reparse(old *File, src []byte, start, end int) *File {
	if old.reparses >= maxReparses || !old.SpanGrammarOK || old.Root == nil || len(src) > maxInput {
		return nil
	}
	for _, e := range old.Errors {
		if e.Code != codes.ByteOrderMark {
			return nil
		}
	}
	levels := findLevels(old, start, end)
	if len(levels) == 0 {
		return nil
	}
	delta := len(src) - len(old.Src)
	deepest := levels[len(levels)-1]
	members, elems, ok := parseSlot(src, deepest.n, deepest.s, delta, len(levels))
	if !ok {
		return nil
	}
	r := &rebuild{delta: delta}
	r.slab.chunk = min(max((len(old.Src)-deepest.s.hi)/24, 16), 256)
	// Rebuild the deepest container, then each ancestor around it.
	var n *Node
	for j := len(levels) - 1; j >= 0; j-- {
		l := levels[j]
		c := r.slab.node()
		*c = *l.n
		c.End += delta
		switch {
		case j == len(levels)-1 && c.Kind == Object:
			c.Members = r.members(l.n.Members, l.s, members)
			c.indexMembers() // the edit may have changed keys
		case j == len(levels)-1:
			c.Elems = r.elems(l.n.Elems, l.s, elems)
		case c.Kind == Object:
			m := r.slab.member()
			*m = *l.n.Members[l.s.i]
			m.Value = n
			if m.Comma >= 0 {
				m.Comma += delta
			}
			c.Members = r.members(l.n.Members, l.s, []*Member{m})
		default:
			c.Elems = r.elems(l.n.Elems, l.s, []*Node{n})
		}
		n = c
	}
	return &File{Src: src, Root: n, Errors: old.Errors, SpanGrammarOK: true, reparses: old.reparses + 1}
}

// findLevels returns the containers from the root down to the innermost
// whose slot holds the edit [start, end) of old, or nil when no slot of the
// root does.
func findLevels(old *File, start, end int) []level {
	var levels []level
	n := old.Root
	for (n.Kind == Object || n.Kind == Array) && n.Closed && start > n.Start && end < n.End {
		s, ok := findSlot(old.Src, n, start, end)
		if !ok {
			break
		}
		levels = append(levels, level{n, s})
		if s.gap {
			break
		}
		if n.Kind == Object {
			n = n.Members[s.i].Value
		} else {
			n = n.Elems[s.i]
		}
	}
	return levels
}

// findSlot returns the slot of container n that contains [start, end)
// without touching a delimiter. The container is closed and error-free, so
// every member or element but the last is followed by a comma.
func findSlot(src []byte, n *Node, start, end int) (slot, bool) {
	if n.Kind == Object {
		ms := n.Members
		hi := func(i int) int {
			if i < len(ms) && ms[i].Comma >= 0 {
				return ms[i].Comma
			}
			return n.End - 1
		}
		lo := func(i int) int {
			if i == 0 {
				return n.Start + 1
			}
			return ms[i-1].Comma + 1
		}
		i := sort.Search(len(ms), func(i int) bool { return hi(i) >= end })
		s := slot{i: i, gap: i == len(ms), lo: lo(i), hi: hi(i)}
		if i > 0 && ms[i-1].Comma < 0 || s.lo > start {
			return slot{}, false
		}
		return s, true
	}
	es := n.Elems
	// after returns the offset of the comma after element i, or -1 when
	// there is none (after the last element: the closing bracket follows).
	after := func(i int) int {
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
	// The slot of element i runs from the comma before it to the delimiter
	// after it; an edit that ends before element i ends lies in slot i or,
	// when it ends before the comma after element i-1, in slot i-1.
	i := sort.Search(len(es), func(i int) bool { return es[i].End >= end })
	if i > 0 {
		if c := after(i - 1); c < 0 || end <= c {
			i--
		}
	}
	s := slot{i: i, gap: i == len(es), lo: n.Start + 1, hi: n.End - 1}
	if i > 0 {
		c := after(i - 1)
		if c < 0 {
			return slot{}, false
		}
		s.lo = c + 1
	}
	if !s.gap {
		if c := after(i); c >= 0 {
			s.hi = c
		} else if i < len(es)-1 {
			return slot{}, false
		}
	}
	if s.lo > start || s.hi < end {
		return slot{}, false
	}
	return s, true
}

// parseSlot re-parses slot s of container n in the edited text src (delta
// bytes longer than the old one), at nesting depth depth. It returns the
// members (for an object) or elements (for an array) the slot now holds,
// or false when the text of the slot, taken alone, does not parse without
// a problem into whole members or elements followed by the same delimiter:
// only then is the result the one a full parse gives.
func parseSlot(src []byte, n *Node, s slot, delta, depth int) ([]*Member, []*Node, bool) {
	hi := s.hi + delta
	if hi < s.lo || hi >= len(src) {
		return nil, nil, false
	}
	sc := scanAll(string(src[s.lo:hi+1]), s.lo, nil)
	toks := sc.toks
	delim := len(toks) - 2
	if len(sc.errs) > 0 || !sc.spanGrammarOK || !sc.scanOK || delim < 0 ||
		toks[delim].start != int32(hi) || toks[delim].kind != punctuation[src[hi]] {
		return nil, nil, false
	}
	commaAfter := toks[delim].kind == tComma
	p := newParser(sc.src, s.lo, len(src), sc)
	p.depth = depth
	var members []*Member
	var elems []*Node
	ownComma := false // the last member or element is followed by a comma of its own
	for p.i < delim {
		if n.Kind == Object {
			m := p.member()
			if m == nil {
				return nil, nil, false
			}
			members = append(members, m)
		} else {
			if !startsValue(p.tok().kind) {
				return nil, nil, false
			}
			elems = append(elems, p.value())
		}
		if len(p.errs) > 0 || p.i > delim {
			return nil, nil, false
		}
		ownComma = false
		if t := p.tok(); t.kind == tComma && p.i < delim {
			if len(members) > 0 {
				members[len(members)-1].Comma = int(t.start)
			}
			p.advance()
			ownComma = true
		} else if p.i < delim {
			return nil, nil, false // "missing `,`"
		}
	}
	if len(p.errs) > 0 || p.i != delim {
		return nil, nil, false
	}
	if commaAfter {
		// The delimiter is the comma after the last member or element: there
		// must be one, without a comma of its own (`a: 1, ,`).
		if len(members)+len(elems) == 0 || ownComma {
			return nil, nil, false
		}
		if len(members) > 0 {
			members[len(members)-1].Comma = hi
		}
	}
	return members, elems, true
}

// rebuild copies the parts of a tree that an edit moved.
type rebuild struct {
	delta int // how far the text after the edit moved
	slab  slab
	list  []*Member
	nodes []*Node
}

// members returns old with the member at slot s replaced by repl (or repl
// inserted, for a gap), and the members after it shifted.
func (r *rebuild) members(old []*Member, s slot, repl []*Member) []*Member {
	r.list = append(r.list[:0], old[:s.i]...)
	r.list = append(r.list, repl...)
	if !s.gap {
		for _, m := range old[s.i+1:] {
			r.list = append(r.list, r.shiftMember(m))
		}
	}
	return r.slab.memberList(r.list)
}

// elems is members for arrays.
func (r *rebuild) elems(old []*Node, s slot, repl []*Node) []*Node {
	r.nodes = append(r.nodes[:0], old[:s.i]...)
	r.nodes = append(r.nodes, repl...)
	if !s.gap {
		for _, e := range old[s.i+1:] {
			r.nodes = append(r.nodes, r.shift(e))
		}
	}
	return r.slab.nodeList(r.nodes)
}

// shift returns a copy of the subtree n moved by r.delta bytes (n itself
// when the edit did not change the length).
func (r *rebuild) shift(n *Node) *Node {
	if r.delta == 0 {
		return n
	}
	c := r.slab.node()
	*c = *n
	c.Start += r.delta
	c.End += r.delta
	if len(n.Members) > 0 {
		c.Members = r.slab.memberSpace(len(n.Members))
		for i, m := range n.Members {
			c.Members[i] = r.shiftMember(m)
		}
	}
	if len(n.Elems) > 0 {
		c.Elems = r.slab.nodeSpace(len(n.Elems))
		for i, e := range n.Elems {
			c.Elems[i] = r.shift(e)
		}
	}
	return c
}

func (r *rebuild) shiftMember(m *Member) *Member {
	if r.delta == 0 {
		return m
	}
	c := r.slab.member()
	*c = *m
	c.Key.Start += r.delta
	c.Key.End += r.delta
	if c.Colon >= 0 {
		c.Colon += r.delta
	}
	if c.Comma >= 0 {
		c.Comma += r.delta
	}
	c.Value = r.shift(m.Value)
	return c
}
