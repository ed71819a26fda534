package analysis

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Ref is a reference from a manifest to a local manifest file.
type Ref struct {
	Section string    // "components" or "use"
	Name    string    // the entry's name
	Path    string    // the absolute path it resolves to
	Span    diag.Span // the reference string in the referring manifest
}

// ManifestRefs returns the local manifest references of the manifest at the
// absolute path file: the entries of `components` and `use` whose reference
// is a relative URL or a file:// URL, resolved against the manifest's
// directory. It reads the syntax tree only, so references are found even
// while the manifest has syntax or shape errors.
func ManifestRefs(file string, syn *json5.File) []Ref {
	if syn == nil || syn.Root == nil || syn.Root.Kind != json5.Object {
		return nil
	}
	var refs []Ref
	for _, section := range []string{"components", "use"} {
		table := syn.Root.Get(section)
		if table == nil || table.Kind != json5.Object {
			continue
		}
		for _, m := range table.Members {
			ref := refNode(m.Value)
			if ref == nil {
				continue
			}
			if p, ok := ResolveRef(file, ref.Text); ok {
				refs = append(refs, Ref{Section: section, Name: m.Key.Name, Path: p, Span: ref.Span()})
			}
		}
	}
	return refs
}

// refNode returns the string node holding the manifest reference of a
// component declaration: `"./x"`, `{ manifest: "./x" }`,
// `{ manifest: { url: "./x" } }` or `{ url: "./x" }`.
func refNode(v *json5.Node) *json5.Node {
	if v.Kind == json5.Object {
		if m := v.Get("manifest"); m != nil {
			v = m
		}
	}
	switch v.Kind {
	case json5.String:
		return v
	case json5.Object:
		if u := v.Get("url"); u != nil && u.Kind == json5.String {
			return u
		}
	}
	return nil
}

// ResolveRef resolves a manifest reference written in the manifest at the
// absolute path from, the way Amber joins it with the owning manifest's
// file:// URL. It reports false for references that do not name a local file
// (other schemes, hosts, malformed references).
func ResolveRef(from, ref string) (string, bool) {
	if strings.TrimSpace(ref) == "" {
		return "", false
	}
	if plainPath(ref) {
		// What URL joining does to a plain relative or absolute path:
		// resolve it against the directory and remove dot segments.
		if ref[0] == '/' {
			return filepath.Clean(filepath.FromSlash(ref)), true
		}
		return filepath.Join(filepath.Dir(from), filepath.FromSlash(ref)), true
	}
	return resolveURL(from, ref)
}

// resolveURL joins a reference with the file:// URL of the manifest at from.
func resolveURL(from, ref string) (string, bool) {
	base := &url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Dir(from)) + "/"}
	u, err := base.Parse(ref)
	if err != nil || u.Scheme != "file" || (u.Host != "" && u.Host != "localhost") || u.Path == "" {
		return "", false
	}
	return filepath.Clean(filepath.FromSlash(u.Path)), true
}

// plainPath reports whether a reference is a path that URL joining leaves
// alone apart from dot segments: no scheme, host, query, fragment, escape,
// backslash, whitespace or control character.
func plainPath(ref string) bool {
	if strings.HasPrefix(ref, "//") {
		return false
	}
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case c <= ' ' || c >= 0x7f, c == ':', c == '%', c == '?', c == '#', c == '\\':
			return false
		}
	}
	return true
}
