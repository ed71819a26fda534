package analysis

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRenameFiles moves files and folders of a small tree and of a VM
// with a cloud-init file: the edits
// RenameFiles returns are exactly the references that must change, and
// once they are applied and the files moved, a fresh workspace links the
// same tree with the same diagnostics.
func TestRenameFiles(t *testing.T) {
	files := map[string]string{
		"root.json5": `{
  manifest_version: "0.4.0",
  components: {
    web: "./web.json5",
    api: { manifest: "./sub/api.json5" },
  },
  use: { helper: { manifest: "tools/helper.json5" } },
}
`,
		"sub/api.json5":      `{ manifest_version: "0.4.0", components: { db: "./db.json5" } }`,
		"sub/db.json5":       `{ manifest_version: "0.4.0" }`,
		"web.json5":          `{ manifest_version: "0.4.0" }`,
		"tools/helper.json5": `{ manifest_version: "0.4.0" }`,
		"notes.txt":          "not a manifest",
		"vm.json5": `{
  manifest_version: "0.3.0",
  program: {
    vm: {
      image: "debian.qcow2", cpus: 1, memory_mib: 512,
      cloud_init: { user_data: { file: "./init/user-data.yaml" } },
    },
  },
}
`,
		"init/user-data.yaml": "#cloud-config\nwrite_files: []\n",
	}
	for _, tc := range []struct {
		name  string
		moves [][2]string       // relative paths, old and new
		want  []string          // "file: old -> new", in file and offset order
		extra map[string]string // files to write besides the tree
	}{
		{name: "a child renamed", moves: [][2]string{{"web.json5", "site.json5"}},
			want: []string{`root.json5: ./web.json5 -> ./site.json5`}},
		{name: "a folder renamed", moves: [][2]string{{"sub", "lib"}},
			want: []string{`root.json5: ./sub/api.json5 -> ./lib/api.json5`}},
		{name: "the root moved down", moves: [][2]string{{"root.json5", "apps/root.json5"}},
			want: []string{`root.json5: ./web.json5 -> ../web.json5`, `root.json5: ./sub/api.json5 -> ../sub/api.json5`,
				`root.json5: tools/helper.json5 -> ../tools/helper.json5`}},
		{name: "a grandchild moved up", moves: [][2]string{{"sub/db.json5", "db.json5"}},
			want: []string{`sub/api.json5: ./db.json5 -> ../db.json5`}},
		{name: "a helper renamed", moves: [][2]string{{"tools/helper.json5", "tools/audit.json5"}},
			want: []string{`root.json5: tools/helper.json5 -> tools/audit.json5`}},
		{name: "a parent and its child moved together", moves: [][2]string{{"web.json5", "a/web.json5"}, {"root.json5", "a/root.json5"}},
			want: []string{`root.json5: ./sub/api.json5 -> ../sub/api.json5`, `root.json5: tools/helper.json5 -> ../tools/helper.json5`}},
		{name: "a cloud-init file renamed", moves: [][2]string{{"init/user-data.yaml", "init/cloud.yaml"}},
			want: []string{`vm.json5: ./init/user-data.yaml -> ./init/cloud.yaml`}},
		{name: "a VM moved away from its cloud-init file", moves: [][2]string{{"vm.json5", "vms/vm.json5"}},
			want: []string{`vm.json5: ./init/user-data.yaml -> ../init/user-data.yaml`}},
		{name: "a child renamed to a name with a space and a %", moves: [][2]string{{"web.json5", "my web%.json5"}},
			want: []string{`root.json5: ./web.json5 -> ./my%20web%25.json5`}},
		{name: "a folder renamed to a name with a quote and a colon", moves: [][2]string{{"tools", "it's:a"}},
			want: []string{`root.json5: tools/helper.json5 -> ./it's:a/helper.json5`}},
		{name: "file: URLs and absolute paths renamed with spaces and %", moves: [][2]string{{"web.json5", "a b/100%.json5"}, {"sub", "s p%2F"}},
			extra: map[string]string{"abs.json5": `{ manifest_version: "0.4.0", components: { w: "file://$DIR/web.json5", a: "$DIR/sub/api.json5", x: 'FILE:$DIR/web.json5' } }`},
			want: []string{`abs.json5: file://$DIR/web.json5 -> file://$DIR/a%20b/100%25.json5`, `abs.json5: $DIR/sub/api.json5 -> $DIR/s%20p%252F/api.json5`,
				`abs.json5: FILE:$DIR/web.json5 -> file://$DIR/a%20b/100%25.json5`,
				`root.json5: ./web.json5 -> ./a%20b/100%25.json5`, `root.json5: ./sub/api.json5 -> ./s%20p%252F/api.json5`}},
		{name: "a cloud-init file renamed to a name with a space and a %", moves: [][2]string{{"init/user-data.yaml", "init/user data%20.yaml"}},
			want: []string{`vm.json5: ./init/user-data.yaml -> ./init/user data%20.yaml`}},
		{name: "a cloud-init file renamed to a name with quotes", moves: [][2]string{{"init/user-data.yaml", `init/it's "x".yaml`}},
			want: []string{`vm.json5: ./init/user-data.yaml -> ./init/it's \"x\".yaml`}},
		{name: "a file no manifest names", moves: [][2]string{{"notes.txt", "todo.txt"}}},
		{name: "a folder no manifest names", moves: [][2]string{{"tools2", "tools3"}}, extra: map[string]string{"tools2/x.json5": `{ manifest_version: "0.4.0" }`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all := map[string]string{}
			for k, v := range files {
				all[k] = v
			}
			for k, v := range tc.extra {
				all[k] = v
			}
			dir := writeTree(t, all)
			for name, text := range tc.extra { // $DIR: the tree's folder, as a path
				if strings.Contains(text, "$DIR") {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(text, "$DIR", filepath.ToSlash(dir))), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			root := filepath.Join(dir, "root.json5")
			before := treeSummary(t, dir)
			ws := NewWorkspace(Options{})
			s, err := ws.SetFolders([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			var moves []FileMove
			for _, m := range tc.moves {
				moves = append(moves, FileMove{filepath.Join(dir, m[0]), filepath.Join(dir, m[1])})
			}
			edits, err := s.RenameFiles(context.Background(), moves)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range edits {
				rel, _ := filepath.Rel(dir, e.File)
				text, _ := os.ReadFile(e.File)
				got = append(got, filepath.ToSlash(rel)+": "+string(text[e.Span.Start:e.Span.End])+" -> "+e.NewText)
			}
			for i := range tc.want {
				tc.want[i] = strings.ReplaceAll(tc.want[i], "$DIR", filepath.ToSlash(dir))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("edits\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
			// Apply the edits (last first in each file), then move.
			for i := len(edits) - 1; i >= 0; i-- {
				e := edits[i]
				text, _ := os.ReadFile(e.File)
				text = slices.Concat(text[:e.Span.Start], []byte(e.NewText), text[e.Span.End:])
				if err := os.WriteFile(e.File, text, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, m := range moves {
				if err := os.MkdirAll(filepath.Dir(m.New), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(m.Old, m.New); err != nil {
					t.Fatal(err)
				}
				if m.Old == root {
					root = m.New
				}
			}
			if after := treeSummary(t, dir); after != before {
				t.Errorf("after the move the workspace checks as\n%s\nbefore\n%s", after, before)
			}
		})
	}
}

// treeSummary describes what a fresh workspace of dir links and reports:
// for each root, the number of files in its tree, and every diagnostic's
// code and message.
func treeSummary(t *testing.T, dir string) string {
	t.Helper()
	ws := NewWorkspace(Options{})
	s, err := ws.SetFolders([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	rep := report(t, s)
	var lines []string
	for _, r := range rep.Roots {
		lines = append(lines, "root with "+strings.Repeat("*", len(rep.Trees[r]))+" files")
	}
	for _, ds := range rep.ByFile {
		for _, d := range ds {
			lines = append(lines, string(d.Code)+": "+d.Message)
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
