package linker

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
)

// Component is an instance of the linked tree: a resolved manifest at a
// moniker, with the id Amber assigns it (pre-order, children in name order;
// linker.md §3).
type Component struct {
	ID       int          // index into Scenario.Components
	Moniker  string       // "/" for the root (linker.md §3)
	Node     *Node        // the resolved manifest instantiated here
	Parent   *Component   // nil for the root
	Children []*Component // name order

	m        *manifest.Manifest
	mm       *manifestMemo    // the manifest's record: its tables, shared by its instances
	childIdx map[string]int32 // the index in Children of each name (child)

	// Filled while linking.
	program      *scenario.Program // lowered program, nil when absent or lowering failed
	mountIndexes []int             // the authored index of each of the program's mounts
}

// Manifest returns the component's manifest.
func (c *Component) Manifest() *manifest.Manifest { return c.m }

// child returns the child named name, or nil.
func (c *Component) child(name string) *Component {
	if i, ok := c.childIdx[name]; ok {
		return c.Children[i]
	}
	return nil
}

// describe is D(P): `root component` or `component /a/b`.
func (c *Component) describe() string {
	if c.Parent == nil {
		return "root component"
	}
	return "component " + c.Moniker
}

// flatten numbers the main tree below root in pre-order, with the
// manifest records of memo session s. A tree of thousands of components is
// made in a few allocations: the components in one slice, and their
// monikers in shared buffers (monikers), or, when prev holds the cells of
// the root's previous link, the monikers of the previous link's components
// at the same ids where they are the same. same reports whether they are
// all the same: the tree has the previous link's shape.
func flatten(root *Node, s *session, prev []unit) (comps []*Component, same bool) {
	var count func(n *Node) int
	count = func(n *Node) int {
		k := 1
		for _, c := range n.Children {
			k += count(c)
		}
		return k
	}
	n := count(root)
	out := make([]*Component, 0, n)
	slab := make([]Component, n)
	var names monikers
	same = n == len(prev)
	var walk func(n *Node, parent *Component) *Component
	walk = func(n *Node, parent *Component) *Component {
		id := len(out)
		c := &slab[id] // new, all zero
		c.ID, c.Node, c.Parent = id, n, parent
		c.setManifest(s.manifest(n.Result))
		var was string
		if id < len(prev) && prev[id].lints != nil {
			was = prev[id].lints.key.moniker
		}
		c.Moniker = names.of(c, was)
		same = same && (parent == nil || len(was) > 0 && c.Moniker == was)
		out = append(out, c)
		if len(n.Children) > 0 {
			c.Children = make([]*Component, 0, len(n.Children))
			if n.order != nil {
				c.childIdx = n.order.index // shared across links
			} else {
				c.childIdx = make(map[string]int32, len(n.Children))
			}
		}
		for i, child := range n.Children {
			c.Children = append(c.Children, walk(child, c))
			if n.order == nil {
				c.childIdx[child.Name] = int32(i)
			}
		}
		return c
	}
	walk(root, nil)
	return out, same
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

// of returns the moniker of c, whose parent's moniker is set: was when it
// is that moniker (a string of an earlier link, shared with it).
func (m *monikers) of(c *Component, was string) string {
	p := c.Parent
	if p == nil {
		return "/"
	}
	if isMoniker(was, p, c.Node.Name) {
		return was
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

// isMoniker reports whether s is the moniker of the child named name of p.
func isMoniker(s string, p *Component, name string) bool {
	parent := p.Moniker
	if p.Parent == nil {
		parent = ""
	}
	return len(s) == len(parent)+1+len(name) && s[:len(parent)] == parent && s[len(parent)] == '/' && s[len(parent)+1:] == name
}

// setManifest gives a component its manifest's record and tables.
func (c *Component) setManifest(mm *manifestMemo) {
	c.m, c.mm = mm.m, mm
}

// manifestMemo is what the linker derives from one manifest alone, shared
// by every component that instantiates it, in every link (memoTables):
// its lookup tables, and lazily its lints and the checks of its program.
type manifestMemo struct {
	res *manifest.Result
	m   *manifest.Manifest

	// The first declaration of each name, by table. Read only.
	slots     map[string]*manifest.Slot
	provides  map[string]*manifest.Provide
	resources map[string]*manifest.Resource
	exports   map[string]*manifest.Export

	// The names of each table listed in help texts (nameList), once.
	slotNames, exportNames func() string
	// sig renders the declarations collecting bindings reads (declSig),
	// once.
	sig func() string

	childExports []string         // the names of exports of a child's export, sorted
	required     []*manifest.Slot // the non-optional slots, in name order
	opaque       bool             // the program inlines `{ file }` text

	// The text of the config_schema, and the resource params as rendering
	// reads them, keyed (configKey).
	schemaText, resourcesText string
	schemaKey, resourcesKey   textKey
	mounts                    bool // the program mounts something

	lintOnce sync.Once
	lintAt   []diag.Diagnostic // the lints at moniker monikerHole
	lintTpl  bool              // every message of lintAt holds monikerHole once

	checkOnce sync.Once
	checks    programChecks

	schema func() *config.Schema // the config_schema, compiled once

	probeMu sync.Mutex // held while adding to probes
	// probes are the question sequences of its lowerings (programKey),
	// read without a lock: each link asks for them once per component.
	probes atomic.Pointer[[]*lowerProbe]
	off    bool // the memo is off: the checks run per component
}

func newManifestMemo(res *manifest.Result) *manifestMemo {
	m := res.Manifest
	mm := &manifestMemo{res: res, m: m,
		slots: map[string]*manifest.Slot{}, provides: map[string]*manifest.Provide{},
		resources: map[string]*manifest.Resource{}, exports: map[string]*manifest.Export{}}
	for _, s := range m.Slots {
		if _, dup := mm.slots[s.Name]; !dup {
			mm.slots[s.Name] = s
		}
	}
	for _, p := range m.Provides {
		if _, dup := mm.provides[p.Name]; !dup {
			mm.provides[p.Name] = p
		}
	}
	for _, r := range m.Resources {
		if _, dup := mm.resources[r.Name]; !dup {
			mm.resources[r.Name] = r
		}
	}
	for _, e := range m.Exports {
		if _, dup := mm.exports[e.Name]; !dup {
			mm.exports[e.Name] = e
		}
	}
	for _, name := range keys(mm.exports) {
		if mm.exports[name].Kind == manifest.ExportChild {
			mm.childExports = append(mm.childExports, name)
		}
	}
	for _, sl := range sortedSlots(m.Slots) {
		if !sl.Optional {
			mm.required = append(mm.required, sl)
		}
	}
	mm.opaque = inlinesFiles(m.Program)
	schemaText := nodeText(res, m.ConfigSchema)
	mm.schemaText, mm.schemaKey = string(schemaText), keyOfText(schemaText, m.ConfigSchema != nil)
	var resources []byte
	for _, r := range m.Resources {
		resources = fmt.Appendf(resources, "%q", r.Name)
		for _, p := range []*manifest.Str{r.Size, r.Retention, r.Sharing} {
			if p == nil {
				resources = append(resources, " -"...)
			} else {
				resources = fmt.Appendf(resources, " %q", p.Value)
			}
		}
		resources = append(resources, ';')
	}
	mm.resourcesText, mm.resourcesKey = string(resources), keyOfText(resources, true)
	mm.slotNames = sync.OnceValue(func() string { return nameList(mm.slots) })
	mm.exportNames = sync.OnceValue(func() string { return nameList(mm.exports) })
	mm.sig = sync.OnceValue(func() string { return newDeclSig(m) })
	mm.schema = sync.OnceValue(func() *config.Schema { return config.CompileSchema(m.ConfigSchema) })
	if p := m.Program; p != nil {
		mm.mounts = len(p.Mounts) > 0 || p.VM != nil && len(p.VM.Mounts) > 0
	}
	return mm
}

// configSchema returns the manifest's config_schema, compiled.
func (mm *manifestMemo) configSchema() *config.Schema { return mm.schema() }

// manifest returns the record of a manifest analysis.
func (s *session) manifest(res *manifest.Result) *manifestMemo {
	if res == s.lastRes {
		return s.lastMM // siblings mostly instantiate one manifest
	}
	if mm := s.manifests[res]; mm != nil {
		s.lastRes, s.lastMM = res, mm
		return mm
	}
	c := find(s, &s.m.tables.manifests, nil, res)
	if c == nil {
		mm := newManifestMemo(res)
		mm.off = s.m.off
		c = put(s, &s.m.tables.manifests, res, mm)
	}
	s.used.other = append(s.used.other, c)
	s.manifests[res] = c.val
	s.lastRes, s.lastMM = res, c.val
	return c.val
}
