package config

import (
	"strings"

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

// Defaults keeps, for each schema asked about, what its defaults give a
// config that leaves everything out, and the strict reader of its kinds
// and `required`, so that they are worked out once per schema however many
// paths are looked up in it. The zero value is ready to use; it is not
// safe for concurrent use.
type Defaults struct {
	m map[*json5.Node]*schemaFacts
}

// schemaFacts is what Defaults keeps of one schema.
type schemaFacts struct {
	// defaults are what the schema's defaults make of `{}` (Amber's
	// omission config: apply_schema_defaults from an empty object).
	defaults configschema.SchemaDefaults
	reader   *configschema.Reader
}

// of returns the facts of schema, from d when d has them.
func (d *Defaults) of(schema *json5.Node) *schemaFacts {
	if d != nil {
		if f, ok := d.m[schema]; ok {
			return f
		}
	}
	f := &schemaFacts{defaults: configschema.FillDefaults(schema, map[string]any{}), reader: configschema.NewReader(schema)}
	if d != nil {
		if d.m == nil {
			d.m = map[*json5.Node]*schemaFacts{}
		}
		d.m[schema] = f
	}
	return f
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
		return possibilities{omitted: k.missing, null: k.Null, nonNull: k.MayBeNonNull()}
	}
	out := possibilities{omitted: k.missing, blocked: k.Null || k.Other}
	if k.Object {
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

// valueKinds are the kinds of value a config path can hold, and whether
// it can be left out.
type valueKinds struct {
	configschema.Kinds
	missing bool
}

var anyKind = valueKinds{configschema.AnyKinds, true}

// rootKinds says what the root config can hold at path (Amber's exact
// root value possibilities): a path the lenient lookup does not find is
// left out, one it cannot tell about anything; otherwise the kinds its
// schema admits, and left out unless the root's defaults give it or it is
// required (through `allOf` branches too). Where Amber's strict reading
// fails (a `$ref` cycle; Amber's analysis then fails, or a schema too
// large to walk) it can hold anything.
func rootKinds(s Schemas, path string) valueKinds {
	schema := s.Root
	if schema == nil {
		return anyKind
	}
	if path == "" {
		return valueKinds{Kinds: configschema.Kinds{Object: true}}
	}
	switch outcome, _, _ := configschema.Lookup(schema, path); outcome {
	case configschema.Missing:
		return valueKinds{missing: true}
	case configschema.Unknown:
		return anyKind
	}
	_, defaulted, known := s.Defaults.at(schema, path)
	if !known {
		return anyKind
	}
	r := s.Defaults.of(schema).reader
	k, err := r.Kinds(path)
	if err != nil {
		return anyKind
	}
	required, err := r.Required(path)
	if err != nil {
		return anyKind
	}
	return valueKinds{Kinds: k, missing: !defaulted && !required}
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
	defs := d.of(schema).defaults
	if defs.TooLarge {
		return nil, false, false
	}
	v, ok = program.StaticConfig{Value: defs.Value}.Lookup(q).Static()
	return v, ok, true
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
