package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// BenchmarkTreeFeatures measures the outline, semantic tokens, inlay hints,
// document links, hover, completion and workspace symbols on the
// 2,000-component tree of testgen.GenerateTree, once its links are ready,
// as an editor asks for them. Each case checks the work it did (symbol,
// token, hint, item counts) and reports its median latency.
//
//	go test ./analysis -run '^$' -bench TreeFeatures -benchtime 100x
func BenchmarkTreeFeatures(b *testing.B) {
	tree := testgen.GenerateTree(2000)
	dir := b.TempDir()
	for name, text := range tree.Files {
		if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ws := NewWorkspace(Options{})
	snap, err := ws.SetFolders([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	root, group := filepath.Join(dir, tree.Root), filepath.Join(dir, "group_0.json5")
	if _, err := snap.Diagnostics(ctx); err != nil {
		b.Fatal(err)
	}
	if n := len(snap.ReadyLinksContaining(group)); n != 1 {
		b.Fatalf("%d links ready", n)
	}
	groupText := string(tree.Files["group_0.json5"])
	offset := func(after string) int {
		i := strings.Index(groupText, after)
		if i < 0 {
			b.Fatalf("%q not in group_0.json5", after)
		}
		return i + len(after)
	}
	whole := diag.Span{Start: 0, End: 1 << 30}
	countSymbols := func(syms []DocumentSymbol) int {
		n := 0
		var walk func([]DocumentSymbol)
		walk = func(syms []DocumentSymbol) {
			for _, s := range syms {
				n++
				walk(s.Children)
			}
		}
		walk(syms)
		return n
	}
	cases := []struct {
		name string
		run  func() (int, error) // the amount of work done
		want func(n int) bool
	}{
		{"symbols/root-40-groups", func() (int, error) {
			syms, err := snap.DocumentSymbols(ctx, root)
			return countSymbols(syms), err
		}, func(n int) bool { return n >= 40*3 }},
		{"symbols/group-50-leaves", func() (int, error) {
			syms, err := snap.DocumentSymbols(ctx, group)
			return countSymbols(syms), err
		}, func(n int) bool { return n >= 50*2 }},
		{"tokens/group", func() (int, error) {
			toks, err := snap.SemanticTokens(ctx, group, whole)
			return len(toks), err
		}, func(n int) bool { return n > 50*10 }},
		{"tokens/root", func() (int, error) {
			toks, err := snap.SemanticTokens(ctx, root, whole)
			return len(toks), err
		}, func(n int) bool { return n > 40*10 }},
		{"inlay/group-50-bindings", func() (int, error) {
			hints, err := snap.InlayHints(ctx, group, whole)
			return len(hints), err
		}, func(n int) bool { return n == 50 }},
		{"inlay/root-template", func() (int, error) {
			hints, err := snap.InlayHints(ctx, root, whole)
			return len(hints), err
		}, func(n int) bool { return n == 40 }}, // 39 bindings and the template's count
		{"links/group", func() (int, error) {
			links, err := snap.DocumentLinks(ctx, group)
			return len(links), err
		}, func(n int) bool { return n == 50 }},
		{"hover/binding-source", func() (int, error) {
			h, err := snap.Hover(ctx, group, offset(`from: "#leaf_0_7.a`))
			if h == nil {
				return 0, err
			}
			return len(h.Markdown), err
		}, func(n int) bool { return n > 0 }},
		{"hover/child-entry", func() (int, error) {
			h, err := snap.Hover(ctx, group, offset(`    leaf_0_3`)-2)
			if h == nil {
				return 0, err
			}
			return len(h.Markdown), err
		}, func(n int) bool { return n > 0 }},
		{"completion/children", func() (int, error) {
			items, err := snap.Completion(ctx, group, offset(`{ to: "#leaf_0_9.upstream", from: "#`))
			return len(items), err
		}, func(n int) bool { return n == 50+4 }}, // and the keywords of sources
		{"completion/child-exports", func() (int, error) {
			items, err := snap.Completion(ctx, group, offset(`from: "#leaf_0_7.`))
			return len(items), err
		}, func(n int) bool { return n == 1 }},
		{"workspace-symbols/2001-files", func() (int, error) {
			syms, err := snap.WorkspaceSymbols(ctx, "leaf_3_1", 100)
			if len(syms) < 11 || syms[0].Name != "leaf_3_1" || syms[10].Name != "leaf_3_19" {
				return 0, err // the name itself, then those it begins
			}
			return len(syms), err
		}, func(n int) bool { return n == 100 }},
		{"workspace-symbols/2001-files-cold", func() (int, error) {
			ws.symbols.replace(nil) // as after every file changed
			syms, err := snap.WorkspaceSymbols(ctx, "leaf_3_1", 100)
			return len(syms), err
		}, func(n int) bool { return n == 100 }},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			n, err := tc.run()
			if err != nil || !tc.want(n) {
				b.Fatalf("%s: %d, %v", tc.name, n, err)
			}
			d := median(b, b.N, func() { tc.run() })
			b.ReportMetric(float64(d)/1e3, "µs/op-median")
			b.ReportMetric(float64(n), "work")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkSemanticTokens measures the semantic tokens of the generated
// manifest at three sizes: the time per line stays the same (linear).
//
//	go test ./analysis -run '^$' -bench SemanticTokens -benchtime 20x
func BenchmarkSemanticTokens(b *testing.B) {
	for _, lines := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("lines-%d", lines), func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "big.json5")
			text := testgen.GenerateManifest(lines)
			ws := NewWorkspace(Options{})
			snap := ws.SetDocument(path, 1, text)
			ctx := context.Background()
			toks, err := snap.SemanticTokens(ctx, path, diag.Span{Start: 0, End: len(text)})
			if err != nil || len(toks) < lines {
				b.Fatalf("%d tokens, %v", len(toks), err)
			}
			d := median(b, b.N, func() { snap.SemanticTokens(ctx, path, diag.Span{Start: 0, End: len(text)}) })
			allocs := testing.AllocsPerRun(3, func() { snap.SemanticTokens(ctx, path, diag.Span{Start: 0, End: len(text)}) })
			b.ReportMetric(float64(d)/1e3, "µs/op-median")
			b.ReportMetric(float64(d)/float64(lines), "ns/line")
			b.ReportMetric(allocs, "allocs/call")
			b.ReportMetric(float64(len(toks)), "tokens")
			b.ReportMetric(0, "ns/op")
		})
	}
}
