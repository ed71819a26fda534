package configschema

import (
	"strings"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Presence says whether a config value is guaranteed to be there at run time.
type Presence int

// Presence values.
const (
	Present Presence = iota // always there and non-null
	Runtime                 // depends on the config given at run time
	Absent                  // never there
)

// PresenceOf computes whether the leaf at a dot path is guaranteed to be set
// (spec 11.10). Optional means anything but Present.
func PresenceOf(root *json5.Node, path string) Presence {
	outcome, node, _ := Lookup(root, path)
	switch outcome {
	case Unknown:
		return Runtime
	case Missing:
		return Absent
	}
	segs := strings.Split(path, ".")
	allowsNull, mayBeNonNull := nullability(root, node, 0)
	var result Presence
	if def, ok := defaultFor(root, segs); ok {
		switch {
		case def.Kind == json5.Null && mayBeNonNull:
			result = Runtime
		case def.Kind == json5.Null:
			result = Absent
		case allowsNull:
			result = Runtime
		default:
			result = Present
		}
	} else if required(root, segs) {
		if allowsNull {
			result = Runtime
		} else {
			result = Present
		}
	} else if mayBeNonNull {
		result = Runtime
	} else {
		result = Absent
	}
	if result == Present && !ancestorsAreObjects(root, segs) {
		result = Runtime
	}
	return result
}

// nullability reports whether a schema node allows null and whether it
// allows something else, from its enum, const and type, intersected with
// those of its `allOf` branches (followed through refs, to MaxDepth).
func nullability(root, n *json5.Node, depth int) (allowsNull, mayBeNonNull bool) {
	allowsNull, mayBeNonNull = ownNullability(n)
	if all := n.Get("allOf"); all != nil && all.Kind == json5.Array && depth < MaxDepth {
		for _, b := range all.Elems() {
			if b = Deref(root, b); b != nil && b.Kind == json5.Object {
				null, other := nullability(root, b, depth+1)
				allowsNull, mayBeNonNull = allowsNull && null, mayBeNonNull && other
			}
		}
	}
	return allowsNull, mayBeNonNull
}

// ownNullability is nullability from the node's own keywords.
func ownNullability(n *json5.Node) (allowsNull, mayBeNonNull bool) {
	enum, hasConst, types := n.Get("enum"), n.Get("const"), typeNames(n)
	if enum == nil && hasConst == nil && n.Get("type") == nil {
		return true, true
	}
	allowsNull, mayBeNonNull = true, true
	if enum != nil && enum.Kind == json5.Array {
		null, other := false, false
		for _, e := range enum.Elems() {
			if e.Kind == json5.Null {
				null = true
			} else {
				other = true
			}
		}
		allowsNull, mayBeNonNull = allowsNull && null, mayBeNonNull && other
	}
	if hasConst != nil {
		isNull := hasConst.Kind == json5.Null
		allowsNull, mayBeNonNull = allowsNull && isNull, mayBeNonNull && !isNull
	}
	if n.Get("type") != nil {
		null, other := false, false
		for _, t := range types {
			if t == "null" {
				null = true
			} else {
				other = true
			}
		}
		allowsNull, mayBeNonNull = allowsNull && null, mayBeNonNull && other
	}
	return allowsNull, mayBeNonNull
}

// defaultFor returns the default value at a path: the deepest `default` of a
// property on the path, with defaults of enclosing objects contributing
// their members.
func defaultFor(root *json5.Node, segs []string) (*json5.Node, bool) {
	var cur *json5.Node
	if d := root.Get("default"); d != nil {
		cur = d
	}
	s := root
	for _, seg := range segs {
		if cur != nil {
			cur = cur.Get(seg)
		}
		s = property(root, s, seg)
		if s == nil {
			break
		}
		if d := s.Get("default"); d != nil {
			cur = d
		}
	}
	return cur, cur != nil
}

// property returns the schema of property seg of schema s, following refs.
func property(root, s *json5.Node, seg string) *json5.Node {
	s = Deref(root, s)
	if s == nil {
		return nil
	}
	return Deref(root, s.Get("properties").Get(seg))
}

// required reports whether every segment of the path is listed in the
// `required` of its parent object.
func required(root *json5.Node, segs []string) bool {
	s := Deref(root, root)
	for _, seg := range segs {
		if s == nil || !ListsRequired(s, seg) {
			return false
		}
		s = property(root, s, seg)
	}
	return true
}

// ListsRequired reports whether the object schema s lists name in its
// `required` array.
func ListsRequired(s *json5.Node, name string) bool {
	req := s.Get("required")
	if req == nil || req.Kind != json5.Array {
		return false
	}
	for _, e := range req.Elems() {
		if e.Kind == json5.String && e.Text == name {
			return true
		}
	}
	return false
}

// ancestorsAreObjects reports whether every proper ancestor of the path is
// declared exactly as an object.
func ancestorsAreObjects(root *json5.Node, segs []string) bool {
	s := Deref(root, root)
	for _, seg := range segs[:len(segs)-1] {
		s = property(root, s, seg)
		if s == nil {
			return false
		}
		if t := typeNames(s); len(t) != 1 || t[0] != "object" {
			return false
		}
	}
	return true
}
