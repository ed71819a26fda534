package program

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// runtimeMarker in a test config value stands for a value that depends on
// root config supplied at run time.
const runtimeMarker = "<runtime>"

// testConfig is a Config over a JSON value where runtimeMarker strings are
// Unknown (and so is everything below them).
type testConfig struct{ value any }

func (c testConfig) Lookup(path string) Outcomes {
	v := c.value
	if path != "" {
		for _, seg := range strings.Split(path, ".") {
			if v == runtimeMarker {
				return Outcomes{Unknown: true}
			}
			obj, ok := v.(map[string]any)
			if !ok {
				return Outcomes{Missing: true}
			}
			if v, ok = obj[seg]; !ok {
				return Outcomes{Missing: true}
			}
		}
	}
	if v == runtimeMarker {
		return Outcomes{Unknown: true}
	}
	return StaticOutcomes(v)
}

// parseConfig reads a test config written as JSON5; "" is NoConfig and
// "runtime" is RuntimeConfig.
func parseConfig(t *testing.T, src string) Config {
	t.Helper()
	switch src {
	case "":
		return NoConfig
	case "runtime":
		return RuntimeConfig
	}
	f := json5.Parse([]byte(src))
	if len(f.Errors) > 0 || f.Root() == nil {
		t.Fatalf("bad test config %q: %v", src, f.Errors)
	}
	return testConfig{f.Root().Value()}
}

// loadManifest analyzes a manifest file and fails the test unless it is
// valid (warnings are fine).
func loadManifest(t *testing.T, file string) *manifest.Manifest {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r := manifest.AnalyzeWith(file, src, manifest.Options{NoLints: true})
	for _, d := range r.Diagnostics {
		if d.Severity == 0 { // diag.Error
			t.Fatalf("%s: manifest error: %s", file, d.String())
		}
	}
	if r.Manifest == nil {
		t.Fatalf("%s: no manifest", file)
	}
	return r.Manifest
}

// readerFor returns a FileReader for the directory of file.
func readerFor(file string) FileReader { return DirReader(filepath.Dir(file)) }

// ownerOf describes a manifest's component for ValidateLowered.
func ownerOf(t *testing.T, m *manifest.Manifest, id int, features []string) Owner {
	t.Helper()
	o := Owner{ID: id, ConfigSchema: m.ConfigSchema, Features: features,
		Slots: map[string]scenario.SlotDecl{}, Resources: map[string]scenario.ResourceDecl{}}
	for _, s := range m.Slots {
		o.Slots[s.Name] = scenario.SlotDecl{Capability: scenario.Capability{Kind: s.Kind.Value}, Multiple: s.Multiple, Optional: s.Optional}
	}
	for _, r := range m.Resources {
		o.Resources[r.Name] = scenario.ResourceDecl{Kind: r.Kind.Value}
	}
	return o
}

// programOf is the program of a Lower result, nil for none.
func programOf(lp *Lowered) *scenario.Program {
	if lp == nil {
		return nil
	}
	return lp.Program
}
