package lsp

import (
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// TestDiagnosticTags: the tags a published diagnostic carries are the
// registry's, including codes whose names say nothing about them.
func TestDiagnosticTags(t *testing.T) {
	unnecessary := []protocol.DiagnosticTag{protocol.DiagnosticTagUnnecessary}
	deprecated := []protocol.DiagnosticTag{protocol.DiagnosticTagDeprecated}
	tests := []struct {
		code diag.Code
		want []protocol.DiagnosticTag
	}{
		{codes.UnusedSlot, unnecessary},
		{codes.UnusedConfig, unnecessary},
		{codes.RequiredSlotWhen, unnecessary},
		{codes.DuplicateEnvironmentResolver, unnecessary},
		{codes.ByteOrderMark, unnecessary},
		{codes.TrailingContent, unnecessary},
		{codes.DeprecatedBindingSelfSource, deprecated},
		{codes.DeprecatedExportSelfTarget, deprecated},
		{codes.DraftSpelling, nil},
		{codes.TypeMismatch, nil},
		{"manifest::not_registered", nil},
	}
	for _, tt := range tests {
		if got := tags(tt.code); !slices.Equal(got, tt.want) {
			t.Errorf("tags(%s) = %v, want %v", tt.code, got, tt.want)
		}
	}
	c := Converter{Text: func(string) []byte { return nil }, URI: func(p string) uri.URI { return uri.File(p) }}
	d := c.Diagnostic("/a.json5", &diag.Diagnostic{Code: codes.RequiredSlotWhenEnv, Severity: diag.Warning})
	if got := d.Tags.Slice(); !slices.Equal(got, unnecessary) {
		t.Errorf("published tags = %v, want %v", got, unnecessary)
	}
}
