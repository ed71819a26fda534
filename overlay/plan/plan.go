package plan

import "github.com/amberlsp/amber-lsp/linker/scenario"

// Plan is a decoded interposition plan: an overlay helper's answer to one
// scope request (overlays.md §9).
type Plan struct {
	// Raw is the response body exactly as the helper returned it.
	Raw []byte
	// Interpositions in the helper's order; empty for a no-op plan.
	Interpositions []Interposition
}

// Interposition is one interposer and the request edges it sits on.
type Interposition struct {
	Interposer  Interposer   // the component to insert
	Attachments []Attachment // in the helper's order; validation requires one at least
}

// Interposer is the component an interposition inserts. JSON fields hold
// generic JSON (nil, bool, string, uint64, int64, float64, []any,
// map[string]any); absent and null both read as nil.
type Interposer struct {
	// Config is the interposer's authored `config`, composed against
	// the scope root's config like a child's; it requires ConfigSchema.
	Config       any
	ConfigSchema any // `config_schema`, a JSON Schema
	// Program is the lowered program (linker.md §8.3), nil when absent.
	Program *scenario.Program
	// Slots, Provides and Resources are the declarations by name; a
	// decoded plan holds empty maps, never nil, for absent members.
	Slots     map[string]scenario.SlotDecl
	Provides  map[string]scenario.ProvideDecl  // see Slots
	Resources map[string]scenario.ResourceDecl // see Slots
	Metadata  any                              // `metadata`, passed on unread
}

// Attachment puts an interposer on one request edge: the edge's upstream
// feeds the interposer slot, and the interposer provide feeds the edge's
// downstream.
type Attachment struct {
	// Target is the request's attachment id of the edge.
	Target  uint64
	Slot    string // interposer_slot
	Provide string // interposer_provide
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return p == nil || len(p.Interpositions) == 0 }

// JSONValue returns the plan as generic JSON in the response's shape, with
// every optional field written out (absent ones as null or {}), for previews;
// scenario.Encode prints it.
func (p *Plan) JSONValue() any {
	list := make([]any, len(p.Interpositions))
	for i, in := range p.Interpositions {
		list[i] = in.JSONValue()
	}
	return map[string]any{"interpositions": list}
}

// JSONValue implements scenario.Valuer.
func (in Interposition) JSONValue() any {
	atts := make([]any, len(in.Attachments))
	for i, a := range in.Attachments {
		atts[i] = a.JSONValue()
	}
	return map[string]any{"interposer": in.Interposer.JSONValue(), "attachments": atts}
}

// JSONValue implements scenario.Valuer.
func (ip Interposer) JSONValue() any {
	var program any
	if ip.Program != nil {
		program = ip.Program.JSONValue()
	}
	return map[string]any{
		"config":        ip.Config,
		"config_schema": ip.ConfigSchema,
		"program":       program,
		"slots":         values(ip.Slots),
		"provides":      values(ip.Provides),
		"resources":     values(ip.Resources),
		"metadata":      ip.Metadata,
	}
}

// JSONValue implements scenario.Valuer.
func (a Attachment) JSONValue() any {
	return map[string]any{"target": a.Target, "interposer_slot": a.Slot, "interposer_provide": a.Provide}
}

func values[V scenario.Valuer](m map[string]V) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v.JSONValue()
	}
	return out
}
