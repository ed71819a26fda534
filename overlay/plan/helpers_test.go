package plan

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}

func sp(s string) *string { return &s }

func capOf(kind string) scenario.Capability { return scenario.Capability{Kind: kind} }

// builder assembles scenarios by hand.
type builder struct{ s *scenario.Scenario }

func newScenario() *builder {
	b := &builder{s: &scenario.Scenario{Root: 0}}
	b.s.Components = []*scenario.Component{{
		ID: 0, Parent: -1, Moniker: "/", Digest: "sha256:ROOT",
		Children: []int{}, ChildTemplates: map[string]any{},
		Slots: map[string]scenario.SlotDecl{}, Provides: map[string]scenario.ProvideDecl{}, Resources: map[string]scenario.ResourceDecl{},
	}}
	return b
}

// add appends a component under the component with moniker parent's id and
// returns its id; children stay sorted by moniker.
func (b *builder) add(moniker string, parent int) int {
	id := len(b.s.Components)
	c := &scenario.Component{
		ID: id, Parent: parent, Moniker: moniker, Digest: "sha256:" + strings.ToUpper(strings.Trim(moniker, "/")),
		Children: []int{}, ChildTemplates: map[string]any{},
		Slots: map[string]scenario.SlotDecl{}, Provides: map[string]scenario.ProvideDecl{}, Resources: map[string]scenario.ResourceDecl{},
	}
	b.s.Components = append(b.s.Components, c)
	p := b.s.Components[parent]
	p.Children = append(p.Children, id)
	sort.Slice(p.Children, func(i, j int) bool {
		return b.s.Components[p.Children[i]].Moniker < b.s.Components[p.Children[j]].Moniker
	})
	return id
}

func (b *builder) slot(id int, name, kind string) *builder {
	b.s.Components[id].Slots[name] = scenario.SlotDecl{Capability: capOf(kind)}
	return b
}

// provide declares a provide with an endpoint of the same name, served by a
// path program on port 8000+id.
func (b *builder) provide(id int, name, kind string) *builder {
	c := b.s.Components[id]
	c.Provides[name] = scenario.ProvideDecl{Capability: capOf(kind), Endpoint: sp(name)}
	if c.Program == nil {
		c.Program = &scenario.Program{Path: sp("/bin/serve"), Args: []scenario.Arg{}, Network: &scenario.Network{}}
	}
	c.Program.Network.Endpoints = append(c.Program.Network.Endpoints, scenario.Endpoint{Name: name, Port: 8000 + id, Protocol: "http"})
	return b
}

func (b *builder) bind(from int, provide string, to int, slot string) *builder {
	b.s.Bindings = append(b.s.Bindings, scenario.Binding{
		From: scenario.Source{Kind: scenario.FromComponent, Component: from, Name: provide},
		To:   scenario.Ref{Component: to, Name: slot},
	})
	return b
}

func (b *builder) export(name string, from int, provide string) *builder {
	c := b.s.Components[from]
	b.s.Exports = append(b.s.Exports, scenario.Export{Name: name, Capability: c.Provides[provide].Capability, From: scenario.Ref{Component: from, Name: provide}})
	sort.Slice(b.s.Exports, func(i, j int) bool { return b.s.Exports[i].Name < b.s.Exports[j].Name })
	return b
}

// scope returns a scope rooted at component id whose targets are given.
func (b *builder) scope(id int, targets ...Target) *Scope {
	c := b.s.Components[id]
	schema := config.ValueNode(c.ConfigSchema)
	if c.ConfigSchema == nil {
		schema = nil
	}
	tpl := config.RootTemplate(schema)
	if id != b.s.Root {
		tpl = config.EmptyObject()
	}
	for i := range targets {
		targets[i].ID = i
	}
	return &Scope{Moniker: c.Moniker, Root: id, ConfigSchema: schema, Template: tpl, Targets: targets}
}

func bindingTarget(b int, side Side, kind string) Target {
	return Target{Binding: b, Side: side, Capability: capOf(kind)}
}

func exportTarget(name string, kind string) Target {
	return Target{Binding: -1, Export: name, Side: SideSource, Capability: capOf(kind)}
}

// passthrough is a plan body with one interposer per entry: slot `in`,
// provide `out` of the given kind, attached to the target.
func passthrough(kind string, targets ...int) string {
	var ins []string
	for _, t := range targets {
		ins = append(ins, fmt.Sprintf(`{"interposer":{"slots":{"in":{"kind":%q}},"provides":{"out":{"kind":%q,"endpoint":"out"}},`+
			`"program":{"path":"/usr/bin/proxy","args":["--upstream","${slots.in.url}"],"network":{"endpoints":[{"name":"out","port":9000}]}}},`+
			`"attachments":[{"target":%d,"interposer_slot":"in","interposer_provide":"out"}]}`, kind, kind, t))
	}
	return `{"interpositions":[` + strings.Join(ins, ",") + `]}`
}

func mustDecode(t *testing.T, body string) *Plan {
	t.Helper()
	p, err := Decode([]byte(body))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return p
}

// edges renders bindings compactly: `1.out>4.in`, with `ext:` and `res:`
// prefixes for external and resource sources and `~` for weak edges.
func edges(s *scenario.Scenario) string {
	var out []string
	for _, b := range s.Bindings {
		from := fmt.Sprintf("%d.%s", b.From.Component, b.From.Name)
		switch b.From.Kind {
		case scenario.FromExternal:
			from = "ext:" + from
		case scenario.FromResource:
			from = "res:" + from
		case scenario.FromFramework:
			from = "fw:" + from
		}
		w := ">"
		if b.Weak {
			w = "~>"
		}
		out = append(out, fmt.Sprintf("%s%s%d.%s", from, w, b.To.Component, b.To.Name))
	}
	return strings.Join(out, " ")
}

// dump renders a scenario for golden files: components, edges, exports, and
// the full JSON of every interposer.
func dump(s *scenario.Scenario) string {
	var b strings.Builder
	b.WriteString("components:\n")
	for _, c := range s.Components {
		if c == nil {
			b.WriteString("  (hole)\n")
			continue
		}
		parent := "-"
		if c.Parent >= 0 {
			parent = fmt.Sprint(c.Parent)
		}
		fmt.Fprintf(&b, "  %d %s parent=%s children=%v digest=%s\n", c.ID, c.Moniker, parent, c.Children, c.Digest)
	}
	b.WriteString("bindings:\n")
	for _, e := range strings.Fields(edges(s)) {
		b.WriteString("  " + e + "\n")
	}
	b.WriteString("exports:\n")
	for _, e := range s.Exports {
		fmt.Fprintf(&b, "  %s %s <- %d.%s\n", e.Name, e.Capability, e.From.Component, e.From.Name)
	}
	for _, c := range s.Components {
		if c != nil && strings.Contains(c.Moniker, "__overlay_") {
			fmt.Fprintf(&b, "interposer %d:\n  %s\n", c.ID, scenario.MustEncode(c))
		}
	}
	return b.String()
}

// rootSchema is the overlay-redaction root's config_schema (overlays.md §8.4).
func rootSchema() map[string]any {
	return map[string]any{
		"type":     "object",
		"required": []any{"launch_code", "api_key"},
		"properties": map[string]any{
			"api_key":     map[string]any{"type": "string", "default": "hunter2"},
			"launch_code": map[string]any{"type": "string", "default": "swordfish"},
		},
	}
}

// redactionScenario is the main scenario of examples/overlay-redaction after
// linking and optimisation (overlays.md §8.4), with short program texts.
func redactionScenario() *scenario.Scenario {
	b := newScenario()
	root := b.s.Components[0]
	root.ConfigSchema = rootSchema()
	root.Digest = "sha256:D_ROOT"
	caller := b.add("/caller", 0)
	responder := b.add("/responder", 0)
	c := b.s.Components[caller]
	c.Digest = "sha256:D_CALLER"
	c.Config = map[string]any{"api_key": "${config.api_key}", "launch_code": "${config.launch_code}"}
	c.ConfigSchema = map[string]any{"type": "object", "required": []any{"launch_code", "api_key"}, "properties": map[string]any{
		"api_key": map[string]any{"type": "string"}, "launch_code": map[string]any{"type": "string"}}}
	c.Program = &scenario.Program{
		Path: sp("/usr/bin/env"),
		Args: []scenario.Arg{{Text: "python3"}, {Text: "-u"}, {Text: "-c"}, {Text: ""}},
		Env: []scenario.EnvVar{{Name: "AGENT_URL", Value: "${slots.agent.url}"}, {Name: "API_KEY", Value: "${config.api_key}"},
			{Name: "LAUNCH_CODE", Value: "${config.launch_code}"}, {Name: "PORT", Value: "8112"}},
		Network: &scenario.Network{Endpoints: []scenario.Endpoint{{Name: "status", Port: 8112, Protocol: "http"}}},
	}
	c.Provides["status"] = scenario.ProvideDecl{Capability: capOf("http"), Endpoint: sp("status")}
	c.Slots["agent"] = scenario.SlotDecl{Capability: capOf("a2a")}
	r := b.s.Components[responder]
	r.Digest = "sha256:D_RESPONDER"
	r.Program = &scenario.Program{
		Path:    sp("/usr/bin/env"),
		Args:    []scenario.Arg{{Text: "python3"}, {Text: "-u"}, {Text: "-c"}, {Text: ""}},
		Env:     []scenario.EnvVar{{Name: "PORT", Value: "8111"}},
		Network: &scenario.Network{Endpoints: []scenario.Endpoint{{Name: "endpoint", Port: 8111, Protocol: "http"}}},
	}
	r.Provides["a2a"] = scenario.ProvideDecl{Capability: capOf("a2a"), Endpoint: sp("endpoint")}
	b.bind(responder, "a2a", caller, "agent")
	b.export("status", caller, "status")
	return b.s
}

// redactionScope is the scope `/` of the redaction example: edge 0 is the
// binding (id 0), the export `status` has id 1.
func redactionScope(s *scenario.Scenario) *Scope {
	b := &builder{s: s}
	return b.scope(0, bindingTarget(0, SideCommon, "a2a"), exportTarget("status", "http"))
}
