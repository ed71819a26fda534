package linker

import (
	"testing"

	"github.com/amberlsp/amber-lsp/manifest"
)

func digestOf(t *testing.T, src string) string {
	t.Helper()
	res := manifest.AnalyzeWith("/tmp/digest.json5", []byte(src), manifest.Options{NoLints: true})
	if res.Manifest == nil {
		t.Fatalf("no manifest: %v", res.Diagnostics)
	}
	return manifestDigest(res.Manifest)
}

// TestDigest checks the digest is a content identity: formatting, comments,
// key order and metadata do not change it; content does.
func TestDigest(t *testing.T) {
	base := digestOf(t, `{manifest_version: "0.1.0", slots: {api: {kind: "http"}}, exports: {api: "slots.api"}}`)
	same := []string{
		"// a comment\n{\n  exports: { api: 'slots.api' },\n  slots: { api: { kind: \"http\", }, },\n  manifest_version: \"0.1.0\",\n}",
		`{manifest_version: "0.1.0", slots: {api: {kind: "http", optional: false}}, exports: {api: "slots.api"}, metadata: {owner: "x"}}`,
	}
	for _, src := range same {
		if got := digestOf(t, src); got != base {
			t.Errorf("digest of %q = %s, want %s", src, got, base)
		}
	}
	different := []string{
		`{manifest_version: "0.1.0", slots: {api: {kind: "http", optional: true}}, exports: {api: "slots.api"}}`,
		`{manifest_version: "0.2.0", slots: {api: {kind: "http"}}, exports: {api: "slots.api"}}`,
		`{manifest_version: "0.1.0", slots: {api: {kind: "mcp"}}, exports: {api: "slots.api"}}`,
	}
	for _, src := range different {
		if got := digestOf(t, src); got == base {
			t.Errorf("digest of %q equals the base digest", src)
		}
	}
	if len(base) != len("sha256:")+44 {
		t.Errorf("digest %q is not sha256:<base64 of 32 bytes>", base)
	}
}
