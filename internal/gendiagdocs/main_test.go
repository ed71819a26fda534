package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag/codes"
)

const docsFile = "../../docs/diagnostics.md"

// TestDocsUpToDate fails while the committed reference differs from what
// the registry generates.
func TestDocsUpToDate(t *testing.T) {
	var got bytes.Buffer
	render(&got, codes.All())
	want, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatalf("%v; run `go generate ./diag/codes`", err)
	}
	if bytes.Equal(got.Bytes(), want) {
		return
	}
	g, w := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
	line := 0
	for line < len(g) && line < len(w) && g[line] == w[line] {
		line++
	}
	at := func(lines []string) string {
		if line < len(lines) {
			return lines[line]
		}
		return "(end of file)"
	}
	t.Errorf("docs/diagnostics.md is stale; run `go generate ./diag/codes`. First difference, line %d:\n generated: %s\n committed: %s",
		line+1, at(g), at(w))
}

// TestRender checks the reference's structure: every code has a section
// the index links to, and nothing links outside the repository.
func TestRender(t *testing.T) {
	var b bytes.Buffer
	all := codes.All()
	render(&b, all)
	doc := b.String()
	headings := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^## `([^`]+)`$").FindAllStringSubmatch(doc, -1) {
		headings[strings.ReplaceAll(m[1], ":", "")] = true
	}
	links := regexp.MustCompile(`\]\(([^)]*)\)`).FindAllStringSubmatch(doc, -1)
	if len(headings) != len(all) || len(links) != len(all) {
		t.Errorf("%d sections and %d links for %d codes", len(headings), len(links), len(all))
	}
	for _, l := range links {
		if target, ok := strings.CutPrefix(l[1], "#"); !ok || !headings[target] {
			t.Errorf("link %q does not lead to a section of the file", l[1])
		}
	}
	// Examples may hold a URL as a manifest writes it (a remote child);
	// the prose links nowhere outside the repository.
	prose := regexp.MustCompile("(?s)```.*?```").ReplaceAllString(doc, "")
	if strings.Contains(prose, "://") {
		t.Error("the reference names a URL outside its examples")
	}
	if !utf8.ValidString(doc) || strings.ContainsRune(doc, 0) || strings.ContainsRune(doc, '\uFEFF') {
		t.Error("the reference holds bytes that are not shown: invalid UTF-8, NUL or a byte order mark")
	}
}

func TestVisible(t *testing.T) {
	tests := []struct {
		in, want string
		escaped  escapes
	}{
		{"{ a: 1 }\n\tb\n", "{ a: 1 }\n\tb\n", 0},
		{"caf\xe9\n", `caf\xE9` + "\n", escapedBytes},
		{"x\x00y\x7f", `x\x00y\x7F`, escapedBytes},
		{"\ufeff{}", `\uFEFF{}`, escapedBOM},
		{"\ufeff\x01", `\uFEFF\x01`, escapedBytes | escapedBOM},
		{"ünï 字", "ünï 字", 0},
	}
	for _, tt := range tests {
		if got, esc := visible(tt.in); got != tt.want || esc != tt.escaped {
			t.Errorf("visible(%q) = %q, %v; want %q, %v", tt.in, got, esc, tt.want, tt.escaped)
		}
	}
}
