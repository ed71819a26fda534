package config

import "testing"

// openSchema accepts every config path (lookups are "unknown"), so the
// compose rows reach the template walk.
const openSchema = `{ type: "object", additionalProperties: {} }`

// scopeTemplate is a parent template with one node of every kind.
func scopeTemplate() *Template {
	return Obj(map[string]*Template{
		"token": Lit("abc"),
		"n":     Lit(int64(5)),
		"f":     Lit(1.0),
		"big":   Lit(1e21),
		"b":     Lit(true),
		"nul":   Lit(nil),
		"obj":   Obj(map[string]*Template{"y": Lit("s"), "x": Lit(int64(1))}),
		"arr":   Arr(Lit(int64(1)), Lit("a")),
		"rt":    Ref("root_token"),
		"tpl":   Str(LitPart("pre-"), ConfigPart("r")),
		"sym":   SymRef("s"),
		"sstr":  SymStr("t ${config.q}"),
		"mixed": Obj(map[string]*Template{"a": Ref("r"), "b": Lit(int64(1))}),
		"rtarr": Arr(Ref("r"), Lit("x")),
	})
}

func TestCompose(t *testing.T) {
	scope := scopeTemplate()
	tests := []struct {
		name, config string
		parent       *Template
		want         string // template or "message @-"
	}{
		// parent is Root
		{"root ref", `{a: "${config.a.b}"}`, RootNode(), `{"a":ConfigRef("a.b")}`},
		{"root whole", `{a: "${config}"}`, RootNode(), `{"a":ConfigRef("")}`},
		{"root symbolic", `{a: "$${config.a}"}`, RootNode(), `{"a":SymbolicConfigRef("a")}`},
		{"root symbolic whole", `{a: "$${config}"}`, RootNode(), `{"a":SymbolicConfigRef("")}`},
		{"root template", `{a: "x${config.a}y${config}"}`, RootNode(), `{"a":StringTemplate("x",config("a"),"y",config(""))}`},
		{"root literal", `{a: [1, {b: "c"}]}`, RootNode(), `{"a":[1,{"b":"c"}]}`},
		{"symbolic string unchanged", `{a: {$symbolic_string: "${config.zz}"}}`, RootNode(), `{"a":SymbolicString("${config.zz}")}`},

		// ConfigRef against an object template
		{"static string", `{a: "${config.token}"}`, scope, `{"a":"abc"}`},
		{"static nested", `{a: "${config.obj.x}"}`, scope, `{"a":1}`},
		{"static object", `{a: "${config.obj}"}`, scope, `{"a":{"x":1,"y":"s"}}`},
		{"runtime ref", `{a: "${config.rt}"}`, scope, `{"a":ConfigRef("root_token")}`},
		{"template ref", `{a: "${config.tpl}"}`, scope, `{"a":StringTemplate("pre-",config("r"))}`},
		{"symbolic ref kept", `{a: "${config.sym}"}`, scope, `{"a":SymbolicConfigRef("s")}`},
		{"whole parent", `{a: "${config}"}`, Obj(map[string]*Template{"k": Ref("r")}), `{"a":{"k":ConfigRef("r")}}`},
		{"missing key", `{a: "${config.nope}"}`, scope, `config path "nope" not found (missing key "nope") @-`},
		{"missing nested key", `{a: "${config.obj.z}"}`, scope, `config path "obj.z" not found (missing key "z") @-`},
		{"runtime-derived", `{a: "${config.rt.x}"}`, scope,
			`config path "rt.x" is runtime-derived; cannot descend into "x" at compile time @-`},
		{"string-valued template", `{a: "${config.tpl.x}"}`, scope,
			`config path "tpl.x" is string-valued; cannot descend into "x" at compile time @-`},
		{"string-valued literal", `{a: "${config.token.x}"}`, scope,
			`config path "token.x" is string-valued; cannot descend into "x" at compile time @-`},
		{"string-valued symbolic", `{a: "${config.sstr.x}"}`, scope,
			`config path "sstr.x" is string-valued; cannot descend into "x" at compile time @-`},
		{"non-object number", `{a: "${config.n.x}"}`, scope,
			`config path "n.x" not found (encountered non-object before segment "x") @-`},
		{"non-object array", `{a: "${config.arr.x.y}"}`, scope,
			`config path "arr.x.y" not found (encountered non-object before segment "x") @-`},

		// SymbolicConfigRef against an object template
		{"materialise string", `{a: "$${config.token}"}`, scope, `{"a":"abc"}`},
		{"materialise integer", `{a: "$${config.n}"}`, scope, `{"a":"5"}`},
		{"materialise float", `{a: "$${config.f}"}`, scope, `{"a":"1.0"}`},
		{"materialise exponent", `{a: "$${config.big}"}`, scope, `{"a":"1e21"}`},
		{"materialise bool", `{a: "$${config.b}"}`, scope, `{"a":"true"}`},
		{"materialise object", `{a: "$${config.obj}"}`, scope, `{"a":"{\"x\":1,\"y\":\"s\"}"}`},
		{"materialise array", `{a: "$${config.arr}"}`, scope, `{"a":"[1,\"a\"]"}`},
		{"materialise null", `{a: "$${config.nul}"}`, scope, `cannot interpolate null @-`},
		{"symbolise ref", `{a: "$${config.rt}"}`, scope, `{"a":SymbolicConfigRef("root_token")}`},
		{"symbolise template", `{a: "$${config.tpl}"}`, scope, `{"a":SymbolicString("pre-${config.r}")}`},
		{"symbolic stays", `{a: "$${config.sym}"}`, scope, `{"a":SymbolicConfigRef("s")}`},
		{"symbolic string stays", `{a: "$${config.sstr}"}`, scope, `{"a":SymbolicString("t ${config.q}")}`},
		{"symbolise mixed object", `{a: "$${config.mixed}"}`, scope, `{"a":{"a":SymbolicConfigRef("r"),"b":"1"}}`},
		{"symbolic object form", `{a: {$symbolic_config: "rt"}}`, scope, `{"a":SymbolicConfigRef("root_token")}`},
		{"symbolic missing", `{a: "$${config.nope}"}`, scope, `config path "nope" not found (missing key "nope") @-`},

		// StringTemplate against an object template
		{"embed string", `{a: "v=${config.token}"}`, scope, `{"a":"v=abc"}`},
		{"embed scalars", `{a: "n=${config.n},f=${config.f},b=${config.b}"}`, scope, `{"a":"n=5,f=1.0,b=true"}`},
		{"embed object", `{a: "o=${config.obj}"}`, scope, `{"a":"o={\"x\":1,\"y\":\"s\"}"}`},
		{"embed ref", `{a: "x${config.rt}"}`, scope, `{"a":StringTemplate("x",config("root_token"))}`},
		{"embed template", `{a: "x${config.tpl}y"}`, scope, `{"a":StringTemplate("xpre-",config("r"),"y")}`},
		{"embed symbolic ref", `{a: "x${config.sym}"}`, scope, `{"a":"x${config.s}"}`},
		{"embed symbolic string", `{a: "x${config.sstr}"}`, scope, `{"a":"xt ${config.q}"}`},
		{"embed empty string", `{a: "${config.e}${config.e}"}`, Obj(map[string]*Template{"e": Lit("")}), `{"a":""}`},
		{"embed null", `{a: "x${config.nul}"}`, scope, `cannot interpolate null @-`},
		{"embed runtime object", `{a: "x${config.mixed}"}`, scope,
			"cannot embed a runtime-derived non-string config value into a string template (consider restructuring your config so the referenced value comes directly from root config) @-"},
		{"embed runtime array", `{a: "x${config.rtarr}"}`, scope,
			"cannot embed a runtime-derived non-string config value into a string template (consider restructuring your config so the referenced value comes directly from root config) @-"},
		{"embed missing", `{a: "x${config.nope}"}`, scope, `config path "nope" not found (missing key "nope") @-`},

		// the result must be an object
		{"non-object result", `{$symbolic_config: "token"}`, scope,
			"component config must be an object (non-object config templates are unsupported) @-"},
		{"non-object result from root", `{$symbolic_config: ""}`, RootNode(),
			"component config must be an object (non-object config templates are unsupported) @-"},
		{"object from whole-config symbolic", `{$symbolic_config: "obj"}`, scope, "component config must be an object (non-object config templates are unsupported) @-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parse(t, tt.config)
			parsed, perr := Parse(cfg.root, schema(t, openSchema))
			if perr != nil {
				t.Fatalf("parse: %s", errText(perr))
			}
			got, err := Compose(parsed, tt.parent)
			if err != nil {
				if err.Stage != StageCompose || err.Located {
					t.Errorf("stage %v located %v, want an unlocated compose error", err.Stage, err.Located)
				}
				if g := errText(err); g != tt.want {
					t.Errorf("error\n got: %s\nwant: %s", g, tt.want)
				}
				return
			}
			if g := got.String(); g != tt.want {
				t.Errorf("template\n got: %s\nwant: %s", g, tt.want)
			}
		})
	}
}

func TestComposeDoesNotShareMutableState(t *testing.T) {
	parent := Obj(map[string]*Template{"o": Obj(map[string]*Template{"k": Lit("v")})})
	parsed, _ := Parse(parse(t, `{a: "${config.o}"}`).root, schema(t, openSchema))
	child, err := Compose(parsed, parent)
	if err != nil {
		t.Fatal(err)
	}
	filled := ApplyDefaults(child, schema(t, `{type: "object", properties: {a: {type: "object", properties: {d: {default: 1}}}}}`))
	if got := filled.String(); got != `{"a":{"d":1,"k":"v"}}` {
		t.Errorf("filled = %s", got)
	}
	if got := parent.String(); got != `{"o":{"k":"v"}}` {
		t.Errorf("parent template changed: %s", got)
	}
	if got := child.String(); got != `{"a":{"k":"v"}}` {
		t.Errorf("composed template changed: %s", got)
	}
}

func TestSimplify(t *testing.T) {
	tests := []struct {
		in   *Template
		want string
	}{
		{Str(LitPart("a"), LitPart(""), LitPart("b")), `"ab"`},
		{Str(), `""`},
		{Str(LitPart("a"), ConfigPart("x"), LitPart("b"), LitPart("c")), `StringTemplate("a",config("x"),"bc")`},
		{Str(ConfigPart("x")), `StringTemplate(config("x"))`},
		{Obj(map[string]*Template{"k": Arr(Str(LitPart("x")))}), `{"k":["x"]}`},
		{Ref("r"), `ConfigRef("r")`},
	}
	for _, tt := range tests {
		if got := Simplify(tt.in).String(); got != tt.want {
			t.Errorf("Simplify(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestComposeFirstErrorInKeyOrder composes objects whose members fail in
// several places: the error is always that of the first in key order, at
// its own pointer, however the members are visited.
func TestComposeFirstErrorInKeyOrder(t *testing.T) {
	tests := []struct{ config, pointer, message string }{
		{`{z: "${config.nope1}", m: {k: [1, "${config.nope2}"]}, b: "${config.nope3}", a: 1}`, "/b",
			`config path "nope3" not found (missing key "nope3")`},
		{`{z: "${config.nope1}", m: {k: [1, "${config.nope2}"], a: {deep: {er: 1}}}, n: 1}`, "/m/k/1",
			`config path "nope2" not found (missing key "nope2")`},
		{`{y: {a: {b: {c: 1}}}, z: ["x", "${config.rt.x}"]}`, "/z/1",
			`config path "rt.x" is runtime-derived; cannot descend into "x" at compile time`},
	}
	for _, tt := range tests {
		cfg := parse(t, tt.config)
		for range 20 {
			_, err := ChildTemplate(cfg.root, schema(t, openSchema), scopeTemplate(), schema(t, `{type: "object"}`))
			if err == nil {
				t.Fatalf("%s: want an error", tt.config)
			}
			if err.PointerString() != tt.pointer || err.Message() != tt.message {
				t.Fatalf("%s: got %s @%s, want %s @%s", tt.config, err.Message(), err.PointerString(), tt.message, tt.pointer)
			}
		}
	}
}

// TestComposeSharesUnchangedNodes: composing and simplifying a template
// without references returns it as it is; a changed member copies the
// objects above it only.
func TestComposeSharesUnchangedNodes(t *testing.T) {
	parsed, err := Parse(parse(t, `{n: 1, label: "x", o: {p: [1, "y"]}, q: {r: 2}}`).root, schema(t, openSchema))
	if err != nil {
		t.Fatal(err)
	}
	for _, parent := range []*Template{RootNode(), scopeTemplate()} {
		got, err := Compose(parsed, parent)
		if err != nil || got != parsed {
			t.Errorf("compose against %s: copied (%v)", parent, err)
		}
	}
	if Simplify(parsed) != parsed {
		t.Error("simplify copied")
	}
	refd, _ := Parse(parse(t, `{o: {p: "${config.token}"}, q: {r: 2}}`).root, schema(t, openSchema))
	got, err := Compose(refd, scopeTemplate())
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != `{"o":{"p":"abc"},"q":{"r":2}}` || got == refd || got.Fields["o"] == refd.Fields["o"] || got.Fields["q"] != refd.Fields["q"] {
		t.Errorf("composed %s: the changed path must be copied, the rest shared", got)
	}
	if refd.String() != `{"o":{"p":ConfigRef("token")},"q":{"r":2}}` {
		t.Errorf("input changed: %s", refd)
	}
}

func TestComposeErrorNamesTheValue(t *testing.T) {
	cfg := parse(t, `{ok: 1, list: [0, {deep: "x${config.nope}"}]}`)
	_, err := ChildTemplate(cfg.root, schema(t, openSchema), scopeTemplate(), schema(t, `{type: "object"}`))
	if err == nil {
		t.Fatal("want an error")
	}
	if err.Located || err.PointerString() != "/list/1/deep" || cfg.nodeText(err.Node) != `"x${config.nope}"` {
		t.Errorf("located %v pointer %s node %s", err.Located, err.PointerString(), cfg.nodeText(err.Node))
	}
	_, err = ChildTemplate(parse(t, `{$symbolic_config: "token"}`).root, schema(t, openSchema), scopeTemplate(), schema(t, `{type: "object"}`))
	if err == nil || err.PointerString() != "" || err.Pointer == nil {
		t.Errorf("non-object result: %+v", err)
	}
}

// TestChildTemplateDefaultsMustMakeAnObject: a child's schema whose
// defaults are not an object fails the composition, whatever gives the
// value (the schema's own `default`, one beside its `$ref`, an `allOf`
// branch), unless Amber's walk fails first at a `$ref` (not reported).
func TestChildTemplateDefaultsMustMakeAnObject(t *testing.T) {
	const msg = "component config defaults must resolve to an object"
	tests := []struct{ schema, want string }{
		{`{type: "object", default: "x", properties: {a: {type: "string"}}}`, msg},
		{`{type: "object", default: null}`, msg},
		{`{type: "object", default: [1]}`, msg},
		{`{type: "object", allOf: [{default: 1}]}`, msg},
		{`{type: "object", $defs: {d: {default: 2.5}}, $ref: "#/$defs/d"}`, msg},
		{`{type: "object", default: "x", $defs: {c: {$ref: "#/$defs/c"}}, properties: {p: {$ref: "#/$defs/c"}}}`, msg},
		{`{type: "object", default: "x", $ref: "#/$defs/missing"}`, `{"k":1}`},
		{`{type: "object", default: {a: "d"}, allOf: [{default: {}}], properties: {a: {type: "string"}}}`, `{"a":"d","k":1}`},
		{`{type: "object", properties: {a: {type: "string", default: "p"}}}`, `{"a":"p","k":1}`},
		{`{type: "object"}`, `{"k":1}`},
	}
	for _, tt := range tests {
		tpl, err := ChildTemplate(parse(t, `{k: 1}`).root, schema(t, openSchema), scopeTemplate(), schema(t, tt.schema))
		got := ""
		switch {
		case err != nil:
			got = err.Message()
		default:
			got = tpl.String()
		}
		if got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.schema, got, tt.want)
		}
	}
}
