package linker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"weak"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/internal/txtar"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
)

// uncachedCache returns a Cache whose memo is off: every step of every
// link is computed afresh, as before the memo existed.
func uncachedCache() *Cache {
	c := NewCache()
	c.memo.off = true
	return c
}

// dump renders everything a link reports: the diagnostics with every
// field, in order, the files read, the components, the linked and the
// optimised scenario, the config templates and the overlay plan with its
// helper scenario.
func dump(res *Result) string {
	var b strings.Builder
	for _, d := range res.Diagnostics {
		j, err := json.Marshal(d)
		if err != nil {
			panic(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "files %q\ntexts %q\ncomponents", res.Files, slices.Sorted(func(yield func(string) bool) {
		for k := range res.Texts {
			if !yield(k) {
				return
			}
		}
	}))
	for _, c := range res.Components {
		b.WriteString(" " + c.Moniker)
	}
	b.WriteString("\nlinked ")
	if s := res.Scenario(); s != nil {
		b.Write(scenario.MustEncode(s))
	}
	b.WriteString("\noptimized ")
	if s := res.Optimized(); s != nil {
		b.Write(scenario.MustEncode(s))
	}
	b.WriteString("\nconfigs")
	for _, t := range res.Configs {
		b.WriteByte(' ')
		if t == nil {
			b.WriteString("nil")
			continue
		}
		j, err := json.Marshal(config.WriteBack(t))
		if err != nil {
			panic(err)
		}
		b.Write(j)
	}
	if p := res.Overlays; p != nil {
		j, _ := json.Marshal(p.HelperRootSchema)
		fmt.Fprintf(&b, "\noverlays %s", j)
		for _, sc := range p.Scopes {
			fmt.Fprintf(&b, "\n scope %d %s", sc.Index, sc.Root.Moniker)
			for _, o := range sc.Overlays {
				fmt.Fprintf(&b, " [%d %s %s %s %s %s %v]", o.Index, o.Ref, o.Display, o.HelperChild, o.HelperExport, o.UseNode.File, o.Decl)
			}
		}
		if p.Helper != nil {
			b.WriteString("\nhelper {\n" + dump(p.Helper) + "\n}")
		}
	}
	return b.String()
}

// memoChecker links roots with one warm Cache shared by every link of a
// test (so cells are shared across roots and edits), and compares each
// result with an uncached link of the same files.
type memoChecker struct {
	t     *testing.T
	warm  *Cache
	links int
}

func newMemoChecker(t *testing.T) *memoChecker { return &memoChecker{t: t, warm: NewCache()} }

// check links root both ways and reports any difference.
func (m *memoChecker) check(name, root string) {
	m.t.Helper()
	ctx := context.Background()
	want := dump(Link(ctx, root, Options{Cache: uncachedCache()}))
	got := dump(Link(ctx, root, Options{Cache: m.warm}))
	m.links++
	if got != want {
		m.t.Errorf("%s: the memoized link differs from an uncached one:\n%s", name, firstDifference(got, want))
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, gl, wl)
		}
	}
	return "(no line differs)"
}

func writeFiles(t *testing.T, files map[string][]byte) {
	t.Helper()
	for path, data := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMemoMarkerCases links every link marker case with the warm cache
// shared by all of them, as written, then with every file moved down by a
// comment line (every span changes), then with the root restored, then as
// written again, and expects exactly what an uncached link reports.
func TestMemoMarkerCases(t *testing.T) {
	paths, _ := filepath.Glob("testdata/link/*.txtar")
	if len(paths) == 0 {
		t.Fatal("no link cases")
	}
	m := newMemoChecker(t)
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		a, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		original := map[string][]byte{}
		for _, f := range a.Files {
			if !strings.HasPrefix(f.Name, "@") {
				original[filepath.Join(dir, f.Name)] = f.Data
			}
		}
		root := filepath.Join(dir, "root.json5")
		moved := map[string][]byte{}
		for p, data := range original {
			moved[p] = append([]byte("// moved down one line\n"), data...)
		}
		steps := []struct {
			name  string
			files map[string][]byte
		}{
			{"as written", original},
			{"moved", moved},
			{"root restored", map[string][]byte{root: original[root]}},
			{"as written again", original},
		}
		for _, st := range steps {
			writeFiles(t, st.files)
			m.check(name+" "+st.name, root)
		}
	}
}

// TestMemoCorpus links every root of Amber's conformance corpus (the UI
// cases and the examples) twice with one warm cache, and expects what an
// uncached link reports.
func TestMemoCorpus(t *testing.T) {
	ui := corpus.Path(t, "conformance", "ui")
	cases, _ := filepath.Glob(filepath.Join(ui, "*.json5"))
	var roots []string
	for _, file := range cases {
		name := strings.TrimSuffix(file, ".json5")
		_, errStderr := os.Stat(name + ".stderr")
		_, errStatus := os.Stat(name + ".status")
		if errStderr == nil || errStatus == nil {
			roots = append(roots, file)
		}
	}
	examples := corpus.Path(t, "conformance", "examples")
	list, err := os.ReadFile(filepath.Join(examples, "ROOTS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range strings.Split(string(list), "\n") {
		if r = strings.TrimSpace(r); r != "" && !strings.HasPrefix(r, "#") {
			roots = append(roots, filepath.Join(examples, r))
		}
	}
	if len(roots) < 50 {
		t.Fatalf("only %d corpus roots", len(roots))
	}
	m := newMemoChecker(t)
	for pass := range 2 {
		for _, root := range roots {
			m.check(fmt.Sprintf("pass %d %s", pass, filepath.Base(root)), root)
		}
	}
}

// nestedTree is a root with a config_schema whose three children (one
// manifest, mid.json5) each pass part of their config to four children
// instantiating the LinkHeavy leaf, so configs compose through two levels
// and are known only at run time at the top.
func nestedTree(dir string) map[string][]byte {
	mid := `{
  manifest_version: "0.4.0",
  config_schema: { type: "object", properties: { label: { type: "string" }, n: { type: "integer" } } },
  components: {
    a: { manifest: "./leaf.json5", config: { n: 1, label: "${config.label}" } },
    b: { manifest: "./leaf.json5", config: { n: "${config.n}", label: "b" } },
    c: { manifest: "./leaf.json5", config: { label: "pre-${config.label}" } },
    d: "./leaf.json5",
  },
  bindings: [{ to: "#b.upstream", from: "#a.api" }],
  exports: { api: "#b.api" },
}
`
	root := `{
  manifest_version: "0.4.0",
  config_schema: { type: "object", properties: { label: { type: "string" } } },
  components: {
    x: { manifest: "./mid.json5", config: { label: "${config.label}", n: 7 } },
    y: { manifest: "./mid.json5", config: { label: "fixed" } },
    z: "./mid.json5",
  },
  bindings: [{ to: "#y.upstream", from: "#x.api" }],
  exports: { api: "#y.api" },
}
`
	return map[string][]byte{
		filepath.Join(dir, "root.json5"): []byte(root),
		filepath.Join(dir, "mid.json5"):  []byte(mid),
		filepath.Join(dir, "leaf.json5"): []byte(testgen.LinkHeavyLeaf),
	}
}

// mutation is an edit of a generated tree's files.
type mutation struct {
	name string
	file string // the file's base name
	old  string // replaced (its first occurrence); "" inserts new at the start
	new  string // occurs nowhere else, so that the edit can be reverted
}

// TestMemoGeneratedTrees edits generated trees (shifting spans, breaking
// and fixing configs, schemas, mounts, bindings, names and syntax): 100
// mutations applied or reverted at random, then every pair of mutations
// of different files applied one after the other and reverted; after each
// edit it expects what an uncached link reports.
func TestMemoGeneratedTrees(t *testing.T) {
	heavy := func(dir string) map[string][]byte {
		w, err := testgen.WriteLinkHeavy(dir, 12)
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{w.Root: w.Text, w.Leaf: []byte(testgen.LinkHeavyLeaf)}
	}
	// A root of more than minOrdered children: their name order is kept
	// across links (Cache.sortedComponents) while the names stay.
	long := func(dir string) map[string][]byte {
		w, err := testgen.WriteLinkHeavy(dir, minOrdered+6)
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{w.Root: w.Text, w.Leaf: []byte(testgen.LinkHeavyLeaf)}
	}
	decl := func(i, n int) string {
		return fmt.Sprintf("    c%d: {\n      manifest: \"./leaf.json5\",\n      config: { n: %d, label: \"component number %d\" },\n    },\n", i, n, n)
	}
	leafMutations := []mutation{
		{"leaf required config", "leaf.json5", `label: { type: "string" } } }`, `label: { type: "string" } }, required: ["n", "label"] }`},
		{"leaf slot required", "leaf.json5", `optional: true`, `optional: false`},
		{"leaf moved", "leaf.json5", "", "// a comment\n"},
		{"leaf schema narrowed", "leaf.json5", `n: { type: "integer" }`, `n: { type: "integer", maximum: 5 }`},
		{"leaf reads unknown config", "leaf.json5", `"${config.n}"]`, `"${config.n}", "${config.nope}"]`},
		{"leaf storage sized by config", "leaf.json5", `  program: {`, `  resources: { state: { kind: "storage", params: { size: "${config.n}Gi" } } },
  program: {`},
		{"leaf mounts config", "leaf.json5", `network:`, `mounts: [{ path: "/etc/${config.n}", from: "config.label", when: "config.label" }],
    network:`},
		// What collecting bindings reads of the leaf (bindingsMemo).
		{"leaf slot kind", "leaf.json5", `upstream: { kind: "http"`, `upstream: { kind: "llm"`},
		{"leaf slot multiple", "leaf.json5", `optional: true }`, `optional: true, multiple: true }`},
		{"leaf provide profile", "leaf.json5", `api: { kind: "http", endpoint: "api" }`, `api: { kind: "http", profile: "p", endpoint: "api" }`},
		{"leaf export renamed", "leaf.json5", `exports: { api: "provides.api" }`, `exports: { api2: "provides.api" }`},
		{"leaf export of a slot", "leaf.json5", `exports: { api: "provides.api" }`, `exports: { api: "slots.upstream" }`},
	}
	trees := []struct {
		name      string
		files     func(dir string) map[string][]byte
		mutations []mutation
	}{
		{"linkheavy", heavy, append([]mutation{
			{"label", "root.json5", `label: "component number 6"`, `label: "Component number 6"`},
			{"binding", "root.json5", `from: "#c1.api"`, `from: "#cZ.api"`},
			{"syntax", "root.json5", `label: "component number 4" },`, `label: "component number 4" },,`},
			{"moved", "root.json5", "", "// moved down\n"},
			{"wrong type", "root.json5", `n: 3,`, `n: "three",`},
			{"not an object", "root.json5", `config: { n: 8, label: "component number 8" }`, `config: 8`},
			{"no config", "root.json5", `config: { n: 9, label: "component number 9" },`, `/* no config */`},
			{"renamed", "root.json5", `c10: {`, `d10: {`},
			{"longer label", "root.json5", `label: "component number 2"`, `label: "component number two, with more text"`},
			{"swapped configs", "root.json5", `config: { n: 5, label: "component number 5" }`, `config: { n: 1, label: "component number 1" /* swapped */ }`},
			// Bindings that still validate (bindingsMemo).
			{"rebound", "root.json5", `{ to: "#c3.upstream", from: "#c2.api" }`, `{ to: "#c3.upstream", from: "#c0.api" }`},
			{"bound twice", "root.json5", `{ to: "#c5.upstream", from: "#c4.api" }`, `{ to: "#c5.upstream", from: "#c4.api" }, { to: "#c5.upstream", from: "#c0.api" }`},
			{"unknown slot", "root.json5", `{ to: "#c6.upstream", from: "#c5.api" }`, `{ to: "#c6.nope", from: "#c5.api" }`},
			{"unknown export", "root.json5", `{ to: "#c8.upstream", from: "#c7.api" }`, `{ to: "#c8.upstream", from: "#c7.nope" }`},
			{"weak binding", "root.json5", `{ to: "#c9.upstream", from: "#c8.api" }`, `{ to: "#c9.upstream", from: "#c8.api", weak: true }`},
			{"framework source", "root.json5", `{ to: "#c11.upstream", from: "#c10.api" }`, `{ to: "#c11.upstream", from: "framework.docker" }`},
			{"dependency cycle", "root.json5", "  bindings: [\n", "  bindings: [\n    { to: \"#c0.upstream\", from: \"#c11.api\" },\n"},
			// Routing resolves the root's slots when it has a program (graphMemo).
			{"root slot", "root.json5", "  components: {\n", "  slots: { ext: { kind: \"http\", optional: true } },\n  components: {\n"},
			{"root program", "root.json5", "  exports: {\n", "  program: { path: \"/bin/true\" },\n  exports: {\n"},
		}, leafMutations...)},
		{"long", long, append([]mutation{
			{"label", "root.json5", `label: "component number 30"`, `label: "Component number 30"`},
			{"moved", "root.json5", "", "// moved down\n"},
			{"renamed", "root.json5", `c10: {`, `zz10: {`},
			{"reordered", "root.json5", decl(2, 2) + decl(3, 3), decl(3, 3) + decl(2, 2) + "    // reordered\n"},
			{"config moved", "root.json5", decl(20, 20) + decl(21, 21), "    c20: {\n      manifest: \"./leaf.json5\",\n    },\n" + decl(21, 20)},
			{"added", "root.json5", "  components: {\n", "  components: {\n    a0: \"./leaf.json5\",\n"},
			{"removed", "root.json5", decl(40, 40), "    // c40 removed\n"},
			{"weak", "root.json5", `{ to: "#c7.upstream", from: "#c6.api" }`, `{ to: "#c7.upstream", from: "#c6.api", weak: true }`},
			{"dependency cycle", "root.json5", "  bindings: [\n", "  bindings: [\n    { to: \"#c0.upstream\", from: \"#c50.api\" },\n"},
		}, leafMutations...)},
		{"nested", nestedTree, append([]mutation{
			{"root schema", "root.json5", `label: { type: "string" } } },`, `label: { type: "string" }, extra: { type: "integer" } } },`},
			{"root moved", "root.json5", "", "// moved\n"},
			{"mid config", "root.json5", `config: { label: "fixed" }`, `config: { label: "changed" }`},
			{"mid moved", "mid.json5", "", "// moved\n"},
			{"mid passes a number", "mid.json5", `config: { n: 1, label: "${config.label}" }`, `config: { n: 1, label: "${config.n}" }`},
			{"mid unknown path", "mid.json5", `label: "pre-${config.label}"`, `label: "pre-${config.nope}"`},
			{"mid schema", "mid.json5", `n: { type: "integer" } } },`, `n: { type: "string" } } },`},
			{"mid child renamed", "mid.json5", `d: "./leaf.json5",`, `a0: "./leaf.json5",`}, // between a and b: ids move, their number stays
			{"mid rebound", "mid.json5", `from: "#a.api" }]`, `from: "#c.api" }]`},
			// Applies only after the next: listed first, so reverted first.
			{"mid forwarded slot required", "mid.json5", `up: { kind: "http", optional: true } },`, `up: { kind: "http" } },`},
			{"mid forwards a slot", "mid.json5", `bindings: [`, `slots: { up: { kind: "http", optional: true } },
  bindings: [{ to: "#d.upstream", from: "slots.up" }, `},
			{"root feeds the forwarded slot", "root.json5", `bindings: [`, `bindings: [{ to: "#z.up", from: "#x.api" }, `},
		}, leafMutations...)},
	}
	m := newMemoChecker(t)
	rng := rand.New(rand.NewPCG(12, 1))
	for _, tree := range trees {
		dir := t.TempDir()
		files := tree.files(dir)
		original := maps.Clone(files)
		writeFiles(t, files)
		root := filepath.Join(dir, "root.json5")
		m.check(tree.name+" as written", root)
		applied := make([]bool, len(tree.mutations))
		// toggle applies or reverts mutation k, reporting whether the text
		// it edits was there.
		toggle := func(k int) bool {
			mu := tree.mutations[k]
			path := filepath.Join(dir, mu.file)
			text := files[path]
			switch {
			case !applied[k] && mu.old == "":
				text = append([]byte(mu.new), text...)
			case !applied[k] && bytes.Contains(text, []byte(mu.old)):
				text = bytes.Replace(text, []byte(mu.old), []byte(mu.new), 1)
			case applied[k] && mu.old == "":
				text = bytes.Replace(text, []byte(mu.new), nil, 1)
			case applied[k] && bytes.Contains(text, []byte(mu.new)):
				text = bytes.Replace(text, []byte(mu.new), []byte(mu.old), 1)
			default:
				return false
			}
			applied[k] = !applied[k]
			files[path] = text
			writeFiles(t, map[string][]byte{path: text})
			m.check(fmt.Sprintf("%s: %s applied=%v", tree.name, mu.name, applied[k]), root)
			return true
		}
		for range 100 {
			toggle(rng.IntN(len(tree.mutations)))
		}
		for k := range applied {
			if applied[k] && !toggle(k) {
				t.Fatalf("%s: cannot revert %s", tree.name, tree.mutations[k].name)
			}
		}
		for a := range tree.mutations {
			for b := a + 1; b < len(tree.mutations); b++ {
				if tree.mutations[a].file == tree.mutations[b].file {
					continue // the random edits combine those
				}
				if toggle(a) {
					toggle(b)
					toggle(a)
				}
				if applied[b] {
					toggle(b)
				}
			}
		}
		if !maps.EqualFunc(files, original, bytes.Equal) {
			t.Errorf("%s: reverting every mutation did not restore the files", tree.name)
		}
	}
	if m.links < 500 {
		t.Errorf("only %d links compared", m.links)
	}
}

// TestMemoBounded: however many edits, the memo holds what the latest link
// of each root used, and ForgetRoots empties it.
func TestMemoBounded(t *testing.T) {
	w, err := testgen.WriteLinkHeavy(t.TempDir(), 50)
	if err != nil {
		t.Fatal(err)
	}
	cache := NewCache()
	ctx := context.Background()
	Link(ctx, w.Root, Options{Cache: cache})
	settled := cache.memo.size()
	// One manifest record per file, lints and config per child, lints for
	// the root, and one program for all children (lowering reads no
	// config).
	if want := 2 + 2*w.Children + 1 + 1; settled != want {
		t.Errorf("%d cells after the first link, want %d", settled, want)
	}
	var roots []weak.Pointer[manifest.Result]
	for i := range 40 {
		text := w.Edited(testgen.EditLabel)
		if i%2 == 1 {
			text = w.Text
		}
		text = append(text, strings.Repeat(" ", i)...) // a new text every time
		if err := os.WriteFile(w.Root, text, 0o644); err != nil {
			t.Fatal(err)
		}
		res := Link(ctx, w.Root, Options{Cache: cache})
		if got := cache.memo.size(); got != settled {
			t.Fatalf("edit %d: %d cells, want %d", i, got, settled)
		}
		roots = append(roots, weak.Make(res.Root.Result))
	}
	// Nothing the memo keeps holds an earlier root's analysis (a session
	// kept whole held the one before it, and so every root ever linked).
	runtime.GC()
	for i, p := range roots[:len(roots)-1] {
		if p.Value() != nil {
			t.Fatalf("the analysis of the root at edit %d is still held after %d more links", i, len(roots)-1-i)
		}
	}
	cache.ForgetRoots([]string{w.Root})
	if got := cache.memo.size(); got != settled {
		t.Errorf("keeping the root: %d cells, want %d", got, settled)
	}
	cache.ForgetRoots(nil)
	if got := cache.memo.size(); got != 0 {
		t.Errorf("after forgetting every root: %d cells", got)
	}
}

// TestLintDiagsShared: a link that reports only lints, the ones its
// root's previous link reported, returns that link's slice; any change of
// what it reports (a lint suppressed by the graph, a leaf's lints, an
// error) makes a new one. Every link equals an uncached one.
func TestLintDiagsShared(t *testing.T) {
	const leaf = `{
  manifest_version: "0.4.0",
  config_schema: { type: "object", properties: { label: { type: "string" } } },
  slots: { s: { kind: "http" } },
  program: { path: "/bin/true", args: ["${config.label}"], network: { endpoints: [{ name: "api", port: 80 }] } },
  provides: { api: { kind: "http", endpoint: "api" } },
  exports: { api: "provides.api" },
}
`
	const source = `{
  manifest_version: "0.4.0",
  program: { path: "/bin/true", network: { endpoints: [{ name: "api", port: 80 }] } },
  provides: { api: { kind: "http", endpoint: "api" } },
  exports: { api: "provides.api" },
}
`
	root := func(comment, binding string) string {
		return comment + `{
  manifest_version: "0.4.0",
  components: { a: "./leaf.json5", b: "./source.json5" },
  bindings: [` + binding + `],
  exports: { api: "#b.api" },
}
`
	}
	strong, weakly := `{ to: "#a.s", from: "#b.api" }`, `{ to: "#a.s", from: "#b.api", weak: true }`
	steps := []struct {
		name, root, leaf string
		shared           bool // the diagnostics are the previous link's slice
	}{
		{"first", root("", strong), leaf, false},
		{"relinked", root("", strong), leaf, true},
		{"root moved", root("// moved\n", strong), leaf, true},
		{"weak binding suppresses a lint", root("// moved\n", weakly), leaf, false},
		{"strong again", root("", strong), leaf, false},
		{"leaf moved", root("", strong), "// moved\n" + leaf, false},
		{"unchanged", root("", strong), "// moved\n" + leaf, true},
		{"an error", root("", `{ to: "#a.nope", from: "#b.api" }`), leaf, false},
		{"fixed", root("", strong), leaf, false},
		{"again", root("", strong), leaf, true},
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "root.json5")
	warm := NewCache()
	var prev []diag.Diagnostic
	for _, st := range steps {
		writeFiles(t, map[string][]byte{path: []byte(st.root), filepath.Join(dir, "leaf.json5"): []byte(st.leaf), filepath.Join(dir, "source.json5"): []byte(source)})
		res := Link(context.Background(), path, Options{Cache: warm})
		if got, want := dump(res), dump(Link(context.Background(), path, Options{Cache: uncachedCache()})); got != want {
			t.Errorf("%s: the memoized link differs from an uncached one:\n%s", st.name, firstDifference(got, want))
		}
		if len(res.Diagnostics) == 0 {
			t.Fatalf("%s: no diagnostics", st.name)
		}
		shared := prev != nil && &prev[0] == &res.Diagnostics[0]
		if shared != st.shared {
			t.Errorf("%s: diagnostics shared with the previous link: %v, want %v", st.name, shared, st.shared)
		}
		prev = res.Diagnostics
	}
}

// TestBindingsMemoReused: a link after an edit that changes neither the
// tree's shape, nor any declaration, nor the root's bindings replays the
// root's collected bindings (bindingsMemo); one that changes a binding
// collects them again. TestMemoGeneratedTrees checks what either reports.
func TestBindingsMemoReused(t *testing.T) {
	w, err := testgen.WriteLinkHeavy(t.TempDir(), 20)
	if err != nil {
		t.Fatal(err)
	}
	cache := NewCache()
	ctx := context.Background()
	rootMemo := func() *bindingsMemo {
		cache.memo.mu.Lock()
		defer cache.memo.mu.Unlock()
		realms := cache.memo.roots[w.Root].realms
		if len(realms) != 1 || realms[0].id != 0 {
			t.Fatalf("realms %+v, want the root's alone", realms)
		}
		return realms[0].bm
	}
	steps := []struct {
		name   string
		text   []byte
		reused bool
	}{
		{"as written", w.Text, false},
		{"label", w.Edited(testgen.EditLabel), true},
		{"label reverted", w.Text, true},
		{"moved down", append([]byte("// a comment\n"), w.Text...), true},
		{"rebound", bytes.Replace(w.Text, []byte(`from: "#c2.api"`), []byte(`from: "#c0.api"`), 1), false},
		{"rebound again", bytes.Replace(w.Text, []byte(`from: "#c2.api"`), []byte(`from: "#c0.api"`), 1), true},
	}
	var prev *bindingsMemo
	for _, st := range steps {
		if err := os.WriteFile(w.Root, st.text, 0o644); err != nil {
			t.Fatal(err)
		}
		res := Link(ctx, w.Root, Options{Cache: cache})
		if len(res.Components) != w.Children+1 {
			t.Fatalf("%s: %d components, want %d", st.name, len(res.Components), w.Children+1)
		}
		bm := rootMemo()
		if bm == nil || len(bm.specs) != w.Children-1 {
			t.Fatalf("%s: the root's bindings are not memoized: %+v", st.name, bm)
		}
		if got := bm == prev; got != st.reused {
			t.Errorf("%s: replayed %v, want %v", st.name, got, st.reused)
		}
		prev = bm
	}
}

// TestGraphMemoSequences links sequences of edits of a LinkHeavy root
// that share the previous link's graph (graphMemo) or must not, and
// expects what an uncached link reports after each.
func TestGraphMemoSequences(t *testing.T) {
	dir := t.TempDir()
	w, err := testgen.WriteLinkHeavy(dir, 12)
	if err != nil {
		t.Fatal(err)
	}
	label := func(text []byte) []byte {
		return bytes.Replace(text, []byte(`"component number 6"`), []byte(`"Component number 6"`), 1)
	}
	slot := func(text []byte) []byte {
		return bytes.Replace(text, []byte("  components: {\n"), []byte("  slots: { ext: { kind: \"http\", optional: true } },\n  components: {\n"), 1)
	}
	program := func(text []byte) []byte {
		return bytes.Replace(text, []byte("  exports: {\n"), []byte("  program: { path: \"/bin/true\" },\n  exports: {\n"), 1)
	}
	cycle := func(text []byte) []byte {
		return bytes.Replace(text, []byte("  bindings: [\n"), []byte("  bindings: [\n    { to: \"#c0.upstream\", from: \"#c11.api\" },\n"), 1)
	}
	weakened := func(text []byte) []byte {
		return bytes.Replace(text, []byte(`from: "#c4.api" }`), []byte(`from: "#c4.api", weak: true }`), 1)
	}
	unbound := func(text []byte) []byte {
		i, j := bytes.Index(text, []byte("  bindings: [\n")), bytes.Index(text, []byte("  ],\n"))
		return append(append(slices.Clip(text[:i]), "  bindings: [],\n"...), text[j+len("  ],\n"):]...)
	}
	sequences := []struct {
		name  string
		texts [][]byte
	}{
		{"bindings removed", [][]byte{w.Text, unbound(w.Text), label(unbound(w.Text)), w.Text}},
		{"label", [][]byte{w.Text, label(w.Text), w.Text}},
		{"program added", [][]byte{slot(w.Text), slot(program(w.Text)), slot(w.Text), label(slot(program(w.Text)))}},
		{"cycle kept", [][]byte{cycle(w.Text), label(cycle(w.Text)), cycle(w.Text), w.Text, cycle(w.Text)}},
		{"weakened", [][]byte{w.Text, weakened(w.Text), label(weakened(w.Text)), w.Text}},
	}
	for _, sq := range sequences {
		m := newMemoChecker(t)
		for i, text := range sq.texts {
			if err := os.WriteFile(w.Root, text, 0o644); err != nil {
				t.Fatal(err)
			}
			m.check(fmt.Sprintf("%s, text %d", sq.name, i), w.Root)
		}
	}
}
