package config

import (
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/jsonschema"
)

// Kind is the kind of a template node.
type Kind uint8

// Template node kinds.
const (
	// Literal is a static JSON scalar: Value is nil, bool, int64, float64 or
	// string.
	Literal Kind = iota
	// Object has Fields.
	Object
	// Array has Elems.
	Array
	// Root is the whole runtime root config (the template of a root
	// component with a config_schema).
	Root
	// ConfigRef is the config value at Path ("" = the whole config). After
	// Parse the path is in the parent's config; after Compose it is a path
	// of the runtime root config.
	ConfigRef
	// SymbolicConfigRef is a symbolic reference to Path (`$${config.p}`):
	// kept as a reference; a program receives the text `${config.p}`.
	SymbolicConfigRef
	// SymbolicString is text (Text) that a program receives as it is, such
	// as `pre-${config.r}`, without resolving its placeholders.
	SymbolicString
	// StringTemplate is a string of literal and config parts (Parts).
	StringTemplate
)

var kindNames = [...]string{"literal", "object", "array", "root", "config ref", "symbolic config ref",
	"symbolic string", "string template"}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Template is a node of a config template. Templates are not modified in
// place by this package: functions that change one return a new tree
// (sharing unchanged subtrees).
type Template struct {
	Kind   Kind                 // says which field below holds the node
	Value  any                  // Literal
	Path   string               // ConfigRef, SymbolicConfigRef
	Text   string               // SymbolicString
	Parts  []Part               // StringTemplate
	Fields map[string]*Template // Object
	Elems  []*Template          // Array
}

// Part is one part of a StringTemplate: literal text, or a config path.
type Part struct {
	Config bool   // a config part: Text is a config path
	Text   string // the literal text or the config path
}

// LitPart returns a literal part.
func LitPart(s string) Part { return Part{Text: s} }

// ConfigPart returns a config part for path p.
func ConfigPart(p string) Part { return Part{Config: true, Text: p} }

// Lit returns a Literal node (v: nil, bool, int64, float64 or string).
func Lit(v any) *Template { return &Template{Kind: Literal, Value: v} }

// Obj returns an Object node with the given fields (nil = empty).
func Obj(fields map[string]*Template) *Template {
	if fields == nil {
		fields = map[string]*Template{}
	}
	return &Template{Kind: Object, Fields: fields}
}

// Arr returns an Array node.
func Arr(elems ...*Template) *Template {
	if elems == nil {
		elems = []*Template{}
	}
	return &Template{Kind: Array, Elems: elems}
}

// RootNode returns the Root node.
func RootNode() *Template { return &Template{Kind: Root} }

// Ref returns a ConfigRef node for path p.
func Ref(p string) *Template { return &Template{Kind: ConfigRef, Path: p} }

// SymRef returns a SymbolicConfigRef node for path p.
func SymRef(p string) *Template { return &Template{Kind: SymbolicConfigRef, Path: p} }

// SymStr returns a SymbolicString node.
func SymStr(s string) *Template { return &Template{Kind: SymbolicString, Text: s} }

// Str returns a StringTemplate node with the given parts, unnormalised.
func Str(parts ...Part) *Template { return &Template{Kind: StringTemplate, Parts: parts} }

// EmptyObject returns `{}`, the template of components without a schema
// and of components whose template failed.
func EmptyObject() *Template { return Obj(nil) }

// Keys returns an Object's field names in byte-wise order.
func (t *Template) Keys() []string {
	keys := make([]string, 0, len(t.Fields))
	for k := range t.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// IsStatic reports whether the node is fully static: literals, and objects
// and arrays of them. Root, references, symbolic nodes and string
// templates are not static.
func (t *Template) IsStatic() bool {
	switch t.Kind {
	case Literal:
		return true
	case Object:
		for _, f := range t.Fields {
			if !f.IsStatic() {
				return false
			}
		}
		return true
	case Array:
		for _, e := range t.Elems {
			if !e.IsStatic() {
				return false
			}
		}
		return true
	}
	return false
}

// Static returns the JSON value of a fully static node.
func (t *Template) Static() (any, bool) {
	if !t.IsStatic() {
		return nil, false
	}
	return t.value(), true
}

// value converts a static node to its JSON value.
func (t *Template) value() any {
	switch t.Kind {
	case Object:
		m := make(map[string]any, len(t.Fields))
		for k, f := range t.Fields {
			m[k] = f.value()
		}
		return m
	case Array:
		a := make([]any, len(t.Elems))
		for i, e := range t.Elems {
			a[i] = e.value()
		}
		return a
	}
	return t.Value
}

// FromValue converts a JSON value to a static template.
func FromValue(v any) *Template {
	switch x := v.(type) {
	case map[string]any:
		fields := make(map[string]*Template, len(x))
		for k, e := range x {
			fields[k] = FromValue(e)
		}
		return Obj(fields)
	case []any:
		elems := make([]*Template, len(x))
		for i, e := range x {
			elems[i] = FromValue(e)
		}
		return Arr(elems...)
	case int:
		return Lit(int64(x))
	}
	return Lit(v)
}

// Clone returns a deep copy.
func (t *Template) Clone() *Template {
	c := *t
	switch t.Kind {
	case Object:
		c.Fields = make(map[string]*Template, len(t.Fields))
		for k, f := range t.Fields {
			c.Fields[k] = f.Clone()
		}
	case Array:
		c.Elems = make([]*Template, len(t.Elems))
		for i, e := range t.Elems {
			c.Elems[i] = e.Clone()
		}
	case StringTemplate:
		c.Parts = append([]Part(nil), t.Parts...)
	}
	return &c
}

// String renders the template for tests and debugging: literals as JSON,
// objects with sorted keys, and Root, ConfigRef("p"), SymbolicConfigRef("p"),
// SymbolicString("s") and StringTemplate("lit",config("p")) for the rest.
func (t *Template) String() string {
	var b strings.Builder
	t.format(&b)
	return b.String()
}

func (t *Template) format(b *strings.Builder) {
	switch t.Kind {
	case Literal:
		b.WriteString(jsonschema.Render(t.Value))
	case Object:
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonschema.Render(k))
			b.WriteByte(':')
			t.Fields[k].format(b)
		}
		b.WriteByte('}')
	case Array:
		b.WriteByte('[')
		for i, e := range t.Elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.format(b)
		}
		b.WriteByte(']')
	case Root:
		b.WriteString("Root")
	case ConfigRef:
		b.WriteString("ConfigRef(" + jsonschema.Render(t.Path) + ")")
	case SymbolicConfigRef:
		b.WriteString("SymbolicConfigRef(" + jsonschema.Render(t.Path) + ")")
	case SymbolicString:
		b.WriteString("SymbolicString(" + jsonschema.Render(t.Text) + ")")
	case StringTemplate:
		b.WriteString("StringTemplate(")
		for i, p := range t.Parts {
			if i > 0 {
				b.WriteByte(',')
			}
			if p.Config {
				b.WriteString("config(" + jsonschema.Render(p.Text) + ")")
			} else {
				b.WriteString(jsonschema.Render(p.Text))
			}
		}
		b.WriteByte(')')
	}
}

// placeholder writes a config path back as interpolation text,
// `${config.p}` (`${config.}` for the whole config, which reads back the
// same as `${config}`).
func placeholder(p string) string { return "${config." + p + "}" }

// partsText renders a StringTemplate's parts as interpolation text, config
// parts as `${config.p}`.
func partsText(parts []Part) string {
	var b strings.Builder
	for _, p := range parts {
		if p.Config {
			b.WriteString(placeholder(p.Text))
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}
