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

// orderRoot and orderChild make a tree whose diagnostics Amber emits in
// another order than their files and lines: a slot-interpolation error
// and two lints in the child, a binding error in the root, then a routing
// error in the child (linker.md §1).
const (
	orderRoot = `{
  manifest_version: "0.3.0",
  components: { child: "./child.json5" },
  bindings: [{ to: "#child.nope", from: "#child.web" }],
  exports: { web: "#child.web" },
}
`
	orderChild = `{
  manifest_version: "0.3.0",
  program: {
    image: "child",
    entrypoint: ["child", "${slots.ghost.url}"],
    network: { endpoints: [{ name: "web", port: 80 }, { name: "spare", port: 81 }] },
  },
  slots: { idle: { kind: "http" } },
  provides: { web: { kind: "http", endpoint: "web" }, spare: { kind: "http", endpoint: "spare" } },
  exports: { web: "provides.web" },
}
`
)

// TestCheckOrder: --check lists diagnostics in the order Amber emits them
// (slot-interpolation errors, lints, link errors in phase order), whatever
// their files; a second root's follow its own, and -D keeps the order.
func TestCheckOrder(t *testing.T) {
	dir := writeTree(t, map[string]string{"root.json5": orderRoot, "child.json5": orderChild, "other.json5": broken})
	amber := []string{
		"child.json5 compiler::invalid_slots_interpolation",
		"child.json5 manifest::unused_slot",
		"child.json5 manifest::unused_provide",
		"root.json5 linker::unknown_slot",
		"child.json5 linker::unbound_slot",
	}
	for _, tc := range []struct {
		name  string
		paths []string
		deny  []string
		want  []string
	}{
		{"one root", []string{"root.json5"}, nil, amber},
		{"denied warnings", []string{"root.json5"}, []string{"warnings"}, amber},
		{"two roots", []string{"root.json5", "other.json5"}, nil, append(slices.Clone(amber), "other.json5 manifest::json5_error")},
		{"two roots the other way", []string{"other.json5", "root.json5"}, nil, append([]string{"other.json5 manifest::json5_error"}, amber...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var paths []string
			for _, p := range tc.paths {
				paths = append(paths, filepath.Join(dir, p))
			}
			res, err := Check(paths, CheckOptions{Deny: tc.deny})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range res.Diagnostics {
				got = append(got, filepath.Base(d.File())+" "+string(d.Code))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("order:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
