package config

// WriteBack writes a composed template as manifest JSON (overlays.md
// §6.1), for the helper scenario's `use_*` components: literals as they
// are, ConfigRef(p) as "${config.p}" ("${config.}" for the whole config),
// string templates as their text with config parts as `${config.p}`,
// SymbolicConfigRef(p) as {"$symbolic_config": "p"} and SymbolicString(s)
// as {"$symbolic_string": "s"}. Read back with Parse against the helper
// root's schema, every reference means the same root config path again.
func WriteBack(t *Template) any {
	switch t.Kind {
	case Literal:
		return t.Value
	case Object:
		m := make(map[string]any, len(t.Fields))
		for k, f := range t.Fields {
			m[k] = WriteBack(f)
		}
		return m
	case Array:
		a := make([]any, len(t.Elems))
		for i, e := range t.Elems {
			a[i] = WriteBack(e)
		}
		return a
	case Root:
		return placeholder("")
	case ConfigRef:
		return placeholder(t.Path)
	case StringTemplate:
		return partsText(t.Parts)
	case SymbolicConfigRef:
		return map[string]any{KeySymbolicConfig: t.Path}
	case SymbolicString:
		return map[string]any{KeySymbolicString: t.Text}
	}
	return nil
}
