package manifest

import (
	"strings"

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

// draftRootKey handles root member i, when it is `policies`. Alone, it is
// reported with a fix that renames it, and read as `overlays` so later
// checks still see the refs. Beside an `overlays` member, which Amber reads
// alone, it is not read, and its fix merges it into `overlays`: renaming it
// would repeat the key. A second `policies` without `overlays` has no fix
// until the first is renamed.
func (d *decoder) draftRootKey(m *Manifest, i int) bool {
	mem := m.Root.Members[i]
	if mem.Key.Name != DraftOverlaysKey {
		return false
	}
	dg := diag.Diagnostic{
		Code:     codes.DraftSpelling,
		Severity: diag.Error,
		Message:  "`policies` is the draft spelling of `overlays`; Amber only reads `overlays`",
		Labels:   []diag.Label{{Span: mem.Key.Span(), Message: "rename this key to `overlays`", Primary: true}},
		Help:     "Scenario overlays were renamed before release: write `overlays: [\"#<use>.<export>\", …]`.",
	}
	ov := d.overlaysMember(m.Root)
	_, renamed := m.sectionKeys["overlays"] // an earlier `policies`, read as `overlays`
	switch {
	case ov != nil:
		dg.Labels[0].Message = "merge this key into `overlays`"
		if fix, ok := d.mergeFix(m.Root, ov, i); ok {
			dg.Fixes = []diag.Fix{fix}
		}
	case !renamed:
		newKey := "overlays"
		if mem.Key.Quoted {
			newKey = `"overlays"`
		}
		dg.Fixes = []diag.Fix{{Title: "Rename `policies` to `overlays`",
			Edits: []diag.Edit{{Span: mem.Key.Span(), NewText: newKey}}, Preferred: true}}
	}
	d.addDraft(dg)
	if ov != nil || renamed || mem.Value.Kind != json5.Array {
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

// overlaysMember returns the first root member `overlays` of root, nil
// when there is none; the members are scanned once per decoding.
func (d *decoder) overlaysMember(root *json5.Node) *json5.Member {
	if !d.overlaysScanned {
		d.overlaysScanned = true
		for _, mem := range root.Members {
			if mem.Key.Name == "overlays" {
				d.overlays = mem
				break
			}
		}
	}
	return d.overlays
}

// mergeFix is the fix of root member i, a `policies` beside the member ov,
// `overlays`: the entries of `policies` that `overlays` lacks join it, at
// its start when `policies` comes first in the file and at its end
// otherwise, and `policies` is removed. It is the safe fix only when no
// entry joins, for where new entries belong in the order of overlays is
// the author's call. None when either array is not whole, or `policies`
// holds something else than strings.
func (d *decoder) mergeFix(root *json5.Node, ov *json5.Member, i int) (diag.Fix, bool) {
	pol := root.Members[i]
	if ov.Value.Kind != json5.Array || !ov.Value.Closed || pol.Value.Kind != json5.Array || !pol.Value.Closed {
		return diag.Fix{}, false
	}
	have := map[string]bool{}
	for _, e := range ov.Value.Elems() {
		if e.Kind == json5.String {
			have[e.Text] = true
		}
	}
	var add []string
	for _, e := range pol.Value.Elems() {
		if e.Kind != json5.String {
			return diag.Fix{}, false
		}
		if !have[e.Text] {
			add = append(add, string(d.src[e.Start:e.End]))
		}
	}
	remove := diag.Edit{Span: memberRemovalSpan(d.src, root, i)}
	if len(add) == 0 {
		return diag.Fix{Title: "Remove `policies`, whose entries `overlays` has", Edits: []diag.Edit{remove}, Preferred: true}, true
	}
	text := strings.Join(add, ", ")
	elems := ov.Value.Elems()
	var insert diag.Edit
	switch {
	case len(elems) == 0:
		insert = diag.Edit{Span: diag.Span{Start: ov.Value.Start + 1, End: ov.Value.Start + 1}, NewText: text}
	case pol.Key.Start < ov.Key.Start:
		insert = diag.Edit{Span: diag.Span{Start: elems[0].Start, End: elems[0].Start}, NewText: text + ", "}
	default:
		end := elems[len(elems)-1].End
		insert = diag.Edit{Span: diag.Span{Start: end, End: end}, NewText: ", " + text}
	}
	edits := []diag.Edit{remove, insert}
	if insert.Span.Start < remove.Span.Start {
		edits[0], edits[1] = insert, remove
	}
	return diag.Fix{Title: "Merge `policies` into `overlays`", Edits: edits}, true
}

// memberRemovalSpan is the text to delete to remove member i of object
// obj: its whole lines when nothing else is written on them (a line
// comment after it goes with it), else the member with its comma (or,
// for a last member without one, the comma before it).
func memberRemovalSpan(src []byte, obj *json5.Node, i int) diag.Span {
	mem := obj.Members[i]
	end := mem.Value.End
	if mem.Comma >= 0 {
		end = mem.Comma + 1
	}
	start := mem.Key.Start
	lineStart := start
	for lineStart > 0 && (src[lineStart-1] == ' ' || src[lineStart-1] == '\t') {
		lineStart--
	}
	after := end
	for after < len(src) && (src[after] == ' ' || src[after] == '\t' || src[after] == '\r') {
		after++
	}
	if after+1 < len(src) && src[after] == '/' && src[after+1] == '/' {
		for after < len(src) && src[after] != '\n' {
			after++
		}
	}
	switch {
	case (lineStart == 0 || src[lineStart-1] == '\n') && (after == len(src) || src[after] == '\n'):
		return diag.Span{Start: lineStart, End: min(after+1, len(src))}
	case mem.Comma >= 0:
		for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
			end++
		}
		return diag.Span{Start: start, End: end}
	case i > 0 && obj.Members[i-1].Comma >= 0:
		return diag.Span{Start: obj.Members[i-1].Comma, End: end}
	}
	return diag.Span{Start: start, End: end}
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

// draftVersion completes the draft's fixes of a manifest whose version is
// older than 0.4.0, which `use` and `overlays` need: each also sets
// `manifest_version` to "0.4.0" (the migration of spec overlays.md §15).
// Their version edits are the same, so that all apply together.
func (d *decoder) draftVersion(m *Manifest) {
	if len(d.draft) == 0 || m.Version == nil || versionAtLeast(m.Version.Value, overlaysVersion) {
		return
	}
	v := m.Version.Node
	edit := diag.Edit{Span: diag.Span{Start: v.Start + 1, End: v.End - 1}, NewText: overlaysVersion}
	for i := range d.draft {
		for j := range d.draft[i].Fixes {
			f := &d.draft[i].Fixes[j]
			f.Title += " and set `manifest_version` to \"" + overlaysVersion + "\""
			f.Edits = append(f.Edits, edit)
		}
	}
}

// overlaysVersion is the manifest version that brought `use` and `overlays`.
const overlaysVersion = "0.4.0"

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
