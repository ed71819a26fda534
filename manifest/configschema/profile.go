// Package configschema implements Amber's config_schema profile: the checks
// Amber applies to a manifest's `config_schema` (a restricted JSON Schema
// Draft 2020-12), config path lookup, and the schema analyses behind the
// config lints (leaves, presence).
//
// It works on the JSON5 syntax tree, so every error knows its source span.
package configschema

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Error is a problem with a config_schema. Amber reports it as
// `invalid config definition at {Path}: {Text}`.
type Error struct {
	Path string      // display path inside the schema, `<root>` for the schema itself
	Text string      // the reason
	Node *json5.Node // the value the error is about
	// Key, when set, is the key the error is about (unsupported keywords,
	// invalid property names): the span is the key, not the value.
	Key *json5.Key
}

// Message returns the full diagnostic message.
func (e Error) Message() string { return "invalid config definition at " + e.Path + ": " + e.Text }

// schemaPath is a display path inside a schema.
type schemaPath []string

func (p schemaPath) String() string {
	if len(p) == 0 {
		return "<root>"
	}
	var b strings.Builder
	for i, s := range p {
		if strings.HasPrefix(s, "[") {
			b.WriteString(s)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func (p schemaPath) key(k string) schemaPath { return append(append(schemaPath{}, p...), k) }
func (p schemaPath) index(i int) schemaPath {
	return append(append(schemaPath{}, p...), "["+strconv.Itoa(i)+"]")
}

// kindName names a JSON value kind as Amber's profile messages do.
func kindName(n *json5.Node) string {
	switch n.Kind {
	case json5.Null:
		return "null"
	case json5.Bool:
		return "boolean"
	case json5.Number:
		return "number"
	case json5.String:
		return "string"
	case json5.Array:
		return "array"
	case json5.Object:
		return "object"
	}
	return "invalid"
}

// unsupportedKeywords are rejected by the profile, checked in this order.
var unsupportedKeywords = []string{"anyOf", "oneOf", "not", "if", "then", "else", "patternProperties",
	"propertyNames", "dependentSchemas", "dependentRequired", "unevaluatedProperties", "unevaluatedItems",
	"$dynamicRef", "$recursiveRef"}

// Check runs the profile walk of the schema and, when it passes, the
// meta-schema validation. Errors come in Amber's walk order, so the first is
// the one Amber reports; the rest are independent problems Amber would
// report after fixing the first.
func Check(schema *json5.Node) []Error {
	c := &checker{root: schema}
	c.checkRoot()
	if len(c.errs) == 0 {
		c.meta(schema, nil)
		c.errs = append(c.errs, c.compileErrs...)
		c.refs(schema, nil)
	}
	return c.errs
}

type checker struct {
	root *json5.Node
	errs []Error
	// compileErrs are the errors of compiling the schema (invalid
	// patterns), which come after the meta-schema's.
	compileErrs []Error
}

func (c *checker) fail(p schemaPath, n *json5.Node, text string) {
	c.errs = append(c.errs, Error{Path: p.String(), Text: text, Node: n})
}

func (c *checker) failKey(p schemaPath, k json5.Key, text string) {
	c.errs = append(c.errs, Error{Path: p.String(), Text: text, Key: &k})
}

// hasObjectType reports whether a schema's `type` is "object" or an array
// containing "object".
func hasObjectType(schema *json5.Node) bool {
	t := schema.Get("type")
	if t == nil {
		return false
	}
	if t.Kind == json5.String {
		return t.Text == "object"
	}
	if t.Kind == json5.Array {
		for _, e := range t.Elems() {
			if e.Kind == json5.String && e.Text == "object" {
				return true
			}
		}
	}
	return false
}

func (c *checker) checkRoot() {
	s := c.root
	if s.Kind != json5.Object {
		c.fail(nil, s, "root config_schema must be a JSON Schema object with `type: \"object\"`")
		return
	}
	if !hasObjectType(s) {
		at, p := s, schemaPath(nil)
		if t := s.Get("type"); t != nil {
			at, p = t, schemaPath{"type"}
		}
		c.fail(p, at, "root config_schema must declare `type: \"object\"` or include \"object\" in its `type` array")
		return
	}
	c.walk(s, nil)
}

var draft2020 = map[string]bool{
	"https://json-schema.org/draft/2020-12/schema":  true,
	"https://json-schema.org/draft/2020-12/schema#": true,
	"http://json-schema.org/draft/2020-12/schema":   true,
	"http://json-schema.org/draft/2020-12/schema#":  true,
}

// walk checks one schema object (spec 8.1 steps 1-12).
func (c *checker) walk(s *json5.Node, p schemaPath) {
	if s.Kind != json5.Object {
		return
	}
	if v := s.Get("$schema"); v != nil {
		switch {
		case v.Kind != json5.String:
			c.fail(p.key("$schema"), v, "`$schema` must be a string in Amber config_schema, got "+kindName(v))
		case !draft2020[v.Text]:
			c.fail(p.key("$schema"), v, "`$schema` must be Draft 2020-12 for Amber config_schema")
		}
	}
	if v := s.Get("$ref"); v != nil {
		switch {
		case v.Kind != json5.String:
			c.fail(p.key("$ref"), v, "`$ref` must be a string in Amber config_schema, got "+kindName(v))
		case v.Text != "#" && !strings.HasPrefix(v.Text, "#/"):
			c.fail(p.key("$ref"), v, "`$ref` must be local to the same config_schema (`#` or `#/...`)")
		}
	}
	for _, kw := range unsupportedKeywords {
		if m := s.Member(kw); m != nil {
			c.failKey(p.key(kw), m.Key, "unsupported config_schema keyword `"+kw+"`")
		}
	}
	if v := s.Get("secret"); v != nil && v.Kind != json5.Bool {
		c.fail(p.key("secret"), v, "`secret` must be a boolean annotation")
	}
	if v := s.Get("additionalProperties"); v != nil && v.Kind != json5.Bool {
		c.fail(p.key("additionalProperties"), v, "`additionalProperties` must be a boolean in Amber config_schema")
	}
	if v := s.Get("properties"); v != nil && c.objectTyped(s, p, "properties") {
		if v.Kind != json5.Object {
			c.fail(p.key("properties"), v, "`properties` must be an object in Amber config_schema, got "+kindName(v))
		} else {
			for _, m := range sortedMembers(v) {
				if text := KeyError("config property name", m.Key.Name); text != "" {
					c.failKey(p.key("properties").key(m.Key.Name), m.Key, text)
					continue
				}
				c.walk(m.Value, p.key("properties").key(m.Key.Name))
			}
		}
	}
	if v := s.Get("required"); v != nil && c.objectTyped(s, p, "required") {
		if v.Kind != json5.Array {
			c.fail(p.key("required"), v, "`required` must be an array in Amber config_schema, got "+kindName(v))
		} else {
			for i, e := range v.Elems() {
				ep := p.key("required").index(i)
				if e.Kind != json5.String {
					c.fail(ep, e, "`required` entries must be strings in Amber config_schema, got "+kindName(e))
				} else if text := KeyError("required config property name", e.Text); text != "" {
					c.fail(ep, e, text)
				}
			}
		}
	}
	for _, kw := range []string{"$defs", "definitions"} {
		if v := s.Get(kw); v != nil {
			if v.Kind != json5.Object {
				c.fail(p.key(kw), v, "`"+kw+"` must be an object in Amber config_schema, got "+kindName(v))
				continue
			}
			for _, m := range sortedMembers(v) {
				c.walk(m.Value, p.key(kw).key(m.Key.Name))
			}
		}
	}
	c.walkList(s, p, "allOf")
	for _, kw := range []string{"items", "contains"} {
		if v := s.Get(kw); v != nil {
			c.walk(v, p.key(kw))
		}
	}
	c.walkList(s, p, "prefixItems")
}

// walkList walks the schemas of keyword kw of schema object s, which must
// be an array of them (`allOf`, `prefixItems`).
func (c *checker) walkList(s *json5.Node, p schemaPath, kw string) {
	v := s.Get(kw)
	switch {
	case v == nil:
	case v.Kind != json5.Array:
		c.fail(p.key(kw), v, "`"+kw+"` must be an array in Amber config_schema, got "+kindName(v))
	default:
		for i, e := range v.Elems() {
			c.walk(e, p.key(kw).index(i))
		}
	}
}

// objectTyped checks that a schema using `properties`/`required` declares an
// object type.
func (c *checker) objectTyped(s *json5.Node, p schemaPath, kw string) bool {
	if hasObjectType(s) {
		return true
	}
	text := "schema objects with `" + kw + "` must declare `type: \"object\"` or include \"object\" in their `type` array"
	if t := s.Get("type"); t != nil {
		c.fail(p.key("type"), t, text)
	} else {
		c.fail(p, s, text)
	}
	return false
}

// sortedMembers returns an object's members in ascending key order, first
// occurrence of each key only (JSON values keep the last, but a repeated
// key is reported once either way).
func sortedMembers(n *json5.Node) []*json5.Member {
	seen := map[string]int{}
	var out []*json5.Member
	for _, m := range n.Members {
		if i, ok := seen[m.Key.Name]; ok {
			out[i] = m // the last occurrence wins, as in JSON values
			continue
		}
		seen[m.Key.Name] = len(out)
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key.Name < out[j].Key.Name })
	return out
}

// IsValidKey reports whether s is a valid config property name:
// `^(?!.*__)[a-z][a-z0-9_]*$`.
func IsValidKey(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || strings.Contains(s, "__") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// KeyError returns Amber's message for an invalid config key (what is
// "config property name" or "required config property name"), or "" for a
// valid one.
func KeyError(what, key string) string {
	if IsValidKey(key) {
		return ""
	}
	text := what + " `" + key + "` is invalid; config property names must start with a lowercase ASCII letter and contain only lowercase ASCII letters, digits, and underscores; double underscores are not allowed"
	if strings.IndexFunc(key, unicode.IsUpper) >= 0 {
		text += ". Uppercase letters are not allowed"
	}
	if lower := asciiLower(key); lower != key && IsValidKey(lower) {
		text += "; use `" + lower + "` instead"
	}
	return text
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
