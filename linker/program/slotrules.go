package program

import (
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

// Labels of slot-interpolation problems (linker.md §5).
const (
	labelSlot   = "slot interpolation here"
	labelItem   = "item interpolation here"
	labelEach   = "repeated slot expansion here"
	labelWhen   = "slot condition here"
	maxHelpList = 20
)

// slotInfo is what the slot rules need to know about a declared slot.
type slotInfo struct {
	Kind     string
	Multiple bool
}

// slotTable is a component's declared slots by name.
type slotTable map[string]slotInfo

// slotProblem is a violated slot rule: Amber's message, help and label.
type slotProblem struct {
	message, help, label string
}

func (t slotTable) anyMultiple() bool {
	for _, s := range t {
		if s.Multiple {
			return true
		}
	}
	return false
}

func (t slotTable) anyStorage() bool {
	for _, s := range t {
		if s.Kind == "storage" {
			return true
		}
	}
	return false
}

// unknownSlot is the problem for a slot name that is not declared.
func (t slotTable) unknownSlot(name, moniker, label string) *slotProblem {
	p := &slotProblem{message: "unknown slot `" + name + "`", label: label}
	if len(t) == 0 {
		p.help = "No slots are declared on component " + moniker + ". Add slots in `slots: { ... }` or fix the reference."
		return p
	}
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	names = names[:min(len(names), maxHelpList)]
	p.help = "Valid slots on component " + moniker + ": " + strings.Join(names, ", ")
	return p
}

// checkSlotsRef applies the rules for a `${slots.<q>}` placeholder.
func (t slotTable) checkSlotsRef(q, moniker string) *slotProblem {
	if q == "" {
		switch {
		case t.anyMultiple():
			return &slotProblem{
				message: "`${slots}` cannot be used when the component declares repeated slots",
				help:    "Use `${slots.<slot>}` / `${slots.<slot>.url}` for singular slots, and `each: \"slots.<slot>\"` with `${item}` or `${item.url}` for repeated slots.",
				label:   labelSlot,
			}
		case t.anyStorage():
			return &slotProblem{
				message: "storage slots are virtual storage objects and cannot be interpolated through `${slots}`",
				help:    "Reference a specific URL-shaped slot like `slots.api.url`, or mount a storage slot with `program.mounts`.",
				label:   labelSlot,
			}
		}
		return nil
	}
	segs := strings.Split(q, ".")
	if p := segmentProblem(q, segs, labelSlot); p != nil {
		return p
	}
	name := segs[0]
	s, ok := t[name]
	if !ok {
		return t.unknownSlot(name, moniker, labelSlot)
	}
	if s.Kind == "storage" {
		return &slotProblem{
			message: "storage slot `" + name + "` is a virtual storage object, not a URL-shaped slot",
			help:    storageHelp,
			label:   labelSlot,
		}
	}
	if s.Multiple {
		return &slotProblem{
			message: "slot `" + name + "` is declared with `multiple: true`",
			help:    "Use `each: \"slots." + name + "\"` with `${item}` or `${item.url}` instead of `${slots." + name + "...}`.",
			label:   labelSlot,
		}
	}
	return fieldProblem(name, segs[1:], labelSlot)
}

const storageHelp = "Mount the storage slot with `program.mounts: [{ from: \"slots.<slot>\", path: \"/var/lib/app\" }]` instead of using `${slots...}`."

// segmentProblem reports an empty slot name or an empty later segment.
func segmentProblem(q string, segs []string, label string) *slotProblem {
	if segs[0] == "" {
		return &slotProblem{message: "missing slot name (expected slots.<slot>)", label: label,
			help: "Use `${slots.<slot>}` to refer to a slot object, then continue with field paths as needed."}
	}
	for _, s := range segs[1:] {
		if s == "" {
			return &slotProblem{message: "invalid slots path " + diag.DebugQuote(q) + ": empty segment", label: label,
				help: "Use dot-separated slot paths like `${slots.<slot>}` or `${slots.<slot>.url}`."}
		}
	}
	return nil
}

// fieldProblem checks the field path below a URL-shaped slot: only `url`.
func fieldProblem(name string, fields []string, label string) *slotProblem {
	if len(fields) == 0 || (len(fields) == 1 && fields[0] == "url") {
		return nil
	}
	p := &slotProblem{
		help:  "Slot `" + name + "` is an object like `{ url: ... }`. Use `${slots." + name + "}` for the whole object or `${slots." + name + ".url}` for the URL field.",
		label: label,
	}
	bad := fields // from the first segment that does not descend
	if fields[0] == "url" {
		bad = fields[1:] // a URL is a scalar: nothing lies below it
	}
	if len(bad) == 1 {
		p.message = "unknown slot field " + diag.DebugQuote(bad[0])
	} else {
		p.message = "unknown slot path " + diag.DebugQuote(strings.Join(bad, "."))
	}
	return p
}

// checkWhenSlots applies the rules for `when: "slots.<q>"`.
func (t slotTable) checkWhenSlots(q, moniker string) *slotProblem {
	if q == "" {
		return nil // a slot-less condition: any slot
	}
	segs := strings.Split(q, ".")
	if p := segmentProblem(q, segs, labelWhen); p != nil {
		return p
	}
	if _, ok := t[segs[0]]; !ok {
		return t.unknownSlot(segs[0], moniker, labelWhen)
	}
	return fieldProblem(segs[0], segs[1:], labelWhen)
}

// checkEachSlot applies the rules for `each: "slots.<s>"`.
func (t slotTable) checkEachSlot(name, moniker string) *slotProblem {
	s, ok := t[name]
	if !ok {
		return t.unknownSlot(name, moniker, labelEach)
	}
	if !s.Multiple {
		return &slotProblem{message: "slot `" + name + "` is not declared with `multiple: true`", label: labelEach,
			help: "declare slot `" + name + "` with `multiple: true` before using `each`"}
	}
	return nil
}

// itemProblem applies the rules for an `${item.<q>}` placeholder of a
// lowered program (ValidateLowered). each is the `each` path of the
// enclosing item ("" outside one); item fields are only checked for items
// of a repeated slot.
func itemProblem(q, each string) *slotProblem {
	if each == "" {
		return itemOutsideEach()
	}
	if !strings.HasPrefix(each, "slots.") {
		return nil
	}
	return itemQueryProblem(q)
}

// itemOutsideEach is the problem of `${item...}` outside an `each` item.
func itemOutsideEach() *slotProblem {
	return &slotProblem{message: "`item` interpolation is only valid inside repeated `each` expansions", label: labelItem,
		help: "Move this interpolation inside a repeated `each` block and use `${item}` or `${item.url}` there."}
}

// itemQueryProblem checks the path of `${item.<q>}` inside an `each`
// item: only the whole item and `url` exist (linker.md §5; Amber checks
// this in program args and env whatever the `each` repeats over).
func itemQueryProblem(q string) *slotProblem {
	if q == "" {
		return nil
	}
	segs := strings.Split(q, ".")
	for _, s := range segs {
		if s == "" {
			return &slotProblem{message: "invalid item path " + diag.DebugQuote("item."+q) + ": empty segment", label: labelItem,
				help: "Use `${item}` for the whole repeated slot item or `${item.url}` for the URL field."}
		}
	}
	help := "Repeated slot items are objects like `{ url: ... }`. Use `${item}` for the whole object or `${item.url}` for the URL field."
	switch {
	case len(segs) == 1 && segs[0] == "url":
		return nil
	case len(segs) == 1:
		return &slotProblem{message: "unknown item field " + diag.DebugQuote(segs[0]), help: help, label: labelItem}
	}
	return &slotProblem{message: "unknown item path " + diag.DebugQuote(q), help: help, label: labelItem}
}
