// Package exampletree gives tests their own copy of the repository's
// examples/ tree, with the overlay helper on a port of their own, so that
// they can run it and change it.
package exampletree

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/freeport"
	"github.com/amberlsp/amber-lsp/internal/localfile"
)

// helperPort is the port the example's overlay helper listens on.
const helperPort = "7310"

// Copy copies the examples/ directory at src (relative to the test's
// package, e.g. "../examples") into a temporary directory, keeping file
// modes, with the overlay helper's port replaced by a free one. It returns
// the copy's scenario.json5.
func Copy(t testing.TB, src string) string {
	t.Helper()
	dir := t.TempDir()
	port := strconv.Itoa(freeport.Get(t))
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		text, err := localfile.Read(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if rel == filepath.Join("audit", "overlay.json5") {
			text = []byte(strings.ReplaceAll(string(text), helperPort, port))
		}
		return os.WriteFile(filepath.Join(dir, rel), text, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "scenario.json5")
}
