package analysis

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5/format"
)

// checkSyntaxFeatures runs formatting, range formatting, folding ranges and
// selection ranges (at every offset) on the file at path and checks that
// the answers are well-formed (everyOffset calls it, so the robustness
// tests of features_robust_test.go run it on every case, broken texts and
// Amber's corpus): only a *format.SyntaxError as error, edits
// sorted inside the file, folds inside it and sorted, every selection chain
// holding its offset, each range inside the next, the last the whole file.
func checkSyntaxFeatures(t *testing.T, snap *Snapshot, path string) {
	t.Helper()
	ctx := context.Background()
	text, err := snap.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(path)
	checkEdits := func(what string, edits []diag.Edit, err error) {
		var se *format.SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("%s of %s: %v", what, name, err)
		}
		at := 0
		for _, e := range edits {
			if e.File != path || e.Span.Start < at || e.Span.End < e.Span.Start || e.Span.End > len(text) {
				t.Fatalf("%s of %s: bad edit %s %v after %d", what, name, e.File, e.Span, at)
			}
			at = e.Span.End
		}
	}
	edits, err := snap.Format(ctx, path, format.Options{})
	checkEdits("formatting", edits, err)
	for off := 0; off <= len(text); off += max(len(text)/10, 1) {
		edits, err := snap.FormatRange(ctx, path, diag.Span{Start: off, End: min(off+7, len(text))}, format.Options{})
		checkEdits("range formatting", edits, err)
	}
	folds, err := snap.FoldingRanges(ctx, path)
	if err != nil {
		t.Fatalf("folding ranges of %s: %v", name, err)
	}
	for i, r := range folds {
		if r.Start < 0 || r.Start >= r.End || r.End > len(text) || i > 0 && r.Start < folds[i-1].Start {
			t.Fatalf("folding ranges of %s: bad range %+v", name, r)
		}
	}
	offs := make([]int, len(text)+1)
	for i := range offs {
		offs[i] = i
	}
	chains, err := snap.SelectionRanges(ctx, path, offs)
	if err != nil {
		t.Fatalf("selection ranges of %s: %v", name, err)
	}
	if chains == nil {
		return // not a manifest
	}
	for off, chain := range chains {
		if len(chain) == 0 || chain[0].Start > off || off > chain[0].End {
			t.Fatalf("selection at %s:%d: %v does not start at the cursor", name, off, chain)
		}
		for i := 1; i < len(chain); i++ {
			if chain[i].Start > chain[i-1].Start || chain[i].End < chain[i-1].End || chain[i] == chain[i-1] {
				t.Fatalf("selection at %s:%d: %v does not grow", name, off, chain)
			}
		}
		if last := chain[len(chain)-1]; last != (diag.Span{Start: 0, End: len(text)}) {
			t.Fatalf("selection at %s:%d: ends with %v, not the file", name, off, last)
		}
	}
}

// TestSyntaxFeaturesOutsideManifests: a file that is not a manifest gets
// no edits, folds or selection ranges, and no error.
func TestSyntaxFeaturesOutsideManifests(t *testing.T) {
	ws := NewWorkspace(Options{})
	pkg := filepath.Join(t.TempDir(), "package.json")
	snap := ws.SetDocument(pkg, 1, []byte("{\"name\":   \"x\",\n\"a\": [\n1]}"))
	ctx := context.Background()
	edits, err := snap.Format(ctx, pkg, format.Options{})
	if edits != nil || err != nil {
		t.Errorf("formatting package.json: %v %v", edits, err)
	}
	folds, err := snap.FoldingRanges(ctx, pkg)
	if folds != nil || err != nil {
		t.Errorf("folding package.json: %v %v", folds, err)
	}
	chains, err := snap.SelectionRanges(ctx, pkg, []int{3})
	if chains != nil || err != nil {
		t.Errorf("selection in package.json: %v %v", chains, err)
	}
}
