package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckFix: --check --fix writes the safe fixes, says so on stderr,
// and reports (and exits by) what remains; without --fix nothing is
// written.
func TestCheckFix(t *testing.T) {
	draft := `{
  manifest_version: "0.4.0",
  experimental_features: ["governance"],
  use: { wrap: "./overlay.json5" },
  policies: ["#wrap.apply"],
}
`
	overlay := `{
  manifest_version: "0.1.0",
  provides: { apply: { kind: "http", profile: "policy", endpoint: "api" } },
  exports: { apply: "apply" },
  program: { path: "/usr/bin/overlay", network: { endpoints: [{ name: "api", port: 8120 }] } },
}
`
	// A profile is any string: `policy` is a draft spelling only on the
	// provide an `overlays` entry resolves to.
	opa := `{
  manifest_version: "0.3.0",
  slots: { opa: { kind: "http", profile: "policy" } },
  program: { path: "/bin/x", args: ["${slots.opa.url}"] },
}
`
	// `policies` beside `overlays`: a copy of its entries is removed; new
	// entries would go where the author may not want them, so they are
	// left for the quick fix.
	both := `{
  manifest_version: "0.4.0",
  use: { wrap: "./overlay.json5" },
  overlays: ["#wrap.apply"],
  policies: ["#wrap.apply"],
}
`
	bothFixed := strings.Replace(both, "  policies: [\"#wrap.apply\"],\n", "", 1)
	bothNew := strings.Replace(both, `policies: ["#wrap.apply"]`, `policies: ["#wrap.apply", "#wrap.audit"]`, 1)
	fixedDraft := strings.NewReplacer(`"governance"`, ``, "policies", "overlays").Replace(draft)
	fixedOverlay := strings.Replace(overlay, `"policy"`, `"overlay"`, 1)
	cases := []struct {
		name          string
		files         map[string]string
		args          []string
		code          int
		want          map[string]string // file -> text afterwards
		stderr        []string
		remainingCode string
	}{
		{
			name:   "every problem fixed",
			files:  map[string]string{"scenario.json5": draft, "overlay.json5": overlay},
			args:   []string{"--check", "--fix", "--format", "json"},
			code:   0,
			want:   map[string]string{"scenario.json5": fixedDraft, "overlay.json5": fixedOverlay},
			stderr: []string{"fixed 2 problem(s) in DIR/scenario.json5", "fixed 1 problem(s) in DIR/overlay.json5"},
		},
		{
			name:          "a problem without a safe fix remains",
			files:         map[string]string{"scenario.json5": strings.Replace(draft, `"./overlay.json5"`, `"./missing.json5"`, 1)},
			args:          []string{"--check", "--fix", "--format", "json"},
			code:          1,
			want:          map[string]string{"scenario.json5": strings.Replace(fixedDraft, `"./overlay.json5"`, `"./missing.json5"`, 1)},
			stderr:        []string{"fixed 2 problem(s) in DIR/scenario.json5"},
			remainingCode: "compiler::manifest_ref_resolution",
		},
		{
			name:  "a profile policy outside overlays is left alone",
			files: map[string]string{"opa.json5": opa},
			args:  []string{"--check", "--fix", "--format", "json"},
			code:  0,
			want:  map[string]string{"opa.json5": opa},
		},
		{
			name:   "policies repeating overlays is removed",
			files:  map[string]string{"scenario.json5": both, "overlay.json5": fixedOverlay},
			args:   []string{"--check", "--fix", "--format", "json"},
			code:   0,
			want:   map[string]string{"scenario.json5": bothFixed},
			stderr: []string{"fixed 1 problem(s) in DIR/scenario.json5"},
		},
		{
			name:          "policies adding to overlays has no safe fix",
			files:         map[string]string{"scenario.json5": bothNew, "overlay.json5": fixedOverlay},
			args:          []string{"--check", "--fix", "--format", "json"},
			code:          1,
			want:          map[string]string{"scenario.json5": bothNew},
			remainingCode: "amber_lsp::draft_spelling",
		},
		{
			name:   "a draft before 0.4.0 gets the version too",
			files:  map[string]string{"scenario.json5": strings.Replace(draft, `"0.4.0"`, `"0.1.0"`, 1), "overlay.json5": fixedOverlay},
			args:   []string{"--check", "--fix", "--format", "json"},
			code:   0,
			want:   map[string]string{"scenario.json5": fixedDraft},
			stderr: []string{"fixed 2 problem(s) in DIR/scenario.json5"},
		},
		{
			name:  "without --fix nothing is written",
			files: map[string]string{"scenario.json5": draft, "overlay.json5": overlay},
			args:  []string{"--check", "--format", "json"},
			code:  1,
			want:  map[string]string{"scenario.json5": draft, "overlay.json5": overlay},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			code, stdout, stderr := runCheck(t, append(tc.args, dir)...)
			stderr = strings.ReplaceAll(stderr, dir, "DIR")
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s\n%s", code, tc.code, stdout, stderr)
			}
			for name, want := range tc.want {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || string(got) != want {
					t.Errorf("%s afterwards:\n%s\nwant:\n%s", name, got, want)
				}
				if info, err := os.Stat(filepath.Join(dir, name)); err == nil && info.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v, want the file's own 0600", name, info.Mode().Perm())
				}
			}
			for _, line := range tc.stderr {
				if !strings.Contains(stderr, line) {
					t.Errorf("stderr lacks %q:\n%s", line, stderr)
				}
			}
			if len(tc.stderr) == 0 && stderr != "" {
				t.Errorf("stderr: %s", stderr)
			}
			var rep report
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			if tc.remainingCode != "" && (len(rep.Diagnostics) != 1 || rep.Diagnostics[0].Code != tc.remainingCode) {
				t.Errorf("remaining diagnostics: %+v, want one %s", rep.Diagnostics, tc.remainingCode)
			}
		})
	}
}
