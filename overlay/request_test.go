package overlay

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// TestRedactionRequest builds the request of Amber's overlay-redaction
// example and compares it with the exact body of overlays.md §8.4 (digests
// replaced by placeholders; the corpus program files are empty).
func TestRedactionRequest(t *testing.T) {
	spec := corpus.Spec(t, "overlays.md")
	want := regexp.MustCompile("(?m)^\\{\"scope\":.*$").Find(spec)
	res := linker.Link(context.Background(), corpus.Path(t, "conformance", "examples", "overlay-redaction", "scenario.json5"), linker.Options{})
	if res.Optimized() == nil {
		t.Fatalf("example did not link: %v", res.Diagnostics)
	}
	req, err := BuildRequest(res.Optimized(), "/")
	if err != nil {
		t.Fatal(err)
	}
	digest := regexp.MustCompile(`"digest":"sha256:[^"]*"`)
	w := digest.ReplaceAllString(string(want), `"digest":"D"`)
	w = strings.NewReplacer("<TEXT_OF_a2a_caller.py>", "", "<TEXT_OF_a2a_responder.py>", "").Replace(w)
	if got := digest.ReplaceAllString(string(req.Body), `"digest":"D"`); got != w {
		t.Errorf("request:\n got %s\nwant %s", got, w)
	}
	wantEdges := []Edge{
		{ID: 0, Kind: EdgeBinding, Binding: 0, Capability: scenario.Capability{Kind: "a2a"}, From: "/responder.a2a", To: "/caller.agent"},
		{ID: 1, Kind: EdgeExport, Binding: -1, Export: "status", Capability: scenario.Capability{Kind: "http"}, From: "/caller.status"},
	}
	if len(req.Edges) != len(wantEdges) {
		t.Fatalf("edges: %+v", req.Edges)
	}
	for i, e := range req.Edges {
		if e.ID != wantEdges[i].ID || e.Kind != wantEdges[i].Kind || e.Binding != wantEdges[i].Binding || e.Export != wantEdges[i].Export ||
			!e.Capability.Equal(wantEdges[i].Capability) || e.From != wantEdges[i].From || e.To != wantEdges[i].To {
			t.Errorf("edge %d: got %+v, want %+v", i, e, wantEdges[i])
		}
	}
}

// TestRequestScopes checks membership and the three lists for a nested
// scope: an edge leaving the scope is an export, one entering it an import,
// an external root edge an import, and edges outside get no id.
func TestRequestScopes(t *testing.T) {
	slot := func(kind string) map[string]scenario.SlotDecl {
		return map[string]scenario.SlotDecl{"in": {Capability: scenario.Capability{Kind: kind}}}
	}
	s := &scenario.Scenario{Components: []*scenario.Component{
		{ID: 0, Parent: -1, Moniker: "/", Children: []int{1, 3}, Slots: slot("http")},
		{ID: 1, Parent: 0, Moniker: "/a", Children: []int{2}, Slots: slot("http")},
		{ID: 2, Parent: 1, Moniker: "/a/b", Slots: slot("http")},
		{ID: 3, Parent: 0, Moniker: "/ab", Slots: slot("http")},
	}, Bindings: []scenario.Binding{
		{From: scenario.Source{Kind: scenario.FromComponent, Component: 3, Name: "out"}, To: scenario.Ref{Component: 2, Name: "in"}},
		{From: scenario.Source{Kind: scenario.FromComponent, Component: 2, Name: "out"}, To: scenario.Ref{Component: 3, Name: "in"}},
		{From: scenario.Source{Kind: scenario.FromComponent, Component: 2, Name: "out"}, To: scenario.Ref{Component: 1, Name: "in"}},
		{From: scenario.Source{Kind: scenario.FromExternal, Component: 0, Name: "in"}, To: scenario.Ref{Component: 0, Name: "in"}, Weak: true},
	}, Exports: []scenario.Export{{Name: "x", Capability: scenario.Capability{Kind: "http"}, From: scenario.Ref{Component: 3, Name: "out"}}}}
	req, err := BuildRequest(s, "/a")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range req.Edges {
		kinds = append(kinds, string(e.Kind)+":"+e.From+">"+e.To)
	}
	want := "import:>/a/b.in export:/a/b.out> binding:/a/b.out>/a.in"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("edges: got %s, want %s", got, want)
	}
	if !strings.Contains(string(req.Body), `"moniker":"/a/b"`) || strings.Contains(string(req.Body), `"moniker":"/ab"`) {
		t.Errorf("membership wrong: %s", req.Body)
	}
	s.Bindings = append(s.Bindings, scenario.Binding{From: scenario.Source{Kind: scenario.FromComponent, Component: 3, Name: "out"}, To: scenario.Ref{Component: 2, Name: "missing"}})
	if _, err := BuildRequest(s, "/"); err == nil || err.Error() != "binding target `/a/b.missing` is missing while building overlay input for scope `/`" {
		t.Errorf("missing target slot: %v", err)
	}
}
