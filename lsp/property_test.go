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
	"time"
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
//
// The edits are what editors send and what they should not: insertions,
// deletions and replacements of multi-byte text, several changes in one
// notification, whole-document changes, positions past the end of a line
// or of the text and inside a surrogate pair (the server clamps them),
// reversed ranges (the server refuses them and keeps its text), and a
// syntax break (a bracket, comma, colon or quote deleted) mended by the
// next edit. By default it makes 1,000 edits; the soak of issue 13 is
//
//	go test ./lsp -run TestEditsMatchCheck -lsp.edits=10000 -v
//
// with -lsp.seed=N for other random sequences.
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
	// Until the folder is indexed the server publishes what the open
	// documents alone show (a file that is only reached through a root's
	// link shows nothing yet): the comparisons start once it is.
	e.waitIndexed()
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

	var kinds [numChangeKinds]int
	var mend *edit // the edit that mends the syntax the last edit broke
	began := time.Now()
	quiet, nextQuiet := 0, 1+rng.IntN(15)
	for i := range *propertyEdits {
		if mend == nil && rng.IntN(40) == 0 {
			switchTo(manifests[rng.IntN(len(manifests))])
		}
		d := e.docs[uri.File(open)]
		switch r := rng.IntN(100); {
		case mend != nil:
			e.change(open, enc, *mend)
			mend = nil
			kinds[mended]++
		case r < 3: // back to the original text, as one whole-document change
			d.version++
			d.text = originals[open]
			e.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
				TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri.File(open)}, Version: d.version},
				ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: d.text}},
			})
			kinds[whole]++
		case r < 7: // break the syntax; the next edit mends it
			if broken, ok := breakSyntax(rng, d.text); ok {
				mend = &edit{broken.start, broken.start, d.text[broken.start:broken.end]}
				e.change(open, enc, broken)
				kinds[broke]++
				break
			}
			fallthrough
		default: // one to three changes in one notification, each on the text the previous one left
			changes := make([]wireChange, 1+rng.IntN(3)*rng.IntN(2))
			text := d.text
			for k := range changes {
				changes[k] = randomChange(rng, text, enc)
				text = changes[k].after
				kinds[changes[k].kind]++
			}
			sendChanges(e, open, text, changes)
		}
		h.add(open, e.docs[uri.File(open)].text)
		if i+1 == nextQuiet || i+1 == *propertyEdits {
			quiet++
			nextQuiet = i + 2 + rng.IntN(15)
			compareWithCheck(t, e, dir, open, i, h)
		}
	}
	t.Logf("%d edits in %v, %d quiet points compared, %d of them with files holding the diagnostics of a root's earlier text (seed %d)",
		*propertyEdits, time.Since(began).Round(time.Millisecond), quiet, h.held, *propertySeed)
	t.Logf("changes: %d in range, %d past a line's end, %d past the text's end, %d inside a surrogate pair, %d reversed, %d whole documents, %d syntax breaks, %d mends",
		kinds[inRange], kinds[pastLine], kinds[pastText], kinds[inPair], kinds[reversed], kinds[whole], kinds[broke], kinds[mended])
	if h.held == 0 {
		t.Errorf("no quiet point held diagnostics: the exception is not tested")
	}
	// Every reversed range was refused, and said so.
	e.waitFor("the refusals of reversed ranges", func() bool {
		n := 0
		for _, l := range e.logs {
			if strings.Contains(l, "ends before it starts") {
				n++
			}
		}
		return n == kinds[reversed]
	})
}

// changeKind is what a random change does to the server's positions.
type changeKind int

const (
	inRange  changeKind = iota // positions of the text
	pastLine                   // a column past the end of its line: the line's end
	pastText                   // a line past the last: the end of the text
	inPair                     // a UTF-16 column between the halves of a surrogate pair: before the pair
	reversed                   // the end before the start: refused, the text stays
	whole                      // a whole-document change
	broke                      // a syntax break
	mended                     // the edit that mends it
	numChangeKinds
)

// wireChange is one change as sent and the text the server has after it.
type wireChange struct {
	kind  changeKind
	event protocol.TextDocumentContentChangeEvent
	after string
}

// sendChanges sends changes as one didChange; the editor's copy becomes
// text.
func sendChanges(e *editor, path, text string, changes []wireChange) {
	e.t.Helper()
	d := e.docs[uri.File(path)]
	d.version++
	d.text = text
	events := make([]protocol.TextDocumentContentChangeEvent, len(changes))
	for i, c := range changes {
		events[i] = c.event
	}
	e.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Version: d.version},
		ContentChanges: events,
	})
}

// randomChange picks a change of text: mostly a randomEdit at positions of
// the text, sometimes with positions the server must clamp, or with its
// range reversed.
func randomChange(rng *rand.Rand, text string, enc protocol.PositionEncodingKind) wireChange {
	ed := randomEdit(rng, text)
	c := wireChange{kind: inRange}
	rg := protocol.Range{Start: positionOf(text, ed.start, enc), End: positionOf(text, ed.end, enc)}
	lines := lineSpans(text)
	switch r := rng.IntN(100); {
	case r < 6: // the end (or both ends) past the end of the start's line
		line := lines[rg.Start.Line]
		beyond := protocol.Position{Line: rg.Start.Line, Character: width(text[line[0]:line[1]], enc) + 1 + uint32(rng.IntN(40))}
		ed.end = line[1]
		if rng.IntN(2) == 0 {
			rg.Start, ed.start = beyond, line[1]
		}
		rg.End = beyond
		c.kind = pastLine
	case r < 9: // the end (or both ends) on a line past the last
		beyond := protocol.Position{Line: uint32(len(lines) + rng.IntN(3)), Character: uint32(rng.IntN(5))}
		ed.end = len(text)
		if rng.IntN(3) != 0 { // mostly an insertion at the end, not the loss of the tail
			rg.Start, ed.start = beyond, len(text)
		}
		rg.End = beyond
		c.kind = pastText
	case r < 12 && enc == protocol.PositionEncodingKindUTF16: // both ends between the halves of a pair
		pairs := astralRunes(text)
		if len(pairs) == 0 {
			break
		}
		at := pairs[rng.IntN(len(pairs))]
		p := positionOf(text, at, enc)
		p.Character++
		rg.Start, rg.End = p, p
		ed.start, ed.end = at, at
		c.kind = inPair
	case r < 15: // reversed: the server refuses it and keeps its text
		if rg.Start == rg.End {
			break
		}
		rg.Start, rg.End = rg.End, rg.Start
		c.kind = reversed
		c.event = &protocol.TextDocumentContentChangePartial{Range: rg, Text: ed.text}
		c.after = text
		return c
	}
	c.event = &protocol.TextDocumentContentChangePartial{Range: rg, Text: ed.text}
	c.after = text[:ed.start] + ed.text + text[ed.end:]
	return c
}

// breakSyntax deletes one bracket, comma, colon or quote of text, if it
// has one.
func breakSyntax(rng *rand.Rand, text string) (edit, bool) {
	var at []int
	for i := range len(text) {
		if strings.IndexByte("{}[],:\"", text[i]) >= 0 {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return edit{}, false
	}
	i := at[rng.IntN(len(at))]
	return edit{i, i + 1, ""}, true
}

// lineSpans returns the start and end (before its line break) of every
// line of text, the way an editor splits them: at \n, \r\n or \r.
func lineSpans(text string) [][2]int {
	var spans [][2]int
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			spans = append(spans, [2]int{start, i})
			start = i + 1
		case '\r':
			spans = append(spans, [2]int{start, i})
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(spans, [2]int{start, len(text)})
}

// width is the length of s in the columns of enc.
func width(s string, enc protocol.PositionEncodingKind) uint32 {
	return positionOf(s, len(s), enc).Character
}

// astralRunes returns the offsets of the runes of text outside the Basic
// Multilingual Plane: two UTF-16 code units each.
func astralRunes(text string) []int {
	var at []int
	for i, r := range text {
		if r > 0xFFFF {
			at = append(at, i)
		}
	}
	return at
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
