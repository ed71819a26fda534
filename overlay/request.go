// Package overlay runs Amber's scenario overlays: it builds each scope's
// request from the optimised scenario, runs the helper programs, decodes and
// validates their interposition plans, and rewrites the scenario
// (overlays.md §7-§13). The static checks live in package linker.
package overlay

import (
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// EdgeKind says which list of a request an edge is in.
type EdgeKind string

// Edge kinds (overlays.md §8.2).
const (
	EdgeBinding EdgeKind = "binding" // both ends in scope
	EdgeImport  EdgeKind = "import"  // only the target in scope
	EdgeExport  EdgeKind = "export"  // only the source in scope, or a scenario export
)

// Edge is an edge of a scope's request, with the attachment id a plan uses
// to name it.
type Edge struct {
	ID   int      // the attachment id, dense from 0 within the scope
	Kind EdgeKind // which list of the request holds it
	// Binding is the index of the edge in the scenario's Bindings; -1 for a
	// scenario export, named by Export.
	Binding    int
	Export     string              // the scenario export's name; "" for a binding's edge
	Capability scenario.Capability // the target slot's, or the scenario export's
	// From and To render the ends as `moniker.name`; empty on the side
	// outside the scope.
	From, To string
}

// Request is the body POSTed to every overlay of one scope, and its edges.
type Request struct {
	Scope string // the scope root's moniker
	Body  []byte // the JSON POSTed (overlays.md §8.3)
	Edges []Edge // in id order
}

// InScope reports whether a moniker lies in the scope rooted at root.
func InScope(root, moniker string) bool {
	return root == "/" || moniker == root || strings.HasPrefix(moniker, root+"/")
}

// MissingTargetSlotError is compiler::overlay_pass_missing_target_slot.
type MissingTargetSlotError struct {
	Component string // the target component's moniker, or `#id` when it is gone
	Slot      string // the slot the binding names on it
	Scope     string // the scope root's moniker
}

// Error returns the error's message.
func (e *MissingTargetSlotError) Error() string {
	return fmt.Sprintf("binding target `%s.%s` is missing while building overlay input for scope `%s`", e.Component, e.Slot, e.Scope)
}

// BuildRequest builds the request of the scope rooted at the component with
// moniker root, from the optimised scenario (overlays.md §8).
func BuildRequest(s *scenario.Scenario, root string) (*Request, error) {
	in := func(id int) bool {
		c := s.Component(id)
		return c != nil && InScope(root, c.Moniker)
	}
	name := func(id int, n string) string {
		if c := s.Component(id); c != nil {
			return c.Moniker + "." + n
		}
		return fmt.Sprintf("#%d.%s", id, n)
	}
	req := &Request{Scope: root}
	components, bindings, imports, exports := []any{}, []any{}, []any{}, []any{}
	for _, c := range s.Components {
		if c != nil && InScope(root, c.Moniker) {
			components = append(components, c.JSONValue())
		}
	}
	for i, b := range s.Bindings {
		srcIn := b.From.Kind != scenario.FromExternal && in(b.From.Component)
		dstIn := in(b.To.Component)
		if !srcIn && !dstIn {
			continue
		}
		target := s.Component(b.To.Component)
		slot, ok := scenario.SlotDecl{}, false
		if target != nil {
			slot, ok = target.Slots[b.To.Name]
		}
		if !ok {
			moniker := fmt.Sprintf("#%d", b.To.Component)
			if target != nil {
				moniker = target.Moniker
			}
			return nil, &MissingTargetSlotError{Component: moniker, Slot: b.To.Name, Scope: root}
		}
		e := Edge{ID: len(req.Edges), Binding: i, Capability: slot.Capability}
		item := map[string]any{"capability": slot.Capability.JSONValue(), "id": e.ID}
		switch {
		case srcIn && dstIn:
			e.Kind, e.From, e.To = EdgeBinding, name(b.From.Component, b.From.Name), name(b.To.Component, b.To.Name)
			item["from"], item["to"] = b.From.JSONValue(), b.To.JSONValue()
			bindings = append(bindings, item)
		case dstIn:
			e.Kind, e.To = EdgeImport, name(b.To.Component, b.To.Name)
			item["to"] = b.To.JSONValue()
			imports = append(imports, item)
		default:
			e.Kind, e.From = EdgeExport, name(b.From.Component, b.From.Name)
			item["from"] = b.From.JSONValue()
			exports = append(exports, item)
		}
		req.Edges = append(req.Edges, e)
	}
	for _, x := range s.Exports {
		if !in(x.From.Component) {
			continue
		}
		e := Edge{ID: len(req.Edges), Kind: EdgeExport, Binding: -1, Export: x.Name, Capability: x.Capability, From: name(x.From.Component, x.From.Name)}
		from := scenario.Source{Kind: scenario.FromComponent, Component: x.From.Component, Name: x.From.Name}
		exports = append(exports, map[string]any{"capability": x.Capability.JSONValue(), "from": from.JSONValue(), "id": e.ID})
		req.Edges = append(req.Edges, e)
	}
	body, err := scenario.Encode(map[string]any{"scope": map[string]any{
		"bindings": bindings, "components": components, "exports": exports, "imports": imports,
	}})
	if err != nil {
		return nil, err
	}
	req.Body = body
	return req, nil
}
