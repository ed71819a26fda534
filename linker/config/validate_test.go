package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestApplyDefaults(t *testing.T) {
	tests := []struct {
		name     string
		tpl      *Template
		schema   string
		want     string
		unchange bool
	}{
		{"fills absent", Obj(nil), `{type: "object", properties: {a: {default: "x"}, b: {type: "integer"}, c: {default: [1, 2.5]}}}`,
			`{"a":"x","c":[1,2.5]}`, false},
		{"keeps present", Obj(map[string]*Template{"a": Lit("mine")}), `{properties: {a: {default: "x"}}}`, `{"a":"mine"}`, true},
		{"present runtime value kept", Obj(map[string]*Template{"a": Ref("r")}), `{properties: {a: {type: "object", properties: {b: {default: 1}}}}}`,
			`{"a":ConfigRef("r")}`, true},
		{"nested object", Obj(map[string]*Template{"db": Obj(map[string]*Template{"host": Ref("h")})}),
			`{properties: {db: {type: "object", properties: {host: {}, port: {default: 5432}}}}}`,
			`{"db":{"host":ConfigRef("h"),"port":5432}}`, false},
		{"inserted object default is filled", Obj(nil),
			`{properties: {db: {type: "object", default: {host: "h"}, properties: {port: {default: 1}}}}}`,
			`{"db":{"host":"h","port":1}}`, false},
		// Amber merges the schema's defaults into one value first: an object
		// nobody gives is made from its properties' defaults, a parent
		// object's default member wins over the property's own, a default
		// beside a $ref counts, and so does the schema's own.
		{"absent object made from its properties' defaults", Obj(nil),
			`{properties: {db: {type: "object", properties: {port: {default: 1}}}}}`, `{"db":{"port":1}}`, false},
		{"parent object's default member wins", Obj(map[string]*Template{"s": Obj(nil)}),
			`{properties: {s: {type: "object", default: {p: 5}, properties: {p: {default: "b"}, q: {default: "q"}}}}}`,
			`{"s":{"p":5,"q":"q"}}`, false},
		{"default beside a ref", Obj(nil), `{$defs: {l: {default: "target"}}, properties: {l: {$ref: "#/$defs/l", default: "beside"}}}`,
			`{"l":"beside"}`, false},
		{"the schema's own default", Obj(map[string]*Template{"b": Ref("r")}), `{default: {a: 1, b: 2}, properties: {a: {}, b: {}}}`,
			`{"a":1,"b":ConfigRef("r")}`, false},
		{"a non-object default of the schema", Obj(nil), `{default: "x", properties: {a: {default: 1}}}`, `{}`, true},
		{"through refs", Obj(nil), `{$defs: {p: {type: "integer", default: 80}}, properties: {port: {$ref: "#/$defs/p"}}}`,
			`{"port":80}`, false},
		{"through a chain longer than any depth limit", Obj(nil), refChain(100, `{type: "integer", default: 80}`),
			`{"port":80}`, false},
		{"through a dangling ref", Obj(nil), refChain(3, `{$ref: "#/$defs/missing"}`), `{}`, true},
		{"through a ref cycle", Obj(nil), refChain(3, `{$ref: "#/$defs/d0"}`), `{}`, true},
		{"allOf branches", Obj(nil), `{allOf: [{properties: {a: {default: 1}}}, {properties: {b: {default: 2}}}]}`,
			`{"a":1,"b":2}`, false},
		{"null default", Obj(nil), `{properties: {a: {default: null}}}`, `{"a":null}`, false},
		{"root unchanged", RootNode(), `{properties: {a: {default: 1}}}`, `Root`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.tpl.String()
			got := ApplyDefaults(tt.tpl, schema(t, tt.schema))
			if got.String() != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if tt.tpl.String() != before {
				t.Errorf("input changed to %s", tt.tpl)
			}
			if tt.unchange && got != tt.tpl {
				t.Errorf("unchanged template was copied")
			}
		})
	}
}

// childSchema is the child config_schema of the validation rows.
const childSchema = `{
  type: "object",
  properties: {
    token: { type: "string" },
    port: { type: "integer", minimum: 1 },
    tags: { type: "array", items: { type: "string" } },
    db: {
      type: "object",
      properties: { host: { type: "string" }, port: { type: "integer" } },
      required: ["host"],
    },
    mode: { enum: ["a", "b"] },
  },
  required: ["token", "port"],
  additionalProperties: false,
}`

// rootSchema is the parent (root) config_schema of the validation rows.
const rootSchema = `{
  type: "object",
  properties: {
    token: { type: "string" },
    obj: { type: "object", properties: { x: { type: "string" } } },
    n: { type: "string" },
  },
}`

func TestValidate(t *testing.T) {
	parentTpl := Obj(map[string]*Template{
		"token": Ref("token"),
		"obj":   Obj(map[string]*Template{"x": Lit("str")}),
		"n":     Lit("7"),
	})
	tests := []struct {
		name, config, schema string
		parent               *Template
		want                 []string // "message @pointer" (pointer "-" when unlocated)
		nodes                []string // source text of each located error's node
	}{
		{"valid static", `{token: "t", port: 80}`, childSchema, RootNode(), nil, nil},
		{"valid runtime", `{token: "${config.token}", port: 80}`, childSchema, RootNode(), nil, nil},
		{"no schema with config", `{a: 1}`, "", RootNode(),
			[]string{"config was provided for a component that does not declare `config_schema` @-"}, nil},
		{"no schema without config", ``, "", RootNode(), nil, nil},
		{"missing required first only", `{}`, childSchema, RootNode(),
			[]string{"missing required field config.token @-",
				`invalid config: "token" is a required property; "port" is a required property @`}, []string{`{}`}},
		{"missing nested required", `{token: "t", port: 1, db: {port: 5}}`, childSchema, RootNode(),
			[]string{"missing required field config.db.host @-", `invalid config: "host" is a required property @/db`},
			[]string{`{port: 5}`}},
		{"nested required not checked below runtime", `{token: "t", port: 1, db: "${config.obj}"}`, childSchema, parentTpl,
			[]string{"missing required field config.db.host @-", `invalid config: "host" is a required property @/db`},
			[]string{`"${config.obj}"`}},
		{"type error located", `{token: "t", port: "one"}`, childSchema, RootNode(),
			[]string{`invalid config: "one" is not of type "integer" @/port`}, []string{`"one"`}},
		{"several errors in crate order", `{token: 5, port: 0, extra: 1, mode: "c"}`, childSchema, RootNode(),
			[]string{`invalid config: "c" is not one of ["a","b"]; 0 is less than the minimum of 1; 5 is not of type "string"; Additional properties are not allowed ('extra' was unexpected) @/mode`},
			[]string{`"c"`}},
		{"static subset", `{token: "${config.token}", port: "x", tags: ["${config.token}", 5]}`, childSchema, RootNode(),
			[]string{`invalid static config values: "x" is not of type "integer" @/port`}, []string{`"x"`}},
		{"static subset keeps nested static", `{token: "${config.token}", port: 1, db: {host: "${config.token}", port: "p"}}`, childSchema, RootNode(),
			[]string{`invalid static config values: "p" is not of type "integer" @/db/port`}, []string{`"p"`}},
		{"static subset drops required of runtime keys", `{token: "${config.token}", port: 1, db: {host: "${config.token}"}}`, childSchema, RootNode(), nil, nil},
		{"static subset additional properties", `{token: "${config.token}", port: 1, extra: true}`, childSchema, RootNode(),
			[]string{`invalid static config values: Additional properties are not allowed ('extra' was unexpected) @`},
			[]string{`{token: "${config.token}", port: 1, extra: true}`}},
		{"symbolic values are not static", `{token: "t", port: "$${config.token}"}`, childSchema, RootNode(), nil, nil},
		{"composed value below string", `{token: "t", port: 1, db: {host: "h", port: "${config.n}"}}`, childSchema, parentTpl,
			[]string{`invalid config: "7" is not of type "integer" @/db/port`}, []string{`"${config.n}"`}},
		// A value below a string the authored config does not have: Amber's
		// span_for_json_pointer finds none, and the error goes to the
		// config site.
		{"composed object below a string is not located", `{token: "${config.token}", port: 1, db: "${config.obj}"}`,
			`{type: "object", properties: {token: {}, port: {}, db: {type: "object", properties: {x: {type: "integer"}}}}}`, parentTpl,
			[]string{`invalid static config values: "str" is not of type "integer" @/db/x`}, []string{`<nil>`}},
		{"defaults validated", ``, `{type: "object", properties: {p: {type: "integer", default: "x"}}}`, RootNode(),
			[]string{`invalid config: "x" is not of type "integer" @/p`}, []string{`<nil>`}},
		{"secret field of the wrong type", `{pw: 5}`, `{type: "object", properties: {pw: {type: "string", secret: true}}}`, RootNode(),
			[]string{`invalid config: 5 is not of type "string" @/pw`}, []string{`5`}},
		{"secret field valid", `{pw: "s"}`, `{type: "object", properties: {pw: {type: "string", secret: true}}, required: ["pw"]}`, RootNode(), nil, nil},
		{"array element of the wrong type", `{token: "t", port: 1, tags: ["a", 2, "c", true]}`, childSchema, RootNode(),
			[]string{`invalid config: 2 is not of type "string"; true is not of type "string" @/tags/1`}, []string{`2`}},
		{"array valid", `{token: "t", port: 1, tags: ["a", "b"]}`, childSchema, RootNode(), nil, nil},
		{"enum valid", `{token: "t", port: 1, mode: "b"}`, childSchema, RootNode(), nil, nil},
		{"enum of the wrong type", `{token: "t", port: 1, mode: 1}`, childSchema, RootNode(),
			[]string{`invalid config: 1 is not one of ["a","b"] @/mode`}, []string{`1`}},
		{"nested object valid", `{token: "t", port: 1, db: {host: "h", port: 2}}`, childSchema, RootNode(), nil, nil},
		{"nested object of the wrong type", `{token: "t", port: 1, db: [1]}`, childSchema, RootNode(),
			[]string{`invalid config: [1] is not of type "object" @/db`}, []string{`[1]`}},
		{"nested defaults satisfy required", `{db: {}}`,
			`{type: "object", properties: {db: {type: "object", properties: {port: {type: "integer", default: 5}}, required: ["port"]}}, required: ["db"]}`,
			RootNode(), nil, nil},
		{"object default filled and validated", ``,
			`{type: "object", properties: {db: {type: "object", default: {host: 1}, properties: {host: {type: "string"}, port: {type: "integer", default: "p"}}}}}`,
			RootNode(), []string{`invalid config: 1 is not of type "string"; "p" is not of type "integer" @/db/host`}, []string{`<nil>`}},
		{"oneOf valid under two branches", `{v: 1}`, `{type: "object", properties: {v: {oneOf: [{type: "integer"}, {minimum: 0}]}}}`, RootNode(),
			[]string{`invalid config: 1 is valid under more than one of the schemas listed in the 'oneOf' keyword @/v`}, []string{`1`}},
		{"anyOf valid under the second branch", `{v: "x"}`, `{type: "object", properties: {v: {anyOf: [{type: "integer"}, {type: "string"}]}}}`, RootNode(), nil, nil},
		{"missing required of an allOf branch", `{a: 1}`, `{type: "object", allOf: [{required: ["a"]}, {required: ["b"]}]}`, RootNode(),
			[]string{`invalid config: "b" is a required property @`}, []string{`{a: 1}`}},
		// Amber checks `required` only where the schema has `properties`;
		// otherwise the JSON Schema pass alone reports it, and with a
		// runtime value it prunes `required` to the keys present.
		{"required without properties, runtime value", `{other: "${config.token}"}`, `{type: "object", required: ["token"]}`, RootNode(), nil, nil},
		{"required without properties, static value", `{other: "x"}`, `{type: "object", required: ["token"]}`, RootNode(),
			[]string{`invalid config: "token" is a required property @`}, []string{`{other: "x"}`}},
		// Nor does Amber follow `$ref` or `allOf` there: such a key is
		// left to the JSON Schema pass, which keeps that `required` when
		// it prunes the schema for a static subset.
		{"required under a $ref, runtime value", `{db: {port: "${config.token}"}}`,
			`{type: "object", $defs: {db: {type: "object", properties: {host: {type: "string"}, port: {type: "integer"}}, required: ["host"]}}, properties: {db: {$ref: "#/$defs/db"}}}`,
			RootNode(), []string{`invalid static config values: "host" is a required property @/db`}, []string{`{port: "${config.token}"}`}},
		{"required under a $ref, static value", `{db: {port: 1}}`,
			`{type: "object", $defs: {db: {type: "object", properties: {host: {type: "string"}, port: {type: "integer"}}, required: ["host"]}}, properties: {db: {$ref: "#/$defs/db"}}}`,
			RootNode(), []string{`invalid config: "host" is a required property @/db`}, []string{`{port: 1}`}},
		{"required in an allOf branch, runtime value", `{a: "${config.token}"}`,
			`{type: "object", properties: {a: {type: "string"}, b: {type: "string"}}, allOf: [{type: "object", required: ["b"]}]}`,
			RootNode(), []string{`invalid static config values: "b" is a required property @`}, []string{`{a: "${config.token}"}`}},
		{"required beside properties is pruned for a runtime value", `{a: "${config.token}"}`,
			`{type: "object", properties: {a: {type: "string"}, b: {type: "string"}}, required: ["b"]}`,
			RootNode(), []string{"missing required field config.b @-"}, nil},
		{"required without properties below an object", `{token: "t", port: 1, db: {port: 2}}`,
			`{type: "object", properties: {token: {}, port: {}, db: {type: "object", required: ["host"]}}}`, RootNode(),
			[]string{`invalid config: "host" is a required property @/db`}, []string{`{port: 2}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parse(t, tt.config)
			parentSchema := schema(t, rootSchema)
			child := schema(t, tt.schema)
			tpl, err := ChildTemplate(cfg.root, parentSchema, tt.parent, child)
			if err != nil {
				t.Fatalf("template: %s", errText(err))
			}
			errs := Validate(tpl, child, cfg.root)
			var got, nodes []string
			for _, e := range errs {
				if e.Stage != StageValidate {
					t.Errorf("stage %v", e.Stage)
				}
				got = append(got, errText(e))
				if e.Located {
					nodes = append(nodes, cfg.nodeText(e.Node))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors\n got: %q\nwant: %q", got, tt.want)
			}
			if strings.Join(nodes, "\n") != strings.Join(tt.nodes, "\n") {
				t.Errorf("nodes\n got: %q\nwant: %q", nodes, tt.nodes)
			}
		})
	}
}

func TestValidateShapes(t *testing.T) {
	s := schema(t, childSchema)
	if errs := Validate(RootNode(), s, nil); errs != nil {
		t.Errorf("Root: %v", errs)
	}
	errs := Validate(Lit("x"), s, nil)
	if len(errs) != 1 || errs[0].Message() != "component config must be an object (non-object config templates are unsupported)" {
		t.Errorf("non-object: %v", errs)
	}
}

func TestValidateListsAtMostEightProblems(t *testing.T) {
	var props, cfg []string
	for _, k := range "abcdefghij" {
		props = append(props, string(k)+`: {type: "integer"}`)
		cfg = append(cfg, string(k)+`: "s"`)
	}
	s := schema(t, `{type: "object", properties: {`+strings.Join(props, ", ")+`}}`)
	tpl, err := ChildTemplate(parse(t, "{"+strings.Join(cfg, ", ")+"}").root, nil, EmptyObject(), s)
	if err != nil {
		t.Fatal(errText(err))
	}
	errs := Validate(tpl, s, nil)
	if len(errs) != 1 {
		t.Fatalf("got %d errors", len(errs))
	}
	want := "invalid config: " + strings.TrimSuffix(strings.Repeat(`"s" is not of type "integer"; `, 8), "; ")
	if errs[0].Message() != want {
		t.Errorf("got  %s\nwant %s", errs[0].Message(), want)
	}
	if len(errs[0].Problems) != 10 {
		t.Errorf("Problems has %d entries, want all 10", len(errs[0].Problems))
	}
}

func TestMissingRequiredNamesTheObject(t *testing.T) {
	s := schema(t, childSchema)
	cfg := parse(t, `{token: "t", port: 1, db: {port: 5}}`)
	tpl, err := ChildTemplate(cfg.root, nil, EmptyObject(), s)
	if err != nil {
		t.Fatal(errText(err))
	}
	errs := Validate(tpl, s, cfg.root)
	if len(errs) == 0 || errs[0].Located || errs[0].PointerString() != "/db" || cfg.nodeText(errs[0].Node) != `{port: 5}` {
		t.Fatalf("got %+v", errs)
	}
}

// refChain is a schema whose property `port` reaches last through n+1
// references: d0 -> d1 -> ... -> dn = last.
func refChain(n int, last string) string {
	var b strings.Builder
	b.WriteString(`{$defs: {`)
	for i := range n {
		fmt.Fprintf(&b, `d%d: {$ref: "#/$defs/d%d"}, `, i, i+1)
	}
	fmt.Fprintf(&b, `d%d: %s}, properties: {port: {$ref: "#/$defs/d0"}}}`, n, last)
	return b.String()
}
