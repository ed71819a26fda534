package manifest

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/internal/txtar"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

var reuseEdits = flag.Int("manifest.edits", 150, "random edits per input in TestIncrementalMatchesFresh")

// TestIncrementalMatchesFresh types random edits into manifests the way an
// editor does (each version re-parsed from the last with
// json5.ReparseEdited and analyzed with the last Result as Previous), and
// checks that every analysis equals a fresh analysis of the same tree: the
// same manifest, pointing at the very same nodes, and the same diagnostics
// in the same order. The edits insert and delete text of every length,
// copy lines (duplicating entries), break the syntax and undo earlier
// edits, which mends it.
func TestIncrementalMatchesFresh(t *testing.T) {
	inputs := map[string][]byte{
		"generated.json5": testgen.GenerateManifest(240),
		"linkheavy.json5": testgen.LinkHeavyRoot(40),
		"sections.json5":  sectionsManifest(12, true),
		"clean.json5":     sectionsManifest(12, false),
		"bindings.json5":  badBindings(testgen.LinkHeavyRoot(40)),
	}
	cases, err := txtar.Glob("testdata/markers/*.txtar", ".json5")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no marker cases: %v", err)
	}
	for name, src := range cases {
		inputs["markers/"+name] = src
	}
	for _, file := range corpus.Glob(t, "conformance/examples/*/*.json5") {
		if src, err := os.ReadFile(file); err == nil {
			inputs[filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file)] = src
		}
	}
	rng := rand.New(rand.NewPCG(12, 34))
	edits := 0
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		src := inputs[name]
		n := *reuseEdits
		if len(src) > 3000 {
			n *= 6 // the generated inputs have the big sections
		}
		edits += n
		typeEdits(t, name, src, n, rng)
	}
	t.Logf("%d inputs, %d edits", len(inputs), edits)
}

// sectionsManifest returns a manifest with n entries in every section
// that reuse.go reuses, with faulty, a few of them wrong (shape errors,
// draft spellings), so that edits elsewhere leave sections with problems
// as they were.
func sectionsManifest(n int, faulty bool) []byte {
	var b strings.Builder
	b.WriteString("{\n  manifest_version: \"0.4.0\",\n  experimental_features: [\"docker\"],\n")
	section := func(name, open, close string, entry func(i int) string) {
		b.WriteString("  " + name + ": " + open + "\n")
		for i := range n {
			b.WriteString("    " + entry(i) + ",\n")
		}
		b.WriteString("  " + close + ",\n")
	}
	bad := func(i int, good, wrong string) string {
		if faulty && i%5 == 3 {
			return wrong
		}
		return good
	}
	section("components", "{", "}", func(i int) string {
		return bad(i, fmt.Sprintf(`c%d: { manifest: "./c%d.json5", config: { n: %d }, environment: "e%d" }`, i, i, i, i%3),
			fmt.Sprintf(`c%d: { manifest: 5 }`, i))
	})
	section("use", "{", "}", func(i int) string {
		return bad(i, fmt.Sprintf(`u%d: { url: "https://example.com/u%d.json5", digest: null }`, i, i), fmt.Sprintf(`u%d: { url: 1 }`, i))
	})
	section("environments", "{", "}", func(i int) string {
		return bad(i, fmt.Sprintf(`e%d: { resolvers: ["r%d", "s"], extends: "e%d" }`, i, i, (i+1)%n), fmt.Sprintf(`e%d: { resolverz: [] }`, i))
	})
	section("slots", "{", "}", func(i int) string {
		return bad(i, fmt.Sprintf(`s%d: { kind: "http", optional: %v }`, i, i%2 == 0), fmt.Sprintf(`s%d: { kind: "http", profile: "policy" }`, i))
	})
	section("provides", "{", "}", func(i int) string {
		return bad(i, fmt.Sprintf(`p%d: { kind: "http", endpoint: "api", profile: "x" }`, i), fmt.Sprintf(`p%d: { kind: "htp" }`, i))
	})
	section("resources", "{", "}", func(i int) string {
		return bad(i, fmt.Sprintf(`r%d: { kind: "storage", params: { size: "%dGi" } }`, i, i), fmt.Sprintf(`r%d: { knd: "storage" }`, i))
	})
	section("bindings", "[", "]", func(i int) string {
		return bad(i, fmt.Sprintf(`{ to: "#c%d.s", from: "#c%d.p", weak: %v }`, i, (i+1)%n, i%2 == 0),
			fmt.Sprintf(`{ to: "#c%d.s" }`, i))
	})
	section("exports", "{", "}", func(i int) string {
		return bad(i, fmt.Sprintf(`x%d: "#c%d.p"`, i, i), fmt.Sprintf(`x%d: "framework.x"`, i))
	})
	b.WriteString("  program: { path: \"/bin/sh\", network: { endpoints: [{ name: \"api\", port: 80 }] } },\n}\n")
	return []byte(b.String())
}

// badBindings returns a LinkHeavy root with bindings that validation
// reports (a child, a slot, a provide and a framework capability that do
// not exist) among those it does not.
func badBindings(root []byte) []byte {
	for _, r := range [][2]string{
		{`from: "#c3.api"`, `from: "#q3.api"`},
		{`to: "#c9.upstream"`, `to: "#q9.upstream"`},
		{`from: "#c12.api"`, `from: "slots.nope"`},
		{`from: "#c20.api"`, `from: "provides.nope"`},
		{`from: "#c30.api"`, `from: "framework.nope"`},
	} {
		root = bytes.Replace(root, []byte(r[0]), []byte(r[1]), 1)
	}
	return root
}

// typeEdits applies n random edits to src, checking every version.
func typeEdits(t *testing.T, name string, src []byte, n int, rng *rand.Rand) {
	file := "/work/" + name
	syn := json5.Parse(src)
	res := AnalyzeWith(file, src, Options{Syntax: syn})
	type undo struct {
		at   int
		text []byte // the text the edit replaced
		n    int    // the length of the text it inserted
	}
	var undos []undo
	for step := range n {
		var at, end int
		var ins []byte
		if len(undos) > 0 && (len(undos) > 3 || rng.IntN(3) == 0) {
			u := undos[len(undos)-1]
			undos = undos[:len(undos)-1]
			at, end, ins = u.at, u.at+u.n, u.text
		} else {
			at, end, ins = randomEdit(src, rng)
			undos = append(undos, undo{at, bytes.Clone(src[at:end]), len(ins)})
		}
		next := make([]byte, 0, len(src)-(end-at)+len(ins))
		next = append(append(append(next, src[:at]...), ins...), src[end:]...)
		syn = json5.ReparseEdited(syn, next, at, end)
		got := AnalyzeWith(file, next, Options{Syntax: syn, Previous: res})
		want := AnalyzeWith(file, next, Options{Syntax: syn})
		err := sameResult(got, want)
		if err == nil && got.prior != nil {
			err = ownTree(got)
		}
		if err != nil {
			t.Fatalf("%s, edit %d: [%d,%d) of %q replaced by %q: %v\ntext:\n%s", name, step, at, end, src[at:end], ins, err, next)
		}
		src, res = next, got
	}
}

// Snippets the random edits insert: tokens that break or mend the syntax,
// values of the wrong type, draft spellings, names with dots, references.
var snippets = []string{
	"x", "é", `"`, ",", ":", "{", "}", "[", "]", " ", "\n", "// c\n", "/*", "*/",
	"1", "tru", "null", `"a.b"`, `"policy"`, "#c1", ".api", `"#c0.api"`,
	`x: 1,`, `"./leaf.json5"`, `{ manifest: "./x.json5" },`,
	`{ to: "#c1.upstream", from: "#c0.api" },`, `c9: "./c9.json5",`,
	`profile: "policy",`, `environment: "e",`, `manifest: 5,`,
}

// randomEdit returns an edit of src: [at, end) replaced by ins.
func randomEdit(src []byte, rng *rand.Rand) (at, end int, ins []byte) {
	at = rng.IntN(len(src) + 1)
	switch rng.IntN(10) {
	case 0:
		at = 0
	case 1:
		at = len(src)
	case 2, 3:
		// Inside a string or a key, or next to a delimiter.
		if i := bytes.IndexAny(src[at:], `"{}[],:`); i >= 0 {
			at += i + rng.IntN(2)
		}
	}
	end = at
	switch rng.IntN(5) {
	case 0: // delete
		end = min(len(src), at+1+rng.IntN(1+rng.IntN(60)))
	case 1: // copy whole lines to a line start: duplicated entries
		lines := bytes.SplitAfter(src, []byte("\n"))
		i := rng.IntN(len(lines))
		j := min(len(lines), i+1+rng.IntN(4))
		ins = bytes.Join(lines[i:j], nil)
		at = bytes.LastIndexByte(src[:at], '\n') + 1
		end = at
	case 2: // replace
		end = min(len(src), at+rng.IntN(8))
		ins = []byte(snippets[rng.IntN(len(snippets))])
	default: // insert
		ins = []byte(snippets[rng.IntN(len(snippets))])
	}
	return at, end, ins
}

// sameResult compares an incremental analysis with a fresh one of the same
// syntax tree.
func sameResult(got, want *Result) error {
	if got.Syntax != want.Syntax {
		return fmt.Errorf("different syntax trees")
	}
	if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		return fmt.Errorf("diagnostics differ:\n got %s\nwant %s", describe(got), describe(want))
	}
	return sameValue("Manifest", reflect.ValueOf(got.Manifest), reflect.ValueOf(want.Manifest))
}

// ownTree checks that what r lends the next version points into r's own
// tree and text only: no Result may keep the tree of an earlier version
// alive.
func ownTree(r *Result) error {
	if len(r.prior.src) != len(r.Syntax.Src) || len(r.Syntax.Src) > 0 && &r.prior.src[0] != &r.Syntax.Src[0] {
		return fmt.Errorf("the prior holds another text")
	}
	nodes := map[*json5.Node]bool{}
	var walk func(n *json5.Node)
	walk = func(n *json5.Node) {
		nodes[n] = true
		for _, m := range n.Members {
			walk(m.Value)
		}
		for _, e := range n.Elems() {
			walk(e)
		}
	}
	walk(r.Syntax.Root())
	var stray error
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		switch {
		case stray != nil:
		case v.Type() == nodeType:
			if !v.IsNil() && !nodes[(*json5.Node)(v.UnsafePointer())] {
				stray = fmt.Errorf("the prior points at a node of another tree (at %v)", v.Elem().FieldByName("Start"))
			}
		case v.Kind() == reflect.Pointer:
			if !v.IsNil() {
				visit(v.Elem())
			}
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				visit(v.Field(i))
			}
		case v.Kind() == reflect.Slice:
			for i := range v.Len() {
				visit(v.Index(i))
			}
		}
	}
	visit(reflect.ValueOf(r.prior.m))
	return stray
}

func describe(r *Result) string {
	var b strings.Builder
	for _, d := range r.Diagnostics {
		fmt.Fprintf(&b, "\n  %s %v: %s", d.Code, d.Labels, d.Message)
	}
	return b.String()
}

var nodeType = reflect.TypeFor[*json5.Node]()

// sameValue compares two values deeply, as reflect.DeepEqual does, except
// that syntax nodes must be the very same nodes: a reused value must point
// into the new tree, never into an earlier one.
func sameValue(at string, a, b reflect.Value) error {
	if a.Type() != b.Type() {
		return fmt.Errorf("%s: types %v and %v", at, a.Type(), b.Type())
	}
	if a.Type() == nodeType {
		if a.Pointer() != b.Pointer() {
			return fmt.Errorf("%s: another node (%v, want %v)", at, a.Elem().FieldByName("Start"), b.Elem().FieldByName("Start"))
		}
		return nil
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: nil and non-nil", at)
			}
			return nil
		}
		return sameValue(at, a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if err := sameValue(at+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() {
			return fmt.Errorf("%s: nil and empty", at)
		}
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: length %d, want %d", at, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if err := sameValue(fmt.Sprintf("%s[%d]", at, i), a.Index(i), b.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Errorf("%s: maps of %d and %d entries", at, a.Len(), b.Len())
		}
		for _, k := range b.MapKeys() {
			av := a.MapIndex(k)
			if !av.IsValid() {
				return fmt.Errorf("%s: no key %v", at, k)
			}
			if err := sameValue(fmt.Sprintf("%s[%v]", at, k), av, b.MapIndex(k)); err != nil {
				return err
			}
		}
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Errorf("%s: %q, want %q", at, a.String(), b.String())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return fmt.Errorf("%s: %v, want %v", at, a.Bool(), b.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return fmt.Errorf("%s: %d, want %d", at, a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if a.Uint() != b.Uint() {
			return fmt.Errorf("%s: %d, want %d", at, a.Uint(), b.Uint())
		}
	default:
		return fmt.Errorf("%s: cannot compare %v", at, a.Kind())
	}
	return nil
}

// TestRebaseCoversFields fails when a field is added to a type that
// reuse.go copies onto a new tree: the rebase function of the type must
// then move the new field too (and this count be updated).
func TestRebaseCoversFields(t *testing.T) {
	for _, tc := range []struct {
		typ    reflect.Type
		fields int
	}{
		{reflect.TypeFor[ComponentDecl](), 5},
		{reflect.TypeFor[Environment](), 3},
		{reflect.TypeFor[Slot](), 5},
		{reflect.TypeFor[Provide](), 4},
		{reflect.TypeFor[Resource](), 5},
		{reflect.TypeFor[Export](), 5},
		{reflect.TypeFor[Binding](), 15},
		{reflect.TypeFor[Entry](), 3},
		{reflect.TypeFor[Str](), 2},
	} {
		if n := tc.typ.NumField(); n != tc.fields {
			t.Errorf("%v has %d fields, the rebase functions of reuse.go know %d: move the new ones there", tc.typ, n, tc.fields)
		}
	}
}

// TestIncrementalReuses follows an editor through a few versions of a
// manifest and checks, besides equality with a fresh analysis, what each
// version took from the one before: the very values of the entries whose
// nodes the new tree shares, copies of the entries that moved, and, after
// a version with a syntax error, the values of the last version that
// decoded.
func TestIncrementalReuses(t *testing.T) {
	const base = `{
  manifest_version: "0.4.0",
  components: {
    a: { manifest: "./a.json5", config: { label: "one" } },
    b: "./b.json5",
    c: { manifest: "./c.json5", environment: "e" },
  },
  environments: { e: { resolvers: ["r"] } },
  bindings: [
    {to:"#a.s",from:"#b.c"},
    {to:"#b.s",from:"#a.c"},
  ],
  exports: { x: "#c.api" },
}
`
	type version struct {
		old, new string // the first occurrence of old is replaced by new
		// same names the entries that must be the previous version's very
		// values, moved the entries that must be copies of them or decoded
		// again; reused is the number of entries taken from the last
		// version that decoded (-1 for a version that does not decode).
		same, moved []string
		reused      int
		// checked is the number of bindings validation checked rather
		// than took from the last version (validated); -1 for a version
		// that is not validated.
		checked int
	}
	for _, tc := range []struct {
		name     string
		versions []version
	}{
		{"same length", []version{{old: `"one"`, new: `"One"`, reused: 6,
			same: []string{"components.b", "components.c", "bindings", "exports"}, moved: []string{"components.a"}}}},
		{"insertion", []version{{old: `"one"`, new: `"one more"`, reused: 6,
			moved: []string{"components.a", "components.b", "components.c", "bindings", "exports"}}}},
		{"insertion after", []version{{old: `x: "#c.api"`, new: `x: "#c.api", y: "#c.api"`, reused: 7,
			same: []string{"components.a", "components.b", "components.c", "bindings"}}}},
		// Without child a the bindings are checked again (both now name
		// an unknown child).
		{"deletion", []version{{old: `a: { manifest: "./a.json5", config: { label: "one" } },`, new: ``, reused: 6, checked: 2,
			moved: []string{"components.b", "components.c", "bindings", "exports"}}}},
		// An element's text becomes two elements of the same length: the
		// binding after it keeps its node but not its index.
		{"same length, one more element", []version{{old: `{to:"#a.s",from:"#b.c"}`, new: `7,{to:"#a.s",from:"#b"}`, reused: 6, checked: -1,
			same: []string{"components.a", "exports"}, moved: []string{"bindings"}}}},
		// A version with a syntax error lends nothing: the one after it
		// decodes afresh.
		{"broken and mended", []version{
			{old: `"one"`, new: `"one",,`, reused: -1, checked: -1},
			{old: `"one",,`, new: `"one more"`, reused: 0, checked: 2, moved: []string{"components.b", "bindings", "exports"}},
			{old: `"one more"`, new: `"one"`, reused: 6, moved: []string{"components.b", "bindings", "exports"}},
		}},
		// A binding to an unknown child is checked, and checked again
		// after every edit (its report moves with it); the other is
		// taken from the last version until a child is renamed or a
		// slot is declared, and the first is fixed by declaring z.
		{"unknown child", []version{
			{old: `from:"#b.c"`, new: `from:"#z.c"`, reused: 6, checked: 1, same: []string{"bindings"}},
			{old: `"one"`, new: `"one more"`, reused: 6, checked: 1, moved: []string{"bindings"}},
			{old: `c: {`, new: `z: {`, reused: 6, checked: 2, same: []string{"components.a", "components.b"}},
			{old: `"one more"`, new: `"one"`, reused: 6, checked: 0},
			{old: `environments:`, new: `slots: { s: { kind: "http" } }, environments:`, reused: 7, checked: 2},
		}},
		// A binding that was clean is checked again when the slot it
		// names is renamed.
		{"slot renamed", []version{
			{old: `environments:`, new: `slots: { s: { kind: "http" } }, environments:`, reused: 7, checked: 2},
			{old: `from:"#a.c"`, new: `from:"slots.s"`, reused: 7, checked: 1},
			{old: `slots: { s: {`, new: `slots: { t: {`, reused: 7, checked: 2},
		}},
		// A copied entry repeats a key, after or before its original.
		{"copied after", []version{{old: `environment: "e" },`, new: "environment: \"e\" },\n    b: \"./b.json5\",", reused: 7, checked: -1}}},
		{"copied before", []version{{old: `    a: {`, new: "    c: \"./c.json5\",\n    a: {", reused: 6, checked: -1}}},
		{"copied and renamed", []version{
			{old: `    a: {`, new: "    c: \"./c.json5\",\n    a: {", reused: 6, checked: -1},
			{old: `    c: "./c.json5",`, new: `    d: "./c.json5",`, reused: 6, checked: 2},
			{old: `    d: "./c.json5",`, new: `    dd: "./c.json5",`, reused: 7, checked: 2},
			{old: `label: "one"`, new: `label: "two"`, reused: 7, checked: 0},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(base)
			syn := json5.Parse(src)
			res := AnalyzeWith("/m/root.json5", src, Options{Syntax: syn})
			decoded := res // the last version that decoded
			for _, v := range tc.versions {
				at := bytes.Index(src, []byte(v.old))
				next := slices.Concat(src[:at], []byte(v.new), src[at+len(v.old):])
				syn = json5.ReparseEdited(syn, next, at, at+len(v.old))
				got := AnalyzeWith("/m/root.json5", next, Options{Syntax: syn, Previous: res})
				if err := sameResult(got, AnalyzeWith("/m/root.json5", next, Options{Syntax: syn})); err != nil {
					t.Fatalf("%q -> %q: %v", v.old, v.new, err)
				}
				for _, name := range append(slices.Clone(v.same), v.moved...) {
					was, now := entryValue(decoded.Manifest, name), entryValue(got.Manifest, name)
					if was == nil || now == nil {
						t.Fatalf("%q -> %q: no %s", v.old, v.new, name)
					}
					if same := was == now; same != slices.Contains(v.same, name) {
						t.Errorf("%q -> %q: %s reused itself: %v, want %v", v.old, v.new, name, same, !same)
					}
				}
				checked := -1
				if got.prior != nil && got.prior.validated != nil {
					checked = got.prior.validated.checked
				}
				if checked != v.checked {
					t.Errorf("%q -> %q: %d bindings checked, want %d", v.old, v.new, checked, v.checked)
				}
				if reused := -1; got.Manifest != nil {
					reused = got.prior.reused
					decoded = got
					if reused != v.reused {
						t.Errorf("%q -> %q: %d entries reused, want %d", v.old, v.new, reused, v.reused)
					}
				} else if v.reused != -1 {
					t.Errorf("%q -> %q: did not decode", v.old, v.new)
				}
				src, res = next, got
			}
		})
	}
}

// entryValue returns the decoded value of a component (components.<name>),
// a binding (bindings[<i>], "bindings" for the last) or the exports
// ("exports", the first), as a pointer to compare.
func entryValue(m *Manifest, name string) any {
	switch {
	case m == nil:
		return nil
	case strings.HasPrefix(name, "components."):
		if c := m.Component(strings.TrimPrefix(name, "components.")); c != nil {
			return c
		}
	case name == "bindings" && len(m.Bindings) > 0:
		return m.Bindings[len(m.Bindings)-1]
	case strings.HasPrefix(name, "bindings["):
		for _, b := range m.Bindings {
			if fmt.Sprintf("bindings[%d]", b.Index) == name {
				return b
			}
		}
	case name == "exports" && len(m.Exports) > 0:
		return m.Exports[0]
	}
	return nil
}
