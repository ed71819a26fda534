package manifest

import (
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// configLints implements 11.9, 11.8 and 11.10, in that order. A schema
// too large to walk (configschema.ReasonTooLarge, where Amber's walk does
// not end) gets only the first: its leaves are an arbitrary part of them.
func (l *linter) configLints() {
	schema := l.m.ConfigSchema
	if schema == nil {
		return
	}
	leaves, reasons := configschema.Leaves(schema)
	if len(reasons) > 0 {
		l.report(codes.ConfigLintIncomplete,
			"config linting is incomplete (in component "+l.component+"): "+strings.Join(reasons, ", "),
			l.span(schema), "config definition declared here",
			"Unused config warnings may be incomplete; simplify the config definition or rely on runtime validation.").Severity = diag.Warning
		if slices.Contains(reasons, configschema.ReasonTooLarge) {
			return
		}
	}
	uses, all := l.configUses()
	if !all {
		for _, leaf := range leaves {
			if usedLeaf(leaf.Path, uses) {
				continue
			}
			l.warn(codes.UnusedConfig, leaf.Path, "config property `"+leaf.Path+"` is never used",
				l.span(leaf.Node), "unused config property `"+leaf.Path+"`",
				"Remove the config property `"+leaf.Path+"` if it is not needed, or reference it via config interpolation.")
		}
	}
	l.optionalConfig(schema, leaves)
}

// usedLeaf reports whether some query equals the leaf path or is a prefix
// of it at a segment boundary.
func usedLeaf(leaf string, uses map[string]bool) bool {
	for q := range uses {
		if q == leaf || strings.HasPrefix(leaf, q+".") {
			return true
		}
	}
	return false
}

// configUses collects the config queries of the program, of the resource
// params and of the configs given to children and `use` entries; all is
// set when the whole config is used (`${config}`, `from: "config"`).
func (l *linter) configUses() (uses map[string]bool, all bool) {
	uses = map[string]bool{}
	add := func(q string) {
		switch {
		case q == "":
			all = true
		case !hasEmptySegment(q):
			uses[q] = true
		}
	}
	addTemplate := func(s string) {
		ps, _ := parseTemplate(s)
		for _, ph := range ps {
			if ph.Ref.Source == interp.Config {
				add(ph.Ref.Query)
			}
		}
	}
	if p := l.m.Program; p != nil {
		p.programStrings(func(s programString) {
			addTemplate(s.text)
			if s.kind == siteMountFrom && isLiteral(s.text) {
				if s.text == "config" {
					add("")
				} else if q, ok := strings.CutPrefix(s.text, "config."); ok {
					add(q)
				}
			}
		})
		p.conditions(func(when, each *Str) {
			for _, c := range []*Str{when, each} {
				if c != nil {
					if q, ok := strings.CutPrefix(c.Value, "config."); ok {
						add(q)
					}
				}
			}
		})
	}
	for _, r := range l.m.Resources {
		for _, param := range []*Str{r.Size, r.Retention, r.Sharing} {
			if param != nil {
				addTemplate(param.Value)
			}
		}
	}
	for _, list := range [][]*ComponentDecl{l.m.Components, l.m.Use} {
		for _, c := range list {
			if c.Config != nil {
				eachString(c.Config, addTemplate)
			}
		}
	}
	return uses, all
}

// eachString calls fn with every string value in a JSON subtree.
func eachString(n *json5.Node, fn func(string)) {
	switch n.Kind {
	case json5.String:
		fn(n.Text)
	case json5.Object:
		for _, m := range n.Members {
			eachString(m.Value, fn)
		}
	case json5.Array:
		for _, e := range n.Elems() {
			eachString(e, fn)
		}
	}
}

// optionalConfig implements 11.10: config paths that may be unset, used in
// an argument, env value or mount without a `when` guard on that path.
func (l *linter) optionalConfig(schema *json5.Node, leaves []configschema.Leaf) {
	p := l.m.Program
	if p == nil {
		return
	}
	optional := map[string]bool{}
	presences := configschema.NewPresences(schema)
	for _, leaf := range leaves {
		if presence, err := presences.Of(leaf.Path); err == nil && presence != configschema.Present {
			optional[leaf.Path] = true
		}
	}
	if len(optional) == 0 {
		return
	}
	type lintKind struct {
		code       diag.Code
		what, wrap string
	}
	kinds := map[siteKind]lintKind{
		siteArgument:  {codes.OptionalCommandConfig, "command argument", "Wrap the argument in `{ when: \"config.%s\", argv: [...] }`"},
		siteEnv:       {codes.OptionalEnvConfig, "environment value", "Wrap the env value in `{ when: \"config.%s\", value: ... }`"},
		siteMountPath: {codes.OptionalMountConfig, "mount", "Wrap the mount in `{ when: \"config.%s\", ... }`"},
		siteMountFrom: {codes.OptionalMountConfig, "mount", "Wrap the mount in `{ when: \"config.%s\", ... }`"},
	}
	p.programStrings(func(s programString) {
		k, ok := kinds[s.kind]
		if !ok {
			return
		}
		var queries []string
		ps, _ := parseTemplate(s.text)
		for _, ph := range ps {
			if ph.Ref.Source == interp.Config {
				queries = append(queries, ph.Ref.Query)
			}
		}
		if s.kind == siteMountFrom && isLiteral(s.text) {
			if q, ok := strings.CutPrefix(s.text, "config."); ok {
				queries = append(queries, q)
			}
		}
		for _, q := range queries {
			if !optional[q] || s.guard != nil && s.guard.Value == "config."+q {
				continue
			}
			at := defaultSpan
			for _, ptr := range s.pointers {
				if sp, ok := l.sp.value(ptr...); ok {
					at = sp
					break
				}
			}
			l.warn(k.code, q, k.what+" references optional config `"+q+"` without `when`", at,
				"unguarded optional config interpolation",
				strings.Replace(k.wrap, "%s", q, 1)+" if it should disappear when unset, or make `config."+q+"` required.")
		}
	})
}
