package analysis

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/linker"
)

// TestRenameKeepsDiagnostics renames every renamable declaration of every
// example tree (the repository's examples, the feature cases, Amber's
// example systems and UI cases) to a fresh name, applies the edits and
// checks the tree again: the diagnostics must be the same as before, but
// for the name (the code, severity, message and help with the new name
// read as the old one, the spans mapped back through the edits).
//
// The fresh name is the old one with a suffix that keeps its place in
// sorted order (Amber reports some problems in name order, and the first
// of them only), and that no file of the tree holds.
func TestRenameKeepsDiagnostics(t *testing.T) {
	trees := map[string]string{"examples": filepath.Join("..", "examples")}
	features, _ := featureFolder(t)
	cases, _ := os.ReadDir(features)
	for _, c := range cases {
		trees["features/"+c.Name()] = filepath.Join(features, c.Name())
	}
	if dir, ok := conformanceDir(t); ok {
		systems, _ := os.ReadDir(filepath.Join(dir, "examples"))
		for _, s := range systems {
			if s.IsDir() {
				trees["conformance/examples/"+s.Name()] = filepath.Join(dir, "examples", s.Name())
			}
		}
		trees["conformance/ui"] = filepath.Join(dir, "ui")
	}
	total := 0
	for _, name := range slices.Sorted(maps.Keys(trees)) {
		t.Run(name, func(t *testing.T) {
			dir, err := filepath.Abs(trees[name])
			if err != nil {
				t.Fatal(err)
			}
			total += renameEveryDeclaration(t, dir)
		})
	}
	t.Logf("%d renames", total)
	if total < 100 {
		t.Errorf("only %d renames: the trees declare more than that", total)
	}
}

// conformanceDir returns Amber's conformance corpus, when present.
func conformanceDir(t *testing.T) (string, bool) {
	if corpus.Glob(t, "conformance/examples/ROOTS") == nil {
		return "", false
	}
	return corpus.Path(t, "conformance"), true
}

// renameEveryDeclaration renames each renamable declaration of the tree in
// dir in turn, checking the diagnostics after each; it returns how many it
// renamed.
func renameEveryDeclaration(t *testing.T, dir string) int {
	ctx := context.Background()
	ws := NewWorkspace(Options{})
	base, err := ws.SetFolders([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	before, err := base.Diagnostics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := base.refIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, f := range idx.files {
		text, _ := base.ReadFile(f)
		texts = append(texts, string(text))
	}
	all := strings.Join(texts, "\x00")
	n := 0
	for _, f := range idx.files {
		if !inFolder(dir, f) {
			continue
		}
		for _, d := range idx.declarations(f) {
			if d.Kind == DeclManifest {
				continue
			}
			fresh := d.Name + "0q0"
			for strings.Contains(all, fresh) {
				fresh += "0"
			}
			what := fmt.Sprintf("%s `%s` of %s -> %s", d.Kind, d.Name, filepath.Base(f), fresh)
			if nameProblem(d.Kind, d.Name) != "" {
				continue // the old name is invalid itself: nothing to compare
			}
			edits, err := base.Rename(ctx, f, d.NameSpan.Start, fresh)
			if err != nil {
				t.Errorf("%s: %v", what, err)
				continue
			}
			byFile := map[string][]diag.Edit{}
			for _, e := range edits {
				byFile[e.File] = append(byFile[e.File], e)
			}
			snap := base
			for file, es := range byFile {
				text, _ := base.ReadFile(file)
				after, err := applyEdits(text, es)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				snap = ws.SetDocument(file, 1, after)
			}
			after, err := snap.Diagnostics(ctx)
			if err != nil {
				t.Fatal(err)
			}
			compareRenamed(t, what, before, after, byFile, fresh, d.Name)
			for file := range byFile {
				ws.CloseDocument(file)
			}
			n++
		}
	}
	return n
}

// applyEdits applies edits of one file, which must not overlap.
func applyEdits(text []byte, edits []diag.Edit) ([]byte, error) {
	es := slices.Clone(edits)
	slices.SortFunc(es, func(a, b diag.Edit) int { return a.Span.Start - b.Span.Start })
	var out []byte
	at := 0
	for _, e := range es {
		if e.Span.Start < at || e.Span.End > len(text) || e.Span.Start > e.Span.End {
			return nil, fmt.Errorf("edit %v out of order or range", e.Span)
		}
		out = append(out, text[at:e.Span.Start]...)
		out = append(out, e.NewText...)
		at = e.Span.End
	}
	return append(out, text[at:]...), nil
}

// compareRenamed compares the diagnostics of each file before and after a
// rename, reading the new name as the old one and mapping spans back.
func compareRenamed(t *testing.T, what string, before, after *Report, edits map[string][]diag.Edit, fresh, old string) {
	t.Helper()
	files := map[string]bool{}
	for f := range before.ByFile {
		files[f] = true
	}
	for f := range after.ByFile {
		files[f] = true
	}
	for f := range files {
		var want, got []string
		for _, d := range before.ByFile[f] {
			want = append(want, diagKey(d, f, nil, "", ""))
		}
		for _, d := range after.ByFile[f] {
			got = append(got, diagKey(d, f, edits, fresh, old))
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s: the diagnostics of %s changed:\nbefore:\n\t%s\nafter:\n\t%s", what, filepath.Base(f), strings.Join(want, "\n\t"), strings.Join(got, "\n\t"))
		}
	}
}

// diagKey renders what a rename must keep of a diagnostic of file: its
// code, severity, message, help and labels, with fresh read as old and
// spans mapped back through the edits of their files.
func diagKey(d diag.Diagnostic, file string, edits map[string][]diag.Edit, fresh, old string) string {
	sub := func(s string) string {
		if fresh == "" {
			return s
		}
		return strings.ReplaceAll(s, fresh, old)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %q help %q", d.Severity, d.Code, sub(d.Message), sub(d.Help))
	for _, l := range d.Labels {
		lf := l.File
		if p, ok := linker.LocalPath(lf); ok {
			lf = p
		}
		if lf == "" {
			lf = file
		}
		sp := mapBack(l.Span, edits[filepath.Clean(lf)])
		fmt.Fprintf(&b, " [%s %d-%d %q %v]", filepath.Base(lf), sp.Start, sp.End, sub(l.Message), l.Primary)
	}
	return b.String()
}

// mapBack maps a span of an edited text to the text before the edits: an
// offset inside an edit's new text maps to that edit's start (an end, to
// its end).
func mapBack(sp diag.Span, edits []diag.Edit) diag.Span {
	if len(edits) == 0 {
		return sp
	}
	es := slices.Clone(edits)
	slices.SortFunc(es, func(a, b diag.Edit) int { return a.Span.Start - b.Span.Start })
	back := func(x int, end bool) int {
		shift := 0
		for _, e := range es {
			newStart := e.Span.Start + shift
			newEnd := newStart + len(e.NewText)
			switch {
			case x < newStart || x == newStart && !end:
				return x - shift
			case x <= newEnd:
				if end {
					return e.Span.End
				}
				return e.Span.Start
			}
			shift += len(e.NewText) - e.Span.Len()
		}
		return x - shift
	}
	return diag.Span{Start: back(sp.Start, false), End: back(sp.End, true)}
}
