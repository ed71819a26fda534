package json5

import (
	"strings"
	"testing"
)

// TestBadByteRunsAreOneError: a run of 20,000 NUL bytes, or of invalid
// UTF-8 bytes, anywhere in a file is one error, not one per byte (a file of
// 20,000 NUL bytes made 805 MB of text output).
func TestBadByteRunsAreOneError(t *testing.T) {
	nul := strings.Repeat("\x00", 20000)
	bad := strings.Repeat("\xff", 20000)
	tests := []struct {
		name, src string
		want      int // errors
	}{
		{"NULs after the root", `{ manifest_version: "0.3.0" }` + nul, 2}, // nul_byte, trailing_content
		{"NULs for a member", `{ manifest_version: "0.3.0", ` + nul + ` }`, 2},
		{"NULs in an array", `{ a: [1, ` + nul + `] }`, 2},
		{"NULs only", nul, 2},
		{"invalid bytes in a string", `{ a: "` + bad + `" }`, 1},
		{"invalid bytes in a comment", "// " + bad + "\n{}", 1},
	}
	for _, tt := range tests {
		f := Parse([]byte(tt.src))
		if len(f.Errors) != tt.want {
			t.Errorf("%s: %d errors, want %d: %.300v", tt.name, len(f.Errors), tt.want, f.Errors)
		}
	}
}
