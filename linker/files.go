package linker

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/manifest"
)

// Files is how Link reads local files: the manifests of the tree, the
// `{ file }` targets their programs inline, and whether a target exists.
// Paths are absolute. The language server passes one in which open editor
// documents shadow the disk and per-file analyses are shared with its other
// features; DiskFiles reads the file system. Every method must be safe for
// concurrent use.
type Files interface {
	// ReadFile returns a file's text. The bytes are shared and must not be
	// modified.
	ReadFile(path string) ([]byte, error)
	// Stat describes a file without reading it: validation looks `{ file }`
	// targets up this way.
	Stat(path string) (fs.FileInfo, error)
	// AnalyzeFile returns manifest.AnalyzeWith(path, text,
	// manifest.Options{NoLints: true}) of text, which ReadFile returned for
	// path, with `{ file }` targets looked up through Stat. An
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

// Stat implements Files.
func (DiskFiles) Stat(path string) (fs.FileInfo, error) { return os.Stat(path) }

// AnalyzeFile implements Files.
func (d DiskFiles) AnalyzeFile(path string, text []byte) *manifest.Result {
	exists := existsThrough(d)
	if d.Cache == nil {
		return manifest.AnalyzeWith(path, text, manifest.Options{NoLints: true, FileExists: exists})
	}
	res, _ := d.Cache.analyze(path, text, exists)
	return res
}

// existsThrough looks `{ file }` targets up through files: nil when the
// target exists.
func existsThrough(files Files) func(string) error {
	return func(path string) error { _, err := files.Stat(path); return err }
}

// ioReason renders an I/O error the way Rust's std::io::Error displays an OS
// error: `No such file or directory (os error 2)`.
func ioReason(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return capitalize(errno.Error()) + " (os error " + strconv.Itoa(int(errno)) + ")"
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "No such file or directory (os error 2)"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
