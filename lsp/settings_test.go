package lsp

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/linker"
)

func TestParseSettings(t *testing.T) {
	base := settings{Roots: []string{"keep.json5"}, DenyWarnings: true}
	for _, tc := range []struct {
		name, raw string
		want      settings
		err       string
	}{
		{"empty keeps", ``, base, ""},
		{"null keeps", `null`, base, ""},
		{"section", `{"roots": ["a.json5"], "lint": {"denyWarnings": true}, "trace": {"server": "verbose"}, "overlays": {"preview": true}}`,
			settings{Roots: []string{"a.json5"}, DenyWarnings: true, Trace: "verbose", OverlaysPreview: true}, ""},
		{"wrapped", `{"amber": {"roots": ["b.json5"]}}`, settings{Roots: []string{"b.json5"}}, ""},
		{"dotted", `{"amber.roots": ["c.json5"], "amber.lint.denyWarnings": true}`, settings{Roots: []string{"c.json5"}, DenyWarnings: true}, ""},
		{"dotted in section", `{"lint.denyWarnings": true}`, settings{DenyWarnings: true}, ""},
		{"absent means default", `{}`, settings{}, ""},
		{"bad roots", `{"roots": "a.json5"}`, settings{}, "amber.roots must be a list"},
		{"bad root entry", `{"roots": ["a", 5, ""]}`, settings{Roots: []string{"a"}}, "entries must be non-empty strings"},
		{"bad bool", `{"lint": {"denyWarnings": "yes"}}`, settings{}, "denyWarnings must be true or false"},
		{"bad trace", `{"trace": {"server": "loud"}}`, settings{}, "amber.trace.server must be"},
		{"fetch off", `{"remote": {"fetch": false}}`, settings{Limits: analysis.Limits{Remote: linker.FetchNone}}, ""},
		{"fetch all", `{"amber.remote.fetch": "all"}`, settings{Limits: analysis.Limits{Remote: linker.FetchAll}}, ""},
		{"fetch https", `{"remote.fetch": "https"}`, settings{}, ""},
		{"fetch true", `{"remote": {"fetch": true}}`, settings{}, `amber.remote.fetch must be "https", "all" or false`},
		{"fetch http", `{"remote": {"fetch": "http"}}`, settings{}, `amber.remote.fetch must be "https", "all" or false`},
		{"instances", `{"limits": {"instances": 500}}`, settings{Limits: analysis.Limits{MaxInstances: 500}}, ""},
		{"instances zero", `{"limits": {"instances": 0}}`, settings{}, "amber.limits.instances must be a positive whole number"},
		{"instances fraction", `{"amber.limits.instances": 2.5}`, settings{}, "amber.limits.instances must be a positive whole number"},
		{"instances string", `{"limits": {"instances": "9"}}`, settings{}, "amber.limits.instances must be a positive whole number"},
		{"not an object", `[1]`, base, "must be an object"},
		{"not JSON", `{`, base, "not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseSettings([]byte(tc.raw), base)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("error = %v, want %q", err, tc.err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("settings = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestRootPaths: amber.roots are relative to the first folder, and a root
// outside every folder (absolute, climbing out with .., or a link that
// leads out) is refused.
func TestRootPaths(t *testing.T) {
	w, other, outside := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.Symlink(filepath.Join(outside, "x.json5"), filepath.Join(w, "out.json5")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "x.json5"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := settings{Roots: []string{"a.json5", filepath.Join(other, "b.json5"), "sub/../c.json5", "/etc/passwd", "../../../etc/passwd", "out.json5", "."}}
	roots, refused := s.rootPaths([]string{w, other})
	wantRoots := []string{filepath.Join(w, "a.json5"), filepath.Join(other, "b.json5"), filepath.Join(w, "c.json5")}
	wantRefused := []string{"/etc/passwd", filepath.Clean(filepath.Join(w, "../../../etc/passwd")), filepath.Join(w, "out.json5"), w}
	if !reflect.DeepEqual(roots, wantRoots) || !reflect.DeepEqual(refused, wantRefused) {
		t.Errorf("rootPaths = %v, refused %v; want %v, refused %v", roots, refused, wantRoots, wantRefused)
	}
	if roots, refused := s.rootPaths(nil); roots != nil || len(refused) != len(s.Roots) {
		t.Errorf("without folders = %v, refused %v; want every root refused", roots, refused)
	}
}

// TestSettingsDocumented: every `amber.*` setting that settings.go names
// has a row in docs/settings.md, and every row names a setting the server
// reads (a value of the wrong type for it is reported by name).
func TestSettingsDocumented(t *testing.T) {
	name := regexp.MustCompile(`amber(\.[a-zA-Z]+)+`)
	src, err := os.ReadFile("settings.go")
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	for _, n := range name.FindAllString(string(src), -1) {
		read[n] = true
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "settings.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if n, ok := strings.CutPrefix(line, "| `"); ok {
			if n, _, ok := strings.Cut(n, "`"); ok && name.MatchString(n) {
				documented[n] = true
			}
		}
	}
	if len(read) < 8 {
		t.Fatalf("settings.go names only %v", read)
	}
	for n := range read {
		if !documented[n] {
			t.Errorf("%s is read in settings.go but has no row in docs/settings.md", n)
		}
	}
	for n := range documented {
		_, err := parseSettings([]byte(`{"`+n+`": {"not": "a setting value"}}`), settings{})
		if err == nil || !strings.Contains(err.Error(), n) {
			t.Errorf("docs/settings.md documents %s, but a wrong value for it is not reported by name: %v", n, err)
		}
	}
}
