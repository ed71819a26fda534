package analysis

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// TestRefactoringsResolve applies each refactoring of the refactor case
// (as open documents, creating the files it creates) and checks the
// result: fewer diagnostics of the code it answers, and every file it
// touched still parses.
func TestRefactoringsResolve(t *testing.T) {
	dir, _ := featureFolder(t)
	base := filepath.Join(dir, "refactor")
	cases := []struct {
		file, at string // the cursor is at the start of at
		title    string
		gone     diag.Code // fewer of them after the refactoring
	}{
		{"wiring.json5", `database", from`, "Declare slot `database` (http) in `app.json5`", codes.UnknownSlot},
		{"wiring.json5", `api" }, //@action`, "Export provide `api` from `db.json5`", codes.NotExported},
		{"missing.json5", `./cache`, "Create `cache.json5`", codes.ManifestRefResolution},
		{"config.json5", `mode}`, "Declare config property `mode` (string) in `config_schema`", codes.InvalidConfig},
	}
	for _, tc := range cases {
		t.Run(tc.title, func(t *testing.T) {
			ws := NewWorkspace(Options{})
			snap, err := ws.SetFolders([]string{base})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(base, tc.file)
			text, _ := snap.ReadFile(path)
			off := strings.Index(string(text), tc.at)
			if off < 0 {
				t.Fatalf("%q not in %s", tc.at, tc.file)
			}
			before, err := snap.Diagnostics(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if count(before, tc.gone) == 0 {
				t.Fatalf("no %s before the refactoring", tc.gone)
			}
			actions, err := snap.CodeActions(context.Background(), path, ActionQuery{Span: diag.Span{Start: off, End: off}})
			if err != nil {
				t.Fatal(err)
			}
			var a *CodeAction
			for i := range actions {
				if actions[i].Title == tc.title {
					a = &actions[i]
				}
			}
			if a == nil {
				t.Fatalf("no action %q among %v", tc.title, actions)
			}
			byFile := map[string][]diag.Edit{}
			for _, e := range a.Edits {
				byFile[e.File] = append(byFile[e.File], e)
			}
			for f, edits := range byFile {
				old, _ := snap.ReadFile(f)
				snap = ws.SetDocument(f, 2, ApplyEdits(old, edits))
			}
			after, err := snap.Diagnostics(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n := count(after, tc.gone); n >= count(before, tc.gone) {
				t.Errorf("%d %s after the refactoring, %d before", n, tc.gone, count(before, tc.gone))
			}
			for f := range byFile {
				for _, d := range after.ByFile[f] {
					if d.Code == codes.JSON5Error {
						t.Errorf("%s does not parse after the refactoring: %s", filepath.Base(f), d.String())
					}
				}
			}
		})
	}
}

// count returns how many diagnostics of code a report has.
func count(rep *Report, code diag.Code) int {
	n := 0
	for _, ds := range rep.ByFile {
		for _, d := range ds {
			if d.Code == code {
				n++
			}
		}
	}
	return n
}
