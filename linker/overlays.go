package linker

import (
	"fmt"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Scope is an overlay scope: a main-tree component whose manifest lists
// overlays (overlays.md §4).
type Scope struct {
	Root     *Component     // the component whose manifest lists the overlays
	Overlays []manifest.Str // the authored `overlays` entries, `#alias.export`
}

// scopes lists the overlay scopes in pre-order.
func (l *linker) scopes() []Scope {
	var out []Scope
	for _, c := range l.comps {
		if len(c.m.Overlays) > 0 {
			out = append(out, Scope{Root: c, Overlays: c.m.Overlays})
		}
	}
	return out
}

// useEnd is where an overlay reference's export chain ends inside a use
// subtree.
type useEnd struct {
	node *Node
	name string
	slot bool
}

// resolveUseExport follows export name of a use subtree's manifest through
// child export chains (overlays.md §3 step 2).
func resolveUseExport(n *Node, name string) (useEnd, bool) {
	for {
		if n.Opaque { // not fetched: nothing can be said of the export
			return useEnd{node: n, name: name}, true
		}
		m := n.Manifest()
		var x *manifest.Export
		for _, e := range m.Exports {
			if e.Name == name {
				x = e
				break
			}
		}
		if x == nil {
			return useEnd{}, false
		}
		switch x.Kind {
		case manifest.ExportChild:
			var next *Node
			for _, c := range n.Children {
				if c.Name == x.Child {
					next = c
				}
			}
			if next == nil {
				return useEnd{}, false
			}
			n, name = next, x.Capability
		case manifest.ExportProvide:
			return useEnd{n, x.Capability, false}, findProvide(m, x.Capability) != nil
		case manifest.ExportSlot:
			return useEnd{n, x.Capability, true}, findSlot(m, x.Capability) != nil
		default:
			if findProvide(m, x.Capability) != nil {
				return useEnd{n, x.Capability, false}, true
			}
			return useEnd{n, x.Capability, true}, findSlot(m, x.Capability) != nil
		}
	}
}

func findProvide(m *manifest.Manifest, name string) *manifest.Provide {
	for _, p := range m.Provides {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func findSlot(m *manifest.Manifest, name string) *manifest.Slot {
	for _, s := range m.Slots {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// checkOverlays runs the link-time checks of overlay references
// (overlays.md §3): every overlay must resolve to an exported `http`
// provide with profile `overlay`, served over HTTP.
//
// Amber returns the first of these errors alone, in place of every other
// link error; amber-lsp reports each of them beside the other link errors,
// so one edit shows every problem.
func (l *linker) checkOverlays() {
	for _, sc := range l.scopes() {
		c := sc.Root
		uses := map[string]*Node{}
		for _, u := range c.Node.Uses {
			uses[u.Name] = u
		}
		l.checkUseConfigs(c, uses)
		for _, o := range sc.Overlays {
			ref, ok := manifest.ParseOverlayRef(o.Value)
			use := uses[ref.Use]
			if !ok || use == nil {
				continue // rejected at parse time
			}
			at := c.at(o.Node)
			end, ok := resolveUseExport(use, ref.Export)
			if !ok {
				l.errorf(codes.OverlayExportUnresolved,
					fmt.Sprintf("overlay `%s` could not resolve export `%s` from use `#%s`", o.Value, ref.Export, ref.Use),
					[]diag.Label{at.label("overlay referenced here", true)},
					"Ensure the used manifest exports this capability and that any child export chain resolves to a real export.")
				continue
			}
			if !end.node.Opaque {
				l.checkOverlayEnd(o, ref, at, end)
			}
		}
	}
}

const overlayExportHelp = "An overlay reference must target an exported `http` provide with `profile: \"overlay\"`. Update the exported provide or reference a different export."

func (l *linker) checkOverlayEnd(o manifest.Str, ref manifest.OverlayRef, at span, end useEnd) {
	m := end.node.Manifest()
	related := func(key diag.Span) diag.Label {
		return diag.Label{File: end.node.File, Span: key, Message: fmt.Sprintf("overlay reference `%s` resolves here", o.Value)}
	}
	if end.slot {
		s := findSlot(m, end.name)
		l.errorf(codes.InvalidOverlayExport,
			fmt.Sprintf("overlay reference `%s` is invalid: export `%s` resolves to slot `%s`; expected an exported provide", o.Value, ref.Export, end.name),
			[]diag.Label{at.label("overlay reference here", true), related(keySpan(s.Key))}, overlayExportHelp)
		return
	}
	p := findProvide(m, end.name)
	got := scenario.Capability{Kind: p.Kind.Value, Profile: optValue(p.Profile)}
	overlay := "overlay"
	if !got.Equal(scenario.Capability{Kind: scenario.KindHTTP, Profile: &overlay}) {
		l.addError(diag.Diagnostic{
			Code:     codes.InvalidOverlayExport,
			Severity: diag.Error,
			Message:  fmt.Sprintf("overlay reference `%s` is invalid: export `%s` resolves to provide `%s` with capability `%s`; expected `kind: \"http\"` and `profile: \"overlay\"`", o.Value, ref.Export, end.name, got),
			Labels:   []diag.Label{at.label("overlay reference here", true), related(keySpan(p.Key))},
			Help:     overlayExportHelp,
			Fixes:    draftProfileFix(end.node, p),
		})
		return
	}
	// amber-lsp's own rule (overlays.md §3.1): helpers are called over HTTP.
	if p.Endpoint == nil || m.Program == nil {
		return
	}
	network := m.Program.Network
	if m.Program.VM != nil {
		network = m.Program.VM.Network
	}
	if network == nil {
		return
	}
	for _, ep := range network.Endpoints {
		if ep.Name.Value != p.Endpoint.Value || ep.Protocol == nil || !isLiteral(ep.Protocol.Value) {
			continue
		}
		proto := ep.Protocol.Value
		if proto != "tcp" && proto != "https" {
			return
		}
		d := diag.Diagnostic{
			Code:     codes.OverlayEndpointNotHTTP,
			Severity: diag.Error,
			Message: fmt.Sprintf("overlay reference `%s` is invalid: export `%s` resolves to provide `%s` on endpoint `%s` with protocol `%s`; overlays are called over HTTP",
				o.Value, ref.Export, end.name, p.Endpoint.Value, proto),
			Labels: []diag.Label{at.label("overlay reference here", true), related(keySpan(p.Key)),
				{File: end.node.File, Span: end.node.span(ep.Protocol.Node), Message: "endpoint protocol declared here"}},
			Help: "Overlay helpers receive their request as an HTTP POST: declare the endpoint with `protocol: \"http\"`.",
		}
		if proto == "https" {
			d.Severity = diag.Warning
			d.Help = "amber-lsp and Amber call overlay helpers with plain `http://` URLs even when the endpoint says `https`."
		}
		l.errs = append(l.errs, d)
		return
	}
}

// draftProfileFix renames the overlays draft's profile `policy` of provide
// p, the one an overlay reference resolves to, to `overlay` in the manifest
// of n (spec overlays.md §15); nil for any other profile, or a manifest
// that is not a local file or whose spans are not known. The fix is the
// preferred one when the provide is `http`, which the rename makes an
// overlay provide.
func draftProfileFix(n *Node, p *manifest.Provide) []diag.Fix {
	if p.Profile == nil || p.Profile.Value != manifest.DraftOverlayProfile || p.Profile.Node.Kind != json5.String {
		return nil
	}
	if _, local := LocalPath(n.Observed); !local || !n.Result.Syntax.SpanGrammarOK {
		return nil
	}
	v := p.Profile.Node
	return []diag.Fix{{
		Title:     "Rename profile `" + manifest.DraftOverlayProfile + "` to `overlay`",
		Edits:     []diag.Edit{{File: n.File, Span: diag.Span{Start: v.Start + 1, End: v.End - 1}, NewText: "overlay"}},
		Preferred: p.Kind.Value == scenario.KindHTTP,
	}}
}

// isLiteral reports a string without interpolation.
func isLiteral(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '$' && s[i+1] == '{' {
			return false
		}
	}
	return true
}
