package plan

import (
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Scope is one overlay scope, with what plans for it are checked against and
// what the rewrite needs to map attachments back to the main scenario. The
// scope-request builder produces it along with the request body.
type Scope struct {
	// Moniker is the scope root's moniker R ("/" for the root).
	Moniker string
	// Root is the scope root's component id in the main scenario.
	Root int
	// ConfigSchema is the scope root's config_schema as a syntax tree (nil
	// when it has none). Interposer configs are composed against it and
	// Template like a child's config (overlays.md §10 step 4).
	ConfigSchema *json5.Node
	// Template is the scope root's composed config template (the linker's;
	// config.RootTemplate for the main root, which is also what nil means).
	Template *config.Template
	// Targets are the request's attachment targets, one per request id, in
	// id order (bindings, imports and exports of the request together).
	Targets []Target
}

// Target is one edge of the main scenario as a scope request shows it: the
// thing an attachment's `target` names.
type Target struct {
	// ID is the request's attachment id (dense from 0 within the scope).
	ID int
	// Binding is the index of the original edge in the main scenario's
	// Bindings (for request bindings, imports and binding-derived exports),
	// or -1 for a scenario export.
	Binding int
	// Export is the scenario export's name when Binding is -1.
	Export string
	// Side says which end of the edge the scope contains (overlays.md §11.2):
	// request bindings are SideCommon, imports SideTarget, and both kinds of
	// exports SideSource.
	Side Side
	// Capability is the request's `capability` of the edge: the target
	// slot's declaration for binding edges, the export's capability for
	// scenario exports.
	Capability scenario.Capability
}

// Side is the end of an edge a scope contains, which orders interposers
// chained on one edge (overlays.md §11.3).
type Side int

// Sides, in chaining order from the provider to the consumer.
const (
	// SideSource: only the provider is in scope (request exports).
	SideSource Side = iota
	// SideCommon: both ends are in scope (request bindings).
	SideCommon
	// SideTarget: only the consumer is in scope (request imports).
	SideTarget
)

// String names the side.
func (s Side) String() string {
	switch s {
	case SideSource:
		return "source"
	case SideCommon:
		return "common"
	case SideTarget:
		return "target"
	}
	return "side(?)"
}

// target returns the scope's target with the given id.
func (sc *Scope) target(id uint64) (Target, bool) {
	if id < uint64(len(sc.Targets)) && uint64(sc.Targets[id].ID) == id {
		return sc.Targets[id], true
	}
	for _, t := range sc.Targets {
		if uint64(t.ID) == id && t.ID >= 0 {
			return t, true
		}
	}
	return Target{}, false
}
