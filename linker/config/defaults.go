package config

import (
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// ApplyDefaults fills the `default`s of a component's own schema into its
// template: for every property of an object schema (its `properties`, and
// those of `allOf` branches, through local `$ref`s) that the template
// object lacks, the default is inserted as a static value; properties that
// are present and objects in the template are filled recursively, and so
// is an inserted object default. Root and non-object templates are
// returned unchanged, as are values supplied by references.
func ApplyDefaults(t *Template, schema *json5.Node) *Template {
	if schema == nil || t.Kind != Object {
		return t
	}
	d := &defaulter{root: schema, memo: map[fillKey]*Template{}}
	return d.fill(t, schema, 0)
}

// maxFillSteps bounds the fills one ApplyDefaults works out; past it the
// template is returned as far as it is filled.
const maxFillSteps = 1 << 16

// defaulter applies one schema's defaults. It remembers the result of
// each fill: `allOf` branches that refer to one definition many times
// over then cost it once (and a fill applied to its own result gives that
// result back, the same template, so the next branch finds it too).
type defaulter struct {
	root  *json5.Node
	memo  map[fillKey]*Template
	steps int
}

// fillKey is a call of fill. Templates are never modified once built, so
// one is its pointer.
type fillKey struct {
	t     *Template
	s     *json5.Node
	depth int
}

// fill returns the object t with the defaults of schema s applied.
func (d *defaulter) fill(t *Template, s *json5.Node, depth int) *Template {
	key := fillKey{t, s, depth}
	if out, ok := d.memo[key]; ok {
		return out
	}
	if d.steps++; d.steps > maxFillSteps {
		return t
	}
	out := d.fillAt(t, s, depth)
	d.memo[key] = out
	return out
}

// fillAt is fill, worked out at s.
func (d *defaulter) fillAt(t *Template, s *json5.Node, depth int) *Template {
	s = configschema.Deref(d.root, s)
	if s == nil || s.Kind != json5.Object || depth > configschema.MaxDepth {
		return t
	}
	out := t
	copied := false
	set := func(k string, v *Template) {
		if !copied {
			out = Obj(make(map[string]*Template, len(t.Fields)+1))
			for fk, fv := range t.Fields {
				out.Fields[fk] = fv
			}
			copied = true
		}
		out.Fields[k] = v
	}
	if props := s.Get("properties"); props != nil && props.Kind == json5.Object {
		var buf [8]member
		for _, m := range sortedMembers(props, buf[:0]) {
			k := m.key
			sub := configschema.Deref(d.root, m.value)
			if sub == nil || sub.Kind != json5.Object {
				continue
			}
			cur, present := out.Fields[k]
			switch {
			case present && cur.Kind == Object:
				if filled := d.fill(cur, sub, depth+1); filled != cur {
					set(k, filled)
				}
			case !present:
				if def := sub.Get("default"); def != nil {
					v := FromValue(def.Value())
					if v.Kind == Object {
						v = d.fill(v, sub, depth+1)
					}
					set(k, v)
				}
			}
		}
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			out = d.fill(out, b, depth+1)
		}
	}
	return out
}
