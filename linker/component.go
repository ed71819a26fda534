package linker

import (
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// component builds the scenario component of c.
func (l *linker) component(c *Component) *scenario.Component {
	sc := &scenario.Component{ID: c.ID, Parent: -1, Moniker: c.Moniker, Digest: c.Node.Digest,
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
	for name, s := range c.slots {
		sc.Slots[name] = scenario.SlotDecl{Capability: slotCapability(s), Optional: s.Optional, Multiple: s.Multiple}
	}
	for name, p := range c.provides {
		sc.Provides[name] = scenario.ProvideDecl{Capability: scenario.Capability{Kind: p.Kind.Value, Profile: optValue(p.Profile)}, Endpoint: optValue(p.Endpoint)}
	}
	for name, r := range c.resources {
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
