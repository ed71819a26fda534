package analysis

import (
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// symKind says what a piece of manifest text names.
type symKind int

const (
	symNone        symKind = iota
	symConfig              // a config path of a config_schema
	symSlot                // a slot of this manifest
	symProvide             // a provide of this manifest
	symResource            // a resource of this manifest
	symLocalCap            // a provide, else a slot, of this manifest (bare and `self.` refs)
	symEndpoint            // an endpoint of this manifest's program
	symEnvironment         // an entry of `environments`
	symExport              // an export of this manifest
	symEntry               // `#name`: an entry of `components` or `use`
	symManifest            // an entry's manifest reference (or its key): the child file
	symChildSlot           // a slot of a child
	symChildExport         // an export of a child or of a `use` manifest
	symOverlay             // an overlay reference `#use.export`
	symEnumValue           // a keyword value of an enum (a capability kind, a feature, ...)
	symFramework           // a framework capability
	symKey                 // a key of a record: a field the vocabulary documents
	symEnvVar              // an environment variable of the program
	symTemplate            // an entry of `child_templates`
	symTemplateRef         // a child template's manifest reference
	symKeyword             // the reserved word a reference starts with (`slots`, `framework`, `self`)
	symItem                // `item` in a placeholder: the element of an `each` expansion
	symVersion             // the value of `manifest_version`
	symSchemaKey           // a JSON Schema keyword of `config_schema`
	symUnknownKey          // a key that is no field of its record
	symDraft               // a draft spelling (`policies`, feature `governance`)
	symFileRef             // the path of a `{ file }` reference
)

// symbol is what the text under a cursor names.
type symbol struct {
	kind symKind
	span diag.Span // the text naming it
	name string    // the declared name (for symConfig, the dot path)

	// For entries, child members and overlays: the entry.
	section, child string

	// For symConfig: the path's segments and, when the schema is a
	// child's (a key of `components.x.config`), the entry of that child.
	segs []string

	// For symOverlay: the cursor is on the export part.
	tail bool

	// For symEnumValue: the enum. For symKey: the field and its record;
	// for symUnknownKey: the records the key could be a field of.
	enum    *manifest.EnumSpec
	records []*manifest.RecordSpec
	field   *manifest.FieldSpec
	record  *manifest.RecordSpec
}

// identify returns what the text at off names.
func (f *featureFile) identify(off int) (symbol, bool) {
	c := locate(f.syn, off)
	if c.onKey {
		return f.identifyKey(&c)
	}
	if !c.inValue {
		return symbol{}, false
	}
	n := c.last().node
	if n == nil || n.Kind != json5.String || off < n.Start || !(off < n.End || !terminated(n) && off <= n.End) {
		return symbol{}, false
	}
	sym, ok := f.identifyString(&c, n, off)
	if ok && sym.kind == symItem {
		// What `item` is an element of: the `each` beside the string.
		if each := c.container(f.root).Get("each"); each != nil && each.Kind == json5.String {
			sym.child = each.Text
		}
	}
	return sym, ok
}

// declKinds maps what the keys of a table declare to the symbol of such a
// key.
var declKinds = map[manifest.Symbol]symKind{
	manifest.SymChild:       symManifest,
	manifest.SymUse:         symManifest,
	manifest.SymSlot:        symSlot,
	manifest.SymProvide:     symProvide,
	manifest.SymResource:    symResource,
	manifest.SymEnvironment: symEnvironment,
	manifest.SymExport:      symExport,
	manifest.SymEnvVar:      symEnvVar,
	manifest.SymTemplate:    symTemplate,
}

// identifyKey identifies a key: a record's field, a declaration, or a
// config key of a child.
func (f *featureFile) identifyKey(c *cursor) (symbol, bool) {
	m := c.last().member
	sym := symbol{span: m.Key.Span(), name: m.Key.Name}
	if len(c.steps) >= 4 && (c.under("components", "*", "config") || c.under("use", "*", "config")) {
		segs := c.names(3)
		for _, s := range segs {
			if s == "[]" {
				return symbol{}, false
			}
		}
		sym.kind, sym.section, sym.child = symConfig, c.steps[0].name, c.steps[1].name
		sym.segs, sym.name = segs, strings.Join(segs, ".")
		return sym, true
	}
	if c.steps[0].name == "config_schema" && len(c.steps) > 1 {
		return schemaKey(c, sym)
	}
	if len(c.steps) == 1 && m.Key.Name == manifest.DraftOverlaysKey {
		sym.kind = symDraft
		return sym, true
	}
	place, ok := placeAt(c.steps)
	switch {
	case !ok:
		return unknownKey(c, sym)
	case place.Field != nil:
		sym.kind, sym.field, sym.record = symKey, place.Field, place.In
		return sym, true
	case place.Of != nil:
		sym.kind = declKinds[place.Of.Declares]
		if sym.kind == symManifest || sym.kind == symTemplate {
			sym.section, sym.child = place.Of.Name, m.Key.Name
		}
		return sym, sym.kind != symNone
	}
	return symbol{}, false
}

// identifyString identifies the part of string node n under off.
func (f *featureFile) identifyString(c *cursor, n *json5.Node, off int) (symbol, bool) {
	place, _ := placeAt(c.steps)
	enum := place.Value.Enum()
	value := symbol{kind: symEnumValue, span: n.Span(), name: n.Text, enum: enum}
	if sym, ok := f.identifyValue(c, n, place); ok {
		return sym, true
	}
	if enum != nil && place.Value.Has(manifest.ShapeEnum) {
		return value, true
	}
	if sym, ok := f.identifyReference(c, n, off); ok || enum == nil {
		return sym, ok
	}
	// A value Amber checks later (an endpoint protocol): one of the usual.
	_, known := enum.Value(n.Text)
	return value, known
}

// refForm is how a string written at some place refers to things: what
// identifyReference reads it as, and what stringSymbols lists.
type refForm int

const (
	formNone         refForm = iota
	formManifest             // the whole string names a child's manifest
	formEnvironment          // the whole string names an environment
	formEndpoint             // the whole string names an endpoint
	formBindingTo            // `#child.slot`, or `#child` with `slot`
	formBindingFrom          // `#child.export`, `slots.x`, `provides.x`, ...
	formBindingName          // the explicit form's `slot` or `capability`
	formExportTarget         // `name`, `slots.x`, `provides.x`, `#child.export`
	formOverlay              // `#use.export`
	formPath                 // a `when` or `each` path: `config.a.b`, `slots.x`
	formMountSource          // `config.a`, `slots.x`, `resources.x`, `framework.x`
	formText                 // interpolated text: `${config.a}`, `${slots.x.url}`
	formConfigText           // a component config's text, where `$${config.a}` is a reference too
)

// refFormAt returns how the string the cursor is on refers to things.
func refFormAt(c *cursor) refForm {
	switch {
	case c.match("components", "*"), c.match("use", "*"),
		c.match("components", "*", "manifest"), c.match("use", "*", "manifest"),
		c.match("components", "*", "url"), c.match("use", "*", "url"),
		c.match("components", "*", "manifest", "url"), c.match("use", "*", "manifest", "url"):
		return formManifest
	case c.match("components", "*", "environment"), c.match("use", "*", "environment"), c.match("environments", "*", "extends"):
		return formEnvironment
	case c.match("provides", "*", "endpoint"):
		return formEndpoint
	case c.match("bindings", "[]", "to"):
		return formBindingTo
	case c.match("bindings", "[]", "from"):
		return formBindingFrom
	case c.match("bindings", "[]", "slot"), c.match("bindings", "[]", "capability"):
		return formBindingName
	case c.match("exports", "*"):
		return formExportTarget
	case c.match("overlays", "[]"), c.match(manifest.DraftOverlaysKey, "[]"):
		return formOverlay
	case c.under("program"):
		switch last := c.last(); {
		case last.member != nil && (last.name == "when" || last.name == "each"):
			return formPath
		case last.name == "from" && (c.match("program", "mounts", "[]", "from") || c.match("program", "vm", "mounts", "[]", "from")):
			return formMountSource
		}
		return formText
	case c.under("components", "*", "config"), c.under("use", "*", "config"), c.under("child_templates", "*", "config"):
		return formConfigText
	case c.under("resources", "*", "params"):
		return formText
	}
	return formNone
}

// identifyReference identifies the part of reference string n under off.
func (f *featureFile) identifyReference(c *cursor, n *json5.Node, off int) (symbol, bool) {
	d := interp.DecodedOffset(n, off)
	whole := symbol{span: n.Span(), name: n.Text}
	switch refFormAt(c) {
	case formManifest:
		whole.kind, whole.section, whole.child = symManifest, c.steps[0].name, c.steps[1].name
		return whole, true
	case formEnvironment:
		whole.kind = symEnvironment
		return whole, true
	case formEndpoint:
		whole.kind = symEndpoint
		return whole, true
	case formBindingTo, formBindingFrom:
		return f.bindingRef(c, n, d, c.last().name == "to")
	case formBindingName:
		return f.bindingName(c, n)
	case formExportTarget:
		return exportTarget(n, d)
	case formOverlay:
		return overlayRef(n, d)
	case formPath:
		return pathRef(n, d, 0, len(n.Text))
	case formMountSource:
		return mountSource(n, d)
	case formText:
		return placeholderRef(n, d, false)
	case formConfigText:
		return placeholderRef(n, d, true)
	}
	return symbol{}, false
}

// stringSymbols lists every reference written in string node n, in text
// order: what identifyReference finds with the cursor on each part of it.
// It reads each string once, so a file's references are found in time
// linear in its size.
func (f *featureFile) stringSymbols(c *cursor, n *json5.Node) []symbol {
	var out []symbol
	add := func(sym symbol, ok bool) {
		if ok && (len(out) == 0 || out[len(out)-1].span != sym.span) {
			out = append(out, sym)
		}
	}
	// head probes the text's first part, tail the part after its first dot.
	head := func(probe func(d int) (symbol, bool)) {
		add(probe(0))
		if _, _, dot := splitDot(n.Text); dot >= 0 {
			add(probe(dot + 1))
		}
	}
	paths := func(start, end int) {
		for _, p := range pathParts(n, start, end, beyond, maxPathSegments) {
			add(p.sym, p.ok)
		}
	}
	switch form := refFormAt(c); form {
	case formManifest, formEnvironment, formEndpoint, formBindingName:
		add(f.identifyReference(c, n, n.SourceOffset(0)))
	case formBindingTo, formBindingFrom:
		head(func(d int) (symbol, bool) { return f.bindingRef(c, n, d, form == formBindingTo) })
	case formExportTarget:
		head(func(d int) (symbol, bool) { return exportTarget(n, d) })
	case formOverlay:
		head(func(d int) (symbol, bool) { return overlayRef(n, d) })
	case formPath:
		paths(0, len(n.Text))
	case formMountSource:
		if source, _, _ := splitDot(n.Text); source == "config" || source == "slots" {
			paths(0, len(n.Text))
		} else {
			head(func(d int) (symbol, bool) { return mountSource(n, d) })
		}
	case formText, formConfigText:
		if t, err := parseTemplate(n.Text, form == formConfigText); err == nil {
			for _, p := range t.Refs() {
				paths(p.Ref.Start, p.Ref.End)
			}
		}
	}
	return out
}

// span maps a range of a string node's decoded text to the source.
func span(n *json5.Node, start, end int) diag.Span { return interp.SourceSpan(n, start, end) }

// splitDot splits s at its first '.', returning -1 when it has none.
func splitDot(s string) (head, tail string, dot int) {
	dot = strings.IndexByte(s, '.')
	if dot < 0 {
		return s, "", -1
	}
	return s[:dot], s[dot+1:], dot
}

// bindingRef identifies a part of a binding's `to` (target) or `from`
// (source): `#child.slot`, `#child.export`, `slots.x`, `provides.x`,
// `resources.x`, `framework.x`, `self.x`, or the explicit-form `#child`.
func (f *featureFile) bindingRef(c *cursor, n *json5.Node, d int, target bool) (symbol, bool) {
	head, tail, dot := splitDot(n.Text)
	if dot < 0 || d <= dot {
		if strings.HasPrefix(head, "#") && len(head) > 1 {
			return symbol{kind: symEntry, span: span(n, 0, len(head)), name: head[1:], section: "components", child: head[1:]}, true
		}
		return keywordSym(n, head, manifest.SyntaxBindingSource, !target)
	}
	sym := symbol{span: span(n, dot+1, len(n.Text)), name: tail}
	if target {
		if !strings.HasPrefix(head, "#") {
			return symbol{}, false
		}
		sym.kind, sym.section, sym.child = symChildSlot, "components", head[1:]
		return sym, true
	}
	return sourceSymbol(sym, head)
}

// sourceSymbol completes the symbol of a binding source's name given its
// source ref.
func sourceSymbol(sym symbol, ref string) (symbol, bool) {
	switch {
	case strings.HasPrefix(ref, "#") && len(ref) > 1:
		sym.kind, sym.section, sym.child = symChildExport, "components", ref[1:]
	case ref == "slots":
		sym.kind = symSlot
	case ref == "provides":
		sym.kind = symProvide
	case ref == "resources":
		sym.kind = symResource
	case ref == "framework":
		sym.kind = symFramework
	case ref == manifest.LegacySelf:
		sym.kind = symLocalCap
	default:
		return symbol{}, false
	}
	return sym, true
}

// bindingName identifies the explicit form's `slot` (a slot of the `to`
// child) or `capability` (named in the `from` source).
func (f *featureFile) bindingName(c *cursor, n *json5.Node) (symbol, bool) {
	b := c.container(f.root)
	sym := symbol{span: n.Span(), name: n.Text}
	if c.last().name == "slot" {
		to := b.Get("to")
		if to == nil || to.Kind != json5.String || !strings.HasPrefix(to.Text, "#") || strings.Contains(to.Text, ".") {
			return symbol{}, false
		}
		sym.kind, sym.section, sym.child = symChildSlot, "components", to.Text[1:]
		return sym, true
	}
	from := b.Get("from")
	if from == nil || from.Kind != json5.String || strings.Contains(from.Text, ".") {
		return symbol{}, false
	}
	return sourceSymbol(sym, from.Text)
}

// exportTarget identifies a part of an export target: a bare name,
// `slots.x`, `provides.x`, `self.x` or `#child.export`.
func exportTarget(n *json5.Node, d int) (symbol, bool) {
	head, tail, dot := splitDot(n.Text)
	if dot < 0 {
		if head == "" {
			return symbol{}, false
		}
		return symbol{kind: symLocalCap, span: n.Span(), name: head}, true
	}
	if d <= dot {
		if strings.HasPrefix(head, "#") && len(head) > 1 {
			return symbol{kind: symEntry, span: span(n, 0, len(head)), name: head[1:], section: "components", child: head[1:]}, true
		}
		return keywordSym(n, head, manifest.SyntaxExportTarget, true)
	}
	sym := symbol{span: span(n, dot+1, len(n.Text)), name: tail}
	if head == "resources" || head == "framework" {
		return symbol{}, false // not valid export targets
	}
	return sourceSymbol(sym, head)
}

// overlayRef identifies `#use.export`: the whole reference, noting whether
// the cursor is on the export part.
func overlayRef(n *json5.Node, d int) (symbol, bool) {
	head, tail, dot := splitDot(n.Text)
	if !strings.HasPrefix(head, "#") || len(head) < 2 {
		return symbol{}, false
	}
	sym := symbol{kind: symOverlay, section: "use", child: head[1:], name: tail}
	if dot >= 0 && d > dot {
		sym.tail, sym.span = true, span(n, dot+1, len(n.Text))
	} else {
		sym.span = span(n, 0, len(head))
	}
	return sym, true
}

// pathRef identifies a part of a reference `source.query` written in
// n.Text[start:end] (a `when` or `each` path, a placeholder's text): the
// first of its parts whose range reaches d.
func pathRef(n *json5.Node, d, start, end int) (symbol, bool) {
	for _, p := range pathParts(n, start, end, d, -1) {
		if d <= p.end {
			return p.sym, p.ok
		}
	}
	return symbol{}, false
}

// pathPart is one part of a reference `source.query`: what it names (ok is
// false when it names nothing), and the end of the decoded text it covers,
// included.
type pathPart struct {
	sym symbol
	ok  bool
	end int
}

// beyond is the end of the last part of a reference: it covers the rest.
const beyond = int(^uint(0) >> 1)

// maxPathSegments bounds the segments of a config path stringSymbols
// lists: a deeper segment names no property of any schema written by hand.
const maxPathSegments = 64

// pathParts splits a reference `source.query` written in n.Text[start:end]
// into its parts: the source word, then for `config` each segment of the
// path (naming the property at the path up to it), for `slots` the slot
// (a field after it, `url`, is about the slot). Other sources have none.
// It stops after the first part that reaches upTo, or after most segments
// (most < 0: no limit).
func pathParts(n *json5.Node, start, end, upTo, most int) []pathPart {
	text := n.Text[start:end]
	source, query, dot := splitDot(text)
	switch source {
	case "config":
		parts := []pathPart{{sym: symbol{kind: symConfig, span: span(n, start, start+len(source))}, ok: true, end: beyond}}
		if dot < 0 {
			return parts
		}
		parts[0].end = start + dot
		var segs []string
		pos := start + dot + 1
		for len(parts) <= most || most < 0 {
			s, _, more := strings.Cut(n.Text[pos:end], ".")
			segs = append(segs, s)
			sym := symbol{kind: symConfig, span: span(n, pos, pos+len(s)), name: n.Text[start+dot+1 : pos+len(s)], segs: segs[:len(segs):len(segs)]}
			parts = append(parts, pathPart{sym: sym, ok: s != "", end: pos + len(s)})
			if !more || pos+len(s) >= upTo {
				break
			}
			pos += len(s) + 1
		}
		return parts
	case "slots":
		word := symbol{kind: symKeyword, span: span(n, start, start+len(source)), name: source}
		if dot < 0 {
			return []pathPart{{sym: word, ok: true, end: beyond}}
		}
		name, _, _ := splitDot(query)
		// The slot's name, or a field of it (`url`): both are about the slot.
		sym := symbol{kind: symSlot, span: span(n, start+dot+1, start+dot+1+len(name)), name: name}
		return []pathPart{{sym: word, ok: true, end: start + dot}, {sym: sym, ok: name != "", end: beyond}}
	case "item":
		return []pathPart{{sym: symbol{kind: symItem, span: span(n, start, end), name: text}, ok: true, end: beyond}}
	}
	return nil
}

// mountSource identifies a mount's `from`: `config.<path>`, `slots.<slot>`,
// `resources.<name>` or `framework.<capability>`.
func mountSource(n *json5.Node, d int) (symbol, bool) {
	source, rest, dot := splitDot(n.Text)
	switch source {
	case "config", "slots":
		return pathRef(n, d, 0, len(n.Text))
	case "resources", "framework":
		if dot < 0 || d <= dot {
			return keywordSym(n, source, manifest.SyntaxMountSource, true)
		}
		if rest == "" {
			return symbol{}, false
		}
		kind := symResource
		if source == "framework" {
			kind = symFramework
		}
		return symbol{kind: kind, span: span(n, dot+1, len(n.Text)), name: rest}, true
	}
	return symbol{}, false
}

// placeholderRef identifies the reference of the placeholder under d in
// an interpolated string: `${config.a.b}`, `${slots.x.url}`, and (in
// component configs, symbolic) `$${config.a}`.
func placeholderRef(n *json5.Node, d int, symbolic bool) (symbol, bool) {
	if t, err := parseTemplate(n.Text, symbolic); err == nil {
		for _, p := range t.Refs() {
			if p.Start <= d && d < p.End || d == p.End && p.End == len(n.Text) {
				if d < p.Ref.Start {
					// On the `${` (or `$${`): about the whole placeholder,
					// the slot of a slot reference.
					at := p.Ref.Start
					if p.Ref.Source == interp.Slots && len(p.Ref.Segments) > 0 {
						at = p.Ref.Segments[0].Start
					}
					sym, ok := pathRef(n, at, p.Ref.Start, p.Ref.End)
					sym.span = p.Span(n)
					return sym, ok
				}
				return pathRef(n, d, p.Ref.Start, p.Ref.End)
			}
		}
		return symbol{}, false
	}
	// Not a valid template (being typed, say): the placeholder around d.
	start, end, ok := placeholderAround(n.Text, d)
	if !ok {
		return symbol{}, false
	}
	return pathRef(n, d, start, end)
}

// parseTemplate parses interpolated text; symbolic text (a component
// config's) may also be one `$${config.a}`.
func parseTemplate(text string, symbolic bool) (*interp.Template, error) {
	if symbolic {
		return interp.ParseSymbolic(text)
	}
	return interp.Parse(text)
}

// placeholderAround finds the text of the `${…}` around decoded offset d:
// after the last `${` before d, up to the next `}` or the end of the text.
func placeholderAround(text string, d int) (start, end int, ok bool) {
	d = min(d, len(text))
	open := strings.LastIndex(text[:d], "${")
	if open < 0 || strings.Contains(text[open:d], "}") {
		return 0, 0, false
	}
	start = open + 2
	end = len(text)
	if i := strings.IndexByte(text[start:], '}'); i >= 0 {
		end = start + i
	}
	return start, end, start <= d
}
