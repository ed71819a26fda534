package manifest

import (
	"os"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/txtar"
)

// FuzzAnalyze runs parsing, decoding, validation and lints on arbitrary
// input: it must never panic, and every label and fix edit must lie within
// the text. The seed corpus is testdata/fuzz/FuzzAnalyze, the manifests of
// the marker cases and, when present beside the repository, Amber's UI
// corpus.
//
//	go test -run='^$' -fuzz=FuzzAnalyze -fuzztime=4m ./manifest/
func FuzzAnalyze(f *testing.F) {
	for _, file := range corpus.Glob(f, "conformance/ui/*.json5") {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	cases, err := txtar.Glob("testdata/markers/*.txtar", ".json5")
	if err != nil || len(cases) == 0 {
		f.Fatalf("no marker cases: %v", err)
	}
	for _, src := range cases {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res := Analyze("fuzz.json5", src)
		for _, d := range res.Diagnostics {
			if d.Code == "" || d.Message == "" {
				t.Fatalf("diagnostic without code or message: %+v", d)
			}
			for _, l := range d.Labels {
				if l.Span.Start < 0 || l.Span.End < l.Span.Start || l.Span.End > len(src) {
					t.Fatalf("%s: label span %v outside [0,%d]", d.Code, l.Span, len(src))
				}
			}
			for _, fix := range d.Fixes {
				for _, e := range fix.Edits {
					if e.Span.Start < 0 || e.Span.End < e.Span.Start || e.Span.End > len(src) {
						t.Fatalf("%s: fix edit span %v outside [0,%d]", d.Code, e.Span, len(src))
					}
				}
			}
		}
	})
}
