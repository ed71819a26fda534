package config

import (
	"maps"
	"slices"
)

// Simplify returns t with every string template normalised: adjacent
// literal parts merged, empty literals dropped, and templates without
// config parts collapsed to plain strings. Compose already yields
// simplified templates; Simplify is for templates built by hand. Objects
// and arrays without a string template are returned as they are.
func Simplify(t *Template) *Template {
	switch t.Kind {
	case Object:
		var fields map[string]*Template
		for k, f := range t.Fields {
			s := Simplify(f)
			if s != f && fields == nil {
				fields = maps.Clone(t.Fields)
			}
			if fields != nil {
				fields[k] = s
			}
		}
		if fields == nil {
			return t
		}
		return Obj(fields)
	case Array:
		var elems []*Template
		for i, e := range t.Elems {
			s := Simplify(e)
			if s != e && elems == nil {
				elems = slices.Clone(t.Elems)
			}
			if elems != nil {
				elems[i] = s
			}
		}
		if elems == nil {
			return t
		}
		return Arr(elems...)
	case StringTemplate:
		return normaliseString(t.Parts)
	}
	return t
}
