package program

import (
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/interp"
)

// loweredMount is a lowered mount with the authored index it came from.
type loweredMount struct {
	mount scenario.Mount
	index int
}

// mountList lowers a program's mounts and validates them; nil when none
// remain.
func (l *lowerer) mountList(ms []*manifest.Mount, vm bool) []scenario.Mount {
	base, bp := "program.mounts", ptr("program", "mounts")
	if vm {
		base, bp = "program.vm.mounts", ptr("program", "vm", "mounts")
	}
	index := indexElems(lookup(l.c.Manifest.Root, bp))
	var lowered []loweredMount
	for _, m := range ms {
		i := index.of(m.Node)
		loc := base + "[" + strconv.Itoa(i) + "]"
		for _, lm := range l.mount(m, loc, i, vm) {
			lowered = append(lowered, loweredMount{lm, i})
		}
	}
	v := l.validator()
	seen := map[string]bool{}
	var out []scenario.Mount
	for _, lm := range lowered {
		if msg := v.mount(lm.mount); msg != "" {
			l.fail(SiteMount, lm.index, vm, msg)
			continue
		}
		if p, ok := staticMountPath(lm.mount); ok {
			if seen[p] {
				l.fail(SiteMount, lm.index, vm, "duplicate mount path `"+p+"` after mount expansion")
				continue
			}
			seen[p] = true
		}
		out = append(out, lm.mount)
		l.mountIndexes = append(l.mountIndexes, lm.index)
	}
	return out
}

// validator returns the lowered-program validator for this component.
func (l *lowerer) validator() *validator {
	m := l.c.Manifest
	v := &validator{schema: m.ConfigSchema, slots: manifestSlots(m), resources: map[string]bool{}, features: l.c.Features}
	for _, r := range m.Resources {
		v.resources[r.Name] = true
	}
	return v
}

// mount lowers one authored mount into zero or more lowered mounts.
func (l *lowerer) mount(m *manifest.Mount, loc string, i int, vm bool) []scenario.Mount {
	fail := func(msg string) []scenario.Mount {
		l.fail(SiteMount, i, vm, msg)
		return nil
	}
	var when, each *scenario.MountCondition
	if m.When != nil {
		ref, err := interp.ParseRef(m.When.Value)
		if err != nil {
			return fail(loc + ".when: " + err.Error())
		}
		switch ref.Source {
		case interp.Slots:
			when = &scenario.MountCondition{Slot: ref.Query}
		default:
			switch l.cfg.Lookup(ref.Query).Presence() {
			case configschema.Runtime:
				when = &scenario.MountCondition{Config: true, Path: ref.Query}
			case configschema.Absent:
				return nil
			}
		}
	}
	items := []any{nil}
	t := templater{cfg: l.cfg, scope: l.c.ID}
	if m.Each != nil {
		if s, ok := cutPrefix(m.Each.Value, "slots."); ok {
			each = &scenario.MountCondition{Slot: s}
			t.runtimeItem = true
		} else {
			q, _ := cutPrefix(m.Each.Value, "config.")
			arr, runtime, msg := l.cfg.Lookup(q).each(q, loc)
			switch {
			case msg != "":
				return fail(msg)
			case runtime:
				each = &scenario.MountCondition{Config: true, Path: q}
				t.runtimeItem = true
			default:
				items, t.hasItem = arr, true
			}
		}
	}
	var out []scenario.Mount
	for _, item := range items {
		t.item = item
		path, msg := t.build(m.Path.Value, loc+".path")
		if msg != "" {
			return fail(msg)
		}
		from, msg := t.build(m.From.Value, loc+".from")
		if msg != "" {
			return fail(msg)
		}
		mt, msg := mountFrom(from, loc)
		if msg != "" {
			return fail(msg)
		}
		if mt.Kind == scenario.MountFile {
			mt.PathTpl, mt.When, mt.Each = path, when, each
			out = append(out, mt)
			continue
		}
		src := mountSource(mt)
		switch {
		case when != nil:
			return fail(loc + " uses source `" + src + "` behind a runtime `when`, but only file mounts may remain conditional after linking")
		case each != nil:
			return fail(loc + " uses source `" + src + "` behind a runtime `each`, but only file mounts may remain repeated after linking")
		}
		p, ok := literal(path)
		if !ok {
			return fail(loc + " uses source `" + src + "` with a non-concrete mount path, but storage and framework mounts must resolve entirely during linking")
		}
		if msg := pathProblem(p); msg != "" {
			return fail(loc + ".path resolves to `" + p + "`, but non-file mount paths " + msg)
		}
		mt.Path = p
		out = append(out, mt)
	}
	return out
}

// mountSource renders the source of a slot, resource or framework mount as
// written: `slots.<s>`, `resources.<r>`, `framework.<c>`.
func mountSource(m scenario.Mount) string {
	switch m.Kind {
	case scenario.MountSlot:
		return "slots." + m.Name
	case scenario.MountResource:
		return "resources." + m.Name
	case scenario.MountFramework:
		return "framework." + m.Name
	}
	return "config." + templateText(m.SourceTpl)
}

// pathProblem returns why a static mount path is not allowed ("must be
// absolute", "must not contain `..`"), or "".
func pathProblem(p string) string {
	if !strings.HasPrefix(p, "/") {
		return "must be absolute"
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "must not contain `..`"
		}
	}
	return ""
}

// mountFrom decides the mount kind from the lowered `from` template: an
// all-literal source is read as a mount source (manifest.ParseMountSource:
// `config[.<p>]`, `slots.<s>`, `resources.<r>`, `framework.<c>`, else
// Amber's reason); otherwise it must stay a `config.<p>` file mount whose
// path after `config.` is dynamic.
func mountFrom(from scenario.Template, loc string) (scenario.Mount, string) {
	if s, ok := literal(from); ok {
		src, reason := manifest.ParseMountSource(s)
		switch {
		case reason != "":
			return scenario.Mount{}, "invalid mount source `" + s + "`: " + reason
		case src.Kind == manifest.MountFromConfig:
			tpl := scenario.Template{}
			if src.Name != "" {
				tpl = scenario.Template{{Kind: scenario.PartLit, Lit: src.Name}}
			}
			return scenario.Mount{Kind: scenario.MountFile, SourceTpl: tpl}, ""
		}
		kind := map[string]string{manifest.MountFromSlots: scenario.MountSlot, manifest.MountFromResources: scenario.MountResource,
			manifest.MountFromFramework: scenario.MountFramework}[src.Kind]
		return scenario.Mount{Kind: kind, Name: src.Name}, ""
	}
	if len(from) > 0 && from[0].Kind == scenario.PartLit {
		if rest, ok := cutPrefix(from[0].Lit, "config."); ok {
			src := append(scenario.Template{}, from[1:]...)
			if rest != "" {
				src = append(scenario.Template{{Kind: scenario.PartLit, Lit: rest}}, src...)
			}
			return scenario.Mount{Kind: scenario.MountFile, SourceTpl: src}, ""
		}
	}
	return scenario.Mount{}, "mount source must resolve to a concrete `slots.*`, `resources.*`, or `framework.*` reference, or remain a `config.*` file mount"
}

// literal returns the text of an all-literal template ("" for no parts).
func literal(t scenario.Template) (string, bool) {
	switch {
	case len(t) == 0:
		return "", true
	case len(t) == 1 && t[0].Kind == scenario.PartLit:
		return t[0].Lit, true
	}
	return "", false
}

// staticMountPath returns the path of a mount that is always there at a
// path known at link time: slot, resource and framework mounts, and file
// mounts with a literal path and no runtime `when` / `each`.
func staticMountPath(m scenario.Mount) (string, bool) {
	if m.Kind != scenario.MountFile {
		return m.Path, true
	}
	if m.When != nil || m.Each != nil {
		return "", false
	}
	p, ok := literal(m.PathTpl)
	return p, ok && p != ""
}

// templater builds file-mount templates: statically known config values
// and static `each` items are inlined, the rest stays as parts.
type templater struct {
	cfg   Config
	scope int // the owner's id, for slot parts
	// item is the current item of a static `each` (hasItem); runtimeItem
	// keeps `${item...}` as an item part of a runtime repetition.
	item        any
	hasItem     bool
	runtimeItem bool
}

func (t templater) build(text, field string) (scenario.Template, string) {
	tpl, err := interp.Parse(text)
	if err != nil {
		return nil, field + ": " + err.Error()
	}
	var out scenario.Template
	lit := func(s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Kind == scenario.PartLit {
			out[n-1].Lit += s
			return
		}
		out = append(out, scenario.TemplatePart{Kind: scenario.PartLit, Lit: s})
	}
	for _, part := range tpl.Parts {
		if part.Kind == interp.Literal {
			lit(part.Text)
			continue
		}
		ref := part.Ref
		switch ref.Source {
		case interp.Config:
			if v, static := t.cfg.Lookup(ref.Query).Static(); static && !isNull(v) {
				s, err := renderValue(v)
				if err != nil {
					return nil, field + ": " + err.Error()
				}
				lit(s)
				continue
			}
			out = append(out, scenario.TemplatePart{Kind: scenario.PartConfig, Config: ref.Query})
		case interp.Slots:
			out = append(out, scenario.TemplatePart{Kind: scenario.PartSlot, Scope: t.scope, Slot: ref.Query})
		case interp.Item:
			switch {
			case t.hasItem:
				v, ok := lookupPath(t.item, ref.Query)
				if !ok {
					return nil, "failed to resolve " + ref.Text + " in " + field + ".template"
				}
				s, err := renderValue(v)
				if err != nil {
					return nil, err.Error()
				}
				lit(s)
			case t.runtimeItem:
				out = append(out, scenario.TemplatePart{Kind: scenario.PartItem, Item: ref.Query})
			default:
				return nil, "`item` interpolation is only valid inside repeated mount expansions in " + field
			}
		}
	}
	if out == nil {
		out = scenario.Template{}
	}
	return out, ""
}
