package analysis

import (
	"context"
	"maps"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync/atomic"
	"testing"
	"weak"

	"github.com/amberlsp/amber-lsp/internal/cost"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest"
)

// linkHeavyLiveBound bounds the live heap a workspace holds for the
// 2,000-child LinkHeavy tree open in an editor after keystrokes of every
// kind: one version of the root's syntax tree, analysis and link, 8.4
// MiB when measured after label and binding edits, 9.8 after insert edits
// (whose moved nodes sit in chunks of their own) with Nodes of 72 bytes;
// 8.9 and 10.7 with Nodes of 96 bytes, 10.1-10.7 before Nodes shrank from
// 128 bytes to 96, and with a broken version's tree still held by the
// document after a syntax error was undone, 12.6.
const linkHeavyLiveBound = 12 << 20

// TestLinkHeavyLiveHeapBounded types on the 2,000-child LinkHeavy tree
// (each edit of testgen's toggled on and off through EditDocument, as the
// server does) and checks what stays alive: the live heap the workspace
// holds, and which versions of the root's analysis it keeps (the current
// one, and the last that parsed while the root does not parse).
func TestLinkHeavyLiveHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("links the 2,000-child tree 30 times")
	}
	w, err := testgen.WriteLinkHeavy(t.TempDir(), 2000)
	if err != nil {
		t.Fatal(err)
	}
	before := cost.LiveHeap()
	ws := NewWorkspace(Options{})
	if _, err := ws.SetFolders([]string{w.Dir}); err != nil {
		t.Fatal(err)
	}
	version := int32(1)
	s := ws.SetDocument(w.Root, version, w.Text)
	report(t, s)
	var versions []weak.Pointer[manifest.Result]
	for _, e := range testgen.LinkHeavyEdits {
		at, old, repl := w.Site(e)
		on, off := TextEdit{at, at + len(old), len(repl)}, TextEdit{at, at + len(repl), len(old)}
		for i := range 10 {
			next, edit := w.Edited(e), on
			if i%2 == 1 {
				next, edit = w.Text, off
			}
			version++
			s = ws.EditDocument(w.Root, version, next, []TextEdit{edit})
			report(t, s)
			versions = append(versions, weak.Make(s.analyze(w.Root, 0).res))
		}
		live := cost.LiveHeap() - before
		t.Logf("after the %s edits: %.1f MiB", e, float64(live)/(1<<20))
		if live > linkHeavyLiveBound {
			t.Errorf("after the %s edits the workspace holds %.1f MiB, want at most %d", e, float64(live)/(1<<20), linkHeavyLiveBound>>20)
		}
	}
	alive := map[*manifest.Result][]int{} // the edits that made each
	for i, v := range versions {
		if r := v.Value(); r != nil {
			alive[r] = append(alive[r], i)
		}
	}
	// The last edit restored the text that parsed: its analysis is the
	// one the syntax errors held, found again.
	if len(alive) != 1 {
		t.Errorf("%d versions of the root's analysis are alive (those of the edits %v), want 1", len(alive), slices.Collect(maps.Values(alive)))
	}
	runtime.KeepAlive(ws)
}

// keystrokeAllocBounds bound the bytes a keystroke of each kind on the
// 2,000-child LinkHeavy tree allocates outside linker.Link (EditDocument
// and the report of the new snapshot). Measured (KB): label 52-56,
// binding 90-98, syntax 20-35 (its tree is built only when asked for),
// insert 2,046 (2,360-2,390 with Nodes of 96 bytes): the copy of every
// json5 node after the edit, its offsets moved (see json5.Reparse), and
// of the decoded entries that hold them. Two rounds before, when every
// syntax error built its tree: label 53-56, binding 61, syntax 930;
// before validation and references took what an edit left as it was and
// re-parses stopped ending with a full parse every 32 keystrokes: 215,
// 510, 1,230; before a keystroke read the files the manifest references
// instead of its references, Nodes shrank to 96 bytes and re-parses
// stopped taking whole chunks for a few nodes: 470, 640, 1,470.
var keystrokeAllocBounds = map[testgen.LinkHeavyEdit]uint64{
	testgen.EditLabel:   120 << 10,
	testgen.EditBinding: 140 << 10,
	testgen.EditSyntax:  150 << 10,
	testgen.EditInsert:  5 << 19, // 2.5 MiB
}

// TestLinkHeavyKeystrokeAllocations types on the 2,000-child LinkHeavy
// tree, each kind of edit toggled on and off 40 times through
// EditDocument, and bounds what a keystroke allocates besides the link:
// under the server's memory limit, each collection is paid for by what the
// keystrokes allocate.
func TestLinkHeavyKeystrokeAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("links the 2,000-child tree 120 times")
	}
	w, err := testgen.WriteLinkHeavy(t.TempDir(), 2000)
	if err != nil {
		t.Fatal(err)
	}
	var inLink atomic.Uint64 // allocated while linking (and by whatever ran meanwhile)
	ws := NewWorkspace(Options{Link: func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		before := allocatedBytes()
		defer func() { inLink.Add(allocatedBytes() - before) }()
		return linker.Link(ctx, root, opts)
	}})
	if _, err := ws.SetFolders([]string{w.Dir}); err != nil {
		t.Fatal(err)
	}
	version := int32(1)
	report(t, ws.SetDocument(w.Root, version, w.Text))
	const keystrokes = 40 // a multiple of 2
	for _, e := range testgen.LinkHeavyEdits {
		at, old, repl := w.Site(e)
		texts := [2][]byte{w.Edited(e), w.Text}
		edits := [2]TextEdit{{at, at + len(old), len(repl)}, {at, at + len(repl), len(old)}}
		inLink.Store(0)
		before := allocatedBytes()
		for i := range keystrokes {
			version++
			rep := report(t, ws.EditDocument(w.Root, version, texts[i%2], []TextEdit{edits[i%2]}))
			if len(rep.Relinked) != 1 {
				t.Fatalf("%s: keystroke %d relinked %v, want the root", e, i, rep.Relinked)
			}
		}
		per := (allocatedBytes() - before - inLink.Load()) / keystrokes
		t.Logf("%s: %d KB a keystroke besides the link", e, per>>10)
		if per > keystrokeAllocBounds[e] {
			t.Errorf("a %s keystroke allocates %d KB besides the link, want at most %d", e, per>>10, keystrokeAllocBounds[e]>>10)
		}
	}
}

// allocatedBytes returns the bytes the process has allocated so far.
func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
