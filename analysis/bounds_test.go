package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/cost"
	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// TestDiagnosticsPerFileAreCapped: a file with more than diag.MaxPerFile
// diagnostics reports the first ones and one too_many_diagnostics that
// counts the others, in the report every output and the editor read.
func TestDiagnosticsPerFileAreCapped(t *testing.T) {
	text := testgen.UnknownKeys(diag.MaxPerFile+500, " ")
	dir := writeTree(t, map[string]string{"scenario.json5": text})
	file := filepath.Join(dir, "scenario.json5")
	res, err := Check([]string{dir}, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds := res.ByFile[file]
	if len(ds) != diag.MaxPerFile+1 || len(res.Diagnostics) != diag.MaxPerFile+1 {
		t.Fatalf("%d diagnostics (%d in all), want %d", len(ds), len(res.Diagnostics), diag.MaxPerFile+1)
	}
	last := ds[len(ds)-1]
	want := "500 more diagnostics in this file are not shown (500 error(s)); at most 1000 are shown per file"
	if last.Code != codes.TooManyDiagnostics || last.Message != want {
		t.Errorf("last diagnostic %s %q, want %s %q", last.Code, last.Message, codes.TooManyDiagnostics, want)
	}
	if l, _ := last.Primary(); l.File != file || text[l.Span.Start:l.Span.End] != "k1000" {
		t.Errorf("the summary is at %v, want the key k1000", l)
	}
}

// manifestWith returns a one-line manifest whose root members after
// manifest_version are written by members.
func manifestWith(members func(b *strings.Builder)) string {
	var b strings.Builder
	b.WriteString(`{ manifest_version: "0.4.0", `)
	members(&b)
	b.WriteString("}\n")
	return b.String()
}

// measureCheck returns what checking the files costs (written once, checked
// by cost.Measure).
func measureCheck(t *testing.T, files map[string]string) cost.Cost {
	t.Helper()
	dir := writeTree(t, files)
	return cost.Measure(func() {
		if _, err := Check([]string{dir}, CheckOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

// repeat writes n members made by member, separated by commas.
func repeat(n int, member func(i int) string) func(b *strings.Builder) {
	return func(b *strings.Builder) {
		for i := range n {
			b.WriteString(member(i))
			b.WriteString(", ")
		}
	}
}

// padTo returns a benign manifest of about size bytes: distinct metadata
// keys, which nothing checks, so that it costs what parsing and decoding a
// file of that many members costs.
func padTo(size int) string {
	var b strings.Builder
	b.WriteString(`{ manifest_version: "0.4.0", metadata: { `)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "m%d: %d, ", i, i)
	}
	b.WriteString("} }\n")
	return b.String()
}

// TestHostileMembersCostLinearTime checks one-line manifests of tens of
// thousands of members that each draw a diagnostic, or repeat one, against
// a benign manifest of the same size. Each was quadratic (or worse) before:
// 1.7M duplicate members took 55 s and 3.6 GiB for one diagnostic.
func TestHostileMembersCostLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("checks manifests of 30,000 members, several times each")
	}
	const n = 30000
	slots := func(b *strings.Builder) {
		b.WriteString("slots: { ")
		repeat(n, func(i int) string { return fmt.Sprintf("s%d: { kind: \"http\" }", i) })(b)
		b.WriteString("}, ")
	}
	tests := []struct {
		name    string
		members func(b *strings.Builder)
	}{
		{"duplicate members", repeat(n, func(int) string { return "a: 1" })},
		{"unknown members", repeat(n, func(i int) string { return fmt.Sprintf("k%d: 1", i) })},
		{"unused slots", slots},
		{"duplicate slots", func(b *strings.Builder) {
			b.WriteString("slots: { ")
			repeat(n, func(int) string { return "s: { kind: \"http\" }" })(b)
			b.WriteString("}, ")
		}},
		{"unknown program fields", func(b *strings.Builder) {
			b.WriteString(`program: { path: "/bin/x", `)
			repeat(n, func(i int) string { return fmt.Sprintf("k%d: 1", i) })(b)
			b.WriteString("}, ")
		}},
		{"mounts of 100 paths from unknown resources", func(b *strings.Builder) {
			b.WriteString(`program: { path: "/bin/x", mounts: [`)
			repeat(n, func(i int) string { return fmt.Sprintf(`{ path: "/m%d", from: "resources.r%d" }`, i%100, i) })(b)
			b.WriteString("] }, ")
		}},
		{"interpolations of unknown config", func(b *strings.Builder) {
			b.WriteString(`program: { path: "/bin/x", args: [`)
			repeat(n, func(i int) string { return fmt.Sprintf(`"${config.x%d}"`, i) })(b)
			b.WriteString("] }, ")
		}},
	}
	for _, tt := range tests {
		text := manifestWith(tt.members)
		hostile := measureCheck(t, map[string]string{"scenario.json5": text})
		baseline := measureCheck(t, map[string]string{"scenario.json5": padTo(len(text))})
		// A diagnostic per member is more work per byte than the baseline
		// does; quadratic work at this size is a hundred times more.
		cost.Within(t, fmt.Sprintf("%s (%d bytes)", tt.name, len(text)), hostile, baseline, 20)
	}
}

// TestChainCostsLinearTime links a chain of 1,500 components, each naming
// the next, against a root with 1,500 children: a chain of 5,000 took 95 s
// (the cycle check walked the path from the root for every component).
func TestChainCostsLinearTime(t *testing.T) {
	const n = 1500
	chain, star := map[string]string{}, map[string]string{}
	var children strings.Builder
	for i := range n {
		chain[fmt.Sprintf("c%d.json5", i)] = fmt.Sprintf(`{ manifest_version: "0.4.0", components: { next: "./c%d.json5" } }`, i+1)
		star[fmt.Sprintf("c%d.json5", i+1)] = `{ manifest_version: "0.4.0" }`
		fmt.Fprintf(&children, `c%d: "./c%d.json5", `, i+1, i+1)
	}
	chain[fmt.Sprintf("c%d.json5", n)] = `{ manifest_version: "0.4.0" }`
	star["c0.json5"] = `{ manifest_version: "0.4.0", components: { ` + children.String() + `} }`
	cost.Within(t, fmt.Sprintf("a chain of %d components", n), measureCheck(t, chain), measureCheck(t, star), 10)
}

// TestDeepReferencesCostLinearTime: a reference to a file 100,000
// directories down (no such path can be opened) costs what a benign
// manifest of its size does. Each directory of the path was indexed, every
// one a key as long as the path to it: a 300 KB reference took minutes and
// gigabytes.
func TestDeepReferencesCostLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("checks manifests with references of 300 KB")
	}
	const depth = 100000
	tests := []struct{ name, members string }{
		{"child", `components: { c: "./` + strings.Repeat("a/", depth) + `c.json5" }, `},
		{"child, backslashes", `components: { c: ".` + strings.Repeat(`\\a`, depth) + `.json5" }, `},
		{"program file", `program: { path: "/bin/x", args: [{ file: "./` + strings.Repeat("a/", depth) + `x" }] }, `},
	}
	for _, tt := range tests {
		text := manifestWith(func(b *strings.Builder) { b.WriteString(tt.members) })
		hostile := measureCheck(t, map[string]string{"scenario.json5": text})
		baseline := measureCheck(t, map[string]string{"scenario.json5": padTo(len(text))})
		cost.Within(t, fmt.Sprintf("%s (%d bytes)", tt.name, len(text)), hostile, baseline, 20)
	}
}

// TestLocalReadsAreLimited: a child manifest over localfile.MaxSize is a
// manifest_ref_resolution at the reference, a root over it cannot be read,
// and neither is read past the limit (the files are sparse: 1 TiB each).
func TestLocalReadsAreLimited(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"root.json5": `{ manifest_version: "0.4.0", components: { big: "./big.json5" } }`,
	})
	for _, name := range []string{"big.json5", "bigroot.json5"} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(1 << 40); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	root, big := filepath.Join(dir, "root.json5"), filepath.Join(dir, "big.json5")
	res, err := Check([]string{root}, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("failed to resolve manifest reference `./big.json5` for component `#big` in %s: file `%s` exceeds max size %d bytes", root, big, localfile.MaxSize)
	if ds := res.ByFile[root]; len(ds) != 1 || ds[0].Code != codes.ManifestRefResolution || ds[0].Message != want {
		t.Errorf("root diagnostics %v, want one %s %q", ds, codes.ManifestRefResolution, want)
	}
	if _, err := Check([]string{filepath.Join(dir, "bigroot.json5")}, CheckOptions{}); err == nil || !strings.Contains(err.Error(), "exceeds max size") {
		t.Errorf("checking a root over the limit: %v, want it refused as too large", err)
	}
}

// doublingLimit is how long checking a tree whose child's config_schema
// takes definitions twice over, 30 deep, or one editor request on it may
// take: each takes milliseconds, and took minutes before the schema walks
// were bounded.
const doublingLimit = 500 * time.Millisecond

// TestDoublingSchemaTree checks a root giving a child whose config_schema
// has definitions that take each other twice over (30 deep: 2^30 paths of
// references in a few KB) a static config, valid or not, with
// `--check` and in the editor: both end at once with the same
// diagnostics, the schema reported too large to lint where its leaves are
// too many or the walk can remember nothing, the config checked
// as Amber's validator does (or reported too large to check, never passed
// silently, where the validator can remember nothing: detours and a
// reference cycle), and every editor request on the two files ends at
// once too.
func TestDoublingSchemaTree(t *testing.T) {
	ctx := context.Background()
	for _, f := range []testgen.Fanout{testgen.FanoutProperties, testgen.FanoutAllOf} {
		for _, s := range []testgen.DoublingSchema{{Fanout: f}, {Fanout: f, Cyclic: true}, {Fanout: f, Cyclic: true, Detours: true}} {
			s.Depth = 30
			for _, valid := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/valid=%v", s, valid), func(t *testing.T) {
					files := s.Tree(valid)
					dir := writeTree(t, files)
					var res *CheckResult
					d := cost.Deadline(t, "--check", doublingLimit, func() { res, _ = Check([]string{dir}, CheckOptions{}) })
					t.Logf("--check: %v", d)
					if res == nil {
						t.Fatal("no result")
					}
					got := diagLines(res.Diagnostics)
					want := []string{"manifest::unused_program program is never referenced by bindings or exports (in component /c)"}
					if incomplete := doublingIncomplete(s); incomplete != "" {
						want = append(want, "manifest::config_lint_incomplete config linting is incomplete (in component /c): "+incomplete)
					}
					if invalid := doublingInvalid(s, valid); invalid != "" {
						want = append(want, "linker::invalid_config invalid config for /c: invalid config: "+invalid)
					}
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Errorf("--check:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
					}

					w := NewWorkspace(Options{})
					if _, err := w.SetFolders([]string{dir}); err != nil {
						t.Fatal(err)
					}
					var snap *Snapshot
					for name, text := range files {
						snap = w.SetDocument(filepath.Join(dir, name), 1, []byte(text))
					}
					var rep *Report
					d = cost.Deadline(t, "editor diagnostics", doublingLimit, func() { rep, _ = snap.Diagnostics(ctx) })
					t.Logf("editor diagnostics: %v", d)
					var all []diag.Diagnostic
					for _, name := range []string{"child.json5", "root.json5"} {
						all = append(all, rep.ByFile[filepath.Join(dir, name)]...)
					}
					if editor := diagLines(all); strings.Join(editor, "\n") != strings.Join(got, "\n") {
						t.Errorf("editor:\n%s\nwant what --check gives", strings.Join(editor, "\n"))
					}
					for name, text := range files {
						path := filepath.Join(dir, name)
						everyRequest(t, snap, path, text)
					}
				})
			}
		}
	}
}

// doublingIncomplete is why the leaf walk of s is incomplete ("" for
// complete): the 2^30 leaves of properties are too many, the ways through
// allOf are skipped once walked, but not where the targets being expanded
// differ on every way (detours) and matter (a cycle).
func doublingIncomplete(s testgen.DoublingSchema) string {
	cyclic := "config definition contains a cyclic $ref"
	tooLarge := "config definition is too large to walk"
	switch {
	case s.Fanout == testgen.FanoutProperties && s.Cyclic, s.Detours && s.Cyclic:
		return cyclic + ", " + tooLarge
	case s.Fanout == testgen.FanoutProperties:
		return tooLarge
	case s.Cyclic:
		return cyclic
	}
	return ""
}

// doublingInvalid is what validating the config of s's tree says after
// "invalid config: " ("" for nothing): the naive evaluation's first
// failures, or that the schema is too large to check where the validator
// can remember nothing (detours and a cycle).
func doublingInvalid(s testgen.DoublingSchema, valid bool) string {
	notString := `1 is not of type "string"`
	switch {
	case s.Fanout == testgen.FanoutProperties && !s.Cyclic && valid:
		return ""
	case s.Fanout == testgen.FanoutProperties && !s.Cyclic:
		return notString
	case s.Fanout == testgen.FanoutProperties && valid:
		// The leaf's cycle takes it to d0, an object. The schema's
		// defaults (2^30 of them) are too many to work out, so none fill
		// the config: only the value given is checked.
		return `"x" is not of type "object"`
	case s.Fanout == testgen.FanoutProperties:
		return `1 is not of type "object"; 1 is not of type "string"`
	case valid && s.Cyclic && s.Detours:
		return "config definition is too large to check"
	case valid:
		return ""
	}
	return strings.Repeat(notString+"; ", 7) + notString
}

// diagLines renders diagnostics as "code message" lines.
func diagLines(ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, string(d.Code)+" "+d.Message)
	}
	return out
}

// everyRequest makes the editor requests of one file, the whole-file ones
// and those at a position at every key and string of the file, each within
// doublingLimit.
func everyRequest(t *testing.T, snap *Snapshot, path, text string) {
	t.Helper()
	ctx := context.Background()
	all := diag.Span{Start: 0, End: len(text)}
	name := filepath.Base(path)
	within := func(what string, f func()) { cost.Deadline(t, name+" "+what, doublingLimit, f) }
	within("inlay hints", func() { snap.InlayHints(ctx, path, all) })
	within("semantic tokens", func() { snap.SemanticTokens(ctx, path, all) })
	within("code lenses", func() { snap.CodeLenses(ctx, path) })
	within("document symbols", func() { snap.DocumentSymbols(ctx, path) })
	var offs []int
	var walk func(n *json5.Node)
	walk = func(n *json5.Node) {
		switch n.Kind {
		case json5.String:
			offs = append(offs, n.Start+1, (n.Start+n.End)/2, n.End-1)
		case json5.Object:
			for _, m := range n.Members {
				offs = append(offs, m.Key.Start)
				walk(m.Value)
			}
		case json5.Array:
			for _, e := range n.Elems() {
				walk(e)
			}
		}
	}
	walk(json5.Parse([]byte(text)).Root())
	start := time.Now()
	for _, off := range offs {
		at := fmt.Sprintf("at %d", off)
		within("hover "+at, func() { snap.Hover(ctx, path, off) })
		within("completion "+at, func() { snap.Completion(ctx, path, off) })
		within("definition "+at, func() { snap.Definition(ctx, path, off) })
		within("references "+at, func() { snap.References(ctx, path, off, true) })
		within("highlights "+at, func() { snap.Highlights(ctx, path, off) })
		within("code actions "+at, func() { snap.CodeActions(ctx, path, ActionQuery{Span: diag.Span{Start: off, End: off}}) })
	}
	t.Logf("%s: %d positions, 6 requests each, in %v", name, len(offs), time.Since(start))
}

// TestDoublingSchemaInstances: 300 instances of a child whose schema the
// validator gives up on (definitions that take each other twice over
// through detours, and a reference cycle), given one config, cost one
// validation: each took the validator's whole budget before.
func TestDoublingSchemaInstances(t *testing.T) {
	s := testgen.DoublingSchema{Depth: 30, Fanout: testgen.FanoutAllOf, Cyclic: true, Detours: true}
	files := s.Tree(true)
	var root strings.Builder
	root.WriteString(`{ manifest_version: "0.4.0", components: {`)
	for i := range 300 {
		fmt.Fprintf(&root, " c%d: { manifest: \"./child.json5\", config: { v: %s } },", i, s.Value(true))
	}
	root.WriteString(" } }\n")
	files["root.json5"] = root.String()
	dir := writeTree(t, files)
	var res *CheckResult
	d := cost.Deadline(t, "--check", doublingLimit, func() { res, _ = Check([]string{filepath.Join(dir, "root.json5")}, CheckOptions{}) })
	t.Logf("300 instances: %v", d)
	n := 0
	for _, d := range res.Diagnostics {
		if d.Code == codes.InvalidConfig && strings.HasSuffix(d.Message, ": invalid config: config definition is too large to check") {
			n++
		}
	}
	if n != 300 {
		t.Errorf("%d instances reported too large to check, want 300", n)
	}
}
