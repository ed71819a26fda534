package linker

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
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
