package linker

import (
	"path/filepath"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest"
)

// programFileRefs returns the paths of a program's `{ file }` references as
// written, in program order: image, path, VM texts, entrypoint/args (with
// their items and argv), env values.
func programFileRefs(p *manifest.Program) []string {
	if p == nil {
		return nil
	}
	var out []string
	spec := func(s *manifest.StringSpec) {
		if s != nil && s.File != nil {
			out = append(out, s.File.Value)
		}
	}
	var command func(c *manifest.Command)
	command = func(c *manifest.Command) {
		if c == nil {
			return
		}
		if c.File != nil {
			out = append(out, c.File.Value)
		}
		for _, it := range c.Items {
			spec(it.Plain)
			spec(it.Arg)
			command(it.Argv)
		}
	}
	spec(p.Image)
	spec(p.Path)
	if p.VM != nil {
		spec(p.VM.Image)
		spec(p.VM.UserData)
		spec(p.VM.VendorData)
	}
	command(p.Entrypoint)
	command(p.Args)
	for _, e := range p.Env {
		spec(e.Value)
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
