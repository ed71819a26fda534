package manifest

import (
	"slices"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// shapeError is a decoding problem: Amber reports it as
// `manifest validation error at {path}: {detail}`.
type shapeError struct {
	path   path
	detail string
}

// decoder maps a syntax tree onto the typed manifest, collecting every shape
// error instead of stopping at the first.
type decoder struct {
	errs   []shapeError
	syntax []json5.Error     // syntax errors only the decoder can see (jsonValue)
	draft  []diag.Diagnostic // amber_lsp:: diagnostics for draft spellings
	budget diag.Budget       // of errs and draft
	// omitted is the first shape error the budget left out, where the
	// summary of those left out is placed.
	omitted *shapeError
	// problems counts every problem found, kept or not: an entry whose
	// decoding left it unchanged decoded cleanly (see reuse.go).
	problems int
	// prev is what the analysis of an earlier version of the text may
	// lend this one (nil for none), and dirty collects, for the next
	// version, the entries whose decoding found a problem.
	prev   *prior
	dirty  map[*json5.Node]bool
	reused int    // entries taken from prev
	src    []byte // the text decoded
	mv     mover  // moves the entries taken from prev onto the new tree
	// bindings lines `bindings` up with prev's (nil without one), and
	// sameChildren is set when `components` names the children prev's
	// does, in the same order: what validation needs to take prev's
	// binding checks (bindingChecks).
	bindings     *lineup
	sameChildren bool
	// sameKeys is set by readTable when the table it read last has the
	// keys of prev's, in the same order, each read to one value.
	sameKeys bool
	// overlays is the first root member `overlays`, once overlaysScanned.
	overlays        *json5.Member
	overlaysScanned bool
}

func (d *decoder) fail(p path, detail string) {
	d.problems++
	if d.budget.Allow(diag.Error) {
		d.errs = append(d.errs, shapeError{p, detail})
	} else if d.omitted == nil {
		d.omitted = &shapeError{p, detail}
	}
}

// unknownField reports an unknown key k of the record at p whose fields are
// listed by expected, building the message only when the budget keeps it:
// a file of a million unknown keys would otherwise build a million.
func (d *decoder) unknownField(p path, k, expected string) {
	if d.omitted != nil {
		d.problems++
		d.budget.Allow(diag.Error) // only counts from here on
		return
	}
	d.fail(p.key(k), "unknown field `"+k+"`, expected "+expected)
}

// addDraft keeps a draft-spelling diagnostic.
func (d *decoder) addDraft(dg diag.Diagnostic) {
	d.problems++
	if d.budget.Keep(&dg) {
		d.draft = append(d.draft, dg)
	}
}

// typeErr reports a value decoded directly from the text that is not of the
// wanted JSON type: `expected {want}, found {kind}`.
func (d *decoder) typeErr(p path, want string, n *json5.Node) {
	if n.Kind == json5.Invalid && n.Detail() != "" {
		d.fail(p, n.Detail())
		return
	}
	detail := "expected " + want
	if k := n.FoundKind(); k != "" {
		detail += ", found " + k
	}
	d.fail(p, detail)
}

// serdeErr reports a value decoded through an intermediate JSON value that
// does not fit: `invalid type: {unexpected}, expected {what}`.
func (d *decoder) serdeErr(p path, n *json5.Node, what string) {
	if n.Kind == json5.Invalid && n.Detail() != "" {
		d.fail(p, n.Detail())
		return
	}
	d.fail(p, "invalid type: "+unexpected(n)+", expected "+what)
}

// unexpected describes a value the way serde's Unexpected does.
func unexpected(n *json5.Node) string {
	switch n.Kind {
	case json5.Bool:
		return "boolean `" + n.Text + "`"
	case json5.Number:
		if n.IsInteger() {
			if v, ok := n.Int(); ok {
				return "integer `" + strconv.FormatInt(v, 10) + "`"
			}
		}
		if f, ok := n.Float(); ok {
			s := strconv.FormatFloat(f, 'f', -1, 64)
			if !strings.ContainsAny(s, ".eEnN") {
				s += ".0"
			}
			return "floating point `" + s + "`"
		}
		return "number `" + n.Text + "`"
	case json5.String:
		return "string " + strconv.Quote(n.Text)
	case json5.Null:
		return "unit value"
	case json5.Array:
		return "sequence"
	case json5.Object:
		return "map"
	}
	return n.FoundKind()
}

// isNull reports whether n is a null literal.
func isNull(n *json5.Node) bool { return n != nil && n.Kind == json5.Null }

// record reads a strict record decoded directly from the text. It reports a
// non-object value, unknown keys (at p.key) and repeated keys, and calls fn
// with the first occurrence of each known key, in source order. A key
// unknown or repeated several times is reported once: the reports would be
// the same diagnostic, at the first member of that name.
func (d *decoder) record(n *json5.Node, p path, fields []string, fn func(key string, m *json5.Member)) bool {
	if n.Kind != json5.Object {
		d.typeErr(p, "object", n)
		return false
	}
	var seen, reported keySet
	expected := ""
	for _, m := range n.Members {
		k := m.Key.Name
		if !contains(fields, k) {
			if reported.add(k) {
				if expected == "" {
					expected = expectedList(fields)
				}
				d.unknownField(p, k, expected)
			}
			continue
		}
		if !seen.add(k) {
			if reported.add(k) {
				d.fail(p, "duplicate field `"+k+"`")
			}
			continue
		}
		fn(k, m)
	}
	return true
}

// keySet is a set of keys that costs no allocation while it is small, as
// the records of a manifest are. The zero value is an empty set.
type keySet struct {
	small [8]string
	n     int
	big   map[string]bool
}

// add adds k and reports whether it was not in the set yet.
func (s *keySet) add(k string) bool {
	if s.big != nil {
		if s.big[k] {
			return false
		}
		s.big[k] = true
		return true
	}
	for _, x := range s.small[:s.n] {
		if x == k {
			return false
		}
	}
	if s.n == len(s.small) {
		s.big = make(map[string]bool, 2*s.n)
		for _, x := range s.small {
			s.big[x] = true
		}
		s.big[k] = true
		return true
	}
	s.small[s.n] = k
	s.n++
	return true
}

// jsonRecord reads a strict record decoded through an intermediate JSON value:
// unknown keys are reported at p itself and the last repeated key wins.
func (d *decoder) jsonRecord(n *json5.Node, p path, fields []string) (jsonFields, bool) {
	out := jsonFields{names: fields}
	if len(fields) > len(out.vals) {
		panic("jsonRecord: more fields than jsonFields holds")
	}
	if !d.jsonValue(n, p) {
		return out, false
	}
	ok := true
	for _, m := range n.Members {
		i := slices.Index(fields, m.Key.Name)
		if i < 0 {
			if ok {
				d.fail(p, "unknown field `"+m.Key.Name+"`, expected "+expectedList(fields))
			}
			ok = false
			continue
		}
		out.vals[i] = m.Value
	}
	return out, ok
}

// jsonFields are the fields of a jsonRecord: the value of the last member
// with each name, as serde's intermediate map keeps it.
type jsonFields struct {
	names []string
	vals  [8]*json5.Node
}

// get returns the value of the named field, or nil when it is absent.
func (f *jsonFields) get(name string) *json5.Node {
	if i := slices.Index(f.names, name); i >= 0 {
		return f.vals[i]
	}
	return nil
}

// table reads a keyed table (`components`, `slots`, ...): an object whose
// repeated keys are an error after the entry is read. fn gets each entry
// and its index; the first occurrence of a repeated name is the one kept.
func (d *decoder) table(n *json5.Node, p path, fn func(i int, m *json5.Member, p path)) {
	p = p.fixed()
	if n.Kind != json5.Object {
		d.typeErr(p, "object", n)
		return
	}
	duplicate := false
	for i, m := range n.Members {
		if n.Member(m.Key.Name) != m { // not the first of its name
			if !duplicate { // every repetition is the same diagnostic
				d.fail(p, "invalid entry: found duplicate key")
				duplicate = true
			}
			continue
		}
		fn(i, m, p.key(m.Key.Name))
	}
}

// array reads an array decoded directly from the text.
func (d *decoder) array(n *json5.Node, p path, fn func(i int, e *json5.Node, p path)) {
	p = p.fixed()
	if n.Kind != json5.Array {
		d.typeErr(p, "array", n)
		return
	}
	for i, e := range n.Elems() {
		fn(i, e, p.index(i))
	}
}

// str reads a string decoded directly from the text.
func (d *decoder) str(n *json5.Node, p path) *Str {
	if n.Kind != json5.String {
		d.typeErr(p, "string", n)
		return nil
	}
	return &Str{n.Text, n}
}

// optStr reads a string or null (absent) decoded directly.
func (d *decoder) optStr(n *json5.Node, p path) *Str {
	if isNull(n) {
		return nil
	}
	return d.str(n, p)
}

// jsonStr reads a string or null from an intermediate JSON value.
func (d *decoder) jsonStr(n *json5.Node, p path) *Str {
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != json5.String {
		d.serdeErr(p, n, "a string")
		return nil
	}
	return &Str{n.Text, n}
}

// boolean reads a boolean decoded directly.
func (d *decoder) boolean(n *json5.Node, p path) bool {
	if n.Kind != json5.Bool {
		d.typeErr(p, "boolean", n)
		return false
	}
	return n.Text == "true"
}

// interpolated reads a directly decoded string that must pass the
// interpolation grammar.
func (d *decoder) interpolated(n *json5.Node, p path) *Str {
	s := d.str(n, p)
	if s != nil {
		d.checkInterpolation(s.Value, p)
	}
	return s
}

// optInterpolated is interpolated with null meaning absent.
func (d *decoder) optInterpolated(n *json5.Node, p path) *Str {
	if isNull(n) {
		return nil
	}
	return d.interpolated(n, p)
}

func (d *decoder) checkInterpolation(s string, p path) {
	if _, err := parseTemplate(s); err != nil {
		d.fail(p, err.Error())
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Field lists in Amber's declaration order, and enum values, from the
// vocabulary table.
var (
	rootFields          = Record(RecordRoot).Names()
	programFields       = Record(RecordProgram).Names()
	vmFields            = Record(RecordVM).Names()
	cloudInitFields     = Record(RecordCloudInit).Names()
	networkFields       = Record(RecordNetwork).Names()
	vmNetworkFields     = Record(RecordVMNetwork).Names()
	endpointFields      = Record(RecordEndpoint).Names()
	mountFields         = Record(RecordMount).Names()
	argItemFields       = Record(RecordArgItem).Names()
	fileFields          = Record(RecordFileRef).Names()
	envValueFields      = Record(RecordEnvValue).Names()
	slotFields          = Record(RecordSlot).Names()
	provideFields       = Record(RecordProvide).Names()
	resourceFields      = Record(RecordResource).Names()
	paramsFields        = Record(RecordParams).Names()
	environmentFields   = Record(RecordEnvironment).Names()
	componentFields     = Record(RecordComponent).Names()
	manifestRefFields   = Record(RecordManifestRef).Names()
	bindingFields       = Record(RecordBinding).Names()
	childTemplateFields = Record(RecordChildTemplate).Names()
	limitsFields        = Record(RecordLimits).Names()

	capabilityKinds  = Enum(EnumCapabilityKind).Names()
	featureNames     = Enum(EnumExperimentalFeature).Names()
	backendNames     = Enum(EnumBackend).Names()
	egressNames      = Enum(EnumEgress).Names()
	rootExpected     = expectedList(rootFields)
	semverSupported  = ">=" + OldestVersion + ", <1.0.0"
	missingVersionHp = "add `manifest_version: \"" + NewestVersion + "\"` to the root object"
)

// decode maps the root node of the text src onto a Manifest, reusing
// what the analysis of an earlier version decoded, prev (nil for none;
// see reuse.go).
func decode(root *json5.Node, src []byte, prev *prior) (*Manifest, *decoder) {
	d := &decoder{prev: prev, src: src}
	m := &Manifest{Root: root, sectionKeys: map[string]json5.Key{}}
	if root.Kind != json5.Object {
		d.typeErr(path{}, "object", root)
		return m, d
	}
	seen := map[string]bool{}
	var reported keySet // unknown and repeated keys, reported once (see record)
	for i, mem := range root.Members {
		k := mem.Key.Name
		if d.draftRootKey(m, i) {
			continue
		}
		if !contains(rootFields, k) {
			if reported.add(k) {
				d.unknownField(path{}, k, rootExpected)
			}
			continue
		}
		if seen[k] {
			if reported.add(k) {
				d.fail(path{}, "duplicate field `"+k+"`")
			}
			continue
		}
		seen[k] = true
		m.sectionKeys[k] = mem.Key
		before := d.problems
		d.rootField(m, k, mem)
		if d.problems != before {
			d.markDirty(mem.Value)
		}
	}
	if !seen["manifest_version"] {
		d.fail(path{}, "missing field `manifest_version`")
	}
	d.draftVersion(m)
	return m, d
}

func (d *decoder) rootField(m *Manifest, k string, mem *json5.Member) {
	v := mem.Value
	p := path{}.key(k)
	switch k {
	case "manifest_version":
		if s := d.str(v, p); s != nil {
			if err := checkSemver(s.Value); err != "" {
				d.fail(p, err)
			} else {
				m.Version = s
			}
		}
	case "experimental_features":
		d.array(v, p, func(i int, e *json5.Node, p path) {
			if d.draftFeature(v, i) {
				return
			}
			if s := d.enum(e, p, featureNames); s != nil {
				m.ExperimentalFeatures = append(m.ExperimentalFeatures, *s)
			}
		})
	case "program":
		if !isNull(v) {
			m.ProgramKey = mem.Key
			m.Program = d.program(v, p)
		}
	case "components":
		m.Components = d.componentTable(v, p, newReuse(d, k, v, d.priorManifest().Components, componentNode))
		m.components = d.componentIndex(m.Components)
	case "use":
		m.Use = d.componentTable(v, p, newReuse(d, k, v, d.priorManifest().Use, componentNode))
	case "environments":
		r := newReuse(d, k, v, d.priorManifest().Environments, func(e *Environment) *json5.Node { return e.Node })
		m.Environments = readTable(d, v, p, r, d.environment, rebaseEnvironment)
	case "config_schema":
		if !isNull(v) && d.jsonValue(v, p) {
			m.ConfigSchema = v
		}
	case "slots":
		r := newReuse(d, k, v, d.priorManifest().Slots, func(s *Slot) *json5.Node { return s.Node })
		m.Slots = readTable(d, v, p, r, d.slot, rebaseSlot)
	case "provides":
		r := newReuse(d, k, v, d.priorManifest().Provides, func(s *Provide) *json5.Node { return s.Node })
		m.Provides = readTable(d, v, p, r, d.provide, rebaseProvide)
	case "resources":
		r := newReuse(d, k, v, d.priorManifest().Resources, func(r *Resource) *json5.Node { return r.Node })
		m.Resources = readTable(d, v, p, r, d.resource, rebaseResource)
	case "child_templates":
		d.table(v, p, func(_ int, e *json5.Member, p path) {
			if t := d.childTemplate(e, p); t != nil {
				m.ChildTemplates = append(m.ChildTemplates, t)
			}
		})
	case "bindings":
		r := newReuse(d, k, v, d.priorManifest().Bindings, func(b *Binding) *json5.Node { return b.Node })
		m.Bindings = readBindings(d, v, p, r)
		if r != nil {
			d.bindings = &r.lineup
		}
	case "overlays":
		d.array(v, p, func(i int, e *json5.Node, p path) {
			if s := d.str(e, p); s != nil {
				m.Overlays = append(m.Overlays, *s)
			}
		})
	case "exports":
		r := newReuse(d, k, v, d.priorManifest().Exports, func(x *Export) *json5.Node { return x.Node })
		m.Exports = readTable(d, v, p, r, d.export, rebaseExport)
	case "metadata":
		if !isNull(v) && d.jsonValue(v, p) {
			m.Metadata = v
		}
	}
}

// enum reads an enum value decoded directly: a string naming a variant.
func (d *decoder) enum(n *json5.Node, p path, variants []string) *Str {
	if n.Kind != json5.String {
		if n.Kind == json5.Invalid && n.Detail() != "" {
			d.fail(p, n.Detail())
		} else {
			d.fail(p, "expected string or object")
		}
		return nil
	}
	if !contains(variants, n.Text) {
		d.fail(p, "unknown variant `"+n.Text+"`, expected "+expectedList(variants))
		return nil
	}
	return &Str{n.Text, n}
}

// componentTable reads `components` or `use`, reusing the prior's
// entries through r.
func (d *decoder) componentTable(n *json5.Node, p path, r *reuse[*ComponentDecl]) []*ComponentDecl {
	return readTable(d, n, p, r, d.componentDecl, rebaseComponent)
}

func componentNode(c *ComponentDecl) *json5.Node { return c.Node }

// componentIndex returns the index of cs, just read by readTable, by name:
// the prior's when its children have the same names in the same order.
func (d *decoder) componentIndex(cs []*ComponentDecl) map[string]int32 {
	if was := d.priorManifest(); was.components != nil && (d.sameKeys || slices.EqualFunc(cs, was.Components, func(a, b *ComponentDecl) bool { return a.Name == b.Name })) {
		d.sameChildren = true
		return was.components
	}
	idx := make(map[string]int32, len(cs))
	for i, c := range cs {
		idx[c.Name] = int32(i) // a table keeps one entry per name
	}
	return idx
}

// componentDecl reads a `components` or `use` entry (via a JSON value).
func (d *decoder) componentDecl(e *json5.Member, p path) *ComponentDecl {
	v := e.Value
	c := &ComponentDecl{Entry: Entry{e.Key.Name, e.Key, v}}
	switch v.Kind {
	case json5.String:
		if !d.manifestRef(v, p, &c.Manifest) {
			return nil
		}
	case json5.Object:
		if v.Member("manifest") == nil {
			if !d.manifestRefObject(v, p, c) {
				return nil
			}
			return c
		}
		f, ok := d.jsonRecord(v, p, componentFields)
		if !ok {
			return nil
		}
		ref := f.get("manifest")
		switch ref.Kind {
		case json5.String:
			if !d.manifestRef(ref, p, &c.Manifest) {
				return nil
			}
		case json5.Object:
			if !d.manifestRefObject(ref, p, c) {
				return nil
			}
		default:
			d.fail(p, "manifest ref must be a URL string or an object")
			return nil
		}
		if cfg := f.get("config"); cfg != nil && !isNull(cfg) {
			c.Config = cfg
		}
		if env := f.get("environment"); env != nil {
			c.Environment = d.jsonStr(env, p)
		}
	default:
		d.fail(p, "component decl must be a URL string or an object")
		return nil
	}
	return c
}

func (d *decoder) manifestRef(n *json5.Node, p path, out *Str) bool {
	if msg := checkManifestRef(n.Text); msg != "" {
		d.fail(p, msg)
		return false
	}
	*out = Str{n.Text, n}
	return true
}

// manifestRefObject reads `{ url, digest? }`.
func (d *decoder) manifestRefObject(n *json5.Node, p path, c *ComponentDecl) bool {
	f, ok := d.jsonRecord(n, p, manifestRefFields)
	if !ok {
		return false
	}
	url := f.get("url")
	if url == nil {
		d.fail(p, "missing field `url`")
		return false
	}
	if url.Kind != json5.String {
		d.serdeErr(p, url, "a string")
		return false
	}
	if !d.manifestRef(url, p, &c.Manifest) {
		return false
	}
	if dg := f.get("digest"); dg != nil && !isNull(dg) {
		if dg.Kind != json5.String {
			d.serdeErr(p, dg, "a string")
			return false
		}
		if !validDigest(dg.Text) {
			d.fail(p, "invalid manifest digest `"+dg.Text+"`")
			return false
		}
		c.Digest = &Str{dg.Text, dg}
	}
	return true
}

func (d *decoder) environment(e *json5.Member, p path) *Environment {
	p = p.fixed()
	env := &Environment{Entry: Entry{e.Key.Name, e.Key, e.Value}}
	ok := d.record(e.Value, p, environmentFields, func(k string, m *json5.Member) {
		switch k {
		case "extends":
			env.Extends = d.optStr(m.Value, p.key(k))
		case "resolvers":
			d.array(m.Value, p.key(k), func(i int, r *json5.Node, p path) {
				if s := d.str(r, p); s != nil {
					env.Resolvers = append(env.Resolvers, *s)
				}
			})
		}
	})
	if !ok {
		return nil
	}
	return env
}

// capability reads the flattened `kind`/`profile` part of a slot or provide.
// rest gets the other members.
func (d *decoder) capabilityEntry(e *json5.Member, p path, fields []string, rest func(k string, m *json5.Member)) (kind Str, profile *Str, ok bool) {
	v := e.Value
	if v.Kind != json5.Object {
		d.typeErr(p, "object", v)
		return kind, nil, false
	}
	var seen, reported keySet
	unknown, hasUnknown := "", false // the first unknown key
	var kindNode, profileNode *json5.Node
	for _, m := range v.Members {
		k := m.Key.Name
		if !contains(fields, k) {
			if !hasUnknown {
				unknown, hasUnknown = k, true
			}
			continue
		}
		if !seen.add(k) {
			if reported.add(k) { // see record
				d.fail(p, "duplicate field `"+k+"`")
			}
			continue
		}
		switch k {
		case "kind":
			kindNode = m.Value
		case "profile":
			profileNode = m.Value
		default:
			rest(k, m)
		}
	}
	ok = true
	switch {
	case kindNode == nil:
		d.fail(p, "missing field `kind`")
		ok = false
	case kindNode.Kind != json5.String:
		d.serdeErr(p, kindNode, "string or map")
		ok = false
	case !contains(capabilityKinds, kindNode.Text):
		d.fail(p, "unknown variant `"+kindNode.Text+"`, expected "+expectedList(capabilityKinds))
		ok = false
	default:
		kind = Str{kindNode.Text, kindNode}
	}
	if ok && profileNode != nil && !isNull(profileNode) {
		if profileNode.Kind != json5.String {
			d.serdeErr(p, profileNode, "a string")
			ok = false
		} else {
			profile = &Str{profileNode.Text, profileNode}
		}
	}
	if ok && hasUnknown {
		d.fail(p, "unknown field `"+unknown+"`")
		ok = false
	}
	return kind, profile, ok
}

func (d *decoder) slot(e *json5.Member, p path) *Slot {
	p = p.fixed()
	s := &Slot{Entry: Entry{e.Key.Name, e.Key, e.Value}}
	kind, profile, ok := d.capabilityEntry(e, p, slotFields, func(k string, m *json5.Member) {
		switch k {
		case "optional":
			s.Optional = d.boolean(m.Value, p.key(k))
		case "multiple":
			s.Multiple = d.boolean(m.Value, p.key(k))
		}
	})
	if !ok {
		return nil
	}
	s.Kind, s.Profile = kind, profile
	return s
}

func (d *decoder) provide(e *json5.Member, p path) *Provide {
	p = p.fixed()
	pr := &Provide{Entry: Entry{e.Key.Name, e.Key, e.Value}}
	kind, profile, ok := d.capabilityEntry(e, p, provideFields, func(k string, m *json5.Member) {
		if k == "endpoint" {
			pr.Endpoint = d.optStr(m.Value, p.key(k))
		}
	})
	if !ok {
		return nil
	}
	pr.Kind, pr.Profile = kind, profile
	return pr
}

func (d *decoder) resource(e *json5.Member, p path) *Resource {
	p = p.fixed()
	r := &Resource{Entry: Entry{e.Key.Name, e.Key, e.Value}}
	hasKind := false
	ok := d.record(e.Value, p, resourceFields, func(k string, m *json5.Member) {
		switch k {
		case "kind":
			hasKind = true
			if s := d.enum(m.Value, p.key(k), capabilityKinds); s != nil {
				r.Kind = *s
			}
		case "params":
			d.record(m.Value, p.key(k), paramsFields, func(k2 string, m2 *json5.Member) {
				s := d.optInterpolated(m2.Value, p.key(k).key(k2))
				switch k2 {
				case "size":
					r.Size = s
				case "retention":
					r.Retention = s
				case "sharing":
					r.Sharing = s
				}
			})
		}
	})
	if !ok {
		return nil
	}
	if !hasKind {
		d.fail(p, "missing field `kind`")
		return nil
	}
	return r
}

func (d *decoder) childTemplate(e *json5.Member, p path) *ChildTemplate {
	p = p.fixed()
	t := &ChildTemplate{Entry: Entry{e.Key.Name, e.Key, e.Value}}
	ok := d.record(e.Value, p, childTemplateFields, func(k string, m *json5.Member) {
		v, fp := m.Value, p.key(k)
		switch k {
		case "manifest":
			d.templateManifest(v, fp, t)
		case "config":
			if !isNull(v) && v.Kind != json5.Object {
				d.typeErr(fp, "object", v)
			} else if v.Kind == json5.Object && d.jsonValue(v, fp) {
				t.Config = v
			}
		case "bindings":
			if isNull(v) {
				return
			}
			if v.Kind != json5.Object {
				d.typeErr(fp, "object", v)
				return
			}
			for _, b := range v.Members {
				bp := fp.key(b.Key.Name)
				if s := d.str(b.Value, bp); s != nil {
					if msg := checkRealmSelector(s.Value); msg != "" {
						d.fail(bp, msg)
						continue
					}
					t.Bindings = append(t.Bindings, TemplateBinding{b.Key.Name, b.Key, *s})
				}
			}
		case "visible_exports":
			if isNull(v) {
				return
			}
			d.array(v, fp, func(i int, x *json5.Node, p path) {
				if s := d.str(x, p); s != nil {
					t.VisibleExports = append(t.VisibleExports, *s)
				}
			})
		case "limits":
			if isNull(v) {
				return
			}
			d.record(v, fp, limitsFields, func(k2 string, m2 *json5.Member) {
				lp := fp.key(k2)
				switch k2 {
				case "max_live_children":
					if isNull(m2.Value) {
						return
					}
					if n, ok := m2.Value.Int(); !ok || m2.Value.Kind != json5.Number || !m2.Value.IsInteger() {
						d.typeErr(lp, "u32", m2.Value)
					} else if n < 0 || n > 1<<32-1 {
						d.fail(lp, "invalid value: integer `"+strconv.FormatInt(n, 10)+"`, expected u32")
					}
				case "name_pattern":
					d.optStr(m2.Value, lp)
				}
			})
		case "possible_backends":
			if isNull(v) {
				return
			}
			d.array(v, fp, func(i int, x *json5.Node, p path) { d.enum(x, p, backendNames) })
		}
	})
	if !ok {
		return nil
	}
	return t
}

func (d *decoder) templateManifest(v *json5.Node, p path, t *ChildTemplate) {
	const bad = "data did not match any variant of untagged enum ChildTemplateManifestDecl"
	one := func(n *json5.Node) (Str, bool) {
		switch n.Kind {
		case json5.String:
			if checkManifestRef(n.Text) == "" {
				return Str{n.Text, n}, true
			}
		case json5.Object:
			url := n.Get("url")
			dg := n.Get("digest")
			okKeys := true
			for _, m := range n.Members {
				okKeys = okKeys && contains(manifestRefFields, m.Key.Name)
			}
			if okKeys && url != nil && url.Kind == json5.String && checkManifestRef(url.Text) == "" &&
				(dg == nil || isNull(dg) || (dg.Kind == json5.String && validDigest(dg.Text))) {
				return Str{url.Text, url}, true
			}
		}
		return Str{}, false
	}
	switch v.Kind {
	case json5.Null:
	case json5.Array:
		t.ManifestArray = true
		t.Manifests = []Str{}
		for _, e := range v.Elems() {
			s, ok := one(e)
			if !ok {
				d.fail(p, bad)
				return
			}
			t.Manifests = append(t.Manifests, s)
		}
	default:
		s, ok := one(v)
		if !ok {
			d.fail(p, bad)
			return
		}
		t.Manifests = []Str{s}
	}
}

func (d *decoder) export(e *json5.Member, p path) *Export {
	s := d.str(e.Value, p)
	if s == nil {
		return nil
	}
	x := &Export{Entry: Entry{e.Key.Name, e.Key, e.Value}, Target: *s}
	if msg := parseExportTarget(s.Value, x); msg != "" {
		d.fail(p, msg)
		return nil
	}
	return x
}

// sortedEntries returns the entries of list sorted by name in ascending
// byte order, entries of the same name in list order: list itself when it
// is sorted already.
func sortedEntries[T any](list []T, name func(T) string) []T {
	byName := func(a, b T) int { return strings.Compare(name(a), name(b)) }
	if slices.IsSortedFunc(list, byName) {
		return list
	}
	out := slices.Clone(list)
	slices.SortStableFunc(out, byName)
	return out
}
