package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestCheckDoublingSchema runs --check on a root giving a child whose
// config_schema has definitions that take each other twice over, 30 deep
// (minutes before the schema walks were bounded): it ends at once, with
// the config error where there is one, and where the validator can
// remember nothing (detours and a reference cycle), the schema reported
// too large to check.
func TestCheckDoublingSchema(t *testing.T) {
	tests := []struct {
		schema testgen.DoublingSchema
		valid  bool
		want   string // the message of the linker::invalid_config, "" for none
	}{
		{testgen.DoublingSchema{Depth: 30, Fanout: testgen.FanoutProperties}, true, ""},
		{testgen.DoublingSchema{Depth: 30, Fanout: testgen.FanoutProperties}, false, `invalid config for /c: invalid config: 1 is not of type "string"`},
		{testgen.DoublingSchema{Depth: 30, Fanout: testgen.FanoutAllOf}, true, ""},
		{testgen.DoublingSchema{Depth: 30, Fanout: testgen.FanoutAllOf, Cyclic: true}, true, ""},
		{testgen.DoublingSchema{Depth: 30, Fanout: testgen.FanoutAllOf, Cyclic: true, Detours: true}, true,
			"invalid config for /c: invalid config: config definition is too large to check"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		for name, text := range tt.schema.Tree(tt.valid) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var code int
		var stdout bytes.Buffer
		took := cost.Deadline(t, "--check of "+tt.schema.String(), 500*time.Millisecond, func() {
			code = run([]string{"--check", "--format", "json", dir}, strings.NewReader(""), &stdout, io.Discard)
		})
		t.Logf("%s, valid %v: %v", tt.schema, tt.valid, took)
		var rep struct {
			Diagnostics []struct{ Code, Message string }
		}
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("not a JSON report: %v", err)
		}
		var got string
		for _, d := range rep.Diagnostics {
			if d.Code == "linker::invalid_config" {
				got = d.Message
			}
		}
		if got != tt.want || code != map[bool]int{true: 1, false: 0}[tt.want != ""] {
			t.Errorf("%s, valid %v: exit %d, invalid_config %q; want %q", tt.schema, tt.valid, code, got, tt.want)
		}
	}
}
