package linker

import (
	"fmt"
	"sort"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/program"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// templateConfig adapts a config template to what program lowering needs.
type templateConfig struct{ t *config.Template }

// Lookup implements program.Config.
func (c templateConfig) Lookup(path string) (any, program.ConfigState) {
	r := config.Resolve(c.t, path)
	switch r.State {
	case config.Static:
		return r.Value, program.Static
	case config.Runtime:
		return nil, program.Runtime
	}
	return nil, program.Absent
}

// declConfig returns the authored `config` of a component's declaration in
// its parent (nil when absent or null).
func declConfig(c *Component) *json5.Node {
	if c.Node.Decl == nil || c.Node.Decl.Config == nil || c.Node.Decl.Config.Kind == json5.Null {
		return nil
	}
	return c.Node.Decl.Config
}

// checkTemplates composes every component's config template against its
// parent's (linker.md §4.1 step 4), validates the composed config against
// the component's schema (step 5) and renders resource params (§4.1.3).
func (l *linker) checkTemplates() {
	tpls := make([]*config.Template, len(l.comps))
	failed := make([]bool, len(l.comps))
	for _, c := range l.comps {
		if c.Parent == nil {
			tpls[c.ID] = config.RootTemplate(c.m.ConfigSchema)
			continue
		}
		if c.Node.Opaque {
			failed[c.ID] = true // not fetched: its schema is unknown
			continue
		}
		t, err := config.ChildTemplate(declConfig(c), c.Parent.m.ConfigSchema, tpls[c.Parent.ID], c.m.ConfigSchema)
		if err != nil {
			l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, err.Message()), []diag.Label{l.configSite(c)}, "")
			failed[c.ID] = true
		}
		tpls[c.ID] = t
	}
	l.configTpls = tpls
	for _, c := range l.comps {
		if c.m.ConfigSchema != nil {
			l.templates[c.ID] = templateConfig{tpls[c.ID]}
		}
		if failed[c.ID] {
			continue
		}
		for _, err := range config.Validate(tpls[c.ID], c.m.ConfigSchema, declConfig(c)) {
			labels := []diag.Label{l.configSite(c)}
			if err.Located && err.Node != nil && c.Parent != nil {
				labels = []diag.Label{c.Parent.at(err.Node).label("invalid config value here", true)}
				if c.m.ConfigSchema != nil {
					labels = append(labels, c.at(c.m.ConfigSchema).label("config definition for "+c.Moniker, false))
				}
			}
			l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, err.Message()), labels, "")
		}
	}
	l.renderResources(failed)
}

// renderResources resolves resource params statically (§4.1.3).
func (l *linker) renderResources(failed []bool) {
	l.resourceParams = map[ref]map[string]string{}
	for _, c := range l.comps {
		if failed[c.ID] {
			continue
		}
		for _, r := range c.m.Resources {
			params := map[string]string{}
			for _, p := range []struct {
				name string
				v    *manifest.Str
			}{{"size", r.Size}, {"retention", r.Retention}, {"sharing", r.Sharing}} {
				if p.v == nil {
					continue
				}
				schemas := config.Schemas{Component: c.m.ConfigSchema, Root: l.root().m.ConfigSchema}
				text, err := config.RenderResourceParam(l.configTpls[c.ID], schemas, r.Name, p.name, p.v.Value)
				if err != nil {
					l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, err.Message()),
						[]diag.Label{c.at(p.v.Node).label("invalid config reference", true)}, "")
					continue
				}
				params[p.name] = text
			}
			l.resourceParams[ref{c.ID, r.Name}] = params
		}
	}
}

// checkUseConfigs composes the configs of the `use` entries a scope's
// overlays reference, against the scope root (overlays.md §6), in use-name
// order. Unreferenced entries are ignored.
func (l *linker) checkUseConfigs(c *Component, uses map[string]*Node) {
	referenced := map[string]bool{}
	for _, o := range c.m.Overlays {
		if ref, ok := manifest.ParseOverlayRef(o.Value); ok {
			referenced[ref.Use] = true
		}
	}
	var names []string
	for name := range referenced {
		if uses[name] != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		use := uses[name]
		authored := declConfig(&Component{Node: use})
		var scopeTpl *config.Template
		if l.configTpls != nil {
			scopeTpl = l.configTpls[c.ID]
		}
		t, err := config.UseConfig(authored, c.m.ConfigSchema, scopeTpl)
		if err != nil {
			label := l.useConfigSite(c, name)
			if err.Located && err.Node != nil {
				label = c.at(err.Node).label("invalid config value here", true)
			}
			l.errorf(codes.InvalidUseConfig, fmt.Sprintf("invalid config for `use` entry `%s` in %s: %s", name, c.Moniker, err.Message()), []diag.Label{label}, "")
			continue
		}
		if l.useConfigs == nil {
			l.useConfigs = map[*Node]*config.Template{}
		}
		l.useConfigs[use] = t
	}
}

// useConfigSite is the key span of `config` in `use.<name>` (else its
// value, else the whole declaration).
func (l *linker) useConfigSite(c *Component, name string) diag.Label {
	const label = "`use` config declared here"
	decl := c.m.Root.Lookup("use", name)
	if decl != nil && decl.Kind == json5.Object {
		if mem := decl.Member("config"); mem != nil {
			return c.atKey(mem.Key).label(label, true)
		}
	}
	return c.at(decl).label(label, true)
}
