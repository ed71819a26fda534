package analysis

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// The identification and hovers of what features_symbol.go and
// features_hover.go leave out: environment variables, child templates and
// their manifests, the reserved words of references, `item`, the manifest
// version, the keys of a config schema, keys no record has, and draft
// spellings.

// schemaKey identifies a key inside `config_schema`: a config property (a
// key of a `properties` object) or a JSON Schema keyword.
func schemaKey(c *cursor, sym symbol) (symbol, bool) {
	if segs, ok := schemaPath(c.steps[1:]); ok {
		sym.kind, sym.segs, sym.name = symConfig, segs, strings.Join(segs, ".")
		return sym, true
	}
	sym.kind = symSchemaKey
	return sym, true
}

// schemaPath returns the config path steps (below `config_schema`) lead
// to when they name a property: `properties` then a name, repeated, with
// `allOf` elements passed through.
func schemaPath(steps []step) ([]string, bool) {
	var segs []string
	for i := 0; i < len(steps); i++ {
		next := i+1 < len(steps)
		switch s := steps[i]; {
		case s.member != nil && s.name == "properties" && next && steps[i+1].member != nil:
			segs = append(segs, steps[i+1].name)
			i++
		case s.member != nil && s.name == "allOf" && next && steps[i+1].member == nil:
			i++
		default:
			return nil, false
		}
	}
	return segs, len(segs) > 0
}

// unknownKey identifies a key that is no field of the record it is
// written in.
func unknownKey(c *cursor, sym symbol) (symbol, bool) {
	parent, ok := placeAt(c.steps[:len(c.steps)-1])
	if !ok {
		return symbol{}, false
	}
	records := parent.Value.Records(nil)
	if len(records) == 0 {
		return symbol{}, false
	}
	sym.kind, sym.records = symUnknownKey, records
	return sym, true
}

// identifyValue identifies the strings that name something by where they
// are rather than by their syntax: the manifest version, draft spellings,
// an endpoint's name, a child template's manifest, a config property
// listed in `required`.
func (f *featureFile) identifyValue(c *cursor, n *json5.Node, place manifest.Place) (symbol, bool) {
	sym := symbol{span: n.Span(), name: n.Text}
	switch {
	case c.match("manifest_version"):
		sym.kind = symVersion
	case c.match("experimental_features", "[]") && manifest.IsDraftFeature(n.Text):
		sym.kind, sym.section = symDraft, "feature"
	case place.Field != nil && place.Field.Declares == manifest.SymEndpoint:
		sym.kind = symEndpoint
	case place.Field != nil && place.Field.Value.Has(manifest.ShapeString) && place.Field.Value[0].Syntax == manifest.SyntaxFile:
		sym.kind = symFileRef
	case c.under("child_templates", "*", "manifest"):
		sym.kind, sym.section, sym.child = symTemplateRef, "child_templates", c.steps[1].name
	case len(c.steps) >= 3 && c.steps[0].name == "config_schema" && c.last().member == nil && c.steps[len(c.steps)-2].name == "required":
		var segs []string
		if len(c.steps) > 3 {
			var ok bool
			if segs, ok = schemaPath(c.steps[1 : len(c.steps)-2]); !ok {
				return symbol{}, false
			}
		}
		segs = append(segs, n.Text)
		sym.kind, sym.segs, sym.name = symConfig, segs, strings.Join(segs, ".")
	default:
		return symbol{}, false
	}
	return sym, true
}

// keywordSym identifies the reserved word a reference of syntax starts
// with, when allowed there.
func keywordSym(n *json5.Node, head string, syntax manifest.Syntax, allowed bool) (symbol, bool) {
	legacy := head == manifest.LegacySelf && (syntax == manifest.SyntaxBindingSource || syntax == manifest.SyntaxExportTarget)
	if !allowed || !legacy && !isKeyword(syntax, head) {
		return symbol{}, false
	}
	return symbol{kind: symKeyword, span: span(n, 0, len(head)), name: head}, true
}

// hoverMore renders the symbols of this file ("" for the others).
func (f *featureFile) hoverMore(sym symbol) string {
	switch sym.kind {
	case symEnvVar:
		return f.hoverEnvVar(sym.name)
	case symTemplate:
		return f.hoverTemplate(sym.child)
	case symTemplateRef:
		return f.hoverTemplateRef(sym.child, sym.name)
	case symKeyword:
		return f.hoverKeyword(sym.name)
	case symItem:
		return hoverItem(sym)
	case symVersion:
		return hoverVersion(sym.name)
	case symSchemaKey:
		return fmt.Sprintf("`%s`: a JSON Schema keyword of the config schema (JSON Schema Draft 2020-12, the subset Amber accepts)", sym.name)
	case symUnknownKey:
		var titles, fields []string
		for _, r := range sym.records {
			titles = append(titles, r.Title)
			for _, name := range r.Names() {
				if !strings.Contains(strings.Join(fields, " "), "`"+name+"`") {
					fields = append(fields, "`"+name+"`")
				}
			}
		}
		return fmt.Sprintf("`%s` is not a field of %s; the fields are %s", sym.name, strings.Join(titles, " or "), strings.Join(fields, ", "))
	case symDraft:
		return hoverDraft(sym)
	case symFileRef:
		return f.hoverFileRef(sym.name)
	}
	return ""
}

// hoverEnvVar renders an environment variable of the program.
func (f *featureFile) hoverEnvVar(name string) string {
	title := "environment variable `" + name + "` of the program"
	env := f.section("program").Get("env")
	m := env.Member(name)
	if m == nil {
		return title
	}
	v := m.Value
	var facts []string
	switch {
	case v.Kind == json5.Object && v.Get("file") == nil:
		for _, k := range []string{"value", "when", "each", "join"} {
			if x := v.Get(k); x != nil {
				facts = append(facts, k+": `"+f.snippet(x, 80)+"`")
			}
		}
	default:
		facts = append(facts, "value: `"+f.snippet(v, 80)+"`")
	}
	return title + "\n\n- " + strings.Join(facts, "\n- ")
}

// manifestFacts summarizes a manifest file: where it is, its slots,
// provides and exports.
func manifestFacts(x *featureFile) []string {
	facts := []string{"file: `" + x.path + "`"}
	for _, section := range []string{"slots", "provides"} {
		var decls []string
		for _, m := range x.entries(section) {
			d := "`" + m.Key.Name + "`"
			if k := memberKind(m); k != "" {
				d += " (" + k + ")"
			}
			decls = append(decls, d)
		}
		if len(decls) > 0 {
			facts = append(facts, section+": "+strings.Join(decls, ", "))
		}
	}
	return append(facts, "exports: "+codeList(x.names("exports")))
}

// hoverTemplate renders an entry of `child_templates`: its manifests at a
// glance, the components each child brings, its bindings and exports.
func (f *featureFile) hoverTemplate(name string) string {
	m := f.entry("child_templates", name)
	title := "child template `" + name + "`"
	if m == nil || m.Value.Kind != json5.Object {
		return title
	}
	v := m.Value
	var facts []string
	if ref := v.Get("manifest"); ref != nil {
		facts = append(facts, "manifest: `"+f.snippet(ref, 80)+"`")
		counts := f.linkedTemplateCounts(name)
		if counts == nil {
			counts = f.templateCounts(ref)
		}
		if len(counts) > 0 {
			var ns []string
			for _, c := range counts {
				ns = append(ns, strconv.Itoa(c))
			}
			facts = append(facts, "components per child: "+strings.Join(ns, " or "))
		}
	}
	if b := v.Get("bindings"); b != nil && b.Kind == json5.Object {
		var bs []string
		for _, e := range b.Members {
			bs = append(bs, "`"+e.Key.Name+"` ← `"+f.snippet(e.Value, 60)+"`")
		}
		facts = append(facts, "bindings: "+strings.Join(bs, ", "))
	}
	for _, k := range []string{"visible_exports", "limits", "possible_backends"} {
		if x := v.Get(k); x != nil {
			facts = append(facts, k+": `"+f.snippet(x, 80)+"`")
		}
	}
	if len(facts) == 0 {
		return title
	}
	return title + "\n\n- " + strings.Join(facts, "\n- ")
}

// hoverTemplateRef renders a manifest reference of a child template: the
// manifest it names, at a glance.
func (f *featureFile) hoverTemplateRef(template, ref string) string {
	title := fmt.Sprintf("manifest `%s` of child template `%s`", ref, template)
	p, ok := linker.ResolveLocalRef(f.path, ref)
	if !ok {
		return title + "\n\n`" + ref + "` is not a local file; remote manifests are resolved when linking only"
	}
	x, why := f.run.open(p)
	if x == nil {
		return title + "\n\n" + why
	}
	return title + "\n\n- " + strings.Join(manifestFacts(x), "\n- ")
}

// keywordSections are the reserved words that name a section of this
// manifest.
var keywordSections = map[string]string{"slots": "slots", "provides": "provides", "resources": "resources"}

// hoverKeyword renders a reserved word a reference starts with.
func (f *featureFile) hoverKeyword(word string) string {
	if section, ok := keywordSections[word]; ok {
		var decls []string
		for _, m := range f.entries(section) {
			decls = append(decls, f.declSummary(section, m))
		}
		s := fmt.Sprintf("`%s.<name>` names a %s of this manifest", word, declWords[section])
		if len(decls) == 0 {
			return s + "; it declares none"
		}
		return s + "\n\n- " + strings.Join(decls, "\n- ")
	}
	switch word {
	case "framework":
		var caps []string
		for _, v := range manifest.Enum(manifest.EnumFramework).Values {
			caps = append(caps, "`"+v.Name+"`: "+v.Doc)
		}
		return "`framework.<capability>` names a capability of the framework\n\n- " + strings.Join(caps, "\n- ")
	case manifest.LegacySelf:
		return "`self` is the legacy name of this component: write `provides.<name>` or `slots.<name>`"
	}
	return ""
}

// hoverItem renders `item` in a placeholder.
func hoverItem(sym symbol) string {
	s := "`item`: the current element of the `each` expansion"
	if sym.child != "" {
		s += " over `" + sym.child + "`"
	}
	if strings.HasPrefix(sym.name, "item.") {
		s += "\n\n- `" + sym.name + "`: a field of that element (`item.url`: the URL of the current slot item)"
	}
	return s
}

// hoverVersion renders a manifest version and what later versions add,
// from the vocabulary.
func hoverVersion(v string) string {
	s := fmt.Sprintf("manifest_version `%s`: Amber reads versions `%s` to `%s`", v, manifest.OldestVersion, manifest.NewestVersion)
	if !validVersion(v) {
		return s
	}
	seen := map[string]bool{}
	var later []string
	for _, r := range manifest.Records() {
		for _, fs := range r.Fields {
			if versionLess(v, fs.Since) && !seen[fs.Name] {
				seen[fs.Name] = true
				later = append(later, "`"+fs.Name+"` ("+fs.Since+")")
			}
		}
	}
	if len(later) > 0 {
		slices.SortStableFunc(later, func(a, b string) int { return strings.Compare(versionOf(a), versionOf(b)) })
		s += "\n\n- needs a later version: " + strings.Join(later, ", ")
	}
	return s
}

// versionOf returns the version written in parentheses at the end of s.
func versionOf(s string) string {
	_, v, _ := strings.Cut(s, "(")
	return v
}

// validVersion reports whether v is `x.y.z` in digits.
func validVersion(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	return true
}

// versionLess compares two `x.y.z` versions.
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(pa), len(pb)) {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// hoverDraft renders a draft spelling.
func hoverDraft(sym symbol) string {
	if sym.section == "feature" {
		return "experimental feature `" + sym.name + "`: the overlays draft's; overlays need no experimental feature, only `manifest_version` `0.4.0`"
	}
	return "`" + sym.name + "`: the overlays draft's spelling of `overlays`; Amber only reads `overlays`"
}

// hoverFileRef renders the path of a `{ file }` reference: the file it
// names and whether it is there.
func (f *featureFile) hoverFileRef(raw string) string {
	title := "file `" + raw + "`, read into the manifest"
	p, ok := linker.ResolveFileRef(f.path, raw)
	if !ok {
		return title
	}
	info, err := f.run.s.Stat(p)
	if err != nil {
		return title + "\n\n- path: `" + p + "`\n- cannot read it: " + shortError(err)
	}
	return fmt.Sprintf("%s\n\n- path: `%s`\n- size: %d bytes", title, p, info.Size())
}
