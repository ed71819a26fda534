package linker_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/marker"
	"github.com/amberlsp/amber-lsp/internal/txtar"
	"github.com/amberlsp/amber-lsp/linker"
)

// TestLinkMarkers runs the marker cases of testdata/link: root.json5 and the
// files it names, whose every diagnostic is announced by a //@diag marker
// in the file it belongs to and recorded in full in the case's
// @diagnostics section (see internal/marker).
func TestLinkMarkers(t *testing.T) { marker.Run(t, "testdata/link") }

// TestLinkScenarios links the root of every link case with the linker
// itself: a case links a scenario exactly when it has no error, and the
// scenarios linked have these sizes.
func TestLinkScenarios(t *testing.T) {
	sizes := map[string]string{
		"dependency_cycle_weak":  "4 components, 3 bindings, 0 exports",
		"lints_linked":           "5 components, 4 bindings, 1 exports",
		"manifest_notes":         "3 components, 0 bindings, 0 exports",
		"overlay_endpoint_https": "1 components, 0 bindings, 0 exports",
		"ref_whatwg":             "7 components, 0 bindings, 0 exports",
		"root_program":           "1 components, 2 bindings, 0 exports",
		"siblings_equal_content": "3 components, 0 bindings, 0 exports",
		"slot_cycle_optional":    "3 components, 0 bindings, 0 exports",
	}
	paths, _ := filepath.Glob("testdata/link/*.txtar")
	seen := map[string]bool{}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := a.WriteDir(dir, func(name string) bool { return !strings.HasPrefix(name, "@") }); err != nil {
				t.Fatal(err)
			}
			res := linker.Link(context.Background(), filepath.Join(dir, "root.json5"), linker.Options{})
			got, want := "none", sizes[name]
			if want == "" {
				want = "none"
			}
			if s := res.Scenario(); s != nil {
				got = fmt.Sprintf("%d components, %d bindings, %d exports", len(s.Components), len(s.Bindings), len(s.Exports))
			}
			if got != want {
				t.Errorf("scenario: %s, want %s", got, want)
			}
			failed, opaque := false, false // opaque: a manifest was not fetched
			for _, d := range res.Diagnostics {
				failed = failed || d.Severity == diag.Error
				opaque = opaque || d.Code == codes.RemoteNotFetched
			}
			if (failed || opaque) != (res.Scenario() == nil) {
				t.Errorf("errors: %v, not fetched: %v, but scenario: %s", failed, opaque, got)
			}
		})
	}
	for name := range sizes {
		if !seen[name] {
			t.Errorf("no case %s", name)
		}
	}
}

// TestForwardedObjectDefault: a resource param that reads a child's
// default below a root config object forwarded whole is rendered with that
// default when the root object cannot hold the property (the `plain` case
// of testdata/link/config_forwarded_object_defaults.txtar, alone).
func TestForwardedObjectDefault(t *testing.T) {
	a, err := txtar.ParseFile("testdata/link/config_forwarded_object_defaults.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := a.WriteDir(dir, func(name string) bool { return name == "db.json5" }); err != nil {
		t.Fatal(err)
	}
	root := `{
  manifest_version: "0.3.0",
  config_schema: { type: "object", properties: { plain: { type: "object" } } },
  components: { plain: { manifest: "./db.json5", config: { storage: "${config.plain}" } } },
  exports: { plain: "#plain.sql" },
}`
	if err := os.WriteFile(filepath.Join(dir, "root.json5"), []byte(root), 0o644); err != nil {
		t.Fatal(err)
	}
	res := linker.Link(context.Background(), filepath.Join(dir, "root.json5"), linker.Options{})
	if len(res.Diagnostics) > 0 || !res.Linked() {
		t.Fatalf("want a clean link, got %v", res.Diagnostics)
	}
	state := res.Scenario().Components[1].Resources["state"]
	if state.Size == nil || *state.Size != "12Gi" {
		t.Errorf("resources.state = %+v, want size 12Gi", state)
	}
}
