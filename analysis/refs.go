package analysis

import (
	"maps"

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
	refs, _ := manifestRefs(file, syn, nil)
	return refs
}

// resolvedRef is what linker.ResolveLocalRef made of a reference text.
type resolvedRef struct {
	path string
	ok   bool
}

// refMemo maps reference texts to what they resolve to from one file. It is
// never modified once built, so the analyses of successive versions of the
// file share it (ResolveLocalRef is a pure function of the file's path and
// the text).
type refMemo map[string]resolvedRef

// manifestRefs is ManifestRefs resolving each reference text through memo,
// a refMemo built for the same file (or nil): children mostly share a few
// references ("./leaf.json5" a thousand times), and successive versions of
// a file mostly the same ones. It returns the memo for the next version:
// memo itself when every text was in it, else a new one holding the texts
// of this version and, unless that would let it grow past twice their
// number, memo's others.
func manifestRefs(file string, syn *json5.File, memo refMemo) ([]Ref, refMemo) {
	var refs []Ref
	if n := refCount(syn); n > 0 {
		refs = make([]Ref, 0, n)
	}
	var added refMemo // the texts memo lacks
	used := 0         // references resolved: at least the number of texts
	eachRef(syn, func(section string, m *json5.Member, ref *json5.Node) {
		used++
		r, ok := memo[ref.Text]
		if !ok {
			if r, ok = added[ref.Text]; !ok {
				r.path, r.ok = linker.ResolveLocalRef(file, ref.Text)
				if added == nil {
					added = refMemo{}
				}
				added[ref.Text] = r
			}
		}
		if r.ok {
			refs = append(refs, Ref{Section: section, Name: m.Key.Name, Path: r.path, Span: ref.Span()})
		}
	})
	if added == nil {
		return refs, memo
	}
	next := make(refMemo, len(added)+len(memo))
	if len(memo)+len(added) <= 2*used {
		maps.Copy(next, memo)
	} else {
		eachRef(syn, func(_ string, _ *json5.Member, ref *json5.Node) {
			if r, ok := memo[ref.Text]; ok {
				next[ref.Text] = r
			}
		})
	}
	maps.Copy(next, added)
	return refs, next
}

// refSections are the tables whose entries name manifests, in the order
// ManifestRefs lists them.
var refSections = [...]string{"components", "use"}

// refCount returns the number of entries of the tables of refSections: at
// least the number of references eachRef finds.
func refCount(syn *json5.File) int {
	n := 0
	if syn != nil && syn.Root != nil {
		for _, section := range refSections {
			if table := syn.Root.Get(section); table != nil {
				n += len(table.Members)
			}
		}
	}
	return n
}

// eachRef calls fn with each member of `components` and `use` (in that
// order) that holds a manifest reference, and the reference's string node.
func eachRef(syn *json5.File, fn func(section string, m *json5.Member, ref *json5.Node)) {
	if syn == nil || syn.Root == nil || syn.Root.Kind != json5.Object {
		return
	}
	for _, section := range refSections {
		table := syn.Root.Get(section)
		if table == nil || table.Kind != json5.Object {
			continue
		}
		for _, m := range table.Members {
			if ref := refNode(m.Value); ref != nil {
				fn(section, m, ref)
			}
		}
	}
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
