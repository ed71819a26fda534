package linker

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"github.com/amberlsp/amber-lsp/manifest"
)

// memSource is in-memory Files, as an editor passes them: it counts reads,
// answers missing files as the OS would and keeps analyses in its cache.
type memSource struct {
	mu    sync.Mutex
	files map[string]string
	reads map[string]int
	cache *Cache
}

func newMemSource(files map[string]string) *memSource {
	return &memSource{files: files, reads: map[string]int{}, cache: NewCache()}
}

func (s *memSource) ReadFile(path string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads[path]++
	text, ok := s.files[path]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.ENOENT}
	}
	return []byte(text), nil
}

func (s *memSource) AnalyzeFile(path string, text []byte) *manifest.Result {
	res, _ := s.cache.analyze(path, text, s.ReadFile)
	return res
}

func (s *memSource) set(path, text string) {
	s.mu.Lock()
	s.files[path] = text
	s.mu.Unlock()
}

// memTree is a root with three children, one of which has a child: five
// manifests that link cleanly.
func memTree(dir string) map[string]string {
	provider := `{
  manifest_version: "0.3.0",
  program: { image: "p", entrypoint: ["p"], network: { endpoints: [{ name: "api", port: 80 }] } },
  provides: { api: { kind: "http", endpoint: "api" } },
  exports: { api: "provides.api" },
}`
	return map[string]string{
		dir + "/root.json5": `{
  manifest_version: "0.3.0",
  components: { app: "./app.json5", p: "./provider.json5", q: "./q/provider.json5" },
  bindings: [{ to: "#app.api", from: "#p.api" }, { to: "#app.other", from: "#q.api" }],
  exports: { web: "#app.web" },
}`,
		dir + "/app.json5": `{
  manifest_version: "0.3.0",
  components: { inner: "./inner.json5" },
  slots: { api: { kind: "http" }, other: { kind: "http" } },
  bindings: [{ to: "#inner.api", from: "slots.api" }, { to: "#inner.other", from: "slots.other" }],
  exports: { web: "#inner.web" },
}`,
		dir + "/inner.json5": `{
  manifest_version: "0.3.0",
  program: {
    image: "inner",
    entrypoint: ["inner", "${slots.api.url}", "${slots.other.url}"],
    network: { endpoints: [{ name: "web", port: 80 }] },
  },
  slots: { api: { kind: "http" }, other: { kind: "http" } },
  provides: { web: { kind: "http", endpoint: "web" } },
  exports: { web: "provides.web" },
}`,
		dir + "/provider.json5":   provider,
		dir + "/q/provider.json5": provider,
	}
}

func diagCodes(res *Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		out = append(out, string(d.Code))
	}
	return out
}

// TestIncrementalRelink links a tree twice with one Cache: only the edited
// manifest is parsed again, and the result follows the edit.
func TestIncrementalRelink(t *testing.T) {
	const dir = "/mem/tree"
	src := newMemSource(memTree(dir))
	cache := src.cache
	opts := Options{Files: src, Cache: cache}
	ctx := context.Background()

	res := Link(ctx, dir+"/root.json5", opts)
	if len(res.Diagnostics) != 0 || res.Scenario() == nil {
		t.Fatalf("first link: %v, scenario %v", diagCodes(res), res.Scenario() != nil)
	}
	if got := cache.Parses(); got != 5 {
		t.Fatalf("first link parsed %d manifests, want 5", got)
	}

	res = Link(ctx, dir+"/root.json5", opts)
	if got := cache.Parses(); got != 5 || res.Scenario() == nil {
		t.Fatalf("unchanged re-link: %d parses (want 5), scenario %v", got, res.Scenario() != nil)
	}

	// Break the inner component: its slot `other` disappears.
	inner := dir + "/inner.json5"
	src.set(inner, strings.Replace(memTree(dir)[inner], `, other: { kind: "http" }`, "", 1))
	res = Link(ctx, dir+"/root.json5", opts)
	if got := cache.Parses(); got != 6 {
		t.Errorf("re-link after one edit parsed %d manifests in total, want 6", got)
	}
	if got := diagCodes(res); !reflect.DeepEqual(got, []string{"compiler::invalid_slots_interpolation", "linker::unknown_slot"}) || res.Scenario() != nil {
		t.Errorf("after the edit: %v, scenario %v", got, res.Scenario() != nil)
	}

	// Undo: the old text parses again (the cache holds one version per file).
	src.set(inner, memTree(dir)[inner])
	res = Link(ctx, dir+"/root.json5", opts)
	if got := cache.Parses(); got != 7 || len(res.Diagnostics) != 0 || res.Scenario() == nil {
		t.Errorf("after undo: %d parses (want 7), %v", got, diagCodes(res))
	}

	// A shared manifest read through two URLs is parsed once per file.
	if n := src.reads[dir+"/provider.json5"]; n != 4 {
		t.Errorf("provider.json5 read %d times in 4 links, want 4", n)
	}
}

// TestResultFiles checks that Result.Files lists every local file the tree
// read or tried to read, a missing child included, so an editor knows which
// changes call for a re-link (`{ file }` references: TestFileRefsOnDisk).
func TestResultFiles(t *testing.T) {
	const dir = "/mem/files"
	src := newMemSource(memTree(dir))
	ctx := context.Background()

	res := Link(ctx, dir+"/root.json5", Options{Files: src})
	want := []string{"/mem/files/app.json5", "/mem/files/inner.json5", "/mem/files/provider.json5", "/mem/files/q/provider.json5", "/mem/files/root.json5"}
	if !reflect.DeepEqual(res.Files, want) {
		t.Errorf("Files = %v, want %v", res.Files, want)
	}

	// A missing child is a dependency too: creating it changes the result.
	src.set(dir+"/root.json5", `{ manifest_version: "0.3.0", components: { gone: "./gone.json5", app: "./app.json5" } }`)
	res = Link(ctx, dir+"/root.json5", Options{Files: src})
	if got := diagCodes(res); !reflect.DeepEqual(got, []string{"compiler::manifest_ref_resolution"}) {
		t.Fatalf("missing child: %v", got)
	}
	want = []string{"/mem/files/app.json5", "/mem/files/gone.json5", "/mem/files/inner.json5", "/mem/files/root.json5"}
	if !reflect.DeepEqual(res.Files, want) {
		t.Errorf("Files = %v, want %v", res.Files, want)
	}
	src.set(dir+"/gone.json5", `{ manifest_version: "0.3.0" }`)
	if res = Link(ctx, dir+"/root.json5", Options{Files: src}); len(res.Components) != 4 {
		t.Errorf("after creating the child: %d components, %v", len(res.Components), diagCodes(res))
	}
}

// TestFileRefsThroughSource links a program whose `{ file }` target exists
// only in the Files, as an unsaved editor buffer would.
func TestFileRefsThroughSource(t *testing.T) {
	const dir = "/mem/source"
	src := newMemSource(map[string]string{
		dir + "/root.json5": `{ manifest_version: "0.3.0", program: { image: "x", entrypoint: { file: "./cmd.txt" } } }`,
		dir + "/cmd.txt":    "x --serve",
	})
	res := Link(context.Background(), dir+"/root.json5", Options{Files: src})
	if hasError(res.Diagnostics) || !contains(res.Files, dir+"/cmd.txt") {
		t.Errorf("%v, Files %v", diagCodes(res), res.Files)
	}
}

// TestFileRefsOnDisk links a tree whose program inlines `{ file }` text
// from the disk: Result.Files lists the referenced files, also when one is
// missing, and creating the missing file with the same Cache takes effect.
func TestFileRefsOnDisk(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("root.json5", `{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
  exports: { web: "#app.web" },
}`)
	write("app.json5", `{
  manifest_version: "0.3.0",
  program: {
    image: "app",
    entrypoint: { file: "./cmd.txt" },
    env: { EXTRA: { file: "./conf/env.txt" } },
    network: { endpoints: [{ name: "web", port: 80 }] },
  },
  provides: { web: { kind: "http", endpoint: "web" } },
  exports: { web: "provides.web" },
}`)
	write("cmd.txt", "app --serve")
	cache := NewCache()
	ctx := context.Background()
	root := filepath.Join(dir, "root.json5")

	res := Link(ctx, root, Options{Cache: cache})
	if got := diagCodes(res); !reflect.DeepEqual(got, []string{"manifest::program_file_reference"}) {
		t.Fatalf("missing env.txt: %v", got)
	}
	env := filepath.Join(dir, "conf", "env.txt")
	for _, f := range []string{root, filepath.Join(dir, "app.json5"), filepath.Join(dir, "cmd.txt"), env} {
		if !contains(res.Files, f) {
			t.Errorf("Files lacks %s: %v", f, res.Files)
		}
	}

	write("conf/env.txt", "verbose")
	res = Link(ctx, root, Options{Cache: cache})
	if len(res.Diagnostics) != 0 || res.Scenario() == nil {
		t.Fatalf("after creating env.txt: %v", diagCodes(res))
	}
	for _, f := range []string{filepath.Join(dir, "cmd.txt"), env} {
		if !contains(res.Files, f) {
			t.Errorf("Files lacks %s: %v", f, res.Files)
		}
	}
	if env := res.Scenario().Components[1].Program.Env; len(env) != 1 || env[0].Value != "verbose" {
		t.Errorf("env = %+v, want EXTRA with the file's text", env)
	}

	// Validation checks the texts: an edit of one is noticed too, and
	// analyzes again only the manifest that inlines it.
	write("cmd.txt", "app --home=${HOME}")
	parses := cache.Parses()
	res = Link(ctx, root, Options{Cache: cache})
	if got := diagCodes(res); !reflect.DeepEqual(got, []string{"manifest::invalid_interpolation"}) {
		t.Errorf("after editing cmd.txt: %v", got)
	}
	if n := cache.Parses() - parses; n != 1 {
		t.Errorf("%d analyses after editing cmd.txt, want 1 (app.json5)", n)
	}
	write("cmd.txt", "app --serve")

	// Removing it again is noticed as well.
	if err := os.Remove(env); err != nil {
		t.Fatal(err)
	}
	res = Link(ctx, root, Options{Cache: cache})
	if got := diagCodes(res); !reflect.DeepEqual(got, []string{"manifest::program_file_reference"}) {
		t.Errorf("after removing env.txt: %v", got)
	}
}

// TestCacheConcurrentLinks links the same tree from several goroutines with
// one Cache (run with -race): every link succeeds, and afterwards the cache
// serves every file without parsing again.
func TestCacheConcurrentLinks(t *testing.T) {
	const dir = "/mem/concurrent"
	src := newMemSource(memTree(dir))
	cache := src.cache
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := Link(context.Background(), dir+"/root.json5", Options{Files: src, Cache: cache})
			if len(res.Diagnostics) != 0 || res.Scenario() == nil {
				errs <- strings.Join(diagCodes(res), ", ")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent link failed: %s", e)
	}
	// Racing goroutines may parse the same text more than once.
	if n := cache.Parses(); n < 5 || n > 5*8 {
		t.Errorf("%d parses", n)
	}
	before := cache.Parses()
	Link(context.Background(), dir+"/root.json5", Options{Files: src, Cache: cache})
	if cache.Parses() != before {
		t.Errorf("a link after the concurrent ones parsed again")
	}
}

// TestMonikersShared relinks a tree after edits of the root: a component
// whose moniker the previous link gave the component at the same id
// shares that string, and any other gets its own, equal to a fresh link's.
func TestMonikersShared(t *testing.T) {
	const dir = "/mem/monikers"
	root := dir + "/root.json5"
	base := memTree(dir)[root]
	for _, tc := range []struct {
		name   string
		edit   func(string) string
		shared []string // the monikers the relink shares with the link before it
	}{
		{"unchanged", func(s string) string { return s }, []string{"/app", "/app/inner", "/p", "/q"}},
		{"text moved", func(s string) string { return "\n\n  " + s }, []string{"/app", "/app/inner", "/p", "/q"}},
		{"renamed", func(s string) string {
			s = strings.Replace(s, "app: ", "bpp: ", 1) // the same length
			return strings.ReplaceAll(s, "#app.", "#bpp.")
		}, []string{"/p", "/q"}},
		{"inserted before", func(s string) string {
			return strings.Replace(s, "components: { ", `components: { a: "./provider.json5", `, 1)
		}, nil},
		{"removed", func(s string) string {
			s = strings.Replace(s, `app: "./app.json5", `, "", 1)
			s = strings.Replace(s, `{ to: "#app.api", from: "#p.api" }, { to: "#app.other", from: "#q.api" }`, "", 1)
			return strings.Replace(s, `exports: { web: "#app.web" },`, "", 1)
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := newMemSource(memTree(dir))
			opts := Options{Files: src, Cache: src.cache}
			ctx := context.Background()
			before := Link(ctx, root, opts)
			if len(before.Diagnostics) != 0 {
				t.Fatalf("first link: %v", diagCodes(before))
			}
			was := map[string]*byte{}
			for _, c := range before.Components {
				was[c.Moniker] = unsafe.StringData(c.Moniker)
			}
			src.set(root, tc.edit(base))
			after := Link(ctx, root, opts)
			fresh := Link(ctx, root, Options{Files: newMemSource(maps.Clone(src.files)), Cache: uncachedCache()})
			var got, want, shared []string
			for _, c := range after.Components {
				got = append(got, c.Moniker)
				if c.ID > 0 && was[c.Moniker] == unsafe.StringData(c.Moniker) {
					shared = append(shared, c.Moniker)
				}
			}
			for _, c := range fresh.Components {
				want = append(want, c.Moniker)
			}
			if !slices.Equal(got, want) || len(got) == 0 {
				t.Errorf("monikers %q, want %q as a fresh link's", got, want)
			}
			if !slices.Equal(shared, tc.shared) {
				t.Errorf("shared %q with the previous link, want %q", shared, tc.shared)
			}
		})
	}
}
