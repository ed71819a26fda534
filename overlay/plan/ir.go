package plan

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// ValidateScenario runs Amber's scenario IR checks on a rewritten scenario
// (overlays.md §11.5) and returns the first problem as a *ScenarioError:
//
//  1. references: parents and children of every component (id order), then
//     every binding's target and source (scenario order), then every export's
//     provider (`scenario IR missing component {id} referenced by {context}`,
//     `{context} targets missing slot "{s}" on component {P} (id {n})`, and
//     likewise for provides and resources);
//  2. names of slots, provides and resources (id order, name order) and of
//     exports (`scenario IR has invalid name "{n}": dots are reserved`);
//  3. graph rules, each `scenario IR is invalid: …`: per binding the
//     capability match and the weak rule for external slots, then mounted
//     storage slots, then exports (repeated names, capability match), then
//     the tree shape (the root has no parent, parents and children agree,
//     every component is attached to the root).
//
// Amber does not re-run dependency-cycle detection, lints or link-time config
// validation after rewriting, and neither does this.
func ValidateScenario(s *scenario.Scenario) error {
	v := irCheck{s: s}
	for _, check := range []func() string{v.references, v.names, v.bindings, v.storage, v.exports, v.tree} {
		if msg := check(); msg != "" {
			return &ScenarioError{Text: msg}
		}
	}
	return nil
}

type irCheck struct{ s *scenario.Scenario }

func (v irCheck) missing(id int, context string) string {
	return fmt.Sprintf("scenario IR missing component %d referenced by %s", id, context)
}

func (v irCheck) references() string {
	s := v.s
	if s.Component(s.Root) == nil {
		return v.missing(s.Root, "the scenario root")
	}
	for id, c := range s.Components {
		if c == nil {
			continue
		}
		if c.Parent >= 0 && s.Component(c.Parent) == nil {
			return v.missing(c.Parent, fmt.Sprintf("the parent of component %s (id %d)", c.Moniker, id))
		}
		for _, child := range c.Children {
			if s.Component(child) == nil {
				return v.missing(child, fmt.Sprintf("the children of component %s (id %d)", c.Moniker, id))
			}
		}
	}
	for _, b := range s.Bindings {
		target := "binding target for " + b.To.Name
		t := s.Component(b.To.Component)
		if t == nil {
			return v.missing(b.To.Component, target)
		}
		if _, ok := t.Slots[b.To.Name]; !ok {
			return targetsMissing(target, "slot", b.To.Name, t)
		}
		source := "binding source for " + b.To.Name
		from := s.Component(b.From.Component)
		if from == nil {
			return v.missing(b.From.Component, source)
		}
		switch b.From.Kind {
		case scenario.FromComponent:
			if _, ok := from.Provides[b.From.Name]; !ok {
				return targetsMissing(source, "provide", b.From.Name, from)
			}
		case scenario.FromResource:
			if _, ok := from.Resources[b.From.Name]; !ok {
				return targetsMissing(source, "resource", b.From.Name, from)
			}
		case scenario.FromExternal:
			if _, ok := from.Slots[b.From.Name]; !ok {
				return targetsMissing(source, "slot", b.From.Name, from)
			}
		}
	}
	for _, e := range s.Exports {
		context := "export source for " + e.Name
		p := s.Component(e.From.Component)
		if p == nil {
			return v.missing(e.From.Component, context)
		}
		if _, ok := p.Provides[e.From.Name]; !ok {
			return targetsMissing(context, "provide", e.From.Name, p)
		}
	}
	return ""
}

func targetsMissing(context, what, name string, c *scenario.Component) string {
	return fmt.Sprintf("%s targets missing %s %q on component %s (id %d)", context, what, name, c.Moniker, c.ID)
}

func (v irCheck) names() string {
	bad := func(n string) string { return fmt.Sprintf("scenario IR has invalid name %q: dots are reserved", n) }
	for _, c := range v.s.Components {
		if c == nil {
			continue
		}
		for _, names := range [][]string{slices.Sorted(maps.Keys(c.Slots)), slices.Sorted(maps.Keys(c.Provides)), slices.Sorted(maps.Keys(c.Resources))} {
			for _, n := range names {
				if nameProblem("", n) != "" {
					return bad(n)
				}
			}
		}
	}
	for _, e := range v.s.Exports {
		if nameProblem("", e.Name) != "" {
			return bad(e.Name)
		}
	}
	return ""
}

// invalid prefixes a graph rule's message.
func invalid(format string, args ...any) string {
	return "scenario IR is invalid: " + fmt.Sprintf(format, args...)
}

// sourceCapability returns what a binding source provides; false for
// framework capabilities, whose types the linker has already checked.
func (v irCheck) sourceCapability(src scenario.Source) (scenario.Capability, bool) {
	c := v.s.Component(src.Component)
	switch src.Kind {
	case scenario.FromComponent:
		return c.Provides[src.Name].Capability, true
	case scenario.FromResource:
		return scenario.Capability{Kind: c.Resources[src.Name].Kind}, true
	case scenario.FromExternal:
		return c.Slots[src.Name].Capability, true
	}
	return scenario.Capability{}, false
}

// sourceName renders a binding source in messages.
func (v irCheck) sourceName(src scenario.Source) string {
	c := v.s.Component(src.Component)
	switch src.Kind {
	case scenario.FromFramework:
		return "framework." + src.Name
	case scenario.FromExternal:
		return "external slot `" + src.Name + "`"
	}
	return c.Moniker + "." + src.Name
}

func (v irCheck) bindings() string {
	for _, b := range v.s.Bindings {
		target := v.s.Component(b.To.Component)
		slot := target.Slots[b.To.Name]
		if got, ok := v.sourceCapability(b.From); ok && !slot.Capability.Equal(got) {
			return invalid("binding into %s.%s expects %s, but %s provides %s", target.Moniker, b.To.Name, slot.Capability, v.sourceName(b.From), got)
		}
		if b.From.Kind == scenario.FromExternal && slot.Kind != scenario.KindStorage && !b.Weak {
			return invalid("binding into %s.%s must be weak because it depends on external slot `%s`", target.Moniker, b.To.Name, b.From.Name)
		}
	}
	return ""
}

func (v irCheck) storage() string {
	for _, c := range v.s.Components {
		if c == nil || c.Program == nil {
			continue
		}
		mounts := c.Program.Mounts
		if c.Program.VM != nil {
			mounts = c.Program.VM.Mounts
		}
		for _, m := range mounts {
			if m.Kind != scenario.MountSlot || c.Slots[m.Name].Kind != scenario.KindStorage {
				continue
			}
			var into []scenario.Binding
			for _, b := range v.s.Bindings {
				if b.To.Component == c.ID && b.To.Name == m.Name {
					into = append(into, b)
				}
			}
			slot := c.Moniker + "." + m.Name
			switch {
			case len(into) == 0:
				return invalid("mounted storage slot %s must be bound from a storage resource, but it has no binding", slot)
			case len(into) > 1:
				return invalid("mounted storage slot %s must be bound from exactly one storage resource, but it has %d bindings", slot, len(into))
			}
			src := into[0].From
			if src.Kind != scenario.FromResource || v.s.Component(src.Component).Resources[src.Name].Kind != scenario.KindStorage {
				return invalid("mounted storage slot %s must be bound from a storage resource, but it is bound from %s", slot, v.sourceName(src))
			}
		}
	}
	return ""
}

func (v irCheck) exports() string {
	seen := map[string]bool{}
	for _, e := range v.s.Exports {
		if seen[e.Name] {
			return invalid("scenario export `%s` is declared more than once", e.Name)
		}
		seen[e.Name] = true
		p := v.s.Component(e.From.Component)
		if got := p.Provides[e.From.Name].Capability; !e.Capability.Equal(got) {
			return invalid("scenario export `%s` declares capability %s, but %s.%s provides %s", e.Name, e.Capability, p.Moniker, e.From.Name, got)
		}
	}
	return ""
}

func (v irCheck) tree() string {
	s := v.s
	root := s.Component(s.Root)
	if root.Parent >= 0 {
		return invalid("root component %s (id %d) has a parent", root.Moniker, root.ID)
	}
	for id, c := range s.Components {
		if c == nil {
			continue
		}
		if c.ID != id {
			return invalid("component %s is stored at id %d but has id %d", c.Moniker, id, c.ID)
		}
		for _, child := range c.Children {
			if k := s.Component(child); k.Parent != id {
				return invalid("component %s (id %d) lists child %s (id %d), whose parent is %d", c.Moniker, id, k.Moniker, child, k.Parent)
			}
		}
		if id != s.Root {
			if c.Parent < 0 {
				return invalid("component %s (id %d) is not attached to the root component", c.Moniker, id)
			}
			if p := s.Component(c.Parent); !containsInt(p.Children, id) {
				return invalid("component %s (id %d) is not among the children of its parent %s (id %d)", c.Moniker, id, p.Moniker, p.ID)
			}
		}
	}
	// Every component must reach the root through its parents.
	ids := make([]int, 0, len(s.Components))
	for id, c := range s.Components {
		if c != nil {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	for _, id := range ids {
		seen := map[int]bool{}
		for cur := id; cur != s.Root; cur = s.Component(cur).Parent {
			if seen[cur] || s.Component(cur).Parent < 0 {
				c := s.Component(id)
				return invalid("component %s (id %d) is not attached to the root component", c.Moniker, id)
			}
			seen[cur] = true
		}
	}
	return ""
}

func containsInt(list []int, x int) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}
