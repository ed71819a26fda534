package lsp

import (
	"path/filepath"

	"go.lsp.dev/jsonrpc2"
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

// documentPath returns the local path of a document a request names, or
// an InvalidParams error for a URI that is not a local file.
func documentPath(u uri.URI) (string, error) {
	p, ok := pathOf(u)
	if !ok {
		return "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%q is not a local file: URI", u)
	}
	return p, nil
}
