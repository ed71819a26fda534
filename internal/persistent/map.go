// Package persistent provides Map, an immutable map from strings to values.
//
// Set and Delete return a new Map and leave the one they were called on
// unchanged; the two share every node but the O(log n) on the path to the
// key. A workspace snapshot can therefore keep its own version of a table of
// thousands of files and derive the next snapshot's version for the price
// of the entries that changed, never a copy of the whole table.
//
// The map is a hash array mapped trie: each level of the trie consumes five
// bits of the key's hash and stores only the slots in use, found through a
// 32-bit occupancy bitmap. Keys whose 64-bit hashes are equal end in a list
// at the bottom of the trie.
package persistent

import (
	"hash/maphash"
	"iter"
	"math/bits"
	"slices"
)

const (
	levelBits = 5
	levelMask = 1<<levelBits - 1
)

var seed = maphash.MakeSeed()

// hashOf hashes keys; tests replace it to force collisions.
var hashOf = func(key string) uint64 { return maphash.String(seed, key) }

// Map is an immutable map from strings to values. The zero Map is empty and
// ready to use. Maps are values: copying one is O(1), and a Map is safe for
// concurrent use because nothing ever changes it.
type Map[V any] struct {
	root *node[V]
	n    int
}

// node is one level of the trie. Below the last level that has hash bits
// left it is a list of leaves with equal hashes, and bitmap is unused.
type node[V any] struct {
	bitmap uint32
	slots  []slot[V] // in bit order
}

// slot is a subtree (child set) or a leaf.
type slot[V any] struct {
	child *node[V]
	hash  uint64
	key   string
	value V
}

// Len returns the number of keys.
func (m Map[V]) Len() int { return m.n }

// Get returns the value of key, and whether the map holds it.
func (m Map[V]) Get(key string) (V, bool) {
	if m.root != nil {
		h := hashOf(key)
		n := m.root
		for shift := uint(0); ; shift += levelBits {
			if shift >= 64 {
				for i := range n.slots {
					if n.slots[i].key == key {
						return n.slots[i].value, true
					}
				}
				break
			}
			bit := uint32(1) << (h >> shift & levelMask)
			if n.bitmap&bit == 0 {
				break
			}
			s := &n.slots[bits.OnesCount32(n.bitmap&(bit-1))]
			if s.child == nil {
				if s.key == key {
					return s.value, true
				}
				break
			}
			n = s.child
		}
	}
	var zero V
	return zero, false
}

// Set returns a map in which key has value v; m is unchanged.
func (m Map[V]) Set(key string, v V) Map[V] {
	root := m.root
	if root == nil {
		root = &node[V]{}
	}
	root, added := set(root, 0, hashOf(key), key, v)
	if added {
		return Map[V]{root, m.n + 1}
	}
	return Map[V]{root, m.n}
}

func set[V any](n *node[V], shift uint, h uint64, key string, v V) (*node[V], bool) {
	if shift >= 64 {
		for i := range n.slots {
			if n.slots[i].key == key {
				c := &node[V]{slots: slices.Clone(n.slots)}
				c.slots[i].value = v
				return c, false
			}
		}
		return &node[V]{slots: append(slices.Clip(n.slots), slot[V]{hash: h, key: key, value: v})}, true
	}
	bit := uint32(1) << (h >> shift & levelMask)
	i := bits.OnesCount32(n.bitmap & (bit - 1))
	if n.bitmap&bit == 0 {
		slots := slices.Insert(slices.Clip(n.slots), i, slot[V]{hash: h, key: key, value: v})
		return &node[V]{bitmap: n.bitmap | bit, slots: slots}, true
	}
	c := &node[V]{bitmap: n.bitmap, slots: slices.Clone(n.slots)}
	s := &c.slots[i]
	switch {
	case s.child != nil:
		child, added := set(s.child, shift+levelBits, h, key, v)
		s.child = child
		return c, added
	case s.key == key:
		s.value = v
		return c, false
	default: // two keys share this slot: push both one level down
		child, _ := set(&node[V]{}, shift+levelBits, s.hash, s.key, s.value)
		child, _ = set(child, shift+levelBits, h, key, v)
		*s = slot[V]{child: child}
		return c, true
	}
}

// Delete returns a map without key; m is unchanged.
func (m Map[V]) Delete(key string) Map[V] {
	if m.root == nil {
		return m
	}
	root, removed := del(m.root, 0, hashOf(key), key)
	if !removed {
		return m
	}
	return Map[V]{root, m.n - 1}
}

// del removes key below n. The trie stays canonical: a subtree left with a
// single leaf is replaced by that leaf, and an empty one by nothing (nil).
func del[V any](n *node[V], shift uint, h uint64, key string) (*node[V], bool) {
	if shift >= 64 {
		for i := range n.slots {
			if n.slots[i].key == key {
				if len(n.slots) == 1 {
					return nil, true
				}
				return &node[V]{slots: slices.Delete(slices.Clone(n.slots), i, i+1)}, true
			}
		}
		return n, false
	}
	bit := uint32(1) << (h >> shift & levelMask)
	if n.bitmap&bit == 0 {
		return n, false
	}
	i := bits.OnesCount32(n.bitmap & (bit - 1))
	s := n.slots[i]
	var child *node[V]
	if s.child != nil {
		var removed bool
		if child, removed = del(s.child, shift+levelBits, h, key); !removed {
			return n, false
		}
	} else if s.key != key {
		return n, false
	}
	if child == nil {
		if len(n.slots) == 1 {
			return nil, true
		}
		return &node[V]{bitmap: n.bitmap &^ bit, slots: slices.Delete(slices.Clone(n.slots), i, i+1)}, true
	}
	c := &node[V]{bitmap: n.bitmap, slots: slices.Clone(n.slots)}
	if len(child.slots) == 1 && child.slots[0].child == nil {
		c.slots[i] = child.slots[0] // pull a lone leaf up
	} else {
		c.slots[i] = slot[V]{child: child}
	}
	return c, true
}

// All yields every key and its value, in no particular order.
func (m Map[V]) All() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		if m.root != nil {
			walk(m.root, yield)
		}
	}
}

func walk[V any](n *node[V], yield func(string, V) bool) bool {
	for i := range n.slots {
		s := &n.slots[i]
		if s.child != nil {
			if !walk(s.child, yield) {
				return false
			}
		} else if !yield(s.key, s.value) {
			return false
		}
	}
	return true
}
