package analysis

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

var (
	linkHeavyLong = flag.Bool("analysis.long", false, "TestLinkHeavyEditsMatchFresh: 1,000 edits on the 830-child tree")
	linkHeavySeed = flag.Uint64("analysis.seed", 1, "seed of the random edits of TestLinkHeavyEditsMatchFresh")
)

// linkHeavyEditor makes random edits of a LinkHeavy tree's root: inside
// labels (multi-byte text), config values of the wrong type, bindings to
// children that do not exist, bytes inserted or deleted anywhere (which
// break the syntax and, undone, restore it), undos, and now and then an
// edit of the leaf every child instantiates.
type linkHeavyEditor struct {
	rng        *rand.Rand
	root, leaf []byte
	history    [][2][]byte // earlier (root, leaf) texts, for undos
	broke      bool        // the last edit inserted or deleted bytes anywhere
	good       [2][]byte   // the last (root, leaf) texts that linked every child
}

// snippetsInText are inserted inside strings; snippetsAnywhere anywhere.
var (
	snippetsInText   = []string{"é", "😀", "日本", "x", " ", "ß", "\\u00e9", "—"}
	snippetsAnywhere = []string{"{", "}", "[", "]", ",", ":", "\"", " ", "\n", "é", "😀", "// c\n", "/*", "*/", "null", "x: 1, ", "'"}
)

// edit changes the texts once and says what it did.
func (e *linkHeavyEditor) edit() string {
	e.history = append(e.history, [2][]byte{e.root, e.leaf})
	if len(e.history) > 50 {
		e.history = e.history[1:]
	}
	k := e.rng.IntN(100)
	if e.broke && e.rng.IntN(10) < 7 {
		k = 70 + e.rng.IntN(30) // most broken text is soon fixed
	}
	e.broke = false
	switch {
	case k < 30: // text inside a label
		at, ok := e.find(e.root, []byte(`label: "`))
		if !ok {
			return e.anywhere()
		}
		s := snippetsInText[e.rng.IntN(len(snippetsInText))]
		if e.rng.IntN(3) == 0 && e.root[at] != '"' { // delete a rune instead
			_, n := utf8.DecodeRune(e.root[at:])
			e.root = splice(e.root, at, n, "")
			return "label: delete a rune"
		}
		e.root = splice(e.root, at, 0, s)
		return "label: insert " + strconv.Quote(s)
	case k < 40: // a config number
		at, ok := e.find(e.root, []byte(`n: `))
		if !ok {
			return e.anywhere()
		}
		end := at
		for end < len(e.root) && e.root[end] != ',' && e.root[end] != '}' {
			end++
		}
		v := []string{strconv.Itoa(e.rng.IntN(1000)), `"text"`, "-1", "1.5", "null", "[1]"}[e.rng.IntN(6)]
		e.root = splice(e.root, at, end-at, v)
		return "n: " + v
	case k < 48: // a binding's source: another child (a cycle, now and then), or one that does not exist
		at, ok := e.find(e.root, []byte(`from: "#c`))
		if !ok {
			return e.anywhere()
		}
		end := at + bytes.IndexByte(e.root[at:], '.')
		v := strconv.Itoa(e.rng.IntN(bytes.Count(e.root, []byte("manifest: "))))
		if e.rng.IntN(5) == 0 {
			v = "Z"
		}
		e.root = splice(e.root, at, end-at, v)
		return "binding source: #c" + v
	case k < 52: // the leaf
		edits := [][2]string{
			{`optional: true`, `optional: false`},
			{`label: { type: "string" }`, `label: { type: "integer" }`},
			{`"${config.n}"]`, `"${config.n}", "${config.nope}"]`},
			{`{`, `{ // é`},
		}
		ed := edits[e.rng.IntN(len(edits))]
		if i := bytes.Index(e.leaf, []byte(ed[0])); i >= 0 {
			e.leaf = splice(e.leaf, i, len(ed[0]), ed[1])
			return "leaf: " + ed[1]
		}
		e.leaf = []byte(testgen.LinkHeavyLeaf)
		return "leaf: as written"
	case k < 70:
		e.broke = true
		return e.anywhere()
	case k < 85: // fix: back to the last texts that linked
		e.root, e.leaf = e.good[0], e.good[1]
		return "fix"
	default: // undo a few edits
		e.history = e.history[:len(e.history)-1] // this edit changes nothing yet
		back := min(len(e.history), 1+e.rng.IntN(3))
		if back == 0 {
			return e.anywhere()
		}
		prev := e.history[len(e.history)-back]
		e.history = e.history[:len(e.history)-back]
		e.root, e.leaf = prev[0], prev[1]
		return fmt.Sprintf("undo %d", back)
	}
}

// anywhere inserts or deletes bytes at a random offset of the root (on a
// rune boundary).
func (e *linkHeavyEditor) anywhere() string {
	at := e.rng.IntN(len(e.root) + 1)
	for at < len(e.root) && !utf8.RuneStart(e.root[at]) {
		at++
	}
	if e.rng.IntN(2) == 0 {
		n := 0
		for n < 1+e.rng.IntN(8) && at+n < len(e.root) {
			_, size := utf8.DecodeRune(e.root[at+n:])
			n += size
		}
		e.root = splice(e.root, at, n, "")
		return fmt.Sprintf("delete %d bytes at %d", n, at)
	}
	s := snippetsAnywhere[e.rng.IntN(len(snippetsAnywhere))]
	e.root = splice(e.root, at, 0, s)
	return fmt.Sprintf("insert %q at %d", s, at)
}

// find returns the offset just after a random occurrence of marker.
func (e *linkHeavyEditor) find(text, marker []byte) (int, bool) {
	n := bytes.Count(text, marker)
	if n == 0 {
		return 0, false
	}
	k := e.rng.IntN(n)
	at := 0
	for i := 0; ; i++ {
		j := bytes.Index(text[at:], marker)
		at += j + len(marker)
		if i == k {
			return at, true
		}
	}
}

// splice returns a new text: text with n bytes at at replaced by s.
func splice(text []byte, at, n int, s string) []byte {
	out := make([]byte, 0, len(text)-n+len(s))
	out = append(out, text[:at]...)
	out = append(out, s...)
	return append(out, text[at+n:]...)
}

// sameAsFresh compares the report and links of snapshot s with those of a
// fresh workspace given the same documents, and reports whether the root
// linked every child.
func sameAsFresh(t *testing.T, s *Snapshot, w *testgen.LinkHeavy, root, leaf []byte, step string) bool {
	t.Helper()
	ctx := context.Background()
	fresh := NewWorkspace(Options{})
	if _, err := fresh.SetFolders([]string{w.Dir}); err != nil {
		t.Fatal(err)
	}
	fresh.SetDocument(w.Root, 1, root)
	fs := fresh.SetDocument(w.Leaf, 1, leaf)
	got, want := report(t, s), report(t, fs)
	for _, r := range []*Report{got, want} {
		r.Relinked = nil // what was reused differs, by design
	}
	if len(got.Held) > 0 {
		// The root does not parse: its own diagnostics are a fresh
		// analysis's, the other files keep those of its last link that
		// parsed (Snapshot.Diagnostics), which a fresh analysis lacks.
		if !slices.Equal(got.Held, []string{w.Root}) || !s.analyze(w.Root, 0).res.Syntax.HasSyntaxErrors() {
			t.Fatalf("%s: held roots %v, want the root, which must not parse", step, got.Held)
		}
		got.Held = nil
		for _, r := range []*Report{got, want} {
			for f := range r.ByFile {
				if f != w.Root {
					delete(r.ByFile, f)
					delete(r.Hashes, f)
				}
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		for f, ds := range want.ByFile {
			if !reflect.DeepEqual(got.ByFile[f], ds) {
				t.Errorf("%s: %s: %d diagnostics, a fresh analysis has %d", step, f, len(got.ByFile[f]), len(ds))
			}
		}
		t.Fatalf("%s: the report differs from a fresh analysis's", step)
	}
	gl, err := s.Link(ctx, w.Root)
	if err != nil {
		t.Fatal(err)
	}
	wl, err := fs.Link(ctx, w.Root)
	if err != nil {
		t.Fatal(err)
	}
	encode := func(sc *scenario.Scenario) string {
		if sc == nil {
			return "none"
		}
		return string(scenario.MustEncode(sc))
	}
	if g, w := encode(gl.Result.Scenario()), encode(wl.Result.Scenario()); g != w {
		t.Fatalf("%s: the scenario differs from a fresh analysis's", step)
	}
	if g, w := encode(gl.Result.Optimized()), encode(wl.Result.Optimized()); g != w {
		t.Fatalf("%s: the optimised scenario differs from a fresh analysis's", step)
	}
	return len(gl.Result.Components) == w.Children+1
}

// TestLinkHeavyEditsMatchFresh edits the root (and now and then the leaf)
// of a LinkHeavy tree at random through a Workspace, computing the report
// after every edit as an editor does, and every 50 edits (and at the end)
// compares the report, the scenario and the optimised scenario with those
// of a fresh workspace given the same texts, once as edited and once with
// the last text that linked restored. By default: 200 edits on 100
// children; with -analysis.long, 1,000 edits on 830 children.
//
//	go test ./analysis -run TestLinkHeavyEditsMatchFresh -analysis.long
func TestLinkHeavyEditsMatchFresh(t *testing.T) {
	children, edits := 100, 200
	if *linkHeavyLong {
		children, edits = 830, 1000
	}
	w, err := testgen.WriteLinkHeavy(t.TempDir(), children)
	if err != nil {
		t.Fatal(err)
	}
	ws := NewWorkspace(Options{})
	if _, err := ws.SetFolders([]string{w.Dir}); err != nil {
		t.Fatal(err)
	}
	e := &linkHeavyEditor{rng: rand.New(rand.NewPCG(*linkHeavySeed, 2)), root: w.Text, leaf: []byte(testgen.LinkHeavyLeaf)}
	e.good = [2][]byte{e.root, e.leaf}
	version := int32(0)
	set := func() *Snapshot {
		version++
		ws.SetDocument(w.Leaf, version, e.leaf)
		return ws.SetDocument(w.Root, version, e.root)
	}
	compared, linked, linkedEdits := 0, 0, 0
	for i := 1; i <= edits; i++ {
		what := e.edit()
		s := set()
		report(t, s)
		if l, err := s.Link(context.Background(), w.Root); err == nil && len(l.Result.Components) == children+1 {
			e.good = [2][]byte{e.root, e.leaf}
			linkedEdits++
		}
		if i%50 != 0 && i != edits {
			continue
		}
		step := fmt.Sprintf("edit %d (%s)", i, what)
		compared++
		if sameAsFresh(t, s, w, e.root, e.leaf, step) {
			linked++
		}
		e.root, e.leaf = e.good[0], e.good[1]
		compared++
		if sameAsFresh(t, set(), w, e.root, e.leaf, step+", the last texts that linked restored") {
			linked++
		}
	}
	if linked < compared/2 || linkedEdits < edits/4 {
		t.Errorf("only %d of %d edits and %d of %d compared states linked every child", linkedEdits, edits, linked, compared)
	}
	t.Logf("%d edits, %d of them linked every child; %d states compared, %d of them linked", edits, linkedEdits, compared, linked)
}
