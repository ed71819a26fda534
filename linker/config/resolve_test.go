package config

import (
	"fmt"
	"testing"
)

func TestResolve(t *testing.T) {
	tpl := Obj(map[string]*Template{
		"token": Lit("abc"),
		"nul":   Lit(nil),
		"rt":    Ref("root_token"),
		"tpl":   Str(LitPart("pre-"), ConfigPart("r")),
		"sym":   SymRef("s"),
		"sstr":  SymStr("t ${config.q}"),
		"obj":   Obj(map[string]*Template{"x": Lit(int64(1)), "s": SymRef("k")}),
		"mixed": Obj(map[string]*Template{"a": Ref("r")}),
	})
	tests := []struct {
		tpl  *Template
		path string
		want string // "state value|node reason"
	}{
		{tpl, "token", `static "abc"`},
		{tpl, "nul", `static null`},
		{tpl, "obj", `static {"s":"${config.k}","x":1}`},
		{tpl, "obj.x", `static 1`},
		{tpl, "sym", `static "${config.s}"`},
		{tpl, "sstr", `static "t ${config.q}"`},
		{tpl, "rt", `runtime ConfigRef("root_token")`},
		{tpl, "tpl", `runtime StringTemplate("pre-",config("r"))`},
		{tpl, "mixed", `runtime {"a":ConfigRef("r")}`},
		{tpl, "rt.x", `runtime ConfigRef("root_token") config path "rt.x" is runtime-derived; cannot descend into "x" at compile time`},
		{tpl, "nope", `absent config path "nope" not found (missing key "nope")`},
		{tpl, "token.x", `absent config path "token.x" is string-valued; cannot descend into "x" at compile time`},
		{tpl, "obj.x.y", `absent config path "obj.x.y" not found (encountered non-object before segment "y")`},
		{RootNode(), "a.b", `runtime ConfigRef("a.b")`},
		{RootNode(), "", `runtime ConfigRef("")`},
		{EmptyObject(), "", `static {}`},
	}
	for _, tt := range tests {
		r := Resolve(tt.tpl, tt.path)
		got := r.State.String()
		switch r.State {
		case Static:
			got += " " + fmt.Sprint(renderJSON(r.Value))
		case Runtime:
			got += " " + r.Node.String()
		}
		if r.Reason != "" {
			got += " " + r.Reason
		}
		if got != tt.want {
			t.Errorf("Resolve(%s, %q)\n got: %s\nwant: %s", tt.tpl, tt.path, got, tt.want)
		}
	}
}

func renderJSON(v any) string { return Lit(v).String() }

func TestRenderValue(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{"text", "text"},
		{true, "true"},
		{false, "false"},
		{int64(-3), "-3"},
		{1.0, "1.0"},
		{0.1, "0.1"},
		{1e21, "1e21"},
		{1.5e-7, "1.5e-7"},
		{map[string]any{"b": int64(1), "a": []any{"x", nil}}, `{"a":["x",null],"b":1}`},
		{"<&>\u2028", "<&>\u2028"},
	}
	for _, tt := range tests {
		got, ok := RenderValue(tt.v)
		if !ok || got != tt.want {
			t.Errorf("RenderValue(%v) = %q, %v; want %q", tt.v, got, ok, tt.want)
		}
	}
	if _, ok := RenderValue(nil); ok {
		t.Error("null must not render")
	}
}

func TestRenderResourceParam(t *testing.T) {
	tpl := Obj(map[string]*Template{
		"size":  Lit(int64(5)),
		"ratio": Lit(1.0),
		"unit":  Lit("Gi"),
		"nul":   Lit(nil),
		"rt":    Ref("root_size"),
		"obj":   Obj(map[string]*Template{"a": Lit(true)}),
		"sym":   SymRef("s"),
	})
	tests := []struct {
		tpl        *Template
		text, want string
	}{
		{tpl, "1Gi", "1Gi"},
		{tpl, "", ""},
		{tpl, "${config.size}${config.unit}", "5Gi"},
		{tpl, "r=${config.ratio}", "r=1.0"},
		{tpl, "${config.obj}", `{"a":true}`},
		{tpl, "${config.sym}", "${config.s}"},
		{tpl, "${config.rt}Gi", "failed to resolve resources.state.params.size: config.rt depends on runtime root config, which is not available at compile time"},
		{RootNode(), "${config.size}", "failed to resolve resources.state.params.size: config.size depends on runtime root config, which is not available at compile time"},
		{RootNode(), "${config}", "failed to resolve resources.state.params.size: config depends on runtime root config, which is not available at compile time"},
		{tpl, "${config.missing}", "failed to resolve resources.state.params.size: config.missing depends on runtime root config, which is not available at compile time"},
		{tpl, "${config.size.x}", "failed to resolve resources.state.params.size: config.size.x depends on runtime root config, which is not available at compile time"},
		{tpl, "${slots.api.url}", "failed to resolve resources.state.params.size: slot interpolation is not allowed in resource params"},
		{tpl, "${item}", "failed to resolve resources.state.params.size: unsupported interpolation source item in resource params"},
		{tpl, "${config.rt.x}", "failed to resolve resources.state.params.size: config.rt.x depends on runtime root config, which is not available at compile time"},
		{tpl, "${config.nul}", "failed to resolve resources.state.params.size: cannot interpolate null"},
		{tpl, "${config.size", "failed to resolve resources.state.params.size: invalid interpolation `${config.size`"},
	}
	for _, tt := range tests {
		got, err := RenderResourceParam(tt.tpl, Schemas{}, "state", "size", tt.text)
		if err != nil {
			if err.Stage != StageRender {
				t.Errorf("stage %v", err.Stage)
			}
			got = err.Message()
		}
		if got != tt.want {
			t.Errorf("RenderResourceParam(%q)\n got: %s\nwant: %s", tt.text, got, tt.want)
		}
	}
}

// TestRenderThroughRoot: a path that leads into forwarded root config is
// static when every value the root config can give it agrees: the
// component's default stands in where the root leaves the path out.
func TestRenderThroughRoot(t *testing.T) {
	child := `{ type: "object", properties: {
		storage: { type: "object", properties: { size: { type: "string", default: "12Gi" }, tier: { type: "string" } } },
		flat: { type: "string", default: "flat-default" },
		nested: { type: "object", properties: { inner: { type: "object", properties: { n: { type: "integer", default: 3 } } } } },
	} }`
	const depends = " depends on runtime root config, which is not available at compile time"
	tests := []struct {
		name, root string
		tpl        *Template
		text, want string
	}{
		{"object without the property", `{ properties: { storage: { type: "object" } } }`,
			Obj(map[string]*Template{"storage": Ref("storage")}), "${config.storage.size}", "12Gi"},
		{"object that may hold the property", `{ properties: { storage: { type: "object", properties: { size: { type: "string" } } } } }`,
			Obj(map[string]*Template{"storage": Ref("storage")}), "${config.storage.size}", "config.storage.size" + depends},
		{"object that may be null", `{ properties: { storage: { type: ["object", "null"] } } }`,
			Obj(map[string]*Template{"storage": Ref("storage")}), "${config.storage.size}", "config.storage.size" + depends},
		{"object that may be a string", `{ properties: { storage: { type: ["object", "string"] } } }`,
			Obj(map[string]*Template{"storage": Ref("storage")}), "${config.storage.size}", "config.storage.size" + depends},
		{"no default below", `{ properties: { storage: { type: "object" } } }`,
			Obj(map[string]*Template{"storage": Ref("storage")}), "${config.storage.tier}", "config.storage.tier" + depends},
		{"leaf the root does not declare", `{ properties: { other: { type: "string" } } }`,
			Obj(map[string]*Template{"flat": Ref("absent")}), "${config.flat}", "flat-default"},
		{"leaf the root declares", `{ properties: { other: { type: "string" } } }`,
			Obj(map[string]*Template{"flat": Ref("other")}), "${config.flat}", "config.flat" + depends},
		{"default of an object below a missing one", `{ properties: { nested: { type: "object" } } }`,
			Obj(map[string]*Template{"nested": Ref("nested")}), "x${config.nested.inner.n}", "x3"},
		{"required object without the property", `{ properties: { storage: { type: "object" } }, required: ["storage"] }`,
			Obj(map[string]*Template{"storage": Ref("storage")}), "${config.storage.size}", "12Gi"},
		{"no root schema", "",
			Obj(map[string]*Template{"storage": Ref("storage")}), "${config.storage.size}", "config.storage.size" + depends},
		{"the root component itself", `{ properties: { storage: { type: "object" } } }`,
			RootNode(), "${config.storage.size}", "config.storage.size" + depends},
		{"a path the template lacks takes the component's default", "",
			Obj(map[string]*Template{}), "${config.flat}", "flat-default"},
		{"a path the template lacks without a default", "",
			Obj(map[string]*Template{}), "${config.storage.tier}", "config.storage.tier" + depends},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := RenderString(tt.tpl, Schemas{Component: schema(t, child), Root: schema(t, tt.root)}, tt.text)
			if reason != "" {
				got = reason
			}
			if got != tt.want {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
		})
	}
}
