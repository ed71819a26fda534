package linker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/internal/localfile"
)

// Fetcher fetches remote (http and https) manifests and keeps them by
// digest, so a reference pinned with a digest already seen needs no
// network (linker.md §2.4). HTTPFetcher is the standard one. A Fetcher must
// be safe for concurrent use.
type Fetcher interface {
	// Fetch returns the body at rawURL and the URL it was observed at after
	// redirects.
	Fetch(ctx context.Context, rawURL string) (body []byte, observed string, err error)
	// ByDigest returns a manifest stored under digest, and false when none
	// is.
	ByDigest(digest string) (body []byte, observed string, ok bool)
	// PutDigest stores a fetched manifest under its digest; the first
	// content stored under a digest stays.
	PutDigest(digest, observed string, body []byte)
}

// MaxManifestSize is the body limit for fetched manifests, as in Amber.
const MaxManifestSize = 1 << 20

// HTTPFetcher fetches manifests over HTTP(S) with Amber's limits (connect
// timeout 5 s, request timeout 30 s, 1 MiB body, UTF-8) and caches them on
// disk: by URL for MaxAge, and by digest forever (a digest names content).
type HTTPFetcher struct {
	// Client is the HTTP client; nil means one with Amber's timeouts.
	Client *http.Client
	// CacheDir holds the on-disk cache; "" disables it.
	CacheDir string
	// MaxAge is how long a fetched manifest is reused without asking the
	// server again. Zero means always fetch.
	MaxAge time.Duration

	once   sync.Once
	client *http.Client
	mu     sync.Mutex
	mem    map[string]cached
}

type cached struct {
	URL      string    `json:"url"`
	Observed string    `json:"observed"`
	Fetched  time.Time `json:"fetched"`
	Body     string    `json:"body"`
}

// DefaultCacheDir is where amber-lsp caches remote manifests:
// $XDG_CACHE_HOME/amber-lsp/manifests (or the platform's user cache dir).
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "amber-lsp", "manifests")
}

// NewHTTPFetcher returns a fetcher caching under dir (see DefaultCacheDir)
// that reuses a fetched manifest for five minutes.
func NewHTTPFetcher(dir string) *HTTPFetcher {
	return &HTTPFetcher{CacheDir: dir, MaxAge: 5 * time.Minute}
}

func (f *HTTPFetcher) httpClient() *http.Client {
	f.once.Do(func() {
		f.client = f.Client
		if f.client == nil {
			dialer := &net.Dialer{Timeout: 5 * time.Second}
			f.client = &http.Client{
				Timeout: 30 * time.Second,
				Transport: &http.Transport{
					Proxy:                 http.ProxyFromEnvironment,
					DialContext:           dialer.DialContext,
					TLSHandshakeTimeout:   10 * time.Second,
					ResponseHeaderTimeout: 30 * time.Second,
				},
			}
		}
	})
	return f.client
}

// Fetch implements Fetcher.
func (f *HTTPFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, string, error) {
	if c, ok := f.fresh(rawURL); ok {
		return []byte(c.Body), c.Observed, nil
	}
	body, observed, err := f.get(ctx, rawURL)
	if err != nil {
		return nil, "", err
	}
	c := cached{URL: rawURL, Observed: observed, Fetched: time.Now(), Body: string(body)}
	f.mu.Lock()
	if f.mem == nil {
		f.mem = map[string]cached{}
	}
	f.mem[rawURL] = c
	f.mu.Unlock()
	f.writeCache(f.urlPath(rawURL), c)
	return body, observed, nil
}

// fresh returns a cached copy younger than MaxAge.
func (f *HTTPFetcher) fresh(rawURL string) (cached, bool) {
	if f.MaxAge <= 0 {
		return cached{}, false
	}
	f.mu.Lock()
	c, ok := f.mem[rawURL]
	f.mu.Unlock()
	if !ok {
		c, ok = f.readCache(f.urlPath(rawURL))
		ok = ok && c.URL == rawURL
	}
	return c, ok && time.Since(c.Fetched) < f.MaxAge
}

func (f *HTTPFetcher) get(ctx context.Context, rawURL string) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, "", err
	}
	resp, err := f.httpClient().Do(req)
	if err != nil {
		var cause string
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) && ue.Unwrap() != nil {
			cause = ": " + ue.Unwrap().Error()
		}
		return nil, "", fmt.Errorf("error sending request for url (%s)%s", rawURL, cause)
	}
	defer resp.Body.Close()
	observed := resp.Request.URL.String()
	if resp.StatusCode >= 400 {
		class := "client"
		if resp.StatusCode >= 500 {
			class = "server"
		}
		return nil, "", fmt.Errorf("HTTP status %s error (%s) for url (%s)", class, resp.Status, observed)
	}
	tooBig := func(size int64) error {
		return fmt.Errorf("response body from `%s` exceeds max size %d bytes (got %d bytes)", observed, MaxManifestSize, size)
	}
	if resp.ContentLength > MaxManifestSize {
		return nil, "", tooBig(resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxManifestSize+1))
	if err != nil {
		return nil, "", fmt.Errorf("error reading response body from `%s`: %v", observed, err)
	}
	if len(body) > MaxManifestSize {
		return nil, "", tooBig(int64(len(body)))
	}
	if !utf8.Valid(body) {
		return nil, "", fmt.Errorf("response body from `%s` is not valid UTF-8", observed)
	}
	return body, observed, nil
}

// ByDigest implements Fetcher.
func (f *HTTPFetcher) ByDigest(digest string) ([]byte, string, bool) {
	c, ok := f.readCache(f.digestPath(digest))
	if !ok {
		return nil, "", false
	}
	return []byte(c.Body), c.Observed, true
}

// PutDigest implements Fetcher. The first content stored under a
// digest stays.
func (f *HTTPFetcher) PutDigest(digest, observed string, body []byte) {
	path := f.digestPath(digest)
	if _, err := os.Stat(path); path == "" || err == nil {
		return
	}
	f.writeCache(path, cached{URL: observed, Observed: observed, Fetched: time.Now(), Body: string(body)})
}

func (f *HTTPFetcher) urlPath(rawURL string) string {
	if f.CacheDir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(rawURL))
	return filepath.Join(f.CacheDir, "url", hex.EncodeToString(sum[:])+".json")
}

func (f *HTTPFetcher) digestPath(digest string) string {
	if f.CacheDir == "" || !strings.HasPrefix(digest, "sha256:") {
		return ""
	}
	sum := sha256.Sum256([]byte(digest))
	return filepath.Join(f.CacheDir, "digest", hex.EncodeToString(sum[:])+".json")
}

func (f *HTTPFetcher) readCache(path string) (cached, bool) {
	var c cached
	if path == "" {
		return c, false
	}
	data, err := localfile.Read(path)
	if err != nil || json.Unmarshal(data, &c) != nil {
		return c, false
	}
	return c, true
}

// writeCache stores an entry atomically; failures only cost a refetch.
func (f *HTTPFetcher) writeCache(path string, c cached) {
	if path == "" {
		return
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
}
