package linker

import (
	"crypto/sha256"
	"path/filepath"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest"
)

// programFileRefs returns the paths of a program's `{ file }` references as
// written, in program order (manifest.Program.FileRefs).
func programFileRefs(p *manifest.Program) []string {
	var out []string
	for _, f := range p.FileRefs() {
		out = append(out, f.Path.Value)
	}
	return out
}

// localFileRefs returns the local paths the `{ file }` references of the
// manifest at file (a local path) name, resolved as manifest validation
// resolves them; nil for remote manifests.
func localFileRefs(file string, m *manifest.Manifest) []string {
	if m == nil || !filepath.IsAbs(file) {
		return nil
	}
	var out []string
	for _, raw := range programFileRefs(m.Program) {
		if p, ok := ResolveFileRef(file, raw); ok {
			out = append(out, p)
		}
	}
	return out
}

// ResolveFileRef returns the local path a `{ file }` reference raw of the
// manifest at file (a local path) names, as manifest validation resolves
// it: an absolute path as it is, a relative one against the manifest's
// directory. A blank reference names nothing.
func ResolveFileRef(file, raw string) (string, bool) {
	switch {
	case strings.TrimSpace(raw) == "":
		return "", false
	case filepath.IsAbs(raw):
		return filepath.Clean(raw), true
	}
	return filepath.Join(filepath.Dir(file), raw), true
}

// fileRead is what reading a `{ file }` target gave: a hash of its text,
// or the error's text.
type fileRead struct {
	path string
	sum  [32]byte
	err  string
}

func readOf(path string, b []byte, err error) fileRead {
	if err != nil {
		return fileRead{path: path, err: err.Error()}
	}
	return fileRead{path: path, sum: sha256.Sum256(b)}
}

// sameReads reports whether every target reads through read as it did:
// manifest validation checks `{ file }` texts, so a cached result holds
// only while they stay the same.
func sameReads(targets []fileRead, read func(string) ([]byte, error)) bool {
	for _, t := range targets {
		b, err := read(t.path)
		if readOf(t.path, b, err) != t {
			return false
		}
	}
	return true
}
