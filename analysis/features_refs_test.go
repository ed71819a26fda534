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
	"github.com/amberlsp/amber-lsp/internal/corpus"
)

// everyOffsetRefs runs references, prepareRename, rename, the call
// hierarchy and code lenses at every offset of the file at path (and a few
// past its end) and checks the answers are well-formed: no error but a
// refused rename, every location inside its file, rename edits that do not
// overlap, a prepared rename whose name is written where it says.
func everyOffsetRefs(t *testing.T, snap *Snapshot, path string) {
	t.Helper()
	ctx := context.Background()
	text, err := snap.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(path)
	inFile := func(what string, off int, l Location) {
		t.Helper()
		other, err := snap.ReadFile(l.File)
		if err != nil || l.Span.Start < 0 || l.Span.Start > l.Span.End || l.Span.End > len(other) {
			t.Fatalf("%s at %s:%d: bad location %s %v", what, base, off, l.File, l.Span)
		}
	}
	lenses, err := snap.CodeLenses(ctx, path)
	if err != nil {
		t.Fatalf("code lenses of %s: %v", base, err)
	}
	for _, l := range lenses {
		inFile("lens", 0, Location{File: path, Span: l.Span})
		for _, loc := range l.Locations {
			inFile("lens location", 0, loc)
		}
	}
	for off := -1; off <= len(text)+2; off++ {
		for _, decl := range []bool{false, true} {
			locs, err := snap.References(ctx, path, off, decl)
			if err != nil {
				t.Fatalf("references at %s:%d: %v", base, off, err)
			}
			for _, l := range locs {
				inFile("reference", off, l)
			}
		}
		rt, err := snap.PrepareRename(ctx, path, off)
		var refused *RenameError
		switch {
		case errors.As(err, &refused):
			if refused.Message == "" {
				t.Fatalf("prepareRename at %s:%d: an empty refusal", base, off)
			}
		case err != nil:
			t.Fatalf("prepareRename at %s:%d: %v", base, off, err)
		case rt != nil:
			inFile("prepareRename", off, Location{File: path, Span: rt.Span})
			if rt.Name == "" {
				t.Fatalf("prepareRename at %s:%d: renames an empty name", base, off)
			}
		}
		edits, err := snap.Rename(ctx, path, off, "renamed_x")
		if err != nil && !errors.As(err, &refused) {
			t.Fatalf("rename at %s:%d: %v", base, off, err)
		}
		if (rt == nil) != (edits == nil) && err == nil {
			t.Fatalf("rename at %s:%d: prepared %+v, renamed with %d edits", base, off, rt, len(edits))
		}
		byFile := map[string][]diag.Edit{}
		for _, e := range edits {
			inFile("rename edit", off, Location{File: e.File, Span: e.Span})
			byFile[e.File] = append(byFile[e.File], e)
		}
		for _, es := range byFile {
			old, _ := snap.ReadFile(es[0].File)
			if _, err := applyEdits(old, es); err != nil {
				t.Fatalf("rename at %s:%d: %v", base, off, err)
			}
		}
		items, err := snap.PrepareCallHierarchy(ctx, path, off)
		if err != nil {
			t.Fatalf("prepareCallHierarchy at %s:%d: %v", base, off, err)
		}
		for _, it := range items {
			inFile("call item", off, Location{File: it.File, Span: it.Selection})
			for _, incoming := range []bool{true, false} {
				calls, err := snap.calls(ctx, it, incoming)
				if err != nil {
					t.Fatalf("calls at %s:%d: %v", base, off, err)
				}
				for _, c := range calls {
					caller := it.File
					if incoming {
						caller = c.Item.File
					}
					for _, r := range c.Ranges {
						inFile("call range", off, Location{File: caller, Span: r})
					}
				}
			}
		}
	}
}

func TestReferenceFeaturesAtEveryOffset(t *testing.T) {
	dir, files := featureFolder(t)
	ws := NewWorkspace(Options{})
	snap, _ := ws.SetFolders([]string{dir})
	for _, f := range files {
		everyOffsetRefs(t, snap, f)
	}
}

// TestReferenceFeaturesOnTheConformanceCorpus runs them at every offset of
// Amber's example manifests and UI cases.
func TestReferenceFeaturesOnTheConformanceCorpus(t *testing.T) {
	conformance := corpus.Path(t, "conformance")
	for _, sub := range []string{"examples", "ui"} {
		dir := filepath.Join(conformance, sub)
		ws := NewWorkspace(Options{})
		snap, _ := ws.SetFolders([]string{dir})
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json5") {
				everyOffsetRefs(t, snap, p)
			}
			return nil
		})
	}
}

// TestReferenceFeaturesOnBrokenText runs them on random truncations and
// mutilations of the references case.
func TestReferenceFeaturesOnBrokenText(t *testing.T) {
	dir, _ := featureFolder(t)
	path := filepath.Join(dir, "references", "web.json5")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	ws := NewWorkspace(Options{})
	ws.SetFolders([]string{dir})
	pieces := []string{"", "{", "}", "[", "]", `"`, ":", ",", "${", "}", "#", ".", "\\", "/*", "\n", "é😀"}
	for i := range 30 {
		text := string(data)
		switch i % 3 {
		case 0:
			text = text[:rng.IntN(len(text))]
		default:
			for range 1 + rng.IntN(4) {
				at := rng.IntN(len(text))
				end := min(len(text), at+rng.IntN(8))
				text = text[:at] + pieces[rng.IntN(len(pieces))] + text[end:]
			}
		}
		snap := ws.SetDocument(path, int32(i+1), []byte(text))
		everyOffsetRefs(t, snap, path)
	}
}

// TestReferencesOutsideTheWorkspace: a manifest opened outside the
// workspace folders gets the references its own tree holds (itself and
// the children it names), not an error.
func TestReferencesOutsideTheWorkspace(t *testing.T) {
	folder, outside := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(folder, "in.json5"), `{ manifest_version: "0.4.0" }`)
	child := `{ manifest_version: "0.4.0", slots: { api: { kind: "http" } }, program: { path: "/bin/x", env: { A: "${slots.api.url}" } } }`
	writeFile(t, filepath.Join(outside, "child.json5"), child)
	parent := filepath.Join(outside, "parent.json5")
	text := `{ manifest_version: "0.4.0", components: { c: "./child.json5" }, bindings: [{ to: "#c.api", from: "slots.up", weak: true }], slots: { up: { kind: "http" } } }`
	ws := NewWorkspace(Options{})
	ws.SetFolders([]string{folder})
	snap := ws.SetDocument(parent, 1, []byte(text))
	ctx := context.Background()
	locs, err := snap.References(ctx, parent, strings.Index(text, "api"), true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range locs {
		got = append(got, filepath.Base(l.File))
	}
	if want := []string{"child.json5", "child.json5", "parent.json5"}; !slices.Equal(got, want) {
		t.Errorf("references of the child's slot from outside the workspace: %v, want %v", got, want)
	}
	lenses, err := snap.CodeLenses(ctx, filepath.Join(outside, "child.json5"))
	if err != nil || len(lenses) != 2 || lenses[0].Title != "instantiated by 1 parent" || lenses[1].Title != "2 references" {
		t.Errorf("lenses of the child: %+v %v", lenses, err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReferenceFeaturesCancelled(t *testing.T) {
	dir, _ := featureFolder(t)
	ws := NewWorkspace(Options{})
	snap, _ := ws.SetFolders([]string{dir})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(dir, "references", "web.json5")
	if _, err := snap.References(ctx, path, 10, true); !errors.Is(err, context.Canceled) {
		t.Errorf("references: %v, want context.Canceled", err)
	}
	if _, err := snap.Rename(ctx, path, 10, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("rename: %v, want context.Canceled", err)
	}
	if _, err := snap.CodeLenses(ctx, path); !errors.Is(err, context.Canceled) {
		t.Errorf("code lenses: %v, want context.Canceled", err)
	}
	if _, err := snap.PrepareCallHierarchy(ctx, path, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("call hierarchy: %v, want context.Canceled", err)
	}
}

// TestIncrementalIndex: the index of a snapshot derived by edits equals
// the index of a fresh workspace with the same texts.
func TestIncrementalIndex(t *testing.T) {
	dir, _ := featureFolder(t)
	case1 := filepath.Join(dir, "references")
	ws := NewWorkspace(Options{})
	snap, _ := ws.SetFolders([]string{case1})
	ctx := context.Background()
	web := filepath.Join(case1, "web.json5")
	scenario := filepath.Join(case1, "scenario.json5")
	text, _ := os.ReadFile(scenario)
	// Edits: a third web front, then the first one removed.
	edits := []string{
		strings.Replace(string(text), `mirror: "./web.json5",`, `mirror: "./web.json5", third: "./web.json5",`, 1),
		strings.Replace(string(text), `web: "./web.json5",`, ``, 1),
	}
	webText, _ := os.ReadFile(web)
	slot := strings.Index(string(webText), "api: {")
	for i, edited := range edits {
		snap.References(ctx, web, slot, true) // the previous snapshot's index
		snap = ws.SetDocument(scenario, int32(i+1), []byte(edited))
		got, err := snap.References(ctx, web, slot, true)
		if err != nil {
			t.Fatal(err)
		}
		fresh := NewWorkspace(Options{})
		fresh.SetFolders([]string{case1})
		want, err := fresh.SetDocument(scenario, 1, []byte(edited)).References(ctx, web, slot, true)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("edit %d: references %v, a fresh workspace finds %v", i, got, want)
		}
	}
}

// TestReferencesOnHugeStrings: a config path of 100,000 segments and a
// string of 20,000 placeholders are read in linear time, and the path's
// segments past maxPathSegments are not kept.
func TestReferencesOnHugeStrings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.json5")
	deep := "${config." + strings.Repeat("a.", 100000) + "a}"
	many := strings.Repeat("${config.a}", 20000)
	text := `{ manifest_version: "0.4.0", config_schema: { type: "object", properties: { a: { type: "string" } } },
  program: { path: "/bin/x", args: ["` + deep + `", "` + many + `"] } }`
	ws := NewWorkspace(Options{})
	snap := ws.SetDocument(path, 1, []byte(text))
	ctx := context.Background()
	locs, err := snap.References(ctx, path, strings.Index(text, "{ a: {")+2, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(locs) != 20001 {
		t.Errorf("%d references of `a`, want 20,001 (one in the deep path, one per placeholder)", len(locs))
	}
	if n := len(snap.analyze(path, 0).fileSymbols().sites); n > 3*20000+3*maxPathSegments+10 {
		t.Errorf("%d occurrences kept", n)
	}
	if h, err := snap.Hover(ctx, path, strings.Index(text, "a}")); err != nil || h == nil {
		t.Errorf("hover at the end of the deep path: %v %v", h, err)
	}
}
