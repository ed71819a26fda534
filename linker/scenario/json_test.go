package scenario

import (
	"testing"
)

// TestEncode: the scenario types write their JSON trees.
func TestEncode(t *testing.T) {
	profile := "tools"
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"capability", Capability{Kind: "mcp", Profile: &profile}, `{"kind":"mcp","profile":"tools"}`},
		{"sources", []any{Source{Kind: FromComponent, Component: 2, Name: "a2a"}, Source{Kind: FromFramework, Component: 0, Name: "docker"}, Source{Kind: FromExternal, Name: "api"}}, `[{"Component":{"component":2,"name":"a2a"}},{"Framework":{"authority":0,"capability":"docker"}},{"External":{"component":0,"name":"api"}}]`},
	}
	for _, tt := range tests {
		got, err := Encode(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// TestComponentJSON pins the component of linker.md §8.5 (digest elided).
func TestComponentJSON(t *testing.T) {
	s := func(v string) *string { return &v }
	c := &Component{
		ID: 1, Parent: 0, Moniker: "/app", Digest: "sha256:…",
		Config: map[string]any{"token": "${config.token}"},
		ConfigSchema: map[string]any{"type": "object", "required": []any{"token"}, "properties": map[string]any{
			"token": map[string]any{"type": "string"}, "verbose": map[string]any{"type": "boolean"}}},
		Program: &Program{
			Image:      s("ghcr.io/example/app:1"),
			Entrypoint: []Arg{{Text: "app"}, {Item: &ArgItem{Argv: []string{"--verbose"}, When: s("config.verbose")}}, {Text: "--token=${config.token}"}},
			Env:        []EnvVar{{Name: "UPSTREAM", Value: "${slots.llm.url}"}},
			Network:    &Network{Endpoints: []Endpoint{{Name: "api", Port: 8080, Protocol: "http"}}},
			Mounts: []Mount{
				{Kind: MountFile, PathTpl: Template{{Kind: PartLit, Lit: "/etc/app/token"}}, SourceTpl: Template{{Kind: PartLit, Lit: "token"}}},
				{Kind: MountResource, Path: "/var/lib/app", Name: "state"},
			},
		},
		Slots:     map[string]SlotDecl{"llm": {Capability: Capability{Kind: "llm"}}},
		Resources: map[string]ResourceDecl{"state": {Kind: "storage", Size: s("1Gi")}},
		Provides:  map[string]ProvideDecl{"api": {Capability: Capability{Kind: "mcp", Profile: s("tools")}, Endpoint: s("api")}},
	}
	want := `{"child_templates":{},"children":[],` +
		`"config":{"token":"${config.token}"},` +
		`"config_schema":{"properties":{"token":{"type":"string"},"verbose":{"type":"boolean"}},"required":["token"],"type":"object"},` +
		`"digest":"sha256:…","id":1,"metadata":null,"moniker":"/app","parent":0,` +
		`"program":{"entrypoint":["app",{"argv":["--verbose"],"when":"config.verbose"},"--token=${config.token}"],` +
		`"env":{"UPSTREAM":"${slots.llm.url}"},` +
		`"image":"ghcr.io/example/app:1",` +
		`"mounts":[{"kind":"file","path":[{"lit":"/etc/app/token"}],"source":{"kind":"config","path":[{"lit":"token"}]}},` +
		`{"kind":"resource","path":"/var/lib/app","resource":"state"}],` +
		`"network":{"endpoints":[{"name":"api","port":8080,"protocol":"http"}]}},` +
		`"provides":{"api":{"endpoint":"api","kind":"mcp","profile":"tools"}},` +
		`"resources":{"state":{"kind":"storage","params":{"retention":null,"sharing":null,"size":"1Gi"}}},` +
		`"slots":{"llm":{"kind":"llm","multiple":false,"optional":false,"profile":null}}}`
	got := string(MustEncode(c))
	if got != want {
		t.Errorf("component JSON:\n got %s\nwant %s", got, want)
	}
}
