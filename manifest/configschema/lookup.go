package configschema

import (
	"sort"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/internal/visitset"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Outcome is the result of looking a config path up in a schema.
type Outcome int

// Lookup outcomes.
const (
	Found   Outcome = iota // the path exists
	Unknown                // the schema cannot tell (unsupported keywords, refs, open objects)
	Missing                // the path does not exist
)

// Lookup looks a dot-separated config path up in a schema (spec 8.5). For a
// Missing path it returns Amber's failure text; for Found the schema node of
// the path's last segment (the root for an empty path).
func Lookup(root *json5.Node, path string) (Outcome, *json5.Node, string) {
	return lookupPath(root, path, false)
}

// LookupAsWritten is Lookup, but the node of a Found path is its last
// property's sub-schema as the schema writes it, as Amber's
// schema_lookup_ref gives it: a `$ref` met on the way is followed, the
// leaf's own is not, and the leaf may be a boolean schema.
func LookupAsWritten(root *json5.Node, path string) (Outcome, *json5.Node, string) {
	return lookupPath(root, path, true)
}

func lookupPath(root *json5.Node, path string, asWritten bool) (Outcome, *json5.Node, string) {
	if path == "" {
		return Found, root, ""
	}
	segs := strings.Split(path, ".")
	for _, s := range segs {
		if s == "" {
			return Missing, nil, "invalid config path " + strconv.Quote(path) + ": empty segment"
		}
		if !IsValidKey(s) {
			return Missing, nil, "invalid config path segment " + strconv.Quote(s) + " in " + strconv.Quote(path)
		}
	}
	l := &lookup{root: root, path: path, asWritten: asWritten, gate: MemoGate{Root: root},
		budget: Budget{Root: root, Base: 1 << 10, PerNode: len(segs) + 1}}
	return l.find(root, segs, map[*json5.Node]bool{})
}

type lookup struct {
	root *json5.Node
	path string
	// asWritten: a Found path gives its last property as written
	// (LookupAsWritten).
	asWritten bool
	gate      MemoGate
	memo      map[lookupKey]lookupResult // what find gave, once the gate allows
	// budget bounds the calls of find that are not remembered: a lookup
	// that runs out (its schema has a reference cycle whose targets being
	// expanded, which it remembers by, differ on every way to a node)
	// gives Unknown.
	budget Budget
	// sets names the chains of `$ref` targets being expanded; set is the
	// current one (the keys of find's visiting).
	sets visitset.Sets[*json5.Node]
	set  visitset.ID
}

// lookupKey is a call of find: a schema node, how many segments are left
// (the path's last ones) and, in a schema with a reference cycle, the
// targets being expanded.
type lookupKey struct {
	node     *json5.Node
	segs     int
	visiting visitset.ID
}

type lookupResult struct {
	outcome Outcome
	node    *json5.Node
	failure string
}

// find resolves segs below schema node s, from what it remembers when it
// can.
func (l *lookup) find(s *json5.Node, segs []string, visiting map[*json5.Node]bool) (Outcome, *json5.Node, string) {
	if s == nil || s.Kind != json5.Object {
		return Unknown, nil, ""
	}
	if !l.gate.Remember() {
		if !l.budget.Spend() {
			return Unknown, nil, ""
		}
		return l.findIn(s, segs, visiting)
	}
	key := lookupKey{s, len(segs), visitset.Empty}
	if l.gate.Cyclic() {
		key.visiting = l.set
	}
	if r, ok := l.memo[key]; ok {
		return r.outcome, r.node, r.failure
	}
	if !l.budget.Spend() {
		return Unknown, nil, ""
	}
	o, n, f := l.findIn(s, segs, visiting)
	if l.memo == nil {
		l.memo = map[lookupKey]lookupResult{}
	}
	l.memo[key] = lookupResult{o, n, f}
	return o, n, f
}

// findIn is find at the schema object s.
func (l *lookup) findIn(s *json5.Node, segs []string, visiting map[*json5.Node]bool) (Outcome, *json5.Node, string) {
	if ref := s.Get("$ref"); ref != nil {
		target, ok := Resolve(l.root, ref.Text)
		if !ok || ref.Kind != json5.String || !ValidRefEscapes(ref.Text) || visiting[target] {
			return Unknown, nil, ""
		}
		visiting[target] = true
		outer := l.set
		l.set = l.sets.With(outer, target)
		defer func() { delete(visiting, target); l.set = outer }()
		return l.find(target, segs, visiting)
	}
	if len(segs) == 0 {
		return Found, s, ""
	}
	seg := segs[0]
	unknown := false
	var failure string
	record := func(o Outcome, n *json5.Node, f string) (*json5.Node, bool) {
		switch o {
		case Found:
			return n, true
		case Unknown:
			unknown = true
		default:
			if failure == "" {
				failure = f
			}
		}
		return nil, false
	}
	props := s.Get("properties")
	if props != nil && props.Kind == json5.Object {
		if child := props.Get(seg); child != nil {
			if len(segs) == 1 && l.asWritten {
				return Found, child, ""
			}
			if len(segs) > 1 && typeIncludes(child, "array") {
				return Missing, nil, "invalid config path " + strconv.Quote(l.path) + ": cannot descend into array at segment " + strconv.Quote(seg)
			}
			if n, ok := record(l.find(child, segs[1:], visiting)); ok {
				return Found, n, ""
			}
		} else {
			record(Missing, nil, "config path "+strconv.Quote(l.path)+" not found (unknown key "+strconv.Quote(seg)+")")
		}
	} else {
		record(Missing, nil, "config path "+strconv.Quote(l.path)+" not found (schema has no properties at segment "+strconv.Quote(seg)+")")
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			if n, ok := record(l.find(b, segs, visiting)); ok {
				return Found, n, ""
			}
		}
	}
	for _, kw := range []string{"anyOf", "oneOf", "if", "then", "else"} {
		branches := []*json5.Node{s.Get(kw)}
		if b := s.Get(kw); b != nil && b.Kind == json5.Array {
			branches = b.Elems()
		}
		for _, b := range branches {
			if b == nil {
				continue
			}
			if o, _, _ := l.find(b, segs, visiting); o != Missing {
				unknown = true
			}
		}
	}
	if ap := s.Get("additionalProperties"); ap != nil && ap.Kind != json5.Bool {
		unknown = true
	}
	for _, kw := range []string{"patternProperties", "not", "dependentSchemas", "unevaluatedProperties"} {
		if s.Get(kw) != nil {
			unknown = true
		}
	}
	if unknown {
		return Unknown, nil, ""
	}
	if failure == "" {
		failure = "config path " + strconv.Quote(l.path) + " not found"
	}
	return Missing, nil, failure
}

// typeIncludes reports whether a schema's `type` is or contains name.
func typeIncludes(s *json5.Node, name string) bool {
	for _, t := range typeNames(s) {
		if t == name {
			return true
		}
	}
	return false
}

// typeNames returns the names in a schema's `type`.
func typeNames(s *json5.Node) []string {
	t := s.Get("type")
	if t == nil {
		return nil
	}
	if t.Kind == json5.String {
		return []string{t.Text}
	}
	var out []string
	for _, e := range t.Elems() {
		if e.Kind == json5.String {
			out = append(out, e.Text)
		}
	}
	return out
}

// Leaf is a config property that has no sub-properties.
type Leaf struct {
	Path string      // dot path from the root
	Node *json5.Node // the schema node where the leaf was found
}

// Leaves walks the schema (spec 11.8) and returns its leaves in path order,
// plus the distinct reasons, sorted, why the walk was incomplete (11.9).
// A path met more than once (a property in several `allOf` branches, or
// in `properties` and in a branch) is one leaf, whose Node is where the
// walk met it first, as in Amber's leaf collection.
func Leaves(root *json5.Node) ([]Leaf, []string) {
	w := &leafWalker{root: root, reasons: map[string]bool{}, seen: map[string]bool{}, gate: MemoGate{Root: root}}
	w.walk(root, "", map[*json5.Node]bool{})
	sort.SliceStable(w.leaves, func(i, j int) bool { return w.leaves[i].Path < w.leaves[j].Path })
	reasons := make([]string, 0, len(w.reasons))
	for r := range w.reasons {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	return w.leaves, reasons
}

// maxLeafSteps bounds the schema nodes one Leaves walk visits: definitions
// that refer to each other many times over (`d0: { allOf: [{ $ref: d1 },
// { $ref: d1 }] }`, d1 likewise, ...) make the walk visit a node
// exponentially often. A visit that repeats one made at the same path
// (with the same `$ref` targets being expanded, where they count) finds
// nothing new and is skipped, but the paths themselves can be that many
// (properties that take one definition twice over). Amber's walk has no
// bound; past this one the walk stops with ReasonTooLarge.
const maxLeafSteps = 1 << 16

// ReasonTooLarge is the reason Leaves gives when it stops at maxLeafSteps.
const ReasonTooLarge = "config definition is too large to walk"

type leafWalker struct {
	root    *json5.Node
	leaves  []Leaf
	reasons map[string]bool
	seen    map[string]bool // the paths in leaves
	steps   int

	gate MemoGate
	done map[leafVisit]bool // the visits made, once the gate allows
	sets visitset.Sets[*json5.Node]
	set  visitset.ID // the targets being expanded (walk's visiting)
}

// leafVisit is a call of walk: a node, a path and, in a schema with a
// reference cycle, the targets being expanded.
type leafVisit struct {
	node     *json5.Node
	path     string
	visiting visitset.ID
}

func (w *leafWalker) walk(s *json5.Node, path string, visiting map[*json5.Node]bool) {
	if w.gate.Remember() {
		v := leafVisit{s, path, visitset.Empty}
		if w.gate.Cyclic() {
			v.visiting = w.set
		}
		if w.done[v] {
			return
		}
		if w.done == nil {
			w.done = map[leafVisit]bool{}
		}
		w.done[v] = true
	}
	if w.steps++; w.steps > maxLeafSteps {
		w.reasons[ReasonTooLarge] = true
		return
	}
	if s.Kind == json5.Object {
		if ref := s.Get("$ref"); ref != nil && ref.Kind == json5.String {
			target, ok := Resolve(w.root, ref.Text)
			switch {
			case !ValidRefEscapes(ref.Text):
				w.reasons["invalid $ref pointer "+strconv.Quote(ref.Text)+": non-RFC6901 escape sequence"] = true
				w.leaf(path, s)
				return
			case !ok:
				w.reasons["unresolvable $ref pointer "+strconv.Quote(ref.Text)] = true
				w.leaf(path, s)
				return
			case visiting[target]:
				w.reasons["config definition contains a cyclic $ref"] = true
				return
			}
			visiting[target] = true
			outer := w.set
			w.set = w.sets.With(outer, target)
			w.walk(target, path, visiting)
			delete(visiting, target)
			w.set = outer
			return
		}
	}
	recursed := false
	if s.Kind == json5.Object {
		if props := s.Get("properties"); props != nil && props.Kind == json5.Object && len(props.Members) > 0 {
			for _, m := range sortedMembers(props) {
				recursed = true
				child := m.Key.Name
				if path != "" {
					child = path + "." + child
				}
				w.walk(m.Value, child, visiting)
			}
		}
		if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
			for _, b := range all.Elems() {
				recursed = true
				w.walk(b, path, visiting)
			}
		}
	}
	if !recursed && path != "" {
		w.leaf(path, s)
	}
}

func (w *leafWalker) leaf(path string, n *json5.Node) {
	if path == "" || w.seen[path] {
		return
	}
	w.seen[path] = true
	w.leaves = append(w.leaves, Leaf{Path: path, Node: n})
}
