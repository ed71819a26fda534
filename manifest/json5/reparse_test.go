package json5

import (
	"bytes"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// sameFile fails unless got, from Reparse, is exactly what Parse gives for
// its text: the same source, tree, errors, span grammar and Print.
func sameFile(t testing.TB, what string, got *File) {
	t.Helper()
	want := Parse(bytes.Clone(got.Src))
	switch {
	case !bytes.Equal(got.Src, want.Src):
		t.Fatalf("%s: Src differs", what)
	case !reflect.DeepEqual(got.Errors, want.Errors):
		t.Fatalf("%s: errors differ:\n got %v\nwant %v\ntext %q", what, got.Errors, want.Errors, trunc(got.Src))
	case got.SpanGrammarOK != want.SpanGrammarOK:
		t.Fatalf("%s: SpanGrammarOK = %v, want %v", what, got.SpanGrammarOK, want.SpanGrammarOK)
	case !sameTree(got.Root(), want.Root()):
		t.Fatalf("%s: trees differ:\n got %s\nwant %s", what, dump(got), dump(want))
	case !bytes.Equal(got.Print(), want.Print()):
		t.Fatalf("%s: Print differs", what)
	}
	checkFile(t, got.Src, got)
}

// sameErrors is sameFile without the tree: it fails unless got has the
// source, errors and span grammar Parse gives for its text, and asks
// nothing that would build a pending tree.
func sameErrors(t testing.TB, what string, got *File) {
	t.Helper()
	want := Parse(bytes.Clone(got.Src))
	switch {
	case !reflect.DeepEqual(got.Errors, want.Errors):
		t.Fatalf("%s: errors differ:\n got %v\nwant %v\ntext %q", what, got.Errors, want.Errors, trunc(got.Src))
	case got.SpanGrammarOK != want.SpanGrammarOK:
		t.Fatalf("%s: SpanGrammarOK = %v, want %v", what, got.SpanGrammarOK, want.SpanGrammarOK)
	case got.HasSyntaxErrors() != want.HasSyntaxErrors():
		t.Fatalf("%s: HasSyntaxErrors = %v, want %v", what, got.HasSyntaxErrors(), want.HasSyntaxErrors())
	}
}

// samePendingTables fails unless what got.PendingTableEdit says of every
// key of its root is the table Parse gives: the members before the edit
// are the base's, the new ones Parse's, those after it the base's moved;
// and it leaves got's tree as it found it.
func samePendingTables(t testing.TB, what string, got *File) (tables int) {
	t.Helper()
	want := Parse(bytes.Clone(got.Src))
	if want.Root() == nil || want.Root().Kind != Object {
		return 0
	}
	pending := treePending(got)
	for _, m := range want.Root().Members {
		e, ok := got.PendingTableEdit(m.Key.Name)
		if !ok {
			continue
		}
		tables++
		w := want.Root().Get(m.Key.Name)
		n := len(e.Base.Members) - (e.J - e.I) + len(e.Members)
		if w.Kind != Object || len(w.Members) != n {
			t.Fatalf("%s: PendingTableEdit(%q) makes %d members, Parse %d (%s)", what, m.Key.Name, n, len(w.Members), w.Kind)
		}
		for k, wm := range w.Members {
			var gm *Member
			switch {
			case k < e.I:
				gm = e.Base.Members[k]
			case k < e.I+len(e.Members):
				gm = e.Members[k-e.I]
			default:
				gm = copyMember(e.Base.Members[k-len(e.Members)+e.J-e.I], e.Delta)
			}
			x, y := *gm, *wm
			x.Value, y.Value = nil, nil
			if x != y || !sameTree(gm.Value, wm.Value) {
				t.Fatalf("%s: PendingTableEdit(%q): member %d differs from Parse's", what, m.Key.Name, k)
			}
		}
	}
	if pending && !treePending(got) {
		t.Fatalf("%s: PendingTableEdit built the tree", what)
	}
	return tables
}

// sameRootValues fails unless got.RootValue answers as Parse's file does
// for every key of the root and one it lacks; it may build got's tree.
func sameRootValues(t testing.TB, what string, got *File) {
	t.Helper()
	want := Parse(bytes.Clone(got.Src))
	keys := []string{"no such key"}
	if r := want.Root(); r != nil {
		for _, m := range r.Members {
			keys = append(keys, m.Key.Name)
		}
	}
	for _, k := range keys {
		g, gok := got.RootValue(k)
		w, wok := want.RootValue(k)
		if g != w || gok != wok {
			t.Fatalf("%s: RootValue(%q) = %+v, %v, want %+v, %v", what, k, g, gok, w, wok)
		}
	}
}

// treePending reports whether f's tree is still to be built.
func treePending(f *File) bool { return f.pending != nil && f.pending.unbuilt() != nil }

// sameTree reports whether the trees a and b are the same in every field
// but head, which records how Reparse allocated a node.
func sameTree(a, b *Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.head, y.head = false, false
	x.Members, y.Members = nil, nil
	x.ext, y.ext = extSansElems(a.ext), extSansElems(b.ext)
	if !reflect.DeepEqual(x, y) || len(a.Members) != len(b.Members) || len(a.Elems()) != len(b.Elems()) ||
		(a.Members == nil) != (b.Members == nil) || (a.Elems() == nil) != (b.Elems() == nil) {
		return false
	}
	for i, m := range a.Members {
		k, l := *m, *b.Members[i]
		k.Value, l.Value = nil, nil
		if k != l || !sameTree(m.Value, b.Members[i].Value) {
			return false
		}
	}
	for i, e := range a.Elems() {
		if !sameTree(e, b.Elems()[i]) {
			return false
		}
	}
	return true
}

// extSansElems returns a copy of x without the elements of an array,
// which sameTree compares node by node; nil when x is nil.
func extSansElems(x *nodeExt) *nodeExt {
	if x == nil {
		return nil
	}
	c := *x
	c.elems = nil
	return &c
}

// reparsed reports whether f came from Reparse's incremental path.
func reparsed(f *File) bool { return f.reparsed }

// edit replaces [start, end) of src by text.
func edit(src []byte, start, end int, text string) []byte {
	return append(append(append([]byte{}, src[:start]...), text...), src[end:]...)
}

func TestReparseCases(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		at, del     string // replace the first `del` at or after the first `at`
		ins         string
		incremental bool
	}{
		{"number value", `{"a": 1, "b": 2}`, "1", "1", "10", true},
		{"string value", `{"a": "x", "b": [1, 2]}`, `"x"`, "x", "xyz", true},
		{"key", `{"alpha": 1, "b": 2}`, "alpha", "alpha", "beta", true},
		{"same length", `{"a": 1, "b": {"c": 2}}`, "1", "1", "7", true},
		{"insert member first", `{"a": 1}`, `"a"`, "", `"z": 0, `, true},
		{"insert member before comma", `{"a": 1, "b": 2}`, ", ", "", `, "c": 3`, true},
		{"insert member in gap", `{"a": 1, }`, "}", "", `"b": 2`, true},
		{"into empty object", `{"a": {}}`, "}}", "", `"b": [true]`, true},
		{"into empty array", `[[], 1]`, "]", "", `null`, true},
		{"array element", `[1, 2, 3]`, "2", "2", "20", true},
		{"array append", `[1, 2, 3]`, "]", "", ", 4", true},
		{"array trailing comma", `[1, 2,]`, "]", "", " 3", true},
		{"delete last element", `[1, 2]`, "2", "2", "", true},
		{"delete only member", `{"a": {"b": 1}}`, `"b"`, `"b": 1`, "", true},
		{"nested deep", `{"a": {"b": [1, {"c": "x"}]}, "d": [4, 5]}`, `"x"`, "x", "xy", true},
		{"comment inside slot", `{"a": 1, /* c */ "b": 2}`, "c */", "c", "comment", true},
		{"whitespace", "{\n  \"a\": 1,\n  \"b\": 2\n}\n", "\"b\"", "", "  ", true},
		{"escape in new string", `{"a": "x"}`, "x", "x", `\n\u00e9`, true},
		{"bom", "\ufeff{\"a\": 1}", "1", "1", "2", true},

		{"new syntax error", `{"a": 1, "b": 2}`, "1", "1", "1 2", true},
		{"comma in slot", `{"a": 1, "b": 2}`, "1", "", ",", true},
		{"stray comma after comma", "{\"a\": 1,\n \"b\": 2}", "\n", "", ",", true},
		{"stray comma removed", "{\"a\": 1,,\n \"b\": 2}", ",\n", ",", "", true},
		{"empty slot before comma", `[1, 2]`, "1", "1", "", true},
		{"old error in slot fixed", `{"a": 1 "b": 2, "c": 3}`, "1", "1", "1,", true},
		{"old error in slot kept", `{"a": 1 "b": 2, "c": 3}`, "1", "1", "4", true},
		{"unfinished key", `{"a": {"x": 1}, "b": 2}`, `"x"`, "", `"k`, false},
		{"key without value", `{"a": {"x": 1}, "b": 2}`, `"x"`, "", `"k": `, true},
		{"missing colon", `{"a": {"x": 1}, "b": 2}`, `"x"`, "", `"k" 1, `, true},
		{"raw line separator", `{"a": "x"}`, "x", "", "\u2028", true},
		{"malformed literal", `{"a": true, "b": 2}`, "true", "true", "tru", true},

		{"delete across comma", `{"a": 1, "b": 2}`, ", ", `, "b": 2`, "", false},
		{"touch closing brace", `{"a": {"b": 1}}`, "}}", "}", "", false},
		{"unterminated string", `{"a": "x", "b": 2}`, `"x"`, `"x"`, `"x`, false},
		{"open block comment", `{"a": 1, "b": 2}`, "1", "", "/*", false},
		{"line comment eats delimiter", `{"a": 1, "b": 2}`, "1", "", "// ", false},
		{"old error elsewhere", `{"a": 1 "b": 2, "c": 3}`, "3", "3", "4", false},
		{"old error after closing", `{"a": [1, 2] 3}`, "1", "1", "5", true},
		{"root scalar", `"abc"`, "b", "b", "x", false},
		{"outside root", `{"a":1} `, " ", "", "\n", false},
		{"invalid utf-8", `{"a": "x"}`, "x", "", "\xff", false},
		{"ends object early", `{"a": 1, "b": 2}`, "1", "1", "1}", false},
		{"opens a bracket", `{"a": 1, "b": 2}`, "1", "1", "[1", false},
		{"closes a bracket it did not open", `{"a": [1, 2], "b": 2}`, "2]", "2", "2]", false},
		{"mismatched brackets", `{"a": [1, 2], "b": 2}`, "1", "1", "{1]", false},
		{"nested too deep", `{"a": 1}`, "1", "1", strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), true},
		{"old nested too deep", `{"a": ` + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth) + `}`, "]}", "]", "] ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			at := strings.Index(tt.src, tt.at)
			i := strings.Index(tt.src[at:], tt.del)
			if at < 0 || i < 0 {
				t.Fatalf("%q or %q not in %q", tt.at, tt.del, tt.src)
			}
			start := at + i
			old := Parse(src)
			before := dump(old)
			got := Reparse(old, start, start+len(tt.del), []byte(tt.ins))
			if want := edit(src, start, start+len(tt.del), tt.ins); !bytes.Equal(got.Src, want) {
				t.Fatalf("Src = %q, want %q", got.Src, want)
			}
			sameFile(t, tt.name, got)
			if reparsed(got) != tt.incremental {
				t.Errorf("incremental = %v, want %v", reparsed(got), tt.incremental)
			}
			if after := dump(old); !bytes.Equal(before, after) || !bytes.Equal(old.Src, src) {
				t.Errorf("Reparse changed the old file:\n%s\n%s", before, after)
			}
		})
	}
}

// TestReparseSharesAndShifts checks what the new tree shares with the old
// one: the nodes before the edit, and the nodes after it when the edit
// keeps the length; nodes after a longer edit are shifted copies.
func TestReparseSharesAndShifts(t *testing.T) {
	src := []byte(`{"a": [1, 2], "b": "x", "c": {"d": 3, "e": [4]}, "big": [0, 1]}`)
	old := Parse(src)
	at := bytes.Index(src, []byte(`"x"`)) + 1

	same := Reparse(old, at, at+1, []byte("y"))
	if !reparsed(same) || same.Root() == old.Root() {
		t.Fatalf("not reparsed, or root shared")
	}
	if same.Root().Members[0] != old.Root().Members[0] || same.Root().Get("c") != old.Root().Get("c") {
		t.Errorf("same-length edit: members before and after the edit are not shared")
	}

	longer := Reparse(old, at, at+1, []byte("yyy"))
	if longer.Root().Members[0] != old.Root().Members[0] {
		t.Errorf("the member before the edit is not shared")
	}
	c, oldC := longer.Root().Get("c"), old.Root().Get("c")
	if c == oldC || c.Start != oldC.Start+2 || c.Get("d").End != oldC.Get("d").End+2 {
		t.Errorf("the member after the edit is not a shifted copy: [%d-%d] was [%d-%d]", c.Start, c.End, oldC.Start, oldC.End)
	}
	if longer.Root().End != old.Root().End+2 || oldC.Start != bytes.Index(src, []byte(`{"d"`)) {
		t.Errorf("root end %d (was %d), or the old tree moved", longer.Root().End, old.Root().End)
	}

	// An edit inside a subtree an earlier Reparse copied copies it whole.
	at = bytes.Index(longer.Src, []byte(`3, "e"`))
	inside := Reparse(longer, at, at+1, []byte("7"))
	sameFile(t, "inside a copy", inside)
	if !reparsed(inside) || inside.Root().Lookup("c", "e") == longer.Root().Lookup("c", "e") {
		t.Errorf("a member of the copied subtree the edit left is shared")
	}
	if inside.Root().Members[0] != longer.Root().Members[0] || inside.Root().Get("big") != longer.Root().Get("big") {
		t.Errorf("the members outside the copied subtree are not shared")
	}
}

// TestReparseChain applies many edits in a row: every result equals a full
// parse, and every one is incremental: nothing cuts a chain short with a
// full parse (TestReparseChainRetention checks what a long chain keeps
// alive).
func TestReparseChain(t *testing.T) {
	f := Parse(testgen.GenerateManifest(60))
	for i := range 100 {
		at := bytes.Index(f.Src, []byte(`"name": "`)) + len(`"name": "`)
		f = Reparse(f, at, at, []byte("w"))
		sameFile(t, fmt.Sprint("edit ", i), f)
		if !reparsed(f) {
			t.Fatalf("edit %d parsed the text whole", i)
		}
	}
}

// TestReparseBadRanges: ranges outside the text are clamped, never a panic.
func TestReparseBadRanges(t *testing.T) {
	src := []byte(`{"a": 1}`)
	old := Parse(src)
	for _, r := range [][2]int{{-5, 2}, {3, 100}, {6, 2}, {100, 200}, {-3, -1}} {
		f := Reparse(old, r[0], r[1], []byte("9"))
		sameFile(t, fmt.Sprint(r), f)
	}
}

// reparseCorpus is the text the property test edits: the corpus and a
// generated manifest.
func reparseCorpus(t *testing.T) map[string][]byte {
	out := manifestTexts(t)
	out["generated"] = testgen.GenerateManifest(300)
	if len(out) < 20 {
		t.Fatalf("only %d corpus files", len(out))
	}
	return out
}

// editTexts are what random edits insert: single characters of every
// class, and fragments that make or break structure.
var editTexts = []string{
	"", "", "a", "Z", "_", "$", "0", "7", ".", "-", "+", "e", " ", " ", "\n", "\t", "\r\n",
	`"`, `'`, `\`, `\n`, `\u00e9`, `\x4`, ",", ":", "{", "}", "[", "]", "/", "*", "//", "/*", "*/",
	"é", "😀", "\u2028", "\xff", "\x00", "true", "nul", "0x1F", "007", "1e5",
	`"k": 1, `, `, "k": 1`, `k: [1, 2]`, "[1, {a: 2}], ", `"s"`, "// c\n", "/* c */", `"a\"b"`,
}

// TestReparseProperty edits every corpus file at random places (chains of
// edits, each applied to the previous result) and checks that each Reparse
// equals Parse of the edited text, and that the old file is left as it was.
// Most edits of error-free manifests must take the incremental path, or the
// test would prove nothing about it.
func TestReparseProperty(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	edits, eligible, incremental := 0, 0, 0
	for name, src := range reparseCorpus(t) {
		f := Parse(src)
		for step := range 40 {
			if len(f.Src) == 0 || step%10 == 0 {
				f = Parse(src)
			}
			start := rng.Intn(len(f.Src) + 1)
			if rng.Intn(4) == 0 {
				// Edit at or next to a delimiter.
				if i := bytes.IndexAny(f.Src[start:], ",:{}[]"); i >= 0 {
					start += i + rng.Intn(3) - 1
					start = min(max(start, 0), len(f.Src))
				}
			}
			del := 0
			if rng.Intn(2) == 0 {
				del = min(rng.Intn(rng.Intn(12)+1), len(f.Src)-start)
			}
			ins := editTexts[rng.Intn(len(editTexts))]
			var before []byte
			if step%8 == 0 {
				before = dump(f)
			}
			old := f
			if len(old.Errors) == 0 {
				eligible++
			}
			f = Reparse(old, start, start+del, []byte(ins))
			what := fmt.Sprintf("%s step %d: replace [%d-%d] %q by %q", name, step, start, start+del, old.Src[start:start+del], ins)
			if want := edit(old.Src, start, start+del, ins); !bytes.Equal(f.Src, want) {
				t.Fatalf("%s: wrong text", what)
			}
			// The tree of a text with errors is built when asked for: on
			// the other steps the next edit starts from the version before.
			if step%3 == 0 {
				sameFile(t, what, f)
			} else {
				sameErrors(t, what, f)
				samePendingTables(t, what, f)
				sameRootValues(t, what, f)
			}
			if before != nil && !bytes.Equal(before, dump(old)) {
				t.Fatalf("%s: the old file changed", what)
			}
			edits++
			if reparsed(f) {
				incremental++
			}
		}
	}
	// Typing: a member typed one character at a time into an object, then
	// deleted again one character at a time, as an editor sends it.
	typed := []rune(`"kéy😀": [1, {"x": 'y'}], `)
	for name, src := range reparseCorpus(t) {
		f := Parse(src)
		if f.Root() == nil || f.Root().Kind != Object || len(f.Errors) > 0 {
			continue
		}
		objects := []*Node{f.Root()}
		for _, m := range f.Root().Members {
			if m.Value.Kind == Object {
				objects = append(objects, m.Value)
			}
		}
		at := objects[rng.Intn(len(objects))].Start + 1
		pos := at
		for i, r := range typed {
			if len(f.Errors) == 0 {
				eligible++
			}
			f = Reparse(f, pos, pos, []byte(string(r)))
			if i%4 == 3 {
				sameFile(t, fmt.Sprintf("%s: typing %q at %d", name, string(typed[:i+1]), at), f)
			} else {
				sameErrors(t, fmt.Sprintf("%s: typing %q at %d", name, string(typed[:i+1]), at), f)
			}
			pos += len(string(r))
			edits++
			if reparsed(f) {
				incremental++
			}
		}
		for pos > at {
			n := len(string(typed[len([]rune(string(f.Src[at:pos])))-1]))
			if len(f.Errors) == 0 {
				eligible++
			}
			f = Reparse(f, pos-n, pos, nil)
			pos -= n
			sameErrors(t, fmt.Sprintf("%s: deleting back to %d", name, pos), f)
			edits++
			if reparsed(f) {
				incremental++
			}
		}
		if !bytes.Equal(f.Src, src) {
			t.Fatalf("%s: typing and deleting did not give the text back", name)
		}
		sameFile(t, fmt.Sprintf("%s: typed and deleted", name), f)
	}
	t.Logf("%d edits, %d of an error-free text, %d incremental", edits, eligible, incremental)
	if incremental < eligible/3 {
		t.Errorf("only %d of %d edits of error-free texts were incremental", incremental, eligible)
	}
}

// TestReparseTyping types a member into objects of every corpus file the
// way an editor that closes brackets and quotes sends it: `[` inserts `[]`,
// and typing the closer moves over it. The text passes through syntax
// errors, each confined to the member being typed, so all but about one
// step per file are incremental.
func TestReparseTyping(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	typed := `"kéy😀": [1, {"x": 'y', z: nul}], `
	closer := map[rune]string{'[': "]", '{': "}", '"': `"`, '\'': "'"}
	steps, incremental := 0, 0
	for name, src := range reparseCorpus(t) {
		f := Parse(src)
		if f.Root() == nil || f.Root().Kind != Object || len(f.Errors) > 0 {
			continue
		}
		objects := []*Node{f.Root()}
		for _, m := range f.Root().Members {
			if m.Value.Kind == Object {
				objects = append(objects, m.Value)
			}
		}
		pos := objects[rng.Intn(len(objects))].Start + 1
		var pending []string // closers the editor inserted, innermost last
		for _, r := range typed {
			c := string(r)
			switch {
			case len(pending) > 0 && pending[len(pending)-1] == c:
				pending = pending[:len(pending)-1]
				pos++ // over the closer the editor inserted
				continue
			case closer[r] != "":
				f = Reparse(f, pos, pos, []byte(c+closer[r]))
				pending = append(pending, closer[r])
			default:
				f = Reparse(f, pos, pos, []byte(c))
			}
			pos += len(c)
			sameFile(t, fmt.Sprintf("%s: typed %q", name, c), f)
			steps++
			if reparsed(f) {
				incremental++
			}
		}
	}
	t.Logf("%d steps, %d incremental", steps, incremental)
	if incremental < steps-len(reparseCorpus(t)) {
		t.Errorf("only %d of %d steps were incremental", incremental, steps)
	}
}

// TestReparseBrokenTyping types a member into an object of every corpus
// file without asking for a tree: each version with errors that Reparse
// made incrementally keeps its tree pending through the next edit (which starts from the last version built),
// and every tree, asked for at the end in a random order, is the one Parse
// gives.
func TestReparseBrokenTyping(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	typed := `"kéy😀": [1, {"x": 'y', z: nul}], `
	pending, files := 0, 0
	for name, src := range reparseCorpus(t) {
		f := Parse(src)
		if f.Root() == nil || f.Root().Kind != Object || len(f.Errors) > 0 {
			continue
		}
		files++
		pos := f.Root().Start + 1
		versions := []*File{f}
		for i, r := range typed {
			c := string(r)
			prev, wasPending := f, treePending(f)
			f = Reparse(f, pos, pos, []byte(c))
			pos += len(c)
			what := fmt.Sprintf("%s: typed %q", name, typed[:i+1])
			sameErrors(t, what, f)
			if treePending(f) != (reparsed(f) && f.HasSyntaxErrors()) {
				t.Fatalf("%s: %d errors, incremental %v, tree pending %v", what, len(f.Errors), reparsed(f), treePending(f))
			}
			if wasPending && reparsed(f) && !treePending(prev) {
				t.Fatalf("%s: the edit built the previous version's tree", what)
			}
			if treePending(f) {
				pending++
			}
			versions = append(versions, f)
		}
		for _, i := range rng.Perm(len(versions)) {
			sameRootValues(t, fmt.Sprintf("%s: version %d", name, i), versions[i])
			sameFile(t, fmt.Sprintf("%s: version %d, its tree asked for last", name, i), versions[i])
		}
	}
	if files == 0 || pending < files*len([]rune(typed))/5 { // the versions after an unclosed `[` or `{` are parsed whole
		t.Fatalf("%d files, %d versions with a pending tree", files, pending)
	}
}

// TestReparseStrayComma is lspbench's keystroke: a comma typed after a
// comma that ends a line (a syntax error), then deleted again. Both edits
// are incremental, at every such comma of the corpus.
func TestReparseStrayComma(t *testing.T) {
	edits, deep, tables := 0, 0, 0
	for name, src := range reparseCorpus(t) {
		f := Parse(src)
		if f.Root() == nil || len(f.Errors) > 0 || !f.SpanGrammarOK {
			continue
		}
		for i := 0; i < len(src); i++ {
			if src[i] != ',' || i+1 >= len(src) || src[i+1] != '\n' || bytes.HasPrefix(bytes.TrimLeft(src[i+1:], " \t\r\n"), []byte("}")) || bytes.HasPrefix(bytes.TrimLeft(src[i+1:], " \t\r\n"), []byte("]")) {
				continue
			}
			broken := Reparse(f, i+1, i+1, []byte(","))
			sameErrors(t, fmt.Sprintf("%s: comma typed at %d", name, i+1), broken)
			if !treePending(broken) {
				t.Fatalf("%s at %d: the tree of the broken text was built before it was asked for", name, i+1)
			}
			fixed := Reparse(broken, i+1, i+2, nil) // from f, with both edits as one
			sameFile(t, fmt.Sprintf("%s: comma deleted at %d", name, i+1), fixed)
			if !treePending(broken) {
				t.Fatalf("%s at %d: deleting the comma built the broken text's tree", name, i+1)
			}
			// The values of the root's other members are known without
			// the tree when the comma lies inside a member's value.
			var inside *Member
			for _, m := range f.Root().Members {
				if m.Value.Start <= i && i+1 < m.Value.End {
					inside = m
				}
			}
			if inside != nil && f.Root().Member(inside.Key.Name) == inside {
				deep++
				for _, m := range f.Root().Members {
					if m.Key.Name != inside.Key.Name {
						broken.RootValue(m.Key.Name)
					}
				}
				if !treePending(broken) {
					t.Fatalf("%s at %d: RootValue of a member the comma is not in built the tree", name, i+1)
				}
			}
			tables += samePendingTables(t, fmt.Sprintf("%s: comma typed at %d", name, i+1), broken)
			sameRootValues(t, fmt.Sprintf("%s: comma typed at %d", name, i+1), broken)
			sameFile(t, fmt.Sprintf("%s: comma typed at %d, its tree asked for last", name, i+1), broken)
			if !reparsed(broken) || !reparsed(fixed) || len(broken.Errors) == 0 {
				t.Fatalf("%s at %d: incremental %v then %v, %d errors", name, i+1, reparsed(broken), reparsed(fixed), len(broken.Errors))
			}
			edits++
		}
	}
	if edits < 100 || deep < 50 || tables < 50 {
		t.Fatalf("only %d places to type a comma, %d of them inside a member of the root, %d inside an object there", edits, deep, tables)
	}
}

// FuzzReparse checks Reparse against Parse for arbitrary texts and edits.
//
//	go test -run='^$' -fuzz=FuzzReparse -fuzztime=3m ./manifest/json5/
func FuzzReparse(f *testing.F) {
	f.Add([]byte(`{"a": 1, "b": [2, 3]}`), 6, 7, []byte("10"))
	f.Add([]byte(`{"a": 1, "b": [2, 3]}`), 18, 18, []byte(", 4"))
	f.Add([]byte(`[{"x": "y"}, 1]`), 8, 9, []byte(`"`))
	f.Add(testgen.GenerateManifest(12), 40, 44, []byte(`"k": {}, `))
	f.Fuzz(func(t *testing.T, src []byte, start, end int, text []byte) {
		old := Parse(src)
		before := dump(old)
		got := Reparse(old, start, end, text)
		// A second edit on the result, at the same place, before and
		// after the result's tree is built (when it has errors, its tree
		// waits to be asked for, and the first second edit starts from old).
		second := Reparse(got, start, start, text)
		sameFile(t, "reparse", got)
		if !bytes.Equal(before, dump(old)) {
			t.Fatalf("the old file changed")
		}
		sameFile(t, "second reparse", second)
		sameFile(t, "second reparse of the built tree", Reparse(got, start, start, text))
	})
}

// TestReparseEdited: given the edited text, the same File as Reparse, with
// that text as Src; a text that is not such an edit is parsed whole.
func TestReparseEdited(t *testing.T) {
	old := Parse([]byte(`{"a": 1, "b": [2, 3]}`))
	src := []byte(`{"a": 10, "b": [2, 3]}`)
	got := ReparseEdited(old, src, 6, 7)
	sameFile(t, "edited", got)
	if !reparsed(got) || &got.Src[0] != &src[0] {
		t.Errorf("not reparsed, or Src is a copy")
	}
	// Any range that covers the change describes it; these do not.
	for _, r := range [][2]int{{0, 1}, {8, 9}, {-1, 7}, {7, 6}, {6, 99}} {
		got := ReparseEdited(old, src, r[0], r[1])
		sameFile(t, fmt.Sprint("wrong range ", r), got)
		if reparsed(got) {
			t.Errorf("range %v does not describe the edit, yet reparsed", r)
		}
	}
}

// TestReparsePendingConcurrent asks for a pending tree from several
// goroutines while another Reparse starts from the same version: every
// caller gets the one tree (run with -race).
func TestReparsePendingConcurrent(t *testing.T) {
	src := testgen.GenerateManifest(200)
	at := bytes.Index(src, []byte(",\n")) + 1
	for range 20 {
		broken := Reparse(Parse(src), at, at, []byte(","))
		if !treePending(broken) {
			t.Fatal("the tree of the broken text was built at once")
		}
		roots := make(chan *Node, 4)
		fixed := make(chan *File, 1)
		for range 4 {
			go func() { roots <- broken.Root() }()
		}
		go func() { fixed <- Reparse(broken, at, at+1, nil) }()
		first := <-roots
		for range 3 {
			if r := <-roots; r != first {
				t.Fatal("two callers of Root got different trees")
			}
		}
		sameFile(t, "the comma deleted", <-fixed)
		sameFile(t, "the comma typed", broken)
	}
}
