package config

import (
	"testing"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// TestInterposerConfig covers overlays.md §10 step 4: an interposer's
// config composed as a child of the scope root and validated against the
// interposer's schema; the first problem is the plan's cause.
func TestInterposerConfig(t *testing.T) {
	scopeSchema := `{type: "object", properties: {token: {type: "string"}, k: {type: "string"}}}`
	interposer := `{type: "object", properties: {token: {type: "string"}, up: {type: "string"}}, required: ["token"]}`
	tests := []struct {
		name, config, scopeSchema string
		scope                     *Template
		want                      string
	}{
		{"ok", `{token: "${config.token}"}`, scopeSchema, RootNode(), `ok`},
		{"symbolic accepted", `{token: "$${config.token}", up: {$symbolic_string: "x"}}`, scopeSchema, RootNode(), `ok`},
		{"slots", `{token: "t", up: "${slots.api.url}"}`, scopeSchema, RootNode(),
			"slot interpolation is not allowed in component config templates @/up"},
		{"missing required", `{}`, scopeSchema, RootNode(), "missing required field config.token @-"},
		{"absent config", ``, scopeSchema, RootNode(), "missing required field config.token @-"},
		{"no scope schema", `{token: "${config.x}"}`, "", EmptyObject(),
			"normal config interpolation ${config.x} is not allowed because the parent component has no `config_schema` @/token"},
		{"static from scope template", `{token: "${config.k}"}`, scopeSchema, Obj(map[string]*Template{"k": Lit("v")}), `ok`},
		{"type from scope template", `{token: "${config.k}"}`, `{type: "object", properties: {k: {}}}`, Obj(map[string]*Template{"k": Lit(int64(3))}),
			`invalid config: 3 is not of type "string" @/token`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FirstProblem(parse(t, tt.config).root, schema(t, tt.scopeSchema), tt.scope, schema(t, interposer))
			if got := errText(err); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	// A plan's config arrives as a JSON value.
	v := map[string]any{"token": "$${config.token}"}
	if _, err := FirstProblem(ValueNode(v), schema(t, scopeSchema), RootNode(), schema(t, interposer)); err != nil {
		t.Errorf("JSON value config: %s", errText(err))
	}
}

// FuzzTemplates runs arbitrary JSON5 configs through every step; none may
// panic, and composition against Root must keep the object shape.
func FuzzTemplates(f *testing.F) {
	for _, s := range []string{
		`{a: "${config.token}", b: ["$${config}", {$symbolic_config: "x"}], c: "x${config.y}z"}`,
		`{a: {$symbolic_string: "${config.q} ${"}, b: "$${config.a}}"}`,
		`{a: "${config..}", b: "${config.a.b.c}", c: null, d: 1e400}`,
		`[1, 2]`, `{a: "${slots.x}"}`, `{"$symbolic_config": ""}`,
	} {
		f.Add(s)
	}
	parentSchema := json5.Parse([]byte(openSchema)).Root()
	childSchema := json5.Parse([]byte(childSchema)).Root()
	f.Fuzz(func(t *testing.T, text string) {
		file := json5.Parse([]byte(text))
		if file.Root() == nil {
			return
		}
		for _, parent := range []*Template{RootNode(), scopeTemplate(), EmptyObject()} {
			tpl, err := ChildTemplate(file.Root(), parentSchema, parent, childSchema)
			if err != nil {
				_ = err.Message()
				continue
			}
			if tpl.Kind != Object {
				t.Fatalf("template %s is not an object", tpl)
			}
			_ = Validate(tpl, childSchema, file.Root())
			_ = WriteBack(tpl)
			_ = ReferencedRootPaths(tpl)
			_ = Resolve(tpl, "token")
			_, _ = RenderResourceParam(tpl, Schemas{}, "r", "size", "${config.port}")
		}
	})
}
