// Package visitset names the chains of things a walk is expanding, so that
// what the walk finds can be remembered by the chain it depended on.
//
// A walk of a graph with cycles (a JSON Schema whose references lead back
// to where they start) keeps the nodes it is expanding, and ends a chain
// that meets one of them again. What it finds at a node then depends on
// those nodes as well as on the node: it may be remembered for the pair.
// Sets names each chain of nodes by an ID, equal for chains of the same
// nodes added in the same order, so that the pair is a cheap map key. (The
// same nodes added in another order make another ID: what was found is
// remembered twice, never wrongly.)
package visitset

// ID names a chain; Empty is the empty one.
type ID int32

// Empty is the ID of the empty chain.
const Empty ID = 0

// Sets names the chains of keys of type K that With builds. The zero
// value is ready to use; it is not safe for concurrent use.
type Sets[K comparable] struct {
	keys map[K]int32     // the keys met, numbered
	next map[[2]int32]ID // (chain, key number) to With's result
}

// With returns the ID of the chain s followed by key k.
func (t *Sets[K]) With(s ID, k K) ID {
	if t.keys == nil {
		t.keys = map[K]int32{}
		t.next = map[[2]int32]ID{}
	}
	n, ok := t.keys[k]
	if !ok {
		n = int32(len(t.keys))
		t.keys[k] = n
	}
	step := [2]int32{int32(s), n}
	id, ok := t.next[step]
	if !ok {
		id = ID(len(t.next) + 1)
		t.next[step] = id
	}
	return id
}
