package analysis

import (
	"context"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// complete returns the completions at off.
func (f *featureFile) complete(ctx context.Context, off int) []CompletionItem {
	c := locate(f.syn, off)
	switch {
	case c.onKey:
		m := c.last().member
		obj := c.container(f.syn.Root())
		newText := func(name string) string {
			s := quoteKey(name, m.Key.Quoted)
			if m.Colon < 0 {
				s += ": "
			}
			return s
		}
		items := f.completeKeys(c.steps[:len(c.steps)-1], obj, m, diag.Span{Start: m.Key.Start, End: m.Key.End}, newText)
		return append(items, f.entrySnippet(c.steps[:len(c.steps)-1], obj, m, off)...)
	case c.inGap && c.gap.Kind == json5.Object:
		quoted := false
		for _, m := range c.gap.Members {
			quoted = quoted || m.Key.Quoted
		}
		newText := func(name string) string { return quoteKey(name, quoted) + ": " }
		items := f.completeKeys(c.steps, c.gap, nil, diag.Span{Start: off, End: off}, newText)
		return append(items, f.entrySnippet(c.steps, c.gap, nil, off)...)
	case c.inGap && c.gap.Kind == json5.Array:
		return f.completeElement(&c)
	case c.inValue:
		n := c.last().node
		if n.Kind == json5.String && inString(n, off) {
			return f.completeString(&c, n, interp.DecodedOffset(n, off))
		}
		if n.Kind == json5.Invalid && off >= n.Start {
			return f.completeValue(&c, n)
		}
	}
	return nil
}

// quoteKey writes a key the way the file writes its keys.
func quoteKey(name string, quoted bool) string {
	if quoted || !isIdentifier(name) {
		return `"` + name + `"`
	}
	return name
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// completeKeys proposes the keys of the object obj at path that are not
// written yet (editing, when set, is the member being typed): the fields of
// the records the vocabulary allows there, or a child's config properties.
func (f *featureFile) completeKeys(path []step, obj *json5.Node, editing *json5.Member, at diag.Span, newText func(string) string) []CompletionItem {
	present := map[string]bool{}
	var keys []string
	for _, m := range obj.Members {
		if m != editing {
			present[m.Key.Name] = true
			keys = append(keys, m.Key.Name)
		}
	}
	var out []CompletionItem
	add := func(name, detail string, kind CompletionKind) {
		if present[name] {
			return
		}
		present[name] = true
		out = append(out, CompletionItem{Label: name, Kind: kind, Detail: detail, Edit: diag.Edit{File: f.path, Span: at, NewText: newText(name)}})
	}
	if place, ok := placeAt(path); ok {
		if records := place.Value.Records(keys); len(records) > 0 {
			for _, r := range records {
				for _, field := range r.Fields {
					add(field.Name, field.Doc, CompleteKey)
				}
			}
			return out
		}
	}
	// A key of a child's config: the child's config_schema says.
	if len(path) >= 3 && (matchSteps(path[:3], []string{"components", "*", "config"}) || matchSteps(path[:3], []string{"use", "*", "config"})) {
		c := f.child(path[0].name, path[1].name)
		if c.file == nil {
			return nil
		}
		schema := c.file.section("config_schema")
		if schema == nil || schema.Kind != json5.Object {
			return nil
		}
		var segs []string
		for _, s := range path[3:] {
			if s.member == nil {
				return nil
			}
			segs = append(segs, s.name)
		}
		node := schema
		if len(segs) > 0 {
			p, _, ok := schemaPropAt(schema, segs)
			if !ok {
				return nil
			}
			node = p.member.Value
		}
		for _, p := range schemaProps(schema, node) {
			add(p.member.Key.Name, configDetail(schema, p), CompleteConfig)
		}
	}
	return out
}

// configDetail describes a config property in one line.
func configDetail(schema *json5.Node, p schemaProp) string {
	s := schemaType(schema, p.member.Value)
	if p.required() {
		if s != "" {
			s += ", "
		}
		s += "required"
	}
	return s
}

// completion is the part of a string being completed: its decoded range,
// and how items are written into it; or, outside strings, the span items
// replace.
type completion struct {
	f      *featureFile
	n      *json5.Node
	start  int // decoded range of the text to replace
	end    int
	span   diag.Span // the text to replace when n is nil
	suffix string    // appended to every item that takes one (".")
	items  []CompletionItem
	seen   map[string]bool // labels proposed
}

func (f *featureFile) token(n *json5.Node, start, end int) *completion {
	return &completion{f: f, n: n, start: start, end: end}
}

// tokenAt is a completion whose items replace span, outside any string.
func (f *featureFile) tokenAt(span diag.Span) *completion {
	return &completion{f: f, span: span}
}

// add proposes label, written as text.
func (t *completion) add(label, text, detail string, kind CompletionKind) {
	if t.seen[label] {
		return
	}
	if t.seen == nil {
		t.seen = map[string]bool{}
	}
	t.seen[label] = true
	span := t.span
	if t.n != nil {
		span = interp.SourceSpan(t.n, t.start, t.end)
	}
	t.items = append(t.items, CompletionItem{Label: label, Kind: kind, Detail: detail,
		Edit: diag.Edit{File: t.f.path, Span: span, NewText: text}})
}

// completeString proposes what the string n can hold at decoded offset d.
func (f *featureFile) completeString(c *cursor, n *json5.Node, d int) []CompletionItem {
	place, _ := placeAt(c.steps)
	enum := place.Value.Enum()
	if enum != nil && place.Value.Has(manifest.ShapeEnum) {
		return f.token(n, 0, len(n.Text)).addEnum(enum, false).items
	}
	if items := f.completeReference(c, n, d); len(items) > 0 || enum == nil {
		return items
	}
	// A value Amber checks later (an endpoint protocol): the usual ones.
	return f.token(n, 0, len(n.Text)).addEnum(enum, false).items
}

// addEnum proposes the values of enum e, quoted when quote is set.
func (t *completion) addEnum(e *manifest.EnumSpec, quote bool) *completion {
	for _, v := range e.Values {
		text := v.Name
		if quote {
			text = `"` + text + `"`
		}
		t.add(v.Name, text, v.Doc, CompleteValue)
	}
	return t
}

// completeReference proposes the names a reference string n can hold at
// decoded offset d.
func (f *featureFile) completeReference(c *cursor, n *json5.Node, d int) []CompletionItem {
	text := n.Text
	whole := f.token(n, 0, len(text))
	switch {
	case c.match("provides", "*", "endpoint"):
		f.addEndpoints(whole, false)
		return whole.items
	case c.match("components", "*", "environment"), c.match("use", "*", "environment"), c.match("environments", "*", "extends"):
		for _, name := range f.names("environments") {
			whole.add(name, name, "", CompleteName)
		}
		return whole.items
	case c.match("bindings", "[]", "to"), c.match("bindings", "[]", "from"):
		return f.completeBindingRef(c, n, d, c.last().name == "to")
	case c.match("bindings", "[]", "slot"), c.match("bindings", "[]", "capability"):
		return f.completeBindingName(c, whole)
	case c.match("exports", "*"):
		return f.completeExportTarget(n, d)
	case c.match("overlays", "[]"), c.match(manifest.DraftOverlaysKey, "[]"):
		return f.completeOverlayRef(n, d)
	case c.under("program"):
		switch last := c.last(); {
		case last.member != nil && (last.name == "when" || last.name == "each"):
			syntax := manifest.SyntaxWhen
			if last.name == "each" {
				syntax = manifest.SyntaxEach
			}
			return f.completePath(n, d, 0, len(text), syntax.Keywords())
		case last.name == "from" && (c.match("program", "mounts", "[]", "from") || c.match("program", "vm", "mounts", "[]", "from")):
			return f.completeMountSource(n, d)
		}
		return f.completePlaceholder(n, d)
	case c.under("components", "*", "config"), c.under("use", "*", "config"), c.under("child_templates", "*", "config"), c.under("resources", "*", "params"):
		return f.completePlaceholder(n, d)
	}
	return nil
}

// headOrTail returns the token of a `head.tail` reference holding d, and
// whether it is the tail.
func (f *featureFile) headOrTail(n *json5.Node, d int) (*completion, bool) {
	_, _, dot := splitDot(n.Text)
	if dot < 0 {
		t := f.token(n, 0, len(n.Text))
		t.suffix = "."
		return t, false
	}
	if d <= dot {
		return f.token(n, 0, dot), false
	}
	return f.token(n, dot+1, len(n.Text)), true
}

// addChildren proposes `#name` for every entry of section.
func (t *completion) addChildren(section, suffix string) {
	for _, m := range t.f.entries(section) {
		detail := ""
		if ref := refNode(m.Value); ref != nil {
			detail = ref.Text
		}
		t.add("#"+m.Key.Name, "#"+m.Key.Name+suffix, detail, CompleteComponent)
	}
}

// addDecls proposes the entries of a slots, provides or resources section
// of file x.
func (t *completion) addDecls(x *featureFile, section string, kind CompletionKind, onlyKind string) {
	for _, m := range x.entries(section) {
		k := ""
		if kn := m.Value.Get("kind"); kn != nil && kn.Kind == json5.String {
			k = kn.Text
		}
		if onlyKind != "" && k != onlyKind {
			continue
		}
		t.add(m.Key.Name, m.Key.Name, strings.TrimSpace(declWords[section]+" "+k), kind)
	}
}

// addExports proposes the exports of file x.
func (t *completion) addExports(x *featureFile) {
	for _, m := range x.entries("exports") {
		detail := ""
		if m.Value.Kind == json5.String {
			detail = "→ " + m.Value.Text
		}
		t.add(m.Key.Name, m.Key.Name, detail, CompleteExport)
	}
}

// addEndpoints proposes the program's endpoint names.
func (f *featureFile) addEndpoints(t *completion, quote bool) {
	for _, e := range f.endpoints() {
		if n := e.Get("name"); n != nil && n.Kind == json5.String {
			text := n.Text
			if quote {
				text = `"` + text + `"`
			}
			t.add(n.Text, text, "endpoint", CompleteName)
		}
	}
}

// completeBindingRef proposes a binding's `to` (`#child.` then the child's
// slots) or `from` (`#child.` then its exports, or `slots.`, `provides.`,
// `resources.`, `framework.` then their names).
func (f *featureFile) completeBindingRef(c *cursor, n *json5.Node, d int, target bool) []CompletionItem {
	t, tail := f.headOrTail(n, d)
	if !tail {
		suffix := t.suffix
		if b := c.container(f.root); b.Get("slot") != nil || b.Get("capability") != nil {
			suffix = "" // the explicit form names the slot or capability apart
		}
		t.addChildren("components", suffix)
		if !target {
			for _, k := range manifest.SyntaxBindingSource.Keywords() {
				t.add(k, k+suffix, "", CompleteSource)
			}
		}
		return t.items
	}
	head, _, _ := splitDot(n.Text)
	if target {
		if strings.HasPrefix(head, "#") {
			if ch := f.child("components", head[1:]); ch.file != nil {
				t.addDecls(ch.file, "slots", CompleteSlot, "")
			}
		}
		return t.items
	}
	f.addSourceNames(t, head)
	return t.items
}

// addSourceNames proposes the names a binding source ref offers.
func (f *featureFile) addSourceNames(t *completion, ref string) {
	switch {
	case strings.HasPrefix(ref, "#"):
		if ch := f.child("components", ref[1:]); ch.file != nil {
			t.addExports(ch.file)
		}
	case ref == "slots":
		t.addDecls(f, "slots", CompleteSlot, "")
	case ref == "provides":
		t.addDecls(f, "provides", CompleteProvide, "")
	case ref == "resources":
		t.addDecls(f, "resources", CompleteResource, "")
	case ref == "framework":
		t.addEnum(manifest.Enum(manifest.EnumFramework), false)
	}
}

// completeBindingName proposes the explicit form's `slot` (the `to`
// child's slots) or `capability` (the names of the `from` source).
func (f *featureFile) completeBindingName(c *cursor, t *completion) []CompletionItem {
	b := c.container(f.root)
	if c.last().name == "slot" {
		if to := b.Get("to"); to != nil && to.Kind == json5.String && strings.HasPrefix(to.Text, "#") {
			if ch := f.child("components", to.Text[1:]); ch.file != nil {
				t.addDecls(ch.file, "slots", CompleteSlot, "")
			}
		}
		return t.items
	}
	if from := b.Get("from"); from != nil && from.Kind == json5.String {
		f.addSourceNames(t, from.Text)
	}
	return t.items
}

// completeExportTarget proposes an export target: a local provide or
// slot, `slots.`, `provides.`, or `#child.` then the child's exports.
func (f *featureFile) completeExportTarget(n *json5.Node, d int) []CompletionItem {
	t, tail := f.headOrTail(n, d)
	if !tail {
		t.addDecls(f, "provides", CompleteProvide, "")
		t.addDecls(f, "slots", CompleteSlot, "")
		t.addChildren("components", t.suffix)
		for _, k := range manifest.SyntaxExportTarget.Keywords() {
			t.add(k, k+t.suffix, "", CompleteSource)
		}
		return t.items
	}
	head, _, _ := splitDot(n.Text)
	switch {
	case strings.HasPrefix(head, "#"):
		if ch := f.child("components", head[1:]); ch.file != nil {
			t.addExports(ch.file)
		}
	case head == "slots":
		t.addDecls(f, "slots", CompleteSlot, "")
	case head == "provides":
		t.addDecls(f, "provides", CompleteProvide, "")
	}
	return t.items
}

// completeOverlayRef proposes `#use.` then the use manifest's exports.
func (f *featureFile) completeOverlayRef(n *json5.Node, d int) []CompletionItem {
	t, tail := f.headOrTail(n, d)
	if !tail {
		t.addChildren("use", t.suffix)
		return t.items
	}
	head, _, _ := splitDot(n.Text)
	if strings.HasPrefix(head, "#") {
		if ch := f.child("use", head[1:]); ch.file != nil {
			t.addExports(ch.file)
		}
	}
	return t.items
}

// completeMountSource proposes a mount's `from`.
func (f *featureFile) completeMountSource(n *json5.Node, d int) []CompletionItem {
	head, rest, dot := splitDot(n.Text)
	switch {
	case dot >= 0 && d > dot && (head == "config" || head == "slots"):
		return f.completePath(n, d, 0, len(n.Text), nil)
	case dot >= 0 && d > dot && head == "resources":
		t := f.token(n, dot+1, dot+1+len(rest))
		t.addDecls(f, "resources", CompleteResource, "")
		return t.items
	case dot >= 0 && d > dot && head == "framework":
		t := f.token(n, dot+1, dot+1+len(rest))
		for _, v := range manifest.Enum(manifest.EnumFramework).Values {
			if v.Name != "component" { // `framework.component` is a reserved mount source
				t.add(v.Name, v.Name, v.Doc, CompleteValue)
			}
		}
		return t.items
	case dot >= 0 && d > dot:
		return nil
	}
	t, _ := f.headOrTail(n, d)
	for _, k := range manifest.SyntaxMountSource.Keywords() {
		t.add(k, k+t.suffix, "", CompleteSource)
	}
	return t.items
}

// completePlaceholder proposes the reference of the `${…}` around d.
func (f *featureFile) completePlaceholder(n *json5.Node, d int) []CompletionItem {
	start, end, ok := placeholderAround(n.Text, d)
	if !ok {
		return nil
	}
	return f.completePath(n, d, start, end, manifest.SyntaxInterpolation.Keywords())
}

// completePath proposes a reference `source.a.b` written in
// n.Text[start:end]: the sources, then config paths from the schema or
// slot names (and their `url`).
func (f *featureFile) completePath(n *json5.Node, d, start, end int, sources []string) []CompletionItem {
	text := n.Text[start:end]
	// The segment holding d.
	segs := strings.Split(text, ".")
	k, pos := 0, start
	for k < len(segs)-1 && d > pos+len(segs[k]) {
		pos += len(segs[k]) + 1
		k++
	}
	t := f.token(n, pos, pos+len(segs[k]))
	if k == 0 {
		for _, s := range sources {
			t.add(s, s, "", CompleteSource)
		}
		return t.items
	}
	switch segs[0] {
	case "config":
		schema := f.section("config_schema")
		if schema == nil || schema.Kind != json5.Object {
			return nil
		}
		node := schema
		if k > 1 {
			p, _, ok := schemaPropAt(schema, segs[1:k])
			if !ok {
				return nil
			}
			node = p.member.Value
		}
		for _, p := range schemaProps(schema, node) {
			t.add(p.member.Key.Name, p.member.Key.Name, configDetail(schema, p), CompleteConfig)
		}
	case "slots":
		switch k {
		case 1:
			t.addDecls(f, "slots", CompleteSlot, "")
		case 2:
			t.add("url", "url", "the slot's URL", CompleteValue)
		}
	case "item":
		if k == 1 {
			t.add("url", "url", "the URL of the current slot item", CompleteValue)
		}
	}
	return t.items
}

// completeElement proposes a new element of an array: overlay references
// and keyword values (experimental features, backends).
func (f *featureFile) completeElement(c *cursor) []CompletionItem {
	t := f.tokenAt(diag.Span{Start: c.off, End: c.off})
	if c.match("bindings") {
		return f.bindingSnippet(c.gap, c.off)
	}
	if c.match("overlays") || c.match(manifest.DraftOverlaysKey) {
		for _, use := range f.names("use") {
			ch := f.child("use", use)
			if ch.file == nil {
				continue
			}
			for _, x := range ch.file.names("exports") {
				ref := "#" + use + "." + x
				t.add(ref, `"`+ref+`"`, "export of "+ch.file.base(), CompleteExport)
			}
		}
		return t.items
	}
	if place, ok := placeAt(c.steps); ok {
		if elem, ok := place.Elem(); ok {
			if e := elem.Value.Enum(); e != nil {
				t.addEnum(e, true)
			}
		}
	}
	return t.items
}

// completeValue proposes a whole value where none (or a bare word) is
// written yet: keyword values, booleans, the manifest version, names.
func (f *featureFile) completeValue(c *cursor, n *json5.Node) []CompletionItem {
	at := diag.Span{Start: c.off, End: c.off}
	if n.End > n.Start {
		at = n.Span()
	}
	t := f.tokenAt(at)
	place, _ := placeAt(c.steps)
	if e := place.Value.Enum(); e != nil {
		return t.addEnum(e, true).items
	}
	if place.Value.Has(manifest.ShapeBool) {
		t.add("true", "true", "", CompleteValue)
		t.add("false", "false", "", CompleteValue)
		return t.items
	}
	quoted := func(values []string, kind CompletionKind) []CompletionItem {
		for _, v := range values {
			t.add(v, `"`+v+`"`, "", kind)
		}
		return t.items
	}
	switch {
	case c.match("manifest_version"):
		return quoted([]string{manifest.NewestVersion}, CompleteValue)
	case c.match("provides", "*", "endpoint"):
		var names []string
		for _, e := range f.endpoints() {
			if nm := e.Get("name"); nm != nil && nm.Kind == json5.String {
				names = append(names, nm.Text)
			}
		}
		return quoted(names, CompleteName)
	case c.match("components", "*", "environment"), c.match("use", "*", "environment"), c.match("environments", "*", "extends"):
		return quoted(f.names("environments"), CompleteName)
	}
	return nil
}
