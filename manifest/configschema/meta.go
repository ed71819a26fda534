package configschema

import (
	"math"
	"regexp"

	"github.com/amberlsp/amber-lsp/internal/serdejson"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Meta-schema validation (spec 8.3). Amber compiles the schema with a JSON
// Schema library that first validates it against the Draft 2020-12
// meta-schema and stops at the first violation. This is a re-implementation
// of that meta-schema, with the library's message shapes and order: the
// meta-schema applies its vocabularies one after another (core, applicator,
// unevaluated, validation, meta-data, format-annotation, content, then the
// deprecated keywords of the schema itself) and each checks its keywords in
// byte-wise order, the library's maps being sorted; members of a schema
// map (`properties`, `$defs`, ...) come in key order. So the first error
// here is the one Amber reports.
//
// Compiling comes after: a `pattern` the library rejects (see
// CompilePattern) is reported after every meta-schema error, then local
// `$ref` pointers that do not resolve.

// metaOrder lists the keywords the meta-schema constrains, in the order the
// library checks them. Keywords the profile rejects (anyOf, not, ...) never
// reach it; they are listed to keep the order whole.
var metaOrder = []string{
	// core
	"$anchor", "$comment", "$defs", "$dynamicAnchor", "$dynamicRef", "$id", "$ref", "$schema", "$vocabulary",
	// applicator
	"additionalProperties", "allOf", "anyOf", "contains", "dependentSchemas", "else", "if", "items", "not",
	"oneOf", "patternProperties", "prefixItems", "properties", "propertyNames", "then",
	// unevaluated
	"unevaluatedItems", "unevaluatedProperties",
	// validation
	"const", "dependentRequired", "enum", "exclusiveMaximum", "exclusiveMinimum", "maxContains", "maxItems",
	"maxLength", "maxProperties", "maximum", "minContains", "minItems", "minLength", "minProperties",
	"minimum", "multipleOf", "pattern", "required", "type", "uniqueItems",
	// meta-data
	"default", "deprecated", "description", "examples", "readOnly", "title", "writeOnly",
	// format-annotation
	"format",
	// content
	"contentEncoding", "contentMediaType", "contentSchema",
	// the schema's own (deprecated) keywords
	"$recursiveAnchor", "$recursiveRef", "definitions", "dependencies",
}

// metaRank is the place of each keyword in metaOrder.
var metaRank = func() map[string]int {
	m := make(map[string]int, len(metaOrder))
	for i, k := range metaOrder {
		m[k] = i
	}
	return m
}()

var simpleTypes = map[string]bool{"array": true, "boolean": true, "integer": true, "null": true,
	"number": true, "object": true, "string": true}

// The meta-schema's patterns for anchors and `$id`.
var (
	anchorPattern = regexp.MustCompile(`^[A-Za-z_][-A-Za-z0-9._]*$`)
	idPattern     = regexp.MustCompile(`^[^#]*#?$`)
)

// compact renders a value as compact JSON, as the library prints instances
// (serdejson: serde_json's form, with sorted keys, strings escaped as
// serde_json escapes them, integers verbatim and floats as `1.0`, `1e21`).
func compact(n *json5.Node) string {
	b, err := serdejson.Encode(readValue(n))
	if err != nil {
		return n.Text
	}
	return string(b)
}

// readValue is the value Amber reads from n (json5.Node.Value), with the
// integers above the int64 range that fit in a uint64 kept exact.
func readValue(n *json5.Node) any {
	switch n.Kind {
	case json5.Object:
		m := make(map[string]any, len(n.Members))
		for _, mem := range n.Members {
			m[mem.Key.Name] = readValue(mem.Value)
		}
		return m
	case json5.Array:
		es := n.Elems()
		a := make([]any, len(es))
		for i, e := range es {
			a[i] = readValue(e)
		}
		return a
	case json5.Number:
		if _, ok := n.Int(); !ok {
			if u, ok := n.Uint(); ok {
				return u
			}
		}
	}
	return n.Value()
}

// meta validates a schema (an object or a boolean) against the
// meta-schema.
func (c *checker) meta(s *json5.Node, p schemaPath) {
	if s.Kind == json5.Bool {
		return
	}
	if s.Kind != json5.Object {
		c.fail(p, s, compact(s)+` is not of types "boolean", "object"`)
		return
	}
	// The constrained keywords in metaOrder, the last of repeated ones.
	found := make([]*json5.Member, len(metaOrder))
	for _, m := range s.Members {
		if r, ok := metaRank[m.Key.Name]; ok {
			found[r] = m
		}
	}
	for _, m := range found {
		if m != nil {
			c.metaKeyword(m.Key.Name, m.Value, p.key(m.Key.Name))
		}
	}
}

// metaKeyword validates the value v of keyword kw at p.
func (c *checker) metaKeyword(kw string, v *json5.Node, p schemaPath) {
	switch kw {
	case "$anchor", "$dynamicAnchor", "$recursiveAnchor":
		if c.want(v, p, json5.String, "string") && !anchorPattern.MatchString(v.Text) {
			c.fail(p, v, compact(v)+` does not match "`+anchorPattern.String()+`"`)
		}
	case "$id":
		if c.want(v, p, json5.String, "string") && !idPattern.MatchString(v.Text) {
			c.fail(p, v, compact(v)+` does not match "`+idPattern.String()+`"`)
		}
	case "$comment", "$dynamicRef", "$ref", "$schema", "$recursiveRef", "format", "title", "description",
		"contentEncoding", "contentMediaType":
		c.want(v, p, json5.String, "string")
	case "$vocabulary":
		if v.Kind == json5.Object {
			for _, m := range sortedMembers(v) {
				c.want(m.Value, p.key(m.Key.Name), json5.Bool, "boolean")
			}
		}
		c.want(v, p, json5.Object, "object")
	case "$defs", "definitions", "dependentSchemas", "patternProperties", "properties":
		if v.Kind == json5.Object {
			for _, m := range sortedMembers(v) {
				c.meta(m.Value, p.key(m.Key.Name))
			}
		}
		c.want(v, p, json5.Object, "object")
	case "additionalProperties", "contains", "else", "if", "items", "not", "propertyNames", "then",
		"unevaluatedItems", "unevaluatedProperties", "contentSchema":
		c.meta(v, p)
	case "allOf", "anyOf", "oneOf", "prefixItems":
		if c.want(v, p, json5.Array, "array") {
			for i, e := range v.Elems() {
				c.meta(e, p.index(i))
			}
			c.minOneItem(v, p)
		}
	case "dependentRequired":
		if v.Kind == json5.Object {
			for _, m := range sortedMembers(v) {
				c.stringArray(m.Value, p.key(m.Key.Name))
			}
		}
		c.want(v, p, json5.Object, "object")
	case "dependencies":
		if v.Kind == json5.Object {
			for _, m := range sortedMembers(v) {
				if !c.validSchema(m.Value) && !c.validStringArray(m.Value) {
					c.fail(p.key(m.Key.Name), m.Value, compact(m.Value)+" is not valid under any of the schemas listed in the 'anyOf' keyword")
				}
			}
		}
		c.want(v, p, json5.Object, "object")
	case "enum", "examples":
		c.want(v, p, json5.Array, "array")
	case "exclusiveMaximum", "exclusiveMinimum", "maximum", "minimum":
		c.want(v, p, json5.Number, "number")
	case "multipleOf":
		if f, _ := v.Float(); finite(v) && f <= 0 {
			c.fail(p, v, compact(v)+" is less than or equal to the minimum of 0")
			return
		}
		c.want(v, p, json5.Number, "number")
	case "maxContains", "maxItems", "maxLength", "maxProperties", "minContains", "minItems", "minLength",
		"minProperties":
		c.nonNegativeInteger(v, p)
	case "pattern":
		if c.want(v, p, json5.String, "string") {
			if _, err := CompilePattern(v.Text); err != nil {
				c.compileErrs = append(c.compileErrs, Error{Path: p.String(), Text: compact(v) + ` is not a "regex"`, Node: v})
			}
		}
	case "required":
		c.stringArray(v, p)
	case "type":
		c.metaType(v, p)
	case "uniqueItems", "deprecated", "readOnly", "writeOnly":
		c.want(v, p, json5.Bool, "boolean")
	}
}

// want checks a keyword value's kind. NaN and the infinities are not
// numbers: Amber stores them as null.
func (c *checker) want(v *json5.Node, p schemaPath, kind json5.Kind, name string) bool {
	if v.Kind == kind && (kind != json5.Number || finite(v)) {
		return true
	}
	c.fail(p, v, compact(v)+` is not of type "`+name+`"`)
	return false
}

// minOneItem checks the `minItems: 1` of the meta-schema's schema arrays.
func (c *checker) minOneItem(v *json5.Node, p schemaPath) {
	if len(v.Elems()) == 0 {
		c.fail(p, v, compact(v)+" has less than 1 item")
	}
}

// nonNegativeInteger checks a count: `minimum: 0`, then `type: "integer"`
// (1.0 is an integer).
func (c *checker) nonNegativeInteger(v *json5.Node, p schemaPath) {
	f, _ := v.Float()
	switch {
	case !finite(v):
		c.fail(p, v, compact(v)+` is not of type "integer"`)
	case f < 0:
		c.fail(p, v, compact(v)+" is less than the minimum of 0")
	case !v.IsInteger() && f != math.Trunc(f):
		c.fail(p, v, compact(v)+` is not of type "integer"`)
	}
}

// finite reports whether v is a number other than NaN and the infinities.
func finite(v *json5.Node) bool {
	f, ok := v.Float()
	return ok && !math.IsInf(f, 0) && !math.IsNaN(f)
}

// stringArray checks an array of unique strings (`required`): its items
// are strings, then it is an array, then its items are unique.
func (c *checker) stringArray(v *json5.Node, p schemaPath) {
	if v.Kind != json5.Array {
		c.want(v, p, json5.Array, "array")
		return
	}
	ok := true
	for i, e := range v.Elems() {
		ok = c.want(e, p.index(i), json5.String, "string") && ok
	}
	if ok && !uniqueStrings(v) {
		c.fail(p, v, compact(v)+" has non-unique elements")
	}
}

// validStringArray reports whether v is an array of unique strings.
func (c *checker) validStringArray(v *json5.Node) bool {
	sub := &checker{root: c.root}
	sub.stringArray(v, nil)
	return len(sub.errs) == 0
}

// validSchema reports whether v passes the meta-schema.
func (c *checker) validSchema(v *json5.Node) bool {
	sub := &checker{root: c.root}
	sub.meta(v, nil)
	return len(sub.errs) == 0
}

// uniqueStrings reports whether the elements of an array of strings differ.
func uniqueStrings(v *json5.Node) bool {
	seen := make(map[string]bool, len(v.Elems()))
	for _, e := range v.Elems() {
		if seen[e.Text] {
			return false
		}
		seen[e.Text] = true
	}
	return true
}

func (c *checker) metaType(v *json5.Node, p schemaPath) {
	ok := false
	switch v.Kind {
	case json5.String:
		ok = simpleTypes[v.Text]
	case json5.Array:
		ok = len(v.Elems()) > 0
		seen := map[string]bool{}
		for _, e := range v.Elems() {
			if e.Kind != json5.String || !simpleTypes[e.Text] || seen[e.Text] {
				ok = false
			}
			if e.Kind == json5.String {
				seen[e.Text] = true
			}
		}
	}
	if !ok {
		c.fail(p, v, compact(v)+" is not valid under any of the schemas listed in the 'anyOf' keyword")
	}
}

// refs reports the local `$ref`s that do not resolve among those the JSON
// Schema library resolves when it compiles the schema: the `$ref`s of the
// subschemas it compiles, from the root through its applicator keywords
// and the targets of the references it follows. A `$ref` in a keyword the
// library does not know (`x-ui`, `uiLabel`), in data (`default`, `enum`)
// or in a definition nothing refers to is never resolved. (The profile
// rejects anyOf, not, if and the like before this runs; they are walked
// all the same, as the library compiles them.) compiled holds the schema
// objects walked so far (nil at the root).
func (c *checker) refs(s *json5.Node, compiled map[*json5.Node]bool) {
	if compiled == nil {
		compiled = map[*json5.Node]bool{}
	}
	if s.Kind != json5.Object || compiled[s] {
		return
	}
	compiled[s] = true
	each := func(n *json5.Node) {
		switch n.Kind {
		case json5.Object:
			for _, m := range n.Members {
				c.refs(m.Value, compiled)
			}
		case json5.Array:
			for _, e := range n.Elems() {
				c.refs(e, compiled)
			}
		}
	}
	for _, m := range s.Members {
		v := m.Value
		switch m.Key.Name {
		case "$ref":
			if v.Kind != json5.String {
				continue
			}
			if target, ok := Resolve(c.root, v.Text); ok {
				c.refs(target, compiled)
			} else {
				c.fail(nil, c.root, RefNotFound(v.Text))
			}
		case "additionalProperties", "additionalItems", "contains", "not", "if", "then", "else",
			"propertyNames", "unevaluatedItems", "unevaluatedProperties":
			c.refs(v, compiled)
		case "items":
			if v.Kind == json5.Array {
				each(v)
			} else {
				c.refs(v, compiled)
			}
		case "properties", "patternProperties", "dependentSchemas", "dependencies", "allOf", "anyOf",
			"oneOf", "prefixItems":
			each(v)
		}
	}
}
