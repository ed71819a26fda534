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

// Presences answers presence questions about the config paths of one
// schema (spec 11.10), computing what they share once.
type Presences struct {
	root      *json5.Node
	defaults  any  // Defaults(root)
	defaulted bool // whether defaults holds a value
}

// NewPresences prepares the presence questions of schema root.
func NewPresences(root *json5.Node) *Presences {
	p := &Presences{root: root}
	p.defaults, p.defaulted, _ = Defaults(root)
	return p
}

// Of computes whether the leaf at a dot path is guaranteed to be set
// (spec 11.10). Optional means anything but Present.
func (p *Presences) Of(path string) (Presence, error) {
	root := p.root
	outcome, node, _ := Lookup(root, path)
	switch outcome {
	case Unknown:
		return Runtime, nil
	case Missing:
		return Absent, nil
	}
	segs := strings.Split(path, ".")
	allowsNull, mayBeNonNull := nullability(root, node, 0)
	var result Presence
	if def, ok := p.defaultAt(segs); ok {
		switch {
		case def == nil && mayBeNonNull:
			result = Runtime
		case def == nil:
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
	return result, nil
}

// defaultAt returns the value the schema's merged defaults give a path.
func (p *Presences) defaultAt(segs []string) (any, bool) {
	if !p.defaulted {
		return nil, false
	}
	return valueAt(p.defaults, segs)
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
