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

// templateConfig adapts a config template to what program lowering needs:
// what each path can hold at run time, from the template and the schemas
// (config.Analyze).
type templateConfig struct {
	t       *config.Template
	schemas config.Schemas
}

// Lookup implements program.Config.
func (c templateConfig) Lookup(path string) program.Outcomes {
	return config.Analyze(c.t, c.schemas, path)
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
// the component's schema (step 5; a config that did not compose is `{}`,
// and validated as such) and renders resource params (§4.1.3).
//
// A component whose config composed, validated and rendered without an
// error is memoized by what these depend on (configKey); a later link
// reuses it and reports nothing for it, which is what it would report.
func (l *linker) checkTemplates() {
	n := len(l.comps)
	tpls := make([]*config.Template, n)
	failed := make([]bool, n)
	hits := hitsScratch.take(n)
	defer hitsScratch.put(hits)
	st := &configSteps{hits: *hits, bad: make([]bool, n)}
	for _, c := range l.comps {
		if c.Parent == nil {
			tpls[c.ID] = l.memo.m.rootTemplate(c.m.ConfigSchema != nil)
			st.bad[c.ID] = true // a root is cheap: never memoized
			continue
		}
		if c.Node.Opaque {
			failed[c.ID] = true // not fetched: its schema is unknown
			st.bad[c.ID] = true
			continue
		}
		if cm := st.lookup(l, c, tpls[c.Parent.ID]); cm != nil {
			tpls[c.ID] = cm.tpl
			continue
		}
		t, err := c.mm.configSchema().ChildTemplate(declConfig(c), c.Parent.m.ConfigSchema, tpls[c.Parent.ID])
		if err != nil {
			// Amber goes on with the config {}: it is validated, and
			// the component's children compose against it.
			l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, err.Message()), []diag.Label{l.configSite(c)}, "")
			t = config.EmptyObject()
			failed[c.ID] = true
			st.bad[c.ID] = true
		}
		tpls[c.ID] = t
	}
	l.configTpls = tpls
	for _, c := range l.comps {
		if c.Node.Opaque || st.hits[c.ID] != nil {
			continue
		}
		for _, err := range c.mm.configSchema().Validate(tpls[c.ID], declConfig(c)) {
			st.bad[c.ID] = true
			labels := []diag.Label{l.configSite(c)}
			if err.Located && c.Parent != nil {
				// A JSON Schema failure: at the value when the authored
				// config has one there, and always with the schema beside.
				if err.Node != nil {
					labels[0] = c.Parent.at(err.Node).label("invalid config value here", true)
				}
				if c.m.ConfigSchema != nil {
					labels = append(labels, c.at(c.m.ConfigSchema).label("config definition for "+c.Moniker, false))
				}
			}
			l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, err.Message()), labels, "")
		}
	}
	l.renderResources(failed, st)
	st.store(l)
}

// configKey is what a component's config template, its validation and its
// resource params depend on (linker.md §4.1): its parent's composed
// template, the texts of the parent's config_schema, of the config the
// component's declaration gives and of the component's own config_schema,
// and the resource params it declares. Texts, not syntax nodes: an edit
// elsewhere in the parent or the component moves the nodes but leaves the
// texts, and instances of one manifest share the parts that are equal.
type configKey struct {
	parent                                 *config.Template
	parentSchema, authored, schema, params textKey
}

// configMemo is the config of a component that composed, validated and
// rendered without an error. Shared: read only.
type configMemo struct {
	tpl    *config.Template
	params map[string]map[string]string // rendered resource params, by resource
	// The texts keyed, compared on every hit.
	parentSchema, authored, schema, resources string
}

// configSteps is checkTemplates' memo work.
type configSteps struct {
	hits   []*configMemo // by component id: the configs that came from the memo (scratch)
	bad    []bool        // by component id: an error (or never memoized)
	misses []configMiss  // the components looked up and not found

	// The last parent's config_schema, keyed: siblings share it.
	parent    *Component
	schema    string
	schemaKey textKey
}

// configMiss is a component whose config was computed, with its key.
type configMiss struct {
	c                *Component
	key              configKey
	schema, authored string
}

// lookup keys component c, whose parent's template is parent, and returns
// its memoized config, or nil.
func (st *configSteps) lookup(l *linker, c *Component, parent *config.Template) *configMemo {
	if p := c.Parent; p != st.parent {
		text := nodeText(p.Node.Result, p.m.ConfigSchema)
		st.parent, st.schema = p, string(text)
		st.schemaKey = keyOfText(text, p.m.ConfigSchema != nil)
	}
	schema := st.schema
	decl := declConfig(c)
	authored := nodeText(c.Parent.Node.Result, decl)
	key := configKey{parent: parent, parentSchema: st.schemaKey, authored: textKey{n: len(authored), some: decl != nil},
		schema: c.mm.schemaKey, params: c.mm.resourcesKey}
	same := func(cm *configMemo) bool {
		if cm.parentSchema != st.schema {
			return false
		}
		// The cells of siblings mostly hold one string of the parent's
		// schema: from now on it is compared by its address.
		st.schema = cm.parentSchema
		return cm.authored == string(authored) && cm.schema == c.mm.schemaText && cm.resources == c.mm.resourcesText
	}
	var prev *cell[configKey, *configMemo]
	if c.ID < len(l.prev) {
		prev = l.prev[c.ID].config
	}
	// The cell of the previous link is compared by its texts, without
	// hashing them: the key's hash of the authored text is that of the
	// text compared.
	cc := prev
	if cc == nil || l.memo.m.off || !sameButHash(&cc.key, &key) || !same(cc.val) {
		key.authored = keyOfText(authored, decl != nil)
		cc = find(l.memo, &l.memo.m.tables.configs, nil, key)
		if cc == nil || !same(cc.val) {
			if st.misses == nil && len(l.prev) == 0 {
				st.misses = make([]configMiss, 0, len(l.comps)-c.ID) // a first link: most miss
			}
			st.misses = append(st.misses, configMiss{c, key, schema, string(authored)})
			return nil
		}
	}
	l.keepConfig(c, cc)
	st.hits[c.ID] = cc.val
	return cc.val
}

// sameButHash reports whether two config keys are equal but for the hash
// of their authored texts.
func sameButHash(a, b *configKey) bool {
	x := *b
	x.authored.hash = a.authored.hash
	return *a == x
}

// keepConfig lists the config cell of component c as used.
func (l *linker) keepConfig(c *Component, cc *cell[configKey, *configMemo]) {
	if l.units == nil {
		l.memo.used.other = append(l.memo.used.other, cc)
		return
	}
	l.units[c.ID].config = cc
}

// store memoizes the configs of the components looked up, not found and
// computed without an error.
func (st *configSteps) store(l *linker) {
	ok := st.misses[:0]
	for _, m := range st.misses {
		if !st.bad[m.c.ID] {
			ok = append(ok, m)
		}
	}
	if len(ok) == 0 {
		return
	}
	memos := make([]configMemo, len(ok))
	cells := putMany(l.memo, &l.memo.m.tables.configs, len(ok), func(i int) (configKey, *configMemo) {
		m := ok[i]
		c := m.c
		cm := &memos[i]
		*cm = configMemo{tpl: l.configTpls[c.ID], parentSchema: m.schema, authored: m.authored,
			schema: c.mm.schemaText, resources: c.mm.resourcesText}
		for _, r := range c.m.Resources {
			if cm.params == nil {
				cm.params = map[string]map[string]string{}
			}
			cm.params[r.Name] = l.resourceParams[ref{c.ID, r.Name}]
		}
		return m.key, cm
	})
	for i, cc := range cells {
		l.keepConfig(ok[i].c, cc)
	}
}

// renderResources resolves resource params statically (§4.1.3); the
// components whose config came from the memo take its params.
func (l *linker) renderResources(failed []bool, st *configSteps) {
	l.resourceParams = map[ref]map[string]string{}
	for _, c := range l.comps {
		if failed[c.ID] {
			continue
		}
		if cm := st.hits[c.ID]; cm != nil {
			if len(cm.params) == 0 {
				continue // no resources, as most components: no iteration to start
			}
			for name, params := range cm.params {
				l.resourceParams[ref{c.ID, name}] = params
			}
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
				schemas := config.Schemas{Component: c.m.ConfigSchema, Root: l.root().m.ConfigSchema, Defaults: &l.defaults}
				text, err := config.RenderResourceParam(l.configTpls[c.ID], schemas, r.Name, p.name, p.v.Value)
				if err != nil {
					st.bad[c.ID] = true
					l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, err.Message()),
						[]diag.Label{c.at(p.v.Node).label("resource param here", true)}, "")
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
