// Package gosource parses the module's own Go sources, for tests that
// check a property of the whole code base (every diagnostic code named
// through its registry, every exported name documented).
package gosource

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// File is a parsed non-test Go file of the module.
type File struct {
	Path string    // as found below the root given to Module, with forward slashes
	AST  *ast.File // parsed with the mode given to Module
}

// Module parses every non-test Go file below root (the module's root
// directory, relative to the calling test's package or absolute),
// skipping testdata, node_modules and hidden directories. It fails tb
// when a file does not parse, or when it finds fewer than 50 files (a
// wrong root), so that a check over the result cannot pass on nothing.
func Module(tb testing.TB, root string, mode parser.Mode) (*token.FileSet, []File) {
	tb.Helper()
	fset := token.NewFileSet()
	var out []File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, mode)
		if err != nil {
			return err
		}
		out = append(out, File{filepath.ToSlash(path), f})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) < 50 {
		tb.Fatalf("found only %d Go files below %s; is the module root right?", len(out), root)
	}
	return fset, out
}
