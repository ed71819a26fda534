package main

import (
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/freeport"
)

// TestGraphGolden draws the example scenario and the redaction fixture in
// every format, the redaction fixture also with its overlay applied by the
// real test helper, and compares with testdata/graph/*.golden (refresh
// with -update).
func TestGraphGolden(t *testing.T) {
	redaction := overlayWorkspace(t, "redact", freeport.Get(t))
	cases := []struct {
		name, root string
		overlays   bool
	}{
		{"examples", "../../examples/scenario.json5", false},
		{"redaction", redaction, false},
		{"redaction_overlays", redaction, true},
	}
	for _, tc := range cases {
		for _, format := range []string{"dot", "mermaid", "json"} {
			t.Run(tc.name+"."+format, func(t *testing.T) {
				args := []string{"graph", "--format", format, tc.root}
				if tc.overlays {
					args = append(args, "--apply-overlays")
				}
				code, stdout, stderr := runCheck(t, args...)
				if code != 0 || stderr != "" {
					t.Fatalf("exit %d\n%s", code, stderr)
				}
				checkGolden(t, "graph/"+tc.name+"."+format+".golden", stdout)
				_, again, _ := runCheck(t, args...)
				if again != stdout {
					t.Errorf("a second run draws another graph:\n%s", again)
				}
			})
		}
	}
}

// TestGraphErrors: usage errors exit 2, a scenario that does not link
// exits 1 with its errors on stderr and nothing on stdout, and helpers do
// not run without --apply-overlays.
func TestGraphErrors(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no root", []string{"graph"}, 2, "graph takes the root manifest to draw"},
		{"two roots", []string{"graph", "a.json5", "b.json5"}, 2, "graph takes one root manifest, got 2 paths"},
		{"bad format", []string{"graph", "--format", "svg", "x.json5"}, 2, `unknown graph format "svg" (want dot, mermaid or json)`},
		{"timeout without overlays", []string{"graph", "--overlay-timeout", "1s", "x.json5"}, 2, "--overlay-timeout goes with --apply-overlays"},
		{"unknown flag", []string{"graph", "--check", "x.json5"}, 2, "unknown graph flag --check"},
		{"missing root", []string{"graph", "testdata/nothing-here.json5"}, 2, "cannot read testdata/nothing-here.json5"},
		{"link errors", []string{"graph", testdata(t, "error.json5")}, 1, "error: no scenario to draw"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCheck(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if stdout != "" {
				t.Errorf("stdout: %s", stdout)
			}
		})
	}
}
