package manifest

import (
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Spellings of the overlays draft and legacy forms that Amber rejects or
// reads only for compatibility. The decoder reports the draft's key and
// features; the editor features mark them deprecated.
const (
	// DraftOverlaysKey is the draft's root key for `overlays`.
	DraftOverlaysKey = "policies"
	// DraftOverlayProfile is the draft's profile for `overlay`. A profile
	// is any string, so it is a draft spelling only on the provide an
	// `overlays` entry resolves to, where the linker reports it
	// (compiler::invalid_overlay_export) with a fix that renames it.
	DraftOverlayProfile = "policy"
	// LegacySelf is the legacy reference to the component itself
	// (`self.<name>` for `provides.<name>` or `slots.<name>`).
	LegacySelf = "self"
)

// IsDraftFeature reports whether an experimental feature is one the
// overlays draft named (`governance`, `policies`).
func IsDraftFeature(name string) bool { return name == "governance" || name == "policies" }

// draftRootKey handles a root `policies` member: it is reported with a fix
// that renames it, and read as `overlays` so later checks still see the refs.
func (d *decoder) draftRootKey(m *Manifest, mem *json5.Member) bool {
	if mem.Key.Name != DraftOverlaysKey {
		return false
	}
	newKey := "overlays"
	if mem.Key.Quoted {
		newKey = `"overlays"`
	}
	d.addDraft(diag.Diagnostic{
		Code:     codes.DraftSpelling,
		Severity: diag.Error,
		Message:  "`policies` is the draft spelling of `overlays`; Amber only reads `overlays`",
		Labels:   []diag.Label{{Span: mem.Key.Span(), Message: "rename this key to `overlays`", Primary: true}},
		Help:     "Scenario overlays were renamed before release: write `overlays: [\"#<use>.<export>\", …]`.",
		Fixes: []diag.Fix{{Title: "Rename `policies` to `overlays`",
			Edits: []diag.Edit{{Span: mem.Key.Span(), NewText: newKey}}, Preferred: true}},
	})
	if _, dup := m.sectionKeys["overlays"]; dup || mem.Value.Kind != json5.Array {
		return true
	}
	m.sectionKeys["overlays"] = mem.Key
	for _, e := range mem.Value.Elems() {
		if e.Kind == json5.String {
			m.Overlays = append(m.Overlays, Str{e.Text, e})
		}
	}
	return true
}

// draftFeature handles `experimental_features` entries of the draft.
func (d *decoder) draftFeature(arr *json5.Node, i int) bool {
	e := arr.Elems()[i]
	if e.Kind != json5.String || !IsDraftFeature(e.Text) {
		return false
	}
	d.addDraft(diag.Diagnostic{
		Code:     codes.DraftSpelling,
		Severity: diag.Error,
		Message:  "experimental feature `" + e.Text + "` belongs to the overlays draft; overlays need no experimental feature",
		Labels:   []diag.Label{{Span: e.Span(), Message: "remove this feature", Primary: true}},
		Help:     "`use` and `overlays` are gated by `manifest_version: \"0.4.0\"` instead; the only experimental features are `docker` and `kvm`.",
		Fixes: []diag.Fix{{Title: "Remove experimental feature `" + e.Text + "`",
			Edits: []diag.Edit{{Span: elementRemovalSpan(arr, i)}}, Preferred: true}},
	})
	return true
}

// elementRemovalSpan is the text to delete to remove element i of an array,
// together with the separator that belongs to it.
func elementRemovalSpan(arr *json5.Node, i int) diag.Span {
	e := arr.Elems()[i]
	switch {
	case i+1 < len(arr.Elems()):
		return diag.Span{Start: e.Start, End: arr.Elems()[i+1].Start}
	case i > 0:
		return diag.Span{Start: arr.Elems()[i-1].End, End: e.End}
	case arr.Closed:
		return diag.Span{Start: arr.Start + 1, End: arr.End - 1}
	}
	return e.Span()
}
