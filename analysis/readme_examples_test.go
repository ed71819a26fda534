package analysis_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/marker"
	"github.com/amberlsp/amber-lsp/internal/txtar"
)

// readmeMarkers are the README's examples of references, rename, code
// lenses and the call hierarchy on the repository's examples/ tree (its
// table of methods), as markers: each is added, as a comment, to the end
// of the first line of its file that holds the text. The README's
// sentences and these markers say the same; change them together.
var readmeMarkers = []struct{ file, line, markers string }{
	// references: on `api` in `slots: { api: ... }` of web.json5, the key,
	// `${slots.api.url}` in web.json5 and `#web.api` in scenario.json5.
	{"web.json5", `api: { kind: "http" }`, `//@refs("api", "scenario.json5:30:17", "web.json5:14:25", "web.json5:6:5")`},
	// rename: F2 on `#api` in `from: "#api.http"`, new name `backend`: the
	// `components` key and the `#api` of the binding; `a.b` is refused.
	{"scenario.json5", `{ to: "#web.api", from: "#api.http" }`, `//@rename("#api", "backend", "scenario.json5:21:5", "scenario.json5:30:31") rename("#api", "a.b", "error: invalid child name ` + "`a.b`" + `: dots are reserved")`},
	// code lenses of web.json5.
	{"web.json5", `manifest_version`, `//@lens("manifest_version", "instantiated by 1 parent")`},
	{"web.json5", `api: { kind: "http" }`, `lens("api", "2 references")`},
	{"web.json5", `site: { kind: "http"`, `//@lens("site", "1 reference")`},
	{"web.json5", `site: "site"`, `//@lens("site", "1 reference")`},
	// the call hierarchy on `web: "./web.json5"`: one incoming call, from api.
	{"scenario.json5", `web: "./web.json5"`, `//@calls("web", "in", "api") calls("web", "out", "none")`},
}

// TestReadmeExamples checks the README's examples on examples/ through
// analysis and the real server (see internal/marker): a case made of every
// file of examples/ with readmeMarkers added.
func TestReadmeExamples(t *testing.T) {
	files := map[string][]byte{}
	root := filepath.Join("..", "examples")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		files[filepath.ToSlash(rel)], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range readmeMarkers {
		lines := strings.SplitAfter(string(files[m.file]), "\n")
		found := false
		for i, line := range lines {
			if strings.Contains(line, m.line) {
				lines[i] = strings.TrimRight(line, "\n") + " " + m.markers + "\n"
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("examples/%s has no line holding %q: change the README's example and readmeMarkers with it", m.file, m.line)
		}
		files[m.file] = []byte(strings.Join(lines, ""))
	}
	a := &txtar.Archive{Comment: []byte("The README's examples on examples/.\n")}
	for name, data := range files {
		a.Files = append(a.Files, txtar.File{Name: name, Data: data})
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "readme.txtar"), txtar.Format(a), 0o644); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files["web.json5"], []byte("//@")) {
		t.Fatal("no marker was added")
	}
	marker.Run(t, dir)
}
