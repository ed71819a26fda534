package persistent

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
)

// TestMapMatchesBuiltinMap applies random sets and deletes to a Map and to a
// Go map, keeping every intermediate version: each version must still hold
// exactly what the Go map held at that step. It runs with the real hash and
// with hashes that collide a lot (one bit of entropy, and none).
func TestMapMatchesBuiltinMap(t *testing.T) {
	hashes := map[string]func(string) uint64{
		"maphash":  hashOf,
		"one-bit":  func(k string) uint64 { return uint64(len(k) % 2) },
		"constant": func(string) uint64 { return 0x8000_0000_0000_0001 },
		"low-bits": func(k string) uint64 { return uint64(len(k)) << 60 },
	}
	for name, h := range hashes {
		t.Run(name, func(t *testing.T) {
			defer func(old func(string) uint64) { hashOf = old }(hashOf)
			hashOf = h
			r := rand.New(rand.NewPCG(1, 2))
			type version struct {
				m    Map[int]
				want map[string]int
			}
			var versions []version
			var m Map[int]
			want := map[string]int{}
			for step := range 3000 {
				key := fmt.Sprintf("k%d", r.IntN(300))
				if r.IntN(3) == 0 {
					m = m.Delete(key)
					delete(want, key)
				} else {
					m = m.Set(key, step)
					want[key] = step
				}
				if step%100 == 0 {
					versions = append(versions, version{m, maps.Clone(want)})
				}
			}
			versions = append(versions, version{m, want})
			for i, v := range versions {
				check(t, i, v.m, v.want)
			}
		})
	}
}

func check(t *testing.T, version int, m Map[int], want map[string]int) {
	t.Helper()
	if m.Len() != len(want) {
		t.Errorf("version %d: Len = %d, want %d", version, m.Len(), len(want))
	}
	got := map[string]int{}
	for k, v := range m.All() {
		if _, dup := got[k]; dup {
			t.Errorf("version %d: All yields %q twice", version, k)
		}
		got[k] = v
	}
	if !maps.Equal(got, want) {
		t.Errorf("version %d: All = %v, want %v", version, got, want)
	}
	for k, v := range want {
		if g, ok := m.Get(k); !ok || g != v {
			t.Errorf("version %d: Get(%q) = %d, %v; want %d", version, k, g, ok, v)
		}
	}
	for i := range 300 {
		k := fmt.Sprintf("k%d", i)
		if _, ok := want[k]; !ok {
			if g, ok := m.Get(k); ok {
				t.Errorf("version %d: Get(%q) = %d of a deleted key", version, k, g)
			}
		}
	}
}

// TestDeleteEverythingLeavesAnEmptyTrie: deleting every key gives back a
// map with no nodes, and deleting a missing key returns the same map.
func TestDeleteEverythingLeavesAnEmptyTrie(t *testing.T) {
	var m Map[bool]
	for i := range 1000 {
		m = m.Set(fmt.Sprint(i), true)
	}
	if same := m.Delete("missing"); same.root != m.root {
		t.Error("deleting a missing key copied the trie")
	}
	for i := range 1000 {
		m = m.Delete(fmt.Sprint(i))
	}
	if m.root != nil || m.Len() != 0 {
		t.Errorf("after deleting everything: root %p, Len %d", m.root, m.Len())
	}
}

// pathMap returns a map of 2,000 paths, as a workspace holds, and one of
// its keys.
func pathMap() (Map[int], string) {
	var m Map[int]
	for i := range 2000 {
		m = m.Set(fmt.Sprintf("/work/tree/dir%d/manifest.json5", i), i)
	}
	return m, "/work/tree/dir1000/manifest.json5"
}

// BenchmarkSet measures deriving a new version of a 2,000-key map, what a
// snapshot pays per changed file.
func BenchmarkSet(b *testing.B) {
	m, key := pathMap()
	for b.Loop() {
		_ = m.Set(key, 1)
	}
}

// BenchmarkGet measures looking a path up in a 2,000-key map.
func BenchmarkGet(b *testing.B) {
	m, key := pathMap()
	for b.Loop() {
		m.Get(key)
	}
}
