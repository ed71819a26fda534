// Package scenario is Amber's linked component graph, the scenario, and its
// JSON form (linker.md §8). The linker produces it, MIR optimisation prunes
// it, overlay helpers receive slices of it, and overlay plans rewrite it.
//
// Every type has a JSONValue method giving the generic JSON tree Amber
// serialises; Encode prints such trees byte for byte as Amber does.
package scenario

import (
	"slices"

	"github.com/amberlsp/amber-lsp/manifest"
)

// Capability kinds (linker.md §8.2).
const (
	KindMCP       = "mcp"
	KindLLM       = "llm"
	KindHTTP      = "http"
	KindComponent = "component"
	KindDocker    = "docker"
	KindA2A       = "a2a"
	KindStorage   = "storage"
	KindKVM       = "kvm"
)

// Kinds lists every capability kind in Amber's declaration order (the
// manifest vocabulary's EnumCapabilityKind).
var Kinds = slices.Clone(manifest.Enum(manifest.EnumCapabilityKind).Names())

// IsKind reports whether s is a capability kind.
func IsKind(s string) bool { return slices.Contains(Kinds, s) }

// Capability is a capability type: a kind and an optional profile.
type Capability struct {
	Kind    string  // one of Kinds
	Profile *string // nil when none is declared
}

// String renders the capability as Amber does in messages: `kind` or
// `kind (profile "p")`.
func (c Capability) String() string {
	if c.Profile == nil {
		return c.Kind
	}
	return c.Kind + ` (profile "` + *c.Profile + `")`
}

// Equal reports whether two capabilities have the same kind and profile (an
// absent profile differs from every string).
func (c Capability) Equal(o Capability) bool {
	if c.Kind != o.Kind || (c.Profile == nil) != (o.Profile == nil) {
		return false
	}
	return c.Profile == nil || *c.Profile == *o.Profile
}

// JSONValue implements Valuer.
func (c Capability) JSONValue() any {
	return map[string]any{"kind": c.Kind, "profile": optString(c.Profile)}
}

// SlotDecl is a declared slot.
type SlotDecl struct {
	Capability
	// Optional slots may stay unbound; Multiple slots accept any number of
	// bindings (linker.md §4.4).
	Optional, Multiple bool
}

// JSONValue implements Valuer.
func (s SlotDecl) JSONValue() any {
	return map[string]any{"kind": s.Kind, "profile": optString(s.Profile), "optional": s.Optional, "multiple": s.Multiple}
}

// ProvideDecl is a declared provide.
type ProvideDecl struct {
	Capability
	Endpoint *string // name of the program's network endpoint serving it; nil when none
}

// JSONValue implements Valuer.
func (p ProvideDecl) JSONValue() any {
	return map[string]any{"kind": p.Kind, "profile": optString(p.Profile), "endpoint": optString(p.Endpoint)}
}

// ResourceDecl is a declared resource with its params resolved to text.
type ResourceDecl struct {
	Kind string // capability kind, e.g. "storage"
	// Size, Retention and Sharing are the params with config interpolated;
	// nil when the param is absent.
	Size, Retention, Sharing *string
}

// JSONValue implements Valuer.
func (r ResourceDecl) JSONValue() any {
	return map[string]any{"kind": r.Kind, "params": map[string]any{
		"size": optString(r.Size), "retention": optString(r.Retention), "sharing": optString(r.Sharing),
	}}
}

// Component is one node of the scenario's component table.
type Component struct {
	ID      int    // index into Scenario.Components
	Parent  int    // -1 for the root
	Moniker string // "/" for the root, "/a/b" below it (linker.md §3)
	Digest  string // "sha256:<base64>"
	// Config is the parent's authored `config` for this component, verbatim
	// (nil: null). ConfigSchema and Metadata are JSON trees or nil.
	Config, ConfigSchema, Metadata any
	Children                       []int // ids of the child components, sorted by moniker
	// ChildTemplates holds lowered child templates (linker.md §8.4) as JSON
	// trees, by template name.
	ChildTemplates map[string]any
	Program        *Program                // lowered program; nil when the component has none
	Slots          map[string]SlotDecl     // declared slots by name
	Provides       map[string]ProvideDecl  // declared provides by name
	Resources      map[string]ResourceDecl // declared resources by name
}

// JSONValue implements Valuer (linker.md §8.2).
func (c *Component) JSONValue() any {
	var parent any
	if c.Parent >= 0 {
		parent = c.Parent
	}
	children := make([]any, len(c.Children))
	for i, id := range c.Children {
		children[i] = id
	}
	templates := map[string]any{}
	for k, v := range c.ChildTemplates {
		templates[k] = v
	}
	var program any
	if c.Program != nil {
		program = c.Program
	}
	return map[string]any{
		"child_templates": templates,
		"children":        children,
		"config":          c.Config,
		"config_schema":   c.ConfigSchema,
		"digest":          c.Digest,
		"id":              c.ID,
		"metadata":        c.Metadata,
		"moniker":         c.Moniker,
		"parent":          parent,
		"program":         program,
		"provides":        valueMap(c.Provides),
		"resources":       valueMap(c.Resources),
		"slots":           valueMap(c.Slots),
	}
}

// Ref names a slot, provide or resource of a component.
type Ref struct {
	Component int    // owner's id, an index into Scenario.Components
	Name      string // the slot, provide or resource name on that component
}

// JSONValue implements Valuer.
func (r Ref) JSONValue() any { return map[string]any{"component": r.Component, "name": r.Name} }

// SourceKind says where a binding edge comes from.
type SourceKind int

// Binding sources (linker.md §8.2).
const (
	FromComponent SourceKind = iota // a component's provide
	FromResource                    // a component's resource
	FromFramework                   // a framework capability of an authority realm
	FromExternal                    // an external root slot
)

// Source is the upstream end of a binding edge. Component is the provide or
// resource owner, the framework authority, or the root (for External); Name
// is the provide, resource, framework capability or root slot.
type Source struct {
	Kind      SourceKind // which of the four sources this is
	Component int        // a component id, an index into Scenario.Components
	Name      string     // the capability's name on Component
}

// JSONValue implements Valuer: Amber's externally tagged form.
func (s Source) JSONValue() any {
	switch s.Kind {
	case FromResource:
		return map[string]any{"Resource": Ref{s.Component, s.Name}.JSONValue()}
	case FromFramework:
		return map[string]any{"Framework": map[string]any{"authority": s.Component, "capability": s.Name}}
	case FromExternal:
		return map[string]any{"External": Ref{s.Component, s.Name}.JSONValue()}
	}
	return map[string]any{"Component": Ref{s.Component, s.Name}.JSONValue()}
}

// Binding is an edge of the scenario graph: a source feeds a slot.
type Binding struct {
	From Source // the upstream end
	To   Ref    // the slot it feeds
	Weak bool   // true when any hop of the route was a weak binding (linker.md §4.5)
}

// JSONValue implements Valuer.
func (b Binding) JSONValue() any {
	return map[string]any{"from": b.From.JSONValue(), "to": b.To.JSONValue(), "weak": b.Weak}
}

// Export is a capability the scenario offers to the outside.
type Export struct {
	Name       string     // the root's export name
	Capability Capability // the exported provide's kind and profile
	From       Ref        // a provide
}

// JSONValue implements Valuer.
func (e Export) JSONValue() any {
	return map[string]any{"capability": e.Capability.JSONValue(), "from": e.From.JSONValue(), "name": e.Name}
}

// Scenario is the linked graph. Components are indexed by id; removed
// components leave nil holes and are never renumbered.
type Scenario struct {
	Root       int          // the root component's id
	Components []*Component // by id; nil for removed components
	Bindings   []Binding    // the binding edges
	Exports    []Export     // the root's exports in name order, each resolved to a provide
}

// Component returns the component with the given id, or nil for a hole or
// an id out of range.
func (s *Scenario) Component(id int) *Component {
	if id < 0 || id >= len(s.Components) {
		return nil
	}
	return s.Components[id]
}

// JSONValue implements Valuer with amber-lsp's dump form: the root id, the
// components present in id order, the bindings and the exports.
func (s *Scenario) JSONValue() any {
	comps := []any{}
	for _, c := range s.Components {
		if c != nil {
			comps = append(comps, c.JSONValue())
		}
	}
	bindings := make([]any, len(s.Bindings))
	for i, b := range s.Bindings {
		bindings[i] = b.JSONValue()
	}
	exports := make([]any, len(s.Exports))
	for i, e := range s.Exports {
		exports[i] = e.JSONValue()
	}
	return map[string]any{"root": s.Root, "components": comps, "bindings": bindings, "exports": exports}
}

func optString(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func valueMap[V Valuer](m map[string]V) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v.JSONValue()
	}
	return out
}
