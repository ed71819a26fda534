package lsp

import (
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// TestPublishedDiagnosticsAreCapped: an open document with 1,500 unknown
// keys on one line gets diag.MaxPerFile diagnostics and one that counts the
// rest.
func TestPublishedDiagnosticsAreCapped(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "scenario.json5")
	e := start(t, Options{}, editorCaps{}, dir)
	e.open(file, testgen.UnknownKeys(diag.MaxPerFile+500, " "))
	ds := e.waitVersion(file)
	if len(ds) != diag.MaxPerFile+1 {
		t.Fatalf("%d diagnostics published, want %d", len(ds), diag.MaxPerFile+1)
	}
	last := ds[len(ds)-1]
	if last.Code != protocol.String(codes.TooManyDiagnostics) || last.Severity != protocol.DiagnosticSeverityInformation {
		t.Errorf("last diagnostic %v %v %q, want the information %s", last.Severity, last.Code, last.Message, codes.TooManyDiagnostics)
	}
}
