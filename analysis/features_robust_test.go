package analysis

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/txtar"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// everyOffset runs every feature at every offset of the file at path in
// snap and checks that the answers are well-formed: no internal error,
// spans inside the files they name, completion edits holding the cursor.
func everyOffset(t *testing.T, snap *Snapshot, path string) {
	t.Helper()
	ctx := context.Background()
	text, err := snap.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inFile := func(what string, off int, l Location) {
		other, err := snap.ReadFile(l.File)
		if err != nil || l.Span.Start < 0 || l.Span.Start > l.Span.End || l.Span.End > len(other) {
			t.Fatalf("%s at %s:%d: bad location %s %v", what, filepath.Base(path), off, l.File, l.Span)
		}
	}
	wholeFile(t, snap, path)
	for off := 0; off <= len(text); off++ {
		h, err := snap.Hover(ctx, path, off)
		if err != nil {
			t.Fatalf("hover at %s:%d: %v", filepath.Base(path), off, err)
		}
		if h != nil {
			inFile("hover", off, Location{File: path, Span: h.Span})
			if h.Markdown == "" {
				t.Fatalf("hover at %d: empty markdown", off)
			}
			if h.Span.Start > off || off > h.Span.End {
				t.Fatalf("hover at %s:%d: span %v does not hold the cursor (%q)", filepath.Base(path), off, h.Span, text[h.Span.Start:h.Span.End])
			}
		}
		locs, err := snap.Definition(ctx, path, off)
		if err != nil {
			t.Fatalf("definition at %s:%d: %v", filepath.Base(path), off, err)
		}
		for _, l := range locs {
			inFile("definition", off, l)
		}
		checkActions(t, snap, path, off)
		items, err := snap.Completion(ctx, path, off)
		if err != nil {
			t.Fatalf("completion at %s:%d: %v", filepath.Base(path), off, err)
		}
		for _, it := range items {
			e := it.Edit
			if e.File != path || e.Span.Start > off || off > e.Span.End || e.Span.End > len(text) {
				t.Fatalf("completion %q at %s:%d: edit %s %v does not hold the cursor", it.Label, filepath.Base(path), off, e.File, e.Span)
			}
		}
	}
	checkSyntaxFeatures(t, snap, path)
}

// checkActions asks for every kind of code action at off of the file at
// path and checks them: no error, edits inside the files they name (or in
// files the action creates), and a refactoring of text that parses leaves
// every manifest it edits parsing.
func checkActions(t *testing.T, snap *Snapshot, path string, off int) {
	t.Helper()
	for _, only := range [][]string{nil, {ActionFixAll}} {
		actions, err := snap.CodeActions(context.Background(), path, ActionQuery{Span: diag.Span{Start: off, End: off}, Only: only})
		if err != nil {
			t.Fatalf("code actions at %s:%d: %v", filepath.Base(path), off, err)
		}
		for _, a := range actions {
			byFile := map[string][]diag.Edit{}
			for _, e := range a.Edits {
				byFile[e.File] = append(byFile[e.File], e)
			}
			for file, edits := range byFile {
				text, err := snap.ReadFile(file)
				if err != nil && !slices.Contains(a.Create, file) {
					t.Fatalf("%q at %s:%d edits %s, which cannot be read", a.Title, filepath.Base(path), off, file)
				}
				slices.SortStableFunc(edits, func(a, b diag.Edit) int { return a.Span.Start - b.Span.Start })
				for _, e := range edits {
					if e.Span.Start < 0 || e.Span.Start > e.Span.End || e.Span.End > len(text) {
						t.Fatalf("%q at %s:%d: edit %v outside %s", a.Title, filepath.Base(path), off, e.Span, file)
					}
				}
				if a.Kind == ActionRefactor || len(a.Create) > 0 {
					if after := ApplyEdits(text, edits); len(json5.Parse(after).Errors) > 0 {
						t.Fatalf("%q at %s:%d leaves %s unparsable:\n%s", a.Title, filepath.Base(path), off, file, after)
					}
				}
			}
		}
	}
}

// featureFolder writes the files of the feature marker cases to a folder,
// each case in a directory of its own, and returns the folder and the
// manifests and cloud-init files.
func featureFolder(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	paths, _ := filepath.Glob(filepath.Join("testdata", "features", "*.txtar"))
	var manifests []string
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sub := filepath.Join(dir, strings.TrimSuffix(filepath.Base(p), ".txtar"))
		isFile := func(name string) bool { return !strings.HasPrefix(name, "@") }
		if err := a.WriteDir(sub, isFile); err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".json5") || strings.HasSuffix(f.Name, ".yaml") {
				manifests = append(manifests, filepath.Join(sub, filepath.FromSlash(f.Name)))
			}
		}
	}
	if len(manifests) == 0 {
		t.Fatal("no feature cases")
	}
	return dir, manifests
}

func TestFeaturesAtEveryOffset(t *testing.T) {
	dir, files := featureFolder(t)
	ws := NewWorkspace(Options{})
	snap, _ := ws.SetFolders([]string{dir})
	for _, f := range files {
		everyOffset(t, snap, f)
	}
	checkWorkspaceSymbols(t, snap)
}

// TestFeaturesOnBrokenText runs the features on random truncations and
// mutilations of the fixture: whatever the text, every answer is
// well-formed and nothing panics.
func TestFeaturesOnBrokenText(t *testing.T) {
	dir, _ := featureFolder(t)
	path := filepath.Join(dir, "navigation", "scenario.json5")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	ws := NewWorkspace(Options{})
	ws.SetFolders([]string{dir})
	pieces := []string{"", "{", "}", "[", "]", `"`, ":", ",", "${", "}", "#", ".", "\\", "/*", "*/", "//", "\n", "\r\n", "é😀"}
	for i := range 40 {
		text := string(data)
		switch i % 3 {
		case 0: // truncated
			text = text[:rng.IntN(len(text))]
		default: // a few pieces replaced
			for range 1 + rng.IntN(4) {
				at := rng.IntN(len(text))
				end := min(len(text), at+rng.IntN(8))
				text = text[:at] + pieces[rng.IntN(len(pieces))] + text[end:]
			}
		}
		if !strings.Contains(text, "manifest_version") {
			text = "{ manifest_version: \"0.4.0\" " + text
		}
		snap := ws.SetDocument(path, int32(i+1), []byte(text))
		everyOffset(t, snap, path)
	}
}

func TestFeatureCancellation(t *testing.T) {
	dir, _ := featureFolder(t)
	ws := NewWorkspace(Options{})
	snap, _ := ws.SetFolders([]string{dir})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(dir, "navigation", "scenario.json5")
	if _, err := snap.Hover(ctx, path, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("hover: %v, want context.Canceled", err)
	}
	if _, err := snap.Definition(ctx, path, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("definition: %v, want context.Canceled", err)
	}
	if _, err := snap.Completion(ctx, path, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("completion: %v, want context.Canceled", err)
	}
	if _, err := snap.CodeActions(ctx, path, ActionQuery{}); !errors.Is(err, context.Canceled) {
		t.Errorf("code actions: %v, want context.Canceled", err)
	}
}

// TestFeaturesOutsideManifests: files that are not manifests, or cannot be
// read, get no answers (and no error).
func TestFeaturesOutsideManifests(t *testing.T) {
	ws := NewWorkspace(Options{})
	dir := t.TempDir()
	pkg := filepath.Join(dir, "package.json")
	snap := ws.SetDocument(pkg, 1, []byte(`{ "name": "x", "slots": { "a": { "kind": "http" } } }`))
	ctx := context.Background()
	for off := range 40 {
		if h, err := snap.Hover(ctx, pkg, off); h != nil || err != nil {
			t.Fatalf("hover in package.json at %d: %v %v", off, h, err)
		}
		if items, err := snap.Completion(ctx, pkg, off); items != nil || err != nil {
			t.Fatalf("completion in package.json at %d: %v %v", off, items, err)
		}
	}
	if h, err := snap.Hover(ctx, filepath.Join(dir, "missing.json5"), 0); h != nil || err != nil {
		t.Errorf("hover in a missing file: %v %v", h, err)
	}
}

func TestRemoteReferencesAreNotResolved(t *testing.T) {
	ws := NewWorkspace(Options{})
	path := filepath.Join(t.TempDir(), "a.json5")
	text := `{ manifest_version: "0.1.0", components: { web: "https://example.com/web.json5" } }`
	snap := ws.SetDocument(path, 1, []byte(text))
	h, err := snap.Hover(context.Background(), path, strings.Index(text, "web:"))
	if err != nil || h == nil || !strings.Contains(h.Markdown, "remote manifests are resolved when linking only") {
		t.Fatalf("hover on a remote child: %v %+v", err, h)
	}
	locs, err := snap.Definition(context.Background(), path, strings.Index(text, "https"))
	if err != nil || locs != nil {
		t.Errorf("definition of a remote ref: %v %v", locs, err)
	}
}

func TestCodeActionQueries(t *testing.T) {
	ws := NewWorkspace(Options{Link: syntaxLink})
	dir := t.TempDir()
	path := filepath.Join(dir, "a.json5")
	text := "{\n  manifest_version: \"0.4.0\",\n  experimental_features: [\"governance\"],\n  policies: [],\n}\n"
	ws.SetConfig(Config{Roots: []string{path}})
	snap := ws.SetDocument(path, 1, []byte(text))
	ctx := context.Background()
	policies := strings.Index(text, "policies")
	cases := []struct {
		name  string
		q     ActionQuery
		codes []string
	}{
		{"cursor on the key", ActionQuery{Span: diag.Span{Start: policies + 2, End: policies + 2}}, []string{"Rename `policies` to `overlays`"}},
		{"whole file", ActionQuery{Span: diag.Span{Start: 0, End: len(text)}}, []string{"Remove experimental feature `governance`", "Rename `policies` to `overlays`"}},
		{"elsewhere", ActionQuery{Span: diag.Span{Start: 0, End: 1}}, nil},
		{"named by the editor", ActionQuery{Span: diag.Span{Start: 0, End: 1},
			Diagnostics: []DiagnosticRef{{Code: string(codes.DraftSpelling), Span: diag.Span{Start: policies, End: policies + 8}}}}, []string{"Rename `policies` to `overlays`"}},
		{"named with another code", ActionQuery{Span: diag.Span{Start: 0, End: 1},
			Diagnostics: []DiagnosticRef{{Code: "manifest::other", Span: diag.Span{Start: policies, End: policies + 8}}}}, nil},
	}
	for _, tc := range cases {
		actions, err := snap.CodeActions(ctx, path, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, a := range actions {
			if a.Kind != ActionQuickFix {
				continue // fix-all comes with preferred fixes
			}
			titles = append(titles, a.Title)
			if !a.Preferred {
				t.Errorf("%s: %q is not preferred", tc.name, a.Title)
			}
			if len(a.Diagnostics) != 1 || a.Diagnostics[0].Code != codes.DraftSpelling || len(a.Edits) == 0 || a.Edits[0].File != path {
				t.Errorf("%s: %q: diagnostics %v, edits %v", tc.name, a.Title, a.Diagnostics, a.Edits)
			}
		}
		if strings.Join(titles, "|") != strings.Join(tc.codes, "|") {
			t.Errorf("%s: actions %q, want %q", tc.name, titles, tc.codes)
		}
	}
}

// TestFeaturesOnTheConformanceCorpus runs every feature at every offset of
// Amber's example manifests and UI cases (well-formed and broken ones).
func TestFeaturesOnTheConformanceCorpus(t *testing.T) {
	conformance := corpus.Path(t, "conformance")
	for _, sub := range []string{"examples", "ui"} {
		dir := filepath.Join(conformance, sub)
		ws := NewWorkspace(Options{})
		snap, _ := ws.SetFolders([]string{dir})
		var files []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json5") {
				files = append(files, p)
			}
			return nil
		})
		if len(files) == 0 {
			t.Fatalf("no manifests in %s", dir)
		}
		for _, f := range files {
			everyOffset(t, snap, f)
		}
	}
}
