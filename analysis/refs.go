package analysis

import (
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
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
// names a local file, resolved as the linker resolves it
// (linker.ResolveLocalRef). It reads the syntax tree only, so references are found even
// while the manifest has syntax or shape errors.
func ManifestRefs(file string, syn *json5.File) []Ref {
	if syn == nil || syn.Root == nil || syn.Root.Kind != json5.Object {
		return nil
	}
	var refs []Ref
	// Children mostly share a few references ("./leaf.json5" a thousand
	// times): each text is resolved once.
	type resolved struct {
		path string
		ok   bool
	}
	seen := map[string]resolved{}
	for _, section := range []string{"components", "use"} {
		table := syn.Root.Get(section)
		if table == nil || table.Kind != json5.Object {
			continue
		}
		if refs == nil {
			refs = make([]Ref, 0, len(table.Members))
		}
		for _, m := range table.Members {
			ref := refNode(m.Value)
			if ref == nil {
				continue
			}
			r, ok := seen[ref.Text]
			if !ok {
				r.path, r.ok = linker.ResolveLocalRef(file, ref.Text)
				seen[ref.Text] = r
			}
			if r.ok {
				refs = append(refs, Ref{Section: section, Name: m.Key.Name, Path: r.path, Span: ref.Span()})
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
