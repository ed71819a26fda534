package overlay

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/freeport"
	"github.com/amberlsp/amber-lsp/linker"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// memFetcher serves manifests from memory, as if over the network.
type memFetcher map[string]string

func (m memFetcher) Fetch(_ context.Context, url string) ([]byte, string, error) {
	if text, ok := m[url]; ok {
		return []byte(text), url, nil
	}
	return nil, "", errors.New("404 Not Found")
}

// ByDigest implements linker.Fetcher: nothing is stored by digest.
func (memFetcher) ByDigest(string) ([]byte, string, bool) { return nil, "", false }

// PutDigest implements linker.Fetcher.
func (memFetcher) PutDigest(string, string, []byte) {}

// TestNoRemoteHelpers: with NoRemoteHelpers a helper that depends on a
// manifest fetched without a digest pin is refused at its `use` entry and
// nothing starts; pinned, or without the option, it runs.
func TestNoRemoteHelpers(t *testing.T) {
	const base = "https://helpers.example/"
	port := freeport.Get(t)
	// The helper as a remote manifest: the program by its absolute path.
	helper := `{
  manifest_version: "0.1.0",
  config_schema: { type: "object", properties: { redaction_terms: { type: "array", items: { type: "string" } } } },
  program: {
    path: "` + helperBin + `",
    env: { PORT: "` + strconv.Itoa(port) + `", MODE: "noop", PIDFILE: "{{PIDFILE}}" },
    network: { endpoints: [{ name: "api", port: ` + strconv.Itoa(port) + ` }] },
  },
  provides: { apply: { kind: "http", profile: "overlay", endpoint: "api" } },
  exports: { apply: "apply" },
}`
	// A local `use` manifest whose program comes from the network.
	wrapper := `{
  manifest_version: "0.1.0",
  config_schema: { type: "object", properties: { redaction_terms: { type: "array", items: { type: "string" } } } },
  components: { impl: "` + base + `overlay.json5" },
  exports: { apply: "#impl.apply" },
}`
	for _, tc := range []struct {
		name    string
		use     string // the `use` entry's manifest reference
		refuse  bool
		refused string // the manifest named by the refusal
		option  bool
	}{
		{name: "remote use manifest", use: `"` + base + `overlay.json5"`, option: true, refuse: true, refused: base + "overlay.json5"},
		{name: "remote manifest below a local use", use: `"./wrapper.json5"`, option: true, refuse: true, refused: base + "overlay.json5"},
		{name: "pinned", use: "PINNED", option: true},
		{name: "local", use: `"./overlay.json5"`, option: true},
		{name: "remote, without the option", use: `"` + base + `overlay.json5"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, pids := fixture(t, "redaction", "noop")
			dir := filepath.Dir(root)
			served := strings.ReplaceAll(helper, "{{PIDFILE}}", pids[0])
			fetcher := memFetcher{base + "overlay.json5": served}
			if err := os.WriteFile(filepath.Join(dir, "overlay.json5"), []byte(served), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "wrapper.json5"), []byte(wrapper), 0o644); err != nil {
				t.Fatal(err)
			}
			use := tc.use
			if use == "PINNED" {
				original, _ := os.ReadFile(root)
				res := linker.Link(context.Background(), writeUse(t, root, `"`+base+`overlay.json5"`), linker.Options{Fetcher: fetcher})
				digest := res.Overlays.Scopes[0].Overlays[0].UseNode.Digest()
				use = `{ url: "` + base + `overlay.json5", digest: "` + digest + `" }`
				if err := os.WriteFile(root, original, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res := linker.Link(context.Background(), writeUse(t, root, use), linker.Options{Fetcher: fetcher})
			if errs, _ := diag.Count(res.Diagnostics); errs > 0 {
				t.Fatalf("link: %v", res.Diagnostics)
			}
			rt := hrt.New(hrt.Options{StartTimeout: 10 * time.Second})
			out := Apply(context.Background(), res, Options{Runtime: rt, NoRemoteHelpers: tc.option})
			rt.Close()
			assertGone(t, pids[0])
			if !tc.refuse {
				if len(out.Diagnostics) > 0 || out.Scenario == nil {
					t.Fatalf("want the helper run, got %v", out.Diagnostics)
				}
				return
			}
			if _, err := os.Stat(pids[0]); err == nil {
				t.Error("the refused helper was started")
			}
			if len(out.Diagnostics) != 1 || out.Scenario != nil {
				t.Fatalf("want one refusal and no scenario, got %v", out.Diagnostics)
			}
			d := out.Diagnostics[0]
			l, _ := d.Primary()
			src, _ := os.ReadFile(root)
			if d.Code != codes.RemoteHelperRefused || !strings.Contains(d.Message, tc.refused) ||
				l.File != root || !strings.Contains(string(src[l.Span.Start:l.Span.End]), "manifest: "+use) {
				t.Errorf("got %s at %s %q: %s", d.Code, l.File, src[l.Span.Start:l.Span.End], d.Message)
			}
		})
	}
}

// writeUse rewrites the `manifest` of the fixture's `use` entry and returns
// the root.
func writeUse(t *testing.T, root, ref string) string {
	t.Helper()
	text, err := os.ReadFile(root)
	if err != nil {
		t.Fatal(err)
	}
	const from = `manifest: "./overlay.json5",`
	i := strings.Index(string(text), from)
	if i < 0 {
		t.Fatalf("%s has no %s", root, from)
	}
	out := string(text[:i]) + "manifest: " + ref + "," + string(text[i+len(from):])
	if err := os.WriteFile(root, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}
