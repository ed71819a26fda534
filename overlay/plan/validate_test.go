package plan

import (
	"errors"
	"testing"

	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// validScope is the redaction scope plus a storage edge (id 2).
func validScope() *Scope {
	sc := redactionScope(redactionScenario())
	sc.Targets = append(sc.Targets, Target{ID: 2, Binding: 1, Side: SideTarget, Capability: capOf("storage")})
	return sc
}

func TestValidateRedactionPlan(t *testing.T) {
	if err := Validate(mustDecode(t, redactionPlan), validScope()); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

// TestValidateMessages has one case per rule of overlays.md §10, in Amber's
// order; each case breaks exactly one rule of the redaction plan.
func TestValidateMessages(t *testing.T) {
	a2aProfile := scenario.Capability{Kind: "a2a", Profile: sp("x")}
	tests := []struct {
		name  string
		edit  func(in *Interposition, sc *Scope)
		cause string // "" = valid
	}{
		{"1 no attachments", func(in *Interposition, _ *Scope) { in.Attachments = nil },
			"interposition must attach to at least one target"},
		{"2 config without schema", func(in *Interposition, _ *Scope) { in.Interposer.ConfigSchema = nil },
			"interposer config requires config_schema"},
		{"3 schema profile", func(in *Interposition, _ *Scope) {
			in.Interposer.ConfigSchema = map[string]any{"type": "object", "properties": map[string]any{"Terms": map[string]any{"type": "string"}}}
		}, "interposer config_schema is invalid: invalid config definition at properties.Terms: config property name `Terms` is invalid; config property names must start with a lowercase ASCII letter and contain only lowercase ASCII letters, digits, and underscores; double underscores are not allowed. Uppercase letters are not allowed; use `terms` instead"},
		{"3 schema not an object", func(in *Interposition, _ *Scope) { in.Interposer.ConfigSchema = map[string]any{"type": "string"} },
			"interposer config_schema is invalid: invalid config definition at type: root config_schema must declare `type: \"object\"` or include \"object\" in its `type` array"},
		{"4 slot interpolation in config", func(in *Interposition, _ *Scope) {
			in.Interposer.Config = map[string]any{"redaction_terms": []any{"${slots.agent.url}"}}
		}, "interposer config is invalid: slot interpolation is not allowed in component config templates"},
		{"4 missing required field", func(in *Interposition, _ *Scope) { in.Interposer.Config = nil },
			"interposer config is invalid: missing required field config.redaction_terms"},
		{"4 unknown root path", func(in *Interposition, _ *Scope) {
			in.Interposer.Config = map[string]any{"redaction_terms": []any{"${config.nope}"}}
		}, `interposer config is invalid: invalid parent config reference "nope": config path "nope" not found (unknown key "nope")`},
		{"4 scope root without schema", func(in *Interposition, sc *Scope) {
			sc.ConfigSchema, sc.Template = nil, config.EmptyObject()
		}, "interposer config is invalid: normal config interpolation ${config.launch_code} is not allowed because the parent component has no `config_schema`"},
		{"4 schema violation", func(in *Interposition, _ *Scope) {
			in.Interposer.Config = map[string]any{"redaction_terms": "swordfish"}
		}, `interposer config is invalid: invalid config: "swordfish" is not of type "array"`},
		{"4 symbolic references are accepted", func(in *Interposition, _ *Scope) {
			in.Interposer.Config = map[string]any{"redaction_terms": []any{"$${config.launch_code}", map[string]any{"$symbolic_config": "api_key"}, "literal"}}
		}, ""},
		{"4 nil template means the root's", func(in *Interposition, sc *Scope) { sc.Template = nil }, ""},
		{"5 no program", func(in *Interposition, _ *Scope) { in.Interposer.Program = nil },
			"interposer must declare a program"},
		{"6 unknown slot in program", func(in *Interposition, _ *Scope) {
			in.Interposer.Program.Env[2].Value = "${slots.missing.url}"
		}, "interposer program is invalid: program.env.UPSTREAM_URL.value: unknown slot `missing`"},
		{"6 unknown config path in program", func(in *Interposition, _ *Scope) {
			in.Interposer.Program.Args = append(in.Interposer.Program.Args, scenario.Arg{Text: "${config.nope}"})
		}, `interposer program is invalid: program.args[4]: invalid ${config.nope} reference: config path "nope" not found (unknown key "nope")`},
		{"7 provide without endpoint", func(in *Interposition, _ *Scope) {
			in.Interposer.Provides["downstream"] = scenario.ProvideDecl{Capability: capOf("a2a")}
		}, "interposer provide `downstream` must declare an endpoint"},
		{"7 unknown endpoint, none declared", func(in *Interposition, _ *Scope) {
			in.Interposer.Program.Network = nil
		}, "interposer provide `downstream` references endpoint `endpoint`, but the interposer program does not declare that endpoint (no endpoints are declared)"},
		{"7 unknown endpoint, some declared", func(in *Interposition, _ *Scope) {
			in.Interposer.Program.Network.Endpoints = []scenario.Endpoint{{Name: "b", Port: 1, Protocol: "http"}, {Name: "a", Port: 2, Protocol: "http"}}
		}, "interposer provide `downstream` references endpoint `endpoint`, but the interposer program does not declare that endpoint (available endpoints: `b`, `a`)"},
		{"7 unattached provides count, in name order", func(in *Interposition, _ *Scope) {
			in.Interposer.Provides["aux"] = scenario.ProvideDecl{Capability: capOf("http"), Endpoint: sp("metrics")}
			in.Interposer.Provides["zed"] = scenario.ProvideDecl{Capability: capOf("http")}
		}, "interposer provide `aux` references endpoint `metrics`, but the interposer program does not declare that endpoint (available endpoints: `endpoint`)"},
		{"7 storage provides need no endpoint", func(in *Interposition, _ *Scope) {
			in.Interposer.Provides["disk"] = scenario.ProvideDecl{Capability: capOf("storage")}
		}, ""},
		{"8.1 target twice", func(in *Interposition, _ *Scope) {
			in.Attachments = append(in.Attachments, Attachment{Target: 0, Slot: "other", Provide: "downstream"})
		}, "attachment target 0 is referenced more than once"},
		{"8.2 slot twice", func(in *Interposition, _ *Scope) {
			in.Attachments = append(in.Attachments, Attachment{Target: 1, Slot: "upstream", Provide: "downstream"})
		}, "interposer slot `upstream` is attached more than once"},
		{"8.2 a provide may be reused", func(in *Interposition, sc *Scope) {
			sc.Targets = append(sc.Targets, Target{ID: 3, Binding: 2, Side: SideCommon, Capability: capOf("a2a")})
			in.Interposer.Slots["second"] = scenario.SlotDecl{Capability: capOf("a2a")}
			in.Attachments = append(in.Attachments, Attachment{Target: 3, Slot: "second", Provide: "downstream"})
		}, ""},
		{"8.3 target not in the request", func(in *Interposition, _ *Scope) { in.Attachments[0].Target = 7 },
			"attachment target 7 does not exist in the overlay input"},
		{"8.4 storage target", func(in *Interposition, _ *Scope) { in.Attachments[0].Target = 2 },
			"attachment target 2 carries storage, which cannot be interposed"},
		{"8.5 unknown slot", func(in *Interposition, _ *Scope) { in.Attachments[0].Slot = "up" },
			"attachment references unknown interposer slot `up`"},
		{"8.6 slot capability", func(in *Interposition, _ *Scope) { in.Attachments[0].Target = 1 },
			"attachment target 1 carries http, but interposer slot `upstream` expects a2a"},
		{"8.6 profiles count", func(in *Interposition, _ *Scope) {
			in.Interposer.Slots["upstream"] = scenario.SlotDecl{Capability: a2aProfile, Optional: true}
		}, `attachment target 0 carries a2a, but interposer slot ` + "`upstream`" + ` expects a2a (profile "x")`},
		{"8.7 unknown provide", func(in *Interposition, _ *Scope) { in.Attachments[0].Provide = "down" },
			"attachment references unknown interposer provide `down`"},
		{"8.8 provide capability", func(in *Interposition, _ *Scope) {
			in.Interposer.Provides["downstream"] = scenario.ProvideDecl{Capability: a2aProfile, Endpoint: sp("endpoint")}
		}, `attachment target 0 carries a2a, but interposer provide ` + "`downstream`" + ` offers a2a (profile "x")`},
		{"9 required slot not attached", func(in *Interposition, _ *Scope) {
			in.Interposer.Slots["zz"] = scenario.SlotDecl{Capability: capOf("http")}
			in.Interposer.Slots["aa"] = scenario.SlotDecl{Capability: capOf("mcp"), Optional: true}
		}, "required interposer slot `zz` is not attached"},
		{"first problem wins: program and attachment", func(in *Interposition, _ *Scope) {
			in.Interposer.Program = nil
			in.Attachments[0].Target = 7
		}, "interposer must declare a program"},
	}
	for _, tc := range tests {
		p := mustDecode(t, redactionPlan)
		sc := validScope()
		tc.edit(&p.Interpositions[0], sc)
		err := Validate(p, sc)
		if tc.cause == "" {
			if err != nil {
				t.Errorf("%s: Validate = %v, want no error", tc.name, err)
			}
			continue
		}
		var ie *InvalidPlanError
		if !errors.As(err, &ie) {
			t.Errorf("%s: Validate = %v, want an *InvalidPlanError", tc.name, err)
			continue
		}
		if ie.Cause != tc.cause {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, ie.Cause, tc.cause)
		}
		want := "overlay `/redaction` in scope `/` returned an invalid interposition plan: " + tc.cause
		if got := ie.Message("/redaction", "/"); got != want || ie.Code() != codes.OverlayPassInvalidInterpositionPlan {
			t.Errorf("%s: message %q (code %s)", tc.name, got, ie.Code())
		}
	}
}

// TestValidateFirstInterposition checks that interpositions are checked in
// plan order and the failing one is named.
func TestValidateFirstInterposition(t *testing.T) {
	p := mustDecode(t, redactionPlan)
	second := p.Interpositions[0]
	second.Attachments = []Attachment{{Target: 9, Slot: "upstream", Provide: "downstream"}}
	third := p.Interpositions[0]
	third.Attachments = nil
	p.Interpositions = append(p.Interpositions, second, third)
	err := Validate(p, validScope())
	var ie *InvalidPlanError
	if !errors.As(err, &ie) || ie.Interposition != 1 || ie.Cause != "attachment target 9 does not exist in the overlay input" {
		t.Fatalf("Validate = %#v", err)
	}
}
