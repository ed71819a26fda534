package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/source"
)

// heldTree is a root with two children that have diagnostics of their
// own: a's points back into the root (related information), b's does not.
var heldTree = map[string]string{
	"root.json5": "{\n  manifest_version: \"0.1.0\",\n  components: {\n    a: \"./a.json5\",\n    b: \"./b.json5\",\n  },\n}\n",
	"a.json5":    "{ manifest_version: \"0.1.0\", slots: { s: { kind: \"http\" } } }\n",
	"b.json5":    "{ manifest_version: \"0.1.0\", config_schema: { type: \"object\", properties: { x: { type: \"string\" } } } }\n",
}

// published returns how many publications each file got.
func (e *editor) published(paths ...string) []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []int
	for _, p := range paths {
		out = append(out, e.publishedTo[uri.File(p)])
	}
	return out
}

// TestHeldDiagnosticsThroughSyntaxErrors: while the root does not parse,
// its children keep the diagnostics of its last link that did, and nothing
// is sent for them; the root shows its syntax error alone. Once it parses
// again the children get fresh results.
func TestHeldDiagnosticsThroughSyntaxErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, heldTree)
	root, a, b := filepath.Join(dir, "root.json5"), filepath.Join(dir, "a.json5"), filepath.Join(dir, "b.json5")
	e := start(t, Options{}, allCaps, dir)
	e.open(root, heldTree["root.json5"])
	e.waitVersion(root)
	wantA := e.waitCodes(a, "manifest::unused_slot", "linker::unbound_slot")
	wantB := e.waitCodes(b, "manifest::unused_config")
	before := e.published(a, b)

	// `,,` after a's line: a syntax error in the root.
	text := heldTree["root.json5"]
	comma := strings.Index(text, `"./a.json5",`) + len(`"./a.json5",`)
	enc := protocol.PositionEncodingKindUTF16
	e.change(root, enc, edit{comma, comma, ","})
	if got := codesOf(e.waitVersion(root)); !slices.Equal(got, []string{"manifest::json5_error"}) {
		t.Fatalf("broken root: %v, want its syntax error alone", got)
	}
	// More typing while it is broken.
	e.change(root, enc, edit{comma + 1, comma + 1, " "})
	e.waitVersion(root)
	e.change(root, enc, edit{comma + 1, comma + 2, ""})
	e.waitVersion(root)
	if got := e.published(a, b); !slices.Equal(got, before) {
		t.Errorf("publications of a and b went from %v to %v while the root was broken", before, got)
	}
	if got := e.diagnostics(a); !sameDiagnostics(got, wantA) {
		t.Errorf("a while the root is broken: %v, want %v", got, wantA)
	}
	if got := e.diagnostics(b); !sameDiagnostics(got, wantB) {
		t.Errorf("b while the root is broken: %v, want %v", got, wantB)
	}

	// Fixed, with component a renamed: fresh results name it anew.
	e.change(root, enc, edit{comma, comma + 1, ""})
	e.waitVersion(root)
	at := strings.Index(e.docs[uri.File(root)].text, "a: ")
	e.change(root, enc, edit{at, at, "renamed_"})
	if got := e.waitVersion(root); len(got) != 0 {
		t.Errorf("fixed root: %v", codesOf(got))
	}
	e.waitFor("a's diagnostics to name /renamed_a", func() bool {
		p := e.diags[uri.File(a)]
		if p == nil || len(p.Diagnostics) != 2 {
			return false
		}
		msg, _ := p.Diagnostics[1].Message.(protocol.String)
		return strings.Contains(string(msg), "/renamed_a")
	})
	if got := e.diagnostics(b); !sameDiagnostics(got, wantB) {
		t.Errorf("b after the fix: %v, want %v", got, wantB)
	}
}

// TestUnchangedFilesAreNotSent: an edit of the root that changes nothing
// of a child's diagnostics sends nothing for the child; a child whose
// diagnostics point into the root (related information) is sent again,
// since positions in the root may have moved.
func TestUnchangedFilesAreNotSent(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, heldTree)
	root, a, b := filepath.Join(dir, "root.json5"), filepath.Join(dir, "a.json5"), filepath.Join(dir, "b.json5")
	e := start(t, Options{}, allCaps, dir)
	e.open(root, heldTree["root.json5"])
	e.waitVersion(root)
	e.waitCodes(a, "manifest::unused_slot", "linker::unbound_slot")
	e.waitCodes(b, "manifest::unused_config")
	before := e.published(root, a, b)
	end := len(heldTree["root.json5"])
	for i := range 5 {
		e.change(root, protocol.PositionEncodingKindUTF16, edit{end + i, end + i, "\n"})
		e.waitVersion(root)
	}
	got := e.published(root, a, b)
	if got[0] != before[0]+5 {
		t.Errorf("the root got %d publications for 5 versions", got[0]-before[0])
	}
	if got[1] != before[1]+5 {
		t.Errorf("a (related information in the root) got %d publications for 5 edits of the root, want 5", got[1]-before[1])
	}
	if got[2] != before[2] {
		t.Errorf("b got %d publications for 5 edits that changed nothing of it", got[2]-before[2])
	}
}

// sameDiagnostics compares two lists of published diagnostics.
func sameDiagnostics(a, b []protocol.Diagnostic) bool {
	ra, _ := protocol.Marshal(a)
	rb, _ := protocol.Marshal(b)
	return string(ra) == string(rb)
}

// TestOpenDocumentFirst: a document opened at start-up is published before
// the rest of the workspace is analyzed, here while the link of another
// root is held back; the full report follows.
func TestOpenDocumentFirst(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"open.json5": clean, "other.json5": clean})
	open, other := filepath.Join(dir, "open.json5"), filepath.Join(dir, "other.json5")
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	link := func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		res := linker.Link(ctx, root, opts)
		if root == other {
			select {
			case <-release:
			case <-ctx.Done():
			}
			res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{
				Code: "linker::test_other", Severity: diag.Warning, Message: "linked",
				Labels: []diag.Label{{File: other, Span: diag.Span{Start: 0, End: 1}, Primary: true}},
			})
		}
		return res
	}
	e := start(t, Options{Link: link}, allCaps, dir)
	e.open(open, clean)
	e.waitVersion(open) // with other's link still held back
	once.Do(func() { close(release) })
	e.waitCodes(other, "linker::test_other")
}

// TestStartupPublishesOnlyWhatADocumentSaysOfItself: a child manifest
// opened before the workspace is indexed (here the index waits for the
// client's settings, which it holds back) shows its own problems but
// nothing that depends on its place in the tree: as a root of its own its
// unused provide would be reported in component `/`, which is wrong. Once
// indexed, the lint comes, in component `/child`; a document's own
// problem (a validation error) shows from the start. The same holds for a
// client that pulls: the pull before the index is answered with the
// document's own problems, and once indexed the server asks for a refresh
// and the next pull has the lint.
func TestStartupPublishesOnlyWhatADocumentSaysOfItself(t *testing.T) {
	for _, tc := range []struct {
		name, child string
		before      []string // codes published before the index
		after       string   // a message published after it
	}{
		{"lint", `{ manifest_version: "0.1.0", program: { path: "/bin/x", network: { endpoints: [{ name: "e", port: 80 }] } }, provides: { spare: { kind: "http", endpoint: "e" } } }`,
			[]string{}, "provide `spare` is never used or exported (in component /child)"},
		{"own error", `{ manifest_version: "0.1.0", nope: 1 }`,
			[]string{string(codes.ValidationError)}, "unknown field `nope`"},
	} {
		for _, pull := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/pull=%v", tc.name, pull), func(t *testing.T) {
				dir := t.TempDir()
				writeFiles(t, dir, map[string]string{
					"parent.json5": `{ manifest_version: "0.1.0", components: { child: "./child.json5" } }`,
					"child.json5":  tc.child,
				})
				path := filepath.Join(dir, "child.json5")
				e := startServer(t, Options{})
				e.settings = map[string]any{}
				e.configGate = make(chan struct{})
				caps := allCaps
				caps.pull = pull
				e.initialize(caps, dir)
				e.open(path, tc.child)
				shown := func() []protocol.Diagnostic {
					if !pull {
						return e.diagnostics(path)
					}
					var report protocol.FullDocumentDiagnosticReport
					if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}}, &report); err != nil || report.Kind != "full" {
						t.Fatalf("pull: a %q report (%v)", report.Kind, err)
					}
					return report.Items
				}
				if !pull {
					e.waitVersion(path)
				}
				if got := codesOf(shown()); !slices.Equal(got, tc.before) {
					t.Errorf("before the index: %v, want %v", got, tc.before)
				}
				close(e.configGate)
				e.waitIndexed()
				if pull && len(tc.before) == 0 {
					e.waitFor("a refresh", func() bool { return e.refreshes > 0 })
				}
				var msgs []string
				for _, d := range shown() {
					msg, _ := d.Message.(protocol.String)
					msgs = append(msgs, string(msg))
				}
				if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, tc.after) }) {
					t.Errorf("after the index: %q, want one with %q", msgs, tc.after)
				}
			})
		}
	}
}

// TestFullReport checks that the JSON of a pulled full report, encoded
// into one buffer, is what protocol.Marshal makes of the report, and that
// the buffer is allocated once, at about the size of the answer (itemsSize
// is more than the JSON needs, but not half as much more): the 135
// diagnostics of the 10k-line document with help, related information in
// another file and messages that need escaping, and none.
func TestFullReport(t *testing.T) {
	text := firstDiagnosticsText()
	file, other := "/w/big.json5", "/w/child.json5"
	conv := &Converter{Unit: source.UTF16, Text: func(string) []byte { return text }, URI: uri.File}
	var ds []diag.Diagnostic
	for i := range firstDiagnosticsErrors {
		at := bytes.Index(text, fmt.Appendf(nil, `"x_%d"`, i))
		d := diag.Diagnostic{
			Code:     "manifest::unknown_field",
			Severity: diag.Error,
			Message:  fmt.Sprintf("unknown field `x_%d`, \"quoted\"\tand é", i),
			Labels:   []diag.Label{{File: file, Span: diag.Span{Start: at, End: at + 5}, Primary: true}},
		}
		if i%2 == 0 {
			d.Help = "remove it, or name a field the manifest defines"
		}
		if i%3 == 0 {
			d.Labels = append(d.Labels, diag.Label{File: other, Span: diag.Span{Start: 10, End: 20}, Message: "declared here"})
		}
		ds = append(ds, d)
	}
	for _, ds := range [][]diag.Diagnostic{ds, ds[:1], nil} {
		id := resultID(uint64(len(ds)), len(ds))
		items, err := encodeItems(conv, file, ds)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := fullReport(id, items)
		if err != nil {
			t.Fatal(err)
		}
		want, err := protocol.Marshal(&protocol.RelatedFullDocumentDiagnosticReport{
			FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: "full", ResultID: &id, Items: conv.Diagnostics(file, ds)},
		})
		if err != nil {
			t.Fatal(err)
		}
		var got, wanted any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%v: %.200s", err, raw)
		}
		if err := json.Unmarshal(want, &wanted); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, wanted) {
			t.Errorf("the report of %d diagnostics differs from protocol.Marshal's:\n%.300s\n%.300s", len(ds), raw, want)
		}
		if size := itemsSize(ds); size < len(items) || size > len(items)*3/2+64 {
			t.Errorf("itemsSize of %d diagnostics is %d, for %d bytes of JSON", len(ds), size, len(items))
		}
		if len(ds) > 100 && cap(items) > len(items)*3/2 { // protocol.AppendMarshal leaves room of its own in small buffers
			t.Errorf("%d bytes of JSON in a buffer of %d", len(items), cap(items))
		}
	}
}
