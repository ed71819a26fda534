package linker

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// TestRemoteFetchPolicy links a root whose child is served by a loopback
// server over http:// and over https://, under each policy, and counts the
// requests: a policy that does not fetch a URL makes none, and the ref gets
// one amber_lsp::remote_not_fetched (info), nothing else.
func TestRemoteFetchPolicy(t *testing.T) {
	var mu sync.Mutex
	requests := 0
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		w.Write([]byte(leafManifest))
	})
	plain := httptest.NewServer(handler)
	defer plain.Close()
	tls := httptest.NewTLSServer(handler)
	defer tls.Close()
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return requests
	}
	fetcher := &HTTPFetcher{Client: tls.Client()} // trusts the test certificate, speaks plain http too
	fetcher.Client.Timeout = 5 * time.Second
	tests := []struct {
		policy  RemoteFetch
		url     string
		fetched bool
		reason  string
	}{
		{FetchHTTPS, tls.URL + "/child.json5", true, ""},
		{FetchHTTPS, plain.URL + "/child.json5", false, "only https:// manifests are fetched"},
		{FetchAll, tls.URL + "/child.json5", true, ""},
		{FetchAll, plain.URL + "/child.json5", true, ""},
		{FetchNone, tls.URL + "/child.json5", false, "remote manifests are not fetched"},
		{FetchNone, plain.URL + "/child.json5", false, "remote manifests are not fetched"},
	}
	for _, tt := range tests {
		name := tt.policy.String() + " " + strings.SplitN(tt.url, ":", 2)[0]
		before := count()
		root := writeRoot(t, rootWithChild(strconv.Quote(tt.url)))
		res := Link(context.Background(), root, Options{Fetcher: fetcher, Remote: tt.policy})
		if made, want := count()-before, map[bool]int{true: 1, false: 0}[tt.fetched]; made != want {
			t.Errorf("%s: %d requests, want %d", name, made, want)
		}
		if tt.fetched {
			if len(res.Diagnostics) != 0 || !res.Linked() {
				t.Errorf("%s: %v, want a clean link", name, res.Diagnostics)
			}
			continue
		}
		want := "remote manifest `" + tt.url + "` for component `#x` in " + root + " was not fetched: " + tt.reason + "; it is not checked"
		if len(res.Diagnostics) != 1 {
			t.Fatalf("%s: %v, want one diagnostic", name, res.Diagnostics)
		}
		d := res.Diagnostics[0]
		if d.Code != codes.RemoteNotFetched || d.Severity != diag.Info || d.Message != want {
			t.Errorf("%s: %s %s %q\nwant %s info %q", name, d.Code, d.Severity, d.Message, codes.RemoteNotFetched, want)
		}
		l, _ := d.Primary()
		if got := string(res.Texts[root][l.Span.Start:l.Span.End]); l.File != root || got != strconv.Quote(tt.url) {
			t.Errorf("%s: label %s %q, want the reference", name, l.File, got)
		}
		if res.Linked() || res.Root == nil || len(res.Root.Children) != 1 || !res.Root.Children[0].Opaque {
			t.Errorf("%s: want an opaque child and no scenario", name)
		}
	}
}

// TestPinnedRefsServedOffline: with fetching off, a digest-pinned ref whose
// content is in the cache is served from it (the cache is
// content-addressed), and links as if fetched; an unpinned ref to the same
// URL is not fetched.
func TestPinnedRefsServedOffline(t *testing.T) {
	srv := newManifestServer(t)
	srv.text("/leaf.json5", `{ manifest_version: "0.3.0", metadata: { pinned: true } }`)
	url := srv.URL + "/leaf.json5"
	dir := t.TempDir()
	fetcher := &HTTPFetcher{CacheDir: dir, MaxAge: time.Hour, Client: &http.Client{Timeout: 2 * time.Second}}
	res := Link(context.Background(), writeRoot(t, rootWithChild(strconv.Quote(url))), Options{Fetcher: fetcher, Remote: FetchAll})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("first link: %v", res.Diagnostics)
	}
	digest := res.Root.Children[0].Digest()

	pinned := writeRoot(t, rootWithChild(`{ url: "`+url+`", digest: "`+digest+`" }`))
	res = Link(context.Background(), pinned, Options{Fetcher: fetcher, Remote: FetchNone})
	if len(res.Diagnostics) != 0 || !res.Linked() || res.Root.Children[0].Opaque {
		t.Errorf("pinned ref offline: %v, want it served from the cache", res.Diagnostics)
	}
	res = Link(context.Background(), writeRoot(t, rootWithChild(strconv.Quote(url))), Options{Fetcher: fetcher, Remote: FetchNone})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != codes.RemoteNotFetched {
		t.Errorf("unpinned ref offline: %v, want it not fetched (the URL cache is not the digest store)", res.Diagnostics)
	}
	if n := srv.count("/leaf.json5"); n != 1 {
		t.Errorf("%d requests, want the first link's only", n)
	}
}

// TestParseRemoteFetch reads the policies as the setting and the flag
// write them.
func TestParseRemoteFetch(t *testing.T) {
	for _, p := range []RemoteFetch{FetchHTTPS, FetchAll, FetchNone} {
		if got, err := ParseRemoteFetch(p.String()); err != nil || got != p {
			t.Errorf("ParseRemoteFetch(%q) = %v, %v", p.String(), got, err)
		}
	}
	if _, err := ParseRemoteFetch("http"); err == nil || err.Error() != `want https, all or false, not "http"` {
		t.Errorf("ParseRemoteFetch(http): %v", err)
	}
}
