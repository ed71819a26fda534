package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// processRun is the outcome of one amber-lsp process.
type processRun struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
	maxRSS         int64 // bytes
}

// runProcess runs the built amber-lsp with args and extra environment,
// its stdin a pipe nobody writes to, killed after limit.
func runProcess(t *testing.T, limit time.Duration, env []string, args ...string) processRun {
	t.Helper()
	bin := built(t, "amber-lsp", ".")
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	stdin, err := cmd.StdinPipe() // never written: a read of /dev/stdin would block
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	start := time.Now()
	err = cmd.Run()
	r := processRun{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("amber-lsp %s did not finish in %v (killed); stderr:\n%s", strings.Join(args, " "), limit, r.stderr)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("amber-lsp %s: %v", strings.Join(args, " "), err)
	}
	r.code = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024
	}
	return r
}

// jsonDiagnostics decodes the diagnostics of a --format json report.
func jsonDiagnostics(t *testing.T, stdout string) []jsonDiagnostic {
	t.Helper()
	var r struct {
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, stdout)
	}
	return r.Diagnostics
}

type jsonDiagnostic struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Message  string `json:"message"`
}

// TestSpecialFileRefs checks a folder whose roots name, as their child, a
// file that is not a regular file. Before, /proc/self/environ printed the
// environment (a token 41 times), /dev/zero grew to 3 GiB in 17 s and a
// named pipe or /dev/stdin hung --check. Now each is one
// compiler::manifest_ref_resolution at the ref, nothing of the file is
// shown, and the whole check takes well under 10 s and 200 MiB.
func TestSpecialFileRefs(t *testing.T) {
	dir := t.TempDir()
	const token = "tok-3b7f1c9e-do-not-print"
	root := func(ref string) string {
		return `{ manifest_version: "0.3.0", components: { x: "` + ref + `" } }` + "\n"
	}
	files := map[string]string{
		"environ.json5": root("/proc/self/environ"),
		"zero.json5":    root("/dev/zero"),
		"stdin.json5":   root("/dev/stdin"),
		"fifo.json5":    root("./pipe.json5"),
		"linked.json5":  root("./env-link.json5"),
		"dir.json5":     root("./sub"),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.json5"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "env-link.json5")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"AMBER_LSP_TEST_TOKEN=" + token}

	text := runProcess(t, 60*time.Second, env, "--check", dir)
	if strings.Contains(text.stdout+text.stderr, token) {
		t.Errorf("the token of the environment is in the output:\n%s", text.stdout)
	}
	if text.code != 1 {
		t.Errorf("exit status %d, want 1; stderr:\n%s", text.code, text.stderr)
	}
	t.Logf("--check of %d roots naming special files: %v, max RSS %.1f MiB", len(files), text.elapsed.Round(time.Millisecond), float64(text.maxRSS)/(1<<20))
	if text.elapsed > 10*time.Second || text.maxRSS > 200<<20 {
		t.Errorf("--check took %v and %d MiB, want under 10 s and 200 MiB", text.elapsed, text.maxRSS>>20)
	}

	out := runProcess(t, 60*time.Second, env, "--check", "--format", "json", dir)
	want := map[string]string{
		"environ.json5": "`/proc/self/environ` is a file below /proc, not a regular file (amber-lsp reads only regular files)",
		"zero.json5":    "`/dev/zero` is a file below /dev, not a regular file (amber-lsp reads only regular files)",
		"stdin.json5":   "`/dev/stdin` is a file below /dev, not a regular file (amber-lsp reads only regular files)",
		"fifo.json5":    "`" + filepath.Join(dir, "pipe.json5") + "` is a named pipe, not a regular file (amber-lsp reads only regular files)",
		"linked.json5":  "`" + filepath.Join(dir, "env-link.json5") + "` is a file below /proc, not a regular file (amber-lsp reads only regular files)",
		"dir.json5":     "Is a directory (os error 21)",
	}
	got := map[string][]jsonDiagnostic{}
	for _, d := range jsonDiagnostics(t, out.stdout) {
		got[filepath.Base(d.File)] = append(got[filepath.Base(d.File)], d)
	}
	for name, reason := range want {
		ds := got[name]
		if len(ds) != 1 || ds[0].Code != "compiler::manifest_ref_resolution" || !strings.HasSuffix(ds[0].Message, ": "+reason) {
			t.Errorf("%s: %+v, want one compiler::manifest_ref_resolution ending in %q", name, ds, reason)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("diagnostics in %s: %+v", name, got[name])
		}
	}
}
