package linker

import (
	"errors"
	"io/fs"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/internal/localfile"
)

// Source reads local files by absolute path. The language server passes one
// in which open editor documents shadow the disk.
type Source interface {
	ReadFile(path string) ([]byte, error)
}

// Disk is the Source that reads the file system, at most
// localfile.MaxSize bytes of a file.
type Disk struct{}

// ReadFile implements Source.
func (Disk) ReadFile(path string) ([]byte, error) { return localfile.Read(path) }

// FileURL returns the file:// URL of a local path, made absolute.
func FileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	return u.String(), nil
}

// LocalPath returns the local path of a file:// URL, and false for other
// URLs.
func LocalPath(rawURL string) (string, bool) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "file" {
		return "", false
	}
	return filepath.FromSlash(u.Path), true
}

// displayName is where diagnostics about a manifest point: the local path
// for file URLs, else the URL itself.
func displayName(rawURL string) string {
	if p, ok := LocalPath(rawURL); ok {
		return p
	}
	return rawURL
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

// joinRef resolves a manifest reference against the owning manifest's URL.
// It reports whether ref was relative.
func joinRef(base, ref string) (string, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	if r.Scheme != "" {
		return r.String(), nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	if b.Scheme == "" || (b.Opaque != "" && !strings.HasPrefix(ref, "#")) {
		return "", errors.New("relative URL without a base")
	}
	return b.ResolveReference(r).String(), nil
}
