package program

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest"
)

// TestExamplesClean runs the checks over every manifest of Amber's example
// systems, which check clean upstream: no slot-interpolation error, no
// config-reference or resource-param problem, and every program lowers
// (with root config at run time where a schema exists) and validates as a
// lowered program.
func TestExamplesClean(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "examples")
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
		p, failures := Lower(Component{Moniker: "/", Manifest: m, Config: cfg, Features: features, ReadFile: read})
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
