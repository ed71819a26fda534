package config

import (
	"maps"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

// Composition messages (linker.md §4.1.1).
const (
	msgEmbedRuntime = "cannot embed a runtime-derived non-string config value into a string template " +
		"(consider restructuring your config so the referenced value comes directly from root config)"
	msgComposedNotObject = "component config must be an object (non-object config templates are unsupported)"
)

// Compose composes a parsed template t against the parent's template
// (linker.md §4.1.1): references are replaced by what the parent template
// holds at their path, so the result refers to runtime root config only. A
// result that is not an object is an error, as for every component config.
// Errors are StageCompose and carry no location.
//
// Amber does not locate composition errors (Located is false), but Pointer
// names the value whose composition failed, for editors that want to point
// closer than the config site.
func Compose(t, parent *Template) (*Template, *Error) {
	out, err := compose(t, parent, make([]string, 0, 8))
	if err != nil {
		return nil, err
	}
	if out.Kind != Object {
		e := composeError(msgComposedNotObject)
		e.Pointer = []string{}
		return nil, e
	}
	return out, nil
}

// A node composed without a change (no references in it) is returned as it
// is, not copied.
func compose(t, parent *Template, ptr []string) (*Template, *Error) {
	var out *Template
	var err *Error
	switch t.Kind {
	case Object:
		// Members in any order; on an error, the first in key order is
		// looked for again.
		var fields map[string]*Template
		for k, f := range t.Fields {
			c, err := compose(f, parent, pathPush(ptr, k))
			if err != nil {
				return nil, firstFieldError(t, parent, ptr, err)
			}
			if c != f && fields == nil {
				fields = maps.Clone(t.Fields)
			}
			if fields != nil {
				fields[k] = c
			}
		}
		if fields == nil {
			return t, nil
		}
		return Obj(fields), nil
	case Array:
		var elems []*Template
		for i, e := range t.Elems {
			c, err := compose(e, parent, pathPush(ptr, itoa(i)))
			if err != nil {
				return nil, err
			}
			if c != e && elems == nil {
				elems = slices.Clone(t.Elems)
			}
			if elems != nil {
				elems[i] = c
			}
		}
		if elems == nil {
			return t, nil
		}
		return Arr(elems...), nil
	case ConfigRef:
		out, err = resolve(parent, t.Path)
	case SymbolicConfigRef:
		out, err = resolve(parent, t.Path)
		if err == nil {
			out, err = symbolise(out)
		}
	case StringTemplate:
		out, err = embed(t.Parts, parent)
	default:
		return t, nil
	}
	if err != nil {
		err.Pointer = clonePath(ptr)
		return nil, err
	}
	return out, nil
}

// firstFieldError returns the composition error of object t's first field
// in key order that fails; err is the error of a field met before.
func firstFieldError(t, parent *Template, ptr []string, err *Error) *Error {
	for _, k := range t.Keys() {
		if _, first := compose(t.Fields[k], parent, pathPush(ptr, k)); first != nil {
			return first
		}
	}
	return err
}

// resolve returns the node at config path p of the parent template: a root
// reference when the parent is Root, the whole parent for "".
func resolve(parent *Template, p string) (*Template, *Error) {
	if parent.Kind == Root {
		return Ref(p), nil
	}
	n, text := walk(parent, p)
	if text != "" {
		return nil, composeError(text)
	}
	return n, nil
}

// walk descends a non-Root template along a dot path. It returns the node
// found, or Amber's text for why the path cannot be followed, together
// with the node where the walk stopped.
func walk(t *Template, p string) (*Template, string) {
	if p == "" {
		return t, ""
	}
	cur := t
	for _, seg := range strings.Split(p, ".") {
		switch cur.Kind {
		case Object:
			next, ok := cur.Fields[seg]
			if !ok {
				return cur, "config path " + diag.DebugQuote(p) + " not found (missing key " + diag.DebugQuote(seg) + ")"
			}
			cur = next
		case ConfigRef, Root:
			return cur, "config path " + diag.DebugQuote(p) + " is runtime-derived; cannot descend into " + diag.DebugQuote(seg) + " at compile time"
		case StringTemplate, SymbolicString, SymbolicConfigRef:
			return cur, "config path " + diag.DebugQuote(p) + " is string-valued; cannot descend into " + diag.DebugQuote(seg) + " at compile time"
		case Literal:
			if _, isString := cur.Value.(string); isString {
				return cur, "config path " + diag.DebugQuote(p) + " is string-valued; cannot descend into " + diag.DebugQuote(seg) + " at compile time"
			}
			return cur, "config path " + diag.DebugQuote(p) + " not found (encountered non-object before segment " + diag.DebugQuote(seg) + ")"
		default:
			return cur, "config path " + diag.DebugQuote(p) + " not found (encountered non-object before segment " + diag.DebugQuote(seg) + ")"
		}
	}
	return cur, ""
}

// symbolise turns a resolved node into its symbolic form: root references
// stay references (symbolic), string templates become their text, static
// values are materialised as their interpolation rendering.
func symbolise(n *Template) (*Template, *Error) {
	switch n.Kind {
	case ConfigRef:
		return SymRef(n.Path), nil
	case SymbolicConfigRef, SymbolicString:
		return n, nil
	case StringTemplate:
		return SymStr(partsText(n.Parts)), nil
	}
	if v, ok := n.Static(); ok {
		s, ok := RenderValue(v)
		if !ok {
			return nil, composeError(msgInterpolateNull)
		}
		return Lit(s), nil
	}
	// UNSURE: an object or array mixing static and runtime values; its
	// members are symbolised one by one.
	switch n.Kind {
	case Object:
		fields := make(map[string]*Template, len(n.Fields))
		for _, k := range n.Keys() {
			f, err := symbolise(n.Fields[k])
			if err != nil {
				return nil, err
			}
			fields[k] = f
		}
		return Obj(fields), nil
	case Array:
		elems := make([]*Template, len(n.Elems))
		for i, e := range n.Elems {
			s, err := symbolise(e)
			if err != nil {
				return nil, err
			}
			elems[i] = s
		}
		return Arr(elems...), nil
	}
	return n, nil
}

// embed composes the parts of a string template: each config part is
// replaced by the resolved node inlined as text.
func embed(parts []Part, parent *Template) (*Template, *Error) {
	var out []Part
	for _, part := range parts {
		if !part.Config {
			out = append(out, part)
			continue
		}
		n, err := resolve(parent, part.Text)
		if err != nil {
			return nil, err
		}
		inlined, err := inline(n)
		if err != nil {
			return nil, err
		}
		out = append(out, inlined...)
	}
	return normaliseString(out), nil
}

// inline returns the parts a resolved node contributes to a string.
func inline(n *Template) ([]Part, *Error) {
	switch n.Kind {
	case ConfigRef:
		return []Part{ConfigPart(n.Path)}, nil
	case SymbolicConfigRef:
		return []Part{LitPart(placeholder(n.Path))}, nil
	case SymbolicString:
		return []Part{LitPart(n.Text)}, nil
	case StringTemplate:
		return n.Parts, nil
	}
	if v, ok := n.Static(); ok {
		s, ok := RenderValue(v)
		if !ok {
			return nil, composeError(msgInterpolateNull)
		}
		return []Part{LitPart(s)}, nil
	}
	return nil, composeError(msgEmbedRuntime)
}

// normaliseString merges adjacent literal parts, drops empty ones, and
// collapses an all-literal result to a plain string.
func normaliseString(parts []Part) *Template {
	var out []Part
	for _, p := range parts {
		if !p.Config && p.Text == "" {
			continue
		}
		if n := len(out); n > 0 && !p.Config && !out[n-1].Config {
			out[n-1].Text += p.Text
			continue
		}
		out = append(out, p)
	}
	switch {
	case len(out) == 0:
		return Lit("")
	case len(out) == 1 && !out[0].Config:
		return Lit(out[0].Text)
	}
	return Str(out...)
}
