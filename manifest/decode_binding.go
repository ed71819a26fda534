package manifest

import (
	"strings"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// binding reads one element of `bindings` and parses its references.
func (d *decoder) binding(i int, n *json5.Node, p path) *Binding {
	p = p.fixed()
	b := &Binding{Index: i, Node: n}
	errs := len(d.errs)
	ok := d.record(n, p, bindingFields, func(k string, m *json5.Member) {
		v, fp := m.Value, p.key(k)
		switch k {
		case "to":
			b.To = d.optStr(v, fp)
		case "slot":
			b.Slot = d.optStr(v, fp)
		case "from":
			b.From = d.optStr(v, fp)
		case "capability":
			b.Capability = d.optStr(v, fp)
		case "weak":
			b.Weak = d.boolean(v, fp)
		}
	})
	if !ok || len(d.errs) > errs {
		return nil
	}
	if b.To == nil {
		d.fail(p, "binding is missing required field `to`")
		return nil
	}
	if b.From == nil {
		d.fail(p, "binding is missing required field `from`")
		return nil
	}
	if msg := parseBinding(b); msg != "" {
		d.fail(p, msg)
		return nil
	}
	return b
}

const dotFormHint = "(either add `%s`, or use dot form `to: \"<component-ref>.<slot>\", from: \"<source-ref>.<capability>\"`)"

// parseBinding fills the parsed references of b from its raw fields. It
// returns Amber's decoding detail on failure.
func parseBinding(b *Binding) string {
	to, from := b.To.Value, b.From.Value
	switch {
	case b.Slot != nil && b.Capability != nil:
		if strings.Contains(to, ".") || strings.Contains(from, ".") {
			b.Mixed = true
			return ""
		}
		for _, name := range []string{b.Slot.Value, b.Capability.Value} {
			if strings.Contains(name, ".") {
				return "invalid binding `" + name + "`: names cannot contain `.`"
			}
		}
		b.SlotName, b.SourceCap = b.Slot.Value, b.Capability.Value
		if msg := parseTargetRef(to, b); msg != "" {
			return msg
		}
		return parseSourceRef(from, b)
	case b.Slot != nil:
		return "binding has `slot` but is missing `capability` " + strings.Replace(dotFormHint, "%s", "capability", 1)
	case b.Capability != nil:
		return "binding has `capability` but is missing `slot` " + strings.Replace(dotFormHint, "%s", "slot", 1)
	}
	b.Dot = true
	left, right, ok := strings.Cut(to, ".")
	if !ok || left == "" || right == "" {
		return "invalid binding `" + to + "`: expected `<component-ref>.<name>`"
	}
	if msg := parseTargetRef(left, b); msg != "" {
		return msg
	}
	if strings.Contains(right, ".") {
		return "invalid binding `" + to + "`: names cannot contain `.`"
	}
	b.SlotName = right
	left, right, ok = strings.Cut(from, ".")
	if !ok || left == "" || right == "" {
		return "invalid binding `" + from + "`: expected `<source-ref>.<name>`"
	}
	if msg := parseSourceRef(left, b); msg != "" {
		return msg
	}
	if strings.Contains(right, ".") {
		return "invalid binding `" + from + "`: names cannot contain `.`"
	}
	b.SourceCap = right
	return ""
}

// keywordRef maps the reserved reference words to their kinds.
var keywordRef = map[string]RefKind{
	"framework": RefFramework,
	"resources": RefResources,
	"slots":     RefSlots,
	"provides":  RefProvides,
}

func parseTargetRef(ref string, b *Binding) string {
	if _, ok := keywordRef[ref]; ok {
		return "invalid binding `" + ref + "`: " + ref + " cannot be a binding target"
	}
	kind, child, msg := parseComponentRef(ref)
	if msg != "" {
		return "invalid binding `" + ref + "`: " + msg
	}
	b.Target, b.TargetName = kind, child
	return ""
}

func parseSourceRef(ref string, b *Binding) string {
	if k, ok := keywordRef[ref]; ok {
		b.Source = k
		return ""
	}
	kind, child, msg := parseComponentRef(ref)
	if msg != "" {
		return "invalid binding `" + ref + "`: " + msg
	}
	b.Source, b.SourceName = kind, child
	return ""
}

// parseComponentRef parses `self` or `#child`.
func parseComponentRef(ref string) (RefKind, string, string) {
	switch {
	case ref == "":
		return RefNone, "", "component ref cannot be empty"
	case ref == LegacySelf:
		return RefSelf, "", ""
	case ref == "#":
		return RefNone, "", "expected `#<child>`"
	case strings.HasPrefix(ref, "#"):
		name := ref[1:]
		if strings.Contains(name, ".") {
			return RefNone, "", "child name cannot contain `.`"
		}
		return RefChild, name, ""
	}
	return RefNone, "", "expected `self` or `#<child>`"
}

// parseExportTarget parses an export target into x; it returns Amber's
// detail on failure: “invalid export target `t`: <reason>“, except for a
// dotted name, whose error Amber raises unwrapped (5.1).
func parseExportTarget(t string, x *Export) string {
	if msg := exportTarget(t, x); msg != "" {
		return "invalid export target `" + t + "`: " + msg
	}
	if strings.Contains(x.Capability, ".") {
		return "invalid export target name `" + x.Capability + "`: dots are reserved"
	}
	return ""
}

// exportTarget is parseExportTarget without the dot rule, returning the
// reason alone.
func exportTarget(t string, x *Export) string {
	if t == "" {
		return "export target cannot be empty"
	}
	if t == "framework" || strings.HasPrefix(t, "framework.") {
		return "framework is only valid as a binding source"
	}
	left, right, ok := strings.Cut(t, ".")
	if !ok {
		x.Kind, x.Capability = ExportBare, t
		return ""
	}
	if left == "" || right == "" {
		return "expected `<component-ref>.<name>`"
	}
	switch left {
	case "slots":
		x.Kind = ExportSlot
	case "provides":
		x.Kind = ExportProvide
	default:
		if _, kw := keywordRef[left]; kw {
			return "expected `self` or `#<child>`"
		}
		kind, child, msg := parseComponentRef(left)
		if msg != "" {
			return msg
		}
		if kind == RefSelf {
			x.Kind = ExportSelf
		} else {
			x.Kind, x.Child = ExportChild, child
		}
	}
	x.Capability = right
	return ""
}

// checkRealmSelector validates a child-template binding selector (10.3).
// It returns Amber's detail on failure: “invalid realm selector `s`:
// <reason>“, except for a dotted name, whose error Amber raises unwrapped
// (5.1).
func checkRealmSelector(s string) string {
	bad := func(reason string) string { return "invalid realm selector `" + s + "`: " + reason }
	dotted := func(kind, name string) string { return "invalid " + kind + " name `" + name + "`: dots are reserved" }
	if rest, ok := strings.CutPrefix(s, "children."); ok {
		child, export, ok := strings.Cut(rest, ".exports.")
		if !ok {
			return bad("expected `children.<child>.exports.<export>`")
		}
		// Amber checks these two names for dots only: either may be
		// empty (schema.rs, RealmSelector::from_str).
		if strings.Contains(child, ".") {
			return dotted("child", child)
		}
		if strings.Contains(export, ".") {
			return dotted("export", export)
		}
		return ""
	}
	kinds := map[string]string{"slots": "slot", "provides": "provide", "resources": "resource", "external": "external binding"}
	prefix, name, ok := strings.Cut(s, ".")
	kind, known := kinds[prefix]
	if !ok || !known {
		return bad("expected `slots.<name>`, `provides.<name>`, `resources.<name>`, `external.<name>`, or `children.<child>.exports.<export>`")
	}
	if name == "" {
		return bad("selector name must not be empty")
	}
	if strings.Contains(name, ".") {
		return dotted(kind, name)
	}
	return ""
}
