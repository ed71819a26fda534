package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRemoteFetchFlags checks, graphs and previews a root whose child is on
// a loopback server, counting requests: --offline and the default (an
// http:// URL) make none and report the child as not fetched (exit 0: an
// information, not an error); --remote-fetch all fetches it.
func TestRemoteFetchFlags(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		fmt.Fprint(w, `{ manifest_version: "0.1.0" }`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	root := filepath.Join(dir, "root.json5")
	if err := os.WriteFile(root, []byte(`{ manifest_version: "0.1.0", components: { x: "`+srv.URL+`/x.json5" } }`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		status  int
		fetched bool
		out     string // in stdout (or stderr for graph)
	}{
		{[]string{"--check", root}, 0, false, "amber_lsp::remote_not_fetched"},
		{[]string{"--check", "--offline", root}, 0, false, "remote manifests are not fetched"},
		{[]string{"--check", "--remote-fetch", "https", "--format", "json", root}, 0, false, `"severity": "info"`},
		{[]string{"graph", "--offline", root}, 1, false, "no scenario to draw: 1 remote manifest(s) not fetched"},
		{[]string{"--preview", "--offline", root}, 0, false, "remote_not_fetched"},
		{[]string{"--check", "--remote-fetch", "all", root}, 0, true, ""},
		{[]string{"graph", "--remote-fetch=all", root}, 0, true, "digraph"},
	}
	for _, tt := range tests {
		t.Setenv("XDG_CACHE_HOME", t.TempDir()) // nothing cached from the run before
		before := requests.Load()
		code, stdout, stderr := runCheck(t, tt.args...)
		made := requests.Load() - before
		name := strings.Join(tt.args[:len(tt.args)-1], " ")
		if code != tt.status || made != map[bool]int64{true: 1, false: 0}[tt.fetched] {
			t.Errorf("%s: exit %d after %d requests, want %d after fetched=%v\nstdout:\n%s\nstderr:\n%s", name, code, made, tt.status, tt.fetched, stdout, stderr)
		}
		if !strings.Contains(stdout+stderr, tt.out) {
			t.Errorf("%s: output does not say %q:\n%s%s", name, tt.out, stdout, stderr)
		}
	}
}

// TestMaxInstancesFlag: --max-instances sets the budget of --check and
// graph; the default lets a tree of 15 instances through.
func TestMaxInstancesFlag(t *testing.T) {
	dir := t.TempDir()
	for i := range 4 {
		text := `{ manifest_version: "0.3.0" }`
		if i < 3 {
			text = fmt.Sprintf(`{ manifest_version: "0.3.0", components: { a: "./f%d.json5", b: "./f%d.json5" } }`, i+1, i+1)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.json5", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root := filepath.Join(dir, "f0.json5")
	if code, stdout, _ := runCheck(t, "--check", root); code != 0 || strings.Contains(stdout, "too_many_instances") {
		t.Errorf("15 instances under the default budget: exit %d\n%s", code, stdout)
	}
	code, stdout, _ := runCheck(t, "--check", "--max-instances", "14", root)
	if code != 1 || !strings.Contains(stdout, "amber_lsp::too_many_instances") || !strings.Contains(stdout, "more than 14 component instances") {
		t.Errorf("15 instances with --max-instances 14: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCheck(t, "graph", "--max-instances", "14", root); code != 1 || !strings.Contains(stderr, "too_many_instances") {
		t.Errorf("graph with --max-instances 14: exit %d\n%s", code, stderr)
	}
}
