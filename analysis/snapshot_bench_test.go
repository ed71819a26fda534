package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDeriveSnapshot measures making a new snapshot in a workspace of
// 2,000 manifests whose report was computed: after a change of one file on
// disk (FilesChanged) and after a keystroke in an open document
// (SetDocument). Both cost what changed, not the tree.
//
//	go test ./analysis -run '^$' -bench DeriveSnapshot
func BenchmarkDeriveSnapshot(b *testing.B) {
	dir := b.TempDir()
	var paths []string
	for i := range 2000 {
		p := filepath.Join(dir, fmt.Sprintf("d%02d", i/50), fmt.Sprintf("m%04d.json5", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(leaf), 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	ws := NewWorkspace(Options{})
	s, err := ws.SetFolders([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Diagnostics(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Run("file-changed", func(b *testing.B) {
		changes := []FileChange{{Path: paths[1000], Kind: FileChanged}}
		for b.Loop() {
			ws.FilesChanged(changes)
		}
	})
	b.Run("keystroke", func(b *testing.B) {
		text := []byte(leaf)
		for b.Loop() {
			ws.SetDocument(paths[1000], 1, text)
		}
	})
}
