package testgen

import (
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest"
)

// TestGenerateWorkerTree: the tree has the files and size it promises, and each
// file is a manifest without a problem of its own.
func TestGenerateWorkerTree(t *testing.T) {
	files := GenerateWorkerTree(2000)
	if len(files) != 2000/TreeGroupSize+2 {
		t.Fatalf("%d files, want %d groups, a root and a worker", len(files), 2000/TreeGroupSize)
	}
	workers := 0
	for name, text := range files {
		workers += strings.Count(string(text), "\"./worker.json5\"")
		for _, d := range manifest.Analyze(name, text).Diagnostics {
			t.Errorf("%s: %s", name, d.String())
		}
	}
	if workers != 2000 {
		t.Errorf("%d workers, want 2000", workers)
	}
}
