package analysis

import (
	"context"
	"path/filepath"
	"slices"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// The call hierarchy over capability flow: a component "calls" the
// components whose slots its provides (or resources) feed. It reads the
// linked scenario of the trees that contain a file, whose bindings run
// from the provide that serves a slot, through every `#child.export` and
// `slots.x` on the way, to the slot (linker.Result.Scenario); the
// bindings written on that way are where the call is made
// (linker.Result.Routes). A tree whose link failed has no scenario, and
// its components no calls.

// CallItem is a component of a linked tree, as the call hierarchy shows
// it: at its entry of its parent's `components`, or, for the root of a
// tree, at its own manifest.
type CallItem struct {
	Name   string // the entry's name; for a root, its file's base name
	Detail string // the component's moniker, and the tree's root
	File   string // the file it is shown in (an absolute path)
	// Span is the entry (for a root, the manifest's object); Selection is
	// its key (for a root, the `manifest_version` key).
	Span, Selection diag.Span
	// Root and Moniker identify the component: the root manifest of its
	// tree and its moniker there ("/" for the root).
	Root, Moniker string
}

// Call is one component that feeds or is fed by another, with the
// bindings that connect them: for an incoming call, the item is the
// provider; for an outgoing one, the consumer. Ranges are spans of the
// provider's item's file (the caller's, in LSP's words): the bindings of
// the route written there, else the exports there that offer the
// provide (the provider is a child of a child), else the provider's
// entry.
type Call struct {
	Item   CallItem    // the other component: provider or consumer
	Ranges []diag.Span // the spans described above
}

// PrepareCallHierarchy returns the components at byte offset off of the
// file at path: the entry of `components` (or the `#child` reference)
// there, else the file's own manifest, in every tree that contains it.
// It waits for the links of those trees.
func (s *Snapshot) PrepareCallHierarchy(ctx context.Context, path string, off int) (items []CallItem, err error) {
	defer recoverFeature("call hierarchy", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil {
		return nil, err
	}
	entry := ""
	if c := locate(f.syn, off); len(c.steps) >= 2 && c.steps[0].name == "components" && c.steps[0].member != nil && c.steps[1].member != nil {
		entry = c.steps[1].name
	} else if sym, ok := f.identify(off); ok && sym.section == "components" && sym.child != "" {
		entry = sym.child
	}
	links, err := s.LinksContaining(ctx, f.path)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if l.Result == nil {
			continue
		}
		for _, c := range l.Result.Components {
			var here bool
			if entry != "" {
				here = c.Parent != nil && localFile(c.Parent.Node.File) == f.path && c.Node.Name == entry
			} else {
				here = localFile(c.Node.File) == f.path
			}
			if here {
				if it, ok := callItem(l, c); ok {
					items = append(items, it)
				}
			}
		}
	}
	return items, ctx.Err()
}

// IncomingCalls returns the components whose provides or resources feed
// the slots of item's component, in id order.
func (s *Snapshot) IncomingCalls(ctx context.Context, item CallItem) (calls []Call, err error) {
	defer recoverFeature("incoming calls", item.File, &err)
	return s.calls(ctx, item, true)
}

// OutgoingCalls returns the components whose slots the provides or
// resources of item's component feed, in id order.
func (s *Snapshot) OutgoingCalls(ctx context.Context, item CallItem) (calls []Call, err error) {
	defer recoverFeature("outgoing calls", item.File, &err)
	return s.calls(ctx, item, false)
}

// calls lists the calls into (incoming) or out of item's component.
func (s *Snapshot) calls(ctx context.Context, item CallItem, incoming bool) ([]Call, error) {
	if item.Root == "" || !filepath.IsAbs(item.Root) {
		return nil, nil
	}
	l, err := s.Link(ctx, item.Root)
	if err != nil || l.Result == nil || !l.Result.Linked() {
		return nil, err
	}
	comps := l.Result.Components
	self := -1
	for _, c := range comps {
		if c.Moniker == item.Moniker {
			self = c.ID
		}
	}
	if self < 0 {
		return nil, nil
	}
	byOther := map[int]*Call{}
	var order []int
	for i, b := range l.Result.Scenario().Bindings {
		if b.From.Kind != scenario.FromComponent && b.From.Kind != scenario.FromResource {
			continue
		}
		provider, consumer := b.From.Component, b.To.Component
		other := provider
		if incoming && consumer != self || !incoming && provider != self {
			continue
		}
		if !incoming {
			other = consumer
		}
		if other < 0 || other >= len(comps) {
			continue
		}
		call := byOther[other]
		if call == nil {
			it, ok := callItem(l, comps[other])
			if !ok {
				continue
			}
			call = &Call{Item: it}
			byOther[other] = call
			order = append(order, other)
		}
		callerFile := item.File
		if incoming {
			callerFile = call.Item.File
		}
		var sites []diag.Span
		if i < len(l.Result.Routes()) {
			for _, site := range l.Result.Routes()[i] {
				if localFile(site.File) == callerFile {
					sites = append(sites, site.Span)
				}
			}
		}
		if len(sites) == 0 {
			// The provider is deeper in the tree: where its parent
			// re-exports the provide.
			sites = s.reexports(ctx, comps[provider], b.From.Name)
		}
		for _, sp := range sites {
			if !slices.Contains(call.Ranges, sp) {
				call.Ranges = append(call.Ranges, sp)
			}
		}
	}
	slices.Sort(order)
	var out []Call
	for _, id := range order {
		c := byOther[id]
		if len(c.Ranges) == 0 {
			// No binding of the route is written in the caller's file (a
			// component feeding its own child): point at the caller.
			caller := item
			if incoming {
				caller = c.Item
			}
			c.Ranges = []diag.Span{caller.Selection}
		}
		slices.SortFunc(c.Ranges, func(a, b diag.Span) int { return a.Start - b.Start })
		out = append(out, *c)
	}
	return out, ctx.Err()
}

// reexports returns the exports of c's parent that offer c's provide (or
// resource) name: `x: "#c.y"` where c's export y is the provide.
func (s *Snapshot) reexports(ctx context.Context, c *linker.Component, name string) []diag.Span {
	if c.Parent == nil {
		return nil
	}
	parent, err := s.featureFile(ctx, localFile(c.Parent.Node.File))
	if parent == nil || err != nil {
		return nil
	}
	own, _ := parent.run.open(localFile(c.Node.File))
	if own == nil {
		return nil
	}
	var out []diag.Span
	for _, m := range parent.entries("exports") {
		if m.Value.Kind != json5.String {
			continue
		}
		head, export, dot := splitDot(m.Value.Text)
		if dot < 0 || head != "#"+c.Node.Name {
			continue
		}
		hops, why := own.exportChain(export)
		if last := len(hops) - 1; why == "" && last > 0 && hops[last].file == own && hops[last].member.Key.Name == name {
			out = append(out, diag.Span{Start: m.Key.Start, End: m.Value.End})
		}
	}
	return out
}

// callItem makes the item of a component of a link; false when the file
// it is shown in is not local.
func callItem(l *RootLink, c *linker.Component) (CallItem, bool) {
	it := CallItem{Root: l.Root, Moniker: c.Moniker, Detail: c.Moniker + " in " + filepath.Base(l.Root)}
	if c.Parent == nil || c.Node.Decl == nil {
		it.File = localFile(c.Node.File)
		if !filepath.IsAbs(it.File) {
			return CallItem{}, false
		}
		it.Name = filepath.Base(it.File)
		if res := c.Node.Result; res != nil && res.Syntax != nil && res.Syntax.Root() != nil {
			root := res.Syntax.Root()
			it.Span = root.Span()
			if m := root.Member("manifest_version"); m != nil {
				it.Selection = m.Key.Span()
			} else {
				it.Selection = diag.Span{Start: root.Start, End: root.Start}
			}
		}
		return it, true
	}
	it.File = localFile(c.Parent.Node.File)
	if !filepath.IsAbs(it.File) {
		return CallItem{}, false
	}
	decl := c.Node.Decl
	it.Name = c.Node.Name
	it.Selection = decl.Key.Span()
	it.Span = it.Selection
	if decl.Node != nil && decl.Node.End > it.Span.End {
		it.Span.End = decl.Node.End
	}
	return it, true
}

// localFile returns the cleaned path of a file a link names by its local
// path or file: URL; other names (remote URLs) are returned unchanged.
func localFile(name string) string {
	if p, ok := linker.LocalPath(name); ok {
		name = p
	}
	if filepath.IsAbs(name) {
		return filepath.Clean(name)
	}
	return name
}
