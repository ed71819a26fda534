package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// BenchmarkFeatureLatency measures hover and completion on the 10k-line
// manifest (testgen.GenerateManifest(10000)) as an editor sees them: the
// snapshot's analysis of the file is cached (the diagnostics of the same
// version computed it), except for the "cold" cases, which ask right after
// an edit. Each case reports its median latency and that median as a
// multiple of a full json5.Parse of the same text measured in the same run.
//
//	go test ./analysis -run '^$' -bench FeatureLatency -benchtime 200x
func BenchmarkFeatureLatency(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "big.json5")
	text := testgen.GenerateManifest(10000)
	child := `{ manifest_version: "0.1.0", slots: { upstream: { kind: "http" } }, provides: { api: { kind: "http", endpoint: "e" } }, exports: { api: "api" }, program: { path: "/bin/x", network: { endpoints: [{ name: "e", port: 80 }] } } }`
	if err := os.WriteFile(filepath.Join(dir, "child_800.json5"), []byte(child), 0o644); err != nil {
		b.Fatal(err)
	}
	ws := NewWorkspace(Options{})
	ctx := context.Background()

	parse := median(b, 20, func() { json5.Parse(text) })
	offset := func(after string) int {
		i := strings.Index(string(text), after)
		if i < 0 {
			b.Fatalf("%q not in the manifest", after)
		}
		return i + len(after)
	}
	cases := []struct {
		name string
		off  int
		run  func(s *Snapshot, off int) bool // reports whether it found something
	}{
		{"hover/binding-export", offset(`"from": "#child_800.a`), func(s *Snapshot, off int) bool {
			h, _ := s.Hover(ctx, path, off)
			return h != nil
		}},
		{"hover/component-entry", offset(`"child_1500`) - 3, func(s *Snapshot, off int) bool {
			h, _ := s.Hover(ctx, path, off)
			return h != nil
		}},
		{"completion/binding-children", offset(`{ "to": "#child_801.upstream", "from": "#`), func(s *Snapshot, off int) bool {
			items, _ := s.Completion(ctx, path, off)
			return len(items) > 1000
		}},
		{"completion/child-exports", offset(`"from": "#child_800.`), func(s *Snapshot, off int) bool {
			items, _ := s.Completion(ctx, path, off)
			return len(items) == 1
		}},
		{"completion/root-keys", offset(`"manifest_version": "0.4.0",`), func(s *Snapshot, off int) bool {
			items, _ := s.Completion(ctx, path, off)
			return len(items) > 5
		}},
		{"codeactions/binding-target", offset(`{ "to": "#child_801.up`), func(s *Snapshot, off int) bool {
			_, err := s.CodeActions(ctx, path, ActionQuery{Span: diag.Span{Start: off, End: off}})
			return err == nil
		}},
		{"codeactions/fix-all", 0, func(s *Snapshot, off int) bool {
			_, err := s.CodeActions(ctx, path, ActionQuery{Only: []string{ActionFixAll}})
			return err == nil
		}},
	}
	version := int32(1)
	snap := ws.SetDocument(path, version, text)
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			if !tc.run(snap, tc.off) {
				b.Fatalf("%s found nothing at %d", tc.name, tc.off)
			}
			d := median(b, b.N, func() { tc.run(snap, tc.off) })
			b.ReportMetric(float64(d)/1e3, "µs/op-median")
			b.ReportMetric(float64(d)/float64(parse), "x-parse")
			b.ReportMetric(0, "ns/op")
		})
	}
	// Cold: the first request after an edit parses and validates the file.
	b.Run("hover/cold", func(b *testing.B) {
		off := cases[0].off
		name := strings.Index(string(text), `"worker 1000"`) + 1
		var lat []time.Duration
		for range b.N {
			version++
			edited := slices.Clone(text)
			copy(edited[name:], fmt.Sprintf("w%010d", version)) // a new text, as valid as before
			s := ws.SetDocument(path, version, edited)
			t0 := time.Now()
			if h, _ := s.Hover(ctx, path, off); h == nil {
				b.Fatal("no hover")
			}
			lat = append(lat, time.Since(t0))
			ws.cache.sweep(ws.gen.Add(1)) // what the next analysis would drop
		}
		slices.Sort(lat)
		d := lat[len(lat)/2]
		b.ReportMetric(float64(d)/1e3, "µs/op-median")
		b.ReportMetric(float64(d)/float64(parse), "x-parse")
		b.ReportMetric(0, "ns/op")
	})
	b.Logf("full json5.Parse of the %d-byte manifest: %v (median)", len(text), parse)
}

// median runs f n times and returns the median duration.
func median(b *testing.B, n int, f func()) time.Duration {
	b.Helper()
	lat := make([]time.Duration, 0, max(n, 1))
	for range max(n, 1) {
		t0 := time.Now()
		f()
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	return lat[len(lat)/2]
}
