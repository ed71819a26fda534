package testgen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

// LinkHeavyLeaf is the one leaf manifest every child of a LinkHeavy tree
// instantiates: a config schema whose values the program interpolates, an
// optional slot the program reads, and an exported provide.
const LinkHeavyLeaf = `{
  manifest_version: "0.4.0",
  config_schema: { type: "object", properties: { n: { type: "integer" }, label: { type: "string" } } },
  slots: { upstream: { kind: "http", optional: true } },
  program: {
    path: "/usr/bin/env",
    args: ["sh", "-c", "sleep 1", "${config.label}", "${config.n}"],
    env: { UPSTREAM: { when: "slots.upstream", value: "${slots.upstream.url}" } },
    network: { endpoints: [{ name: "api", port: 8080 }] },
  },
  provides: { api: { kind: "http", endpoint: "api" } },
  exports: { api: "provides.api" },
}
`

// LinkHeavy is the link-heavy workload of the keystroke benchmarks: a root
// with Children children c0..c{n-1}, every one instantiating LinkHeavyLeaf
// with its own config, chained by bindings (`#c{i}.upstream` fed by
// `#c{i-1}.api`), and one export of the last child's `api`. The tree links
// (with two warnings per child); linking it checks, lowers and routes every
// child.
type LinkHeavy struct {
	// Dir holds the two files; Root and Leaf are their paths.
	Dir, Root, Leaf string
	// Children is the number of children of the root.
	Children int
	// Text is the root's text as written.
	Text []byte
}

// LinkHeavyEdit is one of the edits the keystroke benchmarks toggle in a
// LinkHeavy root.
type LinkHeavyEdit int

// The edits of a LinkHeavy root. Each replaces a few bytes of Text.
const (
	// EditLabel changes one character inside the config label of the middle
	// child: the graph is unchanged and no diagnostic appears.
	EditLabel LinkHeavyEdit = iota
	// EditBinding turns the source of the second binding into a child that
	// does not exist (`#cZ.api`): the root fails validation.
	EditBinding
	// EditSyntax adds a second comma after the middle child's config:
	// the root does not parse.
	EditSyntax
	// EditInsert types a character into the config label of the middle
	// child, as EditLabel changes one: the graph is unchanged and no
	// diagnostic appears, but the text after it moves by a byte, with
	// every node of the root's second half.
	EditInsert
)

// LinkHeavyEdits are the edits of a LinkHeavy root, in the order the
// benchmarks and tests take them (the syntax error last: it holds the
// diagnostics of the link before it).
var LinkHeavyEdits = []LinkHeavyEdit{EditLabel, EditInsert, EditBinding, EditSyntax}

// String names the edit as the benchmarks do.
func (e LinkHeavyEdit) String() string {
	switch e {
	case EditLabel:
		return "label"
	case EditBinding:
		return "binding"
	case EditSyntax:
		return "syntax"
	case EditInsert:
		return "insert"
	}
	return fmt.Sprintf("LinkHeavyEdit(%d)", int(e))
}

// Quiet reports whether edit e leaves the tree's diagnostics as they are
// (EditLabel, EditInsert).
func (e LinkHeavyEdit) Quiet() bool { return e == EditLabel || e == EditInsert }

// Diagnostics is how many diagnostics linking the tree reports with edit e
// applied: two warnings per child (its program interpolates optional
// config without `when`) for a quiet edit, the root's one error for the
// others.
func (w *LinkHeavy) Diagnostics(e LinkHeavyEdit) int {
	if e.Quiet() {
		return w.BaseDiagnostics()
	}
	return 1
}

// BaseDiagnostics is how many diagnostics linking the tree as written
// reports: two warnings per child.
func (w *LinkHeavy) BaseDiagnostics() int { return 2 * w.Children }

// Shown is how many of n diagnostics of one file amber-lsp shows, in a
// report and in the editor: all of them up to diag.MaxPerFile, else
// diag.MaxPerFile and the one diagnostic that counts the others. The leaf
// of a tree of more than 500 children has more than that.
func Shown(n int) int {
	if n > diag.MaxPerFile {
		return diag.MaxPerFile + 1
	}
	return n
}

// LinkHeavyRoot returns the text of a LinkHeavy root with n children (at
// least 2).
func LinkHeavyRoot(n int) []byte {
	n = max(n, 2)
	var b strings.Builder
	b.WriteString("{\n  manifest_version: \"0.4.0\",\n  components: {\n")
	for i := range n {
		fmt.Fprintf(&b, "    c%d: {\n      manifest: \"./leaf.json5\",\n      config: { n: %d, label: \"component number %d\" },\n    },\n", i, i, i)
	}
	b.WriteString("  },\n  bindings: [\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "    { to: \"#c%d.upstream\", from: \"#c%d.api\" },\n", i, i-1)
	}
	fmt.Fprintf(&b, "  ],\n  exports: {\n    api: \"#c%d.api\",\n  },\n}\n", n-1)
	return []byte(b.String())
}

// WriteLinkHeavy writes a LinkHeavy tree of n children (at least 2) into
// dir: root.json5 and leaf.json5.
func WriteLinkHeavy(dir string, n int) (*LinkHeavy, error) {
	n = max(n, 2)
	w := &LinkHeavy{Dir: dir, Root: filepath.Join(dir, "root.json5"), Leaf: filepath.Join(dir, "leaf.json5"), Children: n, Text: LinkHeavyRoot(n)}
	if err := os.WriteFile(w.Leaf, []byte(LinkHeavyLeaf), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(w.Root, w.Text, 0o644); err != nil {
		return nil, err
	}
	return w, nil
}

// Edited returns the root's text with edit e applied.
func (w *LinkHeavy) Edited(e LinkHeavyEdit) []byte {
	at, old, repl := w.Site(e)
	out := make([]byte, 0, len(w.Text)+len(repl))
	out = append(out, w.Text[:at]...)
	out = append(out, repl...)
	return append(out, w.Text[at+len(old):]...)
}

// Site is where edit e applies: the offset in Text, the bytes it replaces
// and their replacement.
func (w *LinkHeavy) Site(e LinkHeavyEdit) (at int, old, repl string) {
	mid := w.Children / 2
	find := func(s string) int {
		i := bytes.Index(w.Text, []byte(s))
		if i < 0 {
			panic("testgen: " + s + " is not in the LinkHeavy root")
		}
		return i
	}
	switch e {
	case EditLabel:
		return find(fmt.Sprintf("\"component number %d\"", mid)) + 1, "c", "C"
	case EditInsert:
		return find(fmt.Sprintf("\"component number %d\"", mid)) + 1, "", "x"
	case EditBinding:
		return find("\"#c1.api\"") + 3, "1", "Z"
	case EditSyntax:
		config := fmt.Sprintf("label: \"component number %d\" },", mid)
		return find(config) + len(config), "", ","
	}
	panic(fmt.Sprintf("testgen: unknown edit %d", int(e)))
}
