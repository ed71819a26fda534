package manifest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag/codes"
)

// TestFileTextMessageClipped: a `{ file }` text with an unclosed `${` near
// its start is quoted to its end in Amber's message; a large file gets the
// start of that quote, closed after an ellipsis, and still valid UTF-8.
func TestFileTextMessageClipped(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		clipped    bool
	}{
		{"short", "echo ${HOME", false},
		{"large", "echo ${" + strings.Repeat("é", 50_000), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(`{ manifest_version: "0.1.0", program: { image: "x", entrypoint: ["sh", "-c", { file: "./s.sh" }] } }`)
			res := AnalyzeWith("/w/m.json5", src, Options{ReadFile: func(string) ([]byte, error) { return []byte(tt.text), nil }})
			var msg string
			for _, d := range res.Diagnostics {
				if d.Code == codes.InvalidInterpolation {
					msg = d.Message
				}
			}
			if msg == "" {
				t.Fatalf("no %s among %v", codes.InvalidInterpolation, res.Diagnostics)
			}
			if !utf8.ValidString(msg) || !strings.HasPrefix(msg, "invalid interpolation `") || !strings.HasSuffix(msg, "`") {
				t.Errorf("message %.80q… is not Amber's shape", msg)
			}
			if len(msg) > maxFileMessage+len("…`") || strings.HasSuffix(msg, "…`") != tt.clipped {
				t.Errorf("message of %d bytes, clipped %v; want clipped %v within %d bytes", len(msg), strings.HasSuffix(msg, "…`"), tt.clipped, maxFileMessage+len("…`"))
			}
		})
	}
}
