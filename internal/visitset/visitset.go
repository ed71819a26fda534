// Package visitset names the sets of things a walk is expanding, so that
// what the walk finds can be remembered by the set it depended on.
//
// A walk of a graph with cycles (a JSON Schema whose references lead back
// to where they start) keeps the nodes it is expanding, and ends a chain
// that meets one of them again. What it finds at a node then depends on
// that set as well as on the node: it may be remembered for the pair. Sets
// names each set by an ID, equal for equal sets however they were built,
// so that the pair is a cheap map key.
package visitset

import (
	"slices"
	"strconv"
	"strings"
)

// ID names a set; Empty is the empty set.
type ID int32

// Empty is the ID of the empty set.
const Empty ID = 0

// Sets names the sets of keys of type K that With builds. The zero value
// is ready to use; it is not safe for concurrent use.
type Sets[K comparable] struct {
	keys    map[K]int32     // the keys met, numbered
	members [][]int32       // by ID: the set's keys' numbers, sorted
	ids     map[string]ID   // a set's members, written out, to its ID
	next    map[[2]int32]ID // (ID, key number) to With's result
}

// With returns the ID of the set s with key k added (s when k is in it).
func (t *Sets[K]) With(s ID, k K) ID {
	if t.members == nil {
		t.keys = map[K]int32{}
		t.members = [][]int32{nil}
		t.ids = map[string]ID{"": Empty}
		t.next = map[[2]int32]ID{}
	}
	n, ok := t.keys[k]
	if !ok {
		n = int32(len(t.keys))
		t.keys[k] = n
	}
	step := [2]int32{int32(s), n}
	if id, ok := t.next[step]; ok {
		return id
	}
	id := s
	if old := t.members[s]; !slices.Contains(old, n) {
		set := slices.Insert(slices.Clone(old), sortedIndex(old, n), n)
		var b strings.Builder
		for _, m := range set {
			b.WriteString(strconv.Itoa(int(m)))
			b.WriteByte(',')
		}
		var known bool
		if id, known = t.ids[b.String()]; !known {
			id = ID(len(t.members))
			t.members = append(t.members, set)
			t.ids[b.String()] = id
		}
	}
	t.next[step] = id
	return id
}

// Len returns the number of members of set s.
func (t *Sets[K]) Len(s ID) int {
	if int(s) >= len(t.members) {
		return 0
	}
	return len(t.members[s])
}

func sortedIndex(sorted []int32, n int32) int {
	i, _ := slices.BinarySearch(sorted, n)
	return i
}
