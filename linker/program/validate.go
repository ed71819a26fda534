package program

import (
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// frameworkFeatures maps the framework capabilities that can be mounted to
// the experimental feature each needs (manifest.md §9.4).
var frameworkFeatures = map[string]string{"docker": "docker", "kvm": "kvm"}

// validator checks a lowered program against its owner's declarations.
type validator struct {
	schema    *json5.Node
	slots     slotTable
	resources map[string]bool
	features  []string
}

// mount returns the first structural problem of a lowered mount (linker.md
// §4.3 "Validation of the lowered program"), or "".
func (v *validator) mount(m scenario.Mount) string {
	switch m.Kind {
	case scenario.MountFile:
		// Amber's order: the static mount path, the schema, the source.
		if p, ok := literal(m.PathTpl); ok {
			if msg := pathProblem(p); msg != "" {
				return "mount path " + msg + ": `" + p + "`"
			}
		}
		src := "config"
		if len(m.SourceTpl) > 0 {
			src += "." + templateText(m.SourceTpl)
		}
		if v.schema == nil {
			return "mount source `" + src + "` requires `config_schema`, but the component does not declare one"
		}
		if p, ok := literal(m.SourceTpl); ok {
			if outcome, _, failure := configschema.Lookup(v.schema, p); outcome == configschema.Missing {
				return "invalid config mount path `" + p + "`: " + failure
			}
		}
	case scenario.MountSlot:
		s, ok := v.slots[m.Name]
		switch {
		case !ok:
			return "mount source resolved to `slots." + m.Name + "`, but no such slot exists on the component"
		case s.Kind != scenario.KindStorage:
			return "mount source resolved to `slots." + m.Name + "`, but `" + m.Name + "` is `" + s.Kind + "` instead of `storage`"
		}
	case scenario.MountResource:
		if !v.resources[m.Name] {
			return "mount source resolved to `resources." + m.Name + "`, but no such resource exists on the component"
		}
	case scenario.MountFramework:
		if m.Name == "component" {
			return "mount source `framework.component` is reserved (not implemented)"
		}
		f, known := frameworkFeatures[m.Name]
		switch {
		case !known:
			return "mount source resolved to unknown framework capability `framework." + m.Name + "`"
		case !hasFeature(v.features, f):
			return "framework capability `framework." + m.Name + "` requires experimental feature `" + f + "`"
		}
	default:
		return "unknown mount kind `" + m.Kind + "`"
	}
	return ""
}

// templateText renders a template back to interpolation text.
func templateText(t scenario.Template) string {
	var b strings.Builder
	for _, p := range t {
		switch p.Kind {
		case scenario.PartLit:
			b.WriteString(p.Lit)
		case scenario.PartConfig:
			b.WriteString(configRef(p.Config))
		case scenario.PartSlot:
			b.WriteString("${slots." + p.Slot + "}")
		case scenario.PartIndexedItem:
			b.WriteString("${slots." + p.Slot + "[" + strconv.Itoa(p.Index) + "]")
			if p.Item != "" {
				b.WriteString("." + p.Item)
			}
			b.WriteString("}")
		case scenario.PartItem:
			if p.Item == "" {
				b.WriteString("${item}")
			} else {
				b.WriteString("${item." + p.Item + "}")
			}
		}
	}
	return b.String()
}
