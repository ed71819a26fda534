package linker

import (
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// checkSlotInterpolation is linker.md §5.
func (l *linker) checkSlotInterpolation() {}

// checkConfig is linker.md §4.1.
func (l *linker) checkConfig() {}

// checkUseConfigs composes the referenced `use` configs (overlays.md §6).
func (l *linker) checkUseConfigs(c *Component, uses map[string]*Node) {}

// lowerPrograms is linker.md §4.3.
func (l *linker) lowerPrograms() {}

// checkStorage is linker.md §4.7.
func (l *linker) checkStorage() {}

// usedSlots returns the slots a component's program uses, and whether it
// uses all of them (linker.md §7).
func usedSlots(c *Component) (map[string]bool, bool) {
	used := map[string]bool{}
	all := false
	if c.m.Program == nil {
		return used, false
	}
	var walk func(n *json5.Node)
	walk = func(n *json5.Node) {
		switch n.Kind {
		case json5.Object:
			for _, m := range n.Members {
				walk(m.Value)
			}
		case json5.Array:
			for _, e := range n.Elems {
				walk(e)
			}
		case json5.String:
			s := n.Text
			if rest, ok := strings.CutPrefix(s, "slots"); ok && !strings.Contains(s, "${") {
				if rest == "" {
					all = true
				} else if name, ok := strings.CutPrefix(rest, "."); ok {
					name, _, _ = strings.Cut(name, ".")
					used[name] = true
				}
			}
			for {
				i := strings.Index(s, "${slots")
				if i < 0 {
					break
				}
				s = s[i+len("${slots"):]
				switch {
				case strings.HasPrefix(s, "}"):
					all = true
				case strings.HasPrefix(s, "."):
					name := s[1:]
					if j := strings.IndexAny(name, ".}"); j >= 0 {
						name = name[:j]
					}
					used[name] = true
				}
			}
		}
	}
	walk(c.m.Program.Node)
	return used, all
}

// storageMounted returns the slots a component's program mounts.
func storageMounted(c *Component) map[string]bool {
	out := map[string]bool{}
	if c.m.Program == nil {
		return out
	}
	mounts := c.m.Program.Mounts
	if c.m.Program.VM != nil {
		mounts = append(mounts, c.m.Program.VM.Mounts...)
	}
	for _, m := range mounts {
		if name, ok := strings.CutPrefix(m.From.Value, "slots."); ok {
			out[name] = true
		}
	}
	return out
}

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
		sc.Resources[name] = scenario.ResourceDecl{Kind: r.Kind.Value, Size: optValue(r.Size), Retention: optValue(r.Retention), Sharing: optValue(r.Sharing)}
	}
	return sc
}
