package configschema

import (
	"errors"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Kinds are the kinds of value a schema admits, as Amber's config
// analysis tells them apart: null, an object, or anything else.
type Kinds struct {
	Null   bool // null
	Object bool // an object
	Other  bool // a string, number, boolean or array
}

// AnyKinds admits every kind of value.
var AnyKinds = Kinds{Null: true, Object: true, Other: true}

// MayBeNonNull reports whether a value of these kinds may be other than
// null.
func (k Kinds) MayBeNonNull() bool { return k.Object || k.Other }

// OnlyObject reports whether a value of these kinds must be a non-null
// object.
func (k Kinds) OnlyObject() bool { return k == Kinds{Object: true} }

// union is the kinds either admits.
func (k Kinds) union(o Kinds) Kinds {
	return Kinds{k.Null || o.Null, k.Object || o.Object, k.Other || o.Other}
}

// intersect is the kinds both admit.
func (k Kinds) intersect(o Kinds) Kinds {
	return Kinds{k.Null && o.Null, k.Object && o.Object, k.Other && o.Other}
}

// maxQuestionSteps bounds the schema nodes one question to a Reader
// visits: a schema whose `allOf` branches refer to each other can make a
// lookup or a `required` walk visit a node exponentially often.
const maxQuestionSteps = 1 << 14

var errPathNotFound = errors.New("schema path not found")

// A Reader answers the questions Amber's config analysis and config lints
// ask of one config_schema, the strict way Amber's schema functions answer
// them: every `$ref` met is followed and one that dangles, has an invalid
// escape or comes back into its own chain is an error, as is a `type`
// Amber does not know. (Lookup is the lenient reading that says Unknown
// instead.) Each question is bounded (maxQuestionSteps) and fails with a
// too-large error past it; the kinds of each node are remembered across
// questions, as they depend on the node alone. Not safe for concurrent
// use.
type Reader struct {
	root  *json5.Node
	steps int // left for the current question
	kinds map[*json5.Node]kindsEntry
}

// kindsEntry is what Reader.kinds found at a node, or that it is being
// worked out.
type kindsEntry struct {
	kinds   Kinds
	err     error
	pending bool
}

// NewReader returns a Reader of the schema root.
func NewReader(root *json5.Node) *Reader { return &Reader{root: root} }

// question starts a question: its budget is maxQuestionSteps.
func (r *Reader) question() { r.steps = maxQuestionSteps }

// step spends one step of the current question's budget.
func (r *Reader) step() error {
	if r.steps--; r.steps < 0 {
		return errTooLarge
	}
	return nil
}

// Kinds returns the kinds of value the schema admits at a dot path
// (Amber's schema_path_possible_kinds): the path's schema node (lookup),
// followed through its `$ref`s; an `enum` decides alone, else a `const`,
// else its `type` (any kind without one) intersected with the kinds of its
// `allOf` branches.
func (r *Reader) Kinds(path string) (Kinds, error) {
	r.question()
	_, k, err := r.pathKinds(splitPath(path))
	return k, err
}

// Required reports whether every segment of a dot path is required by the
// object schema above it (Amber's schema_path_is_required): at each level,
// the schemas the segment's property has (in `properties` and in `allOf`
// branches, through `$ref`s), and whether any of those places lists it in
// `required`. "" is required.
func (r *Reader) Required(path string) (bool, error) {
	r.question()
	segs := splitPath(path)
	if len(segs) == 0 {
		return true, nil
	}
	return r.required(segs)
}

// splitPath splits a dot path into its segments; none for "".
func splitPath(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(path, ".")
}

// deref follows the `$ref` chain that starts at s, failing where Amber's
// does: a reference that dangles, has an invalid escape or comes back to a
// node of the chain.
func (r *Reader) deref(s *json5.Node) (*json5.Node, error) {
	var seen map[*json5.Node]bool
	for s != nil && s.Kind == json5.Object {
		ref := s.Get("$ref")
		if ref == nil || ref.Kind != json5.String {
			return s, nil
		}
		if err := r.step(); err != nil {
			return nil, err
		}
		target, err := resolveStrict(r.root, ref.Text)
		if err != nil {
			return nil, err
		}
		if seen == nil {
			seen = map[*json5.Node]bool{}
		}
		if seen[target] {
			return nil, errCyclicRef
		}
		seen[target] = true
		s = target
	}
	return s, nil
}

// lookup returns the schema node of the property at the path segs (at
// least one) below s as Amber's strict lookup finds it
// (schema_lookup_ref): the node as written, not followed through its
// `$ref`. Each schema on the way is followed through its `$ref`s; a
// segment is looked up in `properties`, else in each `allOf` branch in
// turn; a property that may be an array cannot be descended into.
func (r *Reader) lookup(s *json5.Node, segs []string) (*json5.Node, error) {
	if err := r.step(); err != nil {
		return nil, err
	}
	s, err := r.deref(s)
	if err != nil {
		return nil, err
	}
	if child := s.Get("properties").Get(segs[0]); child != nil {
		if len(segs) == 1 {
			return child, nil
		}
		if typeIncludes(child, "array") {
			return nil, errors.New("cannot descend into array schema at segment " + strconv.Quote(segs[0]))
		}
		return r.lookup(child, segs[1:])
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			if n, err := r.lookup(b, segs); err == nil {
				return n, nil
			} else if err == errTooLarge {
				return nil, err
			}
		}
	}
	return nil, errPathNotFound
}

// pathKinds returns the schema node of a path (lookup; the root for none)
// and the kinds of value it admits.
func (r *Reader) pathKinds(segs []string) (*json5.Node, Kinds, error) {
	node := r.root
	if len(segs) > 0 {
		var err error
		if node, err = r.lookup(r.root, segs); err != nil {
			return nil, Kinds{}, err
		}
	}
	k, err := r.kindsOf(node)
	return node, k, err
}

// kindsOf returns the kinds of value schema node s admits, from what it
// remembers when it can. Amber's reading has no end when an `allOf`
// branch leads back to a node being read; that is errCyclicRef here.
func (r *Reader) kindsOf(s *json5.Node) (Kinds, error) {
	if e, ok := r.kinds[s]; ok {
		if e.pending {
			return Kinds{}, errCyclicRef
		}
		return e.kinds, e.err
	}
	if r.kinds == nil {
		r.kinds = map[*json5.Node]kindsEntry{}
	}
	r.kinds[s] = kindsEntry{pending: true}
	k, err := r.kindsAt(s)
	if err == errTooLarge {
		delete(r.kinds, s) // a later question, with a budget of its own, may finish it
		return Kinds{}, err
	}
	r.kinds[s] = kindsEntry{kinds: k, err: err}
	return k, err
}

// kindsAt is kindsOf, worked out at s.
func (r *Reader) kindsAt(s *json5.Node) (Kinds, error) {
	if err := r.step(); err != nil {
		return Kinds{}, err
	}
	s, err := r.deref(s)
	if err != nil {
		return Kinds{}, err
	}
	if s == nil || s.Kind != json5.Object {
		return AnyKinds, nil
	}
	if enum := s.Get("enum"); enum != nil && enum.Kind == json5.Array {
		var k Kinds
		for _, e := range enum.Elems() {
			k = k.union(kindOf(e))
		}
		return k, nil
	}
	if c := s.Get("const"); c != nil {
		return kindOf(c), nil
	}
	k := AnyKinds
	if t := s.Get("type"); t != nil {
		if k, err = typeKinds(t); err != nil {
			return Kinds{}, err
		}
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			bk, err := r.kindsOf(b)
			if err != nil {
				return Kinds{}, err
			}
			k = k.intersect(bk)
		}
	}
	return k, nil
}

// kindOf is the kind of a JSON value.
func kindOf(v *json5.Node) Kinds {
	switch v.Kind {
	case json5.Null:
		return Kinds{Null: true}
	case json5.Object:
		return Kinds{Object: true}
	}
	return Kinds{Other: true}
}

// typeKinds reads a `type` keyword as Amber does: a name it does not know,
// an array holding anything but strings, or a `type` that is neither a
// string nor an array is an error. (The meta-schema check rejects all
// three before a schema is linked.)
func typeKinds(t *json5.Node) (Kinds, error) {
	one := func(n *json5.Node) (Kinds, error) {
		switch n.Text {
		case "null":
			return Kinds{Null: true}, nil
		case "object":
			return Kinds{Object: true}, nil
		case "string", "boolean", "number", "integer", "array":
			return Kinds{Other: true}, nil
		}
		return Kinds{}, errors.New("unsupported config_schema type " + strconv.Quote(n.Text))
	}
	switch t.Kind {
	case json5.String:
		return one(t)
	case json5.Array:
		var k Kinds
		for _, e := range t.Elems() {
			if e.Kind != json5.String {
				return Kinds{}, errors.New("config_schema type array must contain only strings")
			}
			ek, err := one(e)
			if err != nil {
				return Kinds{}, err
			}
			k = k.union(ek)
		}
		return k, nil
	}
	return Kinds{}, errors.New("config_schema `type` must be a string or string array")
}

// required is Required for the path segs (at least one).
func (r *Reader) required(segs []string) (bool, error) {
	schemas := []*json5.Node{r.root}
	required := true
	for i, seg := range segs {
		var children []*json5.Node
		listed := false
		for _, s := range schemas {
			c, l, err := r.requiredChildren(s, seg, children)
			if err != nil {
				return false, err
			}
			children, listed = c, listed || l
		}
		if len(children) == 0 {
			return false, errPathNotFound
		}
		required = required && listed
		if i == len(segs)-1 {
			break
		}
		for _, c := range children {
			if typeIncludes(c, "array") {
				return false, errors.New("cannot descend into array schema at segment " + strconv.Quote(seg))
			}
		}
		schemas = children
	}
	return required, nil
}

// requiredChildren appends to out the schemas property seg has in schema
// s (its `properties`, then its `allOf` branches, through `$ref`s) and
// reports whether one of those places lists seg in `required`.
func (r *Reader) requiredChildren(s *json5.Node, seg string, out []*json5.Node) ([]*json5.Node, bool, error) {
	if err := r.step(); err != nil {
		return out, false, err
	}
	s, err := r.deref(s)
	if err != nil {
		return out, false, err
	}
	listed := ListsRequired(s, seg)
	if child := s.Get("properties").Get(seg); child != nil {
		out = append(out, child)
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			var l bool
			if out, l, err = r.requiredChildren(b, seg, out); err != nil {
				return out, false, err
			}
			listed = listed || l
		}
	}
	return out, listed, nil
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
