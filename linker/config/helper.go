package config

import (
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// ReferencedRootPaths returns the root config paths that composed
// templates still reference (overlays.md §5.1): ConfigRef and
// SymbolicConfigRef paths, config parts of string templates, and the
// `${config.*}` placeholders inside SymbolicString texts ("" stands for
// the whole config), normalised by NormalizePaths.
func ReferencedRootPaths(templates ...*Template) []string {
	var paths []string
	for _, t := range templates {
		paths = collectPaths(t, paths)
	}
	return NormalizePaths(paths)
}

func collectPaths(t *Template, out []string) []string {
	switch t.Kind {
	case Root:
		out = append(out, "")
	case ConfigRef, SymbolicConfigRef:
		out = append(out, t.Path)
	case StringTemplate:
		for _, p := range t.Parts {
			if p.Config {
				out = append(out, p.Text)
			}
		}
	case SymbolicString:
		if tpl, err := interp.Parse(t.Text); err == nil {
			for _, p := range tpl.Refs() {
				if p.Ref.Source == interp.Config {
					out = append(out, p.Ref.Query)
				}
			}
		}
	case Object:
		for _, k := range t.Keys() {
			out = collectPaths(t.Fields[k], out)
		}
	case Array:
		for _, e := range t.Elems {
			out = collectPaths(e, out)
		}
	}
	return out
}

// NormalizePaths sorts config paths, removes duplicates, and drops every
// path that has another one as a dotted prefix (`creds.key` goes when
// `creds` is present). "" is kept as it is.
func NormalizePaths(paths []string) []string {
	sorted := append([]string(nil), paths...)
	sort.Strings(sorted)
	var out []string
	for i, p := range sorted {
		if i > 0 && p == sorted[i-1] {
			continue
		}
		covered := false
		for _, q := range sorted {
			if q != "" && strings.HasPrefix(p, q+".") {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	return out
}

// HelperRootSchema builds the helper scenario root's config_schema from
// the main scenario root's schema (nil when it has none) and referenced
// root paths (overlays.md §5.1). With no paths there is no schema (false).
// With "" it is the main root's schema verbatim, or true. Otherwise an
// object schema mirrors each path: the leaf is the main schema's
// sub-schema at the path as written (configschema.LookupAsWritten: a
// leaf that is a `$ref` stays one, as in Amber, whose helper root then
// fails to compile; true when it cannot be found), intermediate
// segments are `{"type":"object","properties":{…}}`, and a segment is in
// its level's `required` (in insertion order) when the main schema
// requires the full path. The result is a JSON value (scenario.Encode
// prints it as Amber does; ValueNode reads it as a syntax tree).
func HelperRootSchema(mainRoot *json5.Node, paths []string) (any, bool) {
	paths = NormalizePaths(paths)
	if len(paths) == 0 {
		return nil, false
	}
	if paths[0] == "" {
		if mainRoot == nil {
			return true, true
		}
		return mainRoot.Value(), true
	}
	root := map[string]any{"type": "object", "properties": map[string]any{}}
	var reader *configschema.Reader
	if mainRoot != nil {
		reader = configschema.NewReader(mainRoot)
	}
	for _, p := range paths {
		segs := strings.Split(p, ".")
		var leaf any = true
		if mainRoot != nil {
			if outcome, n, _ := configschema.LookupAsWritten(mainRoot, p); outcome == configschema.Found && n != nil {
				leaf = n.Value()
			}
		}
		required := false
		if reader != nil {
			req, err := reader.Required(p)
			required = err == nil && req
		}
		cur := root
		for i, seg := range segs {
			if required {
				addRequired(cur, seg)
			}
			props := cur["properties"].(map[string]any)
			if i == len(segs)-1 {
				props[seg] = leaf
				break
			}
			next, ok := props[seg].(map[string]any)
			if !ok || next["properties"] == nil {
				next = map[string]any{"type": "object", "properties": map[string]any{}}
				props[seg] = next
			}
			cur = next
		}
	}
	return root, true
}

// addRequired appends name to a schema object's `required` unless listed.
func addRequired(s map[string]any, name string) {
	req, _ := s["required"].([]any)
	for _, r := range req {
		if r == name {
			return
		}
	}
	s["required"] = append(req, name)
}

// ValueNode reads a JSON value (such as HelperRootSchema's result, a
// WriteBack result or an interposer's config from an overlay plan) as a
// JSON5 syntax tree, for the functions that take nodes. It returns nil for
// values that cannot be encoded.
func ValueNode(v any) *json5.Node {
	b, err := scenario.Encode(v)
	if err != nil {
		return nil
	}
	return json5.Parse(b).Root()
}
