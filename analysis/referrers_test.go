package analysis

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestReferrersMatchFresh edits the references of a workspace's manifests
// one version after another and checks that each report's reverse index
// (which a report reuses from the one before when the references name the
// same files) is the one a fresh workspace computes for the same texts.
func TestReferrersMatchFresh(t *testing.T) {
	files := map[string]string{
		"root.json5":      parent("./a.json5", "./b.json5"),
		"a.json5":         parent("./b.json5"),
		"b.json5":         leaf,
		"sub/c.json5":     parent("../a.json5"),
		"sub/other.json5": leaf,
	}
	dir := writeTree(t, files)
	root, a, c := filepath.Join(dir, "root.json5"), filepath.Join(dir, "a.json5"), filepath.Join(dir, "sub/c.json5")
	steps := []struct {
		name, file, text string
	}{
		{"same targets, other text", root, parent("./a.json5", "./b.json5") + " "},
		{"a target changes", root, parent("./a.json5", "./sub/other.json5")},
		{"a reference is added", a, parent("./b.json5", "./sub/c.json5")},
		{"the same file, spelled differently", a, parent("./b.json5", "sub/../sub/c.json5")},
		{"a self-reference", c, parent("../a.json5", "./c.json5")},
		{"a syntax error keeps the references read", root, parent("./a.json5", "./sub/other.json5") + ",,"},
		{"every reference goes", root, leaf},
		{"a file no longer a manifest", c, `{ "name": "x" }`},
		{"back", c, parent("../a.json5")},
	}
	ws := NewWorkspace(Options{})
	if _, err := ws.SetFolders([]string{dir}); err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for i, st := range steps {
		texts[st.file] = st.text
		got := report(t, ws.SetDocument(st.file, int32(i+1), []byte(st.text)))
		fresh := NewWorkspace(Options{})
		if _, err := fresh.SetFolders([]string{dir}); err != nil {
			t.Fatal(err)
		}
		var s *Snapshot
		for f, text := range texts {
			s = fresh.SetDocument(f, 1, []byte(text))
		}
		want := report(t, s)
		if !reflect.DeepEqual(got.Referrers, want.Referrers) || !reflect.DeepEqual(got.Roots, want.Roots) {
			t.Errorf("%s: referrers %v, roots %v; fresh: %v, %v", st.name, got.Referrers, got.Roots, want.Referrers, want.Roots)
		}
	}
}
