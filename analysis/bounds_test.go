package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// TestDiagnosticsPerFileAreCapped: a file with more than diag.MaxPerFile
// diagnostics reports the first ones and one too_many_diagnostics that
// counts the others, in the report every output and the editor read.
func TestDiagnosticsPerFileAreCapped(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "scenario.json5")
	var b strings.Builder
	b.WriteString(`{ manifest_version: "0.4.0", `)
	for i := range diag.MaxPerFile + 500 {
		fmt.Fprintf(&b, "k%d: 1, ", i)
	}
	b.WriteString("}\n")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Check([]string{dir}, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds := res.ByFile[file]
	if len(ds) != diag.MaxPerFile+1 || len(res.Diagnostics) != diag.MaxPerFile+1 {
		t.Fatalf("%d diagnostics (%d in all), want %d", len(ds), len(res.Diagnostics), diag.MaxPerFile+1)
	}
	last := ds[len(ds)-1]
	want := "500 more diagnostics in this file are not shown (500 error(s)); at most 1000 are shown per file"
	if last.Code != codes.TooManyDiagnostics || last.Message != want {
		t.Errorf("last diagnostic %s %q, want %s %q", last.Code, last.Message, codes.TooManyDiagnostics, want)
	}
	if l, _ := last.Primary(); l.File != file || string(b.String()[l.Span.Start:l.Span.End]) != "k1000" {
		t.Errorf("the summary is at %v, want the key k1000", l)
	}
}
