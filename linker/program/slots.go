package program

import (
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
)

// CheckSlotInterpolation returns the compiler::invalid_slots_interpolation
// errors of one component's program (linker.md §5), in program order:
// image, path, vm image and cloud-init texts, entrypoint/args items, env
// (name order). moniker is the component's P; read resolves `{ file }`
// references (nil skips them). Labels carry spans of m's source without a
// file name.
func CheckSlotInterpolation(m *manifest.Manifest, moniker string, read FileReader) []diag.Diagnostic {
	if m == nil || m.Program == nil {
		return nil
	}
	slots := manifestSlots(m)
	var out []diag.Diagnostic
	for _, s := range programSites(m, read) {
		if s.loc == "" {
			continue
		}
		for _, p := range slotSiteProblems(s, slots, moniker) {
			out = append(out, diag.Diagnostic{
				Code:     codes.InvalidSlotsInterpolation,
				Severity: diag.Error,
				Message:  "invalid slots interpolation in " + moniker + " (" + s.loc + "): " + p.message,
				Help:     p.help,
				Labels:   []diag.Label{{Span: valueSpan(m.Root, s.ptr), Message: p.label, Primary: true}},
			})
		}
	}
	return out
}

// slotSiteProblems applies the slot rules to one site.
func slotSiteProblems(s site, slots slotTable, moniker string) []*slotProblem {
	var out []*slotProblem
	add := func(p *slotProblem) {
		if p != nil {
			out = append(out, p)
		}
	}
	switch s.kind {
	case siteWhen:
		if ref, err := interp.ParseRef(s.text); err == nil && ref.Source == interp.Slots {
			add(slots.checkWhenSlots(ref.Query, moniker))
		}
	case siteEach:
		if name, ok := cutPrefix(s.text, "slots."); ok {
			add(slots.checkEachSlot(name, moniker))
		}
	default:
		t, err := interp.Parse(s.text)
		if err != nil {
			return nil
		}
		for _, part := range t.Refs() {
			switch part.Ref.Source {
			case interp.Slots:
				add(slots.checkSlotsRef(part.Ref.Query, moniker))
			case interp.Item:
				if s.each == "" {
					add(itemOutsideEach())
				} else {
					add(itemQueryProblem(part.Ref.Query))
				}
			}
		}
	}
	return out
}

// manifestSlots returns the declared slots of a manifest.
func manifestSlots(m *manifest.Manifest) slotTable {
	t := slotTable{}
	for _, s := range m.Slots {
		t[s.Name] = slotInfo{Kind: s.Kind.Value, Multiple: s.Multiple}
	}
	return t
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}
