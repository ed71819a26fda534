package linker

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/cputime"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest"
)

// memFiles serves a LinkHeavy tree with the root's text chosen by the
// benchmark and every analysis computed once: a link through it measures
// linking alone, not reading or parsing.
type memFiles struct {
	root string

	mu       sync.Mutex
	text     []byte
	disk     map[string][]byte
	analyses map[*byte]*manifest.Result // by the address of the text analysed
}

func newMemFiles(w *testgen.LinkHeavy) *memFiles {
	return &memFiles{root: w.Root, text: w.Text, disk: map[string][]byte{}, analyses: map[*byte]*manifest.Result{}}
}

func (f *memFiles) set(text []byte) {
	f.mu.Lock()
	f.text = text
	f.mu.Unlock()
}

func (f *memFiles) ReadFile(path string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if path == f.root {
		return f.text, nil
	}
	if b, ok := f.disk[path]; ok {
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err == nil {
		f.disk[path] = b
	}
	return b, err
}

func (f *memFiles) AnalyzeFile(path string, text []byte) *manifest.Result {
	f.mu.Lock()
	res := f.analyses[&text[0]]
	f.mu.Unlock()
	if res == nil {
		res = manifest.AnalyzeWith(path, text, manifest.Options{NoLints: true, ReadFile: f.ReadFile})
		f.mu.Lock()
		f.analyses[&text[0]] = res
		f.mu.Unlock()
	}
	return res
}

// BenchmarkLinkHeavy measures linking a LinkHeavy tree (100, 830 and 2,000
// children instantiating one leaf) after each keystroke edit, toggled on
// and off in turn: linker.Link alone, with every file already read and
// analysed. "fresh" links with a new Cache each time (nothing carried
// over from the previous link), "warm" with the Cache of the previous
// links. Every link is checked: the number of components and diagnostics
// it reports. cpu-ns/op is the process's CPU time per link, garbage
// collection included.
//
//	go test ./linker -run '^$' -bench LinkHeavy -count 5
func BenchmarkLinkHeavy(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{100, 830, 2000} {
		w, err := testgen.WriteLinkHeavy(b.TempDir(), n)
		if err != nil {
			b.Fatal(err)
		}
		files := newMemFiles(w)
		for _, e := range testgen.LinkHeavyEdits {
			texts := [2][]byte{w.Text, w.Edited(e)}
			check := func(b *testing.B, res *Result, edited bool) {
				comps, diags := n+1, w.BaseDiagnostics()
				if edited {
					diags = w.Diagnostics(e)
					if !e.Quiet() {
						comps = 0
					}
				}
				if len(res.Components) != comps || len(res.Diagnostics) != diags {
					b.Fatalf("%s edited=%v: %d components, %d diagnostics; want %d, %d", e, edited, len(res.Components), len(res.Diagnostics), comps, diags)
				}
			}
			for _, mode := range []string{"fresh", "warm"} {
				b.Run(fmt.Sprintf("n=%d/%s/%s", n, e, mode), func(b *testing.B) {
					cache := NewCache()
					files.set(texts[0])
					check(b, Link(ctx, w.Root, Options{Files: files, Cache: cache}), false)
					b.ReportAllocs()
					i := 0
					cpu, measured := cputime.Used()
					for b.Loop() {
						i++
						if mode == "fresh" {
							cache = NewCache()
						}
						files.set(texts[i%2])
						check(b, Link(ctx, w.Root, Options{Files: files, Cache: cache}), i%2 == 1)
					}
					if now, _ := cputime.Used(); measured {
						b.ReportMetric(float64(now-cpu)/float64(i), "cpu-ns/op")
					}
				})
			}
		}
	}
}
