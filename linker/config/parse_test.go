package config

import "testing"

// parentSchema is the parent config_schema most parse rows use.
const parentSchema = `{
  type: "object",
  properties: {
    token: { type: "string" },
    port: { type: "integer" },
    list: { type: "array", items: { type: "string" } },
    creds: { type: "object", properties: { key: { type: "string" } } },
    open: { type: "object", additionalProperties: { type: "string" } },
  },
}`

func TestParse(t *testing.T) {
	tests := []struct {
		name, config, schema string
		want                 string // the template, or "message @pointer"
		node                 string // for errors: the source text of the error's node
	}{
		// literals and structure
		{"absent is empty object", "", parentSchema, `{}`, ""},
		{"scalars", `{a: null, b: true, c: 1.5, d: 2, e: -0x10, f: 1e3}`, parentSchema,
			`{"a":null,"b":true,"c":1.5,"d":2,"e":-16,"f":1000.0}`, ""},
		{"plain string", `{a: "plain $ text {}"}`, parentSchema, `{"a":"plain $ text {}"}`, ""},
		{"empty string", `{a: ""}`, parentSchema, `{"a":""}`, ""},
		{"dollars without brace", `{a: "$$"}`, parentSchema, `{"a":"$$"}`, ""},
		{"nested", `{list: ["${config.token}", {x: "$${config.token}"}], o: {p: "${config.port}"}}`, parentSchema,
			`{"list":[ConfigRef("token"),{"x":SymbolicConfigRef("token")}],"o":{"p":ConfigRef("port")}}`, ""},
		{"duplicate keys: last wins", `{a: "${config.nope}", a: 1}`, parentSchema, `{"a":1}`, ""},
		{"duplicate keys: the last is read, in key order", `{c: "${slots.x}", a: 1, b: [0, {d: 1}], a: "${slots.y}"}`, parentSchema,
			"slot interpolation is not allowed in component config templates @/a", `"${slots.y}"`},
		{"more members than the stack buffer", `{k9: 9, k8: 8, k7: 7, k6: 6, k5: 5, k4: 4, k3: 3, k2: 2, k1: 1, k0: 0, k5: "five"}`, parentSchema,
			`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":"five","k6":6,"k7":7,"k8":8,"k9":9}`, ""},
		{"error after a sibling's deeper path", `{a: {b: {c: 1}}, d: [0, "${slots.x}"]}`, parentSchema,
			"slot interpolation is not allowed in component config templates @/d/1", `"${slots.x}"`},

		// references
		{"config ref", `{a: "${config.token}"}`, parentSchema, `{"a":ConfigRef("token")}`, ""},
		{"whole config ref", `{a: "${config}"}`, parentSchema, `{"a":ConfigRef("")}`, ""},
		{"whole config ref with dot", `{a: "${config.}"}`, parentSchema, `{"a":ConfigRef("")}`, ""},
		{"nested ref", `{a: "${config.creds.key}"}`, parentSchema, `{"a":ConfigRef("creds.key")}`, ""},
		{"string template", `{a: "Bearer ${config.token}!"}`, parentSchema,
			`{"a":StringTemplate("Bearer ",config("token"),"!")}`, ""},
		{"two refs", `{a: "${config.token}${config.port}"}`, parentSchema,
			`{"a":StringTemplate(config("token"),config("port"))}`, ""},
		{"dollar before ref is literal outside symbolic reading", `{a: "x$${config.token}"}`, parentSchema,
			"symbolic config interpolation must occupy the entire string @/a", `"x$${config.token}"`},
		{"unknown sub-path accepted", `{a: "${config.open.anything}"}`, parentSchema, `{"a":ConfigRef("open.anything")}`, ""},

		// symbolic
		{"symbolic whole", `{a: "$${config}"}`, parentSchema, `{"a":SymbolicConfigRef("")}`, ""},
		{"symbolic path", `{a: "$${config.token}"}`, parentSchema, `{"a":SymbolicConfigRef("token")}`, ""},
		{"symbolic not whole string", `{a: "x $${config.token}"}`, parentSchema,
			"symbolic config interpolation must occupy the entire string @/a", `"x $${config.token}"`},
		{"symbolic trailing text", `{a: "$${config.token} x"}`, parentSchema,
			"invalid symbolic interpolation `$${config.token} x` @/a", `"$${config.token} x"`},
		{"symbolic unclosed", `{a: "$${config.token"}`, parentSchema,
			"invalid symbolic interpolation `$${config.token` @/a", `"$${config.token"`},
		{"symbolic bare", `{a: "$${"}`, parentSchema, "invalid symbolic interpolation `$${` @/a", `"$${"`},
		{"symbolic other source", `{a: "$${slots.api}"}`, parentSchema,
			"unsupported symbolic interpolation `$${slots.api}`: expected `$${config.<path>}` @/a", `"$${slots.api}"`},
		{"symbolic not dotted", `{a: "$${configx}"}`, parentSchema,
			"unsupported symbolic interpolation `$${configx}`: expected `$${config.<path>}` @/a", `"$${configx}"`},
		{"symbolic_config object", `{a: {$symbolic_config: "token", other: 1}}`, parentSchema, `{"a":SymbolicConfigRef("token")}`, ""},
		{"symbolic_config whole", `{a: {$symbolic_config: ""}}`, parentSchema, `{"a":SymbolicConfigRef("")}`, ""},
		{"symbolic_config not a string", `{a: {$symbolic_config: 3}}`, parentSchema,
			"`$symbolic_config` value must be a string @/a/$symbolic_config", `3`},
		{"symbolic_config unknown path", `{a: {$symbolic_config: "nope"}}`, parentSchema,
			`invalid parent config reference "nope": config path "nope" not found (unknown key "nope") @/a/$symbolic_config`, `"nope"`},
		{"symbolic_string object", `{a: {$symbolic_string: "pre-${config.r}"}}`, parentSchema,
			`{"a":SymbolicString("pre-${config.r}")}`, ""},
		{"symbolic_string not a string", `{a: {$symbolic_string: null}}`, parentSchema,
			"`$symbolic_string` value must be a string @/a/$symbolic_string", `null`},
		{"symbolic_config repeated: last wins", `{a: {$symbolic_config: 3, $symbolic_config: "token"}}`, parentSchema,
			`{"a":SymbolicConfigRef("token")}`, ""},
		{"symbolic_config wins over symbolic_string", `{a: {$symbolic_string: "s", $symbolic_config: "token"}}`, parentSchema,
			`{"a":SymbolicConfigRef("token")}`, ""},

		// sources and syntax
		{"slots", `{url: "${slots.api.url}"}`, parentSchema,
			"slot interpolation is not allowed in component config templates @/url", `"${slots.api.url}"`},
		{"slots in template", `{url: "http://${slots.api}/x"}`, parentSchema,
			"slot interpolation is not allowed in component config templates @/url", `"http://${slots.api}/x"`},
		{"item", `{x: "${item.url}"}`, parentSchema,
			"unsupported interpolation source item in component config template @/x", `"${item.url}"`},
		{"unknown source", `{x: "a ${HOME} b"}`, parentSchema, "invalid interpolation `HOME` @/x", `"a ${HOME} b"`},
		{"empty placeholder", `{x: "${}"}`, parentSchema, "invalid interpolation `` @/x", `"${}"`},
		{"unclosed placeholder", `{x: "a ${config.token"}`, parentSchema,
			"invalid interpolation `a ${config.token` @/x", `"a ${config.token"`},
		{"first error in key order", `{b: "${slots.x}", a: "${item}"}`, parentSchema,
			"unsupported interpolation source item in component config template @/a", `"${item}"`},
		{"array pointer", `{list: ["ok", "${slots.x}"]}`, parentSchema,
			"slot interpolation is not allowed in component config templates @/list/1", `"${slots.x}"`},
		{"parts checked in order", `{x: "${config.nope} ${slots.a}"}`, parentSchema,
			`invalid parent config reference "nope": config path "nope" not found (unknown key "nope") @/x`, `"${config.nope} ${slots.a}"`},

		// parent schema checks
		{"no parent schema", `{token: "${config.token}"}`, "",
			"normal config interpolation ${config.token} is not allowed because the parent component has no `config_schema` @/token", `"${config.token}"`},
		{"no parent schema whole", `{all: "x${config}"}`, "",
			"normal config interpolation ${config} is not allowed because the parent component has no `config_schema` @/all", `"x${config}"`},
		{"no parent schema symbolic", `{s: "$${config.token}"}`, "",
			"symbolic config interpolation $${config.token} is not allowed because the parent component has no `config_schema` @/s", `"$${config.token}"`},
		{"no parent schema symbolic whole", `{s: "$${config}"}`, "",
			"symbolic config interpolation $${config} is not allowed because the parent component has no `config_schema` @/s", `"$${config}"`},
		{"no parent schema literal ok", `{s: "plain", n: 1}`, "", `{"n":1,"s":"plain"}`, ""},
		{"unknown key", `{a: "${config.missing}"}`, parentSchema,
			`invalid parent config reference "missing": config path "missing" not found (unknown key "missing") @/a`, `"${config.missing}"`},
		{"no properties", `{a: "${config.token.x}"}`, parentSchema,
			`invalid parent config reference "token.x": config path "token.x" not found (schema has no properties at segment "x") @/a`, `"${config.token.x}"`},
		{"into array", `{a: "${config.list.x}"}`, parentSchema,
			`invalid parent config reference "list.x": invalid config path "list.x": cannot descend into array at segment "list" @/a`, `"${config.list.x}"`},
		{"empty segment", `{a: "${config..token}"}`, parentSchema,
			`invalid parent config reference ".token": invalid config path ".token": empty segment @/a`, `"${config..token}"`},
		{"invalid segment", `{a: "${config.Token}"}`, parentSchema,
			`invalid parent config reference "Token": invalid config path segment "Token" in "Token" @/a`, `"${config.Token}"`},
		{"symbolic unknown key", `{a: "$${config.nope}"}`, parentSchema,
			`invalid parent config reference "nope": config path "nope" not found (unknown key "nope") @/a`, `"$${config.nope}"`},

		// top level
		{"top-level array", `[1]`, parentSchema, "component config must be a JSON object @", `[1]`},
		{"top-level string", `"${config.token}"`, parentSchema, "component config must be a JSON object @", `"${config.token}"`},
		{"top-level null", `null`, parentSchema, "component config must be a JSON object @", `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parse(t, tt.config)
			got, err := Parse(cfg.root, schema(t, tt.schema))
			if err != nil {
				if err.Stage != StageParse || !err.Located {
					t.Errorf("stage %v located %v, want a located parse error", err.Stage, err.Located)
				}
				if g := errText(err); g != tt.want {
					t.Errorf("error\n got: %s\nwant: %s", g, tt.want)
				}
				if g := cfg.nodeText(err.Node); g != tt.node {
					t.Errorf("error node = %s, want %s", g, tt.node)
				}
				return
			}
			if g := got.String(); g != tt.want {
				t.Errorf("template\n got: %s\nwant: %s", g, tt.want)
			}
		})
	}
}
