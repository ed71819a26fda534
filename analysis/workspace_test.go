package analysis

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// writeTree writes files (relative path -> text) below a new temporary
// directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	leaf   = `{ manifest_version: "0.1.0" }`
	broken = `{ manifest_version: "0.1.0", `
)

func parent(children ...string) string {
	var b strings.Builder
	b.WriteString(`{ manifest_version: "0.1.0", components: {`)
	for i, c := range children {
		b.WriteString(" c")
		b.WriteByte(byte('0' + i))
		b.WriteString(`: "` + c + `",`)
	}
	b.WriteString(" } }")
	return b.String()
}

func report(t *testing.T, s *Snapshot) *Report {
	t.Helper()
	r, err := s.Diagnostics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func rel(dir string, paths []string) []string {
	out := []string{}
	for _, p := range paths {
		r, err := filepath.Rel(dir, p)
		if err != nil {
			r = p
		}
		out = append(out, filepath.ToSlash(r))
	}
	return out
}

func diagCodes(ds []diag.Diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, string(d.Code))
	}
	return out
}

func TestDiscoveryRootsAndReferrers(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"root.json5":            parent("./sub/child.json5", "file://"+"/nonexistent/x.json5"),
		"sub/child.json5":       parent("../shared.json5"),
		"shared.json5":          leaf,
		"other.json":            `{"manifest_version": "0.1.0"}`,
		"cycle/a.json5":         parent("./b.json5"),
		"cycle/b.json5":         parent("./a.json5"),
		"package.json":          `{"name": "not a manifest"}`,
		"ext/manifest.json":     `{"manifest_version": 3, "name": "a browser extension"}`,
		"numbered.json5":        `{ manifest_version: 3 }`,
		".hidden/x.json5":       leaf,
		"node_modules/y.json5":  leaf,
		"notes.txt":             leaf,
		"sub/deeper/self.json5": parent("./self.json5"),
		"remote.json5":          parent("https://example.com/x.json5"),
	})
	// The trees are syntaxLink's (the linker also lists files it tried).
	ws := NewWorkspace(Options{Link: syntaxLink})
	s, err := ws.SetFolders([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	r := report(t, s)
	if got, want := rel(dir, r.Manifests), []string{"cycle/a.json5", "cycle/b.json5", "numbered.json5", "other.json", "remote.json5", "root.json5", "shared.json5", "sub/child.json5", "sub/deeper/self.json5"}; !slices.Equal(got, want) {
		t.Errorf("manifests = %v, want %v", got, want)
	}
	if got, want := rel(dir, r.Roots), []string{"cycle/a.json5", "numbered.json5", "other.json", "remote.json5", "root.json5", "sub/deeper/self.json5"}; !slices.Equal(got, want) {
		t.Errorf("roots = %v, want %v", got, want)
	}
	if got, want := rel(dir, r.Referrers[filepath.Join(dir, "shared.json5")]), []string{"sub/child.json5"}; !slices.Equal(got, want) {
		t.Errorf("referrers of shared = %v, want %v", got, want)
	}
	if got, want := rel(dir, r.Trees[filepath.Join(dir, "root.json5")]), []string{"root.json5", "sub/child.json5", "shared.json5"}; !slices.Equal(got, want) {
		t.Errorf("tree of root = %v, want %v", got, want)
	}
	if got, want := rel(dir, r.RootsOf(filepath.Join(dir, "shared.json5"))), []string{"root.json5"}; !slices.Equal(got, want) {
		t.Errorf("roots of shared = %v, want %v", got, want)
	}
}

func TestNamedRoots(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.json5": leaf, "b.json5": leaf})
	ws := NewWorkspace(Options{})
	ws.SetFolders([]string{dir})
	s := ws.SetConfig(Config{Roots: []string{filepath.Join(dir, "b.json5")}})
	if got := rel(dir, report(t, s).Roots); !slices.Equal(got, []string{"b.json5"}) {
		t.Errorf("roots = %v, want [b.json5]", got)
	}
	s = ws.SetConfig(Config{Roots: []string{filepath.Join(dir, "b.json5")}, DiscoverRoots: true})
	if got := rel(dir, report(t, s).Roots); !slices.Equal(got, []string{"b.json5", "a.json5"}) {
		t.Errorf("roots = %v, want [b.json5 a.json5]", got)
	}
}

func TestEditReanalyzesOnlyWhatChanged(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"p.json5":     parent("./c.json5"),
		"c.json5":     leaf,
		"other.json5": parent("./d.json5"),
		"d.json5":     leaf,
	})
	ws := NewWorkspace(Options{})
	s, _ := ws.SetFolders([]string{dir})
	r := report(t, s)
	if len(r.ByFile) != 0 {
		t.Fatalf("clean tree has diagnostics: %v", r.ByFile)
	}
	parses, links := ws.Parses(), ws.Links()

	child := filepath.Join(dir, "c.json5")
	s = ws.SetDocument(child, 2, []byte(broken))
	r = report(t, s)
	if got := diagCodes(r.ByFile[child]); len(got) == 0 || got[0] != "manifest::json5_error" {
		t.Errorf("child diagnostics = %v, want a syntax error", got)
	}
	if got := rel(dir, r.Relinked); !slices.Equal(got, []string{"p.json5"}) {
		t.Errorf("relinked = %v, want [p.json5]", got)
	}
	if got := ws.Parses() - parses; got != 1 {
		t.Errorf("the edit cost %d analyses, want 1", got)
	}
	if got := ws.Links() - links; got != 1 {
		t.Errorf("the edit cost %d links, want 1", got)
	}

	// Closing the document makes the disk's clean text count again.
	s = ws.CloseDocument(child)
	if r := report(t, s); len(r.ByFile) != 0 {
		t.Errorf("after close: %v", r.ByFile)
	}
}

func TestLinkDiagnosticsLandInChildFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.json5": parent("./c.json5"), "c.json5": leaf})
	p, c := filepath.Join(dir, "p.json5"), filepath.Join(dir, "c.json5")
	// A linker that reports, while linking the parent, a problem located in
	// the child whenever the child's text says so.
	link := func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		res := syntaxLink(ctx, root, opts)
		text, _ := opts.Files.ReadFile(c)
		if strings.Contains(string(text), "bad") {
			res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{
				Code: "linker::test", Message: "bad child",
				Labels: []diag.Label{{File: c, Span: diag.Span{Start: 0, End: 1}, Primary: true}, {File: p, Message: "used here"}},
			}, diag.Diagnostic{Code: "compiler::cycle", Message: "no labels"})
		}
		return res
	}
	ws := NewWorkspace(Options{Link: link})
	ws.SetFolders([]string{dir})
	s := ws.SetDocument(c, 1, []byte(`{ manifest_version: "0.1.0", metadata: "bad" }`))
	r := report(t, s)
	if got := diagCodes(r.ByFile[c]); !slices.Equal(got, []string{"linker::test"}) {
		t.Errorf("child diagnostics = %v", got)
	}
	if got := diagCodes(r.ByFile[p]); !slices.Equal(got, []string{"compiler::cycle"}) {
		t.Errorf("root diagnostics = %v (a diagnostic without labels belongs to the root)", got)
	}
	s = ws.SetDocument(c, 2, []byte(leaf))
	if r := report(t, s); len(r.ByFile) != 0 {
		t.Errorf("fixed child still has diagnostics: %v", r.ByFile)
	}
}

func TestDenyDoesNotLeakIntoCache(t *testing.T) {
	// An unused slot is a warning lint.
	text := `{ manifest_version: "0.1.0", slots: { api: { kind: "http" } } }`
	dir := writeTree(t, map[string]string{"a.json5": text})
	a := filepath.Join(dir, "a.json5")
	ws := NewWorkspace(Options{})
	ws.SetFolders([]string{dir})
	s := ws.SetConfig(Config{Deny: []string{diag.DenyAll}})
	ds := report(t, s).ByFile[a]
	if len(ds) == 0 || ds[0].Severity != diag.Error || !ds[0].Denied {
		t.Fatalf("denied = %v", ds)
	}
	s = ws.SetConfig(Config{})
	ds = report(t, s).ByFile[a]
	if len(ds) == 0 || ds[0].Severity != diag.Warning || ds[0].Denied {
		t.Fatalf("after removing -D: %v", ds)
	}
}

func TestFilesChangedOnDisk(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.json5": leaf})
	ws := NewWorkspace(Options{})
	ws.SetFolders([]string{dir})
	b := filepath.Join(dir, "b.json5")
	if err := os.WriteFile(b, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	s := ws.FilesChanged([]FileChange{{Path: b, Kind: FileCreated}})
	r := report(t, s)
	if got := rel(dir, r.Manifests); !slices.Equal(got, []string{"a.json5", "b.json5"}) {
		t.Errorf("manifests after create = %v", got)
	}
	if len(r.ByFile[b]) == 0 {
		t.Errorf("created broken file has no diagnostics")
	}
	os.WriteFile(b, []byte(leaf), 0o644)
	s = ws.FilesChanged([]FileChange{{Path: b, Kind: FileChanged}})
	if r := report(t, s); len(r.ByFile) != 0 {
		t.Errorf("after fixing on disk: %v", r.ByFile)
	}
	os.Remove(b)
	s = ws.FilesChanged([]FileChange{{Path: b, Kind: FileDeleted}})
	if got := rel(dir, report(t, s).Manifests); !slices.Equal(got, []string{"a.json5"}) {
		t.Errorf("manifests after delete = %v", got)
	}
}

func TestCancelledComputationIsRetried(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.json5": broken})
	ws := NewWorkspace(Options{})
	s, _ := ws.SetFolders([]string{dir})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Diagnostics(ctx); err == nil {
		t.Fatal("cancelled computation succeeded")
	}
	if r := report(t, s); len(r.ByFile) != 1 {
		t.Errorf("retry = %v", r.ByFile)
	}
}

func TestPanickingLinkBecomesADiagnostic(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.json5": leaf})
	ws := NewWorkspace(Options{Link: func(context.Context, string, linker.Options) *linker.Result { panic("boom") }})
	s, _ := ws.SetFolders([]string{dir})
	ds := report(t, s).ByFile[filepath.Join(dir, "a.json5")]
	if len(ds) != 1 || ds[0].Code != codes.InternalError || !strings.Contains(ds[0].Message, "boom") {
		t.Errorf("diagnostics = %v", ds)
	}
}

func TestAbandonedComputationRestarts(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.json5": leaf})
	started := make(chan struct{}, 10)
	ws := NewWorkspace(Options{Link: func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		started <- struct{}{}
		<-ctx.Done() // blocks until abandoned
		return &linker.Result{}
	}})
	s, _ := ws.SetFolders([]string{dir})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() { _, err := s.Diagnostics(ctx); errc <- err }()
	<-started
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("abandoned computation returned no error")
	}
	// The link saw its context cancelled; a new caller starts afresh.
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { _, err := s.Diagnostics(ctx2); errc <- err }()
	<-started
	cancel2()
	<-errc
}

func TestFileTargetsAppearing(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"p.json5": `{ manifest_version: "0.1.0", program: { image: "x", entrypoint: [{ file: "./run.sh" }] } }`,
		"q.json5": leaf,
	})
	p := filepath.Join(dir, "p.json5")
	ws := NewWorkspace(Options{})
	s, _ := ws.SetFolders([]string{dir})
	if got := diagCodes(report(t, s).ByFile[p]); !slices.Equal(got, []string{"manifest::program_file_reference"}) {
		t.Fatalf("missing target: %v", got)
	}
	run := filepath.Join(dir, "run.sh")
	os.WriteFile(run, nil, 0o644)
	parses, links := ws.Parses(), ws.Links()
	r := report(t, ws.FilesChanged([]FileChange{{Path: run, Kind: FileCreated}}))
	if got := diagCodes(r.ByFile[p]); !slices.Equal(got, []string{"manifest::unused_program"}) {
		t.Errorf("after the target appeared: %v", got)
	}
	if n := ws.Parses() - parses; n != 1 {
		t.Errorf("%d analyses, want 1 (p.json5 only)", n)
	}
	if n := ws.Links() - links; n != 1 {
		t.Errorf("%d links, want 1 (p.json5 only)", n)
	}
	// An open document counts as an existing target.
	os.Remove(run)
	ws.FilesChanged([]FileChange{{Path: run, Kind: FileDeleted}})
	r = report(t, ws.SetDocument(run, 1, []byte("#!/bin/sh\n")))
	if got := diagCodes(r.ByFile[p]); !slices.Equal(got, []string{"manifest::unused_program"}) {
		t.Errorf("with the target open: %v", got)
	}
	r = report(t, ws.CloseDocument(run))
	if got := diagCodes(r.ByFile[p]); !slices.Equal(got, []string{"manifest::program_file_reference"}) {
		t.Errorf("after closing the unsaved target: %v", got)
	}
}

// TestFileTargetEdited checks that a manifest's analysis depends on the
// text of its `{ file }` targets, which validation checks: an edit of the
// script, in the editor or on disk, analyzes and links again the manifest
// that inlines it, and nothing else.
func TestFileTargetEdited(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"p.json5": `{ manifest_version: "0.1.0", program: { image: "x", entrypoint: ["sh", "-c", { file: "./run.sh" }] } }`,
		"q.json5": leaf,
		"run.sh":  "echo $HOME\n",
	})
	p, run := filepath.Join(dir, "p.json5"), filepath.Join(dir, "run.sh")
	ws := NewWorkspace(Options{})
	s, _ := ws.SetFolders([]string{dir})
	fine, bad := []string{"manifest::unused_program"}, []string{"manifest::invalid_interpolation"}
	if got := diagCodes(report(t, s).ByFile[p]); !slices.Equal(got, fine) {
		t.Fatalf("a script without braces: %v", got)
	}
	steps := []struct {
		name string
		do   func() *Snapshot
		want []string
	}{
		{"typed in the editor", func() *Snapshot { return ws.SetDocument(run, 1, []byte("echo ${HOME}\n")) }, bad},
		{"fixed in the editor", func() *Snapshot { return ws.SetDocument(run, 2, []byte("echo \"$HOME\"\n")) }, fine},
		{"closed unsaved", func() *Snapshot { return ws.CloseDocument(run) }, fine},
		{"written on disk", func() *Snapshot {
			if err := os.WriteFile(run, []byte("echo ${HOME\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return ws.FilesChanged([]FileChange{{Path: run, Kind: FileChanged}})
		}, bad},
	}
	for _, st := range steps {
		parses, links := ws.Parses(), ws.Links()
		r := report(t, st.do())
		if got := diagCodes(r.ByFile[p]); !slices.Equal(got, st.want) {
			t.Errorf("%s: %v, want %v", st.name, got, st.want)
		}
		if n := ws.Parses() - parses; n != 1 {
			t.Errorf("%s: %d analyses, want 1 (p.json5 only)", st.name, n)
		}
		if n := ws.Links() - links; n != 1 {
			t.Errorf("%s: %d links, want 1 (p.json5 only)", st.name, n)
		}
	}
}

// TestEditDocumentMatchesFreshAnalysis types into an open manifest through
// EditDocument, the way an editor sends it (pieces typed at a cursor and
// taken back, sometimes two edits in one call; the cursor jumps now and
// then, mostly while the text parses), and checks after each version that
// the report equals a fresh analysis of the same text, and that most syntax
// trees were re-parsed incrementally. (An edit away from the syntax errors
// of the text, or one that breaks the structure around it, parses it
// whole.)
func TestEditDocumentMatchesFreshAnalysis(t *testing.T) {
	clean := string(testgen.GenerateManifest(120))
	text := clean
	dir := writeTree(t, map[string]string{"root.json5": text})
	root := filepath.Join(dir, "root.json5")
	ws := NewWorkspace(Options{})
	ws.SetFolders([]string{dir})
	s := ws.SetDocument(root, 1, []byte(text))
	report(t, s)
	// The editor closes brackets and quotes: every piece typed is balanced,
	// and backspace takes back the last piece typed at the cursor.
	typed := []string{"a", "1", " ", "\n", ",", `""`, "''", "{}", "[]", "é", ":", "null", "//x\n", "😀", `"k": [1], `}
	rng := rand.New(rand.NewSource(3))
	cursor := len(text) / 2
	var pieces []int // lengths of the pieces typed at the cursor, last last
	edit := func(text string) (string, TextEdit) {
		if rng.Intn(15) == 0 && (rng.Intn(5) == 0 || !json5.Parse([]byte(text)).HasSyntaxErrors()) {
			cursor, pieces = rng.Intn(len(text)+1), nil
		}
		for cursor < len(text) && !utf8.RuneStart(text[cursor]) {
			cursor++
		}
		if len(pieces) > 0 && rng.Intn(3) == 0 { // backspace
			n := pieces[len(pieces)-1]
			pieces = pieces[:len(pieces)-1]
			cursor -= n
			return text[:cursor] + text[cursor+n:], TextEdit{Start: cursor, End: cursor + n}
		}
		ins := typed[rng.Intn(len(typed))]
		pieces = append(pieces, len(ins))
		start := cursor
		cursor += len(ins)
		return text[:start] + ins + text[start:], TextEdit{Start: start, End: start, NewLen: len(ins)}
	}
	reparsed := 0
	const steps = 300
	for i := range steps {
		var edits []TextEdit
		for range 1 + rng.Intn(2) {
			var e TextEdit
			text, e = edit(text)
			edits = append(edits, e)
		}
		if i%60 == 59 {
			text, edits, pieces = clean, nil, nil // back to the clean text, parsed whole
		}
		s = ws.EditDocument(root, int32(i+2), []byte(text), edits)
		got := report(t, s)
		if s.Document(root).handle.syntax().Reparsed() {
			reparsed++
		}
		fresh := NewWorkspace(Options{})
		fresh.SetFolders([]string{dir})
		want := report(t, fresh.SetDocument(root, 1, []byte(text)))
		if !reflect.DeepEqual(got.ByFile, want.ByFile) || !reflect.DeepEqual(got.Hashes, want.Hashes) {
			t.Fatalf("step %d (%v): incremental report differs from a fresh one:\n got %v\nwant %v\ntext %q", i, edits, got.ByFile, want.ByFile, text)
		}
	}
	t.Logf("%d of %d versions re-parsed incrementally", reparsed, steps)
	// A line break typed into a string re-cuts every string after it on
	// its line, which parses the text whole until it is taken back.
	if reparsed < steps/3 {
		t.Errorf("only %d of %d versions were re-parsed incrementally", reparsed, steps)
	}
}

// TestCombineEdits: edits folded into one describe the same change.
func TestCombineEdits(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for range 2000 {
		text := strings.Repeat("abcdefgh", rng.Intn(4))
		orig := text
		var edits []TextEdit
		for range 1 + rng.Intn(4) {
			start := rng.Intn(len(text) + 1)
			end := start + rng.Intn(len(text)-start+1)
			ins := strings.Repeat("X", rng.Intn(3))
			edits = append(edits, TextEdit{start, end, len(ins)})
			text = text[:start] + ins + text[end:]
		}
		e, ok := combine(len(orig), edits)
		if !ok || orig[:e.Start] != text[:e.Start] || orig[e.End:] != text[e.Start+e.NewLen:] ||
			len(orig)-(e.End-e.Start)+e.NewLen != len(text) {
			t.Fatalf("%q by %v gives %q; combined %v (ok %v)", orig, edits, text, e, ok)
		}
	}
	if _, ok := combine(3, []TextEdit{{2, 5, 0}}); ok {
		t.Errorf("an edit past the end was combined")
	}
}

// TestUndoneSyntaxErrorReusesAnalysis checks that while a root does not
// parse, the analyses its last link that parsed used are kept, so that
// undoing the error (the text as it was) analyzes nothing again and
// reports what it reported before.
func TestUndoneSyntaxErrorReusesAnalysis(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"p.json5": parent("./c.json5"),
		"c.json5": `{ manifest_version: "0.1.0", config_schema: { type: "object", properties: { x: { type: "string" } } } }`,
	})
	root := filepath.Join(dir, "p.json5")
	good := parent("./c.json5")
	ws := NewWorkspace(Options{})
	ws.SetFolders([]string{dir})
	before := report(t, ws.SetDocument(root, 1, []byte(good)))
	if len(before.ByFile) == 0 {
		t.Fatal("the tree has no diagnostics to hold")
	}
	typo := strings.Replace(good, ",", ",,", 1)
	if r := report(t, ws.SetDocument(root, 2, []byte(typo))); !slices.Equal(r.Held, []string{root}) {
		t.Fatalf("with the typo: held roots %v, want the root", r.Held)
	}
	parses := ws.Parses()
	after := report(t, ws.SetDocument(root, 3, []byte(good)))
	if n := ws.Parses() - parses; n != 0 {
		t.Errorf("undoing the typo analyzed %d files, want none", n)
	}
	if !reflect.DeepEqual(after.ByFile, before.ByFile) {
		t.Errorf("after the undo:\n%v\nwant\n%v", after.ByFile, before.ByFile)
	}
}
