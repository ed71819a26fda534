package program

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/txtar"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
)

// TestExamplesClean runs the checks over every manifest of Amber's example
// systems, which check clean upstream: no slot-interpolation error, no
// config-reference or resource-param problem, and every program lowers
// (with root config at run time where a schema exists) and validates as a
// lowered program.
func TestExamplesClean(t *testing.T) {
	dir := corpus.Path(t, "conformance", "examples")
	var files []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".json5") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no example manifests: %v", err)
	}
	lowered := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		r := manifest.AnalyzeWith(file, src, manifest.Options{NoLints: true})
		m := r.Manifest
		if m == nil || m.Program == nil || m.Version == nil {
			continue // not a component manifest, or no program
		}
		rel, _ := filepath.Rel(dir, file)
		read := readerFor(file)
		for _, d := range CheckSlotInterpolation(m, "/", read) {
			t.Errorf("%s: %s", rel, d.Message)
		}
		for _, p := range CheckConfigRefs(m, read) {
			t.Errorf("%s: %s", rel, p.Message)
		}
		for _, p := range CheckResourceParams(m) {
			t.Errorf("%s: %s", rel, p.Message)
		}
		cfg := NoConfig
		if m.ConfigSchema != nil {
			cfg = RuntimeConfig
		}
		var features []string
		for _, f := range m.ExperimentalFeatures {
			features = append(features, f.Value)
		}
		lp, failures := Lower(Component{Moniker: "/", Manifest: m, Config: cfg, Features: features, ReadFile: read})
		p := programOf(lp)
		for _, f := range failures {
			t.Errorf("%s: %s", rel, f.Message)
		}
		if p == nil {
			continue
		}
		lowered++
		if err := ValidateLowered(p, ownerOf(t, m, 0, features)); err != nil {
			t.Errorf("%s: ValidateLowered: %v", rel, err)
		}
	}
	if lowered == 0 {
		t.Fatal("no example program lowered")
	}
	t.Logf("%d example programs lowered", lowered)
}

// TestCorpusNoPanic runs every entry point over each manifest of the UI
// corpus and the package's own testdata, valid or not, as an editor would
// while the user types: nothing may panic, and lowered programs must encode.
func TestCorpusNoPanic(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.json5")
	files = append(files, corpus.Glob(t, "conformance/ui/*.json5")...)
	srcs, err := txtar.Glob("../../manifest/testdata/markers/*.txtar", ".json5")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		srcs[file] = src
	}
	checked := 0
	for _, file := range slices.Sorted(maps.Keys(srcs)) {
		src := srcs[file]
		r := manifest.AnalyzeWith(file, src, manifest.Options{NoLints: true})
		if r.Manifest == nil {
			continue
		}
		checked++
		m, read := r.Manifest, readerFor(file)
		CheckSlotInterpolation(m, "/", read)
		CheckConfigRefs(m, read)
		CheckResourceParams(m)
		for _, cfg := range []Config{NoConfig, RuntimeConfig, StaticConfig{map[string]any{}}} {
			lp, _ := Lower(Component{Moniker: "/", Manifest: m, Config: cfg, ReadFile: read})
			p := programOf(lp)
			if p == nil {
				continue
			}
			if _, err := scenario.Encode(p); err != nil {
				t.Errorf("%s: lowered program does not encode: %v", file, err)
			}
			UsedSlots(p)
			ValidateLowered(p, ownerOf(t, m, 0, nil))
		}
	}
	if checked == 0 {
		t.Fatal("no manifest checked")
	}
}
