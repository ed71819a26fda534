package analysis

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/corpus"
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

// TestFormattedTreesCheckTheSame formats every manifest of a tree (this
// repository's examples, each example tree and the UI cases of Amber's
// corpus) and checks the formatted copy: the same diagnostics, codes,
// severities, messages and files, in the same order (positions aside).
func TestFormattedTreesCheckTheSame(t *testing.T) {
	trees := []string{filepath.Join("..", "examples")}
	if dirs, _ := filepath.Glob(filepath.Join(corpus.Path(t, "conformance", "examples"), "*")); len(dirs) > 0 {
		for _, d := range dirs {
			if info, err := os.Stat(d); err == nil && info.IsDir() {
				trees = append(trees, d)
			}
		}
		trees = append(trees, corpus.Path(t, "conformance", "ui"))
	}
	for _, tree := range trees {
		original, formatted := t.TempDir(), t.TempDir()
		n := 0
		err := filepath.WalkDir(tree, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(tree, path)
			text, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out := text
			if strings.HasSuffix(path, ".json5") || strings.HasSuffix(path, ".json") {
				if f, diags, err := FormatText(path, text); err == nil && diags == nil {
					out = f
					n++
				}
			}
			for _, c := range []struct {
				dir  string
				text []byte
			}{{original, text}, {formatted, out}} {
				p := filepath.Join(c.dir, rel)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(p, c.text, 0o644); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		describe := func(dir string) []string {
			res, err := Check([]string{dir}, CheckOptions{Deny: []string{diag.DenyAll}})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range res.Diagnostics {
				p, _ := d.Primary()
				out = append(out, strings.ReplaceAll(fmt.Sprintf("%s %s %s %q labels=%d", p.File, d.Severity, d.Code, d.Message, len(d.Labels)), dir, "DIR"))
			}
			return out
		}
		if got, want := describe(formatted), describe(original); !slices.Equal(got, want) {
			t.Errorf("%s: the formatted tree checks differently:\n got %q\nwant %q", tree, got, want)
		}
		if n == 0 {
			t.Errorf("%s: no manifest formatted", tree)
		}
	}
}
