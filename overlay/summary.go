package overlay

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/overlay/plan"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// What an editor shows of a pass at a glance (code lenses, hovers, inlay
// hints): a summary line per overlay and its interposers with the edges
// they sit on. The full story is the diagnostics and the preview JSON.

// Inserted is one interposer of an overlay's plan, as previews show it.
type Inserted struct {
	// Moniker is the component the rewrite made of it; "" when the plan was
	// not applied (another overlay failed, or the rewrite did).
	Moniker string
	// Config is the interposer's config as the plan wrote it, compact JSON
	// (`null` when it has none): `${config.x}` values stay as written.
	Config []byte
	// Attachments are the request edges it sits on, with the interposer's
	// slot and provide.
	Attachments []Attached
}

// Attached is one attachment of an interposer: the edge, and the
// interposer's slot fed by the edge's provider and provide serving its
// consumer.
type Attached struct {
	Edge    Edge   // the request edge
	Slot    string // the interposer slot the edge's provider feeds
	Provide string // the interposer provide that serves the edge's consumer
}

// Inserted lists the interposers of r's plan in plan order; nil when r has
// no plan.
func (out *Outcome) Inserted(r *Run) []Inserted {
	if r.Plan == nil {
		return nil
	}
	list := make([]Inserted, 0, len(r.Plan.Interpositions))
	for i, ip := range r.Plan.Interpositions {
		in := Inserted{Config: out.shown(ip.Interposer.Config)}
		if i < len(r.Interposers) {
			in.Moniker = r.Interposers[i].Moniker
		}
		for _, a := range ip.Attachments {
			if int(a.Target) < len(r.Request.Edges) {
				in.Attachments = append(in.Attachments, Attached{Edge: r.Request.Edges[a.Target], Slot: a.Slot, Provide: a.Provide})
			}
		}
		list = append(list, in)
	}
	return list
}

// shown encodes a JSON value of a helper's plan for display. It is the one
// place plan values leave the pass for previews other than WriteJSON.
func (out *Outcome) shown(v any) []byte {
	b, err := scenario.Encode(v)
	if err != nil {
		return []byte("null")
	}
	return b
}

// Summary says in a few words what r's overlay did: "2 interposers on 2 http
// edges", "no interposer (3 edges seen)", or why it failed: "failed: helper
// timed out".
func (out *Outcome) Summary(r *Run) string {
	if r.Err != nil {
		return "failed: " + FailureWords(r.Err)
	}
	if r.Plan == nil {
		return "not run"
	}
	n := len(r.Plan.Interpositions)
	if n == 0 {
		return fmt.Sprintf("no interposer (%s seen)", plural(len(r.Request.Edges), "edge"))
	}
	var kinds []string
	count := map[string]int{}
	seen := map[int]bool{}
	for _, in := range out.Inserted(r) {
		for _, a := range in.Attachments {
			if seen[a.Edge.ID] {
				continue
			}
			seen[a.Edge.ID] = true
			k := a.Edge.Capability.Kind
			if count[k] == 0 {
				kinds = append(kinds, k)
			}
			count[k]++
		}
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = plural(count[k], k+" edge")
	}
	edges := strings.Join(parts, " and ")
	if len(kinds) > 2 {
		edges = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	s := plural(n, "interposer") + " on " + edges
	if out.Scenario == nil {
		s += ", not applied: another overlay failed"
	}
	return s
}

// FailureWords says in a few words why an overlay failed; its diagnostic
// has the whole message.
func FailureWords(err error) string {
	var (
		se   *hrt.StartError
		ie   *hrt.InvokeError
		spec *hrt.SpecError
		port *hrt.PortInUseError
		dock *hrt.DockerUnavailableError
		de   *plan.DecodeError
		ce   *config.Error
		ue   *UnsupportedError
		pe   plan.Error
	)
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &se) && se.TimedOut:
		return "helper did not become ready in time"
	case errors.As(err, &se):
		return "helper exited before it was ready"
	case errors.As(err, &ie):
		switch ie.Reason {
		case hrt.ReasonTimeout:
			return "helper timed out"
		case hrt.ReasonTransport:
			return "helper broke off the request"
		case hrt.ReasonTooLarge:
			return "helper's answer is too large"
		case hrt.ReasonNotUTF8:
			return "helper's answer is not UTF-8"
		case hrt.ReasonStatus:
			return "helper answered " + hrt.StatusText(ie.StatusCode)
		case hrt.ReasonNotHTTP:
			return "helper endpoint is not HTTP"
		}
		return "request to the helper failed"
	case errors.As(err, &port):
		return fmt.Sprintf("port %d is already in use", port.Port)
	case errors.As(err, &dock):
		return "no Docker engine"
	case errors.As(err, &spec), errors.As(err, &ue):
		return "helper cannot be run"
	case errors.As(err, &ce):
		return "helper config is incomplete"
	case errors.As(err, &de) && de.Syntax:
		return "helper's answer is not JSON"
	case errors.As(err, &de):
		return "helper's answer is not a plan"
	case errors.As(err, &pe):
		return "invalid plan"
	}
	return "overlay failed"
}

// plural is "1 edge", "2 edges".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
