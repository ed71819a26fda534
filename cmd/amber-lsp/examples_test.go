package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/freeport"
)

// examples is the example tree the README's first command checks.
const examples = "../../examples"

// TestExamplesCheckClean: `--check examples/` exits 0 and prints nothing,
// with and without `-D warnings`, and reads the whole tree: four manifests
// and the two program files they inline.
func TestExamplesCheckClean(t *testing.T) {
	for _, args := range [][]string{{"--check", examples}, {"--check", "-D", "warnings", examples}} {
		code, stdout, stderr := runCheck(t, args...)
		if code != 0 || stdout != "" || stderr != "" {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, stdout, stderr)
		}
	}
	code, stdout, _ := runCheck(t, "--check", "--format", "json", examples)
	rep := decodeReport(t, stdout)
	if code != 0 || len(rep.Diagnostics) != 0 || rep.Summary.Files != 6 {
		t.Errorf("--format json: exit %d, %d diagnostics, %d files (want 6)", code, len(rep.Diagnostics), rep.Summary.Files)
	}
}

// TestExamplesPreview runs the example's overlay helper, a Python program,
// through `--preview`: it answers with one audit proxy per HTTP edge. The
// tree is copied so that the helper can listen on a free port.
func TestExamplesPreview(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("skipping the example preview: python3 not found, and the example's overlay helper is a Python program")
	}
	dir := t.TempDir()
	port := strconv.Itoa(freeport.Get(t))
	err := filepath.WalkDir(examples, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(examples, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if rel == filepath.Join("audit", "overlay.json5") {
			text = []byte(strings.ReplaceAll(string(text), "7310", port))
		}
		return os.WriteFile(filepath.Join(dir, rel), text, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCheck(t, "--preview", filepath.Join(dir, "scenario.json5"))
	for _, want := range []string{
		"overlay #audit.apply in scope /",
		"0  binding /api.http -> /web.api  [http]",
		"1  export  /web.site -> (outside)  [http]",
		"plan: 2 interposition(s)",
		"/__overlay_0_0 attached to 0",
		"/__overlay_0_1 attached to 1",
		"/api.http -> /__overlay_0_0.upstream",
		"/__overlay_0_0.downstream -> /web.api",
		"export site <- /__overlay_0_1.downstream",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--preview output lacks %q", want)
		}
	}
	if code != 0 || stderr != "" || t.Failed() {
		t.Errorf("--preview: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestDocsStandAlone: every relative link of the README and of docs/
// names a file of this repository, and none leads out of it (the docs
// stand on their own, without ../shared).
func TestDocsStandAlone(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	checked := 0
	for _, doc := range append([]string{filepath.Join(root, "README.md")}, docs...) {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(text), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			checked++
			p := filepath.Join(filepath.Dir(doc), filepath.FromSlash(target))
			if rel, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s links outside the repository: %s", filepath.Base(doc), m[1])
			} else if _, err := os.Stat(p); err != nil {
				t.Errorf("%s links to a missing file: %s", filepath.Base(doc), m[1])
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d relative links found", checked)
	}
}
