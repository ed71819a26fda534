package linker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// benchTree writes a tree of 1 + 10 + 100 + 900 = 1011 manifests, one file
// each: the root has 10 children, each with 10 children, each with 9
// leaves. Every level chains its children (child i's slot `up` is fed by
// child i-1's export `api`, child 0's by the parent's own slot) and exports
// the last child's `api`, so linking routes, checks and exports real
// bindings. It returns the root path and a leaf path for edits.
func benchTree(tb testing.TB, dir string) (root, leaf string, components int) {
	write := func(path, text string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
		components++
	}
	// router is a manifest of n children at ./c{i}/manifest.json5 chained
	// as above; first feeds child 0 (a binding source). The export named id
	// keeps its content (its identity) apart from every other router's.
	router := func(id string, n int, first string, slots string) string {
		var b strings.Builder
		b.WriteString("{\n  manifest_version: \"0.3.0\",\n" + slots + "  components: {\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "    c%d: \"./c%d/manifest.json5\",\n", i, i)
		}
		b.WriteString("  },\n  bindings: [\n")
		fmt.Fprintf(&b, "    { to: \"#c0.up\", from: %q, weak: true },\n", first)
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "    { to: \"#c%d.up\", from: \"#c%d.api\" },\n", i, i-1)
		}
		fmt.Fprintf(&b, "  ],\n  exports: { api: \"#c%d.api\", %s: \"#c0.api\" },\n}\n", n-1, id)
		return b.String()
	}
	slot := "  slots: { up: { kind: \"http\" } },\n"
	root = filepath.Join(dir, "root.json5")
	write(root, router("root", 10, "slots.up", slot))
	for i := 0; i < 10; i++ {
		mid := filepath.Join(dir, fmt.Sprintf("c%d", i))
		write(filepath.Join(mid, "manifest.json5"), router(fmt.Sprintf("m%d", i), 10, "slots.up", slot))
		for j := 0; j < 10; j++ {
			sub := filepath.Join(mid, fmt.Sprintf("c%d", j))
			write(filepath.Join(sub, "manifest.json5"), router(fmt.Sprintf("s%d_%d", i, j), 9, "slots.up", slot))
			for k := 0; k < 9; k++ {
				leaf = filepath.Join(sub, fmt.Sprintf("c%d", k), "manifest.json5")
				write(leaf, leafText(i*100+j*10+k, 0))
			}
		}
	}
	return root, leaf, components
}

// leafText is a leaf with a program that uses its slot and serves `api`;
// version changes its text (and digest) for edits.
func leafText(n, version int) string {
	return fmt.Sprintf(`{
  manifest_version: "0.3.0",
  program: {
    image: "leaf:%d",
    entrypoint: ["leaf", "--up=${slots.up.url}", "--version=%d"],
    env: { LEAF: "%d" },
    network: { endpoints: [{ name: "api", port: 8080 }] },
  },
  slots: { up: { kind: "http" } },
  provides: { api: { kind: "http", endpoint: "api" } },
  exports: { api: "provides.api" },
}
`, n, version, n)
}

// BenchmarkLink links the 1011-manifest tree cold (a fresh Cache each
// time: every manifest parsed) and warm (one leaf edited between links:
// one manifest parsed), reporting time and allocations per component.
func BenchmarkLink(b *testing.B) {
	root, leaf, n := benchTree(b, b.TempDir())
	ctx := context.Background()
	check := func(res *Result) {
		if len(res.Diagnostics) != 0 || res.Scenario() == nil || len(res.Components) != n {
			b.Fatalf("link: %d components (want %d), %d diagnostics: %v", len(res.Components), n, len(res.Diagnostics), res.Diagnostics)
		}
	}
	report := func(b *testing.B, run func()) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			run()
		}
		b.StopTimer()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/component")
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/float64(n), "allocs/component")
	}

	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		report(b, func() {
			check(Link(ctx, root, Options{Cache: NewCache()}))
		})
	})

	version := 0 // across runs of "warm": each edit writes new text
	b.Run("warm", func(b *testing.B) {
		b.ReportAllocs()
		cache := NewCache()
		check(Link(ctx, root, Options{Cache: cache}))
		parses := cache.Parses()
		report(b, func() {
			b.StopTimer()
			version++
			if err := os.WriteFile(leaf, []byte(leafText(999, version)), 0o644); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			check(Link(ctx, root, Options{Cache: cache}))
		})
		if got := (cache.Parses() - parses) / int64(b.N); got != 1 {
			b.Errorf("%d parses per warm link, want 1", got)
		}
	})
}

// TestBenchTreeLinks keeps the benchmark's tree honest in normal test runs:
// it links cleanly and re-linking after a leaf edit parses one manifest.
func TestBenchTreeLinks(t *testing.T) {
	root, leaf, n := benchTree(t, t.TempDir())
	cache := NewCache()
	res := Link(context.Background(), root, Options{Cache: cache})
	if len(res.Diagnostics) != 0 || len(res.Components) != n || n != 1011 {
		t.Fatalf("%d of %d components, %v", len(res.Components), n, res.Diagnostics)
	}
	if len(res.Scenario().Bindings) < n-1 || len(res.Scenario().Exports) != 2 {
		t.Errorf("%d bindings, %d exports", len(res.Scenario().Bindings), len(res.Scenario().Exports))
	}
	if err := os.WriteFile(leaf, []byte(leafText(999, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	before := cache.Parses()
	if res = Link(context.Background(), root, Options{Cache: cache}); len(res.Diagnostics) != 0 || cache.Parses() != before+1 {
		t.Errorf("re-link: %d parses, %v", cache.Parses()-before, res.Diagnostics)
	}
}
