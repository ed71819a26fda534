package json5

// slab hands out Nodes, Members, the slices that list them and the exts
// of arrays from chunks,
// so that a tree of n values costs a few allocations instead of 2n, and the
// garbage collector tracks a few large objects instead of many small ones.
// A chunk lives as long as any node in it is reachable, with everything its
// nodes point to: the parser's chunks suit a tree that lives and dies
// whole; what Reparse copies, parts of which later versions share, goes
// into a subtree of its own instead.
type slab struct {
	chunk   int // number of Nodes or Members per chunk
	nodes   []Node
	members []Member
	mptrs   []*Member
	nptrs   []*Node
	exts    []nodeExt // the exts of arrays
}

func (a *slab) node() *Node {
	if len(a.nodes) == cap(a.nodes) {
		a.nodes = make([]Node, 0, a.chunkSize())
	}
	a.nodes = a.nodes[:len(a.nodes)+1]
	return &a.nodes[len(a.nodes)-1]
}

func (a *slab) member() *Member {
	if len(a.members) == cap(a.members) {
		a.members = make([]Member, 0, a.chunkSize())
	}
	a.members = a.members[:len(a.members)+1]
	return &a.members[len(a.members)-1]
}

func (a *slab) chunkSize() int { return max(a.chunk, 1) }

// ext returns a nodeExt to fill, for an array. Its chunks are an eighth
// the size of the others: arrays are rare beside the other nodes.
func (a *slab) ext() *nodeExt {
	if len(a.exts) == cap(a.exts) {
		a.exts = make([]nodeExt, 0, max(a.chunk/8, 4))
	}
	a.exts = a.exts[:len(a.exts)+1]
	return &a.exts[len(a.exts)-1]
}

// memberList returns a copy of ms, or nil when ms is empty.
func (a *slab) memberList(ms []*Member) []*Member {
	out := a.memberSpace(len(ms))
	copy(out, ms)
	return out
}

// memberSpace returns a list of n members to fill, or nil when n is 0. Its
// capacity is its length, so appending to it never overwrites a neighbour.
func (a *slab) memberSpace(n int) []*Member {
	if n == 0 {
		return nil
	}
	if cap(a.mptrs)-len(a.mptrs) < n {
		a.mptrs = make([]*Member, 0, max(n, 2*a.chunkSize()))
	}
	i := len(a.mptrs)
	a.mptrs = a.mptrs[:i+n]
	return a.mptrs[i : i+n : i+n]
}

// nodeList is memberList for element lists.
func (a *slab) nodeList(ns []*Node) []*Node {
	out := a.nodeSpace(len(ns))
	copy(out, ns)
	return out
}

// nodeSpace is memberSpace for element lists.
func (a *slab) nodeSpace(n int) []*Node {
	if n == 0 {
		return nil
	}
	if cap(a.nptrs)-len(a.nptrs) < n {
		a.nptrs = make([]*Node, 0, max(n, 2*a.chunkSize()))
	}
	i := len(a.nptrs)
	a.nptrs = a.nptrs[:i+n]
	return a.nptrs[i : i+n : i+n]
}

// cell is a member and its value, allocated together.
type cell struct {
	m Member
	n Node
}

// arrayExt returns the ext of an array of elements elems, an allocation
// of its own (Reparse's copies of the arrays on the path to an edit): nil
// when it has none, as Parse leaves an empty array. An array's ext holds
// its elements alone.
func arrayExt(elems []*Node) *nodeExt {
	if len(elems) == 0 {
		return nil
	}
	return &nodeExt{elems: elems}
}

// subtree is the room for the copy of one member or element and
// everything under it, in one chunk of each kind, sized exactly: Reparse
// copies each subtree it moves into one (see Reparse for why).
type subtree struct {
	cells []cell    // the members, each with its value
	nodes []Node    // the values no member holds: elements, and the root of an element's subtree
	mptrs []*Member // the member lists
	nptrs []*Node   // the element lists
	exts  []nodeExt // the exts of the arrays, which hold their element lists
}

// copyMember returns a copy of m and its value, moved by delta bytes, in
// chunks of its own.
func copyMember(m *Member, delta int) *Member {
	nodes, members, arrays := subtreeSize(m.Value)
	s := subtree{
		cells: make([]cell, 0, members+1),
		nodes: make([]Node, 0, nodes-1-members),
		mptrs: make([]*Member, 0, members),
		nptrs: make([]*Node, 0, nodes-1-members),
		exts:  make([]nodeExt, 0, arrays),
	}
	c := s.member(m, delta)
	c.Value.head = true
	return c
}

// copyNode is copyMember for an element.
func copyNode(n *Node, delta int) *Node {
	nodes, members, arrays := subtreeSize(n)
	s := subtree{
		cells: make([]cell, 0, members),
		nodes: make([]Node, 0, nodes-members),
		mptrs: make([]*Member, 0, members),
		nptrs: make([]*Node, 0, nodes-1-members),
		exts:  make([]nodeExt, 0, arrays),
	}
	c := s.node(n, delta)
	c.head = true
	return c
}

// subtreeSize returns the number of nodes, of members and of arrays with
// elements (each with an ext of its own) in the subtree n.
func subtreeSize(n *Node) (nodes, members, arrays int) {
	nodes = 1
	for _, m := range n.Members {
		k, j, a := subtreeSize(m.Value)
		nodes += k
		members += j + 1
		arrays += a
	}
	if es := n.Elems(); len(es) > 0 {
		arrays++
		for _, e := range es {
			k, j, a := subtreeSize(e)
			nodes += k
			members += j
			arrays += a
		}
	}
	return nodes, members, arrays
}

// member copies m and its value, moved by delta bytes, into s.
func (s *subtree) member(m *Member, delta int) *Member {
	s.cells = s.cells[:len(s.cells)+1]
	c := &s.cells[len(s.cells)-1]
	c.m = *m
	c.m.Key.Start += delta
	c.m.Key.End += delta
	if c.m.Colon >= 0 {
		c.m.Colon += delta
	}
	if c.m.Comma >= 0 {
		c.m.Comma += delta
	}
	s.fill(&c.n, m.Value, delta)
	c.m.Value = &c.n
	return &c.m
}

// node copies element n, moved by delta bytes, into s.
func (s *subtree) node(n *Node, delta int) *Node {
	s.nodes = s.nodes[:len(s.nodes)+1]
	c := &s.nodes[len(s.nodes)-1]
	s.fill(c, n, delta)
	return c
}

// fill makes c a copy of n, moved by delta bytes, with what is under it
// copied into s.
func (s *subtree) fill(c, n *Node, delta int) {
	*c = *n
	c.head = false
	c.Start += delta
	c.End += delta
	if len(n.Members) > 0 {
		c.Members = carve(&s.mptrs, len(n.Members))
		for i, m := range n.Members {
			c.Members[i] = s.member(m, delta)
		}
	}
	if es := n.Elems(); len(es) > 0 {
		// The copy's elements are its own, and so is its ext.
		x := &carve(&s.exts, 1)[0]
		x.elems = carve(&s.nptrs, len(es))
		for i, e := range es {
			x.elems[i] = s.node(e, delta)
		}
		c.ext = x
	}
}

// carve takes the next k entries of the room reserved in *buf, with no
// room to append beyond them.
func carve[T any](buf *[]T, k int) []T {
	i := len(*buf)
	*buf = (*buf)[:i+k]
	return (*buf)[i : i+k : i+k]
}
