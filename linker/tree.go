package linker

import (
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
)

// Component is an instance of the linked tree: a resolved manifest at a
// moniker, with the id Amber assigns it (pre-order, children in name order;
// linker.md §3).
type Component struct {
	ID       int
	Moniker  string
	Node     *Node
	Parent   *Component
	Children []*Component // name order

	m         *manifest.Manifest
	childByNm map[string]*Component
	slots     map[string]*manifest.Slot
	provides  map[string]*manifest.Provide
	resources map[string]*manifest.Resource
	exports   map[string]*manifest.Export

	// Filled while linking.
	program   *scenario.Program // lowered program, nil when absent or lowering failed
	lowerFail bool

	// The names listed in help texts, computed once (see nameList).
	slotNames, exportNames string
}

// Manifest returns the component's manifest.
func (c *Component) Manifest() *manifest.Manifest { return c.m }

// describe is D(P): `root component` or `component /a/b`.
func (c *Component) describe() string {
	if c.Parent == nil {
		return "root component"
	}
	return "component " + c.Moniker
}

// flatten numbers the main tree below root in pre-order.
func flatten(root *Node) []*Component {
	var out []*Component
	var names monikers
	var walk func(n *Node, parent *Component) *Component
	walk = func(n *Node, parent *Component) *Component {
		c := newComponent(len(out), n, parent)
		c.Moniker = names.of(c)
		out = append(out, c)
		for _, child := range n.Children {
			cc := walk(child, c)
			c.Children = append(c.Children, cc)
			c.childByNm[child.Name] = cc
		}
		return c
	}
	walk(root, nil)
	return out
}

// monikers builds the monikers of a tree walked in pre-order: `/` for the
// root, the parent's moniker, `/` and the name for any other component.
// When the parent's moniker is the last one built, as it is along a chain,
// the child's is written after it in the same buffer and shares its bytes:
// the monikers of a chain of n components take O(n) bytes, not O(n²).
type monikers struct {
	b     strings.Builder
	last  *Component // the component whose moniker ends b
	start int        // where last's moniker starts in b
}

// of returns the moniker of c, whose parent's moniker is set.
func (m *monikers) of(c *Component) string {
	p := c.Parent
	if p == nil {
		return "/"
	}
	if p != m.last {
		m.start = m.b.Len()
		if p.Parent != nil {
			m.b.WriteString(p.Moniker)
		}
	}
	m.b.WriteString("/")
	m.b.WriteString(c.Node.Name)
	m.last = c
	return m.b.String()[m.start:]
}

func newComponent(id int, n *Node, parent *Component) *Component {
	m := n.Manifest()
	c := &Component{ID: id, Node: n, Parent: parent, m: m, childByNm: map[string]*Component{},
		slots: map[string]*manifest.Slot{}, provides: map[string]*manifest.Provide{},
		resources: map[string]*manifest.Resource{}, exports: map[string]*manifest.Export{}}
	for _, s := range m.Slots {
		if _, dup := c.slots[s.Name]; !dup {
			c.slots[s.Name] = s
		}
	}
	for _, p := range m.Provides {
		if _, dup := c.provides[p.Name]; !dup {
			c.provides[p.Name] = p
		}
	}
	for _, r := range m.Resources {
		if _, dup := c.resources[r.Name]; !dup {
			c.resources[r.Name] = r
		}
	}
	for _, e := range m.Exports {
		if _, dup := c.exports[e.Name]; !dup {
			c.exports[e.Name] = e
		}
	}
	return c
}
