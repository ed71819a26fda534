package configschema

import "github.com/amberlsp/amber-lsp/manifest/json5"

// Schema walks that follow `$ref`s can meet one node many times over:
// definitions that take each other twice over (`d0: { allOf: [{ $ref: d1 },
// { $ref: d1 }] }`, d1 likewise, ...) make a schema of a few hundred bytes
// whose naive expansion has 2^n nodes. A walk whose result at a node
// depends only on the node and on the walk's own arguments there may
// remember it, and then costs what the schema's size does; one whose
// result is too large to remember counts its steps and gives up.
//
// A walk that follows references keeps the targets it is expanding so
// that a cyclic reference ends it, and that makes what it finds at a node
// depend on the targets being expanded, unless no reference leads back:
// then the walk never meets one, and the node and arguments are enough to
// remember by. Where references do lead back, the targets being expanded
// (their chain, named by a visitset.ID) are part of what the walk
// remembers by.
// MemoGate tells which, once a walk has grown long.

// RefsAcyclic reports whether root has no reference cycle: no chain of
// members and `$ref`s (each leading from the object that holds it to its
// target) comes back to where it started. Its cost is linear in the size
// of root. A `$ref` that does not resolve leads nowhere.
func RefsAcyclic(root *json5.Node) bool {
	const (
		open = 1 // on the current chain
		done = 2 // no cycle through it
	)
	state := map[*json5.Node]uint8{}
	var visit func(n *json5.Node) bool
	visit = func(n *json5.Node) bool {
		if n == nil || (n.Kind != json5.Object && n.Kind != json5.Array) {
			return true
		}
		switch state[n] {
		case open:
			return false
		case done:
			return true
		}
		state[n] = open
		if n.Kind == json5.Array {
			for _, e := range n.Elems() {
				if !visit(e) {
					return false
				}
			}
		} else {
			for _, m := range n.Members {
				if !visit(m.Value) {
					return false
				}
			}
			if ref := n.Get("$ref"); ref != nil && ref.Kind == json5.String {
				if target, ok := Resolve(root, ref.Text); ok && !visit(target) {
					return false
				}
			}
		}
		state[n] = done
		return true
	}
	return visit(root)
}

// memoAfter is how many steps a walk takes before MemoGate checks whether
// Root has a reference cycle: most walks end sooner and never pay for it.
const memoAfter = 256

// MemoGate tells a walk of the schema Root when to remember what it finds
// at a node (Remember: once it has taken memoAfter steps), and by what
// (Cyclic, checked once: whether the targets being expanded count). The
// zero value with Root set is ready.
type MemoGate struct {
	Root  *json5.Node // the schema walked
	steps int
	state int8 // 0: not checked, 1: acyclic, -1: cyclic
}

// Remember counts one step of the walk and reports whether the walk
// remembers what it finds from now on.
func (g *MemoGate) Remember() bool {
	if g.state == 0 {
		if g.steps++; g.steps < memoAfter {
			return false
		}
		g.state = -1
		if RefsAcyclic(g.Root) {
			g.state = 1
		}
	}
	return true
}

// Cyclic reports, once Remember has reported true, whether Root has a
// reference cycle: what the walk finds at a node then depends on the
// targets it is expanding, which must be part of what it remembers by.
func (g *MemoGate) Cyclic() bool { return g.state < 0 }

// Budget bounds the steps of one walk of the schema Root by Root's size:
// Base steps, and once those are spent, PerNode for each node of Root
// (counted then, once). A walk that remembers what it finds (MemoGate)
// takes a few steps per node and argument, so only one that cannot share
// what it remembers (a schema with a reference cycle whose targets being
// expanded differ on every way to a node) runs out; the cost of a walk is
// then linear in the schema's size however its references multiply.
type Budget struct {
	Root       *json5.Node // the schema walked
	Base       int         // the steps allowed whatever Root's size
	PerNode    int         // the steps allowed for each node of Root
	steps, max int
}

// Spend counts one step and reports whether the budget allows it.
func (b *Budget) Spend() bool {
	if b.steps++; b.steps <= b.Base {
		return true
	}
	if b.max == 0 {
		b.max = max(b.Base, b.PerNode*countNodes(b.Root))
	}
	return b.steps <= b.max
}

// countNodes returns the number of nodes of a syntax tree.
func countNodes(n *json5.Node) int {
	if n == nil {
		return 0
	}
	c := 1
	for _, m := range n.Members {
		c += countNodes(m.Value)
	}
	for _, e := range n.Elems() {
		c += countNodes(e)
	}
	return c
}
