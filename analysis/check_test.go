package analysis

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestCheck(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"p.json5":       parent("./c.json5"),
		"c.json5":       broken,
		"lone.json5":    broken,
		"sub/q.json5":   parent("../c.json5"),
		"readme.json":   `{}`,
		"sub/z/r.json5": leaf,
	})
	for _, tc := range []struct {
		name  string
		paths []string
		files []string
		with  []string // files with diagnostics
	}{
		{"directory", []string{dir}, []string{"c.json5", "lone.json5", "p.json5", "sub/q.json5", "sub/z/r.json5"}, []string{"c.json5", "lone.json5"}},
		{"root file reads its child", []string{filepath.Join(dir, "p.json5")}, []string{"p.json5", "c.json5"}, []string{"c.json5"}},
		{"file then directory", []string{filepath.Join(dir, "lone.json5"), filepath.Join(dir, "sub")}, []string{"lone.json5", "sub/q.json5", "sub/z/r.json5", "c.json5"}, []string{"c.json5", "lone.json5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Check(tc.paths, CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := rel(dir, res.Files); !slices.Equal(got, tc.files) {
				t.Errorf("files = %v, want %v", got, tc.files)
			}
			var with []string
			for f := range res.ByFile {
				with = append(with, f)
			}
			slices.Sort(with)
			if got := rel(dir, with); !slices.Equal(got, tc.with) {
				t.Errorf("files with diagnostics = %v, want %v", got, tc.with)
			}
			n := 0
			for _, ds := range res.ByFile {
				n += len(ds)
			}
			if n != len(res.Diagnostics) {
				t.Errorf("%d diagnostics by file, %d in all", n, len(res.Diagnostics))
			}
		})
	}
	if _, err := Check([]string{filepath.Join(dir, "missing.json5")}, CheckOptions{}); err == nil {
		t.Error("a missing path was not an error")
	}
}
