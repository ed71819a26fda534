package overlay

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/render"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// previewJSON is the `--preview --format json` document (cli-json.md).
type previewJSON struct {
	Version     int              `json:"version"`
	Overlays    []previewOverlay `json:"overlays"`
	Scenario    json.RawMessage  `json:"scenario"`
	Diagnostics []any            `json:"diagnostics"`
}

type previewOverlay struct {
	Ref         string          `json:"ref"`
	DeclaredIn  location        `json:"declared_in"`
	Scope       string          `json:"scope"`
	Request     json.RawMessage `json:"request"`
	Edges       []previewEdge   `json:"edges"`
	Plan        json.RawMessage `json:"plan"`
	Interposers []previewInterp `json:"interposers"`
	TimingMS    timing          `json:"timing_ms"`
}

type location struct {
	File  string       `json:"file"`
	Range render.Range `json:"range"`
}

type previewEdge struct {
	ID         int             `json:"id"`
	Kind       EdgeKind        `json:"kind"`
	From       string          `json:"from,omitempty"`
	To         string          `json:"to,omitempty"`
	Capability json.RawMessage `json:"capability"`
}

type previewInterp struct {
	Moniker    string `json:"moniker"`
	AttachedTo []int  `json:"attached_to"`
}

type timing struct {
	Start   float64 `json:"start"`
	Request float64 `json:"request"`
}

// WriteJSON writes the preview as one compact JSON object. `request` is
// byte for byte the body POSTed; `plan` is the helper's answer (compacted;
// null when it was not JSON); `scenario` the rewritten scenario (null when
// the pass failed); `diagnostics` as in `--check --format json`. Secret
// values are masked in all of them (secret.go): a request, plan or
// scenario that holds one is written masked, re-encoded.
func (out *Outcome) WriteJSON(w io.Writer, diags []diag.Diagnostic, files *render.Files) error {
	doc := previewJSON{Version: 1, Overlays: []previewOverlay{}, Scenario: json.RawMessage("null"),
		Diagnostics: render.JSONDiagnostics(diags, files, "")}
	if out.Scenario != nil {
		doc.Scenario = maskJSON(out.Secrets, scenario.MustEncode(out.Scenario))
	}
	for _, r := range out.Runs {
		po := previewOverlay{Ref: r.Overlay.Ref, Scope: r.Request.Scope, Request: maskJSON(out.Secrets, r.Request.Body),
			DeclaredIn: location{File: r.Overlay.Decl.File, Range: files.RangeOf(r.Overlay.Decl.File, r.Overlay.Decl.Span)},
			Edges:      []previewEdge{}, Plan: json.RawMessage("null"), Interposers: []previewInterp{},
			TimingMS: timing{Start: ms(r.Start), Request: ms(r.RequestTime)}}
		if r.Reused {
			po.TimingMS.Start = 0
		}
		for _, e := range r.Request.Edges {
			po.Edges = append(po.Edges, previewEdge{ID: e.ID, Kind: e.Kind, From: e.From, To: e.To, Capability: scenario.MustEncode(e.Capability)})
		}
		if json.Valid(r.Body) {
			po.Plan = maskJSON(out.Secrets, r.Body)
		}
		for _, ip := range r.Interposers {
			ids := ip.AttachedTo
			if ids == nil {
				ids = []int{}
			}
			po.Interposers = append(po.Interposers, previewInterp{Moniker: ip.Moniker, AttachedTo: ids})
		}
		doc.Overlays = append(doc.Overlays, po)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func ms(d interface{ Seconds() float64 }) float64 {
	return float64(int64(d.Seconds()*1e4+0.5)) / 10
}

// WriteText writes the preview for people: per overlay its scope, the
// edges it saw with their ids, the plan's interposers, and at the end the
// rewritten edges.
func (out *Outcome) WriteText(w io.Writer, files *render.Files) {
	if len(out.Runs) == 0 {
		fmt.Fprintln(w, "no overlays to run")
		return
	}
	for _, r := range out.Runs {
		decl := r.Overlay.Decl
		pos := files.RangeOf(decl.File, decl.Span).Start
		fmt.Fprintf(w, "overlay %s in scope %s (%s:%d:%d)\n", r.Overlay.Ref, r.Request.Scope, filepath.Base(decl.File), pos.Line, pos.Column)
		switch {
		case r.Reused:
			fmt.Fprintf(w, "  helper %s: reused, request %.1f ms\n", r.Overlay.Display, ms(r.RequestTime))
		case r.Start > 0:
			fmt.Fprintf(w, "  helper %s: started in %.1f ms, request %.1f ms\n", r.Overlay.Display, ms(r.Start), ms(r.RequestTime))
		}
		fmt.Fprintf(w, "  edges (%d):\n", len(r.Request.Edges))
		for _, e := range r.Request.Edges {
			from, to := e.From, e.To
			if from == "" {
				from = "(outside)"
			}
			if to == "" {
				to = "(outside)"
			}
			fmt.Fprintf(w, "    %d  %-7s %s -> %s  [%s]\n", e.ID, e.Kind, from, to, e.Capability)
		}
		switch {
		case r.Plan == nil:
			fmt.Fprintln(w, "  plan: none (the overlay failed)")
		case len(r.Plan.Interpositions) == 0:
			fmt.Fprintln(w, "  plan: no interpositions")
		default:
			fmt.Fprintf(w, "  plan: %d interposition(s)\n", len(r.Plan.Interpositions))
			for _, ip := range r.Interposers {
				ids := make([]string, len(ip.AttachedTo))
				for i, id := range ip.AttachedTo {
					ids[i] = fmt.Sprint(id)
				}
				fmt.Fprintf(w, "    %s attached to %s\n", ip.Moniker, strings.Join(ids, ", "))
			}
		}
	}
	if out.Scenario == nil {
		return
	}
	fmt.Fprintln(w, "rewritten edges:")
	s := out.Scenario
	name := func(id int, n string) string {
		if c := s.Component(id); c != nil {
			return c.Moniker + "." + n
		}
		return fmt.Sprintf("#%d.%s", id, n)
	}
	for _, b := range s.Bindings {
		from := "external " + name(b.From.Component, b.From.Name)
		switch b.From.Kind {
		case scenario.FromComponent:
			from = name(b.From.Component, b.From.Name)
		case scenario.FromResource:
			from = name(b.From.Component, "resources."+b.From.Name)
		case scenario.FromFramework:
			from = "framework." + b.From.Name
		}
		weak := ""
		if b.Weak {
			weak = " (weak)"
		}
		fmt.Fprintf(w, "  %s -> %s%s\n", from, name(b.To.Component, b.To.Name), weak)
	}
	for _, x := range s.Exports {
		fmt.Fprintf(w, "  export %s <- %s\n", x.Name, name(x.From.Component, x.From.Name))
	}
}
