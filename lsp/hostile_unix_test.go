//go:build unix

package lsp

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"go.lsp.dev/protocol"
)

// TestSpecialFileRefsInTheServer: a ref to a named pipe or to /dev/stdin
// stopped every diagnostic of the server until it restarted (the read
// blocked the analysis). Now each is a compiler::manifest_ref_resolution at
// the ref, and the server goes on answering edits.
func TestSpecialFileRefsInTheServer(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"fifo.json5":  `{ manifest_version: "0.1.0", components: { x: "./pipe.json5" } }`,
		"stdin.json5": `{ manifest_version: "0.1.0", components: { x: "/dev/stdin" } }`,
		"c.json5":     `{ manifest_version: "0.1.0", nope: 1 }`,
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.json5"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := start(t, Options{}, allCaps, dir)
	for name, what := range map[string]string{"fifo.json5": "is a named pipe", "stdin.json5": "is a file below /dev"} {
		ds := e.waitCodes(filepath.Join(dir, name), "compiler::manifest_ref_resolution")
		if msg, _ := ds[0].Message.(protocol.String); !strings.Contains(string(msg), what+", not a regular file") {
			t.Errorf("%s: %q, want it to say the file %s", name, msg, what)
		}
	}
	c := filepath.Join(dir, "c.json5")
	e.waitCodes(c, "manifest::validation_error")
	e.open(c, `{ manifest_version: "0.1.0", nope: 1 }`)
	e.change(c, protocol.PositionEncodingKindUTF16, edit{start: 29, end: 37, text: ""})
	if got := e.waitVersion(c); len(got) != 0 {
		t.Errorf("c.json5 after the edit: %v, want none", codesOf(got))
	}
}
