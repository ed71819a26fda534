package program

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
)

// FuzzChecks feeds arbitrary manifest texts through every entry point: no
// input may panic, and a lowered program must encode and must not fail
// lowering and validation differently for the same input twice.
func FuzzChecks(f *testing.F) {
	files, _ := filepath.Glob("testdata/cases/*.json5")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	read := func(string) (string, error) { return "${slots.x} a 'b c'", nil }
	f.Fuzz(func(t *testing.T, src []byte) {
		r := manifest.AnalyzeWith("fuzz.json5", src, manifest.Options{NoLints: true})
		m := r.Manifest
		if m == nil {
			return
		}
		CheckSlotInterpolation(m, "/", read)
		CheckConfigRefs(m, read)
		CheckResourceParams(m)
		for _, cfg := range []Config{NoConfig, RuntimeConfig} {
			c := Component{Moniker: "/", Manifest: m, Config: cfg, ReadFile: read}
			lp, failures := Lower(c)
			p := programOf(lp)
			if (p == nil) == (len(failures) == 0) && m.Program != nil {
				t.Fatalf("Lower returned program %v with %d failures", p != nil, len(failures))
			}
			if p == nil {
				continue
			}
			if _, err := scenario.Encode(p); err != nil {
				t.Fatalf("lowered program does not encode: %v", err)
			}
			UsedSlots(p)
			ValidateLowered(p, Owner{ID: 0, ConfigSchema: m.ConfigSchema})
		}
	})
}
