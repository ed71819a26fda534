package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/render"
	"github.com/amberlsp/amber-lsp/internal/localfile"
)

const fmtUsage = `usage: amber-lsp fmt [--check] PATH...

Formats manifests in place: each file named, and the manifests below each
directory named (as --check finds them). Prints the names of the files it
changed. With --check, writes nothing: lists the files that would change.

exit status: 0 done (with --check: nothing would change), 1 a file would
change (--check) or was not formatted (syntax errors, or nesting so deep
that formatting would grow it 16 times), 2 a path cannot be read or
written, or a bad flag
`

// fmtCommand runs `amber-lsp fmt`.
func fmtCommand(args []string, stdout, stderr io.Writer) int {
	check := false
	var paths []string
	for i, a := range args {
		switch {
		case a == "--check":
			check = true
		case a == "-h" || a == "--help":
			fmt.Fprint(stdout, fmtUsage)
			return 0
		case a == "--":
			paths = append(paths, args[i+1:]...)
		case strings.HasPrefix(a, "-") && a != "-":
			fmt.Fprintf(stderr, "amber-lsp fmt: unknown flag %s\n\n%s", a, fmtUsage)
			return 2
		default:
			paths = append(paths, a)
			continue
		}
		if a == "--" {
			break
		}
	}
	if len(paths) == 0 {
		fmt.Fprintf(stderr, "amber-lsp fmt: no manifest path given\n\n%s", fmtUsage)
		return 2
	}
	targets, err := analysis.FormatTargets(paths)
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp fmt: %v\n", err)
		return 2
	}
	status := 0
	var refused []diag.Diagnostic
	files := render.NewFiles()
	for _, path := range targets {
		text, err := localfile.Read(path)
		if err != nil {
			fmt.Fprintf(stderr, "amber-lsp fmt: cannot read %s: %v\n", path, unwrapPath(err))
			status = 2
			continue
		}
		out, diags, err := analysis.FormatText(path, text)
		if err != nil {
			fmt.Fprintf(stderr, "amber-lsp fmt: %s: %v\n", path, err)
			status = max(status, 1)
			continue
		}
		if diags != nil {
			files.Add(path, text)
			refused = append(refused, diags...)
			status = max(status, 1)
			continue
		}
		if bytes.Equal(out, text) {
			continue
		}
		if check {
			fmt.Fprintln(stdout, path)
			status = max(status, 1)
			continue
		}
		if err := writeInPlace(path, out); err != nil {
			fmt.Fprintf(stderr, "amber-lsp fmt: cannot write %s: %v\n", path, unwrapPath(err))
			status = 2
			continue
		}
		fmt.Fprintln(stdout, path)
	}
	if len(refused) > 0 {
		render.Text(stderr, refused, files, render.TextOptions{Color: useColor(stderr)})
		fmt.Fprintf(stderr, "\nerror: %d file(s) not formatted: syntax errors\n", countFiles(refused))
	}
	return status
}

// writeInPlace replaces a file's content, keeping its permissions.
func writeInPlace(path string, text []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, text, info.Mode().Perm())
}

// unwrapPath drops the path an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// countFiles returns the number of files the diagnostics are about.
func countFiles(ds []diag.Diagnostic) int {
	seen := map[string]bool{}
	for _, d := range ds {
		if p, ok := d.Primary(); ok {
			seen[p.File] = true
		}
	}
	return len(seen)
}
