package configschema

import (
	"encoding/json"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Meta-schema validation (spec 8.3). Amber compiles the schema with a JSON
// Schema library that validates it against the Draft 2020-12 meta-schema.
// This is a focused re-implementation of that meta-schema for the keywords
// a config schema uses, with the library's message shapes:
//
//   - type: a simple type name or a non-empty array of unique names;
//   - enum, examples, prefixItems, allOf: arrays;
//   - const, default: anything;
//   - numeric bounds (minimum, maximum, exclusiveMinimum, exclusiveMaximum)
//     numbers; multipleOf a number > 0;
//   - minLength, maxLength, minItems, maxItems, minProperties,
//     maxProperties, minContains, maxContains: non-negative integers;
//   - pattern: a string that compiles as a regular expression (see
//     CompilePattern: look-around and back-references are accepted);
//   - format, title, description, $comment, $id, $anchor: strings;
//   - uniqueItems, readOnly, writeOnly, deprecated: booleans;
//   - subschemas (properties/$defs values, items, contains, allOf elements,
//     additionalProperties): objects or booleans;
//   - local $ref pointers must resolve.

var simpleTypes = map[string]bool{"array": true, "boolean": true, "integer": true, "null": true,
	"number": true, "object": true, "string": true}

// compact renders a value as compact JSON, as the library prints instances
// (serde_json: sorted keys, `<`, `>` and `&` as they are).
func compact(n *json5.Node) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(n.Value()); err != nil {
		return n.Text
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (c *checker) meta(s *json5.Node, p schemaPath) {
	if s.Kind == json5.Bool {
		return
	}
	if s.Kind != json5.Object {
		c.fail(p, s, compact(s)+` is not of types "boolean", "object"`)
		return
	}
	for _, m := range s.Members {
		v, kp := m.Value, p.key(m.Key.Name)
		switch m.Key.Name {
		case "type":
			c.metaType(v, kp)
		case "enum", "examples":
			c.want(v, kp, json5.Array, "array")
		case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
			c.want(v, kp, json5.Number, "number")
		case "multipleOf":
			if c.want(v, kp, json5.Number, "number") {
				if f, _ := v.Float(); f <= 0 {
					c.fail(kp, v, compact(v)+" is less than or equal to the minimum of 0")
				}
			}
		case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
			"minContains", "maxContains":
			if !v.IsInteger() {
				if f, ok := v.Float(); !ok || f != float64(int64(f)) {
					c.fail(kp, v, compact(v)+` is not of type "integer"`)
					continue
				}
			}
			if f, _ := v.Float(); f < 0 {
				c.fail(kp, v, compact(v)+" is less than the minimum of 0")
			}
		case "pattern":
			if c.want(v, kp, json5.String, "string") {
				if _, err := CompilePattern(v.Text); err != nil {
					c.fail(kp, v, compact(v)+` is not a "regex"`)
				}
			}
		case "format", "title", "description", "$comment", "$id", "$anchor":
			c.want(v, kp, json5.String, "string")
		case "uniqueItems", "readOnly", "writeOnly", "deprecated":
			c.want(v, kp, json5.Bool, "boolean")
		case "properties", "$defs", "definitions":
			if v.Kind == json5.Object {
				for _, sub := range v.Members {
					c.meta(sub.Value, kp.key(sub.Key.Name))
				}
			}
		case "items", "contains", "additionalProperties":
			c.meta(v, kp)
		case "allOf", "prefixItems":
			if c.want(v, kp, json5.Array, "array") {
				for i, e := range v.Elems() {
					c.meta(e, kp.index(i))
				}
			}
		}
	}
}

// want checks a keyword value's kind.
func (c *checker) want(v *json5.Node, p schemaPath, kind json5.Kind, name string) bool {
	if v.Kind == kind {
		return true
	}
	c.fail(p, v, compact(v)+` is not of type "`+name+`"`)
	return false
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

// refs reports local `$ref` pointers that do not resolve.
func (c *checker) refs(s *json5.Node, p schemaPath) {
	switch s.Kind {
	case json5.Object:
		for _, m := range s.Members {
			if m.Key.Name == "$ref" && m.Value.Kind == json5.String {
				if _, ok := Resolve(c.root, m.Value.Text); !ok {
					c.fail(nil, c.root, RefNotFound(m.Value.Text))
				}
				continue
			}
			if m.Key.Name == "default" || m.Key.Name == "const" || m.Key.Name == "enum" || m.Key.Name == "examples" {
				continue
			}
			c.refs(m.Value, p.key(m.Key.Name))
		}
	case json5.Array:
		for i, e := range s.Elems() {
			c.refs(e, p.index(i))
		}
	}
}
