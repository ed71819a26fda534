package configschema

import (
	"errors"
	"sort"
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
// schema (spec 11.10), as Amber's config lints compute them, sharing the
// schema's merged defaults and its leaves between the questions. Not safe
// for concurrent use.
type Presences struct {
	root     *json5.Node
	r        *Reader        // asks the strict questions; one budget per question
	defaults SchemaDefaults // DefaultsOf(root)

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

// NewPresences prepares the presence questions of schema root.
func NewPresences(root *json5.Node) *Presences {
	return &Presences{root: root, r: NewReader(root), defaults: DefaultsOf(root)}
}

// Of computes whether the value at a dot path is guaranteed to be set, as
// Amber does (spec 11.10): a path the lookup cannot tell about is Runtime,
// one it does not find Absent; otherwise the path's default in the merged
// defaults (DefaultsOf) decides, then whether it is required (through
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
	if err := p.defaults.Problem(); err != nil {
		return Runtime, err
	}
	p.r.question()
	segs := strings.Split(path, ".")
	node, k, err := p.r.pathKinds(segs)
	if err != nil {
		return Runtime, err
	}
	if def, ok := valueAt(p.defaults.Value, segs); ok {
		return p.downgrade(segs, valuePresence(def, true, false, k))
	}
	if props := node.Get("properties"); props != nil && props.Kind == json5.Object {
		req, err := p.r.required(segs)
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
	_, k, err := p.r.pathKinds(segs)
	if err != nil {
		return Runtime, err
	}
	def, defaulted := valueAt(p.defaults.Value, segs)
	return p.downgrade(segs, valuePresence(def, defaulted, l.required, k))
}

// valuePresence decides from a path's default (defaulted: it has one),
// whether it is required and the kinds of value its schema admits.
func valuePresence(def any, defaulted, required bool, k Kinds) Presence {
	switch {
	case defaulted && def == nil, !defaulted && !required:
		if k.MayBeNonNull() {
			return Runtime
		}
		return Absent
	case k.Null:
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
		_, k, err := p.r.pathKinds(segs[:i])
		if err != nil {
			return Runtime, err
		}
		if !k.OnlyObject() {
			return Runtime, nil
		}
	}
	return Present, nil
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
	defer func(steps int) { p.r.steps = steps }(p.r.steps)
	leaves, reasons := Leaves(p.root)
	if len(reasons) > 0 {
		p.leavesErr = errors.New(reasons[0])
		return nil, p.leavesErr
	}
	out := make([]requiredLeaf, len(leaves))
	for i, l := range leaves {
		p.r.question()
		req, err := p.r.required(strings.Split(l.Path, "."))
		if err != nil {
			p.leavesErr = err
			return nil, err
		}
		out[i] = requiredLeaf{path: l.Path, required: req}
	}
	p.leaves = out
	return out, nil
}
