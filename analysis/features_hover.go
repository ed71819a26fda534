package analysis

import (
	"context"
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// hover renders the markdown of a symbol ("" when there is nothing to say).
func (f *featureFile) hover(ctx context.Context, sym symbol) string {
	switch sym.kind {
	case symConfig:
		return f.hoverConfig(sym)
	case symSlot:
		return f.hoverDecl("slots", sym.name, "")
	case symProvide:
		return f.hoverDecl("provides", sym.name, "")
	case symResource:
		return f.hoverDecl("resources", sym.name, "")
	case symLocalCap:
		if f.entry("provides", sym.name) == nil && f.entry("slots", sym.name) != nil {
			return f.hoverDecl("slots", sym.name, "")
		}
		return f.hoverDecl("provides", sym.name, "")
	case symEndpoint:
		return f.hoverEndpoint(sym.name)
	case symEnvironment:
		return f.hoverEnvironment(sym.name)
	case symExport:
		return f.hoverExport(f, sym.name, "")
	case symEntry, symManifest:
		return f.hoverEntry(sym.section, sym.child)
	case symChildSlot:
		c := f.child(sym.section, sym.child)
		if c.file == nil {
			return fmt.Sprintf("slot `%s` of `#%s`\n\n%s", sym.name, sym.child, c.problem)
		}
		return c.file.hoverDecl("slots", sym.name, "#"+sym.child)
	case symChildExport:
		c := f.child(sym.section, sym.child)
		if c.file == nil {
			return fmt.Sprintf("export `%s` of `#%s`\n\n%s", sym.name, sym.child, c.problem)
		}
		return c.file.hoverExport(c.file, sym.name, "#"+sym.child)
	case symOverlay:
		return f.hoverOverlay(sym)
	case symEnumValue:
		return describeEnumValue(sym.enum, sym.name)
	case symKey:
		return describeField(sym.record, sym.field)
	case symFramework:
		framework := manifest.Enum(manifest.EnumFramework)
		if v, ok := framework.Value(sym.name); ok {
			return fmt.Sprintf("`framework.%s`: %s", sym.name, v.Doc)
		}
		return fmt.Sprintf("`framework.%s` is not a framework capability; they are %s", sym.name, codeList(framework.Names()))
	}
	return f.hoverMore(sym)
}

// codeList renders names as `a`, `b`.
func codeList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return "`" + strings.Join(names, "`, `") + "`"
}

// hoverConfig renders the schema of a config path: type, required,
// description, default.
func (f *featureFile) hoverConfig(sym symbol) string {
	schemaFile, whose := f, "this manifest's"
	if sym.child != "" {
		c := f.child(sym.section, sym.child)
		if c.file == nil {
			return fmt.Sprintf("config `%s` of `#%s`\n\n%s", sym.name, sym.child, c.problem)
		}
		schemaFile, whose = c.file, "`"+c.file.base()+"`'s"
	}
	title := "config"
	if sym.name != "" {
		title += "." + sym.name
	}
	schema := schemaFile.section("config_schema")
	if schema == nil || schema.Kind == json5.Null {
		return fmt.Sprintf("`%s`\n\n%s has no `config_schema`", title, capitalize(whose))
	}
	if len(sym.segs) == 0 {
		var names []string
		for _, p := range schemaProps(schema, schema) {
			names = append(names, p.member.Key.Name)
		}
		return fmt.Sprintf("`config`: the component's configuration (%s `config_schema`)\n\n- properties: %s", whose, codeList(names))
	}
	prop, _, ok := schemaPropAt(schema, sym.segs)
	if !ok {
		why := "not declared in " + whose + " `config_schema`"
		if out, _, msg := configschema.Lookup(schema, sym.name); out == configschema.Missing && msg != "" {
			why = msg
		} else if out == configschema.Unknown {
			why = "the schema does not declare it, and cannot tell whether it exists (open objects, `anyOf`, ...)"
		}
		return fmt.Sprintf("`%s`\n\n%s", title, why)
	}
	node := prop.member.Value
	var b strings.Builder
	fmt.Fprintf(&b, "`%s`", title)
	if t := schemaType(schema, node); t != "" {
		fmt.Fprintf(&b, ": `%s`", t)
	}
	if prop.required() {
		b.WriteString(" (required)")
	} else {
		b.WriteString(" (optional)")
	}
	if d := schemaField(schema, node, "description"); d != nil && d.Kind == json5.String && d.Text != "" {
		b.WriteString("\n\n" + d.Text)
	}
	var facts []string
	secret, holdsSecrets := config.SecretAt(schema.Value(), sym.segs)
	if d := schemaField(schema, node, "default"); d != nil {
		switch {
		case secret:
			facts = append(facts, "default: `"+config.Mask+"` (secret)")
		case holdsSecrets:
			facts = append(facts, "default: set; it holds secret values, not shown")
		default:
			facts = append(facts, "default: `"+schemaFile.snippet(d, 80)+"`")
		}
	}
	if e := schemaField(schema, node, "enum"); e != nil && !secret {
		facts = append(facts, "one of: `"+schemaFile.snippet(e, 120)+"`")
	}
	if secret {
		facts = append(facts, "secret: its values are masked in every output")
	}
	if props := schemaProps(schema, node); len(props) > 0 {
		var names []string
		for _, p := range props {
			names = append(names, p.member.Key.Name)
		}
		facts = append(facts, "properties: "+codeList(names))
	}
	facts = append(facts, "declared in "+whose+" `config_schema`")
	b.WriteString("\n\n- " + strings.Join(facts, "\n- "))
	return b.String()
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// declWords names the entries of a section in hovers.
var declWords = map[string]string{"slots": "slot", "provides": "provide", "resources": "resource"}

// hoverDecl renders a slot, provide or resource declaration; of names
// the child it belongs to ("" for this manifest's own).
func (f *featureFile) hoverDecl(section, name, of string) string {
	word := declWords[section]
	title := word + " `" + name + "`"
	if of != "" {
		title += " of `" + of + "`"
	}
	m := f.entry(section, name)
	if m == nil {
		return fmt.Sprintf("%s\n\n`%s` declares no %s `%s`", title, f.base(), word, name)
	}
	return fmt.Sprintf("%s in `%s`\n\n- %s", title, f.base(), strings.Join(f.declFacts(section, m), "\n- "))
}

// declFacts lists what a declaration says: kind, profile and the
// section's other fields.
func (f *featureFile) declFacts(section string, m *json5.Member) []string {
	v := m.Value
	str := func(key string) (string, bool) {
		if n := v.Get(key); n != nil && n.Kind == json5.String {
			return n.Text, true
		}
		return "", false
	}
	boolean := func(key string) string {
		if n := v.Get(key); n != nil && n.Kind == json5.Bool {
			return n.Text
		}
		return "false"
	}
	var facts []string
	if k, ok := str("kind"); ok {
		fact := "kind: `" + k + "`"
		if doc := enumDoc(manifest.EnumCapabilityKind, k); doc != "" {
			fact += ", " + doc
		}
		facts = append(facts, fact)
	} else {
		facts = append(facts, "kind: missing")
	}
	switch section {
	case "slots", "provides":
		if p, ok := str("profile"); ok {
			facts = append(facts, "profile: `"+p+"`")
		} else {
			facts = append(facts, "profile: none")
		}
	}
	switch section {
	case "slots":
		facts = append(facts, "optional: `"+boolean("optional")+"`", "multiple: `"+boolean("multiple")+"`")
	case "provides":
		if e, ok := str("endpoint"); ok {
			facts = append(facts, "endpoint: `"+e+"`")
		}
	case "resources":
		if p := v.Get("params"); p != nil && p.Kind == json5.Object {
			facts = append(facts, "params: `"+f.snippet(p, 80)+"`")
		}
	}
	return facts
}

// declSummary is a declaration in one line: "provide `api` (kind `http`)".
func (f *featureFile) declSummary(section string, m *json5.Member) string {
	s := declWords[section] + " `" + m.Key.Name + "`"
	var bits []string
	if k := m.Value.Get("kind"); k != nil && k.Kind == json5.String {
		bits = append(bits, "kind `"+k.Text+"`")
	}
	if p := m.Value.Get("profile"); p != nil && p.Kind == json5.String {
		bits = append(bits, "profile `"+p.Text+"`")
	}
	if len(bits) > 0 {
		s += " (" + strings.Join(bits, ", ") + ")"
	}
	return s
}

// hoverEndpoint renders an endpoint of the program.
func (f *featureFile) hoverEndpoint(name string) string {
	e := f.endpoint(name)
	if e == nil {
		return fmt.Sprintf("endpoint `%s`\n\nthe program declares no endpoint named `%s`", name, name)
	}
	var facts []string
	if p := e.Get("port"); p != nil {
		facts = append(facts, "port: `"+f.snippet(p, 40)+"`")
	}
	proto := "http"
	if p := e.Get("protocol"); p != nil && p.Kind == json5.String {
		proto = p.Text
	}
	facts = append(facts, "protocol: `"+proto+"`")
	return fmt.Sprintf("endpoint `%s` of the program\n\n- %s", name, strings.Join(facts, "\n- "))
}

// endpoints returns the endpoint objects of the program (or its vm).
func (f *featureFile) endpoints() []*json5.Node {
	prog := f.section("program")
	if prog == nil {
		return nil
	}
	var out []*json5.Node
	for _, path := range [][]string{{"network", "endpoints"}, {"vm", "network", "endpoints"}} {
		if list := prog.Lookup(path...); list != nil && list.Kind == json5.Array {
			for _, e := range list.Elems() {
				if e.Kind == json5.Object {
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// endpoint returns the endpoint named name, or nil.
func (f *featureFile) endpoint(name string) *json5.Node {
	for _, e := range f.endpoints() {
		if n := e.Get("name"); n != nil && n.Kind == json5.String && n.Text == name {
			return e
		}
	}
	return nil
}

// hoverEnvironment renders an entry of `environments`.
func (f *featureFile) hoverEnvironment(name string) string {
	m := f.entry("environments", name)
	if m == nil {
		return fmt.Sprintf("environment `%s`\n\n`%s` declares no environment `%s`", name, f.base(), name)
	}
	var facts []string
	if e := m.Value.Get("extends"); e != nil && e.Kind == json5.String {
		facts = append(facts, "extends: `"+e.Text+"`")
	}
	if r := m.Value.Get("resolvers"); r != nil {
		facts = append(facts, "resolvers: `"+f.snippet(r, 80)+"`")
	}
	if len(facts) == 0 {
		return fmt.Sprintf("environment `%s`", name)
	}
	return fmt.Sprintf("environment `%s`\n\n- %s", name, strings.Join(facts, "\n- "))
}

// hoverEntry renders a `components` or `use` entry: the file it resolves
// to and what that manifest exports.
func (f *featureFile) hoverEntry(section, name string) string {
	word := "component"
	if section == "use" {
		word = "use"
	}
	c := f.child(section, name)
	var b strings.Builder
	fmt.Fprintf(&b, "%s `#%s`", word, name)
	if c.ref != nil {
		fmt.Fprintf(&b, " → `%s`", c.ref.Text)
	}
	if c.file == nil {
		b.WriteString("\n\n" + c.problem)
		return b.String()
	}
	facts := manifestFacts(c.file)
	if section == "use" {
		// What each export of a helper resolves to, with its profile.
		facts = facts[:len(facts)-1]
		for _, x := range c.file.names("exports") {
			if hops, _ := c.file.exportChain(x); len(hops) > 0 {
				facts = append(facts, "export `"+x+"` → "+describeChain(hops))
			}
		}
	}
	b.WriteString("\n\n- " + strings.Join(facts, "\n- "))
	return b.String()
}

// hoverExport renders an export of file x and what it resolves to; of
// names the child it is an export of ("" for this manifest's own).
func (f *featureFile) hoverExport(x *featureFile, name, of string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "export `%s`", name)
	if of != "" {
		fmt.Fprintf(&b, " of `%s`", of)
	}
	fmt.Fprintf(&b, " (`%s`)", x.base())
	hops, problem := x.exportChain(name)
	if len(hops) > 0 {
		b.WriteString("\n\n- resolves to: " + describeChain(hops))
	}
	if problem != "" {
		b.WriteString("\n\n" + problem)
	}
	return b.String()
}

// hoverOverlay renders an overlay reference: the `use` entry and what its
// export resolves to.
func (f *featureFile) hoverOverlay(sym symbol) string {
	var b strings.Builder
	fmt.Fprintf(&b, "overlay `#%s.%s`", sym.child, sym.name)
	c := f.child("use", sym.child)
	if c.entry == nil {
		fmt.Fprintf(&b, "\n\nthis manifest has no `use.%s` entry", sym.child)
		return b.String()
	}
	use := "use `#" + sym.child + "`"
	if c.ref != nil {
		use += " → `" + c.ref.Text + "`"
	}
	if c.file == nil {
		fmt.Fprintf(&b, "\n\n- %s\n\n%s", use, c.problem)
		return b.String()
	}
	fmt.Fprintf(&b, "\n\n- %s (`%s`)", use, c.path)
	if sym.name == "" {
		return b.String()
	}
	hops, problem := c.file.exportChain(sym.name)
	if len(hops) > 0 {
		b.WriteString("\n- export `" + sym.name + "` resolves to: " + describeChain(hops))
	}
	if problem != "" {
		b.WriteString("\n\n" + problem)
	}
	return b.String()
}

// describeChain renders where an export chain ends, with the hops between.
func describeChain(hops []hop) string {
	last := hops[len(hops)-1]
	if last.section == "exports" {
		return "export `" + last.member.Key.Name + "` of `" + last.file.base() + "`"
	}
	s := last.file.declSummary(last.section, last.member)
	if len(hops) > 2 || hops[0].file != last.file {
		s += " in `" + last.file.base() + "`"
	}
	return s
}
