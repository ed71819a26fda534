package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// freePort returns a loopback port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// overlayWorkspace copies the overlay package's redaction fixture with its
// test helper (built here) answering in mode, on the given port.
func overlayWorkspace(t *testing.T, mode string, port int) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin", "helper")
	if out, err := exec.Command("go", "build", "-o", bin, "../../overlay/testdata/helper").CombinedOutput(); err != nil {
		t.Fatalf("building the test helper: %v\n%s", err, out)
	}
	files, _ := filepath.Glob("../../overlay/testdata/redaction/*.json5")
	repl := strings.NewReplacer("{{PORT}}", strconv.Itoa(port), "{{MODE}}", mode, "{{PIDFILE}}", "")
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(repl.Replace(string(text))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "scenario.json5")
}

// TestPreviewAndApply runs real helpers through the command line: --preview
// in both formats and --check --apply-overlays with a good and a bad plan.
func TestPreviewAndApply(t *testing.T) {
	root := overlayWorkspace(t, "redact", freePort(t))
	code, stdout, stderr := runCheck(t, "--preview", root)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "/__overlay_0_0 attached to 0") || !strings.Contains(stdout, "/responder.a2a -> /__overlay_0_0.upstream") {
		t.Errorf("--preview: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runCheck(t, "--preview", "--format", "json", root)
	var doc struct {
		Version  int
		Overlays []struct{ Ref string }
		Scenario map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != 0 || doc.Version != 1 || len(doc.Overlays) != 1 || doc.Scenario == nil {
		t.Errorf("--preview --format json: exit %d, %v\n%s", code, err, stdout)
	}
	if code, stdout, _ := runCheck(t, "--check", "--apply-overlays", root); code != 0 {
		t.Errorf("--check --apply-overlays: exit %d\n%s", code, stdout)
	}

	bad := overlayWorkspace(t, "invalid", freePort(t))
	code, stdout, _ = runCheck(t, "--check", "--apply-overlays", "--format", "json", bad)
	if code != 1 || !strings.Contains(stdout, "compiler::overlay_pass_invalid_interposition_plan") {
		t.Errorf("invalid plan: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := runCheck(t, "--check", bad); code != 0 {
		t.Errorf("helpers must not run without --apply-overlays: exit %d\n%s", code, stdout)
	}
}
