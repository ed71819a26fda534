package json5

import (
	"bytes"
	"math/rand"
	"runtime"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/cost"
	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// retentionBound is how much more than a fresh Parse of the same text a
// File at the end of a long chain of Reparse calls may keep alive, as a
// multiple of what the fresh Parse keeps. The chain keeps the tree of the
// full parse it started from (its nodes before the first edit are still
// shared) beside its own copies of what the edits moved: up to 1x when the
// edits moved nearly everything, and nothing more. Measured: 0.29x at one
// place, 0.93x marching, 0.63x marching with replacements, 0.79x at random
// places, 0.81x into nested levels (0.36x, 189x, 11x, 2.4x and 19x when
// Reparse put its copies in shared chunks; 15.8x into nested levels when
// it shared what lay below an earlier copy it edited inside).
const retentionBound = 1.25

// retentionEdits is the length of each chain TestReparseChainRetention
// measures.
const retentionEdits = 1000

// TestReparseChainRetention edits a generated manifest with long chains of
// Reparse calls, each applied to the previous result, and checks what the
// last File keeps alive: an earlier version's nodes that the new tree
// shares must not keep the parts of that version that it does not share.
// The chains are the shapes of real typing: at one place, marching down
// the text (an edit a line below the last, as when typing members one
// after another), marching with replacements that keep the length, and
// at random places; and edits one level deeper each in a deeply nested
// text.
func TestReparseChainRetention(t *testing.T) {
	if testing.Short() {
		t.Skip("re-parses 5,000 edits")
	}
	src := testgen.GenerateManifest(2000)
	// commas are the offsets just after the commas that end a line; under
	// are the underscores inside keys and strings (`child_3`).
	var commas, under []int
	for i, c := range src {
		switch {
		case c == ',' && i+1 < len(src) && src[i+1] == '\n':
			commas = append(commas, i+1)
		case c == '_':
			under = append(under, i)
		}
	}
	// nested is a tree 40 levels deep, each level an object with a member
	// of 65 nodes, a number and the next level: edits to the numbers, one
	// level deeper each, each shift the levels below.
	var nested bytes.Buffer
	for range 40 {
		nested.WriteString(`{"a": [` + strings.Repeat("0, ", 64) + `], "b": 1, "next": `)
	}
	nested.WriteString(`{}` + strings.Repeat("}", 40))
	var numbers []int
	for i := range nested.Len() {
		if bytes.HasPrefix(nested.Bytes()[i:], []byte(`"b": `)) {
			numbers = append(numbers, i+len(`"b": `))
		}
	}

	rng := rand.New(rand.NewSource(12))
	tests := []struct {
		name string
		// edit returns edit i of the chain: the range of the current text
		// it replaces and the replacement. sites holds its places, kept
		// in step with the text.
		edit  func(i int, sites []int) (start, end int, text string)
		sites []int
		src   []byte // the manifest when nil
	}{
		{"fixed site", func(i int, sites []int) (int, int, string) {
			at := sites[len(sites)/2]
			if i%2 == 0 {
				return at, at, " "
			}
			return at, at + 1, ""
		}, commas, nil},
		{"marching", func(i int, sites []int) (int, int, string) {
			return sites[i%len(sites)], sites[i%len(sites)], " "
		}, commas, nil},
		{"marching same length", func(i int, sites []int) (int, int, string) {
			at := sites[i%len(sites)]
			return at, at + 1, string("-_"[i/len(sites)%2])
		}, under, nil},
		{"random", func(_ int, sites []int) (int, int, string) {
			at := sites[rng.Intn(len(sites))]
			return at, at, " "
		}, commas, nil},
		{"into nested levels", func(i int, sites []int) (int, int, string) {
			return sites[i%len(sites)], sites[i%len(sites)], "1"
		}, numbers, nested.Bytes()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := src
			if tt.src != nil {
				src = tt.src
			}
			base := int64(cost.LiveHeap())
			fresh := Parse(bytes.Clone(src))
			freshLive := int64(cost.LiveHeap()) - base
			runtime.KeepAlive(fresh)
			fresh = nil
			sites := append([]int(nil), tt.sites...)
			f := Parse(bytes.Clone(src))
			incremental := 0
			for i := range retentionEdits {
				start, end, text := tt.edit(i, sites)
				f = Reparse(f, start, end, []byte(text))
				if reparsed(f) {
					incremental++
				}
				if d := len(text) - (end - start); d != 0 {
					for j, s := range sites {
						if s >= end && s > start {
							sites[j] = s + d
						}
					}
				}
			}
			if incremental != retentionEdits {
				t.Fatalf("%d of %d edits were incremental", incremental, retentionEdits)
			}
			sameFile(t, tt.name, f)
			extra := int64(cost.LiveHeap()) - base - freshLive
			runtime.KeepAlive(f)
			ratio := float64(extra) / float64(freshLive)
			t.Logf("after %d edits: %.2f MB beside the fresh tree's %.2f MB (%.2fx)", retentionEdits, float64(extra)/1e6, float64(freshLive)/1e6, ratio)
			if ratio > retentionBound {
				t.Errorf("the chain keeps %.2fx a fresh tree alive beside it, want at most %.2fx", ratio, retentionBound)
			}
		})
	}
}
