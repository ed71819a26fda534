package linker

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/txtar"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// TestRedactionScenario pins the optimised scenario of Amber's
// overlay-redaction example against the request body of overlays.md §8.4:
// the components, the binding and the export, byte for byte (digests
// replaced by placeholders).
func TestRedactionScenario(t *testing.T) {
	spec := corpus.Spec(t, "overlays.md")
	m := regexp.MustCompile("(?m)^\\{\"scope\":.*$").Find(spec)
	if m == nil {
		t.Fatal("no request body in overlays.md §8.4")
	}
	var want struct {
		Scope struct {
			Components []json.RawMessage
		}
	}
	if err := json.Unmarshal(m, &want); err != nil {
		t.Fatal(err)
	}
	res := Link(context.Background(), corpus.Path(t, "conformance", "examples", "overlay-redaction", "scenario.json5"), Options{})
	for _, d := range res.Diagnostics {
		t.Logf("%s", d.String())
	}
	if res.Optimized() == nil {
		t.Fatal("example did not link")
	}
	s := res.Optimized()
	var got []string
	for _, c := range s.Components {
		if c != nil {
			got = append(got, string(scenario.MustEncode(c)))
		}
	}
	digest := regexp.MustCompile(`"digest":"sha256:[^"]*"`)
	for i, w := range want.Scope.Components {
		ws := digest.ReplaceAllString(string(w), `"digest":"D"`)
		ws = strings.ReplaceAll(ws, `<TEXT_OF_a2a_caller.py>`, "")
		ws = strings.ReplaceAll(ws, `<TEXT_OF_a2a_responder.py>`, "")
		if i >= len(got) {
			t.Errorf("component %d missing; want %s", i, ws)
			continue
		}
		if g := digest.ReplaceAllString(got[i], `"digest":"D"`); g != ws {
			t.Errorf("component %d:\n got %s\nwant %s", i, g, ws)
		}
	}
	if len(want.Scope.Components) != 3 || len(got) != len(want.Scope.Components) {
		t.Errorf("got %d components, want %d", len(got), len(want.Scope.Components))
	}
	wantEdges := `[{"from":{"Component":{"component":2,"name":"a2a"}},"to":{"component":1,"name":"agent"},"weak":false}]`
	if g := string(scenario.MustEncode(bindingValues(s.Bindings))); g != wantEdges {
		t.Errorf("bindings:\n got %s\nwant %s", g, wantEdges)
	}
	wantExports := `[{"capability":{"kind":"http","profile":null},"from":{"component":1,"name":"status"},"name":"status"}]`
	if g := string(scenario.MustEncode(exportValues(s.Exports))); g != wantExports {
		t.Errorf("exports:\n got %s\nwant %s", g, wantExports)
	}
}

func bindingValues(bs []scenario.Binding) []any {
	out := make([]any, len(bs))
	for i, b := range bs {
		out[i] = b
	}
	return out
}

func exportValues(es []scenario.Export) []any {
	out := make([]any, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// TestRedactionHelper pins the helper scenario of the overlay-redaction
// example (overlays.md §5, §8.4).
func TestRedactionHelper(t *testing.T) {
	res := Link(context.Background(), corpus.Path(t, "conformance", "examples", "overlay-redaction", "scenario.json5"), Options{})
	plan := res.Overlays
	if plan == nil || len(plan.Scopes) != 1 || len(plan.Scopes[0].Overlays) != 1 {
		t.Fatalf("scopes: %+v", plan)
	}
	o := plan.Scopes[0].Overlays[0]
	if o.Display != "/redaction" || o.HelperChild != "use_0_0" || o.HelperExport != "overlay_0_0" || o.Export != "apply" {
		t.Errorf("overlay: %+v", o)
	}
	wantSchema := `{"properties":{"api_key":{"default":"hunter2","type":"string"},"launch_code":{"default":"swordfish","type":"string"}},"required":["api_key","launch_code"],"type":"object"}`
	if got := string(scenario.MustEncode(plan.HelperRootSchema)); got != wantSchema {
		t.Errorf("helper root schema:\n got %s\nwant %s", got, wantSchema)
	}
	if plan.Helper == nil || plan.Helper.Optimized() == nil {
		for _, d := range plan.Helper.Diagnostics {
			t.Log(d.String())
		}
		t.Fatal("helper scenario did not link")
	}
	h := plan.Helper.Optimized()
	child := h.Components[1]
	if child == nil || child.Moniker != "/use_0_0" {
		t.Fatalf("helper child: %+v", child)
	}
	wantConfig := `{"redaction_terms":[{"$symbolic_config":"launch_code"},{"$symbolic_config":"api_key"}]}`
	if got := string(scenario.MustEncode(child.Config)); got != wantConfig {
		t.Errorf("helper child config:\n got %s\nwant %s", got, wantConfig)
	}
	if len(h.Exports) != 1 || h.Exports[0].Name != "overlay_0_0" || h.Exports[0].From.Component != 1 {
		t.Errorf("helper exports: %+v", h.Exports)
	}
}

// TestLowerWithRootSchema pins what lowering keeps when `when` and `each`
// read root config the root config_schema decides (Amber's
// lower_program_uses_root_schema_defaults_for_endpoint_when and
// ..._config_ref_leaf_endpoint_when): endpoints and mounts behind a
// required or defaulted root value are kept, behind a value never set
// dropped; a child's default stands in for forwarded root config left
// out; a file mount behind an optional value keeps a runtime condition.
func TestLowerWithRootSchema(t *testing.T) {
	a := txtar.Parse([]byte(`-- root.json5 --
{
  manifest_version: "0.3.0",
  config_schema: {
    type: "object",
    properties: {
      token: { type: "string" },
      enabled: { type: "boolean", default: false },
      maybe: { type: "string" },
      never: { type: "null" },
      settings: { type: "object", properties: {} },
    },
    required: ["token"],
  },
  program: {
    image: "app",
    entrypoint: ["app"],
    network: { endpoints: [
      { name: "required", port: 80, when: "config.token" },
      { name: "defaulted", port: 81, when: "config.enabled" },
      { name: "never", port: 82, when: "config.never" },
    ] },
    mounts: [
      { path: "/data", from: "resources.data", when: "config.enabled" },
      { path: "/gone", from: "resources.gone", when: "config.never" },
      { path: "/etc/maybe", from: "config.maybe", when: "config.maybe" },
    ],
  },
  resources: { data: { kind: "storage" }, gone: { kind: "storage" } },
  components: { fwd: { manifest: "./child.json5", config: { enabled: "${config.maybe}", settings: "${config.settings}" } } },
  provides: { http: { kind: "http", endpoint: "required" } },
  exports: { http: "http", fwd: "#fwd.http" },
}
-- child.json5 --
{
  manifest_version: "0.3.0",
  config_schema: {
    type: "object",
    properties: {
      enabled: { type: "string", default: "yes" },
      settings: { type: "object", properties: { ports: { type: "array", items: { type: "integer" }, default: [8081, 8082] } } },
    },
  },
  program: {
    image: "app",
    entrypoint: ["app"],
    network: { endpoints: [
      { name: "http", port: 8080, when: "config.enabled" },
      { name: "p${item}", port: "${item}", each: "config.settings.ports" },
    ] },
  },
  provides: { http: { kind: "http", endpoint: "http" } },
  exports: { http: "http" },
}
`))
	dir := t.TempDir()
	if err := a.WriteDir(dir, func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	res := Link(context.Background(), filepath.Join(dir, "root.json5"), Options{})
	s := res.Scenario()
	if s == nil {
		for _, d := range res.Diagnostics {
			t.Log(d.String())
		}
		t.Fatal("did not link")
	}
	want := map[string]string{
		"/":    `{"entrypoint":["app"],"image":"app","mounts":[{"kind":"resource","path":"/data","resource":"data"},{"kind":"file","path":[{"lit":"/etc/maybe"}],"source":{"kind":"config","path":[{"lit":"maybe"}]},"when":{"kind":"config","path":"maybe"}}],"network":{"endpoints":[{"name":"required","port":80,"protocol":"http"},{"name":"defaulted","port":81,"protocol":"http"}]}}`,
		"/fwd": `{"entrypoint":["app"],"image":"app","network":{"endpoints":[{"name":"http","port":8080,"protocol":"http"},{"name":"p8081","port":8081,"protocol":"http"},{"name":"p8082","port":8082,"protocol":"http"}]}}`,
	}
	for _, c := range s.Components {
		if c == nil {
			continue
		}
		if got := string(scenario.MustEncode(c.Program)); got != want[c.Moniker] {
			t.Errorf("program of %s:\n got %s\nwant %s", c.Moniker, got, want[c.Moniker])
		}
	}
}
