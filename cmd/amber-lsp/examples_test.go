package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/amberlsp/amber-lsp/internal/exampletree"
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
	root := exampletree.Copy(t, examples)
	code, stdout, stderr := runCheck(t, "--preview", root)
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

// TestDocsStandAlone: every link of the README, ARCHITECTURE.md and docs/
// names a file of this repository (and a heading of it, after `#`); none
// leads out of it, to ../shared or to the web (the docs stand on their
// own).
func TestDocsStandAlone(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	checked := 0
	for _, doc := range append([]string{filepath.Join(root, "README.md"), filepath.Join(root, "ARCHITECTURE.md")}, docs...) {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(text), -1) {
			target, anchor, _ := strings.Cut(m[1], "#")
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				t.Errorf("%s links outside the repository: %s", filepath.Base(doc), m[1])
				continue
			}
			checked++
			p := filepath.Join(filepath.Dir(doc), filepath.FromSlash(target))
			if rel, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s links outside the repository: %s", filepath.Base(doc), m[1])
			} else if info, err := os.Stat(p); err != nil {
				t.Errorf("%s links to a missing file: %s", filepath.Base(doc), m[1])
			} else if anchor != "" && !info.IsDir() && !slices.Contains(headingAnchors(t, p), anchor) {
				t.Errorf("%s links to a missing heading: %s", filepath.Base(doc), m[1])
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d relative links found", checked)
	}
}

// headingAnchors returns the anchors of a Markdown file's headings, as
// GitHub makes them: lower case, punctuation dropped, spaces as dashes.
func headingAnchors(t *testing.T, path string) []string {
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var anchors []string
	for _, line := range strings.Split(string(text), "\n") {
		trimmed := strings.TrimLeft(line, "#")
		if len(trimmed) == len(line) || !strings.HasPrefix(trimmed, " ") {
			continue
		}
		anchor := strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '-'
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				return unicode.ToLower(r)
			}
			return -1
		}, strings.TrimSpace(trimmed))
		anchors = append(anchors, anchor)
	}
	return anchors
}
