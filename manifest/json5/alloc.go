package json5

// slab hands out Nodes, Members and the slices that list them from chunks,
// so that a tree of n values costs a few allocations instead of 2n, and the
// garbage collector tracks a few large objects instead of many small ones.
// A chunk lives as long as any node in it is reachable.
type slab struct {
	chunk   int // number of Nodes or Members per chunk
	nodes   []Node
	members []Member
	mptrs   []*Member
	nptrs   []*Node
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

// reserve gives the slab room for exactly this many Nodes, Members, and
// entries of member and element lists, in one chunk of each.
func (a *slab) reserve(nodes, members, mptrs, nptrs int) {
	if nodes > 0 {
		a.nodes = make([]Node, 0, nodes)
	}
	if members > 0 {
		a.members = make([]Member, 0, members)
	}
	if mptrs > 0 {
		a.mptrs = make([]*Member, 0, mptrs)
	}
	if nptrs > 0 {
		a.nptrs = make([]*Node, 0, nptrs)
	}
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
