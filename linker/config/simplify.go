package config

// Simplify returns t with every string template normalised: adjacent
// literal parts merged, empty literals dropped, and templates without
// config parts collapsed to plain strings. Compose already yields
// simplified templates; Simplify is for templates built by hand.
func Simplify(t *Template) *Template {
	switch t.Kind {
	case Object:
		fields := make(map[string]*Template, len(t.Fields))
		for k, f := range t.Fields {
			fields[k] = Simplify(f)
		}
		return Obj(fields)
	case Array:
		elems := make([]*Template, len(t.Elems))
		for i, e := range t.Elems {
			elems[i] = Simplify(e)
		}
		return Arr(elems...)
	case StringTemplate:
		return normaliseString(t.Parts)
	}
	return t
}
