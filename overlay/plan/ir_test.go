package plan

import (
	"errors"
	"testing"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// irScenario is a valid scenario exercising every kind of edge: a provide,
// a weak edge from an external root slot, a storage resource mounted through
// a slot, a strong edge from an external storage slot (storage is exempt
// from the weak rule), a framework capability, and an export.
func irScenario() *scenario.Scenario {
	s := redactionScenario()
	root := s.Components[0]
	root.Slots["api"] = scenario.SlotDecl{Capability: capOf("http")}
	root.Slots["disk"] = scenario.SlotDecl{Capability: capOf("storage")}
	root.Resources["state"] = scenario.ResourceDecl{Kind: "storage", Size: sp("1Gi")}
	caller := s.Components[1]
	caller.Slots["api"] = scenario.SlotDecl{Capability: capOf("http")}
	caller.Slots["data"] = scenario.SlotDecl{Capability: capOf("storage")}
	caller.Slots["scratch"] = scenario.SlotDecl{Capability: capOf("storage")}
	caller.Program.Mounts = []scenario.Mount{{Kind: scenario.MountSlot, Path: "/data", Name: "data"}}
	s.Bindings = append(s.Bindings,
		scenario.Binding{From: scenario.Source{Kind: scenario.FromExternal, Component: 0, Name: "api"}, To: scenario.Ref{Component: 1, Name: "api"}, Weak: true},
		scenario.Binding{From: scenario.Source{Kind: scenario.FromResource, Component: 0, Name: "state"}, To: scenario.Ref{Component: 1, Name: "data"}},
		scenario.Binding{From: scenario.Source{Kind: scenario.FromExternal, Component: 0, Name: "disk"}, To: scenario.Ref{Component: 1, Name: "scratch"}},
		scenario.Binding{From: scenario.Source{Kind: scenario.FromFramework, Component: 0, Name: "docker"}, To: scenario.Ref{Component: 1, Name: "api"}, Weak: true},
	)
	return s
}

func TestValidateScenario(t *testing.T) {
	if err := ValidateScenario(irScenario()); err != nil {
		t.Fatalf("valid scenario: %v", err)
	}
	const (
		agent = 0 // responder.a2a → caller.agent
		api   = 1 // external api → caller.api (weak)
		data  = 2 // resource state → caller.data
	)
	tests := []struct {
		name string
		edit func(s *scenario.Scenario)
		want string
	}{
		{"root missing", func(s *scenario.Scenario) { s.Root = 9 },
			"scenario IR missing component 9 referenced by the scenario root"},
		{"parent missing", func(s *scenario.Scenario) { s.Components[2].Parent = 7 },
			"scenario IR missing component 7 referenced by the parent of component /responder (id 2)"},
		{"child missing", func(s *scenario.Scenario) { s.Components[0].Children = append(s.Components[0].Children, 5) },
			"scenario IR missing component 5 referenced by the children of component / (id 0)"},
		{"binding target component", func(s *scenario.Scenario) { s.Bindings[agent].To.Component = 9 },
			"scenario IR missing component 9 referenced by binding target for agent"},
		{"binding source component", func(s *scenario.Scenario) { s.Bindings[agent].From.Component = 9 },
			"scenario IR missing component 9 referenced by binding source for agent"},
		{"export source component", func(s *scenario.Scenario) { s.Exports[0].From.Component = 9 },
			"scenario IR missing component 9 referenced by export source for status"},
		{"binding into a missing slot", func(s *scenario.Scenario) { s.Bindings[agent].To.Name = "agnt" },
			`binding target for agnt targets missing slot "agnt" on component /caller (id 1)`},
		{"binding from a missing provide", func(s *scenario.Scenario) { s.Bindings[agent].From.Name = "a2b" },
			`binding source for agent targets missing provide "a2b" on component /responder (id 2)`},
		{"binding from a missing resource", func(s *scenario.Scenario) { s.Bindings[data].From.Name = "gone" },
			`binding source for data targets missing resource "gone" on component / (id 0)`},
		{"binding from a missing external slot", func(s *scenario.Scenario) { s.Bindings[api].From.Name = "gone" },
			`binding source for api targets missing slot "gone" on component / (id 0)`},
		{"export from a missing provide", func(s *scenario.Scenario) { s.Exports[0].From.Name = "stat" },
			`export source for status targets missing provide "stat" on component /caller (id 1)`},
		{"dotted slot name", func(s *scenario.Scenario) {
			s.Components[2].Slots["a.b"] = scenario.SlotDecl{Capability: capOf("http"), Optional: true}
		}, `scenario IR has invalid name "a.b": dots are reserved`},
		{"dotted export name", func(s *scenario.Scenario) { s.Exports[0].Name = "st.atus" },
			`scenario IR has invalid name "st.atus": dots are reserved`},
		{"capability mismatch", func(s *scenario.Scenario) {
			s.Components[2].Provides["a2a"] = scenario.ProvideDecl{Capability: capOf("http"), Endpoint: sp("endpoint")}
		}, "scenario IR is invalid: binding into /caller.agent expects a2a, but /responder.a2a provides http"},
		{"profile mismatch", func(s *scenario.Scenario) {
			s.Components[1].Slots["agent"] = scenario.SlotDecl{Capability: scenario.Capability{Kind: "a2a", Profile: sp("chat")}}
		}, `scenario IR is invalid: binding into /caller.agent expects a2a (profile "chat"), but /responder.a2a provides a2a`},
		{"external slot needs weak", func(s *scenario.Scenario) { s.Bindings[api].Weak = false },
			"scenario IR is invalid: binding into /caller.api must be weak because it depends on external slot `api`"},
		{"mounted storage without binding", func(s *scenario.Scenario) { s.Bindings = s.Bindings[:data] },
			"scenario IR is invalid: mounted storage slot /caller.data must be bound from a storage resource, but it has no binding"},
		{"mounted storage bound twice", func(s *scenario.Scenario) { s.Bindings = append(s.Bindings, s.Bindings[data]) },
			"scenario IR is invalid: mounted storage slot /caller.data must be bound from exactly one storage resource, but it has 2 bindings"},
		{"mounted storage from an external slot", func(s *scenario.Scenario) {
			s.Bindings[data].From = scenario.Source{Kind: scenario.FromExternal, Component: 0, Name: "disk"}
		}, "scenario IR is invalid: mounted storage slot /caller.data must be bound from a storage resource, but it is bound from external slot `disk`"},
		{"mounted storage from a provide", func(s *scenario.Scenario) {
			s.Components[2].Provides["disk"] = scenario.ProvideDecl{Capability: capOf("storage")}
			s.Bindings[data].From = scenario.Source{Kind: scenario.FromComponent, Component: 2, Name: "disk"}
		}, "scenario IR is invalid: mounted storage slot /caller.data must be bound from a storage resource, but it is bound from /responder.disk"},
		{"export declared twice", func(s *scenario.Scenario) { s.Exports = append(s.Exports, s.Exports[0]) },
			"scenario IR is invalid: scenario export `status` is declared more than once"},
		{"export capability", func(s *scenario.Scenario) { s.Exports[0].Capability = capOf("mcp") },
			"scenario IR is invalid: scenario export `status` declares capability mcp, but /caller.status provides http"},
		{"root with a parent", func(s *scenario.Scenario) { s.Components[0].Parent = 1 },
			"scenario IR is invalid: root component / (id 0) has a parent"},
		{"child claimed by another parent", func(s *scenario.Scenario) {
			s.Components[1].Children = []int{2}
		}, "scenario IR is invalid: component /caller (id 1) lists child /responder (id 2), whose parent is 0"},
		{"component missing from its parent's children", func(s *scenario.Scenario) { s.Components[0].Children = []int{1} },
			"scenario IR is invalid: component /responder (id 2) is not among the children of its parent / (id 0)"},
		{"component without a parent", func(s *scenario.Scenario) {
			s.Components[0].Children = []int{1}
			s.Components[2].Parent = -1
		}, "scenario IR is invalid: component /responder (id 2) is not attached to the root component"},
		{"parent cycle", func(s *scenario.Scenario) {
			s.Components[0].Children = []int{}
			s.Components[1].Parent, s.Components[1].Children = 2, []int{2}
			s.Components[2].Parent, s.Components[2].Children = 1, []int{1}
		}, "scenario IR is invalid: component /caller (id 1) is not attached to the root component"},
		{"first problem wins", func(s *scenario.Scenario) {
			s.Exports[0].Capability = capOf("mcp")
			s.Bindings[api].Weak = false
		}, "scenario IR is invalid: binding into /caller.api must be weak because it depends on external slot `api`"},
	}
	for _, tc := range tests {
		s := irScenario()
		tc.edit(s)
		err := ValidateScenario(s)
		var se *ScenarioError
		if !errors.As(err, &se) {
			t.Errorf("%s: ValidateScenario = %v, want a *ScenarioError", tc.name, err)
			continue
		}
		if se.Text != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, se.Text, tc.want)
		}
	}
}
