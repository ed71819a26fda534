package configschema

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/cost"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// parse parses a JSON5 schema text that must be free of syntax errors.
func parse(t *testing.T, src string) (*json5.File, *json5.Node) {
	t.Helper()
	f := json5.Parse([]byte(src))
	if f.HasSyntaxErrors() || f.Root() == nil {
		t.Fatalf("bad test schema %s: %v", src, f.Errors)
	}
	return f, f.Root()
}

// text returns the source text of a node.
func text(f *json5.File, n *json5.Node) string {
	if n == nil {
		return "<nil>"
	}
	return string(f.Src[n.Start:n.End])
}

// errorSpanText returns the source text an error points at: the key for
// key errors, else the value.
func errorSpanText(f *json5.File, e Error) string {
	if e.Key != nil {
		return string(f.Src[e.Key.Start:e.Key.End])
	}
	return text(f, e.Node)
}

func TestCheck(t *testing.T) {
	const long = "is invalid; config property names must start with a lowercase ASCII letter and contain only lowercase ASCII letters, digits, and underscores; double underscores are not allowed"
	type want struct{ path, text, span string }
	tests := []struct {
		name   string
		schema string
		want   []want
	}{
		{"valid", `{ type: "object", properties: { a: { type: "string" }, b: { type: "integer", minimum: 0 } }, required: ["a"] }`, nil},
		{"valid type array", `{ type: ["object", "null"], properties: { a: {} } }`, nil},
		{"unknown annotations accepted", `{ type: "object", uiLabel: "x", "x-extra": 1, properties: { a: { type: "string", title: "A", secret: true } } }`, nil},
		{"root not an object", `true`,
			[]want{{"<root>", "root config_schema must be a JSON Schema object with `type: \"object\"`", `true`}}},
		{"root array", `[]`,
			[]want{{"<root>", "root config_schema must be a JSON Schema object with `type: \"object\"`", `[]`}}},
		{"root without type", `{ properties: {} }`,
			[]want{{"<root>", "root config_schema must declare `type: \"object\"` or include \"object\" in its `type` array", `{ properties: {} }`}}},
		{"root wrong type", `{ type: "string" }`,
			[]want{{"type", "root config_schema must declare `type: \"object\"` or include \"object\" in its `type` array", `"string"`}}},
		{"$schema not a string", `{ type: "object", $schema: 7 }`,
			[]want{{"$schema", "`$schema` must be a string in Amber config_schema, got number", `7`}}},
		{"$schema other draft", `{ type: "object", $schema: "http://json-schema.org/draft-07/schema#" }`,
			[]want{{"$schema", "`$schema` must be Draft 2020-12 for Amber config_schema", `"http://json-schema.org/draft-07/schema#"`}}},
		{"$schema 2020-12 variants", `{ type: "object", properties: { a: { $schema: "http://json-schema.org/draft/2020-12/schema#" } }, $schema: "https://json-schema.org/draft/2020-12/schema" }`, nil},
		{"$ref not a string", `{ type: "object", properties: { a: { $ref: null } } }`,
			[]want{{"properties.a.$ref", "`$ref` must be a string in Amber config_schema, got null", `null`}}},
		{"$ref not local", `{ type: "object", properties: { token: { $ref: "#token" } } }`,
			[]want{{"properties.token.$ref", "`$ref` must be local to the same config_schema (`#` or `#/...`)", `"#token"`}}},
		{"unsupported keywords in order, on the key", `{ type: "object", oneOf: [], anyOf: [] }`,
			[]want{
				{"anyOf", "unsupported config_schema keyword `anyOf`", `anyOf`},
				{"oneOf", "unsupported config_schema keyword `oneOf`", `oneOf`},
			}},
		{"unsupported nested", `{ type: "object", properties: { a: { type: "object", "patternProperties": {} } } }`,
			[]want{{"properties.a.patternProperties", "unsupported config_schema keyword `patternProperties`", `"patternProperties"`}}},
		{"secret not boolean", `{ type: "object", properties: { k: { secret: "yes" } } }`,
			[]want{{"properties.k.secret", "`secret` must be a boolean annotation", `"yes"`}}},
		{"additionalProperties schema", `{ type: "object", additionalProperties: { type: "string" } }`,
			[]want{{"additionalProperties", "`additionalProperties` must be a boolean in Amber config_schema", `{ type: "string" }`}}},
		{"properties without object type", `{ type: "object", properties: { a: { type: "string", properties: {} } } }`,
			[]want{{"properties.a.type", "schema objects with `properties` must declare `type: \"object\"` or include \"object\" in their `type` array", `"string"`}}},
		{"properties without any type", `{ type: "object", properties: { a: { properties: {} } } }`,
			[]want{{"properties.a", "schema objects with `properties` must declare `type: \"object\"` or include \"object\" in their `type` array", `{ properties: {} }`}}},
		{"properties wrong type", `{ type: "object", properties: [] }`,
			[]want{{"properties", "`properties` must be an object in Amber config_schema, got array", `[]`}}},
		{"property names sorted, on the key", `{ type: "object", properties: { zz_Bad: {}, agent_HF_TOKEN: { type: "string" }, "9x": {}, a__b: {} } }`,
			[]want{
				{"properties.9x", "config property name `9x` " + long, `"9x"`},
				{"properties.a__b", "config property name `a__b` " + long, `a__b`},
				{"properties.agent_HF_TOKEN", "config property name `agent_HF_TOKEN` " + long + ". Uppercase letters are not allowed; use `agent_hf_token` instead", `agent_HF_TOKEN`},
				{"properties.zz_Bad", "config property name `zz_Bad` " + long + ". Uppercase letters are not allowed; use `zz_bad` instead", `zz_Bad`},
			}},
		{"required without object type", `{ type: "object", properties: { a: { required: [] } } }`,
			[]want{{"properties.a", "schema objects with `required` must declare `type: \"object\"` or include \"object\" in their `type` array", `{ required: [] }`}}},
		{"required wrong type", `{ type: "object", required: "a" }`,
			[]want{{"required", "`required` must be an array in Amber config_schema, got string", `"a"`}}},
		{"required entries", `{ type: "object", required: ["ok", 1, "HF_TOKEN"] }`,
			[]want{
				{"required[1]", "`required` entries must be strings in Amber config_schema, got number", `1`},
				{"required[2]", "required config property name `HF_TOKEN` " + long + ". Uppercase letters are not allowed; use `hf_token` instead", `"HF_TOKEN"`},
			}},
		{"$defs and definitions", `{ type: "object", $defs: [], definitions: { b: { oneOf: [] } } }`,
			[]want{
				{"$defs", "`$defs` must be an object in Amber config_schema, got array", `[]`},
				{"definitions.b.oneOf", "unsupported config_schema keyword `oneOf`", `oneOf`},
			}},
		{"allOf, items, contains, prefixItems walked", `{ type: "object", allOf: [{ not: {} }], properties: { l: { type: "array", items: { if: {} }, contains: { then: {} }, prefixItems: [{ else: {} }] } } }`,
			[]want{
				{"properties.l.items.if", "unsupported config_schema keyword `if`", `if`},
				{"properties.l.contains.then", "unsupported config_schema keyword `then`", `then`},
				{"properties.l.prefixItems[0].else", "unsupported config_schema keyword `else`", `else`},
				{"allOf[0].not", "unsupported config_schema keyword `not`", `not`},
			}},
		{"allOf and prefixItems must be arrays", `{ type: "object", allOf: {}, prefixItems: 1 }`,
			[]want{
				{"allOf", "`allOf` must be an array in Amber config_schema, got object", `{}`},
				{"prefixItems", "`prefixItems` must be an array in Amber config_schema, got number", `1`},
			}},
		// Meta-schema checks run only when the profile passes.
		{"meta type keyword", `{ type: "object", properties: { token: { type: 42 } } }`,
			[]want{{"properties.token.type", "42 is not valid under any of the schemas listed in the 'anyOf' keyword", `42`}}},
		{"meta type arrays", `{ type: "object", properties: { a: { type: [] }, b: { type: ["string", "string"] }, c: { type: "text" } } }`,
			[]want{
				{"properties.a.type", "[] is not valid under any of the schemas listed in the 'anyOf' keyword", `[]`},
				{"properties.b.type", `["string","string"] is not valid under any of the schemas listed in the 'anyOf' keyword`, `["string", "string"]`},
				{"properties.c.type", `"text" is not valid under any of the schemas listed in the 'anyOf' keyword`, `"text"`},
			}},
		{"meta messages print <, > and & as they are", `{ type: "object", properties: { a: { type: "a<b&c>" } } }`,
			[]want{{"properties.a.type", `"a<b&c>" is not valid under any of the schemas listed in the 'anyOf' keyword`, `"a<b&c>"`}}},
		{"meta keyword types", `{ type: "object", properties: { a: { minLength: -1, maxLength: 1.5, minimum: "0", multipleOf: 0, pattern: "(", enum: 1, uniqueItems: 1, title: 2 } } }`,
			[]want{
				{"properties.a.enum", `1 is not of type "array"`, `1`},
				{"properties.a.maxLength", `1.5 is not of type "integer"`, `1.5`},
				{"properties.a.minLength", "-1 is less than the minimum of 0", `-1`},
				{"properties.a.minimum", `"0" is not of type "number"`, `"0"`},
				{"properties.a.multipleOf", "0 is less than or equal to the minimum of 0", `0`},
				{"properties.a.uniqueItems", `1 is not of type "boolean"`, `1`},
				{"properties.a.title", `2 is not of type "string"`, `2`},
				// Compiling the pattern comes after the meta-schema.
				{"properties.a.pattern", `"(" is not a "regex"`, `"("`},
			}},
		{"meta order: vocabulary by vocabulary, keywords sorted in each", `{ type: "object", properties: { a: { title: 5, type: 5, maxLength: "x", $comment: 1, allOf: [] } } }`,
			[]want{
				{"properties.a.$comment", `1 is not of type "string"`, `1`},
				{"properties.a.allOf", "[] has less than 1 item", `[]`},
				{"properties.a.maxLength", `"x" is not of type "integer"`, `"x"`},
				{"properties.a.type", "5 is not valid under any of the schemas listed in the 'anyOf' keyword", `5`},
				{"properties.a.title", `5 is not of type "string"`, `5`},
			}},
		{"meta properties in key order", `{ type: "object", properties: { b: { title: 1 }, a: { title: 2 } } }`,
			[]want{
				{"properties.a.title", `2 is not of type "string"`, `2`},
				{"properties.b.title", `1 is not of type "string"`, `1`},
			}},
		{"meta required unique", `{ type: "object", properties: { a: { type: "string" } }, required: ["a", "a"] }`,
			[]want{{"required", `["a","a"] has non-unique elements`, `["a", "a"]`}}},
		{"meta schema arrays not empty", `{ type: "object", allOf: [], properties: { l: { type: "array", prefixItems: [] } } }`,
			[]want{
				{"allOf", "[] has less than 1 item", `[]`},
				{"properties.l.prefixItems", "[] has less than 1 item", `[]`},
			}},
		{"meta anchors and $id", `{ type: "object", $anchor: "1bad", properties: { a: { $dynamicAnchor: 5 }, b: { $anchor: "ok-1._x", $id: "x#" } }, $id: "x#y" }`,
			[]want{
				{"$anchor", `"1bad" does not match "^[A-Za-z_][-A-Za-z0-9._]*$"`, `"1bad"`},
				{"$id", `"x#y" does not match "^[^#]*#?$"`, `"x#y"`},
				{"properties.a.$dynamicAnchor", `5 is not of type "string"`, `5`},
			}},
		{"meta content keywords", `{ type: "object", properties: { a: { contentEncoding: 5, contentMediaType: true, contentSchema: 1 } } }`,
			[]want{
				{"properties.a.contentEncoding", `5 is not of type "string"`, `5`},
				{"properties.a.contentMediaType", `true is not of type "string"`, `true`},
				{"properties.a.contentSchema", `1 is not of types "boolean", "object"`, `1`},
			}},
		{"meta dependencies", `{ type: "object", dependencies: { a: ["b", "b"], c: { type: 5 }, d: true, e: ["x"], f: {} } }`,
			[]want{
				{"dependencies.a", `["b","b"] is not valid under any of the schemas listed in the 'anyOf' keyword`, `["b", "b"]`},
				{"dependencies.c", `{"type":5} is not valid under any of the schemas listed in the 'anyOf' keyword`, `{ type: 5 }`},
			}},
		{"meta non-finite numbers are null", `{ type: "object", properties: { a: { minLength: -Infinity, multipleOf: -Infinity, maximum: NaN } } }`,
			[]want{
				{"properties.a.maximum", `null is not of type "number"`, `NaN`},
				{"properties.a.minLength", `null is not of type "integer"`, `-Infinity`},
				{"properties.a.multipleOf", `null is not of type "number"`, `-Infinity`},
			}},
		{"meta messages print numbers as serde_json does", `{ type: "object", properties: {
			a: { title: 1e21 }, b: { title: 0.1 }, c: { title: 1.0 }, d: { title: -0.0 }, e: { title: -0 }, f: { title: 18446744073709551615 },
			g: { title: 9223372036854775808 }, h: { title: 1.5e-7 }, i: { title: 1e-7 }, j: { title: 123456789012345678.0 }, k: { title: 0x10 },
			l: { title: [1.0, { z: 2.50, y: 1E2 }] }, m: { minLength: -1.0 }, n: { maxLength: 1e16 }, o: { minLength: -9223372036854775808 },
			p: { title: .5 }, q: { title: 5. }, r: { title: +7 }, s: { title: 1e400 }, t: { type: "a\u2028b" } } }`,
			[]want{
				{"properties.a.title", `1e21 is not of type "string"`, `1e21`},
				{"properties.b.title", `0.1 is not of type "string"`, `0.1`},
				{"properties.c.title", `1.0 is not of type "string"`, `1.0`},
				{"properties.d.title", `-0.0 is not of type "string"`, `-0.0`},
				{"properties.e.title", `0 is not of type "string"`, `-0`},
				{"properties.f.title", `18446744073709551615 is not of type "string"`, `18446744073709551615`},
				{"properties.g.title", `9223372036854775808 is not of type "string"`, `9223372036854775808`},
				{"properties.h.title", `1.5e-7 is not of type "string"`, `1.5e-7`},
				{"properties.i.title", `1e-7 is not of type "string"`, `1e-7`},
				{"properties.j.title", `1.2345678901234568e17 is not of type "string"`, `123456789012345678.0`},
				{"properties.k.title", `16 is not of type "string"`, `0x10`},
				{"properties.l.title", `[1.0,{"y":100.0,"z":2.5}] is not of type "string"`, `[1.0, { z: 2.50, y: 1E2 }]`},
				{"properties.m.minLength", "-1.0 is less than the minimum of 0", `-1.0`},
				{"properties.o.minLength", "-9223372036854775808 is less than the minimum of 0", `-9223372036854775808`},
				{"properties.p.title", `0.5 is not of type "string"`, `.5`},
				{"properties.q.title", `5.0 is not of type "string"`, `5.`},
				{"properties.r.title", `7 is not of type "string"`, `+7`},
				{"properties.s.title", `null is not of type "string"`, `1e400`},
				{"properties.t.type", "\"a\u2028b\" is not valid under any of the schemas listed in the 'anyOf' keyword", `"a\u2028b"`},
			}},
		{"meta repeated keyword: the last counts", `{ type: "object", properties: { a: { title: 5, title: "ok" } } }`, nil},
		{"look-around and back-references are accepted", `{ type: "object", properties: { a: { type: "string", pattern: "^(?!admin$).+$" }, b: { pattern: "(?<=x)y" }, c: { pattern: "^(a)\\1$" }, d: { pattern: "(?<!x)[(?=]y(?=z)" } } }`, nil},
		{"patterns invalid with or without look-around", `{ type: "object", properties: { a: { pattern: "(?=a" }, b: { pattern: "\\1" }, c: { pattern: "(?!a)\\q" }, d: { pattern: "(a)\\2" } } }`,
			[]want{
				{"properties.a.pattern", `"(?=a" is not a "regex"`, `"(?=a"`},
				{"properties.b.pattern", `"\\1" is not a "regex"`, `"\\1"`},
				{"properties.c.pattern", `"(?!a)\\q" is not a "regex"`, `"(?!a)\\q"`},
				{"properties.d.pattern", `"(a)\\2" is not a "regex"`, `"(a)\\2"`},
			}},
		{"meta subschema kinds", `{ type: "object", properties: { a: 5, b: { type: "array", items: "x" } } }`,
			[]want{
				{"properties.a", `5 is not of types "boolean", "object"`, `5`},
				{"properties.b.items", `"x" is not of types "boolean", "object"`, `"x"`},
			}},
		{"unresolvable ref at the root", `{ type: "object", properties: { a: { $ref: "#/$defs/missing" } } }`,
			[]want{{"<root>", "Pointer '/$defs/missing' does not exist", `{ type: "object", properties: { a: { $ref: "#/$defs/missing" } } }`}}},
		{"resolvable refs", `{ type: "object", $defs: { s: { type: "string" }, "a/b": {}, "t~": {} }, properties: { a: { $ref: "#/$defs/s" }, b: { $ref: "#/$defs/a~1b" }, c: { $ref: "#/$defs/t~0" }, d: { $ref: "#" } } }`, nil},
		{"percent-encoded refs resolve as the library resolves them", `{ type: "object", $defs: { "s p": { type: "string" }, "x~2": {} }, properties: { a: { $ref: "#/$defs/s%20p" }, b: { $ref: "#/$defs/x~2" } } }`, nil},
		{"refs inside default and enum are data", `{ type: "object", properties: { a: { default: { $ref: "#/nope" }, enum: [{ $ref: "#/nope" }] } } }`, nil},
		// The library resolves only the references of the subschemas it
		// compiles: not those in annotations it does not know, nor in
		// definitions nothing refers to.
		{"refs inside unknown keywords are not resolved", `{ type: "object", "x-ui": { $ref: "#/does/not/exist" }, properties: { a: { uiLabel: { $ref: "#/nope" } } } }`, nil},
		{"refs inside unreferenced definitions are not resolved", `{ type: "object", $defs: { unused: { $ref: "#/nope" } } }`, nil},
		{"refs inside referenced definitions are", `{ type: "object", $defs: { used: { type: "object", properties: { b: { $ref: "#/$defs/gone" } } } }, properties: { a: { $ref: "#/$defs/used" } } }`,
			[]want{{"<root>", "Pointer '/$defs/gone' does not exist", `{ type: "object", $defs: { used: { type: "object", properties: { b: { $ref: "#/$defs/gone" } } } }, properties: { a: { $ref: "#/$defs/used" } } }`}}},
		{"refs below items, allOf and prefixItems", `{ type: "object", properties: { a: { type: "array", items: { $ref: "#/x" }, prefixItems: [{ $ref: "#/y" }] } }, allOf: [{ $ref: "#/z" }] }`,
			[]want{
				{"<root>", "Pointer '/x' does not exist", `{ type: "object", properties: { a: { type: "array", items: { $ref: "#/x" }, prefixItems: [{ $ref: "#/y" }] } }, allOf: [{ $ref: "#/z" }] }`},
				{"<root>", "Pointer '/y' does not exist", `{ type: "object", properties: { a: { type: "array", items: { $ref: "#/x" }, prefixItems: [{ $ref: "#/y" }] } }, allOf: [{ $ref: "#/z" }] }`},
				{"<root>", "Pointer '/z' does not exist", `{ type: "object", properties: { a: { type: "array", items: { $ref: "#/x" }, prefixItems: [{ $ref: "#/y" }] } }, allOf: [{ $ref: "#/z" }] }`},
			}},
		{"profile errors hide meta errors", `{ type: "object", properties: { a: { type: 42 }, B: {} } }`,
			[]want{{"properties.B", "config property name `B` " + long + ". Uppercase letters are not allowed; use `b` instead", `B`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, root := parse(t, tt.schema)
			var got []want
			for _, e := range Check(root) {
				got = append(got, want{e.Path, e.Text, errorSpanText(f, e)})
				if e.Message() != "invalid config definition at "+e.Path+": "+e.Text {
					t.Errorf("Message() = %q", e.Message())
				}
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("Check:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestKeyError(t *testing.T) {
	tests := []struct {
		key   string
		valid bool
		tail  string // what follows the common text
	}{
		{"a", true, ""},
		{"abc_09", true, ""},
		{"a_b_c", true, ""},
		{"", false, ""},
		{"_a", false, ""},
		{"1a", false, ""},
		{"a__b", false, ""},
		{"a-b", false, ""},
		{"é", false, ""},
		{"Abc", false, ". Uppercase letters are not allowed; use `abc` instead"},
		{"A__B", false, ". Uppercase letters are not allowed"},
		{"ÉCOLE", false, ". Uppercase letters are not allowed"},
		{"a.B", false, ". Uppercase letters are not allowed"},
	}
	const common = " is invalid; config property names must start with a lowercase ASCII letter and contain only lowercase ASCII letters, digits, and underscores; double underscores are not allowed"
	for _, tt := range tests {
		if got := IsValidKey(tt.key); got != tt.valid {
			t.Errorf("IsValidKey(%q) = %v, want %v", tt.key, got, tt.valid)
		}
		want := ""
		if !tt.valid {
			want = "config property name `" + tt.key + "`" + common + tt.tail
		}
		if got := KeyError("config property name", tt.key); got != want {
			t.Errorf("KeyError(%q) =\n %q\nwant\n %q", tt.key, got, want)
		}
	}
}

const lookupSchema = `{
  type: "object",
  properties: {
    name: { type: "string" },
    db: { type: "object", properties: { host: { type: "string" }, port: { type: "integer" } } },
    list: { type: "array", items: { type: "object", properties: { x: {} } } },
    ref: { $ref: "#/$defs/server" },
    loop: { $ref: "#/$defs/loop" },
    dangling: { $ref: "#/$defs/none" },
    open: { type: "object", additionalProperties: { type: "string" } },
    leaf: { type: "object" },
    union: { type: "object", anyOf: [{ properties: { u: {} } }] },
    missing_union: { type: "object", oneOf: [{ type: "object", properties: { v: {} } }] },
  },
  allOf: [{ properties: { extra: { type: "boolean" } } }],
  $defs: {
    server: { type: "object", properties: { url: { type: "string" } } },
    loop: { $ref: "#/$defs/loop" },
  },
}`

func TestLookup(t *testing.T) {
	f, root := parse(t, lookupSchema)
	tests := []struct {
		path    string
		outcome Outcome
		node    string // source text of the found node
		failure string
	}{
		{"", Found, "", ""},
		{"name", Found, `{ type: "string" }`, ""},
		{"db.host", Found, `{ type: "string" }`, ""},
		{"db", Found, "", ""},
		{"ref.url", Found, `{ type: "string" }`, ""},
		{"extra", Found, `{ type: "boolean" }`, ""},
		{"nope", Missing, "", `config path "nope" not found (unknown key "nope")`},
		{"db.user", Missing, "", `config path "db.user" not found (unknown key "user")`},
		{"name.x", Missing, "", `config path "name.x" not found (schema has no properties at segment "x")`},
		{"leaf.x", Missing, "", `config path "leaf.x" not found (schema has no properties at segment "x")`},
		{"list.x", Missing, "", `invalid config path "list.x": cannot descend into array at segment "list"`},
		{"list", Found, "", ""},
		{"a..b", Missing, "", `invalid config path "a..b": empty segment`},
		{"db.", Missing, "", `invalid config path "db.": empty segment`},
		{"DB", Missing, "", `invalid config path segment "DB" in "DB"`},
		{"db.Host", Missing, "", `invalid config path segment "Host" in "db.Host"`},
		{"loop.x", Unknown, "", ""},
		{"dangling.x", Unknown, "", ""},
		{"open.anything", Unknown, "", ""},
		{"union.u", Unknown, "", ""},
		{"union.zz", Missing, "", `config path "union.zz" not found (schema has no properties at segment "zz")`},
		{"missing_union.v", Unknown, "", ""},
	}
	for _, tt := range tests {
		outcome, node, failure := Lookup(root, tt.path)
		if outcome != tt.outcome || failure != tt.failure {
			t.Errorf("Lookup(%q) = %v, %q; want %v, %q", tt.path, outcome, failure, tt.outcome, tt.failure)
			continue
		}
		if outcome == Found {
			if node == nil {
				t.Errorf("Lookup(%q): found without a node", tt.path)
			} else if tt.node != "" && text(f, node) != tt.node {
				t.Errorf("Lookup(%q) node = %s, want %s", tt.path, text(f, node), tt.node)
			}
		} else if node != nil {
			t.Errorf("Lookup(%q) = %v with node %s", tt.path, outcome, text(f, node))
		}
	}
	if _, n, _ := Lookup(root, ""); n != root {
		t.Errorf("Lookup(\"\") does not return the root")
	}
}

// TestLookupAsWritten: the leaf as the schema writes it, its `$ref` not
// followed; the `$ref`s on the way are.
func TestLookupAsWritten(t *testing.T) {
	f, root := parse(t, lookupSchema)
	tests := []struct {
		path    string
		outcome Outcome
		node    string
	}{
		{"ref", Found, `{ $ref: "#/$defs/server" }`},
		{"ref.url", Found, `{ type: "string" }`},
		{"loop", Found, `{ $ref: "#/$defs/loop" }`},
		{"dangling", Found, `{ $ref: "#/$defs/none" }`},
		{"dangling.x", Unknown, ""},
		{"extra", Found, `{ type: "boolean" }`},
		{"db", Found, `{ type: "object", properties: { host: { type: "string" }, port: { type: "integer" } } }`},
		{"nope", Missing, ""},
	}
	for _, tt := range tests {
		outcome, node, _ := LookupAsWritten(root, tt.path)
		got := ""
		if node != nil {
			got = text(f, node)
		}
		if outcome != tt.outcome || got != tt.node {
			t.Errorf("LookupAsWritten(%q) = %v %s; want %v %s", tt.path, outcome, got, tt.outcome, tt.node)
		}
	}
}

func TestLeaves(t *testing.T) {
	tests := []struct {
		name    string
		schema  string
		leaves  []string // path=source text of the leaf's node
		reasons []string
	}{
		{"flat", `{ type: "object", properties: { b: { type: "string" }, a: { type: "integer" } } }`,
			[]string{`a={ type: "integer" }`, `b={ type: "string" }`}, nil},
		{"nested and empty objects", `{ type: "object", properties: { db: { type: "object", properties: { port: {}, host: {} } }, opts: { type: "object", properties: {} }, flag: true } }`,
			[]string{`db.host={}`, `db.port={}`, `flag=true`, `opts={ type: "object", properties: {} }`}, nil},
		{"allOf keeps the path", `{ type: "object", allOf: [{ properties: { x: {} } }, { properties: { y: { type: "object", allOf: [{ properties: { z: {} } }] } } }] }`,
			[]string{`x={}`, `y.z={}`}, nil},
		{"refs resolve into definitions", `{ type: "object", properties: { s: { $ref: "#/$defs/srv" } }, $defs: { srv: { type: "object", properties: { url: { type: "string" } } } } }`,
			[]string{`s.url={ type: "string" }`}, nil},
		{"unresolvable ref is a leaf", `{ type: "object", properties: { s: { $ref: "#/$defs/none" } } }`,
			[]string{`s={ $ref: "#/$defs/none" }`}, []string{`unresolvable $ref pointer "#/$defs/none"`}},
		{"bad pointer escape", `{ type: "object", properties: { s: { $ref: "#/$defs/a~2" } } }`,
			[]string{`s={ $ref: "#/$defs/a~2" }`}, []string{`invalid $ref pointer "#/$defs/a~2": non-RFC6901 escape sequence`}},
		{"cycle", `{ type: "object", properties: { a: { $ref: "#/$defs/n" }, b: { $ref: "#/$defs/m" } }, $defs: { n: { type: "object", properties: { next: { $ref: "#/$defs/n" }, v: {} } }, m: { $ref: "#/$defs/none" } } }`,
			[]string{`a.v={}`, `b={ $ref: "#/$defs/none" }`}, []string{"config definition contains a cyclic $ref", `unresolvable $ref pointer "#/$defs/none"`}},
		{"root without properties", `{ type: "object" }`, nil, nil},
		{"one leaf for a path met in several allOf branches", `{ type: "object", properties: { token: { allOf: [{ type: "string" }, { secret: true }] } } }`,
			[]string{`token={ type: "string" }`}, nil},
		{"one leaf for a path met in properties and a branch", `{ type: "object", properties: { a: { type: "string" } }, allOf: [{ type: "object", properties: { a: { minLength: 1 }, b: {} } }] }`,
			[]string{`a={ type: "string" }`, `b={}`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, root := parse(t, tt.schema)
			leaves, reasons := Leaves(root)
			var got []string
			for _, l := range leaves {
				got = append(got, l.Path+"="+text(f, l.Node))
			}
			if strings.Join(got, "\n") != strings.Join(tt.leaves, "\n") {
				t.Errorf("leaves:\n got %q\nwant %q", got, tt.leaves)
			}
			if strings.Join(reasons, "\n") != strings.Join(tt.reasons, "\n") {
				t.Errorf("reasons:\n got %q\nwant %q", reasons, tt.reasons)
			}
		})
	}
}

func TestPresences(t *testing.T) {
	const schema = `{
  type: "object",
  required: ["req", "req_null", "req_any", "obj", "loose", "via_all_of", "via_all_of_null", "req_enum_null"],
  properties: {
    opt: { type: "string" },
    req: { type: "string" },
    req_null: { type: ["string", "null"] },
    req_any: {},
    def: { type: "string", default: "dev" },
    def_null: { type: ["string", "null"], default: null },
    null_only: { type: "null" },
    def_null_only: { type: "null", default: null },
    def_allows_null: { type: ["string", "null"], default: "x" },
    enum_null: { enum: [null] },
    enum_mixed: { enum: ["a", null] },
    const_null: { const: null },
    obj: { type: "object", required: ["inner"], properties: { inner: { type: "string" }, free: { type: "integer" } } },
    loose: { type: ["object", "null"], required: ["inner"], properties: { inner: { type: "string" } } },
    parent_def: { type: "object", default: { a: "x" }, properties: { a: { type: "string" }, b: { type: "string" } } },
    ref: { $ref: "#/$defs/r" },
    open: { type: "object", additionalProperties: {} },
    via_all_of: { allOf: [{ type: "string" }, { $ref: "#/$defs/r" }] },
    via_all_of_null: { allOf: [{ type: ["string", "null"] }] },
    parent_wins: { type: "object", default: { p: null }, properties: { p: { type: "string", default: "y" } } },
    nested_merge: { type: "object", default: { p: {} }, properties: { p: { type: "object", default: { q: 1 }, properties: { q: { type: "integer" } } } } },
    ref_beside: { $ref: "#/$defs/level", default: "info" },
    region: { type: "string" },
    req_enum_null: { type: "string", enum: ["a", null] },
    deep: { type: "object", properties: { inner: { type: "object", properties: { v: { type: "string" } } } } },
    opt_obj: { type: "object", required: ["r"], properties: { r: { type: "string" } } },
    def_member: { type: "object", properties: { r: { type: "string" }, s: { type: "string", default: "s" } } },
  },
  allOf: [
    { type: "object", properties: { zone: { type: "string", default: "a" } } },
    { type: "object", required: ["region", "deep"] },
    { type: "object", properties: { deep: { type: "object", required: ["inner"], properties: { inner: { type: "object", required: ["v"] } } } } },
  ],
  $defs: { r: { type: "string", default: "r" }, level: { type: "string", enum: ["debug", "info"] } },
}`
	_, root := parse(t, schema)
	tests := []struct {
		path string
		want Presence
	}{
		{"opt", Runtime},          // not required: may be unset
		{"req", Present},          // required, never null
		{"req_null", Runtime},     // required but may be null
		{"req_any", Runtime},      // no type: allows null
		{"def", Present},          // a non-null default
		{"def_null", Runtime},     // null default, may be non-null
		{"null_only", Absent},     // can only be null
		{"def_null_only", Absent}, // null default, can only be null
		{"def_allows_null", Runtime},
		{"enum_null", Absent},
		{"enum_mixed", Runtime},
		{"const_null", Absent},
		{"obj.inner", Present},    // required all the way, parent exactly an object
		{"obj.free", Runtime},     // not required
		{"loose.inner", Runtime},  // parent may be null: downgraded
		{"parent_def.a", Present}, // default from the parent object's default
		{"parent_def.b", Runtime}, // the parent default does not set it
		{"ref", Present},          // default through a $ref
		{"nope", Absent},          // not in the schema
		{"open.x", Runtime},       // lookup unknown
		// Defaults merge as Amber merges them: the parent object's
		// default member wins over the property's own (null here, so
		// optional), ...
		{"parent_wins.p", Runtime},
		{"nested_merge.p.q", Present},
		// ... a default beside a $ref counts, and so does one in an
		// allOf branch.
		{"ref_beside", Present},
		{"zone", Present},
		// `required` counts in allOf branches too, at every level.
		{"region", Present},
		{"deep.inner.v", Present},
		// An enum decides alone: null is among its values.
		{"req_enum_null", Runtime},
		// An object: required, or else the best of its leaves; a member's
		// default makes its object a default too.
		{"obj", Present},
		{"opt_obj", Runtime},
		{"def_member", Present},
		{"def_member.s", Present},
		{"def_member.r", Runtime},
	}
	presences := NewPresences(root)
	for _, tt := range tests {
		got, err := presences.Of(tt.path)
		if got != tt.want || err != nil {
			t.Errorf("Of(%q) = %v, %v; want %v", tt.path, got, err, tt.want)
		}
	}
}

// TestPresencesFail: where Amber's computation fails, the lints treat the
// path as not optional.
func TestPresencesFail(t *testing.T) {
	tests := []struct {
		name, schema, path, err string
	}{
		{"a cyclic $ref anywhere stops the defaults",
			`{ type: "object", $defs: { node: { type: "object", properties: { next: { $ref: "#/$defs/node" } } } }, properties: { name: { type: "string" }, tree: { $ref: "#/$defs/node" } } }`,
			"name", "config_schema contains a cyclic $ref"},
		{"a leaf below a property that may be an array",
			`{ type: "object", properties: { opt: { type: "string" }, arr: { type: ["object", "array"], properties: { x: {} } } } }`,
			"opt", `cannot descend into array schema at segment "arr"`},
		{"a $ref with an invalid escape",
			`{ type: "object", $defs: { "a~2": { type: "string" } }, properties: { opt: { type: "string" }, b: { $ref: "#/$defs/a~2" } } }`,
			"opt", `invalid $ref pointer "#/$defs/a~2": non-RFC6901 escape sequence`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, root := parse(t, tt.schema)
			_, err := NewPresences(root).Of(tt.path)
			if err == nil || err.Error() != tt.err {
				t.Errorf("Of(%q) error = %v, want %q", tt.path, err, tt.err)
			}
		})
	}
}

// doublingRefs is a schema whose property v reaches its leaf through 2^n
// chains of references: d0 takes d1 twice, d1 takes d2 twice, ...
func doublingRefs(n int) string {
	return testgen.DoublingSchema{Depth: n, Fanout: testgen.FanoutAllOf}.Schema()
}

// TestPresencesBounded: references that multiply the walks end in an
// error, not in exponential time.
func TestPresencesBounded(t *testing.T) {
	_, root := parse(t, doublingRefs(40))
	if _, err := NewPresences(root).Of("v"); err == nil {
		t.Errorf("Of(v) on 2^40 paths: no error")
	}
}

// TestLeavesBounded: the leaf walk of a schema whose definitions take
// each other twice over, 40 deep, in allOf (2^40 ways to one leaf) finds
// the leaf, skipping the ways it has been; in properties (2^40 leaves) it
// stops and says so.
func TestLeavesBounded(t *testing.T) {
	_, root := parse(t, doublingRefs(40))
	leaves, reasons := Leaves(root)
	if len(leaves) != 1 || leaves[0].Path != "v" || len(reasons) != 0 {
		t.Errorf("allOf: got %v, %q", leaves, reasons)
	}
	_, root = parse(t, testgen.DoublingSchema{Depth: 40, Fanout: testgen.FanoutProperties}.Schema())
	if leaves, reasons := Leaves(root); len(leaves) == 0 || strings.Join(reasons, ", ") != ReasonTooLarge {
		t.Errorf("properties: got %d leaves, %q", len(leaves), reasons)
	}
}

// walkLimit is how long a walk of a DoublingSchema of depth 30 may take:
// each one takes a few milliseconds, a walk that expands the references
// 2^30 times minutes.
const walkLimit = 500 * time.Millisecond

// TestWalksOfDoublingSchemas: every walk of a schema whose definitions
// refer to each other twice over, 30 levels deep, ends at once, with the
// answer of a walk that expands every reference where it can remember
// what it found (a lookup, with a reference cycle too), a too-large
// failure where the answer itself is that large (the leaves and defaults
// of 2^30 paths), and Unknown where a lookup can remember nothing (the
// targets being expanded differ on every way, through detours, and
// matter, through a cycle; here the cycle makes the answer Unknown too).
func TestWalksOfDoublingSchemas(t *testing.T) {
	type walk struct {
		name string
		run  func(root *json5.Node) string
		want map[string]string
	}
	lookup := func(path string) func(root *json5.Node) string {
		return func(root *json5.Node) string {
			o, n, failure := Lookup(root, path)
			found := ""
			if n != nil {
				found = " at " + n.Get("type").Text
			}
			return fmt.Sprintf("%v%s %s", o, found, failure)
		}
	}
	walks := []walk{
		{"Lookup of the value's path", lookup("v" + strings.Repeat(".a", 30)), map[string]string{
			"properties":                `0 at string `,
			"allOf":                     `2 config path "v.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a" not found (schema has no properties at segment "a")`,
			"anyOf":                     `2 config path "v.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a" not found (schema has no properties at segment "a")`,
			"properties cyclic":         `0 at string `,
			"properties detours cyclic": `0 at string `,
			"allOf cyclic":              `1 `,
			"allOf detours cyclic":      `1 `,
			"anyOf cyclic":              `1 `,
			"anyOf detours cyclic":      `1 `,
		}},
		{"Lookup of a path below v that is not there", lookup("v.zz"), map[string]string{
			"properties":                `2 config path "v.zz" not found (unknown key "zz")`,
			"allOf":                     `2 config path "v.zz" not found (schema has no properties at segment "zz")`,
			"anyOf":                     `2 config path "v.zz" not found (schema has no properties at segment "zz")`,
			"properties cyclic":         `2 config path "v.zz" not found (unknown key "zz")`,
			"properties detours cyclic": `2 config path "v.zz" not found (unknown key "zz")`,
			"allOf cyclic":              `1 `,
			"allOf detours cyclic":      `1 `,
			"anyOf cyclic":              `1 `,
			"anyOf detours cyclic":      `1 `,
		}},
		{"Leaves", func(root *json5.Node) string {
			leaves, reasons := Leaves(root)
			first := ""
			if len(leaves) > 0 {
				first = ", first " + leaves[0].Path
			}
			return fmt.Sprintf("%d leaves%s; %q", len(leaves), first, reasons)
		}, map[string]string{
			"properties":                `16375 leaves, first v.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a; ["config definition is too large to walk"]`,
			"allOf":                     `1 leaves, first v; []`,
			"anyOf":                     `1 leaves, first v; []`,
			"properties cyclic":         `0 leaves; ["config definition contains a cyclic $ref" "config definition is too large to walk"]`,
			"properties detours cyclic": `0 leaves; ["config definition contains a cyclic $ref" "config definition is too large to walk"]`,
			"allOf cyclic":              `0 leaves; ["config definition contains a cyclic $ref"]`,
			"allOf detours cyclic":      `0 leaves; ["config definition contains a cyclic $ref" "config definition is too large to walk"]`,
			"anyOf cyclic":              `1 leaves, first v; []`,
			"anyOf detours cyclic":      `1 leaves, first v; []`,
		}},
		{"DefaultsOf", func(root *json5.Node) string {
			d := DefaultsOf(root)
			if err := d.Problem(); err != nil {
				return fmt.Sprintf("%v (too large: %v)", err, d.TooLarge)
			}
			return fmt.Sprint(d.Value, d.Set)
		}, map[string]string{
			"properties":                `config_schema is too large to walk (too large: true)`,
			"allOf":                     `config_schema is too large to walk (too large: true)`,
			"anyOf":                     `<nil> false`,
			"properties cyclic":         `config_schema contains a cyclic $ref (too large: true)`,
			"properties detours cyclic": `config_schema contains a cyclic $ref (too large: true)`,
			"allOf cyclic":              `config_schema contains a cyclic $ref (too large: true)`,
			"allOf detours cyclic":      `config_schema contains a cyclic $ref (too large: true)`,
			"anyOf cyclic":              `<nil> false`,
			"anyOf detours cyclic":      `<nil> false`,
		}},
		{"Presences", func(root *json5.Node) string {
			p, err := NewPresences(root).Of("v")
			return fmt.Sprint(p, err)
		}, map[string]string{
			"properties":                `1 config_schema is too large to walk`,
			"allOf":                     `1 config_schema is too large to walk`,
			"anyOf":                     `1 <nil>`,
			"properties cyclic":         `1 config_schema contains a cyclic $ref`,
			"properties detours cyclic": `1 config_schema contains a cyclic $ref`,
			"allOf cyclic":              `1 config_schema contains a cyclic $ref`,
			"allOf detours cyclic":      `1 config_schema contains a cyclic $ref`,
			"anyOf cyclic":              `1 <nil>`,
			"anyOf detours cyclic":      `1 <nil>`,
		}},
	}
	for _, f := range testgen.Fanouts {
		for _, s := range []testgen.DoublingSchema{{Fanout: f}, {Fanout: f, Cyclic: true}, {Fanout: f, Cyclic: true, Detours: true}} {
			s.Depth = 30
			_, root := parse(t, s.Schema())
			for _, w := range walks {
				t.Run(s.String()+"/"+w.name, func(t *testing.T) {
					var got string
					cost.Deadline(t, w.name, walkLimit, func() { got = w.run(root) })
					if want := w.want[s.String()]; got != want {
						t.Errorf("got  %s\nwant %s", got, want)
					}
				})
			}
		}
	}
}

// TestResolve: the syntax tree and the decoded schema resolve every
// reference alike (the meta-schema check, lookups and lints read the
// tree, validation the decoded values), as the JSON Schema library does:
// percent-decoding first, `~1` and `~0` per token, other `~`s kept.
func TestResolve(t *testing.T) {
	const schema = `{ $defs: { "a/b": 1, "t~": 2, arr: [3, 4], "sp ace": 5, "x~2": 6, "p%zz": 7, "é": 8, "~1": 9 } }`
	f, root := parse(t, schema)
	value := root.Value()
	tests := []struct {
		ref  string
		want string // the target's text, "" when it does not resolve
	}{
		{"#", text(f, root)},
		{"#/$defs/a~1b", "1"},
		{"#/$defs/t~0", "2"},
		{"#/$defs/~01", "9"}, // ~0 then 1, not ~ then ~1
		{"#/$defs/arr/1", "4"},
		{"#/$defs/arr/9", ""},
		{"#/$defs/arr/+1", ""},
		{"#/$defs/arr/x", ""},
		{"#/$defs/sp%20ace", "5"},
		{"#/$defs/a%2Fb", ""}, // decoded before splitting: two tokens
		{"#/$defs/%C3%A9", "8"},
		{"#/$defs/%FF", ""}, // not UTF-8
		{"#/$defs/x~2", "6"},
		{"#/$defs/p%zz", "7"},
		{"#/$defs/missing", ""},
		{"#/$defs/arr/0/deeper", ""},
		{"#$defs", ""},
		{"", ""},
		{"other.json#/a", ""},
	}
	for _, tt := range tests {
		n, ok := Resolve(root, tt.ref)
		if ok != (tt.want != "") || ok && text(f, n) != tt.want {
			t.Errorf("Resolve(%q) = %s, %v; want %q", tt.ref, text(f, n), ok, tt.want)
		}
		v, vok := ResolveValue(value, tt.ref)
		if vok != ok {
			t.Errorf("ResolveValue(%q) ok = %v, Resolve ok = %v", tt.ref, vok, ok)
		} else if ok && !reflect.DeepEqual(v, n.Value()) {
			t.Errorf("ResolveValue(%q) = %v, Resolve = %v", tt.ref, v, n.Value())
		}
	}
}

// TestDeref: a chain of references of any length ends at its schema; a
// dangling reference or a cycle anywhere in the chain gives nil, without
// a depth limit deciding either.
func TestDeref(t *testing.T) {
	chain := func(n int, last string) string {
		var b strings.Builder
		b.WriteString(`{ $defs: {`)
		for i := range n {
			fmt.Fprintf(&b, ` d%d: { $ref: "#/$defs/d%d" },`, i, i+1)
		}
		fmt.Fprintf(&b, ` d%d: %s }, $ref: "#/$defs/d0" }`, n, last)
		return b.String()
	}
	tests := []struct {
		name   string
		schema string
		want   string // the text of the end of the chain, "" for nil
	}{
		{"no ref", `{ type: "string" }`, `{ type: "string" }`},
		{"one ref", chain(0, `{ type: "integer" }`), `{ type: "integer" }`},
		{"long chain", chain(200, `{ type: "integer" }`), `{ type: "integer" }`},
		{"dangling at the end", chain(3, `{ $ref: "#/$defs/missing" }`), ""},
		{"dangling in a long chain", chain(100, `{ $ref: "#/nowhere" }`), ""},
		{"self", `{ $ref: "#" }`, ""},
		{"two-cycle", `{ $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" }`, ""},
		{"long cycle", chain(50, `{ $ref: "#/$defs/d0" }`), ""},
		{"non-string ref", `{ $ref: 1, type: "null" }`, `{ $ref: 1, type: "null" }`},
		{"ref to a non-object", `{ $defs: { b: true }, $ref: "#/$defs/b" }`, `true`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, root := parse(t, tt.schema)
			want := tt.want
			if want == "" {
				want = text(f, nil)
			}
			if got := text(f, Deref(root, root)); got != want {
				t.Errorf("Deref = %q, want %q", got, want)
			}
		})
	}
}

func TestValidRefEscapes(t *testing.T) {
	for ref, want := range map[string]bool{"#": true, "#/a~0b~1c": true, "#/~01": true, "#/a~": false, "#/a~2": false, "#/~~0": false} {
		if got := ValidRefEscapes(ref); got != want {
			t.Errorf("ValidRefEscapes(%q) = %v, want %v", ref, got, want)
		}
	}
}

func TestCompilePattern(t *testing.T) {
	tests := []struct {
		pattern  string
		runnable bool // Go compiles it with the same meaning
		valid    bool // Amber accepts it
	}{
		{`^[a-z]+$`, true, true},
		{`\d{3}`, true, true},
		{`^(?!admin$).+$`, false, true},
		{`(?=a)b`, false, true},
		{`(?<=x)y`, false, true},
		{`(?<!x)y`, false, true},
		{`^(a)\1$`, false, true},
		{`^(?<n>a)(b)\2$`, false, true},
		{`[\1]`, false, false},   // in a class \1 is no back-reference, and RE2 rejects it
		{`[(?=]`, true, true},    // in a class (?= is three characters
		{`\(?=a`, true, true},    // an escaped paren opens no group
		{`(?=a`, false, false},   // unbalanced either way
		{`(?!a))`, false, false}, // unbalanced either way
		{`\1`, false, false},     // no group 1
		{`(a)\2`, false, false},  // no group 2
		{`(a)\99999999999999999999`, false, false},
		{`(?=a)\q`, false, false}, // bad escape either way
		{`(?>a)`, false, false},   // atomic groups: not look-around
		{`(`, false, false},
		{`\`, false, false},
	}
	for _, tt := range tests {
		re, err := CompilePattern(tt.pattern)
		if (err == nil) != tt.valid || (re != nil) != tt.runnable {
			t.Errorf("CompilePattern(%q) = %v, %v; want runnable %v, valid %v", tt.pattern, re, err, tt.runnable, tt.valid)
		}
	}
}

func TestMetaOrderHasEachKeywordOnce(t *testing.T) {
	if len(metaRank) != len(metaOrder) {
		t.Errorf("metaOrder has %d keywords, %d of them distinct", len(metaOrder), len(metaRank))
	}
}

// TestRefsAcyclic: a reference that leads back to where it starts, or to
// an object above it, is a cycle; references into other definitions, or
// that resolve to nothing, are not.
func TestRefsAcyclic(t *testing.T) {
	tests := []struct {
		name, schema string
		want         bool
	}{
		{"no reference", `{ type: "object", properties: { a: { type: "string" } } }`, true},
		{"doubling definitions", doublingRefs(8), true},
		{"a definition referring to itself", `{ $defs: { a: { $ref: "#/$defs/a" } }, properties: { x: { $ref: "#/$defs/a" } } }`, false},
		{"a property referring to the root", `{ type: "object", properties: { child: { $ref: "#" } } }`, false},
		{"two definitions referring to each other", `{ $defs: { a: { allOf: [{ $ref: "#/$defs/b" }] }, b: { properties: { x: { $ref: "#/$defs/a" } } } } }`, false},
		{"a reference that resolves to nothing", `{ properties: { x: { $ref: "#/$defs/none" } } }`, true},
		{"a reference to a member's text", `{ properties: { x: { $ref: "#/properties/x/$ref" } } }`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, root := parse(t, tt.schema)
			if got := RefsAcyclic(root); got != tt.want {
				t.Errorf("RefsAcyclic = %v, want %v", got, tt.want)
			}
		})
	}
}
