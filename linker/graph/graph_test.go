package graph

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// sample is a scenario with every kind of edge: a nested realm, a weak
// binding, an external root slot, a resource, a framework capability, a
// profile, an interposer, and names that need quoting.
func sample() *scenario.Scenario {
	overlay := "overlay"
	return &scenario.Scenario{
		Root: 0,
		Components: []*scenario.Component{
			{ID: 0, Parent: -1, Moniker: "/", Children: []int{1, 2, 4},
				Slots:     map[string]scenario.SlotDecl{"upstream": {Capability: scenario.Capability{Kind: "http"}}},
				Resources: map[string]scenario.ResourceDecl{"state": {Kind: "storage"}}},
			{ID: 1, Parent: 0, Moniker: "/app", Children: []int{3},
				Slots: map[string]scenario.SlotDecl{"db": {Capability: scenario.Capability{Kind: "http"}}, "up": {Capability: scenario.Capability{Kind: "http"}},
					"data": {Capability: scenario.Capability{Kind: "storage"}}, "docker": {Capability: scenario.Capability{Kind: "docker"}}}},
			{ID: 2, Parent: 0, Moniker: `/db "main"`,
				Provides: map[string]scenario.ProvideDecl{"api": {Capability: scenario.Capability{Kind: "http", Profile: &overlay}}}},
			{ID: 3, Parent: 1, Moniker: "/app/worker<1>",
				Provides: map[string]scenario.ProvideDecl{"site": {Capability: scenario.Capability{Kind: "http"}}}},
			nil, // a hole left by pruning
		},
		Bindings: []scenario.Binding{
			{From: scenario.Source{Kind: scenario.FromComponent, Component: 2, Name: "api"}, To: scenario.Ref{Component: 1, Name: "db"}, Weak: true},
			{From: scenario.Source{Kind: scenario.FromExternal, Component: 0, Name: "upstream"}, To: scenario.Ref{Component: 1, Name: "up"}},
			{From: scenario.Source{Kind: scenario.FromResource, Component: 0, Name: "state"}, To: scenario.Ref{Component: 1, Name: "data"}},
			{From: scenario.Source{Kind: scenario.FromFramework, Component: 0, Name: "docker"}, To: scenario.Ref{Component: 1, Name: "docker"}},
		},
		Exports: []scenario.Export{
			{Name: "site map", Capability: scenario.Capability{Kind: "http"}, From: scenario.Ref{Component: 3, Name: "site"}},
		},
	}
}

// TestFormats compares each format of the sample with testdata/*.golden.
func TestFormats(t *testing.T) {
	s := sample()
	s.Components[4] = &scenario.Component{ID: 4, Parent: 0, Moniker: "/__overlay_0_0"}
	g := New(s, []string{"/__overlay_0_0"})
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			got := g.String(f)
			golden.Check(t, filepath.Join("testdata", "sample."+string(f)+".golden"), []byte(got))
			if again := New(s, []string{"/__overlay_0_0"}).String(f); again != got {
				t.Errorf("drawing the same scenario again gives another text")
			}
		})
	}
	var doc struct {
		Version int
		Edges   []struct{ Kind string }
	}
	if err := json.Unmarshal([]byte(g.String(JSON)), &doc); err != nil || doc.Version != 1 || len(doc.Edges) != 5 {
		t.Errorf("json: %v %+v", err, doc)
	}
}

// TestParseFormat accepts the three formats and names them in its error.
func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want Format
	}{{"dot", true, DOT}, {"mermaid", true, Mermaid}, {"json", true, JSON}, {"svg", false, ""}, {"", false, ""}, {"DOT", false, ""}} {
		f, err := ParseFormat(tc.in)
		if (err == nil) != tc.ok || f != tc.want {
			t.Errorf("ParseFormat(%q) = %q, %v", tc.in, f, err)
		}
	}
	if err := New(sample(), nil).Write(nil, "svg"); err == nil {
		t.Error("Write in an unknown format succeeds")
	}
}

// TestQuoting: names that are markup in DOT or Mermaid stay text.
func TestQuoting(t *testing.T) {
	for _, tc := range []struct{ in, dot, mermaid, id string }{
		{`a"b`, `"a\"b"`, `"a#quot;b"`, "a_22b"},
		{`x\y`, `"x\\y"`, `"x\y"`, "x_5cy"},
		{"<b>", `"<b>"`, `"#lt;b#gt;"`, "_3cb_3e"},
		{"line\nbreak", `"line\nbreak"`, `"line break"`, "line_0abreak"},
	} {
		if got := dotQuote(tc.in); got != tc.dot {
			t.Errorf("dotQuote(%q) = %s, want %s", tc.in, got, tc.dot)
		}
		if got := mermaidQuote(tc.in); got != tc.mermaid {
			t.Errorf("mermaidQuote(%q) = %s, want %s", tc.in, got, tc.mermaid)
		}
		if got := safeID(tc.in); got != tc.id {
			t.Errorf("safeID(%q) = %s, want %s", tc.in, got, tc.id)
		}
	}
}

// BenchmarkDraw draws a scenario of 2,000 components (a root with 40
// realms of 49 children, each child fed by its neighbour) in each format.
//
//	go test ./linker/graph -run '^$' -bench Draw
func BenchmarkDraw(b *testing.B) {
	s := &scenario.Scenario{Components: []*scenario.Component{{ID: 0, Parent: -1, Moniker: "/"}}}
	http := scenario.Capability{Kind: "http"}
	for r := range 40 {
		realm := &scenario.Component{ID: len(s.Components), Parent: 0, Moniker: "/r" + strconv.Itoa(r)}
		s.Components = append(s.Components, realm)
		s.Components[0].Children = append(s.Components[0].Children, realm.ID)
		for c := range 49 {
			id := len(s.Components)
			s.Components = append(s.Components, &scenario.Component{ID: id, Parent: realm.ID, Moniker: realm.Moniker + "/c" + strconv.Itoa(c),
				Slots: map[string]scenario.SlotDecl{"in": {Capability: http}}, Provides: map[string]scenario.ProvideDecl{"out": {Capability: http}}})
			realm.Children = append(realm.Children, id)
			if c > 0 {
				s.Bindings = append(s.Bindings, scenario.Binding{From: scenario.Source{Component: id - 1, Name: "out"}, To: scenario.Ref{Component: id, Name: "in"}})
			}
		}
	}
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				New(s, nil).String(f)
			}
		})
	}
}
