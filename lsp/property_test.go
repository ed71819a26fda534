package lsp

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/manifest/json5"
	"github.com/amberlsp/amber-lsp/source"
)

var (
	propertySeed  = flag.Uint64("lsp.seed", 1, "seed of the random edits of TestEditsMatchCheck")
	propertyEdits = flag.Int("lsp.edits", 1000, "number of random edits of TestEditsMatchCheck")
)

// copyTree copies the example workspace into dir.
func copyTree(t testing.TB, from, dir string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snippets are what random edits insert: JSON5 punctuation, multi-byte
// text, comments, and fragments that add or remove manifest references.
var snippets = []string{
	"{", "}", "[", "]", ",", ":", "\"", " ", "\n", "\r\n", "a", "x: 1, ", "é", "😀", "日本",
	"\"manifest_version\": \"0.1.0\", ", "// note\n", "/*", "*/", "null", "0x", "'",
	"components: { extra: \"./scenario.json5\" }, ", "slots: { s: { kind: \"http\" } }, ",
	"exports: { e: \"#missing.cap\" }, ", "program: { image: \"x\" }, ",
}

// TestEditsMatchCheck applies random edits to a copy of the example
// workspace through the server and checks, at every quiet point, that what
// the server has published equals a fresh analysis.Check of the same
// contents (the same diagnostics as `--check`, converted the same way),
// except that while a root has syntax errors the other files of its tree
// may keep the diagnostics of a text of the root that parsed (see
// analysis.Snapshot.Diagnostics).
func TestEditsMatchCheck(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, corpus.Path(t, "conformance", "examples"), dir)
	var manifests []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".json5") || strings.HasSuffix(p, ".json")) {
			manifests = append(manifests, p)
		}
		return nil
	})
	originals := map[string]string{}
	h := &history{parsed: map[string][]string{}}
	for _, m := range manifests {
		data, _ := os.ReadFile(m)
		originals[m] = string(data)
		h.add(m, string(data))
	}

	rng := rand.New(rand.NewPCG(*propertySeed, 0))
	e := start(t, Options{}, allCaps, dir)
	enc := protocol.PositionEncodingKindUTF16
	open := ""
	switchTo := func(path string) {
		if open != "" {
			// Save, then close: the disk holds what the editor had.
			os.WriteFile(open, []byte(e.docs[uri.File(open)].text), 0o644)
			e.close(open)
		}
		data, _ := os.ReadFile(path)
		e.open(path, string(data))
		open = path
	}
	switchTo(manifests[rng.IntN(len(manifests))])

	quiet, nextQuiet := 0, 1+rng.IntN(15)
	for i := range *propertyEdits {
		if rng.IntN(40) == 0 {
			switchTo(manifests[rng.IntN(len(manifests))])
		}
		d := e.docs[uri.File(open)]
		switch r := rng.IntN(100); {
		case r < 3: // back to the original text, as one whole-document change
			d.version++
			d.text = originals[open]
			e.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
				TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri.File(open)}, Version: d.version},
				ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: d.text}},
			})
		case r < 10: // two changes in one notification, the second on the first's result
			first := randomEdit(rng, d.text)
			after := d.text[:first.start] + first.text + d.text[first.end:]
			e.change(open, enc, first, randomEdit(rng, after))
		default:
			e.change(open, enc, randomEdit(rng, d.text))
		}
		h.add(open, e.docs[uri.File(open)].text)
		if i+1 == nextQuiet || i+1 == *propertyEdits {
			quiet++
			nextQuiet = i + 2 + rng.IntN(15)
			compareWithCheck(t, e, dir, open, i, h)
		}
	}
	t.Logf("%d edits, %d quiet points compared, %d of them with files holding the diagnostics of a root's earlier text (seed %d)", *propertyEdits, quiet, h.held, *propertySeed)
	if h.held == 0 {
		t.Errorf("no quiet point held diagnostics: the exception is not tested")
	}
}

// history remembers, for each manifest, the texts it had that parse
// without syntax errors, latest last.
type history struct {
	parsed map[string][]string
	held   int // quiet points at which some file held diagnostics
}

func (h *history) add(path, text string) {
	texts := h.parsed[path]
	if len(texts) > 0 && texts[len(texts)-1] == text || json5.Parse([]byte(text)).HasSyntaxErrors() {
		return
	}
	h.parsed[path] = append(texts, text)
}

// randomEdit picks an insertion, deletion or replacement on rune
// boundaries.
func randomEdit(rng *rand.Rand, text string) edit {
	at := func() int {
		if len(text) == 0 {
			return 0
		}
		i := rng.IntN(len(text) + 1)
		for i < len(text) && !utf8.RuneStart(text[i]) {
			i++
		}
		return i
	}
	start := at()
	end := start
	if rng.IntN(2) == 0 {
		end = min(len(text), start+rng.IntN(20))
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
	}
	ins := ""
	if end == start || rng.IntN(2) == 0 {
		ins = snippets[rng.IntN(len(snippets))]
	}
	// Never split a CRLF: editors do not.
	if start > 0 && start < len(text) && text[start-1] == '\r' && text[start] == '\n' {
		start--
	}
	if end > 0 && end < len(text) && text[end-1] == '\r' && text[end] == '\n' {
		end++
	}
	if end < start {
		end = start
	}
	return edit{start, end, ins}
}

// compareWithCheck waits for the open document's latest version to be
// published, then compares everything published with a fresh Check. A
// file whose publication differs must be another file than the open
// document, of the tree of a root with syntax errors, and have what a
// fresh analysis gives it with an earlier text of that root that parsed.
func compareWithCheck(t *testing.T, e *editor, dir, open string, step int, h *history) {
	t.Helper()
	e.waitVersion(open)
	text := e.docs[uri.File(open)].text
	if err := os.WriteFile(open, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Check([]string{dir}, analysis.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	conv := &Converter{Unit: source.UTF16, URI: uri.File, Text: func(p string) []byte {
		data, _ := os.ReadFile(p)
		return data
	}}
	want := map[uri.URI][]byte{}
	for f, ds := range res.ByFile {
		raw, _ := protocol.Marshal(conv.Diagnostics(f, ds))
		want[uri.File(f)] = raw
	}
	e.mu.Lock()
	got := map[uri.URI][]byte{}
	for u, p := range e.diags {
		if len(p.Diagnostics) > 0 {
			raw, _ := protocol.Marshal(p.Diagnostics)
			got[u] = raw
		}
	}
	e.mu.Unlock()
	var files []string
	for u := range want {
		files = append(files, string(u))
	}
	for u := range got {
		if _, ok := want[u]; !ok {
			files = append(files, string(u))
		}
	}
	slices.Sort(files)
	var differ []string
	for _, f := range files {
		if w, g := want[uri.URI(f)], got[uri.URI(f)]; !bytes.Equal(w, g) {
			differ = append(differ, f)
		}
	}
	if len(differ) == 0 {
		return
	}
	for _, f := range differ {
		u := uri.URI(f)
		if f == string(uri.File(open)) || !heldByBrokenRoot(t, dir, u, got[u], h) {
			t.Fatalf("after edit %d (seed %d), %s:\npublished: %s\n--check:   %s\nopen document %s:\n%s",
				step, *propertySeed, f, got[u], want[u], open, text)
		}
	}
	h.held++
}

// heldByBrokenRoot reports whether published is what a fresh analysis of
// dir gives file u once some manifest with syntax errors has one of its
// earlier texts that parsed instead (the latest first).
func heldByBrokenRoot(t *testing.T, dir string, u uri.URI, published []byte, h *history) bool {
	for root, texts := range h.parsed {
		data, err := os.ReadFile(root)
		if err != nil || !json5.Parse(data).HasSyntaxErrors() {
			continue
		}
		for i := len(texts) - 1; i >= max(0, len(texts)-20); i-- {
			ws := analysis.NewWorkspace(analysis.Options{})
			ws.SetConfig(analysis.Config{DiscoverRoots: true})
			if _, err := ws.SetFolders([]string{dir}); err != nil {
				t.Fatal(err)
			}
			snap := ws.SetDocument(root, 1, []byte(texts[i]))
			rep, err := snap.Diagnostics(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			conv := &Converter{Unit: source.UTF16, URI: uri.File, Text: func(p string) []byte {
				text, _ := snap.ReadFile(p)
				return text
			}}
			path, _ := pathOf(u)
			var raw []byte
			if ds := rep.ByFile[path]; len(ds) > 0 {
				raw, _ = protocol.Marshal(conv.Diagnostics(path, ds))
			}
			if bytes.Equal(raw, published) {
				return true
			}
		}
	}
	return false
}
