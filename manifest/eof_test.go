package manifest

import (
	"strings"
	"testing"
)

// TestEndOfInputBySchema checks the first diagnostic of texts cut short,
// worded and placed as Amber reports them (manifest.md §2.3): by the type
// the place the end is met in must hold. ‸ marks where the diagnostic lies
// (and is not part of the text).
func TestEndOfInputBySchema(t *testing.T) {
	const (
		unterminated = "json5 parse error: unterminated string (missing closing quote)"
		unclosed     = "json5 parse error: missing closing `}` for object opened here"
	)
	tests := []struct{ name, src, message string }{
		{"the spec's example: a string was to come", `‸{ manifest_version: `, unterminated},
		{"an export target", `{ manifest_version: "0.1.0", exports: ‸{ a: `, unterminated},
		{"a bool of a binding", `{ manifest_version: "0.1.0", bindings: [ ‸{ to: "#a.s", weak: `, "json5 parse error: unexpected EOF while parsing bool"},
		{"a bool of a slot", `{ manifest_version: "0.1.0", slots: { a: ‸{ kind: "http", optional: `, "json5 parse error: unexpected EOF while parsing bool"},
		{"an element of an array of strings", `{ manifest_version: "0.1.0", environments: { e: { resolvers: ‸["a", `, unterminated},
		{"a table: the hint", `‸{ components: `, unclosed},
		{"an optional string: the hint", `{ manifest_version: "0.1.0", bindings: [ ‸{ to: `, unclosed},
		{"free JSON: the hint", `{ manifest_version: "0.1.0", metadata: ‸{ a: `, unclosed},
		// In a literal at the value of an optional field read as free JSON,
		// the end is placed at the value (its optional wrapper's place);
		// null is the exception (Amber's parser leaves the wrapper first).
		{"a bool cut short in metadata", `{ manifest_version: "0.1.0", metadata: ‸tr`, "json5 parse error: unexpected EOF while parsing bool"},
		{"a sign in metadata", `{ manifest_version: "0.1.0", metadata: ‸-`, "json5 parse error: unexpected EOF while parsing number"},
		{"Infinity cut short in config_schema", `{ manifest_version: "0.1.0", config_schema: ‸Inf`, "json5 parse error: unexpected EOF while parsing number"},
		{"an escape cut short in metadata", `{ manifest_version: "0.1.0", metadata: ‸"\`, "json5 parse error: unexpected EOF while parsing escape sequence"},
		{"null cut short in metadata", `‸{ manifest_version: "0.1.0", metadata: nu`, "json5 parse error: unexpected EOF while parsing null"},
		{"a key cut short in metadata", `{ manifest_version: "0.1.0", metadata: ‸{ a`, "json5 parse error: unexpected EOF while parsing identifier"},
		{"a bool cut short inside metadata", `{ manifest_version: "0.1.0", metadata: ‸{ a: tr`, "json5 parse error: unexpected EOF while parsing bool"},
		{"a comment cut short", `‸{ manifest_version: "0.1.0", metadata: { a: 1 } /`, "json5 parse error: unexpected EOF while parsing comment"},
		{"a bool cut short in a typed bool", `{ manifest_version: "0.1.0", slots: { a: ‸{ kind: "http", optional: tr`, "json5 parse error: unexpected EOF while parsing bool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := strings.Index(tt.src, "‸")
			res := Analyze("m.json5", []byte(strings.Replace(tt.src, "‸", "", 1)))
			if len(res.Diagnostics) == 0 {
				t.Fatalf("no diagnostics, want %q at %d", tt.message, at)
			}
			d := res.Diagnostics[0]
			if d.Message != tt.message || d.Labels[0].Span.Start != at {
				t.Errorf("first diagnostic %q at %d, want %q at %d", d.Message, d.Labels[0].Span.Start, tt.message, at)
			}
		})
	}
}
