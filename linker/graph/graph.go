// Package graph draws a linked scenario for people and tools: components as
// nodes nested by parent, bindings and exports as edges labelled with their
// capability kind, and the components overlays inserted (interposers) drawn
// apart from the authored ones. It writes Graphviz DOT, Mermaid, or JSON
// (docs/cli-json.md); the output depends only on the scenario, so equal
// scenarios draw byte for byte the same.
package graph

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// Format is an output format.
type Format string

// The formats.
const (
	DOT     Format = "dot"
	Mermaid Format = "mermaid"
	JSON    Format = "json"
)

// Formats lists the formats, the default first.
var Formats = []Format{DOT, Mermaid, JSON}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	if f := Format(s); slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown graph format %q (want dot, mermaid or json)", s)
}

// Graph is a scenario as drawn: its components and edges.
type Graph struct {
	Root       int         // the root component's ID
	Components []Component // in id order
	Edges      []Edge      // bindings in scenario order, then exports
}

// Component is one node.
type Component struct {
	ID      int    // the scenario component id
	Parent  int    // -1 for the root
	Moniker string // the component's moniker, "/" for the root
	// Name is the last segment of the moniker ("/" for the root).
	Name     string
	Children []int // ids of the child components
	// Interposer marks a component an overlay inserted.
	Interposer bool
}

// EdgeKind says what an edge is.
type EdgeKind string

// Edge kinds.
const (
	Binding EdgeKind = "binding" // a source feeds a slot
	Export  EdgeKind = "export"  // a provide is offered to the outside
)

// End is one end of an edge. Component is -1 for the outside: the export
// name of an export's downstream end.
type End struct {
	Component int    // a component ID, or -1
	Name      string // the slot, provide, resource, framework capability or export name
	// Source says what the upstream end of a binding is: "provide",
	// "resource", "framework" (Component is the authority realm) or
	// "external" (Name is a slot of the root, fed from outside); "" for
	// downstream ends.
	Source string
}

// Edge is a binding or an export.
type Edge struct {
	Kind       EdgeKind            // binding or export
	From, To   End                 // upstream and downstream ends
	Capability scenario.Capability // the target slot's (else the source's) capability, or the export's
	Weak       bool                // a weak binding; always false for exports
}

// New draws scenario s; interposers are the monikers of the components
// overlays inserted.
func New(s *scenario.Scenario, interposers []string) *Graph {
	g := &Graph{Root: s.Root}
	for _, c := range s.Components {
		if c == nil {
			continue
		}
		g.Components = append(g.Components, Component{
			ID: c.ID, Parent: c.Parent, Moniker: c.Moniker, Name: name(c.Moniker),
			Children: slices.Clone(c.Children), Interposer: slices.Contains(interposers, c.Moniker),
		})
	}
	for _, b := range s.Bindings {
		from := End{Component: b.From.Component, Name: b.From.Name}
		switch b.From.Kind {
		case scenario.FromComponent:
			from.Source = "provide"
		case scenario.FromResource:
			from.Source = "resource"
		case scenario.FromFramework:
			from.Source = "framework"
		case scenario.FromExternal:
			from.Source = "external"
		}
		g.Edges = append(g.Edges, Edge{Kind: Binding, From: from, To: End{Component: b.To.Component, Name: b.To.Name},
			Capability: bindingCapability(s, b), Weak: b.Weak})
	}
	for _, e := range s.Exports {
		g.Edges = append(g.Edges, Edge{Kind: Export, From: End{Component: e.From.Component, Name: e.From.Name, Source: "provide"},
			To: End{Component: -1, Name: e.Name}, Capability: e.Capability})
	}
	return g
}

// bindingCapability is the capability a binding carries: its slot's, else
// its provide's or resource's.
func bindingCapability(s *scenario.Scenario, b scenario.Binding) scenario.Capability {
	if c := s.Component(b.To.Component); c != nil {
		if slot, ok := c.Slots[b.To.Name]; ok {
			return slot.Capability
		}
	}
	if c := s.Component(b.From.Component); c != nil {
		switch b.From.Kind {
		case scenario.FromComponent:
			if p, ok := c.Provides[b.From.Name]; ok {
				return p.Capability
			}
		case scenario.FromResource:
			if r, ok := c.Resources[b.From.Name]; ok {
				return scenario.Capability{Kind: r.Kind}
			}
		}
	}
	return scenario.Capability{}
}

// name is the last segment of a moniker.
func name(moniker string) string {
	if i := strings.LastIndexByte(moniker, '/'); i >= 0 && i < len(moniker)-1 {
		return moniker[i+1:]
	}
	return moniker
}

// Write writes the graph in format f.
func (g *Graph) Write(w io.Writer, f Format) error {
	var text string
	switch f {
	case DOT:
		text = g.dot()
	case Mermaid:
		text = g.mermaid()
	case JSON:
		b, err := g.json()
		if err != nil {
			return err
		}
		text = string(b)
	default:
		_, err := ParseFormat(string(f))
		return err
	}
	_, err := io.WriteString(w, text)
	return err
}

// String returns the graph in format f ("" for an unknown format).
func (g *Graph) String(f Format) string {
	var b strings.Builder
	if g.Write(&b, f) != nil {
		return ""
	}
	return b.String()
}

// component returns the component with id, or nil.
func (g *Graph) component(id int) *Component {
	i, ok := slices.BinarySearchFunc(g.Components, id, func(c Component, id int) int { return c.ID - id })
	if !ok {
		return nil
	}
	return &g.Components[i]
}

// label is an edge's label: the capability kind, with its profile.
func (e Edge) label() string {
	if e.Capability.Profile != nil {
		return e.Capability.Kind + " (" + *e.Capability.Profile + ")"
	}
	return e.Capability.Kind
}

// outsideNodes lists the nodes for the outside ends of edges, in edge
// order (the root's external slots feeding the scenario, and the exports),
// and the node ids of the two ends of each edge.
func (g *Graph) outsideNodes() (ids, labels []string, ends [][2]string) {
	seen := map[string]bool{}
	for _, e := range g.Edges {
		from, to := nodeID(e.From.Component), nodeID(e.To.Component)
		var id, label string
		switch {
		case e.Kind == Export:
			id, label = "export_"+safeID(e.To.Name), "export "+e.To.Name
			to = id
		case e.From.Source == "external":
			id, label = "external_"+safeID(e.From.Name), "external "+e.From.Name
			from = id
		}
		ends = append(ends, [2]string{from, to})
		if id != "" && !seen[id] {
			seen[id] = true
			ids, labels = append(ids, id), append(labels, label)
		}
	}
	return ids, labels, ends
}

// safeID makes a name usable in a node id: letters and digits are kept,
// every other byte becomes `_` followed by its hex code.
func safeID(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	return b.String()
}

func nodeID(id int) string { return "c" + strconv.Itoa(id) }

// jsonGraph is the JSON form (docs/cli-json.md, "amber-lsp graph").
type jsonGraph struct {
	Version    int             `json:"version"`
	Root       int             `json:"root"`
	Components []jsonComponent `json:"components"`
	Edges      []jsonEdge      `json:"edges"`
}

type jsonComponent struct {
	ID         int    `json:"id"`
	Moniker    string `json:"moniker"`
	Name       string `json:"name"`
	Parent     *int   `json:"parent"`
	Children   []int  `json:"children"`
	Interposer bool   `json:"interposer"`
}

type jsonEnd struct {
	Component *int   `json:"component"`
	Name      string `json:"name"`
	Source    string `json:"source,omitempty"`
}

type jsonEdge struct {
	Kind       EdgeKind        `json:"kind"`
	From       jsonEnd         `json:"from"`
	To         jsonEnd         `json:"to"`
	Capability json.RawMessage `json:"capability"`
	Weak       bool            `json:"weak"`
}

func (g *Graph) json() ([]byte, error) {
	doc := jsonGraph{Version: 1, Root: g.Root, Components: []jsonComponent{}, Edges: []jsonEdge{}}
	for _, c := range g.Components {
		jc := jsonComponent{ID: c.ID, Moniker: c.Moniker, Name: c.Name, Children: c.Children, Interposer: c.Interposer}
		if c.Parent >= 0 {
			jc.Parent = &c.Parent
		}
		if jc.Children == nil {
			jc.Children = []int{}
		}
		doc.Components = append(doc.Components, jc)
	}
	end := func(e End) jsonEnd {
		je := jsonEnd{Name: e.Name, Source: e.Source}
		if e.Component >= 0 {
			id := e.Component
			je.Component = &id
		}
		return je
	}
	for _, e := range g.Edges {
		doc.Edges = append(doc.Edges, jsonEdge{Kind: e.Kind, From: end(e.From), To: end(e.To),
			Capability: scenario.MustEncode(e.Capability), Weak: e.Weak})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
