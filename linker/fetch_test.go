package linker

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/source"
)

// manifestServer serves manifests on loopback and counts requests per path.
type manifestServer struct {
	*httptest.Server
	mux  *http.ServeMux
	mu   sync.Mutex
	hits map[string]int
}

func newManifestServer(t *testing.T) *manifestServer {
	s := &manifestServer{mux: http.NewServeMux(), hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		s.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// text serves a fixed body at path.
func (s *manifestServer) text(path, body string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
}

func (s *manifestServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// writeRoot writes a local root manifest with the given body and returns
// its path.
func writeRoot(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "root.json5")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// rootWithChild is a root manifest with one child named x.
func rootWithChild(ref string) string {
	return "{\n  manifest_version: \"0.3.0\",\n  components: {\n    x: " + ref + ",\n  },\n}\n"
}

// fastFetcher is an HTTPFetcher without cache whose client gives up soon.
func fastFetcher() *HTTPFetcher {
	return &HTTPFetcher{Client: &http.Client{Timeout: 2 * time.Second}}
}

const leafManifest = `{ manifest_version: "0.3.0" }`

// TestRemoteChild resolves a child over HTTP: its node names the URL, and
// diagnostics in it point into the fetched text.
func TestRemoteChild(t *testing.T) {
	srv := newManifestServer(t)
	srv.text("/child.json5", `{
  manifest_version: "0.3.0",
  program: { image: "child", entrypoint: ["child", "${slots.nope.url}"] },
}`)
	url := srv.URL + "/child.json5"
	root := writeRoot(t, rootWithChild(strconv.Quote(url)))
	res := Link(context.Background(), root, Options{Fetcher: fastFetcher(), Remote: FetchAll})
	if res.Root == nil || len(res.Root.Children) != 1 {
		t.Fatalf("tree not resolved: %v", diagCodes(res))
	}
	child := res.Root.Children[0]
	if child.URL != url || child.Observed != url || child.File != url {
		t.Errorf("child node: URL %q, Observed %q, File %q; want %q", child.URL, child.Observed, child.File, url)
	}
	var found bool
	for _, d := range res.Diagnostics {
		if d.Code != "compiler::invalid_slots_interpolation" {
			continue
		}
		found = true
		l, _ := d.Primary()
		text, ok := res.Texts[l.File]
		if l.File != url || !ok {
			t.Fatalf("label file %q (text known: %v), want %q", l.File, ok, url)
		}
		if got := string(text[l.Span.Start:l.Span.End]); got != `"${slots.nope.url}"` {
			t.Errorf("label text %q", got)
		}
		if pos := source.NewLines(text).Position(l.Span.Start, source.CodePoint); pos.Line != 2 {
			t.Errorf("label on line %d, want 3", pos.Line+1)
		}
	}
	if !found {
		t.Errorf("no slot diagnostic in the remote child: %v", diagCodes(res))
	}
	if contains(res.Files, url) {
		t.Errorf("Files lists a URL: %v", res.Files)
	}
}

// TestRemoteRedirectBase: relative references of a remote manifest resolve
// against the URL its text was observed at, after redirects.
func TestRemoteRedirectBase(t *testing.T) {
	srv := newManifestServer(t)
	srv.mux.Handle("/start/parent.json5", http.RedirectHandler("/real/sub/parent.json5", http.StatusFound))
	srv.text("/real/sub/parent.json5", `{
  manifest_version: "0.3.0",
  components: { leaf: "./leaf.json5", up: "../up.json5", abs: "/abs.json5" },
}`)
	srv.text("/real/sub/leaf.json5", leafManifest)
	srv.text("/real/up.json5", `{ manifest_version: "0.3.0", metadata: { up: true } }`)
	srv.text("/abs.json5", `{ manifest_version: "0.3.0", metadata: { abs: true } }`)
	requested := srv.URL + "/start/parent.json5"
	root := writeRoot(t, rootWithChild(strconv.Quote(requested)))
	res := Link(context.Background(), root, Options{Fetcher: fastFetcher(), Remote: FetchAll})
	if len(res.Diagnostics) != 0 || res.Scenario() == nil {
		t.Fatalf("link failed: %v", res.Diagnostics)
	}
	parent := res.Root.Children[0]
	if parent.URL != requested || parent.Observed != srv.URL+"/real/sub/parent.json5" {
		t.Errorf("parent: URL %q, Observed %q", parent.URL, parent.Observed)
	}
	want := map[string]string{"abs": "/abs.json5", "leaf": "/real/sub/leaf.json5", "up": "/real/up.json5"}
	for _, c := range parent.Children {
		if c.URL != srv.URL+want[c.Name] {
			t.Errorf("child %s resolved to %s, want %s", c.Name, c.URL, srv.URL+want[c.Name])
		}
	}
	for _, p := range []string{"/start/leaf.json5", "/start/up.json5"} {
		if n := srv.count(p); n != 0 {
			t.Errorf("%s requested %d times: relative refs used the requested URL", p, n)
		}
	}
}

// TestRemoteFailures: every failure to fetch a child is one
// compiler::manifest_ref_resolution at the reference, never a crash or a
// hang.
func TestRemoteFailures(t *testing.T) {
	srv := newManifestServer(t)
	srv.mux.HandleFunc("/404.json5", http.NotFound)
	srv.mux.HandleFunc("/500.json5", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	release := make(chan struct{})
	srv.mux.HandleFunc("/hang.json5", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	big := strings.Repeat(" ", MaxManifestSize) + leafManifest
	srv.mux.HandleFunc("/big-length.json5", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(big)))
		fmt.Fprint(w, big)
	})
	srv.mux.HandleFunc("/big-chunked.json5", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(big); i += 64 << 10 {
			fmt.Fprint(w, big[i:min(i+64<<10, len(big))])
			w.(http.Flusher).Flush()
		}
	})
	srv.mux.HandleFunc("/latin1.json5", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("{ manifest_version: \"0.3.0\", metadata: { name: \"caf\xe9\" } }"))
	})
	srv.text("/leaf.json5", leafManifest)

	// A port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/x.json5"
	ln.Close()

	pin := "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	cases := []struct {
		name, url, ref string // ref: the reference as written, when not the quoted URL
		want           string // the message after "…in {root}: "
		prefix         bool
	}{
		{name: "404", url: srv.URL + "/404.json5",
			want: "HTTP status client error (404 Not Found) for url (" + srv.URL + "/404.json5)"},
		{name: "500", url: srv.URL + "/500.json5",
			want: "HTTP status server error (500 Internal Server Error) for url (" + srv.URL + "/500.json5)"},
		{name: "refused", url: refused, want: "error sending request for url (" + refused + ")", prefix: true},
		{name: "hang", url: srv.URL + "/hang.json5", want: "error sending request for url (" + srv.URL + "/hang.json5)", prefix: true},
		{name: "content-length", url: srv.URL + "/big-length.json5",
			want: fmt.Sprintf("response body from `%s/big-length.json5` exceeds max size %d bytes (got %d bytes)", srv.URL, MaxManifestSize, len(big))},
		{name: "chunked", url: srv.URL + "/big-chunked.json5",
			want: fmt.Sprintf("response body from `%s/big-chunked.json5` exceeds max size %d bytes", srv.URL, MaxManifestSize), prefix: true},
		{name: "not-utf8", url: srv.URL + "/latin1.json5",
			want: "response body from `" + srv.URL + "/latin1.json5` is not valid UTF-8"},
		{name: "digest", url: srv.URL + "/leaf.json5",
			ref:  `{ url: "` + srv.URL + `/leaf.json5", digest: "` + pin + `" }`,
			want: "mismatched digest for `" + srv.URL + "/leaf.json5`"},
	}
	fetcher := &HTTPFetcher{Client: &http.Client{Timeout: 500 * time.Millisecond}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ref := tc.ref
			if ref == "" {
				ref = strconv.Quote(tc.url)
			}
			root := writeRoot(t, rootWithChild(ref))
			start := time.Now()
			res := Link(context.Background(), root, Options{Fetcher: fetcher, Remote: FetchAll})
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			checkRefFailure(t, res, root, tc.url, ref, tc.want, tc.prefix)
		})
	}
}

// checkRefFailure expects exactly one compiler::manifest_ref_resolution for
// child x of root, at the reference.
func checkRefFailure(t *testing.T, res *Result, root, url, ref, want string, prefix bool) {
	t.Helper()
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "compiler::manifest_ref_resolution" {
		t.Fatalf("want one manifest_ref_resolution, got %v", res.Diagnostics)
	}
	d := res.Diagnostics[0]
	head := "failed to resolve manifest reference `" + url + "` for component `#x` in " + root + ": "
	msg, ok := strings.CutPrefix(d.Message, head)
	if !ok || (prefix && !strings.HasPrefix(msg, want)) || (!prefix && msg != want) {
		t.Errorf("message:\n got %s\nwant %s%s", d.Message, head, want)
	}
	l, _ := d.Primary()
	text := res.Texts[root]
	if l.File != root || l.Message != "manifest reference declared here" || l.Span.End > len(text) {
		t.Fatalf("label %+v", l)
	}
	if got := string(text[l.Span.Start:l.Span.End]); got != ref {
		t.Errorf("label covers %q, want the reference %q", got, ref)
	}
	if d.Severity != diag.Error || res.Scenario() != nil {
		t.Errorf("severity %v, scenario %v", d.Severity, res.Scenario() != nil)
	}
}

// TestRemoteContextCancel: a cancelled link returns promptly even when the
// fetcher's own timeout is long.
func TestRemoteContextCancel(t *testing.T) {
	srv := newManifestServer(t)
	release := make(chan struct{})
	srv.mux.HandleFunc("/hang.json5", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	root := writeRoot(t, rootWithChild(strconv.Quote(srv.URL+"/hang.json5")))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	res := Link(ctx, root, Options{Fetcher: NewHTTPFetcher(""), Remote: FetchAll})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "compiler::manifest_ref_resolution" {
		t.Errorf("got %v", res.Diagnostics)
	}
}

// TestRemoteDiskCache: within MaxAge a fetched manifest is served from the
// on-disk cache, also to a new fetcher; past MaxAge the server is asked
// again.
func TestRemoteDiskCache(t *testing.T) {
	srv := newManifestServer(t)
	srv.text("/leaf.json5", leafManifest)
	root := writeRoot(t, rootWithChild(strconv.Quote(srv.URL+"/leaf.json5")))
	dir := t.TempDir()
	link := func(maxAge time.Duration) {
		t.Helper()
		f := &HTTPFetcher{CacheDir: dir, MaxAge: maxAge, Client: &http.Client{Timeout: 2 * time.Second}}
		if res := Link(context.Background(), root, Options{Fetcher: f, Remote: FetchAll}); len(res.Diagnostics) != 0 || res.Scenario() == nil {
			t.Fatalf("link: %v", res.Diagnostics)
		}
	}
	steps := []struct {
		maxAge time.Duration
		hits   int
	}{
		{time.Hour, 1},       // first fetch
		{time.Hour, 1},       // from disk, new fetcher
		{time.Nanosecond, 2}, // stale
		{0, 3},               // zero: always fetch
		{time.Hour, 3},       // the refetch refreshed the cache
	}
	for i, s := range steps {
		link(s.maxAge)
		if got := srv.count("/leaf.json5"); got != s.hits {
			t.Errorf("step %d (MaxAge %v): %d requests, want %d", i, s.maxAge, got, s.hits)
		}
	}
}

// TestRemoteDigestStore: a digest-pinned reference to content fetched
// before is served from the digest store, without the network.
func TestRemoteDigestStore(t *testing.T) {
	srv := newManifestServer(t)
	srv.text("/leaf.json5", `{ manifest_version: "0.3.0", metadata: { pinned: true } }`)
	url := srv.URL + "/leaf.json5"
	dir := t.TempDir()
	fetcher := func() *HTTPFetcher {
		return &HTTPFetcher{CacheDir: dir, Client: &http.Client{Timeout: 2 * time.Second}} // MaxAge 0: no URL cache
	}
	res := Link(context.Background(), writeRoot(t, rootWithChild(strconv.Quote(url))), Options{Fetcher: fetcher(), Remote: FetchAll})
	if res.Root == nil || len(res.Root.Children) != 1 || len(res.Diagnostics) != 0 {
		t.Fatalf("first link: %v", res.Diagnostics)
	}
	digest := res.Root.Children[0].Digest()
	srv.Close() // from now on any request fails

	pinned := writeRoot(t, rootWithChild(`{ url: "`+url+`", digest: "`+digest+`" }`))
	res = Link(context.Background(), pinned, Options{Fetcher: fetcher(), Remote: FetchAll})
	if len(res.Diagnostics) != 0 || res.Scenario() == nil {
		t.Fatalf("pinned link without network: %v", res.Diagnostics)
	}
	if got := res.Root.Children[0]; got.Digest() != digest || got.File != url {
		t.Errorf("pinned child: digest %s, file %s", got.Digest(), got.File)
	}
	if srv.count("/leaf.json5") != 1 {
		t.Errorf("%d requests, want 1", srv.count("/leaf.json5"))
	}

	// An unknown pin still needs the network, which is gone.
	other := "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	res = Link(context.Background(), writeRoot(t, rootWithChild(`{ url: "`+url+`", digest: "`+other+`" }`)), Options{Fetcher: fetcher(), Remote: FetchAll})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "compiler::manifest_ref_resolution" {
		t.Errorf("unknown pin: %v", res.Diagnostics)
	}
}

// TestRemoteDisabled: without a Fetcher a remote reference fails cleanly.
func TestRemoteDisabled(t *testing.T) {
	url := "https://127.0.0.1:1/x.json5"
	root := writeRoot(t, rootWithChild(strconv.Quote(url)))
	res := Link(context.Background(), root, Options{})
	checkRefFailure(t, res, root, url, strconv.Quote(url), "remote manifests are disabled (no fetcher configured)", false)
}
