package analysis

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Inlay hints are short notes the editor shows inside the text: what the
// linked graph or the declarations know at a place and the text does not
// say. Each kind of hint is one provider; InlayHints runs them all.

// InlayKind says what an inlay hint shows.
type InlayKind int

// Inlay hint kinds.
const (
	InlayType  InlayKind = iota + 1 // a type: a binding's capability kind
	InlayValue                      // a value: a config default, a count
)

// InlayHint is a note shown before the byte at Offset.
type InlayHint struct {
	Offset  int       // byte offset in the manifest
	Label   string    // the text shown, e.g. ": http" or "= 8080"
	Kind    InlayKind // whether the hint is a type or a value
	Tooltip string    // plain text; "" for none
	// PadLeft asks for a space before the label.
	PadLeft bool
}

// An inlayProvider adds the hints of one kind for the part of f within
// the span asked about (add drops those outside it).
type inlayProvider func(f *featureFile, within diag.Span, add func(InlayHint))

// inlayProviders are the kinds of inlay hints, in the order they are asked.
var inlayProviders = []inlayProvider{
	bindingKindHints,   // `: a2a` after a binding's target
	configDefaultHints, // `= "default"` after an interpolated config reference
	templateCountHints, // `× N` after a child template's manifest
	previewHints,       // `via /__overlay_0_0` after a binding an interposer sits on (preview_lens.go)
}

// InlayHints returns the inlay hints of the manifest at path whose offset
// lies within the span, in text order.
func (s *Snapshot) InlayHints(ctx context.Context, path string, within diag.Span) (hints []InlayHint, err error) {
	defer recoverFeature("inlay hints", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil || f.root == nil {
		return nil, err
	}
	add := func(h InlayHint) {
		if within.Start <= h.Offset && h.Offset <= within.End && h.Label != "" {
			hints = append(hints, h)
		}
	}
	for _, p := range inlayProviders {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p(f, within, add)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(hints, func(a, b InlayHint) int { return a.Offset - b.Offset })
	return hints, nil
}

// nodeTouches reports whether node n overlaps span s (or touches its ends).
func nodeTouches(n *json5.Node, s diag.Span) bool { return touches(n.Span(), s) }

// strField returns the string value of member key of object n, or "".
func strField(n *json5.Node, key string) string {
	if v := n.Get(key); v != nil && v.Kind == json5.String {
		return v.Text
	}
	return ""
}

// bindingKindHints shows the capability kind of each binding after its
// `to`: the kind of the target slot, from the linked graph when a link is
// ready, else from the child's declarations; failing that, the kind of the
// source.
func bindingKindHints(f *featureFile, within diag.Span, add func(InlayHint)) {
	list := f.section("bindings")
	if list == nil || list.Kind != json5.Array {
		return
	}
	for _, b := range list.Elems() {
		if b.Kind != json5.Object || !nodeTouches(b, within) || f.run.ctx.Err() != nil {
			continue
		}
		to := b.Get("to")
		if to == nil || to.Kind != json5.String {
			continue
		}
		if kind, from := f.bindingKind(b); kind != "" {
			add(InlayHint{Offset: to.End, Label: ": " + kind, Kind: InlayType, Tooltip: "capability kind of the " + from})
		}
	}
}

// bindingKind returns the capability kind binding b carries and what says
// so ("target slot" or "source").
func (f *featureFile) bindingKind(b *json5.Node) (kind, from string) {
	child, slot, dot := splitDot(strField(b, "to"))
	if dot < 0 {
		slot = strField(b, "slot")
	}
	if name, ok := strings.CutPrefix(child, "#"); ok && name != "" && slot != "" {
		if k := f.childSlotKind(name, slot); k != "" {
			return k, "target slot"
		}
	}
	head, tail, dot := splitDot(strField(b, "from"))
	if dot < 0 {
		tail = strField(b, "capability")
	}
	if tail == "" {
		return "", ""
	}
	return f.sourceKind(head, tail), "source"
}

// childSlotKind returns the kind of slot of child name: the linked
// manifest's when a link is ready, else the child file's declaration.
func (f *featureFile) childSlotKind(name, slot string) string {
	if n := f.linkedChild("components", name); n != nil && n.Result != nil && n.Result.Manifest != nil {
		for _, s := range n.Manifest().Slots {
			if s.Name == slot {
				return s.Kind.Value
			}
		}
		return ""
	}
	if c := f.child("components", name); c.file != nil {
		return memberKind(c.file.entry("slots", slot))
	}
	return ""
}

// sourceKind returns the kind of a binding source `head.name`.
func (f *featureFile) sourceKind(head, name string) string {
	switch {
	case head == "slots", head == "provides", head == "resources":
		return memberKind(f.entry(head, name))
	case head == "framework":
		if _, ok := manifest.Enum(manifest.EnumFramework).Value(name); ok {
			return name // a framework capability has the kind of its name
		}
	case head == manifest.LegacySelf:
		if m := f.entry("provides", name); m != nil {
			return memberKind(m)
		}
		return memberKind(f.entry("slots", name))
	case strings.HasPrefix(head, "#") && len(head) > 1:
		c := f.child("components", head[1:])
		if c.file == nil {
			return ""
		}
		hops, _ := c.file.exportChain(name)
		if n := len(hops); n > 0 && hops[n-1].section != "exports" {
			return memberKind(hops[n-1].member)
		}
	}
	return ""
}

// memberKind returns the `kind` of a slot, provide or resource declaration.
func memberKind(m *json5.Member) string {
	if m == nil {
		return ""
	}
	return strField(m.Value, "kind")
}

// maxHintLabel bounds the length of a value shown in a hint.
const maxHintLabel = 60

// configDefaultHints shows, after an interpolated string whose config
// references all have defaults, the string those defaults make; where some
// reference has none (or reads slots), each reference with a default gets
// its own hint after its `}`. Defaults of secret properties (`secret: true`
// on the property or above it) are never shown.
func configDefaultHints(f *featureFile, within diag.Span, add func(InlayHint)) {
	schema := f.section("config_schema")
	if schema == nil || schema.Kind != json5.Object {
		return
	}
	var walk func(n *json5.Node, place manifest.Place)
	walk = func(n *json5.Node, place manifest.Place) {
		if !nodeTouches(n, within) || f.run.ctx.Err() != nil {
			return
		}
		switch n.Kind {
		case json5.Object:
			if place.Value.Has(manifest.ShapeSchema) || place.Value.Has(manifest.ShapeJSON) {
				return
			}
			for _, m := range n.Members {
				if p, ok := place.Key(m.Key.Name); ok {
					walk(m.Value, p)
				}
			}
		case json5.Array:
			if elem, ok := place.Elem(); ok {
				for _, e := range n.Elems() {
					walk(e, elem)
				}
			}
		case json5.String:
			for _, form := range place.Value {
				if form.Syntax == manifest.SyntaxInterpolation || form.Shape == manifest.ShapeConfig {
					f.defaultHints(schema, n, add)
					return
				}
			}
		}
	}
	walk(f.root, manifest.Root())
}

// defaultHints adds the config default hints of interpolated string n.
func (f *featureFile) defaultHints(schema, n *json5.Node, add func(InlayHint)) {
	if !strings.Contains(n.Text, "${") || interp.IsSymbolic(n.Text) {
		return
	}
	tpl, err := interp.Parse(n.Text)
	if err != nil {
		return
	}
	var b strings.Builder
	whole := true
	type known struct {
		end   int
		value string
	}
	var each []known
	for _, p := range tpl.Parts {
		if p.Kind == interp.Literal {
			b.WriteString(p.Text)
			continue
		}
		d, isString, ok := f.configDefault(schema, p.Ref)
		if !ok {
			whole = false
			continue
		}
		each = append(each, known{p.End, d})
		if isString {
			var s string
			json.Unmarshal([]byte(d), &s)
			b.WriteString(s)
		} else {
			b.WriteString(d)
		}
	}
	tooltip := "with the defaults of this manifest's config_schema"
	if whole && len(each) > 0 {
		label := quoteJSON(b.String())
		if len(tpl.Parts) == 1 {
			label = each[0].value // the default itself, whatever its type
		}
		add(InlayHint{Offset: n.End, Label: "= " + shorten(label), Kind: InlayValue, Tooltip: tooltip, PadLeft: true})
		return
	}
	for _, k := range each {
		add(InlayHint{Offset: interp.SourceSpan(n, k.end, k.end).Start, Label: "= " + shorten(k.value), Kind: InlayValue, Tooltip: tooltip, PadLeft: true})
	}
}

// configDefault returns the default of the config property a reference
// names, as JSON, and whether it is a string; false when the reference is
// no config property with a default, or a secret one.
func (f *featureFile) configDefault(schema *json5.Node, r interp.Ref) (string, bool, bool) {
	if r.Source != interp.Config || len(r.Segments) == 0 {
		return "", false, false
	}
	segs := make([]string, len(r.Segments))
	for i, s := range r.Segments {
		segs[i] = s.Name
	}
	prop, _, ok := schemaPropAt(schema, segs)
	if !ok {
		return "", false, false
	}
	if secret, holdsSecrets := config.SecretAt(schema.Value(), segs); secret || holdsSecrets {
		return "", false, false
	}
	d := schemaField(schema, prop.member.Value, "default")
	if d == nil {
		return "", false, false
	}
	if d.Kind == json5.String {
		return quoteJSON(d.Text), true, true
	}
	return f.snippet(d, maxHintLabel+1), false, true
}

// quoteJSON writes s as a JSON string.
func quoteJSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// shorten cuts a label to maxHintLabel bytes (at a character boundary).
func shorten(s string) string {
	if len(s) <= maxHintLabel {
		return s
	}
	cut := maxHintLabel
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// maxTemplateCount bounds the manifests read to count a template's
// components.
const maxTemplateCount = 10000

// templateCountHints shows, after each child template's `manifest`, how
// many components one child created from it brings: its manifest and their
// children, from the linked tree when a link is ready, else from the files
// the references name. A template with several manifests shows the range.
func templateCountHints(f *featureFile, within diag.Span, add func(InlayHint)) {
	for _, m := range f.entries("child_templates") {
		ref := m.Value.Get("manifest")
		if ref == nil || !nodeTouches(ref, within) || f.run.ctx.Err() != nil {
			continue
		}
		counts := f.linkedTemplateCounts(m.Key.Name)
		if counts == nil {
			counts = f.templateCounts(ref)
		}
		if len(counts) == 0 {
			continue
		}
		lo, hi := slices.Min(counts), slices.Max(counts)
		label := "× " + strconv.Itoa(lo)
		if hi != lo {
			label += "–" + strconv.Itoa(hi)
		}
		tooltip := "components each child of template `" + m.Key.Name + "` brings: its manifest and the children below it"
		add(InlayHint{Offset: ref.End, Label: label, Kind: InlayValue, Tooltip: tooltip, PadLeft: true})
	}
}

// linkedTemplateCounts returns the component count of each manifest of
// template name as a ready link resolved them, or nil without one.
func (f *featureFile) linkedTemplateCounts(name string) []int {
	for _, l := range f.run.links(f.path) {
		for _, n := range l.Nodes(f.path) {
			if ts, ok := n.Templates[name]; ok && len(ts) > 0 {
				counts := make([]int, len(ts))
				for i, t := range ts {
					counts[i] = linkedCount(t, 0)
				}
				return counts
			}
		}
	}
	return nil
}

// linkedCount counts a resolved node and the children below it.
func linkedCount(n *linker.Node, depth int) int {
	if n == nil || depth > maxExportHops*4 {
		return 0
	}
	count := 1
	for _, c := range n.Children {
		count += linkedCount(c, depth+1)
	}
	return count
}

// templateCounts counts the components behind each local manifest
// reference of a template's `manifest` value (a reference, `{ url }`, or
// an array of them); nil when one cannot be read.
func (f *featureFile) templateCounts(v *json5.Node) []int {
	refs := []*json5.Node{v}
	if v.Kind == json5.Array {
		refs = v.Elems()
	}
	budget := maxTemplateCount
	var counts []int
	for _, r := range refs {
		ref := refNode(r)
		if ref == nil {
			return nil
		}
		p, ok := linker.ResolveLocalRef(f.path, ref.Text)
		if !ok {
			return nil
		}
		c, ok := f.countTree(p, map[string]bool{}, &budget)
		if !ok {
			return nil
		}
		counts = append(counts, c)
	}
	return counts
}

// countTree counts the manifest at path and the children below it, as the
// files say; false when one cannot be read, the children form a cycle or
// the budget of files runs out.
func (f *featureFile) countTree(path string, visiting map[string]bool, budget *int) (int, bool) {
	if visiting[path] || *budget <= 0 || f.run.ctx.Err() != nil {
		return 0, false
	}
	*budget--
	x, _ := f.run.open(path)
	if x == nil {
		return 0, false
	}
	visiting[path] = true
	defer delete(visiting, path)
	count := 1
	for _, m := range x.entries("components") {
		c := x.child("components", m.Key.Name)
		if c.path == "" {
			return 0, false
		}
		n, ok := f.countTree(c.path, visiting, budget)
		if !ok {
			return 0, false
		}
		count += n
	}
	return count, true
}
