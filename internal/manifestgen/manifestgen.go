// Package manifestgen writes manifests from the manifest vocabulary, for
// tests: every field of every record, at every place the record can be, so
// that a test can check the decoder and the editor features against the
// table without keeping its own list of fields.
package manifestgen

import (
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest"
)

// Doc is a generated manifest.
type Doc struct {
	Text string // the manifest's JSON5 text
	// Fields lists every member written for a record's field, in text
	// order.
	Fields []FieldSite
	// Strings lists every string written for a form that has an enum (a
	// keyword value), in text order.
	Strings []StringSite
}

// FieldSite is a member written for a field.
type FieldSite struct {
	Path   []string             // member keys and "[]" for elements, from the root to the member
	Record *manifest.RecordSpec // the record the field belongs to
	Field  *manifest.FieldSpec  // the field the member is written for
	Key    int                  // byte offset of the key
}

// StringSite is a string written for a form with an enum.
type StringSite struct {
	Path  []string           // where the string is written, as in FieldSite.Path
	Enum  *manifest.EnumSpec // the enum the string is a value of
	Start int                // byte offset of the opening quote
}

// Options say what to write.
type Options struct {
	// Variant picks the form written where a value has several and only
	// one can be written (a field's value): form Variant mod the number of
	// forms. Arrays and tables hold one element or entry per form.
	Variant int
	// Value, when set, may give the text of the value at a path instead.
	Value func(path []string) (string, bool)
	// Extra, when set, may give a member to add at the end of the record
	// at a path, e.g. `zzz: 1`.
	Extra func(path []string) (string, bool)
}

// Variants is how many variants Generate needs to write every form of
// every value: the most forms any value has.
func Variants() int {
	n := 1
	for _, r := range manifest.Records() {
		for _, f := range r.Fields {
			n = max(n, forms(f.Value))
		}
	}
	return n
}

func forms(v manifest.Value) int {
	n := len(v)
	for _, f := range v {
		n = max(n, forms(f.Elem))
	}
	return n
}

// Generate writes a manifest using every field of every record.
func Generate(opts Options) Doc {
	g := &gen{opts: opts}
	g.value(manifest.Root().Value, nil, "  ")
	g.doc.Text = g.b.String()
	return g.doc
}

type gen struct {
	opts Options
	b    strings.Builder
	doc  Doc
}

// strings written for plain strings of particular fields, where any text
// would not do.
var plainSamples = map[string]string{
	"manifest_version": manifest.NewestVersion,
	"digest":           "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
}

// syntaxSamples are well-formed strings of each reference syntax.
var syntaxSamples = map[manifest.Syntax]string{
	manifest.SyntaxInterpolation: "x-${config.a}",
	manifest.SyntaxName:          "n",
	manifest.SyntaxManifest:      "./child.json5",
	manifest.SyntaxFile:          "file.txt",
	manifest.SyntaxWhen:          "config.a",
	manifest.SyntaxEach:          "config.list",
	manifest.SyntaxMountSource:   "slots.s",
	manifest.SyntaxBindingTarget: "#c.s",
	manifest.SyntaxBindingSource: "#c.e",
	manifest.SyntaxExportTarget:  "provides.p",
	manifest.SyntaxOverlay:       "#u.e",
	manifest.SyntaxRealmSelector: "slots.s",
}

// value writes a value of v at path; indent is the indentation of its
// members.
func (g *gen) value(v manifest.Value, path []string, indent string) {
	if text, ok := g.replaced(path); ok {
		g.b.WriteString(text)
		return
	}
	g.form(v[g.opts.Variant%len(v)], path, indent)
}

func (g *gen) replaced(path []string) (string, bool) {
	if g.opts.Value == nil {
		return "", false
	}
	return g.opts.Value(path)
}

func (g *gen) form(f manifest.Form, path []string, indent string) {
	switch f.Shape {
	case manifest.ShapeRecord:
		r := manifest.Record(f.Record)
		g.b.WriteString("{\n")
		for i := range r.Fields {
			field := &r.Fields[i]
			p := append(path[:len(path):len(path)], field.Name)
			g.b.WriteString(indent)
			g.doc.Fields = append(g.doc.Fields, FieldSite{Path: p, Record: r, Field: field, Key: g.b.Len()})
			g.b.WriteString(field.Name + ": ")
			g.value(field.Value, p, indent+"  ")
			g.b.WriteString(",\n")
		}
		if g.opts.Extra != nil {
			if member, ok := g.opts.Extra(path); ok {
				g.b.WriteString(indent + member + ",\n")
			}
		}
		g.b.WriteString(indent[2:] + "}")
	case manifest.ShapeTable:
		g.b.WriteString("{\n")
		for i, e := range f.Elem {
			name := fmt.Sprintf("e%d", i)
			p := append(path[:len(path):len(path)], name)
			g.b.WriteString(indent + name + ": ")
			if text, ok := g.replaced(p); ok {
				g.b.WriteString(text)
			} else {
				g.form(e, p, indent+"  ")
			}
			g.b.WriteString(",\n")
		}
		g.b.WriteString(indent[2:] + "}")
	case manifest.ShapeArray:
		g.b.WriteString("[\n")
		p := append(path[:len(path):len(path)], "[]")
		for _, e := range f.Elem {
			g.b.WriteString(indent)
			g.form(e, p, indent+"  ")
			g.b.WriteString(",\n")
		}
		g.b.WriteString(indent[2:] + "]")
	case manifest.ShapeBool:
		g.b.WriteString("true")
	case manifest.ShapeInteger:
		g.b.WriteString("1")
	case manifest.ShapeJSON, manifest.ShapeConfig:
		g.b.WriteString(`{ "a": [1, "b"] }`)
	case manifest.ShapeSchema:
		g.b.WriteString(`{ type: "object", properties: { a: { type: "string" }, list: { type: "array" } } }`)
	default:
		text := "x"
		switch {
		case f.Enum != "":
			e := manifest.Enum(f.Enum)
			g.doc.Strings = append(g.doc.Strings, StringSite{Path: path, Enum: e, Start: g.b.Len()})
			text = e.Names()[0]
		case f.Shape == manifest.ShapeShell:
			text = "run --flag=${config.a}"
		case f.Syntax != manifest.SyntaxNone:
			text = syntaxSamples[f.Syntax]
		case plainSamples[path[len(path)-1]] != "":
			text = plainSamples[path[len(path)-1]]
		}
		fmt.Fprintf(&g.b, "%q", text)
	}
}
