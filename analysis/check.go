// Package analysis computes everything amber-lsp knows about manifests as
// pure functions of their contents: today the headless check used by
// `amber-lsp --check`; later the workspace snapshot behind the server.
package analysis

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// CheckOptions adjust Check.
type CheckOptions struct {
	// Deny lists -D arguments: "warnings" or full lint codes.
	Deny []string
}

// CheckResult is the outcome of checking a set of manifests.
type CheckResult struct {
	Files       []string          // the manifest files checked, in order
	Texts       map[string][]byte // their contents
	Diagnostics []diag.Diagnostic
}

// Check checks the manifests named by paths. A path is a manifest file or a
// directory, in which every Amber manifest below it is checked. An error is
// returned only when a path cannot be read.
func Check(paths []string, opts CheckOptions) (*CheckResult, error) {
	res := &CheckResult{Texts: map[string][]byte{}}
	for _, p := range paths {
		files, err := manifestFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if _, seen := res.Texts[f]; seen {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("cannot read %s: %w", f, err)
			}
			res.Files = append(res.Files, f)
			res.Texts[f] = src
			res.Diagnostics = append(res.Diagnostics, manifest.Analyze(f, src).Diagnostics...)
		}
	}
	diag.Deny(res.Diagnostics, opts.Deny)
	return res, nil
}

// manifestFiles returns the manifest files a path names, as absolute paths.
func manifestFiles(p string) ([]string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", p, err)
	}
	if !info.IsDir() {
		return []string{abs}, nil
	}
	var out []string
	err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != abs && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".json5" && ext != ".json" {
			return nil
		}
		if looksLikeManifest(path) {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", p, err)
	}
	sort.Strings(out)
	return out, nil
}

// looksLikeManifest reports whether a file is an Amber manifest: its root
// value is an object with a `manifest_version` key.
func looksLikeManifest(path string) bool {
	src, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(src, []byte("manifest_version")) {
		return false
	}
	return json5.Parse(src).Root.Member("manifest_version") != nil
}
