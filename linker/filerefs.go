package linker

import (
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

// statAll records which paths exist: manifest validation checks `{ file }`
// targets, so a cached result holds only while these stay the same.
func statAll(paths []string, exists func(string) error) []bool {
	out := make([]bool, len(paths))
	for i, p := range paths {
		out[i] = exists(p) == nil
	}
	return out
}
