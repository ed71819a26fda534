package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/cost"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// decode reads a JSON text as Go values with int64/float64 numbers.
func decode(t *testing.T, text string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("bad JSON %q: %v", text, err)
	}
	return normalize(v)
}

// format renders errors as "pointer: message" lines.
func format(errs []Error) string {
	var b bytes.Buffer
	for _, e := range errs {
		b.WriteString(e.Pointer())
		b.WriteString(": ")
		b.WriteString(e.Message)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestKeywords(t *testing.T) {
	tests := []struct {
		name, schema, instance string
		want                   []string // "pointer: message"
	}{
		// type
		{"type ok", `{"type":"string"}`, `"x"`, nil},
		{"type string", `{"type":"integer"}`, `"one"`, []string{`: "one" is not of type "integer"`}},
		{"integer accepts 1.0", `{"type":"integer"}`, `1.0`, nil},
		{"integer rejects 1.5", `{"type":"integer"}`, `1.5`, []string{`: 1.5 is not of type "integer"`}},
		{"number accepts int", `{"type":"number"}`, `3`, nil},
		{"null", `{"type":"null"}`, `false`, []string{`: false is not of type "null"`}},
		{"object", `{"type":"object"}`, `[1,{"b":1,"a":2}]`, []string{`: [1,{"a":2,"b":1}] is not of type "object"`}},
		{"type array ok", `{"type":["string","null"]}`, `null`, nil},
		{"type array", `{"type":["string","null","boolean"]}`, `1`, []string{`: 1 is not of types "boolean", "null", "string"`}},
		{"type array of one", `{"type":["string"]}`, `1`, []string{`: 1 is not of type "string"`}},
		{"float rendering", `{"type":"string"}`, `1e21`, []string{`: 1e21 is not of type "string"`}},
		{"string escapes", `{"type":"integer"}`, `"a\"b\\c\n\u0001<"`, []string{`: "a\"b\\c\n\u0001<" is not of type "integer"`}},

		// required and properties
		{"required", `{"type":"object","required":["x","y"]}`, `{"y":1}`, []string{`: "x" is a required property`}},
		{"required order", `{"required":["b","a"]}`, `{}`, []string{`: "b" is a required property`, `: "a" is a required property`}},
		{"required non-object", `{"required":["a"]}`, `3`, nil},
		{"properties", `{"properties":{"a":{"type":"integer"},"b":{"type":"string"}}}`, `{"b":2,"a":"x","c":1}`,
			[]string{`/a: "x" is not of type "integer"`, `/b: 2 is not of type "string"`}},
		{"nested", `{"properties":{"a":{"properties":{"b":{"minimum":5}}}}}`, `{"a":{"b":3}}`,
			[]string{`/a/b: 3 is less than the minimum of 5`}},
		{"keyword order", `{"type":"object","required":["b"],"properties":{"a":{"type":"integer"}}}`, `{"a":"one"}`,
			[]string{`/a: "one" is not of type "integer"`, `: "b" is a required property`}},
		{"additional false", `{"properties":{"a":{}},"additionalProperties":false}`, `{"a":1,"x":2}`,
			[]string{`: Additional properties are not allowed ('x' was unexpected)`}},
		{"additional false many", `{"properties":{"a":{"type":"string"}},"additionalProperties":false}`, `{"z":1,"a":1,"x":2}`,
			[]string{`/a: 1 is not of type "string"`, `: Additional properties are not allowed ('x', 'z' were unexpected)`}},
		{"additional true", `{"properties":{"a":{"type":"string"}},"additionalProperties":true}`, `{"a":1,"x":2}`,
			[]string{`/a: 1 is not of type "string"`}},
		{"additional schema", `{"properties":{"a":{}},"additionalProperties":{"type":"string"}}`, `{"a":1,"b":2,"c":"x"}`,
			[]string{`/b: 2 is not of type "string"`}},
		{"additional with patterns", `{"patternProperties":{"^x_":{"type":"integer"}},"additionalProperties":false}`, `{"x_a":"s","y":1}`,
			[]string{`/x_a: "s" is not of type "integer"`, `: Additional properties are not allowed ('y' was unexpected)`}},
		{"patternProperties", `{"patternProperties":{"^a":{"type":"integer"},"b$":{"type":"integer"}}}`, `{"ab":"1","zz":"2"}`,
			[]string{`/ab: "1" is not of type "integer"`, `/ab: "1" is not of type "integer"`}},
		{"propertyNames", `{"propertyNames":{"pattern":"^[a-z]+$"}}`, `{"ok":1,"Bad":2}`,
			[]string{`: "Bad" does not match "^[a-z]+$"`}},
		{"propertyNames maxLength", `{"propertyNames":{"maxLength":2}}`, `{"abc":1}`,
			[]string{`: "abc" is longer than 2 characters`}},
		{"minProperties", `{"minProperties":2}`, `{"a":1}`, []string{`: {"a":1} has less than 2 properties`}},
		{"maxProperties one", `{"maxProperties":1}`, `{"a":1,"b":2}`, []string{`: {"a":1,"b":2} has more than 1 property`}},

		// enum and const
		{"enum", `{"enum":["a","b"]}`, `"x"`, []string{`: "x" is not one of ["a","b"]`}},
		{"enum number equality", `{"enum":[1,2]}`, `1.0`, nil},
		{"enum object", `{"enum":[{"a":1}]}`, `{"a":1.0}`, nil},
		{"const", `{"const":"a"}`, `"b"`, []string{`: "a" was expected`}},
		{"const object", `{"const":{"a":[1,2]}}`, `{"a":[1]}`, []string{`: {"a":[1,2]} was expected`}},

		// numbers
		{"minimum", `{"minimum":5}`, `3`, []string{`: 3 is less than the minimum of 5`}},
		{"minimum equal", `{"minimum":5}`, `5`, nil},
		{"minimum float", `{"minimum":0.5}`, `0.25`, []string{`: 0.25 is less than the minimum of 0.5`}},
		{"maximum", `{"maximum":5}`, `6.5`, []string{`: 6.5 is greater than the maximum of 5`}},
		{"exclusiveMinimum", `{"exclusiveMinimum":5}`, `5`, []string{`: 5 is less than or equal to the minimum of 5`}},
		{"exclusiveMaximum", `{"exclusiveMaximum":5.0}`, `5`, []string{`: 5 is greater than or equal to the maximum of 5.0`}},
		{"bounds ignore strings", `{"minimum":5}`, `"3"`, nil},
		{"multipleOf", `{"multipleOf":3}`, `7`, []string{`: 7 is not a multiple of 3`}},
		{"multipleOf ok", `{"multipleOf":3}`, `-9`, nil},
		{"multipleOf float", `{"multipleOf":0.5}`, `1.25`, []string{`: 1.25 is not a multiple of 0.5`}},
		{"multipleOf float ok", `{"multipleOf":0.25}`, `1.5`, nil},
		{"multipleOf int with float", `{"multipleOf":2}`, `2.5`, []string{`: 2.5 is not a multiple of 2`}},

		// strings
		{"maxLength", `{"maxLength":2}`, `"abc"`, []string{`: "abc" is longer than 2 characters`}},
		{"maxLength one", `{"maxLength":1}`, `"ab"`, []string{`: "ab" is longer than 1 character`}},
		{"minLength code points", `{"minLength":3}`, `"éé"`, []string{`: "éé" is shorter than 3 characters`}},
		{"minLength ok", `{"minLength":2}`, `"éé"`, nil},
		{"pattern", `{"pattern":"^x"}`, `"abc"`, []string{`: "abc" does not match "^x"`}},
		{"pattern unanchored", `{"pattern":"b"}`, `"abc"`, nil},
		{"pattern backslash", `{"pattern":"^\\d+$"}`, `"a1"`, []string{`: "a1" does not match "^\\d+$"`}},
		{"pattern with look-ahead is not checked", `{"pattern":"^(?!admin$)"}`, `"admin"`, nil},
		{"pattern with a back-reference is not checked", `{"pattern":"^(a)\\1$"}`, `"ab"`, nil},
		{"pattern invalid", `{"pattern":"(?=a"}`, `"a"`,
			[]string{": invalid regular expression \"(?=a\": missing closing ): `(?=a`"}},
		{"patternProperties with look-behind", `{"patternProperties":{"(?<=x)y":{"type":"integer"},"^a":{"type":"integer"}},"additionalProperties":false}`, `{"xy":"s","ab":"t"}`,
			[]string{`/ab: "t" is not of type "integer"`}},
		{"format is annotation", `{"format":"email"}`, `"not an email"`, nil},

		// arrays
		{"items", `{"items":{"type":"integer"}}`, `[1,"a",2,"b"]`,
			[]string{`/1: "a" is not of type "integer"`, `/3: "b" is not of type "integer"`}},
		{"items false", `{"items":false}`, `[1]`, []string{`/0: False schema does not allow 1`}},
		{"prefixItems", `{"prefixItems":[{"type":"string"},{"type":"integer"}]}`, `[1,"x",3]`,
			[]string{`/0: 1 is not of type "string"`, `/1: "x" is not of type "integer"`}},
		{"prefixItems then items", `{"prefixItems":[{"type":"string"}],"items":{"type":"integer"}}`, `[1,"x"]`,
			[]string{`/1: "x" is not of type "integer"`, `/0: 1 is not of type "string"`}},
		{"prefixItems items false", `{"prefixItems":[{}],"items":false}`, `[1,2,[3]]`,
			[]string{`: Additional items are not allowed (2, [3] were unexpected)`}},
		{"minItems", `{"minItems":2}`, `[1]`, []string{`: [1] has less than 2 items`}},
		{"maxItems one", `{"maxItems":1}`, `[1,2]`, []string{`: [1,2] has more than 1 item`}},
		{"maxProperties one", `{"maxProperties":1}`, `{"a":1,"b":2}`, []string{`: {"a":1,"b":2} has more than 1 property`}},
		{"count bounds apply to their own kind only", `{"minItems":5,"minProperties":5,"maxLength":0}`, `[1]`, []string{`: [1] has less than 5 items`}},
		{"maxItems", `{"maxItems":1}`, `[1,2]`, []string{`: [1,2] has more than 1 item`}},
		{"uniqueItems", `{"uniqueItems":true}`, `[1,2,1.0]`, []string{`: [1,2,1.0] has non-unique elements`}},
		{"uniqueItems ok", `{"uniqueItems":true}`, `[1,"1",[1]]`, nil},
		{"uniqueItems false", `{"uniqueItems":false}`, `[1,1]`, nil},
		{"contains", `{"contains":{"type":"string"}}`, `[1,2]`, []string{`: None of [1,2] are valid under the given schema`}},
		{"contains ok", `{"contains":{"type":"string"}}`, `[1,"a"]`, nil},
		{"maxContains", `{"contains":{"type":"string"},"maxContains":1}`, `["a","b"]`,
			[]string{`: ["a","b"] has more than 1 item valid under the given schema`}},

		// combinators
		{"allOf", `{"allOf":[{"type":"integer"},{"minimum":3}]}`, `"x"`, []string{`: "x" is not of type "integer"`}},
		{"allOf both", `{"allOf":[{"minimum":3},{"multipleOf":2}]}`, `1`,
			[]string{`: 1 is less than the minimum of 3`, `: 1 is not a multiple of 2`}},
		{"anyOf", `{"anyOf":[{"type":"integer"},{"type":"boolean"}]}`, `"x"`,
			[]string{`: "x" is not valid under any of the schemas listed in the 'anyOf' keyword`}},
		{"anyOf ok", `{"anyOf":[{"type":"integer"},{"type":"string"}]}`, `"x"`, nil},
		{"oneOf none", `{"oneOf":[{"type":"integer"}]}`, `"x"`,
			[]string{`: "x" is not valid under any of the schemas listed in the 'oneOf' keyword`}},
		{"oneOf many", `{"oneOf":[{"type":"integer"},{"minimum":0}]}`, `1`,
			[]string{`: 1 is valid under more than one of the schemas listed in the 'oneOf' keyword`}},
		{"not", `{"not":{"type":"string"}}`, `"x"`, []string{`: {"type":"string"} is not allowed for "x"`}},
		{"if then", `{"if":{"type":"integer"},"then":{"minimum":3},"else":{"maxLength":1}}`, `1`,
			[]string{`: 1 is less than the minimum of 3`}},
		{"if else", `{"if":{"type":"integer"},"then":{"minimum":3},"else":{"maxLength":1}}`, `"ab"`,
			[]string{`: "ab" is longer than 1 character`}},
		{"then without if", `{"then":false}`, `1`, nil},

		// boolean schemas and refs
		{"true", `true`, `{"a":1}`, nil},
		{"false", `false`, `{"a":1}`, []string{`: False schema does not allow {"a":1}`}},
		{"false property", `{"properties":{"a":false}}`, `{"a":1}`, []string{`/a: False schema does not allow 1`}},
		{"ref defs", `{"$defs":{"port":{"type":"integer","maximum":65535}},"properties":{"p":{"$ref":"#/$defs/port"}}}`, `{"p":70000}`,
			[]string{`/p: 70000 is greater than the maximum of 65535`}},
		{"ref definitions escaped", `{"definitions":{"a/b":{"type":"string"}},"$ref":"#/definitions/a~1b"}`, `1`,
			[]string{`: 1 is not of type "string"`}},
		{"ref missing", `{"$ref":"#/$defs/missing"}`, `1`, []string{`: Pointer '/$defs/missing' does not exist`}},
		{"ref non-local", `{"$ref":"other.json"}`, `1`,
			[]string{": unsupported $ref \"other.json\": only local references (`#` or `#/...`) are supported"}},
		{"ref cycle", `{"$ref":"#"}`, `1`, nil},
		{"recursive ref", `{"properties":{"next":{"$ref":"#"},"v":{"type":"integer"}}}`, `{"next":{"next":{"v":"x"}}}`,
			[]string{`/next/next/v: "x" is not of type "integer"`}},
		{"ref with siblings", `{"$defs":{"s":{"type":"string"}},"$ref":"#/$defs/s","maxLength":1}`, `"ab"`,
			[]string{`: "ab" is longer than 1 character`}},

		// annotations ignored
		{"annotations", `{"title":"t","description":"d","default":5,"examples":[1],"secret":true,"x-ui":1}`, `"x"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := format(Validate(decode(t, tt.schema), decode(t, tt.instance)))
			want := ""
			for _, w := range tt.want {
				want += w + "\n"
			}
			if got != want {
				t.Errorf("schema %s, instance %s:\ngot:\n%swant:\n%s", tt.schema, tt.instance, got, want)
			}
			if memo := format(validateRemembering(decode(t, tt.schema), decode(t, tt.instance))); memo != got {
				t.Errorf("schema %s, instance %s: remembering from the start:\n%s", tt.schema, tt.instance, memo)
			}
			if quick := quickValid(decode(t, tt.schema), decode(t, tt.instance)); quick != (want == "") {
				t.Errorf("schema %s, instance %s: quick evaluation says valid=%v", tt.schema, tt.instance, quick)
			}
		})
	}
}

// validateRemembering is Validate with an evaluator that decides whether
// to remember at its first step rather than after memoAfter.
func validateRemembering(schema, instance any) []Error {
	defer func(after int) { memoAfter = after }(memoAfter)
	memoAfter = 0
	return Validate(schema, instance)
}

// quickValid evaluates instance against schema in quick mode alone.
func quickValid(schema, instance any) bool {
	e := &evaluator{root: schema, quick: true, acyclic: func() bool { return inPlaceAcyclic(schema, schema) }, maxSteps: budget(instance)}
	return len(e.eval(schema, instance, nil, nil)) == 0
}

// TestQuickDeep checks quick mode on instances nested deeper than its
// blank paths, through a recursive reference and propertyNames (whose
// names are evaluated at their object's location): valid, and invalid at
// the innermost level only.
func TestQuickDeep(t *testing.T) {
	schema := decode(t, `{"properties":{"next":{"$ref":"#"},"v":{"type":"integer"}},"propertyNames":{"$ref":"#/$defs/name"},`+
		`"$defs":{"name":{"maxLength":4,"$ref":"#/$defs/name"}}}`)
	for _, depth := range []int{1, 63, 64, 65, 200} {
		for _, leaf := range []string{`1`, `"x"`} {
			text := `{"v":` + leaf + `}`
			for range depth {
				text = `{"next":` + text + `}`
			}
			instance := decode(t, text)
			full := Validate(schema, instance)
			if quick := quickValid(schema, instance); quick != (len(full) == 0) || (leaf == `1`) != quick {
				t.Errorf("depth %d, leaf %s: quick valid=%v, full: %s", depth, leaf, quick, format(full))
			}
			if leaf != `1` && (len(full) != 1 || len(full[0].InstancePath) != depth+1) {
				t.Errorf("depth %d: want one error at depth %d, got %s", depth, depth+1, format(full))
			}
		}
	}
}

func TestSchemaPath(t *testing.T) {
	s := decode(t, `{"$defs":{"p":{"type":"integer"}},"properties":{"a":{"$ref":"#/$defs/p"}},"additionalProperties":false}`)
	errs := Validate(s, decode(t, `{"a":"x","b":1}`))
	if len(errs) != 2 {
		t.Fatalf("got %d errors: %s", len(errs), format(errs))
	}
	if got := errs[0].SchemaPointer(); got != "/properties/a/$ref/type" {
		t.Errorf("schema path of type error = %s", got)
	}
	if got := errs[1].SchemaPointer(); got != "/additionalProperties" {
		t.Errorf("schema path of additionalProperties error = %s", got)
	}
}

func TestValidateWithRoot(t *testing.T) {
	root := decode(t, `{"$defs":{"n":{"type":"integer"}},"properties":{"a":{"$ref":"#/$defs/n"}}}`)
	leaf := root.(map[string]any)["properties"].(map[string]any)["a"]
	if errs := ValidateWithRoot(root, leaf, "x"); format(errs) != `: "x" is not of type "integer"`+"\n" {
		t.Errorf("got %s", format(errs))
	}
	if !Valid(root, map[string]any{"a": 3}) {
		t.Error("int should be valid")
	}
}

func TestGoNumberTypes(t *testing.T) {
	s := map[string]any{"type": "integer", "minimum": 2}
	if errs := Validate(s, 1); format(errs) != ": 1 is less than the minimum of 2\n" {
		t.Errorf("int instance: %s", format(errs))
	}
	if errs := Validate(s, json.Number("3")); len(errs) != 0 {
		t.Errorf("json.Number: %s", format(errs))
	}
}

func TestPointerEscapes(t *testing.T) {
	errs := Validate(decode(t, `{"additionalProperties":{"type":"string"}}`), decode(t, `{"a/b~c":1}`))
	if len(errs) != 1 || errs[0].Pointer() != "/a~1b~0c" {
		t.Fatalf("got %s", format(errs))
	}
}

// TestDoublingSchemas: validating against definitions that take each
// other twice over, 30 deep, ends at once with the answer of the naive
// evaluation (which takes 2^30 steps): valid or the first failures in
// order, with a reference cycle too; where the references active at a
// value differ on each of the 2^30 ways to it (detours) and matter (a
// cycle), so that nothing can be remembered, it ends with MsgTooLarge,
// never as valid.
func TestDoublingSchemas(t *testing.T) {
	tooLarge := "1 failures: " + MsgTooLarge + " at ''"
	deepA := "/v" + strings.Repeat("/a", 30)
	tests := []struct {
		schema      testgen.DoublingSchema
		valid, full bool // the value, and Validate rather than Limit 8
		want        string
	}{
		{testgen.DoublingSchema{Fanout: testgen.FanoutProperties}, true, true, "valid"},
		{testgen.DoublingSchema{Fanout: testgen.FanoutProperties}, false, true, `1 failures: 1 is not of type "string" at '` + deepA + `'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf}, true, true, "valid"},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf}, false, false, `8 failures: 1 is not of type "string" at '/v'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf}, false, true, `1000 failures: 1 is not of type "string" at '/v'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAnyOf}, true, true, "valid"},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAnyOf}, false, true,
			`1 failures: 1 is not valid under any of the schemas listed in the 'anyOf' keyword at '/v'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutProperties, Cyclic: true}, true, false, `1 failures: "x" is not of type "object" at '` + deepA + `'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf, Cyclic: true}, true, false, "valid"},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf, Cyclic: true}, false, false, `8 failures: 1 is not of type "string" at '/v'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAnyOf, Cyclic: true}, true, false, "valid"},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAnyOf, Cyclic: true}, false, false,
			`1 failures: 1 is not valid under any of the schemas listed in the 'anyOf' keyword at '/v'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf, Detours: true}, true, true, "valid"},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf, Detours: true}, false, false, `8 failures: 1 is not of type "string" at '/v'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf, Detours: true, Cyclic: true}, true, false, tooLarge},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAllOf, Detours: true, Cyclic: true}, false, false, `8 failures: 1 is not of type "string" at '/v'`},
		{testgen.DoublingSchema{Fanout: testgen.FanoutAnyOf, Detours: true, Cyclic: true}, false, false, tooLarge},
	}
	for _, tt := range tests {
		tt.schema.Depth = 30
		name := fmt.Sprintf("%s/valid=%v/full=%v", tt.schema, tt.valid, tt.full)
		t.Run(name, func(t *testing.T) {
			schema := json5.Parse([]byte(tt.schema.Schema())).Root().Value()
			instance := json5.Parse([]byte("{ v: " + tt.schema.Value(tt.valid) + " }")).Root().Value()
			var errs []Error
			cost.Deadline(t, "validation", 500*time.Millisecond, func() {
				if tt.full {
					errs = Validate(schema, instance)
				} else {
					errs = Compile(schema).ValidateWith(instance, Options{Limit: 8})
				}
			})
			got := "valid"
			if len(errs) > 0 {
				got = fmt.Sprintf("%d failures: %s at '%s'", len(errs), errs[0].Message, errs[0].Pointer())
				if errs[0].TooLarge != (got == tooLarge) {
					t.Errorf("TooLarge = %v", errs[0].TooLarge)
				}
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestOptions: Limit returns the first failures in the order of all of
// them, Skip drops some without counting them.
func TestOptions(t *testing.T) {
	schema := Compile(decode(t, `{"properties":{"a":{"type":"string"},"b":{"type":"string"},"c":{"required":["x","y"]},"d":{"type":"string"}}}`))
	instance := decode(t, `{"a":1,"b":2,"c":{},"d":4}`)
	all := format(schema.Validate(instance))
	skipRequired := func(e Error) bool { return e.SchemaPath[len(e.SchemaPath)-1] == "required" }
	tests := []struct {
		opts Options
		want string
	}{
		{Options{}, all},
		{Options{Limit: 100}, all},
		{Options{Limit: 2}, "/a: 1 is not of type \"string\"\n/b: 2 is not of type \"string\"\n"},
		{Options{Limit: 3}, "/a: 1 is not of type \"string\"\n/b: 2 is not of type \"string\"\n/c: \"x\" is a required property\n"},
		{Options{Limit: 3, Skip: skipRequired}, "/a: 1 is not of type \"string\"\n/b: 2 is not of type \"string\"\n/d: 4 is not of type \"string\"\n"},
	}
	if all != "/a: 1 is not of type \"string\"\n/b: 2 is not of type \"string\"\n/c: \"x\" is a required property\n/c: \"y\" is a required property\n/d: 4 is not of type \"string\"\n" {
		t.Fatalf("all failures:\n%s", all)
	}
	for _, tt := range tests {
		if got := format(schema.ValidateWith(instance, tt.opts)); got != tt.want {
			t.Errorf("limit %d, skip %v:\ngot  %s\nwant %s", tt.opts.Limit, tt.opts.Skip != nil, got, tt.want)
		}
	}
}

// TestUniqueItemsLinear: uniqueItems over 20,000 elements costs about what
// checking each element's type does (it compared every pair: 20,000
// objects took 10 s), and still finds a duplicate whatever its place, its
// members' order or its numbers' spelling.
func TestUniqueItemsLinear(t *testing.T) {
	const n = 20000
	elems := func(last string) string {
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			fmt.Fprintf(&b, `{"a":%d,"b":[%d,"x"]},`, i, i)
		}
		b.WriteString(last + "]")
		return b.String()
	}
	unique := decode(t, `{"uniqueItems":true}`)
	tests := []struct {
		name, last string
		dup        bool
	}{
		{"distinct", `{"a":-1,"b":[]}`, false},
		{"the last repeats the first", `{"a":0,"b":[0,"x"]}`, true},
		{"members in another order", `{"b":[7,"x"],"a":7}`, true},
		{"1.0 for 1", `{"a":1.0,"b":[1e0,"x"]}`, true},
		{"a fraction", `{"a":1.5,"b":[1,"x"]}`, false},
		{"an array for an object", `[{"a":3}]`, false},
		{"a string for a number", `{"a":"2","b":[2,"x"]}`, false},
	}
	for _, tt := range tests {
		instance := decode(t, elems(tt.last))
		var errs []Error
		hostile := cost.Measure(func() { errs = Validate(unique, instance) })
		if got := len(errs) == 1 && strings.HasSuffix(errs[0].Message, " has non-unique elements"); got != tt.dup || len(errs) > 1 {
			t.Errorf("%s: %d errors, want a non-unique error: %v", tt.name, len(errs), tt.dup)
		}
		baseline := cost.Measure(func() { Validate(decode(t, `{"items":{"type":["object","array"]}}`), instance) })
		cost.Within(t, tt.name, hostile, baseline, 20)
	}
	for _, tt := range []struct {
		text string
		dup  bool
	}{
		{`[0,-0.0]`, true},
		{`[1e300,1e300]`, true},
		{`[9007199254740993,9007199254740993]`, true},
		{`[9007199254740992,9007199254740993]`, false},
		{`[{},[]]`, false},
		{`[null,false,0,""]`, false},
		{`[{"a":{"b":1}},{"a":{"b":1.0}}]`, true},
	} {
		errs := Validate(unique, decode(t, tt.text))
		if (len(errs) == 1) != tt.dup {
			t.Errorf("%s: %s, want non-unique %v", tt.text, format(errs), tt.dup)
		}
	}
}
