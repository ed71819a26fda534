package graph

import (
	"strings"
)

// The DOT and Mermaid drawings share one layout: every component is a node
// labelled with its name; a component with children is also a cluster (a
// DOT cluster, a Mermaid subgraph) titled with its moniker, holding its own
// node and its children; the outside ends of edges (external root slots,
// exports) are nodes of their own; interposers are hexagons of their own
// colour; weak bindings are dashed.

// interposerColor fills interposers.
const interposerColor = "#fff3c4"

// tree walks the components from the root, depth first, children in
// order, calling leaf for a component without children and open/close
// around one with children; components no walk from the root reaches
// (there are none in a linked scenario) come last, as leaves.
func (g *Graph) tree(leaf func(c *Component, depth int), open, close func(c *Component, depth int)) {
	seen := map[int]bool{}
	var walk func(id, depth int)
	walk = func(id, depth int) {
		c := g.component(id)
		if c == nil || seen[id] {
			return
		}
		seen[id] = true
		if len(c.Children) == 0 {
			leaf(c, depth)
			return
		}
		open(c, depth)
		leaf(c, depth+1)
		for _, k := range c.Children {
			walk(k, depth+1)
		}
		close(c, depth)
	}
	walk(g.Root, 1)
	for i := range g.Components {
		if c := &g.Components[i]; !seen[c.ID] {
			seen[c.ID] = true
			leaf(c, 1)
		}
	}
}

func indent(depth int) string { return strings.Repeat("  ", depth) }

// dot writes Graphviz DOT.
func (g *Graph) dot() string {
	var b strings.Builder
	b.WriteString("digraph scenario {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n")
	g.tree(func(c *Component, d int) {
		b.WriteString(indent(d) + nodeID(c.ID) + " [label=" + dotQuote(c.Name) + ", tooltip=" + dotQuote(c.Moniker))
		if c.Interposer {
			b.WriteString(", shape=hexagon, style=filled, fillcolor=" + dotQuote(interposerColor))
		}
		b.WriteString("];\n")
	}, func(c *Component, d int) {
		b.WriteString(indent(d) + "subgraph cluster_" + nodeID(c.ID) + " {\n" + indent(d+1) + "label=" + dotQuote(c.Moniker) + ";\n")
	}, func(c *Component, d int) {
		b.WriteString(indent(d) + "}\n")
	})
	ids, labels, ends := g.outsideNodes()
	for i, id := range ids {
		b.WriteString("  " + id + " [label=" + dotQuote(labels[i]) + ", shape=plaintext];\n")
	}
	for i, e := range g.Edges {
		from, to := ends[i][0], ends[i][1]
		b.WriteString("  " + from + " -> " + to + " [label=" + dotQuote(e.label()) + ", tooltip=" + dotQuote(e.tooltip()))
		if e.Weak {
			b.WriteString(", style=dashed")
		}
		b.WriteString("];\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// tooltip says what an edge connects, by name.
func (e Edge) tooltip() string {
	from := e.From.Name
	switch e.From.Source {
	case "resource":
		from = "resources." + from
	case "framework":
		from = "framework." + from
	case "external":
		from = "slots." + from
	}
	if e.Kind == Export {
		return from + " exported as " + e.To.Name
	}
	return from + " -> " + e.To.Name
}

// dotEscapes and mermaidEscapes escape labels.
var (
	dotEscapes     = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	mermaidEscapes = strings.NewReplacer(`"`, "#quot;", "\n", " ", "<", "#lt;", ">", "#gt;")
)

// dotQuote writes a DOT string.
func dotQuote(s string) string { return `"` + dotEscapes.Replace(s) + `"` }

// mermaid writes a Mermaid flowchart.
func (g *Graph) mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	var interposers []string
	g.tree(func(c *Component, d int) {
		if c.Interposer {
			b.WriteString(indent(d) + nodeID(c.ID) + "{{" + mermaidQuote(c.Name) + "}}\n")
			interposers = append(interposers, nodeID(c.ID))
			return
		}
		b.WriteString(indent(d) + nodeID(c.ID) + "[" + mermaidQuote(c.Name) + "]\n")
	}, func(c *Component, d int) {
		b.WriteString(indent(d) + "subgraph g" + nodeID(c.ID)[1:] + " [" + mermaidQuote(c.Moniker) + "]\n")
	}, func(c *Component, d int) {
		b.WriteString(indent(d) + "end\n")
	})
	ids, labels, ends := g.outsideNodes()
	for i, id := range ids {
		b.WriteString("  " + id + "([" + mermaidQuote(labels[i]) + "])\n")
	}
	for i, e := range g.Edges {
		from, to := ends[i][0], ends[i][1]
		arrow := "-->"
		if e.Weak {
			arrow = "-.->"
		}
		b.WriteString("  " + from + " " + arrow + "|" + mermaidQuote(e.label()) + "| " + to + "\n")
	}
	if len(interposers) > 0 {
		b.WriteString("  classDef interposer fill:" + interposerColor + ",stroke:#b58900,stroke-dasharray:4 2\n")
		b.WriteString("  class " + strings.Join(interposers, ",") + " interposer\n")
	}
	return b.String()
}

// mermaidQuote writes a Mermaid label as a quoted string, with its quotes
// and the characters Mermaid reads as markup written as entities.
func mermaidQuote(s string) string { return `"` + mermaidEscapes.Replace(s) + `"` }
