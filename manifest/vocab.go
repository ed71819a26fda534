package manifest

import (
	"slices"
	"strings"
)

// The manifest vocabulary: what a manifest may contain, written once, as
// data (the table itself is in vocab_table.go). The decoder takes its field
// lists (in Amber's declaration order, which its messages print) and its
// enum values from it; the editor features take keys, docs, enum values,
// value shapes and references from it.
//
// A record is a strict object with a fixed set of fields (the root, a
// program, a slot, a binding, ...). A field's Value lists the forms it may
// take, in the order Amber tries them: `image` is an interpolated string or
// a `{ file }` record; `entrypoint` a shell string, a `{ file }` record or
// an array of argument items. Walk a manifest's tree alongside the table
// with Root, Place.Key and Place.Elem, or look a path up with At and
// FieldOf.

// RecordSpec is one kind of record.
type RecordSpec struct {
	Name   string      // the name Record finds it by, one of the Record... constants
	Title  string      // a noun phrase naming one, e.g. "a slot"
	Doc    string      // one line
	Fields []FieldSpec // in Amber's declaration order
	names  []string
}

// Field returns the field called name, or nil.
func (r *RecordSpec) Field(name string) *FieldSpec {
	for i := range r.Fields {
		if r.Fields[i].Name == name {
			return &r.Fields[i]
		}
	}
	return nil
}

// Names returns the field names in declaration order. The slice is shared:
// do not modify it.
func (r *RecordSpec) Names() []string { return r.names }

// FieldSpec is one field of a record.
type FieldSpec struct {
	Name string // the key, as written in a manifest
	Doc  string // one line
	// Since is the manifest_version from which Amber accepts the field:
	// OldestVersion unless the field is version-gated.
	Since string
	// Required fields must be written (the record's other rules, such as
	// "exactly one of `image`, `path` or `vm`", are not in the table).
	Required bool
	Value    Value // what may be written as the field's value
	// Declares is what the keys of this table name (`slots` declares
	// slots), or, for a string field, what its value names (an endpoint's
	// `name`). SymNone for the other fields.
	Declares Symbol
}

// Value is what may be written in a place: one or more forms, in the order
// Amber tries them.
type Value []Form

// Form is one shape a value may take.
type Form struct {
	Shape Shape // the JSON shape; the fields below refine it
	// Record names the record of a ShapeRecord form.
	Record string
	// Key, on one of several record forms, selects it: Amber reads an
	// object as this record when it has this key (a `{ file }` reference
	// has `file`, a component declaration `manifest`).
	Key string
	// Enum names the values of a ShapeEnum form; on a string form it names
	// values to suggest (endpoint protocols) that Amber checks later.
	Enum string
	// Elem is the value of each element of a ShapeArray and of each entry
	// of a ShapeTable.
	Elem Value
	// Syntax says how a string form refers to things.
	Syntax Syntax
	// Refs says to what kinds of things a string form refers (for
	// SyntaxName, which one depends on the record).
	Refs []Symbol
}

// Shape is the JSON shape of a form.
type Shape int

// Shapes.
const (
	ShapeString       Shape = iota + 1 // a string
	ShapeInterpolated                  // a string checked with the interpolation grammar (Syntax is SyntaxInterpolation)
	ShapeShell                         // a shell-style command line; each word is interpolated
	ShapeBool                          // true or false
	ShapeInteger                       // a non-negative integer
	ShapeEnum                          // a string naming one value of Form.Enum
	ShapeRecord                        // an object: the record Form.Record
	ShapeTable                         // an object of named entries, each a Form.Elem
	ShapeArray                         // an array of Form.Elem
	ShapeJSON                          // any JSON, passed through
	ShapeSchema                        // a JSON Schema (`config_schema`)
	ShapeConfig                        // a component config: JSON checked against the child's `config_schema`
)

var shapeWords = map[Shape]string{
	ShapeString: "string", ShapeInterpolated: "interpolated string", ShapeShell: "shell-style command string",
	ShapeBool: "boolean", ShapeInteger: "integer", ShapeJSON: "any JSON", ShapeSchema: "JSON Schema",
	ShapeConfig: "config object (checked against the child's `config_schema`)",
}

// Syntax is how a string refers to things.
type Syntax int

// Reference syntaxes.
const (
	SyntaxNone          Syntax = iota
	SyntaxInterpolation        // `${config.<path>}`, `${slots.<slot>[.url]}`, `${item[.<path>]}` placeholders in text
	SyntaxName                 // the whole string is the name of one of Refs
	SyntaxManifest             // a manifest reference: an absolute URL, or a path relative to this manifest
	SyntaxFile                 // a file path, relative to this manifest
	SyntaxWhen                 // a condition path: `config.<path>` or `slots.<slot>[.<field>]`
	SyntaxEach                 // a repetition source: `config.<path>` or `slots.<slot>`
	SyntaxMountSource          // `config[.<path>]`, `slots.<slot>`, `resources.<resource>` or `framework.<capability>`
	SyntaxBindingTarget        // `#<child>.<slot>`, or `#<child>` when `slot` is given
	SyntaxBindingSource        // `#<child>.<export>`, `slots.<slot>`, `provides.<provide>`, `resources.<resource>`, `framework.<capability>` (legacy `self.<name>`), or the part before the dot when `capability` is given
	SyntaxExportTarget         // `<name>`, `slots.<slot>`, `provides.<provide>` or `#<child>.<export>` (legacy `self.<name>`)
	SyntaxOverlay              // `#<use>.<export>`
	SyntaxRealmSelector        // `slots.<n>`, `provides.<n>`, `resources.<n>`, `external.<n>` or `children.<child>.exports.<export>`
)

var syntaxWords = [...]string{"", "interpolated string", "name", "manifest reference", "file path",
	"condition path (`config.<path>` or `slots.<slot>`)", "repetition source (`config.<path>` or `slots.<slot>`)",
	"mount source", "binding target", "binding source", "export target", "overlay reference (`#<use>.<export>`)",
	"realm selector"}

// String describes the syntax in a few words ("binding source").
func (s Syntax) String() string {
	if s < 0 || int(s) >= len(syntaxWords) {
		return ""
	}
	return syntaxWords[s]
}

// Keywords returns the reserved words a reference of syntax s may start
// with, in the order to propose them (`#<child>` heads are not keywords).
func (s Syntax) Keywords() []string { return syntaxKeywords[s] }

// Symbol is a kind of thing a manifest declares or refers to.
type Symbol int

// Symbols.
const (
	SymNone        Symbol = iota
	SymChild              // an entry of `components`
	SymUse                // an entry of `use`
	SymSlot               // a slot (of this manifest, or of a child for binding targets)
	SymProvide            // a provide
	SymResource           // a resource
	SymExport             // an export (of this manifest, a child or a `use` helper)
	SymEnvironment        // an entry of `environments`
	SymEndpoint           // an endpoint of the program
	SymTemplate           // an entry of `child_templates`
	SymEnvVar             // an environment variable of the program
	SymMount              // a named mount
	SymConfig             // a config property (a path into `config_schema`)
	SymFramework          // a framework capability (EnumFramework)
	SymManifest           // another manifest file
	SymFile               // a file beside the manifest
)

var symbolNames = [...]string{"", "child", "use", "slot", "provide", "resource", "export", "environment",
	"endpoint", "child template", "environment variable", "mount", "config property", "framework capability",
	"manifest", "file"}

// String names the symbol in prose ("slot", "config property").
func (s Symbol) String() string {
	if s < 0 || int(s) >= len(symbolNames) {
		return ""
	}
	return symbolNames[s]
}

// EnumSpec is a set of string values.
type EnumSpec struct {
	Name   string      // the name Enum finds it by, one of the Enum... constants
	Title  string      // a noun naming one value, e.g. "capability kind"
	Values []EnumValue // in Amber's declaration order
	names  []string
}

// EnumValue is one value of an enum.
type EnumValue struct {
	Name string // the string as written in a manifest
	Doc  string // one line
}

// Names returns the values in Amber's declaration order. The slice is
// shared: do not modify it.
func (e *EnumSpec) Names() []string { return e.names }

// Value returns the value called name.
func (e *EnumSpec) Value(name string) (EnumValue, bool) {
	for _, v := range e.Values {
		if v.Name == name {
			return v, true
		}
	}
	return EnumValue{}, false
}

// Record returns the record called name (a Record... constant), or nil.
func Record(name string) *RecordSpec { return recordIndex[name] }

// Records returns every record, the root first. The slice is shared: do
// not modify it.
func Records() []*RecordSpec { return records }

// Enum returns the enum called name (an Enum... constant), or nil.
func Enum(name string) *EnumSpec { return enumIndex[name] }

// Enums returns every enum. The slice is shared: do not modify it.
func Enums() []*EnumSpec { return enums }

// Records returns the records an object written in this place may be,
// given the keys it has: the record whose selecting key (Form.Key) is among
// them; else the records whose fields include every key; else, when none
// does, the records Amber falls back to. With no keys, every record form.
func (v Value) Records(keys []string) []*RecordSpec {
	var all, fit, fallback []*RecordSpec
	for _, f := range v {
		if f.Shape != ShapeRecord {
			continue
		}
		r := recordIndex[f.Record]
		if f.Key != "" && slices.Contains(keys, f.Key) {
			return []*RecordSpec{r}
		}
		all = append(all, r)
		if f.Key == "" {
			fallback = append(fallback, r)
		}
		if r.holdsEvery(keys) {
			fit = append(fit, r)
		}
	}
	switch {
	case len(keys) == 0:
		return all
	case len(fit) > 0:
		return fit
	}
	return fallback
}

// holdsEvery reports whether every one of keys is a field of r.
func (r *RecordSpec) holdsEvery(keys []string) bool {
	for _, k := range keys {
		if r.Field(k) == nil {
			return false
		}
	}
	return true
}

// Enum returns the enum of the first form that has one, or nil.
func (v Value) Enum() *EnumSpec {
	for _, f := range v {
		if f.Enum != "" {
			return enumIndex[f.Enum]
		}
	}
	return nil
}

// Has reports whether some form has shape s.
func (v Value) Has(s Shape) bool {
	for _, f := range v {
		if f.Shape == s {
			return true
		}
	}
	return false
}

// String describes the value in a few words, e.g. "array of object
// `{ to, slot, from, capability, weak }`".
func (v Value) String() string {
	parts := make([]string, 0, len(v))
	for _, f := range v {
		parts = append(parts, f.String())
	}
	return strings.Join(parts, " or ")
}

// String describes the form in a few words.
func (f Form) String() string {
	switch f.Shape {
	case ShapeEnum:
		return "one of " + codeWords(enumIndex[f.Enum].names)
	case ShapeRecord:
		return "object `{ " + strings.Join(recordIndex[f.Record].names, ", ") + " }`"
	case ShapeTable:
		return "object of name → " + f.Elem.String()
	case ShapeArray:
		return "array of " + f.Elem.String()
	case ShapeString:
		if f.Syntax == SyntaxName {
			names := make([]string, len(f.Refs))
			for i, r := range f.Refs {
				names[i] = r.String()
			}
			return strings.Join(names, ", ") + " name"
		}
		if f.Syntax != SyntaxNone {
			return f.Syntax.String()
		}
	}
	return shapeWords[f.Shape]
}

func codeWords(names []string) string {
	return "`" + strings.Join(names, "`, `") + "`"
}

// Place is a position in a manifest as the table sees it: what may be
// written there and which field it belongs to.
type Place struct {
	Value Value // what may be written here
	// Field is the field whose value this is; nil at the root, for a table
	// entry or array element, and inside free JSON.
	Field *FieldSpec
	// In is the record Field belongs to.
	In *RecordSpec
	// Of is, for a table entry or an array element, the field holding the
	// table or array (`slots` for `slots.api`).
	Of *FieldSpec
}

// Root returns the place of the whole manifest.
func Root() Place { return Place{Value: Value{{Shape: ShapeRecord, Record: RecordRoot}}} }

// Key returns the place of member name of an object written here: a
// record's field, a table's entry, or free JSON inside free JSON.
func (p Place) Key(name string) (Place, bool) {
	for _, f := range p.Value {
		switch f.Shape {
		case ShapeRecord:
			r := recordIndex[f.Record]
			if fs := r.Field(name); fs != nil {
				return Place{Value: fs.Value, Field: fs, In: r}, true
			}
		case ShapeTable:
			return Place{Value: f.Elem, Of: p.Field}, true
		case ShapeJSON, ShapeSchema, ShapeConfig:
			return Place{Value: Value{f}}, true
		}
	}
	return Place{}, false
}

// Elem returns the place of an element of an array written here.
func (p Place) Elem() (Place, bool) {
	for _, f := range p.Value {
		switch f.Shape {
		case ShapeArray:
			return Place{Value: f.Elem, Of: p.Field}, true
		case ShapeJSON, ShapeSchema, ShapeConfig:
			return Place{Value: Value{f}}, true
		}
	}
	return Place{}, false
}

// At returns the place at path from the root: member keys, and "[]" for
// an array element.
func At(path ...string) (Place, bool) {
	p := Root()
	for _, seg := range path {
		var ok bool
		if seg == "[]" {
			p, ok = p.Elem()
		} else {
			p, ok = p.Key(seg)
		}
		if !ok {
			return Place{}, false
		}
	}
	return p, true
}

// FieldOf returns the field at path (as for At), or nil when the path ends
// elsewhere (a table entry, an array element, free JSON, nowhere).
func FieldOf(path ...string) *FieldSpec {
	p, ok := At(path...)
	if !ok {
		return nil
	}
	return p.Field
}
