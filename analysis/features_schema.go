package analysis

import (
	"strings"

	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// maxSchemaDepth bounds the $ref and allOf chains the features follow.
const maxSchemaDepth = 32

// schemaProp is a config property declared in a config_schema.
type schemaProp struct {
	member *json5.Member // the property in a `properties` object
	owner  *json5.Node   // the object schema whose `properties` holds it
}

// derefSchema follows the `$ref`s of schema node n.
func derefSchema(root, n *json5.Node) *json5.Node {
	for range maxSchemaDepth {
		if n == nil || n.Kind != json5.Object {
			return n
		}
		ref := n.Get("$ref")
		if ref == nil || ref.Kind != json5.String {
			return n
		}
		target, ok := configschema.Resolve(root, ref.Text)
		if !ok {
			return n
		}
		n = target
	}
	return n
}

// schemaProps lists the properties of schema node n, its own and those of
// its `allOf` branches, in source order, the first declaration of a name
// winning.
func schemaProps(root, n *json5.Node) []schemaProp {
	w := propsWalk{root: root, memo: map[propsKey][]schemaProp{}}
	return w.props(n, 0)
}

// propsWalk lists properties (schemaProps), remembering what it listed
// below each node from each depth: `allOf` branches that refer to one
// definition many times over cost it once.
type propsWalk struct {
	root *json5.Node
	memo map[propsKey][]schemaProp
}

// propsKey is a call of props.
type propsKey struct {
	node  *json5.Node
	depth int
}

// props lists the properties of schema node n reached at `allOf` depth
// depth, each name once: n's own, then those of its branches in order.
// It depends on nothing but n and depth (derefSchema has no state), and
// listing each name once in every part lists it once in the whole.
func (w *propsWalk) props(n *json5.Node, depth int) []schemaProp {
	n = derefSchema(w.root, n)
	if n == nil || n.Kind != json5.Object || depth > maxSchemaDepth {
		return nil
	}
	key := propsKey{n, depth}
	if out, ok := w.memo[key]; ok {
		return out
	}
	var out []schemaProp
	seen := map[string]bool{}
	add := func(p schemaProp) {
		if name := p.member.Key.Name; !seen[name] {
			seen[name] = true
			out = append(out, p)
		}
	}
	if props := n.Get("properties"); props != nil && props.Kind == json5.Object {
		for _, m := range props.Members {
			add(schemaProp{member: m, owner: n})
		}
	}
	if all := n.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			for _, p := range w.props(b, depth+1) {
				add(p)
			}
		}
	}
	w.memo[key] = out
	return out
}

// schemaPropAt finds the property a dot path's segments name, or reports
// false with the number of segments that were found.
func schemaPropAt(root *json5.Node, segs []string) (schemaProp, int, bool) {
	cur := root
	var found schemaProp
	for i, seg := range segs {
		ok := false
		for _, p := range schemaProps(root, cur) {
			if p.member.Key.Name == seg {
				found, ok = p, true
				break
			}
		}
		if !ok {
			return schemaProp{}, i, false
		}
		cur = found.member.Value
	}
	return found, len(segs), len(segs) > 0
}

// required reports whether the property is listed in its owner's
// `required`.
func (p schemaProp) required() bool {
	req := p.owner.Get("required")
	if req == nil || req.Kind != json5.Array {
		return false
	}
	for _, e := range req.Elems() {
		if e.Kind == json5.String && e.Text == p.member.Key.Name {
			return true
		}
	}
	return false
}

// schemaType describes the type of schema node n: its `type` (or types),
// else what its keywords imply.
func schemaType(root, n *json5.Node) string {
	n = derefSchema(root, n)
	if n == nil || n.Kind != json5.Object {
		if n != nil && n.Kind == json5.Bool {
			return "any"
		}
		return ""
	}
	if t := n.Get("type"); t != nil {
		switch t.Kind {
		case json5.String:
			return t.Text
		case json5.Array:
			var names []string
			for _, e := range t.Elems() {
				if e.Kind == json5.String {
					names = append(names, e.Text)
				}
			}
			return strings.Join(names, " | ")
		}
	}
	switch {
	case n.Get("properties") != nil:
		return "object"
	case n.Get("enum") != nil:
		return "enum"
	case n.Get("const") != nil:
		return "const"
	}
	return ""
}

// schemaField returns keyword name of schema node n, looking through $ref
// when n itself does not have it.
func schemaField(root, n *json5.Node, name string) *json5.Node {
	if n == nil || n.Kind != json5.Object {
		return nil
	}
	if v := n.Get(name); v != nil {
		return v
	}
	if d := derefSchema(root, n); d != n && d != nil && d.Kind == json5.Object {
		return d.Get(name)
	}
	return nil
}
