package configschema

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestReaderKinds: the kinds of value a path admits, read as Amber reads
// them, failing where Amber fails.
func TestReaderKinds(t *testing.T) {
	const schema = `{
  type: "object",
  $defs: {
    s: { type: "string" },
    a: { $ref: "#/$defs/b" },
    b: { $ref: "#/$defs/a" },
    loop: { allOf: [{ $ref: "#/$defs/loop" }] },
  },
  properties: {
    str: { type: "string" },
    maybe: { type: ["string", "null"] },
    obj: { type: "object", properties: { x: { type: "integer" } } },
    any: {},
    enum_mixed: { enum: ["a", null] },
    enum_wins: { type: "string", enum: [null] },
    const_obj: { const: {} },
    narrowed: { type: ["string", "null"], allOf: [{ type: "string" }] },
    ref: { $ref: "#/$defs/s" },
    bogus: { type: "bogus" },
    bogus_in_array: { type: ["string", "bogus"] },
    number_in_array: { type: ["string", 1] },
    number_type: { type: 1 },
    cycle: { $ref: "#/$defs/a" },
    dangling: { $ref: "#/$defs/missing" },
    escape: { $ref: "#/$defs/a~2" },
    loop: { $ref: "#/$defs/loop" },
    list: { type: "array", properties: { x: {} } },
  },
  allOf: [{ type: "object", properties: { branch: { type: "null" } } }],
}`
	_, root := parse(t, schema)
	tests := []struct {
		path string
		want Kinds
		err  string
	}{
		{path: "", want: Kinds{Object: true}},
		{path: "str", want: Kinds{Other: true}},
		{path: "maybe", want: Kinds{Null: true, Other: true}},
		{path: "obj", want: Kinds{Object: true}},
		{path: "obj.x", want: Kinds{Other: true}},
		{path: "any", want: AnyKinds},
		{path: "enum_mixed", want: Kinds{Null: true, Other: true}},
		{path: "enum_wins", want: Kinds{Null: true}},
		{path: "const_obj", want: Kinds{Object: true}},
		{path: "narrowed", want: Kinds{Other: true}},
		{path: "ref", want: Kinds{Other: true}},
		{path: "branch", want: Kinds{Null: true}},
		// Amber's errors: a type it does not know, even inside an array
		// (the meta-schema check rejects these before a link), a $ref it
		// cannot follow, and a path through an array.
		{path: "bogus", err: `unsupported config_schema type "bogus"`},
		{path: "bogus_in_array", err: `unsupported config_schema type "bogus"`},
		{path: "number_in_array", err: "config_schema type array must contain only strings"},
		{path: "number_type", err: "config_schema `type` must be a string or string array"},
		{path: "cycle", err: "config_schema contains a cyclic $ref"},
		{path: "dangling", err: `unresolvable $ref pointer "#/$defs/missing"`},
		{path: "escape", err: `invalid $ref pointer "#/$defs/a~2": non-RFC6901 escape sequence`},
		{path: "loop", err: "config_schema contains a cyclic $ref"},
		{path: "list.x", err: `cannot descend into array schema at segment "list"`},
		{path: "nope", err: "schema path not found"},
	}
	r := NewReader(root)
	for _, tt := range tests {
		for _, pass := range []string{"first", "remembered"} {
			got, err := r.Kinds(tt.path)
			if fmt.Sprint(err) != fmt.Sprint(errOrNil(tt.err)) || err == nil && got != tt.want {
				t.Errorf("%s: Kinds(%q) = %+v, %v; want %+v, %q", pass, tt.path, got, err, tt.want, tt.err)
			}
		}
	}
}

func errOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TestReaderRequired: `required` counts at every level and in every
// `allOf` branch that holds the property (Amber's
// schema_path_is_required_combines_all_of_required_constraints_across_levels).
func TestReaderRequired(t *testing.T) {
	const schema = `{
  type: "object",
  $defs: { inner: { type: "object", required: ["v"], properties: { v: { type: "string" } } } },
  required: ["top"],
  properties: {
    top: { type: "string" },
    free: { type: "string" },
    settings: { type: "object", properties: { mode: { type: "string" } } },
    ref: { $ref: "#/$defs/inner" },
    list: { type: "array" },
  },
  allOf: [
    { required: ["settings", "ref"] },
    { properties: { settings: { type: "object", required: ["mode"] } } },
  ],
}`
	_, root := parse(t, schema)
	tests := []struct {
		path string
		want bool
		err  string
	}{
		{path: "", want: true},
		{path: "top", want: true},
		{path: "free", want: false},
		{path: "settings", want: true},
		{path: "settings.mode", want: true},
		{path: "ref.v", want: true},
		{path: "nope", err: "schema path not found"},
		{path: "list.x", err: `cannot descend into array schema at segment "list"`},
	}
	r := NewReader(root)
	for _, tt := range tests {
		got, err := r.Required(tt.path)
		if fmt.Sprint(err) != fmt.Sprint(errOrNil(tt.err)) || got != tt.want {
			t.Errorf("Required(%q) = %v, %v; want %v, %q", tt.path, got, err, tt.want, tt.err)
		}
	}
}

// TestReaderLookup: the node of a path is the one written in
// `properties`, not followed through its `$ref`, found in `allOf` branches
// when the object's own `properties` lack it.
func TestReaderLookup(t *testing.T) {
	f, root := parse(t, `{ $defs: { s: { type: "string" } }, properties: { r: { $ref: "#/$defs/s" } }, allOf: [{ properties: { b: { type: "null" } } }] }`)
	r := NewReader(root)
	for path, want := range map[string]string{"r": `{ $ref: "#/$defs/s" }`, "b": `{ type: "null" }`} {
		r.question()
		n, err := r.lookup(root, []string{path})
		if err != nil || text(f, n) != want {
			t.Errorf("lookup(%q) = %s, %v; want %s", path, text(f, n), err, want)
		}
	}
}

// TestDefaults: what a schema's defaults give, merged as Amber merges
// them (apply_defaults_to_slot), and where Amber's walk fails.
func TestDefaults(t *testing.T) {
	tests := []struct {
		name, schema string
		from         string // FillDefaults from this JSON value; DefaultsOf when ""
		want         string // the JSON value, "unset" when there is none
		err          string
	}{
		{name: "a parent object's default member wins over the property's own default",
			schema: `{ properties: { s: { type: "object", default: { p: null }, properties: { p: { default: "y" }, q: { default: 1 } } } } }`,
			want:   `{"s":{"p":null,"q":1}}`},
		{name: "a default beside a $ref wins over the target's",
			schema: `{ $defs: { l: { default: "target" } }, properties: { a: { $ref: "#/$defs/l", default: "beside" } } }`,
			want:   `{"a":"beside"}`},
		{name: "the schema's own default, then its properties' in the holes",
			schema: `{ default: { a: 1 }, properties: { a: { default: 2 }, b: { default: 3 } } }`,
			want:   `{"a":1,"b":3}`},
		{name: "an object nobody gives is made from its properties' defaults",
			schema: `{ properties: { db: { type: "object", properties: { port: { default: 1 }, host: {} } } } }`,
			want:   `{"db":{"port":1}}`},
		{name: "an explicit null takes no members",
			schema: `{ properties: { s: { default: null, properties: { p: { default: 1 } } } } }`,
			want:   `{"s":null}`},
		{name: "array items, one schema or one per position",
			schema: `{ properties: { l: { default: [{}, {}], items: { properties: { x: { default: 1 } } } }, t: { default: [{}, {}], items: [{ properties: { y: { default: 2 } } }] } } }`,
			want:   `{"l":[{"x":1},{"x":1}],"t":[{"y":2},{}]}`},
		{name: "allOf branches in order: the first default wins",
			schema: `{ allOf: [{ properties: { a: { default: 1 } } }, { properties: { a: { default: 2 }, b: { default: 3 } } }] }`,
			want:   `{"a":1,"b":3}`},
		{name: "no default", schema: `{ properties: { a: { type: "string" } } }`, want: "unset"},
		{name: "a recursive definition: Amber fails, the other defaults are there",
			schema: `{ $defs: { node: { type: "object", properties: { next: { $ref: "#/$defs/node" }, v: { default: 1 } } } }, properties: { tree: { $ref: "#/$defs/node" }, name: { default: "n" } } }`,
			want:   `{"name":"n","tree":{"v":1}}`, err: "config_schema contains a cyclic $ref"},
		{name: "a dangling $ref: Amber fails, the other defaults are there",
			schema: `{ properties: { a: { $ref: "#/$defs/missing" }, b: { default: 1 } } }`,
			want:   `{"b":1}`, err: `unresolvable $ref pointer "#/$defs/missing"`},
		{name: "filled from {}: a null default of the schema blocks nothing",
			schema: `{ default: null, properties: { a: { default: 1 } } }`, from: `{}`,
			want: `{"a":1}`},
		{name: "from nothing: the same null default takes no members",
			schema: `{ default: null, properties: { a: { default: 1 } } }`,
			want:   `null`},
		{name: "filled: what is there stays, members are added below it",
			schema: `{ properties: { s: { default: { p: 1, q: 2 }, properties: { r: { default: 3 } } }, t: { default: "t" } } }`, from: `{"s":{"p":"mine"},"t":"mine"}`,
			want: `{"s":{"p":"mine","q":2,"r":3},"t":"mine"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, root := parse(t, tt.schema)
			var d SchemaDefaults
			var from any
			if tt.from == "" {
				d = DefaultsOf(root)
			} else {
				if err := json.Unmarshal([]byte(tt.from), &from); err != nil {
					t.Fatal(err)
				}
				d = FillDefaults(root, from)
				if b, _ := json.Marshal(from); string(b) != tt.from {
					t.Errorf("FillDefaults changed its argument to %s", b)
				}
			}
			got := "unset"
			if d.Set {
				b, _ := json.Marshal(d.Value)
				got = string(b)
			}
			if got != tt.want || fmt.Sprint(d.Err) != fmt.Sprint(errOrNil(tt.err)) || d.TooLarge {
				t.Errorf("got %s, err %v, too large %v; want %s, err %q", got, d.Err, d.TooLarge, tt.want, tt.err)
			}
		})
	}
}
