package config

import (
	"maps"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/internal/visitset"
	"github.com/amberlsp/amber-lsp/linker/program"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Schemas are what static rendering consults besides a component's
// template when a config path leads into runtime root config: the
// component's own schema, whose defaults stand in for a value the root
// leaves out, and the root's schema, which says what a runtime root value
// can be.
type Schemas struct {
	// Component and Root are the `config_schema` values of the component
	// and of the root; nil when the manifest declares none.
	Component, Root *json5.Node
	// Defaults, when set, keeps what each schema's defaults give, across
	// the questions asked with it (one per link: the root's schema is
	// asked about for every component).
	Defaults *Defaults
}

// Defaults keeps, for each schema asked about, the value its defaults
// give a config that leaves everything out, so that it is computed once
// per schema however many paths are looked up in it. The zero value is
// ready to use; it is not safe for concurrent use.
type Defaults struct {
	m map[*json5.Node]schemaDefaults
}

// schemaDefaults is what a schema's defaults give, when known.
type schemaDefaults struct {
	value any
	known bool // false: the schema is too large to walk (maxDefaultSteps)
}

// of returns the defaults of schema, from d when d has them.
func (d *Defaults) of(schema *json5.Node) schemaDefaults {
	if d != nil {
		if v, ok := d.m[schema]; ok {
			return v
		}
	}
	w := &defaultsWalk{root: schema, visiting: map[*json5.Node]bool{}}
	v, _ := w.fill(schema, map[string]any{}, true)
	out := schemaDefaults{value: v, known: !w.tooLarge}
	if d != nil {
		if d.m == nil {
			d.m = map[*json5.Node]schemaDefaults{}
		}
		d.m[schema] = out
	}
	return out
}

// Analyze says what config path q ("" = the whole config) of a component
// can hold when its program runs (Amber's analysis of a config query),
// from its composed template t and the schemas s: a value the template
// fixes; for a path the template leaves out, the component's schema
// default (or nothing); for a path the template forwards from runtime root
// config, every value the root config can give it (see throughRoot); and
// Unknown for a value the template builds from runtime root config in
// another way (a string template, an object holding a reference).
func Analyze(t *Template, s Schemas, q string) program.Outcomes {
	if rootPath, suffix, ok := forwardedRef(t, q); ok {
		if t.Kind == Root && s.Root == nil {
			return program.Outcomes{Unknown: true}
		}
		return throughRoot(s, q, rootPath, suffix, t.Kind == Root)
	}
	n, reason := walk(t, q)
	if reason != "" {
		return omitted(s, q)
	}
	if v, ok := materialise(n); ok {
		return program.StaticOutcomes(v)
	}
	return program.Outcomes{Unknown: true}
}

// omitted are the outcomes of a path the config leaves out: the
// component's schema default there, else missing (anything, when the
// schema is too large to tell its defaults).
func omitted(s Schemas, q string) program.Outcomes {
	v, ok, known := s.Defaults.at(s.Component, q)
	switch {
	case !known:
		return program.Outcomes{Unknown: true}
	case ok:
		return program.StaticOutcomes(v)
	}
	return program.Outcomes{Missing: true}
}

// throughRoot is what config path q of a component whose template forwards
// runtime root config at q or above it can hold (Amber's reading of
// forwarded objects): every value the root config can give the path is
// considered; where the root can leave the path out, the component's
// schema default at q stands in. For instance a root `storage: { type:
// "object" }`, which cannot hold `size`, forwarded whole to a child whose
// schema defaults `storage.size` to "12Gi", makes `config.storage.size`
// "12Gi"; a root value that can be null, or can hold a value of its own at
// the path, adds those outcomes. rootPath and suffix split q where the
// template reaches root config; root is true for the root component
// itself (whose template is all root config, and whose own defaults are
// the root's).
func throughRoot(s Schemas, q, rootPath string, suffix []string, root bool) program.Outcomes {
	p := rootPossibilities(s, rootPath, suffix)
	var o program.Outcomes
	if p.omitted && !root {
		o = omitted(s, q)
	}
	if p.blocked || p.omitted && root {
		o.Missing = true
	}
	if p.null {
		o.Null = true
	}
	if p.nonNull {
		o.Dynamic = true
	}
	return o
}

// possibilities say how following a path into runtime root config can end.
type possibilities struct {
	omitted bool // the root leaves the path out
	blocked bool // a value on the way is null or not an object
	null    bool // the path holds null
	nonNull bool // the path holds a value only the run knows
}

// rootPossibilities follows suffix from root config path prefix.
func rootPossibilities(s Schemas, prefix string, suffix []string) possibilities {
	k := rootKinds(s, prefix)
	if len(suffix) == 0 {
		return possibilities{omitted: k.missing, null: k.null, nonNull: k.object || k.other}
	}
	out := possibilities{omitted: k.missing, blocked: k.null || k.other}
	if k.object {
		next := suffix[0]
		if prefix != "" {
			next = prefix + "." + next
		}
		in := rootPossibilities(s, next, suffix[1:])
		out.omitted = out.omitted || in.omitted
		out.blocked = out.blocked || in.blocked
		out.null = out.null || in.null
		out.nonNull = out.nonNull || in.nonNull
	}
	return out
}

// valueKinds are the kinds of value a config path can hold.
type valueKinds struct {
	missing, null, object, other bool
}

var anyKind = valueKinds{missing: true, null: true, object: true, other: true}

// rootKinds says what the root config can hold at path.
func rootKinds(s Schemas, path string) valueKinds {
	schema := s.Root
	if schema == nil {
		return anyKind
	}
	if path == "" {
		return valueKinds{object: true}
	}
	outcome, node, _ := configschema.Lookup(schema, path)
	switch outcome {
	case configschema.Missing:
		return valueKinds{missing: true}
	case configschema.Unknown:
		return anyKind
	}
	_, defaulted, known := s.Defaults.at(schema, path)
	if !known {
		return anyKind
	}
	w := &kindsWalk{root: schema, gate: configschema.MemoGate{Root: schema}, visiting: map[*json5.Node]bool{},
		budget: configschema.Budget{Root: schema, Base: 1 << 10, PerNode: 2}}
	k := w.kinds(node)
	if w.tooLarge {
		return anyKind
	}
	k.missing = !defaulted && !pathRequired(schema, strings.Split(path, "."))
	return k
}

// kindsWalk reads the kinds of value a schema node admits. It remembers
// the kinds of each node once its gate allows (by the node, and in a
// schema with a reference cycle by the nodes being expanded too), so that
// `allOf` branches that refer to one definition many times over cost it
// once, and gives up (tooLarge) when its budget runs out.
type kindsWalk struct {
	root     *json5.Node
	gate     configschema.MemoGate
	budget   configschema.Budget
	memo     map[kindsKey]valueKinds
	visiting map[*json5.Node]bool
	sets     visitset.Sets[*json5.Node] // names the chains of visiting's keys
	set      visitset.ID                // visiting's
	tooLarge bool
}

// kindsKey is a call of kinds: the node, and the nodes being expanded
// where they count.
type kindsKey struct {
	node     *json5.Node
	visiting visitset.ID
}

// kinds says which kinds of value schema node s admits, from its `enum`,
// `const`, `type` and `allOf`; missing is left false.
func (w *kindsWalk) kinds(s *json5.Node) valueKinds {
	if w.tooLarge {
		return anyKind
	}
	if !w.gate.Remember() {
		return w.spend(s)
	}
	key := kindsKey{s, visitset.Empty}
	if w.gate.Cyclic() {
		key.visiting = w.set
	}
	if k, ok := w.memo[key]; ok {
		return k
	}
	k := w.spend(s)
	if w.tooLarge {
		return anyKind
	}
	if w.memo == nil {
		w.memo = map[kindsKey]valueKinds{}
	}
	w.memo[key] = k
	return k
}

// spend is kindsAt, if the budget allows another step.
func (w *kindsWalk) spend(s *json5.Node) valueKinds {
	if !w.budget.Spend() {
		w.tooLarge = true
		return anyKind
	}
	return w.kindsAt(s)
}

// kindsAt is kinds, worked out at s.
func (w *kindsWalk) kindsAt(s *json5.Node) valueKinds {
	all := valueKinds{null: true, object: true, other: true}
	s = configschema.Deref(w.root, s)
	if s == nil || s.Kind != json5.Object || w.visiting[s] {
		return all
	}
	w.visiting[s] = true
	outer := w.set
	w.set = w.sets.With(outer, s)
	defer func() { delete(w.visiting, s); w.set = outer }()
	if e := s.Get("enum"); e != nil && e.Kind == json5.Array {
		var k valueKinds
		for _, v := range e.Elems() {
			k = k.union(kindOf(v))
		}
		return k
	}
	if c := s.Get("const"); c != nil {
		return kindOf(c)
	}
	k := all
	if t := s.Get("type"); t != nil {
		k = typeKinds(t)
	}
	if list := s.Get("allOf"); list != nil && list.Kind == json5.Array {
		for _, b := range list.Elems() {
			k = k.intersect(w.kinds(b))
		}
	}
	return k
}

func kindOf(v *json5.Node) valueKinds {
	switch v.Kind {
	case json5.Null:
		return valueKinds{null: true}
	case json5.Object:
		return valueKinds{object: true}
	}
	return valueKinds{other: true}
}

// typeKinds reads a `type` keyword; an unsupported one admits anything.
func typeKinds(t *json5.Node) valueKinds {
	one := func(name string) (valueKinds, bool) {
		switch name {
		case "null":
			return valueKinds{null: true}, true
		case "object":
			return valueKinds{object: true}, true
		case "string", "boolean", "number", "integer", "array":
			return valueKinds{other: true}, true
		}
		return valueKinds{}, false
	}
	switch t.Kind {
	case json5.String:
		if k, ok := one(t.Text); ok {
			return k
		}
	case json5.Array:
		var k valueKinds
		for _, e := range t.Elems() {
			ek, ok := one(e.Text)
			if e.Kind != json5.String || !ok {
				return anyKind
			}
			k = k.union(ek)
		}
		return k
	}
	return valueKinds{null: true, object: true, other: true}
}

func (k valueKinds) union(o valueKinds) valueKinds {
	return valueKinds{k.missing || o.missing, k.null || o.null, k.object || o.object, k.other || o.other}
}

func (k valueKinds) intersect(o valueKinds) valueKinds {
	return valueKinds{k.missing && o.missing, k.null && o.null, k.object && o.object, k.other && o.other}
}

// at returns what a schema's defaults give config path q of a
// config that leaves everything out (Amber fills defaults into an empty
// object: a property's `default`, and an object for a property without one
// when defaults below it give it members); false when they give nothing.
// known is false when the schema is too large to walk for its defaults.
func (d *Defaults) at(schema *json5.Node, q string) (v any, ok, known bool) {
	if schema == nil {
		return nil, false, true
	}
	defs := d.of(schema)
	if !defs.known {
		return nil, false, false
	}
	v, ok = program.StaticConfig{Value: defs.value}.Lookup(q).Static()
	return v, ok, true
}

// maxDefaultSteps bounds the schema nodes one defaultsWalk visits: its
// result can be as large as the naive expansion of the schema's
// references (2^n paths for n definitions that each take the next one
// twice as properties), so it gives up instead of remembering.
const maxDefaultSteps = 1 << 16

// defaultsWalk applies the defaults of one schema (fill).
type defaultsWalk struct {
	root     *json5.Node
	visiting map[*json5.Node]bool
	steps    int
	tooLarge bool // past maxDefaultSteps: the value is incomplete
}

// fill applies the defaults of schema node s to a value (present false:
// the value is left out), in Amber's order: the node's `default` (merged
// into an object that is there), its `$ref`, its `allOf` branches, array
// items, then each property. A `$ref` cycle ends the walk.
func (w *defaultsWalk) fill(s *json5.Node, v any, present bool) (any, bool) {
	if s == nil || s.Kind != json5.Object || w.visiting[s] || w.tooLarge {
		return v, present
	}
	if w.steps++; w.steps > maxDefaultSteps {
		w.tooLarge = true
		return v, present
	}
	w.visiting[s] = true
	defer delete(w.visiting, s)
	if d := s.Get("default"); d != nil {
		if present {
			v = mergeDefault(v, d.Value())
		} else {
			v, present = d.Value(), true
		}
	}
	if ref := s.Get("$ref"); ref != nil && ref.Kind == json5.String {
		if target, ok := configschema.Resolve(w.root, ref.Text); ok {
			v, present = w.fill(target, v, present)
		}
	}
	if list := s.Get("allOf"); list != nil && list.Kind == json5.Array {
		for _, b := range list.Elems() {
			v, present = w.fill(b, v, present)
		}
	}
	if items := s.Get("items"); items != nil {
		if arr, ok := v.([]any); ok {
			arr = slices.Clone(arr)
			for i := range arr {
				item := items
				if items.Kind == json5.Array {
					if item = items.Index(i); item == nil {
						continue
					}
				}
				arr[i], _ = w.fill(item, arr[i], true)
			}
			v = arr
		}
	}
	props := s.Get("properties")
	if props == nil || props.Kind != json5.Object {
		return v, present
	}
	members := sortedMembers(props, nil)
	switch cur := v.(type) {
	case map[string]any:
		out := maps.Clone(cur)
		for _, m := range members {
			child, ok := out[m.key]
			if nv, np := w.fill(m.value, child, ok); np {
				out[m.key] = nv
			}
		}
		return out, true
	case nil:
		if present {
			return v, present // an explicit null takes no members
		}
		out := map[string]any{}
		for _, m := range members {
			if nv, np := w.fill(m.value, nil, false); np {
				out[m.key] = nv
			}
		}
		if len(out) > 0 {
			return out, true
		}
	}
	return v, present
}

// mergeDefault inserts the members of a default object that an object
// value lacks, recursively; other values are kept as they are.
func mergeDefault(v, def any) any {
	m, ok := v.(map[string]any)
	d, dok := def.(map[string]any)
	if !ok || !dok {
		return v
	}
	out := maps.Clone(m)
	for k, dv := range d {
		if cur, ok := out[k]; ok {
			out[k] = mergeDefault(cur, dv)
		} else {
			out[k] = dv
		}
	}
	return out
}

// forwardedRef finds where config path q of template t reaches runtime
// root config: the root path of that reference and the rest of q below
// it. False when q does not lead into a reference (it is static, missing
// or a mixed value).
func forwardedRef(t *Template, q string) (rootPath string, suffix []string, ok bool) {
	var segs []string
	if q != "" {
		segs = strings.Split(q, ".")
	}
	cur := t
	for i, seg := range segs {
		switch cur.Kind {
		case Root:
			return strings.Join(segs[:i], "."), segs[i:], true
		case ConfigRef:
			return cur.Path, segs[i:], true
		case Object:
			next, found := cur.Fields[seg]
			if !found {
				return "", nil, false
			}
			cur = next
		default:
			return "", nil, false
		}
	}
	switch cur.Kind {
	case Root:
		return q, nil, true
	case ConfigRef:
		return cur.Path, nil, true
	}
	return "", nil, false
}
