package config

import (
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// ApplyDefaults fills a component's composed template with the defaults
// of its own schema, as Amber does (apply_schema_defaults_to_node): what
// the schema's defaults give a config that leaves everything out
// (configschema.DefaultsOf, where a parent object's default member wins
// over the property's own default) fills the holes of the template: a
// member the template lacks is inserted as a static value, and one that is
// an object in both is filled recursively. Root and non-object templates
// are returned unchanged, as are values supplied by references, and the
// template itself when nothing is inserted.
//
// Amber fails where its defaults walk meets a `$ref` it cannot follow,
// which every recursive schema has; the spec has such `$ref` cycles make
// only the config lints incomplete (manifest.md §8.4), so the defaults the
// other references give are applied. A schema too large to walk for its
// defaults (configschema.SchemaDefaults.TooLarge) gives none.
func ApplyDefaults(t *Template, schema *json5.Node) *Template {
	if schema == nil || t.Kind != Object {
		return t
	}
	return applyDefaults(t, configschema.DefaultsOf(schema))
}

// ApplyDefaults is ApplyDefaults(t, schema) for the compiled schema, whose
// defaults are worked out once for all the templates they fill.
func (s *Schema) ApplyDefaults(t *Template) *Template {
	if s.node == nil || t.Kind != Object {
		return t
	}
	return applyDefaults(t, s.defaults())
}

// applyDefaults fills the object template t with what a schema's defaults
// give.
func applyDefaults(t *Template, d configschema.SchemaDefaults) *Template {
	if !d.Set || d.TooLarge {
		return t
	}
	return fillHoles(t, d.Value)
}

// fillHoles returns the object template t with the members of the object
// value def it lacks inserted, recursively into members that are objects
// in both; t itself when nothing is inserted.
func fillHoles(t *Template, def any) *Template {
	d, ok := def.(map[string]any)
	if !ok || t.Kind != Object {
		return t
	}
	out := t
	set := func(k string, v *Template) {
		if out == t {
			out = Obj(make(map[string]*Template, len(t.Fields)+len(d)))
			for fk, fv := range t.Fields {
				out.Fields[fk] = fv
			}
		}
		out.Fields[k] = v
	}
	for k, dv := range d {
		cur, present := t.Fields[k]
		switch {
		case !present:
			set(k, FromValue(dv))
		case cur.Kind == Object:
			if filled := fillHoles(cur, dv); filled != cur {
				set(k, filled)
			}
		}
	}
	return out
}
