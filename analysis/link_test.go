package analysis

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// syntaxLink is a stand-in LinkFunc that reads a tree without linking it:
// it analyzes the root (with lints) and every local manifest reachable
// through `components` and `use` (without, as Amber lints children only
// with link information), breadth first, so tests see each file's own
// diagnostics and a predictable tree.
func syntaxLink(ctx context.Context, root string, opts linker.Options) *linker.Result {
	res := &linker.Result{}
	seen := map[string]bool{root: true}
	queue := []string{root}
	for len(queue) > 0 && ctx.Err() == nil {
		file := queue[0]
		queue = queue[1:]
		text, err := opts.Files.ReadFile(file)
		if err != nil {
			continue
		}
		r := manifest.AnalyzeWith(file, text, manifest.Options{NoLints: file != root, ReadFile: opts.Files.ReadFile})
		res.Files = append(res.Files, file)
		res.Diagnostics = append(res.Diagnostics, r.Diagnostics...)
		for _, ref := range ManifestRefs(file, r.Syntax) {
			if !seen[ref.Path] {
				seen[ref.Path] = true
				queue = append(queue, ref.Path)
			}
		}
	}
	return res
}

// countingLink is linker.Link counting its calls.
func countingLink(n *atomic.Int64) LinkFunc {
	return func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		n.Add(1)
		return linker.Link(ctx, root, opts)
	}
}

// TestSnapshotLinkIsTheReportsLink: the report links each root once, and
// Link, LinksContaining and ReadyLinksContaining hand out those links
// (with the whole linker result) without linking again.
func TestSnapshotLinkIsTheReportsLink(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.json5": parent("./c.json5"), "c.json5": leaf, "q.json5": leaf})
	p, c := filepath.Join(dir, "p.json5"), filepath.Join(dir, "c.json5")
	var calls atomic.Int64
	ws := NewWorkspace(Options{Link: countingLink(&calls)})
	s, _ := ws.SetFolders([]string{dir})
	ctx := context.Background()
	if got := s.ReadyLinksContaining(c); got != nil {
		t.Errorf("links ready before the report: %v", got)
	}
	report(t, s)
	if n := calls.Load(); n != 2 {
		t.Fatalf("the report linked %d times, want 2 (p and q)", n)
	}
	l, err := s.Link(ctx, p)
	if err != nil || l.Root != p || l.Result.Scenario() == nil || len(l.Result.Components) != 2 {
		t.Fatalf("Link(p) = %+v, %v", l, err)
	}
	if got := l.Reads(); !slices.Equal(got, []string{c, p}) {
		t.Errorf("Reads = %v", got)
	}
	if nodes := l.Nodes(c); len(nodes) != 1 || nodes[0].Name != "c0" || nodes[0].Parent != l.Result.Root {
		t.Errorf("Nodes(c) = %v", nodes)
	}
	ls, err := s.LinksContaining(ctx, c)
	if err != nil || len(ls) != 1 || ls[0] != l {
		t.Errorf("LinksContaining(c) = %v, %v; want the link of p", ls, err)
	}
	if ls := s.ReadyLinksContaining(c); len(ls) != 1 || ls[0] != l {
		t.Errorf("ReadyLinksContaining(c) = %v", ls)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d links, want still 2", n)
	}

	// A later snapshot in which nothing p read changed reuses the link.
	s2 := ws.SetDocument(filepath.Join(dir, "q.json5"), 1, []byte(broken))
	if l2, _ := s2.Link(ctx, p); l2 != l || calls.Load() != 2 {
		t.Errorf("unchanged tree linked again (%d links)", calls.Load())
	}
	if l2, _ := s2.Link(ctx, filepath.Join(dir, "q.json5")); l2 == nil || calls.Load() != 3 {
		t.Errorf("the edited root was not linked afresh (%d links)", calls.Load())
	}
}

// TestConcurrentLinksOfOneRootShareOneLink: callers asking a snapshot for
// the same root at the same time wait for one link.
func TestConcurrentLinksOfOneRootShareOneLink(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.json5": leaf})
	p := filepath.Join(dir, "p.json5")
	var calls atomic.Int64
	release := make(chan struct{})
	ws := NewWorkspace(Options{Link: func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		calls.Add(1)
		<-release
		return syntaxLink(ctx, root, opts)
	}})
	s, _ := ws.SetFolders([]string{dir})
	links := make(chan *RootLink)
	for range 4 {
		go func() {
			l, _ := s.Link(context.Background(), p)
			links <- l
		}()
	}
	close(release)
	first := <-links
	for range 3 {
		if l := <-links; l != first || l == nil {
			t.Errorf("callers got different links")
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d links, want 1", n)
	}
}

// TestCancelledLinkIsNotKept: a link given up by its caller is not handed
// to the next caller, which links afresh.
func TestCancelledLinkIsNotKept(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.json5": leaf})
	p := filepath.Join(dir, "p.json5")
	var calls atomic.Int64
	started := make(chan struct{})
	ws := NewWorkspace(Options{Link: func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		if calls.Add(1) == 1 {
			close(started)
			<-ctx.Done()
			return &linker.Result{}
		}
		return syntaxLink(ctx, root, opts)
	}})
	s, _ := ws.SetFolders([]string{dir})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	if l, err := s.Link(ctx, p); l != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Link = %v, %v", l, err)
	}
	if l, err := s.Link(context.Background(), p); l == nil || err != nil || !slices.Equal(l.Result.Files, []string{p}) {
		t.Errorf("Link after a cancelled one = %+v, %v", l, err)
	}
}

// redactionFixture writes the overlay package's redaction fixture (a root
// with one `use` helper and one overlay) below a new directory, without its
// helper program, and returns the root.
func redactionFixture(t *testing.T) string {
	t.Helper()
	fill := strings.NewReplacer("{{PORT}}", "9", "{{MODE}}", "none", "{{PIDFILE}}", "")
	files := map[string]string{}
	paths, _ := filepath.Glob("../overlay/testdata/redaction/*.json5")
	for _, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = fill.Replace(string(text))
	}
	return filepath.Join(writeTree(t, files), "scenario.json5")
}

// TestOverlaysRunOnTheSnapshotsLink: `--check --apply-overlays` and the
// preview run the overlay pass on the links the report made: every root is
// linked once in all, and the pass sees nothing but those links.
func TestOverlaysRunOnTheSnapshotsLink(t *testing.T) {
	root := redactionFixture(t)
	dir := filepath.Dir(root)
	rt := hrt.New(hrt.Options{})
	defer rt.Close()
	opts := OverlayOptions{Runtime: rt}
	var calls atomic.Int64
	// The helper program is missing: the pass runs and fails to start it.
	res, err := Check([]string{dir}, CheckOptions{Link: countingLink(&calls), ApplyOverlays: true, Overlays: opts})
	if err != nil || !slices.Contains(diagCodes(res.Diagnostics), string(codes.OverlayPassStartOverlayScenario)) {
		t.Fatalf("the overlays did not run: %v %v", diagCodes(res.Diagnostics), err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("--check --apply-overlays linked %d times, want 1", n)
	}

	calls.Store(0)
	s, _ := NewWorkspace(Options{Link: countingLink(&calls)}).SetFolders([]string{dir})
	report(t, s)
	p, err := s.Preview(context.Background(), root, nil, opts)
	if err != nil || len(p.Outcome.Runs) != 1 || !slices.Contains(diagCodes(p.Diagnostics), string(codes.OverlayPassStartOverlayScenario)) {
		t.Fatalf("preview = %+v, %v", p, err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the report and the preview linked %d times, want 1", n)
	}

	// A linker whose result has the overlay plan but no optimised scenario:
	// the pass reports that the scenario did not link.
	unlinked := func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		res := linker.Link(ctx, root, opts)
		return &linker.Result{Root: res.Root, Diagnostics: res.Diagnostics, Files: res.Files, Texts: res.Texts, Overlays: res.Overlays}
	}
	res, err = Check([]string{dir}, CheckOptions{Link: unlinked, ApplyOverlays: true, Overlays: opts})
	if err != nil || !slices.Equal(diagCodes(res.Diagnostics), []string{string(codes.OverlayNotLinked)}) {
		t.Errorf("--check --apply-overlays did not read the snapshot's link: %v %v", diagCodes(res.Diagnostics), err)
	}
	s, _ = NewWorkspace(Options{Link: unlinked}).SetFolders([]string{dir})
	if p, err := s.Preview(context.Background(), root, nil, opts); err != nil || !slices.Equal(diagCodes(p.Diagnostics), []string{string(codes.OverlayNotLinked)}) {
		t.Errorf("the preview did not read the snapshot's link: %+v, %v", p, err)
	}
}

// TestOldSnapshotKeepsItsFiles: a change on disk reaches the snapshot made
// after FilesChanged, never the ones before it, for a file, for a file
// below a deleted directory, and for an open document closed over a file
// that changed.
func TestOldSnapshotKeepsItsFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.json5": leaf, "sub/b.json5": leaf, "d.json5": leaf})
	a, b, d := filepath.Join(dir, "a.json5"), filepath.Join(dir, "sub", "b.json5"), filepath.Join(dir, "d.json5")
	ws := NewWorkspace(Options{})
	old, _ := ws.SetFolders([]string{dir})
	oldReport := report(t, old)
	read := func(s *Snapshot, p string) string {
		text, err := s.ReadFile(p)
		if err != nil {
			return "error: " + errText(err)
		}
		return string(text)
	}
	if read(old, a) != leaf || read(old, b) != leaf {
		t.Fatal("fixture not read")
	}

	os.WriteFile(a, []byte(broken), 0o644)
	os.RemoveAll(filepath.Join(dir, "sub"))
	s := ws.FilesChanged([]FileChange{{Path: a, Kind: FileChanged}, {Path: filepath.Join(dir, "sub"), Kind: FileDeleted}})
	if got := read(s, a); got != broken {
		t.Errorf("new snapshot reads %q, want the new text", got)
	}
	if got := read(s, b); !strings.HasPrefix(got, "error: ") {
		t.Errorf("new snapshot reads %q below a deleted directory", got)
	}
	if got := read(old, a); got != leaf {
		t.Errorf("old snapshot reads %q after FilesChanged, want what it read before", got)
	}
	if got := read(old, b); got != leaf {
		t.Errorf("old snapshot reads %q below the deleted directory, want what it read before", got)
	}
	if got := report(t, old); got != oldReport {
		t.Error("the old snapshot's report changed")
	}
	if r := report(t, s); len(r.ByFile[a]) == 0 || slices.Contains(r.Manifests, b) {
		t.Errorf("new report: %v, manifests %v", r.ByFile, r.Manifests)
	}

	// An open document's file changes on disk meanwhile: closing it reads
	// the new text, and the snapshot of the open document keeps its text.
	open := ws.SetDocument(d, 1, []byte(leaf))
	os.WriteFile(d, []byte(broken), 0o644)
	closed := ws.CloseDocument(d)
	if read(closed, d) != broken || read(open, d) != leaf || read(old, d) != leaf {
		t.Errorf("after close: closed %q, open %q, old %q", read(closed, d), read(open, d), read(old, d))
	}
}

// TestStatIsConsistent: whether a file exists, as a snapshot sees it, stays
// what the snapshot first saw; only the snapshot after FilesChanged sees a
// created or deleted file (and its directory's new Stat).
func TestStatIsConsistent(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.json5": leaf, "gone.txt": "x"})
	x, gone := filepath.Join(dir, "run.sh"), filepath.Join(dir, "gone.txt")
	ws := NewWorkspace(Options{})
	old, _ := ws.SetFolders([]string{dir})
	_, errX := old.Stat(x)
	_, errGone := old.Stat(gone)
	dirInfo, _ := old.Stat(dir)
	if !errors.Is(errX, fs.ErrNotExist) || errGone != nil || dirInfo == nil {
		t.Fatalf("fixture: %v, %v, %v", errX, errGone, dirInfo)
	}

	os.WriteFile(x, []byte("#!/bin/sh\n"), 0o755)
	os.Remove(gone)
	s := ws.FilesChanged([]FileChange{{Path: x, Kind: FileCreated}, {Path: gone, Kind: FileDeleted}})
	if info, err := s.Stat(x); err != nil || info.Size() != 10 {
		t.Errorf("new snapshot: Stat(run.sh) = %v, %v", info, err)
	}
	if _, err := s.Stat(gone); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("new snapshot: Stat(gone.txt) = %v", err)
	}
	if _, err := old.Stat(x); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old snapshot: Stat(run.sh) = %v after FilesChanged, want not found as before", err)
	}
	if _, err := old.Stat(gone); err != nil {
		t.Errorf("old snapshot: Stat(gone.txt) = %v after FilesChanged, want found as before", err)
	}
	if info, _ := old.Stat(dir); info != dirInfo {
		t.Error("old snapshot: its Stat of the directory changed")
	}
	if info, _ := s.Stat(dir); info == dirInfo {
		t.Error("new snapshot: the directory's Stat was not read afresh")
	}
}

// TestFeaturesFollowTheLinkedGraph: once a snapshot's links are ready, a
// child entry leads where the link resolved it (here a stand-in linker
// resolves `c0` to another file than the syntax names); before, the
// features resolve the reference from the syntax.
func TestFeaturesFollowTheLinkedGraph(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.json5": parent("./c.json5"), "c.json5": leaf, "other.json5": leaf})
	p, c, other := filepath.Join(dir, "p.json5"), filepath.Join(dir, "c.json5"), filepath.Join(dir, "other.json5")
	ws := NewWorkspace(Options{Link: func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		res := syntaxLink(ctx, root, opts)
		if root == p {
			res.Root = &linker.Node{File: p}
			res.Root.Children = []*linker.Node{{Name: "c0", Parent: res.Root, File: other}}
		}
		return res
	}})
	s, _ := ws.SetFolders([]string{dir})
	text, _ := s.ReadFile(p)
	at := strings.Index(string(text), "./c.json5")
	def := func() []Location {
		locs, err := s.Definition(context.Background(), p, at)
		if err != nil {
			t.Fatal(err)
		}
		return locs
	}
	if got := def(); len(got) != 1 || got[0].File != c {
		t.Errorf("before linking: %v, want %s", got, c)
	}
	report(t, s)
	if got := def(); len(got) != 1 || got[0].File != other {
		t.Errorf("after linking: %v, want %s", got, other)
	}
}

// TestFeaturesSameWithAndWithoutLinks: with the real linker, every feature
// at every offset of the fixture answers the same before the snapshot's
// links are ready (syntax only) and after.
func TestFeaturesSameWithAndWithoutLinks(t *testing.T) {
	dir, files := featureFolder(t)
	ctx := context.Background()
	syntaxOnly, _ := NewWorkspace(Options{}).SetFolders([]string{dir})
	linked, _ := NewWorkspace(Options{}).SetFolders([]string{dir})
	report(t, linked)
	compared := 0
	for _, f := range files {
		if filepath.Ext(f) != ".json5" {
			continue // a cloud-init file's features need the report
		}
		text, _ := os.ReadFile(f)
		if len(linked.ReadyLinksContaining(f)) == 0 {
			continue
		}
		compared++
		for off := 0; off <= len(text); off++ {
			h1, _ := syntaxOnly.Hover(ctx, f, off)
			h2, _ := linked.Hover(ctx, f, off)
			d1, _ := syntaxOnly.Definition(ctx, f, off)
			d2, _ := linked.Definition(ctx, f, off)
			c1, _ := syntaxOnly.Completion(ctx, f, off)
			c2, _ := linked.Completion(ctx, f, off)
			if !reflect.DeepEqual(h1, h2) || !reflect.DeepEqual(d1, d2) || !reflect.DeepEqual(c1, c2) {
				t.Fatalf("%s:%d: the answers differ once linked:\nhover %v / %v\ndefinition %v / %v", filepath.Base(f), off, h1, h2, d1, d2)
			}
		}
	}
	if compared < 5 {
		t.Errorf("only %d of %d files are in a linked tree", compared, len(files))
	}
	if syntaxOnly.ReadyLinksContaining(files[0]) != nil {
		t.Error("the features linked the syntax-only snapshot")
	}
}
