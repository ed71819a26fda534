package analysis

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5"
	"github.com/amberlsp/amber-lsp/manifest/json5/format"
)

// BenchmarkSyntaxFeatureLatency measures formatting, range formatting,
// folding ranges and selection ranges on the 10k-line manifest, with its
// analysis cached, as the median latency and that median as a multiple of a
// full json5.Parse of the same text in the same run. "reindented" is the
// manifest indented by two more spaces: every line gets an edit.
//
//	go test ./analysis -run '^$' -bench SyntaxFeatureLatency -benchtime 100x
func BenchmarkSyntaxFeatureLatency(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "big.json5")
	text := testgen.GenerateManifest(10000)
	reindented := bytes.ReplaceAll(text, []byte("\n"), []byte("\n  "))
	ctx := context.Background()
	parse := median(b, 20, func() { json5.Parse(text) })
	ref := strings.Index(string(text), `"#child_800.api"`) + len(`"#child_8`)
	member := strings.Index(string(text), `"child_1500": {`)
	cases := []struct {
		name string
		text []byte
		run  func(s *Snapshot) bool // reports whether it found something
	}{
		{"format/formatted", text, func(s *Snapshot) bool {
			edits, err := s.Format(ctx, path, format.Options{})
			return err == nil && len(edits) == 0
		}},
		{"format/reindented", reindented, func(s *Snapshot) bool {
			edits, err := s.Format(ctx, path, format.Options{})
			return err == nil && len(edits) > 10000
		}},
		{"format-range/member", reindented, func(s *Snapshot) bool {
			edits, err := s.FormatRange(ctx, path, diag.Span{Start: member, End: member + 5}, format.Options{})
			return err == nil && len(edits) > 0
		}},
		{"folding", text, func(s *Snapshot) bool {
			folds, err := s.FoldingRanges(ctx, path)
			return err == nil && len(folds) > 1000
		}},
		{"selection/reference", text, func(s *Snapshot) bool {
			chains, err := s.SelectionRanges(ctx, path, []int{ref})
			return err == nil && len(chains) == 1 && len(chains[0]) > 5
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			ws := NewWorkspace(Options{})
			snap := ws.SetDocument(path, 1, tc.text)
			if !tc.run(snap) {
				b.Fatalf("%s: unexpected answer", tc.name)
			}
			d := median(b, b.N, func() { tc.run(snap) })
			b.ReportMetric(float64(d)/1e3, "µs/op-median")
			b.ReportMetric(float64(d)/float64(parse), "x-parse")
			b.ReportMetric(0, "ns/op")
		})
	}
	b.Logf("full json5.Parse of the %d-byte manifest: %v (median)", len(text), parse)
}
