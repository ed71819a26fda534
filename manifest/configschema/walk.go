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
// depend on how it got there, unless no reference leads back: then the
// walk never meets a target it is expanding, and remembering is exact.
// RefsAcyclic tells; MemoGate asks it once a walk has grown long.

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
// it may remember: most walks end sooner and never pay for the check.
const memoAfter = 256

// MemoGate tells a walk of the schema Root whether it may remember what
// it finds at a node: not for its first steps, and then only when
// RefsAcyclic(Root), checked once. The zero value with Root set is ready.
type MemoGate struct {
	Root  *json5.Node // the schema walked
	steps int
	state int8 // 0: not checked, 1: acyclic, -1: not
}

// Step counts one step of the walk and reports whether the walk may
// remember results from now on.
func (g *MemoGate) Step() bool {
	if g.state == 0 {
		if g.steps++; g.steps < memoAfter {
			return false
		}
		g.state = -1
		if RefsAcyclic(g.Root) {
			g.state = 1
		}
	}
	return g.state > 0
}
