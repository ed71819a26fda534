package testgen

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest"
)

// TestGenerateManifest: the generated text is plain JSON of about the
// requested number of lines, and a manifest without a problem of its own.
func TestGenerateManifest(t *testing.T) {
	for _, lines := range []int{1, 60, 1000} {
		src := GenerateManifest(lines)
		if !json.Valid(src) {
			t.Fatalf("%d lines: not plain JSON", lines)
		}
		if n := bytes.Count(src, []byte("\n")); n < lines*9/10 || n > lines*11/10+15 {
			t.Errorf("%d lines asked, %d generated", lines, n)
		}
		for _, d := range manifest.Analyze("generated.json5", src).Diagnostics {
			t.Errorf("%d lines: %s", lines, d.String())
		}
	}
}
