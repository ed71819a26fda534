package linker

import (
	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/manifest"
)

// Files is how Link reads local files: the manifests of the tree and the
// `{ file }` targets their programs inline, which validation reads too.
// Paths are absolute. The language server passes one in which open editor
// documents shadow the disk and per-file analyses are shared with its other
// features; DiskFiles reads the file system. Every method must be safe for
// concurrent use.
type Files interface {
	// ReadFile returns a file's text. The bytes are shared and must not be
	// modified.
	ReadFile(path string) ([]byte, error)
	// AnalyzeFile returns manifest.AnalyzeWith(path, text,
	// manifest.Options{NoLints: true}) of text, which ReadFile returned for
	// path, with `{ file }` targets read through ReadFile. An
	// implementation may return a result it computed before for the same
	// text and targets. The result is shared: callers must not modify it.
	AnalyzeFile(path string, text []byte) *manifest.Result
}

// DiskFiles is the Files of the file system, for callers without a
// workspace: it reads the disk on every call and keeps analyses in Cache,
// by content, so linking again after an edit re-parses only the edited
// file. A nil Cache analyzes every time.
type DiskFiles struct {
	Cache *Cache // analyses by content; nil: no caching
}

// ReadFile implements Files.
func (DiskFiles) ReadFile(path string) ([]byte, error) { return localfile.Read(path) }

// AnalyzeFile implements Files.
func (d DiskFiles) AnalyzeFile(path string, text []byte) *manifest.Result {
	if d.Cache == nil {
		return manifest.AnalyzeWith(path, text, manifest.Options{NoLints: true, ReadFile: d.ReadFile})
	}
	res, _ := d.Cache.analyze(path, text, d.ReadFile)
	return res
}

// ioReason renders an I/O error the way Rust's std::io::Error displays
// it (localfile.Reason).
func ioReason(err error) string { return localfile.Reason(err) }
