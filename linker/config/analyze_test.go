package config

import (
	"reflect"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest/configschema"
)

// TestAnalyzePresence: whether a `when: "config.<q>"` holds is decided
// from the template, the component's schema defaults and the root schema
// (Amber's presence of a config query): Present and Absent are known at
// link time, Runtime only when the program runs.
func TestAnalyzePresence(t *testing.T) {
	root := `{ type: "object", properties: {
		defaulted: { type: "string", default: "x" },
		flag: { type: "boolean", default: false },
		required_string: { type: "string" },
		optional: { type: "string" },
		nullable_default: { type: ["string", "null"], default: "x" },
		nested: { type: "object", properties: { child: { type: "string", default: "y" } } },
		settings: { type: "object", default: {}, properties: { profile: { type: "string" } } },
		null_only: { type: "null" },
	}, required: ["required_string"] }`
	forwarded := func(key, path string) *Template { return Obj(map[string]*Template{key: Ref(path)}) }
	settingsChild := `{ type: "object", properties: {
		settings: { type: "object", properties: { mode: { type: "string", default: "enabled" } } } } }`
	tests := []struct {
		name        string
		tpl         *Template
		child, root string // schemas ("": none)
		q           string
		want        configschema.Presence
	}{
		// The root component: its template is all runtime root config.
		{"root default", RootNode(), root, root, "defaulted", configschema.Present},
		{"root default false", RootNode(), root, root, "flag", configschema.Present},
		{"root required", RootNode(), root, root, "required_string", configschema.Present},
		{"root optional", RootNode(), root, root, "optional", configschema.Runtime},
		{"root nullable with default", RootNode(), root, root, "nullable_default", configschema.Runtime},
		{"root object defaulted below", RootNode(), root, root, "nested", configschema.Present},
		{"root object defaulted empty", RootNode(), root, root, "settings", configschema.Present},
		{"root leaf of a defaulted object", RootNode(), root, root, "settings.profile", configschema.Runtime},
		{"root null only", RootNode(), root, root, "null_only", configschema.Absent},
		{"root undeclared", RootNode(), root, root, "nosuch", configschema.Absent},
		{"root without schema", RootNode(), "", "", "x", configschema.Runtime},

		// A child forwarding root config.
		{"forwarded leaf with a root default", forwarded("enabled", "flag"),
			`{ type: "object", properties: { enabled: { type: "boolean" } } }`, root, "enabled", configschema.Present},
		{"forwarded required leaf", forwarded("token", "required_string"),
			`{ type: "object", properties: { token: { type: "string" } } }`, root, "token", configschema.Present},
		{"forwarded optional leaf", forwarded("token", "optional"),
			`{ type: "object", properties: { token: { type: "string" } } }`, root, "token", configschema.Runtime},
		{"forwarded optional leaf, child default", forwarded("child_enabled", "root_enabled"),
			`{ type: "object", properties: { child_enabled: { type: "string", default: "enabled" } } }`,
			`{ type: "object", properties: { root_enabled: { type: "string" } } }`, "child_enabled", configschema.Present},
		{"forwarded object, child default below", forwarded("settings", "settings"), settingsChild,
			`{ type: "object", properties: { settings: { type: "object", properties: {} } } }`, "settings.mode", configschema.Present},
		{"forwarded object that may be null", forwarded("settings", "settings"), settingsChild,
			`{ type: "object", properties: { settings: { type: ["object", "null"], properties: {} } } }`, "settings.mode", configschema.Runtime},
		{"forwarded leaf that may be null", forwarded("settings", "settings"), settingsChild,
			`{ type: "object", properties: { settings: { type: "object", properties: { mode: { type: ["string", "null"] } } } } }`, "settings.mode", configschema.Runtime},
		{"forwarded object that may be a string", forwarded("settings", "settings"), settingsChild,
			`{ type: "object", properties: { settings: { type: ["object", "string"], properties: { mode: { type: "string" } } } } }`, "settings.mode", configschema.Runtime},

		// Templates known at link time.
		{"static value", Obj(map[string]*Template{"on": Lit("x")}), `{ type: "object" }`, root, "on", configschema.Present},
		{"static null", Obj(map[string]*Template{"on": Lit(nil)}), `{ type: "object" }`, root, "on", configschema.Absent},
		{"left out", Obj(map[string]*Template{}), `{ type: "object" }`, root, "on", configschema.Absent},
		{"left out, default", Obj(map[string]*Template{}), `{ type: "object", properties: { on: { type: "string", default: "d" } } }`, root, "on", configschema.Present},
		{"string template", Obj(map[string]*Template{"on": &Template{Kind: StringTemplate, Parts: []Part{LitPart("a-"), ConfigPart("optional")}}}), `{ type: "object" }`, root, "on", configschema.Runtime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Schemas{Component: schema(t, tt.child), Root: schema(t, tt.root)}
			got := Analyze(tt.tpl, s, tt.q).Presence()
			if got != tt.want {
				t.Errorf("presence of %q = %v, want %v", tt.q, got, tt.want)
			}
			// With the defaults kept, asked twice: the same answers, and
			// each schema's defaults computed once.
			s.Defaults = &Defaults{}
			for range 2 {
				if again := Analyze(tt.tpl, s, tt.q).Presence(); again != tt.want {
					t.Errorf("presence of %q with Defaults = %v, want %v", tt.q, again, tt.want)
				}
			}
			if n := len(s.Defaults.m); n > 2 {
				t.Errorf("Defaults holds %d schemas", n)
			}
		})
	}
}

// TestAnalyzeEach: the items of `each: "config.<q>"` known at link time
// (Amber's each values of a config query).
func TestAnalyzeEach(t *testing.T) {
	child := `{ type: "object", properties: { items: { type: "array", items: { type: "string" }, default: ["alpha", "beta"] } } }`
	bare := `{ type: "object", properties: { items: { type: "array", items: { type: "string" } } } }`
	fwd := Obj(map[string]*Template{"items": Ref("root_items")})
	tests := []struct {
		name        string
		tpl         *Template
		child, root string
		want        outcomeFlags
	}{
		{"left out, default", Obj(map[string]*Template{}), child, "", outcomeFlags{values: []any{[]any{"alpha", "beta"}}}},
		{"forwarded, root never sets it", fwd, child, `{ type: "object", properties: {} }`, outcomeFlags{values: []any{[]any{"alpha", "beta"}}}},
		{"forwarded, root never sets it, no default", fwd, bare, `{ type: "object", properties: {} }`, outcomeFlags{missing: true}},
		{"forwarded, root may set it", fwd, child,
			`{ type: "object", properties: { root_items: { type: "array", items: { type: "string" } } } }`, outcomeFlags{dynamic: true, values: []any{[]any{"alpha", "beta"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Analyze(tt.tpl, Schemas{Component: schema(t, tt.child), Root: schema(t, tt.root)}, "items")
			got := outcomeFlags{missing: o.Missing, null: o.Null, dynamic: o.Dynamic, values: o.Values}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Analyze = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// outcomeFlags are the parts of program.Outcomes TestAnalyzeEach compares.
type outcomeFlags struct {
	missing, null, dynamic bool
	values                 []any
}
