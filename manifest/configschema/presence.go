package configschema

import (
	"errors"
	"sort"
	"strconv"
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

// maxPresenceSteps bounds the schema nodes one Presences.Of visits: a
// schema whose `allOf` branches refer to each other can make the walks
// below visit a node exponentially often, or forever through a cycle.
const maxPresenceSteps = 1 << 14

var errPathNotFound = errors.New("schema path not found")

// Presences answers presence questions about the config paths of one
// schema (spec 11.10), as Amber's config lints compute them, sharing the
// schema's merged defaults and its leaves between the questions. Not safe
// for concurrent use.
type Presences struct {
	root        *json5.Node
	defaults    any   // Defaults(root)
	defaulted   bool  // whether defaults holds a value
	defaultsErr error // why Defaults failed
	steps       int   // left for the current question

	leaves    []requiredLeaf // the schema's leaves in path order, once computed
	leavesErr error          // why Amber could not list them
	listed    bool           // leaves and leavesErr are computed
}

// requiredLeaf is a leaf path and whether Amber's schema walk finds it
// required all the way from the root.
type requiredLeaf struct {
	path     string
	required bool
}

// kinds are the kinds of value a schema admits.
type kinds struct {
	null, object, other bool
}

var anyKinds = kinds{null: true, object: true, other: true}

func (k kinds) mayBeNonNull() bool { return k.object || k.other }

func (k kinds) intersect(o kinds) kinds {
	return kinds{k.null && o.null, k.object && o.object, k.other && o.other}
}

// NewPresences prepares the presence questions of schema root.
func NewPresences(root *json5.Node) *Presences {
	p := &Presences{root: root}
	p.defaults, p.defaulted, p.defaultsErr = Defaults(root)
	return p
}

// Of computes whether the value at a dot path is guaranteed to be set, as
// Amber does (spec 11.10): a path the lookup cannot tell about is Runtime,
// one it does not find Absent; otherwise the path's default in the merged
// defaults (Defaults) decides, then whether it is required (through
// `allOf` branches too), then whether its schema admits null or something
// else, from its `enum`, `const`, `type` and `allOf`; a Present path is
// Runtime unless every proper ancestor must be a non-null object. A path
// with neither a default nor `properties` and `required` takes the best
// presence of the leaves at or below it.
//
// The error is where Amber's computation fails: a `$ref` met on the way is
// cyclic, dangles or has an invalid escape (the merged defaults take every
// `$ref` of the schema, so then every question fails), a path through a
// property that may be an array, or a schema too large to walk. Amber's
// lints then treat the path as not optional.
func (p *Presences) Of(path string) (Presence, error) {
	if path == "" {
		return Present, nil
	}
	switch outcome, _, _ := Lookup(p.root, path); outcome {
	case Unknown:
		return Runtime, nil
	case Missing:
		return Absent, nil
	}
	if p.defaultsErr != nil {
		return Runtime, p.defaultsErr
	}
	p.steps = maxPresenceSteps
	segs := strings.Split(path, ".")
	node, k, err := p.pathKinds(segs)
	if err != nil {
		return Runtime, err
	}
	if def, ok := p.defaultAt(segs); ok {
		return p.downgrade(segs, valuePresence(def, true, false, k))
	}
	if props := node.Get("properties"); props != nil && props.Kind == json5.Object {
		req, err := p.required(segs)
		if err != nil {
			return Runtime, err
		}
		if req {
			return p.downgrade(segs, valuePresence(nil, false, true, k))
		}
	}
	leaves, err := p.requiredLeaves()
	if err != nil {
		return Runtime, err
	}
	sawPresent, sawRuntime := false, false
	// The paths that start with path are together in path order.
	for i := sort.Search(len(leaves), func(i int) bool { return leaves[i].path >= path }); i < len(leaves) && strings.HasPrefix(leaves[i].path, path); i++ {
		l := leaves[i]
		if l.path != path && !strings.HasPrefix(l.path, path+".") {
			continue
		}
		presence, err := p.leafPresence(l)
		if err != nil {
			return Runtime, err
		}
		sawPresent = sawPresent || presence == Present
		sawRuntime = sawRuntime || presence == Runtime
	}
	switch {
	case sawPresent:
		return Present, nil
	case sawRuntime:
		return Runtime, nil
	}
	return Absent, nil
}

// leafPresence is the presence of one leaf from its default, its required
// flag and its kinds.
func (p *Presences) leafPresence(l requiredLeaf) (Presence, error) {
	segs := strings.Split(l.path, ".")
	_, k, err := p.pathKinds(segs)
	if err != nil {
		return Runtime, err
	}
	def, defaulted := p.defaultAt(segs)
	return p.downgrade(segs, valuePresence(def, defaulted, l.required, k))
}

// valuePresence decides from a path's default (defaulted: it has one),
// whether it is required and the kinds of value its schema admits.
func valuePresence(def any, defaulted, required bool, k kinds) Presence {
	switch {
	case defaulted && def == nil, !defaulted && !required:
		if k.mayBeNonNull() {
			return Runtime
		}
		return Absent
	case k.null:
		return Runtime
	}
	return Present
}

// downgrade turns Present into Runtime unless every proper ancestor of the
// path must be a non-null object.
func (p *Presences) downgrade(segs []string, presence Presence) (Presence, error) {
	if presence != Present {
		return presence, nil
	}
	for i := 1; i < len(segs); i++ {
		_, k, err := p.pathKinds(segs[:i])
		if err != nil {
			return Runtime, err
		}
		if k != (kinds{object: true}) {
			return Runtime, nil
		}
	}
	return Present, nil
}

// defaultAt returns the value the schema's merged defaults give a path.
func (p *Presences) defaultAt(segs []string) (any, bool) {
	if !p.defaulted {
		return nil, false
	}
	return valueAt(p.defaults, segs)
}

// pathKinds returns the schema node of a path (lookup) and the kinds of
// value it admits.
func (p *Presences) pathKinds(segs []string) (*json5.Node, kinds, error) {
	node, err := p.lookup(p.root, segs)
	if err != nil {
		return nil, kinds{}, err
	}
	k, err := p.kinds(node)
	return node, k, err
}

// step spends one step of the current question's budget.
func (p *Presences) step() error {
	if p.steps--; p.steps < 0 {
		return errTooLarge
	}
	return nil
}

// deref follows the `$ref` chain that starts at s, failing where Amber's
// does: a reference that dangles, has an invalid escape or comes back to a
// node of the chain.
func (p *Presences) deref(s *json5.Node) (*json5.Node, error) {
	var seen map[*json5.Node]bool
	for s != nil && s.Kind == json5.Object {
		ref := s.Get("$ref")
		if ref == nil || ref.Kind != json5.String {
			return s, nil
		}
		if err := p.step(); err != nil {
			return nil, err
		}
		target, err := resolveStrict(p.root, ref.Text)
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

// lookup returns the schema node of the property at path segs below s as
// Amber's strict lookup finds it (the node as written, not followed
// through its `$ref`): each schema on the way is followed through its
// `$ref`s; a segment is looked up in `properties`, else in each `allOf`
// branch in turn; a property that may be an array cannot be descended
// into.
func (p *Presences) lookup(s *json5.Node, segs []string) (*json5.Node, error) {
	if err := p.step(); err != nil {
		return nil, err
	}
	s, err := p.deref(s)
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
		return p.lookup(child, segs[1:])
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			if n, err := p.lookup(b, segs); err == nil {
				return n, nil
			} else if err == errTooLarge {
				return nil, err
			}
		}
	}
	return nil, errPathNotFound
}

// kinds returns the kinds of value schema node s admits, as Amber reads
// them: an `enum` decides alone, else a `const`, else its `type` (any
// kind without one) intersected with those of its `allOf` branches.
func (p *Presences) kinds(s *json5.Node) (kinds, error) {
	if err := p.step(); err != nil {
		return kinds{}, err
	}
	s, err := p.deref(s)
	if err != nil {
		return kinds{}, err
	}
	if s == nil || s.Kind != json5.Object {
		return anyKinds, nil
	}
	if enum := s.Get("enum"); enum != nil && enum.Kind == json5.Array {
		var k kinds
		for _, e := range enum.Elems() {
			k = k.union(kindOf(e))
		}
		return k, nil
	}
	if c := s.Get("const"); c != nil {
		return kindOf(c), nil
	}
	k := anyKinds
	if t := s.Get("type"); t != nil {
		if k, err = typeKinds(t); err != nil {
			return kinds{}, err
		}
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			bk, err := p.kinds(b)
			if err != nil {
				return kinds{}, err
			}
			k = k.intersect(bk)
		}
	}
	return k, nil
}

func (k kinds) union(o kinds) kinds {
	return kinds{k.null || o.null, k.object || o.object, k.other || o.other}
}

// kindOf is the kind of a JSON value.
func kindOf(v *json5.Node) kinds {
	switch v.Kind {
	case json5.Null:
		return kinds{null: true}
	case json5.Object:
		return kinds{object: true}
	}
	return kinds{other: true}
}

// typeKinds reads a `type` keyword; Amber fails on a name it does not know
// or a `type` that is neither a string nor an array of them.
func typeKinds(t *json5.Node) (kinds, error) {
	one := func(n *json5.Node) (kinds, error) {
		if n.Kind == json5.String {
			switch n.Text {
			case "null":
				return kinds{null: true}, nil
			case "object":
				return kinds{object: true}, nil
			case "string", "boolean", "number", "integer", "array":
				return kinds{other: true}, nil
			}
		}
		return kinds{}, errors.New("unsupported config_schema type")
	}
	if t.Kind != json5.Array {
		return one(t)
	}
	var k kinds
	for _, e := range t.Elems() {
		ek, err := one(e)
		if err != nil {
			return kinds{}, err
		}
		k = k.union(ek)
	}
	return k, nil
}

// required reports whether every segment of the path is required by the
// object schema above it, as Amber reads `required`: at each level, the
// schemas the segment's property has (in `properties` and in `allOf`
// branches, through `$ref`s) and whether any of those places lists it.
func (p *Presences) required(segs []string) (bool, error) {
	schemas := []*json5.Node{p.root}
	required := true
	for i, seg := range segs {
		var children []*json5.Node
		listed := false
		for _, s := range schemas {
			c, l, err := p.requiredChildren(s, seg, children)
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
func (p *Presences) requiredChildren(s *json5.Node, seg string, out []*json5.Node) ([]*json5.Node, bool, error) {
	if err := p.step(); err != nil {
		return out, false, err
	}
	s, err := p.deref(s)
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
			if out, l, err = p.requiredChildren(b, seg, out); err != nil {
				return out, false, err
			}
			listed = listed || l
		}
	}
	return out, listed, nil
}

// requiredLeaves returns the schema's leaves with whether each is
// required, or why Amber's strict listing of them fails: a `$ref` the
// walk cannot follow (a reason the lenient walk reports, spec 11.9), or a
// leaf whose `required` cannot be read.
func (p *Presences) requiredLeaves() ([]requiredLeaf, error) {
	if p.listed {
		return p.leaves, p.leavesErr
	}
	p.listed = true
	defer func(steps int) { p.steps = steps }(p.steps)
	leaves, reasons := Leaves(p.root)
	if len(reasons) > 0 {
		p.leavesErr = errors.New(reasons[0])
		return nil, p.leavesErr
	}
	out := make([]requiredLeaf, len(leaves))
	for i, l := range leaves {
		p.steps = maxPresenceSteps
		req, err := p.required(strings.Split(l.Path, "."))
		if err != nil {
			p.leavesErr = err
			return nil, err
		}
		out[i] = requiredLeaf{path: l.Path, required: req}
	}
	p.leaves = out
	return out, nil
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
