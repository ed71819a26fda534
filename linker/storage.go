package linker

import (
	"fmt"
	"sort"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// sink is a mounted user of a storage resource.
type sink struct {
	comp *Component
	id   string // `slot:{S}` or `mount:{index}`
	at   span
	what string // `slots.S` or `resources.r`
}

// checkStorage is linker.md §4.7: storage mounts must resolve to exactly
// one storage resource, and a resource may feed only one mounted sink.
func (l *linker) checkStorage() {
	sinks := map[ref][]sink{} // by resource
	for _, c := range l.comps {
		mounts := lowMounts(c)
		if len(mounts) == 0 {
			continue // most programs mount nothing
		}
		for i, m := range mounts {
			switch m.Kind {
			case scenario.MountResource:
				r := ref{c.ID, m.Name}
				sinks[r] = append(sinks[r], sink{c, fmt.Sprintf("mount:%d", i), c.mountFrom(i), "resources." + m.Name})
			case scenario.MountSlot:
				sl := c.mm.slots[m.Name]
				if sl == nil || sl.Kind.Value != scenario.KindStorage {
					continue
				}
				var in []edge
				for _, e := range l.edges {
					if e.to == (ref{c.ID, m.Name}) {
						in = append(in, e)
					}
				}
				if len(in) == 1 && l.comps[in[0].from().Component].Node.Opaque {
					continue // fed by a manifest that was not fetched
				}
				if len(in) != 1 || in[0].from().Kind != scenario.FromResource {
					l.storageRequiresResource(c, m.Name, i)
					continue
				}
				src := in[0].from()
				r := ref{src.Component, src.Name}
				at := c.mountFrom(i)
				if in[0].origin != nil {
					at = l.realmOf(in[0].origin).sourceText(l.keyedOf(in[0].origin))
				}
				sinks[r] = append(sinks[r], sink{c, "slot:" + m.Name, at, "slots." + m.Name})
			}
		}
	}
	var resources []ref
	for r := range sinks {
		resources = append(resources, r)
	}
	sort.Slice(resources, func(i, j int) bool {
		if resources[i].comp != resources[j].comp {
			return resources[i].comp < resources[j].comp
		}
		return resources[i].name < resources[j].name
	})
	for _, r := range resources {
		var distinct []sink
		seen := map[string]bool{}
		for _, s := range sinks[r] {
			key := fmt.Sprintf("%d/%s", s.comp.ID, s.id)
			if !seen[key] {
				seen[key] = true
				distinct = append(distinct, s)
			}
		}
		if len(distinct) < 2 {
			continue
		}
		labels := []diag.Label{distinct[0].at.label("one mounted sink uses this resource here", true)}
		for _, s := range distinct[1:] {
			labels = append(labels, s.at.label(fmt.Sprintf("another mounted sink uses `%s`", s.what), false))
		}
		owner := l.comps[r.comp]
		l.errorf(codes.StorageResourceFanout,
			fmt.Sprintf("storage resource `resources.%s` on %s fans out to multiple mounted storage sinks", r.name, owner.describe()), labels,
			"Allocated storage is exclusive today. Route a distinct storage resource to each mounted sink.")
	}
}

// storageRequiresResource reports the ith mount of c's lowered program, of
// storage slot slot.
func (l *linker) storageRequiresResource(c *Component, slot string, i int) {
	labels := []diag.Label{c.mountFrom(i).label("storage mount declared here", true)}
	if c.Parent != nil {
		if d := c.Parent.m.Component(c.Node.Name); d != nil {
			labels = append(labels, c.Parent.atKey(d.Key).label(fmt.Sprintf("component `%s` declared on %s", c.Node.Name, c.Parent.describe()), false))
		}
	}
	if sl := c.mm.slots[slot]; sl != nil {
		labels = append(labels, c.atKey(sl.Key).label(fmt.Sprintf("storage slot `%s` declared on %s", slot, c.Moniker), false))
	}
	l.errorf(codes.StorageMountRequiresResource,
		fmt.Sprintf("storage mount `slots.%s` on %s must resolve from a storage resource", slot, c.describe()), labels,
		"Declare `resources.<name>: { kind: \"storage\" }` and bind it to the mounted storage slot, or mount a local resource directly with `program.mounts: [{ from: \"resources.<name>\", path: ... }]`.")
}
