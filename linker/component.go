package linker

import (
	"sort"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// component builds the scenario component of c.
func (l *linker) component(c *Component) *scenario.Component {
	sc := &scenario.Component{ID: c.ID, Parent: -1, Moniker: c.Moniker, Digest: c.Node.Digest(),
		ChildTemplates: map[string]any{}, Program: c.program,
		Slots: map[string]scenario.SlotDecl{}, Provides: map[string]scenario.ProvideDecl{}, Resources: map[string]scenario.ResourceDecl{}}
	if c.Parent != nil {
		sc.Parent = c.Parent.ID
		if c.Node.Decl != nil && c.Node.Decl.Config != nil && c.Node.Decl.Config.Kind != json5.Null {
			sc.Config = c.Node.Decl.Config.Value()
		}
	}
	if c.m.ConfigSchema != nil {
		sc.ConfigSchema = c.m.ConfigSchema.Value()
	}
	if c.m.Metadata != nil && c.m.Metadata.Kind != json5.Null {
		sc.Metadata = c.m.Metadata.Value()
	}
	for _, ch := range c.Children {
		sc.Children = append(sc.Children, ch.ID)
	}
	for _, t := range c.m.ChildTemplates {
		sc.ChildTemplates[t.Name] = lowerTemplate(t, c.Node.Templates[t.Name])
	}
	for name, s := range c.mm.slots {
		sc.Slots[name] = scenario.SlotDecl{Capability: slotCapability(s), Optional: s.Optional, Multiple: s.Multiple}
	}
	for name, p := range c.mm.provides {
		sc.Provides[name] = scenario.ProvideDecl{Capability: scenario.Capability{Kind: p.Kind.Value, Profile: optValue(p.Profile)}, Endpoint: optValue(p.Endpoint)}
	}
	for name, r := range c.mm.resources {
		params := l.resourceParams[ref{c.ID, name}]
		param := func(p string, authored *manifest.Str) *string {
			if v, ok := params[p]; ok {
				return &v
			}
			return optValue(authored)
		}
		sc.Resources[name] = scenario.ResourceDecl{Kind: r.Kind.Value, Size: param("size", r.Size), Retention: param("retention", r.Retention), Sharing: param("sharing", r.Sharing)}
	}
	return sc
}

// lowerTemplate lowers a child template (linker.md §8.4). Bindings and
// config entries written in the template are `prefilled`; the catalog keys
// are the resolved URLs of its manifests, sorted. Keys are omitted when
// empty.
//
// Amber also lists `open` entries for slots and config the template leaves
// to the instantiating request; the spec does not pin down how they are
// derived when a template has several manifests, so amber-lsp leaves them
// out.
func lowerTemplate(t *manifest.ChildTemplate, resolved []*Node) any {
	out := map[string]any{}
	if len(t.Bindings) > 0 {
		b := map[string]any{}
		for _, tb := range t.Bindings {
			b[tb.Slot] = map[string]any{"mode": "prefilled", "selector": tb.Selector.Value}
		}
		out["bindings"] = b
	}
	if t.Config != nil && t.Config.Kind == json5.Object && len(t.Config.Members) > 0 {
		cfg := map[string]any{}
		for _, m := range t.Config.Members {
			cfg[m.Key.Name] = map[string]any{"mode": "prefilled", "value": m.Value.Value()}
		}
		out["config"] = cfg
	}
	if lim := t.Node.Get("limits"); lim != nil && lim.Kind == json5.Object {
		limits := map[string]any{}
		for _, key := range []string{"max_live_children", "name_pattern"} {
			if v := lim.Get(key); v != nil && v.Kind != json5.Null {
				limits[key] = v.Value()
			}
		}
		if len(limits) > 0 {
			out["limits"] = limits
		}
	}
	if len(resolved) > 0 {
		var keys []string
		for _, n := range resolved {
			keys = append(keys, n.Observed)
		}
		sort.Strings(keys)
		out["manifests"] = keys
	}
	if pb := t.Node.Get("possible_backends"); pb != nil && pb.Kind == json5.Array && len(pb.Elems()) > 0 {
		var backends []string
		for _, e := range pb.Elems() {
			backends = append(backends, e.Text)
		}
		out["possible_backends"] = backends
	}
	if len(t.VisibleExports) > 0 {
		var vis []string
		for _, v := range t.VisibleExports {
			vis = append(vis, v.Value)
		}
		out["visible_exports"] = vis
	}
	return out
}
