package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/golden"
)

// testdata is the absolute path of testdata/, as the checker prints it.
func testdata(t *testing.T, name string) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// runCheck runs the command line and returns its exit status and outputs,
// with the absolute testdata path replaced by TESTDATA.
func runCheck(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	dir := testdata(t, "")
	clean := func(s string) string { return strings.ReplaceAll(s, dir, "TESTDATA") }
	return code, clean(stdout.String()), clean(stderr.String())
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}

// report is the part of the --format json report the tests look at.
type report struct {
	Version     int `json:"version"`
	Diagnostics []struct {
		Code     string `json:"code"`
		Severity string `json:"severity"`
		File     string `json:"file"`
		Help     string `json:"help"`
	} `json:"diagnostics"`
	Summary struct {
		Errors, Warnings, Files int
	} `json:"summary"`
}

func decodeReport(t *testing.T, stdout string) report {
	t.Helper()
	var r report
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("stdout is not one JSON report: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than the JSON report:\n%s", stdout)
	}
	return r
}

// TestExitStatus drives every flag of --check and checks the exit status:
// 0 without errors, 1 with errors (including denied warnings), 2 when the
// command cannot run.
func TestExitStatus(t *testing.T) {
	clean, warning, bad := testdata(t, "clean.json5"), testdata(t, "warning.json5"), testdata(t, "error.json5")
	tests := []struct {
		name   string
		args   []string
		status int
		stderr string // a substring stderr must hold ("" = stderr must be empty)
	}{
		{"clean", []string{"--check", clean}, 0, ""},
		{"warning only", []string{"--check", warning}, 0, ""},
		{"error", []string{"--check", bad}, 1, ""},
		{"error among files", []string{"--check", clean, bad, warning}, 1, ""},
		{"paths before the flag", []string{clean, "--check"}, 0, ""},
		{"-D warnings", []string{"--check", "-D", "warnings", warning}, 1, ""},
		{"-Dwarnings", []string{"--check", "-Dwarnings", warning}, 1, ""},
		{"--deny warnings", []string{"--check", "--deny", "warnings", warning}, 1, ""},
		{"--deny=warnings", []string{"--check", "--deny=warnings", warning}, 1, ""},
		{"-D the code", []string{"--check", "-D", "manifest::unused_provide", warning}, 1, ""},
		{"-D another code", []string{"--check", "-D", "manifest::unused_use", warning}, 0, ""},
		{"-D warnings on a clean file", []string{"--check", "-D", "warnings", clean}, 0, ""},
		{"--format text", []string{"--check", "--format", "text", bad}, 1, ""},
		{"--format json", []string{"--check", "--format", "json", bad}, 1, ""},
		{"--format=sarif", []string{"--check", "--format=sarif", bad}, 1, ""},
		{"unknown format", []string{"--check", "--format", "xml", clean}, 2, `unknown --format "xml"`},
		{"format without value", []string{"--check", clean, "--format"}, 2, "--format needs a value"},
		{"-D without value", []string{"--check", clean, "-D"}, 2, "-D needs a value"},
		{"unknown flag", []string{"--check", "--fast", clean}, 2, "unknown flag --fast"},
		{"no path", []string{"--check"}, 2, "no manifest path given"},
		{"no path with flags", []string{"--check", "--format", "json"}, 2, "no manifest path given"},
		{"unreadable path", []string{"--check", testdata(t, "does-not-exist.json5")}, 2, "cannot read"},
		{"unreadable among good paths", []string{"--check", clean, testdata(t, "missing-dir")}, 2, "cannot read"},
		{"path without --check", []string{clean}, 2, "did you mean --check"},
		{"--apply-overlays without --check", []string{"--apply-overlays", clean}, 2, "--apply-overlays goes with --check"},
		{"--apply-overlays, no overlays", []string{"--check", "--apply-overlays", clean}, 0, ""},
		{"--preview, no overlays", []string{"--preview", clean}, 0, ""},
		{"--preview with two paths", []string{"--preview", clean, warning}, 2, "--preview takes one root manifest"},
		{"--preview as sarif", []string{"--preview", "--format", "sarif", clean}, 2, "not sarif"},
		{"--preview and --check", []string{"--preview", "--check", clean}, 2, "separate commands"},
		{"--overlay-timeout alone", []string{"--check", "--overlay-timeout", "5s", clean}, 2, "goes with --preview or --apply-overlays"},
		{"bad --overlay-timeout", []string{"--preview", "--overlay-timeout", "soon", clean}, 2, "wants a duration"},
		{"--no-remote-helpers alone", []string{"--check", "--no-remote-helpers", clean}, 2, "--no-remote-helpers goes with --preview or --apply-overlays"},
		{"unreadable --preview path", []string{"--preview", testdata(t, "does-not-exist.json5")}, 2, "cannot read"},
		{"--offline", []string{"--check", "--offline", clean}, 0, ""},
		{"--remote-fetch all", []string{"--check", "--remote-fetch", "all", clean}, 0, ""},
		{"--remote-fetch=false", []string{"--check", "--remote-fetch=false", clean}, 0, ""},
		{"--offline twice", []string{"--check", "--offline", "--remote-fetch", "false", "--offline", clean}, 0, ""},
		{"bad --remote-fetch", []string{"--check", "--remote-fetch", "http", clean}, 2, `--remote-fetch: want https, all or false, not "http"`},
		{"--offline contradicts", []string{"--check", "--remote-fetch", "all", "--offline", clean}, 2, "--offline contradicts --remote-fetch given before"},
		{"--offline with a value", []string{"--check", "--offline=yes", clean}, 2, "--offline takes no value"},
		{"--max-instances", []string{"--check", "--max-instances", "10", clean}, 0, ""},
		{"bad --max-instances", []string{"--check", "--max-instances=0", clean}, 2, `--max-instances wants a positive number of instances, got "0"`},
		{"--offline for the server", []string{"--offline"}, 2, "--offline goes with --check, --preview or graph"},
		{"--preview --offline", []string{"--preview", "--offline", "--max-instances", "5", clean}, 0, ""},
		{"help", []string{"--help"}, 0, ""},
		{"version", []string{"--version"}, 0, ""},
		{"version command", []string{"version"}, 0, ""},
		{"version command with an argument", []string{"version", "x"}, 2, "version takes no arguments"},
		{"--stdio with --check", []string{"--check", "--stdio", clean}, 2, "--stdio goes with the language server"},
		{"--clientProcessId with --preview", []string{"--preview", "--clientProcessId=7", clean}, 2, "--clientProcessId goes with the language server"},
		{"--stdio and --listen", []string{"--stdio", "--listen", "127.0.0.1:0"}, 2, "two transports"},
		{"--clientProcessId without value", []string{"--clientProcessId"}, 2, "--clientProcessId needs a value"},
		{"--clientProcessId not a number", []string{"--clientProcessId", "code"}, 2, `--clientProcessId wants a process id, got "code"`},
		{"--clientProcessId=0", []string{"--clientProcessId=0"}, 2, "wants a process id"},
		{"--pipe", []string{"--pipe=/tmp/amber.sock"}, 2, "--pipe is not supported: amber-lsp speaks LSP on stdio"},
		{"--socket", []string{"--socket=5007"}, 2, "--socket is not supported"},
		{"--node-ipc", []string{"--node-ipc", "--clientProcessId=7"}, 2, "--node-ipc is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCheck(t, tt.args...)
			if code != tt.status {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.status, stdout, stderr)
			}
			if tt.stderr == "" && stderr != "" {
				t.Errorf("unexpected stderr:\n%s", stderr)
			}
			if tt.stderr != "" && !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr does not mention %q:\n%s", tt.stderr, stderr)
			}
			if tt.status == 2 && strings.Contains(stdout, "diagnostics") {
				t.Errorf("a report on stdout although the command could not run:\n%s", stdout)
			}
		})
	}
}

// TestTextOutput compares the default text output with goldens: Amber's
// layout (code line, message, numbered snippet with the span underlined,
// help), Amber's order, and the summary line, without colour on a
// non-terminal.
func TestTextOutput(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"text_error.golden", []string{"--check", testdata(t, "error.json5")}},
		{"text_warning.golden", []string{"--check", testdata(t, "warning.json5")}},
		{"text_denied.golden", []string{"--check", "-D", "warnings", testdata(t, "warning.json5")}},
		{"text_clean.golden", []string{"--check", testdata(t, "clean.json5")}},
		// Amber's order: slot-interpolation errors, lints, then link
		// errors in phase order, whatever their files and lines.
		{"text_order.golden", []string{"--check", testdata(t, "order/root.json5")}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			_, stdout, _ := runCheck(t, tt.args...)
			if strings.Contains(stdout, "\x1b[") {
				t.Errorf("colour escapes on a non-terminal:\n%q", stdout)
			}
			checkGolden(t, tt.golden, stdout)
		})
	}
}

func TestJSONOutput(t *testing.T) {
	code, stdout, _ := runCheck(t, "--check", "--format", "json", "-D", "manifest::unused_provide",
		testdata(t, "warning.json5"), testdata(t, "clean.json5"))
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	r := decodeReport(t, stdout)
	if r.Version != 1 || r.Summary.Errors != 1 || r.Summary.Warnings != 0 || r.Summary.Files != 2 || len(r.Diagnostics) != 1 {
		t.Fatalf("report = %+v", r)
	}
	d := r.Diagnostics[0]
	if d.Code != "manifest::unused_provide" || d.Severity != "error" || d.File != "TESTDATA/warning.json5" ||
		!strings.HasPrefix(d.Help, "warning treated as error because it was denied via `-D manifest::unused_provide`") {
		t.Errorf("denied warning = %+v", d)
	}
	checkGolden(t, "json_denied.golden", stdout)

	// Without -D the warning keeps its severity.
	_, stdout, _ = runCheck(t, "--check", "--format", "json", testdata(t, "warning.json5"))
	if r := decodeReport(t, stdout); r.Summary.Warnings != 1 || r.Summary.Errors != 0 || r.Diagnostics[0].Severity != "warning" {
		t.Errorf("report = %+v", r)
	}
}

func TestSARIFOutput(t *testing.T) {
	code, stdout, _ := runCheck(t, "--check", "--format", "sarif", testdata(t, "error.json5"), testdata(t, "warning.json5"))
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			ColumnKind string `json:"columnKind"`
			Results    []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatalf("stdout is not SARIF: %v\n%s", err, stdout)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].ColumnKind != "unicodeCodePoints" || len(log.Runs[0].Results) != 2 {
		t.Fatalf("SARIF = %+v", log)
	}
	got := log.Runs[0].Results[0].RuleID + " " + log.Runs[0].Results[0].Level + ", " + log.Runs[0].Results[1].RuleID + " " + log.Runs[0].Results[1].Level
	if got != "manifest::json5_error error, manifest::unused_provide warning" {
		t.Errorf("results: %s", got)
	}
	checkGolden(t, "sarif.golden", stdout)
}

// TestDirectory checks a directory argument: every manifest below it
// (.json5 and .json) is checked; JSON files that are not manifests, other
// files and hidden directories are skipped.
func TestDirectory(t *testing.T) {
	code, stdout, stderr := runCheck(t, "--check", "--format", "json", testdata(t, "tree"))
	if code != 0 || stderr != "" {
		t.Errorf("exit status %d, stderr %q", code, stderr)
	}
	r := decodeReport(t, stdout)
	// a.json5 (clean), sub/b.json5 (unused slot), sub/c.json (unused
	// program); not package.json, sub/settings.json5, notes.txt, or
	// .hidden/d.json5 (which has a syntax error).
	if r.Summary.Files != 3 || r.Summary.Errors != 0 || r.Summary.Warnings != 2 {
		t.Errorf("summary = %+v", r.Summary)
	}
	var got []string
	for _, d := range r.Diagnostics {
		got = append(got, d.Code+" "+d.File)
	}
	want := []string{"manifest::unused_provide TESTDATA/tree/sub/b.json5", "manifest::unused_program TESTDATA/tree/sub/c.json"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The hidden manifest is still checked when named.
	if code, _, _ := runCheck(t, "--check", testdata(t, "tree/.hidden/d.json5")); code != 1 {
		t.Errorf("named hidden manifest: exit status %d, want 1", code)
	}
	// A directory with -D warnings fails on the warnings below it.
	if code, _, _ := runCheck(t, "--check", "-D", "warnings", testdata(t, "tree")); code != 1 {
		t.Errorf("-D warnings on the tree: exit status %d, want 1", code)
	}
}

// TestColour checks the colour rule: ANSI colour only on a terminal, never
// with NO_COLOR set, never in a file or a pipe.
func TestColour(t *testing.T) {
	bad := testdata(t, "error.json5")
	outputTo := func(f *os.File) string {
		t.Helper()
		var stderr bytes.Buffer
		run([]string{"--check", bad}, nil, f, &stderr)
		if _, err := f.Seek(0, 0); err == nil {
			b, _ := os.ReadFile(f.Name())
			return string(b)
		}
		return ""
	}

	file, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if out := outputTo(file); out == "" || strings.Contains(out, "\x1b[") {
		t.Errorf("colour in a regular file:\n%q", out)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	go func() {
		b := new(bytes.Buffer)
		b.ReadFrom(r)
		done <- b.String()
	}()
	run([]string{"--check", bad}, nil, w, new(bytes.Buffer))
	w.Close()
	if out := <-done; out == "" || strings.Contains(out, "\x1b[") {
		t.Errorf("colour in a pipe:\n%q", out)
	}

	tty, master, err := openTerminal()
	if err != nil {
		t.Skipf("no pseudo-terminal available: %v", err)
	}
	defer master.Close()
	defer tty.Close()
	onTerminal := func() string {
		t.Helper()
		got := make(chan string)
		master.SetReadDeadline(time.Now().Add(10 * time.Second)) // never hang the test
		go func() {
			var b bytes.Buffer
			buf := make([]byte, 4096)
			for {
				n, err := master.Read(buf)
				b.Write(buf[:n])
				if err != nil || bytes.Contains(b.Bytes(), []byte("check failed")) {
					break
				}
			}
			got <- b.String()
		}()
		run([]string{"--check", bad}, nil, tty, new(bytes.Buffer))
		return <-got
	}
	t.Setenv("NO_COLOR", "")
	if out := onTerminal(); !strings.Contains(out, "\x1b[31m") {
		t.Errorf("no colour on a terminal:\n%q", out)
	}
	t.Setenv("NO_COLOR", "1")
	if out := onTerminal(); strings.Contains(out, "\x1b[") {
		t.Errorf("colour on a terminal with NO_COLOR=1:\n%q", out)
	}
	t.Setenv("NO_COLOR", "")
	if !useColor(tty) {
		t.Errorf("an empty NO_COLOR must not disable colour")
	}
}
