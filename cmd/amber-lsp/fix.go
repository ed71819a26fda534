package main

import (
	"fmt"
	"io"
	"os"

	"github.com/amberlsp/amber-lsp/analysis"
)

// writeFixed writes the files `--check --fix` changed, keeping their
// permissions, and says on stderr how many problems each fix resolved (so
// stdout stays the report, in every --format).
func writeFixed(fixed []analysis.FixedFile, stderr io.Writer) error {
	for _, f := range fixed {
		mode := os.FileMode(0o644)
		if info, err := os.Stat(f.Path); err == nil {
			mode = info.Mode().Perm()
		}
		if err := os.WriteFile(f.Path, f.Text, mode); err != nil {
			return fmt.Errorf("cannot write the fixes of %s: %w", f.Path, err)
		}
		fmt.Fprintf(stderr, "amber-lsp: fixed %d problem(s) in %s\n", f.Fixes, f.Path)
	}
	return nil
}
