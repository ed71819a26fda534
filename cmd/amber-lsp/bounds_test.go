package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/cost"
	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// counter counts the bytes written to it.
type counter int

func (c *counter) Write(p []byte) (int, error) { *c += counter(len(p)); return len(p), nil }

// TestOneLineOutputIsLinear checks a manifest of 10,000 unknown keys on
// one line (1.98 GB of text output before long lines were windowed and
// diagnostics capped per file) in every output format, against the same
// keys one per line: the output has the same size and costs the same.
func TestOneLineOutputIsLinear(t *testing.T) {
	dir := t.TempDir()
	write := func(name, sep string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(testgen.UnknownKeys(10000, sep)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	oneLine, lines := write("one_line.json5", " "), write("lines.json5", "\n  ")
	for _, format := range []string{"text", "json", "sarif"} {
		var hostile, benign counter
		check := func(file string, out *counter) func() {
			return func() {
				*out = 0
				run([]string{"--check", "--format", format, file}, strings.NewReader(""), out, io.Discard)
			}
		}
		c := cost.Measure(check(oneLine, &hostile))
		base := cost.Measure(check(lines, &benign))
		cost.Within(t, format+" output of one line", c, base, 10)
		t.Logf("%s: %d bytes of output for one line, %d for one key per line", format, hostile, benign)
		if hostile > 2*benign {
			t.Errorf("%s: %d bytes for one line, %d for one key per line", format, hostile, benign)
		}
	}
}

// TestNULBytesOutput: 20,000 NUL bytes (805 MB of text before) are one
// diagnostic, shown on one windowed line.
func TestNULBytesOutput(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nul.json5")
	text := `{ manifest_version: "0.4.0", ` + strings.Repeat("\x00", 20000) + " }\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := runCheck(t, "--check", p)
	if n := strings.Count(stdout, "amber_lsp::nul_byte"); n != 1 || len(stdout) > 4000 {
		t.Errorf("%d bytes of output, %d nul_byte diagnostics; want one, in a few lines:\n%.2000q", len(stdout), n, stdout)
	}
}

// TestCappedSummaryCountsAll: past the per-file cap the diagnostics left
// out are counted in the summary of every format, as they are in the one
// diagnostic that stands for them.
func TestCappedSummaryCountsAll(t *testing.T) {
	p := filepath.Join(t.TempDir(), "many.json5")
	if err := os.WriteFile(p, []byte(testgen.UnknownKeys(1500, "\n  ")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, text, _ := runCheck(t, "--check", p)
	if !strings.Contains(text, "check failed: 1500 error(s), 0 warning(s) in 1 file(s)") {
		t.Errorf("text summary: %q", text[max(0, len(text)-300):])
	}
	_, out, _ := runCheck(t, "--check", "--format", "json", p)
	var rep struct {
		Diagnostics []json.RawMessage
		Summary     struct{ Errors, Warnings int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Errors != 1500 || len(rep.Diagnostics) != diag.MaxPerFile+1 {
		t.Errorf("json: %d diagnostics, summary %+v; want %d and 1500 errors", len(rep.Diagnostics), rep.Summary, diag.MaxPerFile+1)
	}
}
