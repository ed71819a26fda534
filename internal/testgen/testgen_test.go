package testgen

import (
	"context"
	"os"
	"path/filepath"

	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"

	"github.com/amberlsp/amber-lsp/manifest"
)

// TestGenerateManifest: the generated text is plain JSON of about the
// requested number of lines, and a manifest without a problem of its own.
func TestGenerateManifest(t *testing.T) {
	for _, lines := range []int{1, 60, 1000} {
		src := GenerateManifest(lines)
		if !json.Valid(src) {
			t.Fatalf("%d lines: not plain JSON", lines)
		}
		if n := bytes.Count(src, []byte("\n")); n < lines*9/10 || n > lines*11/10+15 {
			t.Errorf("%d lines asked, %d generated", lines, n)
		}
		for _, d := range manifest.Analyze("generated.json5", src).Diagnostics {
			t.Errorf("%d lines: %s", lines, d.String())
		}
	}
}

// TestGenerateTree: the tree has the components asked for, and checks
// clean.
func TestGenerateTree(t *testing.T) {
	for _, n := range []int{2, 52, 2000} {
		tree := GenerateTree(n)
		dir := t.TempDir()
		for name, text := range tree.Files {
			if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res := linker.Link(context.Background(), filepath.Join(dir, tree.Root), linker.Options{})
		if got := len(res.Components); got != n {
			t.Errorf("%d components asked, %d linked", n, got)
		}
		for _, d := range res.Diagnostics {
			t.Errorf("%d components: %s", n, d.String())
		}
	}
}

// TestUnknownKeys: the manifest reports one unknown field per key.
func TestUnknownKeys(t *testing.T) {
	for _, sep := range []string{" ", "\n  "} {
		res := manifest.Analyze("m.json5", []byte(UnknownKeys(30, sep)))
		if len(res.Diagnostics) != 30 || strings.Count(UnknownKeys(30, sep), "\n") != strings.Count(sep, "\n")*31+1 {
			t.Errorf("sep %q: %d diagnostics, want 30", sep, len(res.Diagnostics))
		}
	}
}

// TestDoublingSchema: the schema is a few KB at depth 30, its definitions
// are what Amber's config_schema profile accepts but for `anyOf`, and the
// value each tree gives the child is what it says: valid or not.
func TestDoublingSchema(t *testing.T) {
	for _, f := range Fanouts {
		for _, s := range []DoublingSchema{{Fanout: f}, {Fanout: f, Cyclic: true}, {Fanout: f, Cyclic: true, Detours: true}} {
			s.Depth = 30
			t.Run(s.String(), func(t *testing.T) {
				if n := len(s.Schema()); n > 8192 {
					t.Errorf("schema of %d bytes", n)
				}
				var codes []string
				for _, d := range manifest.Analyze("child.json5", []byte(s.Tree(true)["child.json5"])).Diagnostics {
					if d.Severity == diag.Error {
						codes = append(codes, string(d.Code))
					}
				}
				errors := 0
				if f == FanoutAnyOf {
					errors = 30 // one unsupported keyword per definition
				}
				if len(codes) != errors {
					t.Errorf("%d errors, want %d: %v", len(codes), errors, codes)
				}
				small := DoublingSchema{Depth: 2, Fanout: f}
				want := map[bool]string{true: `"x"`, false: "1"}
				if f == FanoutProperties {
					want = map[bool]string{true: `{ a: { a: "x" } }`, false: "{ a: { a: 1 } }"}
				}
				for _, valid := range []bool{true, false} {
					if got := small.Value(valid); got != want[valid] {
						t.Errorf("Value(%v) = %s, want %s", valid, got, want[valid])
					}
				}
			})
		}
	}
}
