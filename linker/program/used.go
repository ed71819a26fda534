package program

import (
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/interp"
)

// SlotUse is the set of slots a program uses (linker.md §7).
type SlotUse struct {
	// All is set when the program uses every slot: `${slots}`, or a
	// slot-less `when`.
	All bool
	// Names are the slots named explicitly, sorted.
	Names []string
}

// Uses reports whether the program uses slot name.
func (u SlotUse) Uses(name string) bool {
	if u.All {
		return true
	}
	i := sort.SearchStrings(u.Names, name)
	return i < len(u.Names) && u.Names[i] == name
}

// UsedSlots returns the slots a lowered program uses: every
// `${slots.<s>...}` in its strings, `when: "slots.<s>..."`, `each:
// "slots.<s>"`, slot mounts, and slot conditions, repetitions and template
// parts of file mounts. A nil program uses none.
func UsedSlots(p *scenario.Program) SlotUse {
	c := &slotCollector{names: map[string]bool{}}
	if p != nil {
		c.program(p)
	}
	u := SlotUse{All: c.all}
	for n := range c.names {
		u.Names = append(u.Names, n)
	}
	sort.Strings(u.Names)
	return u
}

type slotCollector struct {
	all   bool
	names map[string]bool
}

// query records a slot query "s", "s.url" or "" (all slots). A query with
// an empty slot name (`slots..x`, invalid) names no slot.
func (c *slotCollector) query(q string) {
	if q == "" {
		c.all = true
		return
	}
	if name, _, _ := strings.Cut(q, "."); name != "" {
		c.names[name] = true
	}
}

func (c *slotCollector) text(s string) {
	t, err := interp.Parse(s)
	if err != nil {
		return
	}
	for _, p := range t.Refs() {
		if p.Ref.Source == interp.Slots {
			c.query(p.Ref.Query)
		}
	}
}

func (c *slotCollector) optText(s *string) {
	if s != nil {
		c.text(*s)
	}
}

// path records a `when` / `each` path on slots.
func (c *slotCollector) path(s *string) {
	if s == nil {
		return
	}
	if *s == "slots" {
		c.all = true
		return
	}
	if q, ok := cutPrefix(*s, "slots."); ok {
		c.query(q)
	}
}

func (c *slotCollector) program(p *scenario.Program) {
	c.optText(p.Image)
	c.optText(p.Path)
	for _, args := range [][]scenario.Arg{p.Entrypoint, p.Args} {
		for _, a := range args {
			if a.Item == nil {
				c.text(a.Text)
				continue
			}
			c.optText(a.Item.Arg)
			for _, s := range a.Item.Argv {
				c.text(s)
			}
			c.path(a.Item.When)
			c.path(a.Item.Each)
		}
	}
	for _, e := range p.Env {
		c.text(e.Value)
		c.path(e.When)
		c.path(e.Each)
	}
	c.mounts(p.Mounts)
	if vm := p.VM; vm != nil {
		c.text(vm.Image)
		c.optText(vm.UserData)
		c.optText(vm.VendorData)
		for _, v := range []any{vm.CPUs, vm.MemoryMiB} {
			if s, ok := v.(string); ok {
				c.text(s)
			}
		}
		c.mounts(vm.Mounts)
	}
}

func (c *slotCollector) mounts(ms []scenario.Mount) {
	for _, m := range ms {
		switch m.Kind {
		case scenario.MountSlot:
			c.names[m.Name] = true
		case scenario.MountFile:
			if m.When != nil && !m.When.Config {
				c.query(m.When.Slot)
			}
			if m.Each != nil && !m.Each.Config {
				c.query(m.Each.Slot)
			}
			for _, t := range []scenario.Template{m.PathTpl, m.SourceTpl} {
				for _, part := range t {
					switch part.Kind {
					case scenario.PartSlot:
						c.query(part.Slot)
					case scenario.PartIndexedItem:
						c.query(part.Slot)
					}
				}
			}
		}
	}
}
