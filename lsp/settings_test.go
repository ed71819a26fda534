package lsp

import (
	"reflect"
	"strings"
	"testing"
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

func TestRootPaths(t *testing.T) {
	s := settings{Roots: []string{"a.json5", "/abs/b.json5", "sub/../c.json5"}}
	got := s.rootPaths([]string{"/w", "/other"})
	want := []string{"/w/a.json5", "/abs/b.json5", "/w/c.json5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rootPaths = %v, want %v", got, want)
	}
	if got := s.rootPaths(nil); !reflect.DeepEqual(got, []string{"/abs/b.json5"}) {
		t.Errorf("without folders = %v", got)
	}
}
