package lsp

import (
	"path/filepath"

	"go.lsp.dev/uri"
)

// pathOf returns the local path a file URI names.
func pathOf(u uri.URI) (string, bool) {
	if !u.IsFile() || u.Authority() != "" && u.Authority() != "localhost" {
		return "", false
	}
	p := u.Path()
	if p == "" {
		return "", false
	}
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		return "", false
	}
	return filepath.Clean(p), true
}
