package manifest

import (
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// validator runs Amber's semantic (stage-2) checks on a decoded manifest. It
// reports every problem it finds, in Amber's check order; Amber itself stops
// at the first.
type validator struct {
	m      *Manifest
	sp     spans
	dir    string // directory of the manifest file, "" when not file-backed
	diags  []diag.Diagnostic
	source []byte
	// read reads a `{ file }` target (Options.ReadFile).
	read func(path string) ([]byte, error)
	// loaded are the texts of the `{ file }` references that could be
	// read, by their `{ file }` object, for the final program checks.
	loaded map[*json5.Node]string

	// Indexes built on first use, so that checking n mounts against n
	// resources or slots is linear.
	resourceNames map[string]bool
	slotsByName   map[string]*Slot // the first slot of each name

	budget  diag.Budget
	last    *diag.Diagnostic // the diagnostic add returned last
	scratch diag.Diagnostic  // what add returns past the budget
	added   int              // diagnostics added, kept or not

	// prev, bindings and sameChildren are what the decode knew of an
	// earlier version (see decoder), from whose validation the checks
	// that grow with the children take what did not change (validated);
	// found is what this validation found, for the next version (nil
	// when run stopped before those checks).
	prev         *prior
	bindings     *lineup
	sameChildren bool
	found        *validated
}

// readTarget reads a `{ file }` target through Options.ReadFile, else the
// disk.
func (v *validator) readTarget(path string) ([]byte, error) {
	if v.read != nil {
		return v.read(path)
	}
	return localfile.Read(path)
}

// span returns the node's span, or the default span when Amber's span lookups
// fail for this file.
func (v *validator) span(n *json5.Node) diag.Span {
	if !v.sp.ok || n == nil {
		return defaultSpan
	}
	return n.Span()
}

func (v *validator) keySpan(k json5.Key) diag.Span {
	if !v.sp.ok || k.End == 0 {
		return defaultSpan
	}
	return k.Span()
}

func (v *validator) report(code diag.Code, msg string, at diag.Span, label, help string) *diag.Diagnostic {
	return v.add(diag.Diagnostic{
		Code:     code,
		Severity: diag.Error,
		Message:  msg,
		Labels:   []diag.Label{{Span: at, Message: label, Primary: true}},
		Help:     help,
	})
}

// add keeps a diagnostic, within the file's budget, and returns it for the
// caller to complete; past the budget it returns a scratch copy, which
// completing changes nothing.
func (v *validator) add(d diag.Diagnostic) *diag.Diagnostic {
	v.added++
	if !v.budget.Keep(&d) {
		v.scratch = d
		v.last = &v.scratch
		return v.last
	}
	v.diags = append(v.diags, d)
	v.last = &v.diags[len(v.diags)-1]
	return v.last
}

// summary returns the diagnostic that counts what the budget left out.
func (v *validator) summary() []diag.Diagnostic {
	if s, ok := v.budget.Summary(codes.TooManyDiagnostics, ""); ok {
		return []diag.Diagnostic{s}
	}
	return nil
}

func (v *validator) run() {
	if !v.checkVersion() {
		return
	}
	v.checkFileRefs()
	v.checkGates()
	v.checkConfigSchema()
	m := v.m
	checkNames(v, "use", m.Use, func(c *ComponentDecl) *Entry { return &c.Entry })
	checkNames(v, "environment", m.Environments, func(e *Environment) *Entry { return &e.Entry })
	v.checkOverlayRefs()
	v.found = &validated{}
	v.checkChildNames()
	checkNames(v, "slot", m.Slots, func(s *Slot) *Entry { return &s.Entry })
	checkNames(v, "provide", m.Provides, func(p *Provide) *Entry { return &p.Entry })
	checkNames(v, "resource", m.Resources, func(r *Resource) *Entry { return &r.Entry })
	checkNames(v, "child template", m.ChildTemplates, func(t *ChildTemplate) *Entry { return &t.Entry })
	v.checkEnvironments()
	v.checkAmbiguous()
	v.checkResources()
	v.checkChildTemplates()
	v.checkBindings()
	v.checkExports()
	v.checkEndpoints()
	v.checkMounts()
	v.checkProgramFinal()
}

// checkVersion reports an unsupported manifest_version; other checks depend
// on a version, so they are skipped without one.
func (v *validator) checkVersion() bool {
	ver := v.m.Version
	if ver == nil {
		return false
	}
	if !supportedVersion(ver.Value) {
		v.report(codes.UnsupportedVersion,
			"unsupported manifest version `"+ver.Value+"` (supported: "+semverSupported+")",
			v.span(ver.Node), "unsupported `manifest_version`", "")
	}
	return true
}

// checkFileRefs resolves the `{ file }` references of the program and
// checks the texts they load as Amber does (6.2). A reference that cannot
// be read is labelled on the `{ file }` object, or on the program when its
// pointer names nothing in the source (FileRef.Bare); a text that does not
// pass the check, which Amber reports without a label, at the `{ file }`
// object (13.3).
func (v *validator) checkFileRefs() {
	p := v.m.Program
	for _, f := range p.FileRefs() {
		raw := f.Path.Value
		text, reason := "", ""
		switch {
		case strings.TrimSpace(raw) == "":
			reason = "path must not be empty"
		case !filepath.IsAbs(raw) && v.dir == "":
			reason = "relative file references require a file-backed manifest"
		default:
			path := raw
			if !filepath.IsAbs(raw) {
				path = filepath.Join(v.dir, raw)
			}
			text, reason = v.load(path)
		}
		if reason != "" {
			at := f.Node
			if f.Bare {
				at = p.Node
			}
			v.report(codes.ProgramFileReference,
				"invalid program file reference `"+raw+"` at "+f.Pointer+": "+reason,
				v.span(at), "file reference here", "")
			continue
		}
		if v.loaded == nil {
			v.loaded = map[*json5.Node]string{}
		}
		v.loaded[f.Node] = text
		if code, msg := checkFileText(text, f.Text); msg != "" {
			v.report(code, msg, v.span(f.Node), "", "")
		}
	}
}

// load reads a `{ file }` target as Rust's read_to_string does: its text,
// or why it cannot be read in the words of Rust's io::Error.
func (v *validator) load(path string) (string, string) {
	b, err := v.readTarget(path)
	switch {
	case err != nil:
		return "", localfile.Reason(err)
	case !utf8.Valid(b):
		return "", "stream did not contain valid UTF-8"
	}
	return string(b), ""
}

// checkFileText checks a text a `{ file }` reference loaded as Amber
// checks it at its place (FileText), returning the code and message of
// the first problem, or an empty message.
func checkFileText(text string, how FileText) (diag.Code, string) {
	var words []string
	switch how {
	case FileUnchecked:
		return "", ""
	case FileInterpolated:
		words = []string{text}
	case FileShell:
		ws, msg := SplitShell(text)
		if msg != "" {
			return codes.UnclosedQuote, msg
		}
		for _, w := range ws {
			words = append(words, w.Text)
		}
	}
	for _, w := range words {
		if _, err := interp.Parse(w); err != nil {
			return codes.InvalidInterpolation, clipQuoted(err.Error())
		}
	}
	return "", ""
}

// maxFileMessage is the longest message a `{ file }` text's problem gets.
// Amber quotes everything from an unclosed `${` to the end of the file;
// a file may be megabytes, which no editor shows and no log wants.
const maxFileMessage = 512

// clipQuoted shortens a message longer than maxFileMessage that ends in a
// quoted text, keeping its start and closing the quote after an ellipsis.
func clipQuoted(msg string) string {
	if len(msg) <= maxFileMessage {
		return msg
	}
	cut := maxFileMessage
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…`"
}

// gateHit is a use of program syntax that needs a newer manifest_version.
type gateHit struct {
	feature string
	node    *json5.Node
}

// checkGates implements the version gates of spec 4.3.
func (v *validator) checkGates() {
	ver := v.m.Version.Value
	found, required := "", ""
	var hit *gateHit
	if !versionAtLeast(ver, "0.2.0") {
		hit, required = v.findProgramSyntax(true), "0.2.0"
	}
	if hit == nil && !versionAtLeast(ver, "0.3.0") {
		hit, required = v.findProgramSyntax(false), "0.3.0"
	}
	if hit != nil {
		found = hit.feature
		at := v.span(hit.node)
		if hit.node == nil {
			at = v.span(v.m.Version.Node)
		}
		v.report(codes.ProgramSyntaxRequiresManifestVersion,
			"using "+found+" requires manifest_version >= "+required+", but found "+ver,
			at, "unsupported program syntax used here",
			"set `manifest_version` to \""+required+"\" or remove "+found)
	}
	if versionAtLeast(ver, overlaysVersion) {
		return
	}
	if len(v.m.Use) > 0 {
		k, _ := v.m.SectionKey("use")
		v.report(codes.FeatureRequiresManifestVersion,
			"using `use` section requires manifest_version >= 0.4.0, but found "+ver,
			v.keySpan(k), "unsupported manifest feature used here",
			"set `manifest_version` to \"0.4.0\" or remove `use` section")
		return
	}
	if len(v.m.Overlays) > 0 {
		v.report(codes.FeatureRequiresManifestVersion,
			"using `overlays` section requires manifest_version >= 0.4.0, but found "+ver,
			v.span(v.m.Overlays[0].Node), "unsupported manifest feature used here",
			"set `manifest_version` to \"0.4.0\" or remove `overlays` section")
	}
}

// findProgramSyntax finds the first conditional (when) or variadic (each)
// program construct in Amber's search order.
func (v *validator) findProgramSyntax(conditional bool) *gateHit {
	p := v.m.Program
	if p == nil {
		return nil
	}
	pick := func(when, each *Str) bool {
		if conditional {
			return when != nil
		}
		return each != nil
	}
	name := func(cond, vari string) string {
		if conditional {
			return cond
		}
		return vari
	}
	for _, cmd := range []*Command{p.Entrypoint, p.Args} {
		if cmd == nil {
			continue
		}
		for _, it := range cmd.Items {
			if pick(it.When, it.Each) {
				return &gateHit{name("conditional argument items", "variadic argument expansion"), it.Node}
			}
		}
	}
	for _, e := range sortedEntries(p.Env, func(e *EnvVar) string { return e.Name }) {
		if pick(e.When, e.Each) {
			return &gateHit{name("conditional environment values", "variadic environment expansion"), e.Node}
		}
	}
	mounts, endpoints := p.Mounts, []*Endpoint(nil)
	if p.Network != nil {
		endpoints = p.Network.Endpoints
	}
	if p.VM != nil {
		mounts = p.VM.Mounts
		if p.VM.Network != nil {
			endpoints = p.VM.Network.Endpoints
		}
	}
	for _, m := range mounts {
		if pick(m.When, m.Each) {
			return &gateHit{name("conditional mounts", "variadic mounts"), m.Node}
		}
	}
	for _, e := range endpoints {
		if pick(e.When, e.Each) {
			return &gateHit{name("conditional endpoints", "variadic endpoints"), e.Node}
		}
	}
	return nil
}

// checkNames reports table keys containing a dot (5.1), in sorted order.
// Amber gives resource and child-template names the default span; amber-lsp
// points at the key, which is where the problem is. entry returns the
// Entry part of an element of list.
func checkNames[T any](v *validator, kind string, list []T, entry func(T) *Entry) {
	v.reportDotted(kind, dottedNames(list, entry))
}

// checkChildNames is checkNames of the children, which it skips when the
// prior version's children had the same names, none of them dotted.
func (v *validator) checkChildNames() {
	if was := v.was(); was != nil && !was.dottedChildren {
		return
	}
	dotted := dottedNames(v.m.Components, func(c *ComponentDecl) *Entry { return &c.Entry })
	v.found.dottedChildren = len(dotted) > 0
	v.reportDotted("child", dotted)
}

// reportDotted reports the dotted names of entries of a kind.
func (v *validator) reportDotted(kind string, dotted []Entry) {
	for _, e := range dotted {
		v.report(codes.InvalidName, "invalid "+kind+" name `"+e.Name+"`: dots are reserved",
			v.keySpan(e.Key), "invalid name", "")
	}
}

// dottedNames returns the entries of list whose names hold a dot, sorted
// by name.
func dottedNames[T any](list []T, entry func(T) *Entry) []Entry {
	var dotted []Entry
	for _, x := range list {
		if e := entry(x); strings.Contains(e.Name, ".") {
			dotted = append(dotted, *e)
		}
	}
	return sortedEntries(dotted, func(e Entry) string { return e.Name })
}

// OverlayRef is a parsed `#<use>.<export>` overlay reference.
type OverlayRef struct {
	Use, Export string // the `use` entry, without its `#`, and the name of its export
}

// ParseOverlayRef parses an overlay reference, reporting false when it does
// not have the form `#<use>.<export>`.
func ParseOverlayRef(s string) (OverlayRef, bool) {
	rest, ok := strings.CutPrefix(s, "#")
	if !ok {
		return OverlayRef{}, false
	}
	alias, export, ok := strings.Cut(rest, ".")
	if !ok || alias == "" || export == "" || strings.Contains(export, ".") {
		return OverlayRef{}, false
	}
	return OverlayRef{alias, export}, true
}

// checkOverlayRefs implements spec 10.2.
func (v *validator) checkOverlayRefs() {
	uses := map[string]bool{}
	for _, u := range v.m.Use {
		uses[u.Name] = true
	}
	var valid []Str
	for _, o := range v.m.Overlays {
		if _, ok := ParseOverlayRef(o.Value); !ok {
			v.report(codes.InvalidOverlayRef,
				"invalid overlay ref `"+o.Value+"`: expected `#<use>.<export>`",
				v.span(o.Node), "overlay ref here", "")
			continue
		}
		valid = append(valid, o)
	}
	for _, o := range valid {
		ref, _ := ParseOverlayRef(o.Value)
		if uses[ref.Use] {
			continue
		}
		v.report(codes.UnknownOverlayUse,
			"overlay reference points to `use` entry `#"+ref.Use+"`, but this manifest does not declare that entry",
			v.span(o.Node), "overlay reference expects a matching `use."+ref.Use+"` entry",
			"Add a `use` entry named `"+ref.Use+"` in this manifest, or change/remove the overlay reference.")
	}
}

// checkEnvironments implements spec 5.4 steps 2-5.
func (v *validator) checkEnvironments() {
	envs := map[string]*Environment{}
	for _, e := range v.m.Environments {
		envs[e.Name] = e
	}
	sorted := sortedEntries(v.m.Environments, func(e *Environment) string { return e.Name })
	for _, e := range sorted {
		if e.Extends != nil && envs[e.Extends.Value] == nil {
			v.report(codes.UnknownEnvironmentExtends,
				"environment `"+e.Name+"` extends unknown environment `"+e.Extends.Value+"`",
				v.span(e.Extends.Node), "unknown environment here", "")
		}
	}
	explored := map[string]bool{} // environments whose extends chain was walked
	for _, start := range sorted {
		onStack := map[string]bool{}
		for cur := start; cur != nil && !explored[cur.Name]; {
			if onStack[cur.Name] {
				v.report(codes.EnvironmentCycle,
					"environment `"+cur.Name+"` has a cycle in `extends`",
					v.keySpan(cur.Key), "cycle originates here", "")
				break
			}
			onStack[cur.Name] = true
			if cur.Extends == nil {
				break
			}
			cur = envs[cur.Extends.Value]
		}
		for name := range onStack {
			explored[name] = true
		}
	}
	for _, set := range []struct {
		list []*ComponentDecl
		code diag.Code
		noun string
	}{{v.m.Components, codes.UnknownComponentEnvironment, "component"}, {v.m.Use, codes.UnknownUseEnvironment, "use"}} {
		var unknown []*ComponentDecl
		for _, c := range set.list {
			if c.Environment != nil && envs[c.Environment.Value] == nil {
				unknown = append(unknown, c)
			}
		}
		for _, c := range sortedEntries(unknown, func(c *ComponentDecl) string { return c.Name }) {
			v.report(set.code,
				set.noun+" `#"+c.Name+"` references unknown environment `"+c.Environment.Value+"`",
				v.span(c.Environment.Node), "unknown environment referenced here", "")
		}
	}
}

// checkAmbiguous implements spec 9.2a.
func (v *validator) checkAmbiguous() {
	provides := map[string]*Provide{}
	for _, p := range v.m.Provides {
		provides[p.Name] = p
	}
	for _, s := range sortedEntries(v.m.Slots, func(s *Slot) string { return s.Name }) {
		p := provides[s.Name]
		if p == nil {
			continue
		}
		d := v.report(codes.AmbiguousCapabilityName,
			"capability `"+s.Name+"` cannot be declared as both slot and provide",
			v.keySpan(s.Key), "declared as a slot here", "")
		d.Labels = append(d.Labels, diag.Label{Span: v.keySpan(p.Key), Message: "declared as a provide here"})
	}
}

// checkResources implements spec 9.3.
func (v *validator) checkResources() {
	for _, r := range sortedEntries(v.m.Resources, func(r *Resource) string { return r.Name }) {
		if r.Kind.Value == "storage" {
			continue
		}
		v.report(codes.UnsupportedResourceKind,
			"resource `"+r.Name+"` cannot use capability kind `"+r.Kind.Value+"`",
			v.span(r.Kind.Node), "unsupported resource kind here",
			"Only `kind: \"storage\"` resources are supported today.")
	}
}

// checkChildTemplates implements spec 10.3 stage 2.
func (v *validator) checkChildTemplates() {
	if len(v.m.ChildTemplates) == 0 {
		return
	}
	hasComponentSlot := false
	for _, s := range v.m.Slots {
		hasComponentSlot = hasComponentSlot || s.Kind.Value == "component"
	}
	if !hasComponentSlot {
		k, _ := v.m.SectionKey("child_templates")
		v.report(codes.ChildTemplatesRequireComponentSlot,
			"manifest declares `child_templates` but does not expose a `component` slot",
			v.keySpan(k), "",
			"Declare at least one `slots.<name>: { kind: \"component\" }` on the manifest that owns the child templates.")
	}
	for _, t := range sortedEntries(v.m.ChildTemplates, func(t *ChildTemplate) string { return t.Name }) {
		reason := ""
		switch {
		case t.ManifestArray && len(t.Manifests) == 0:
			reason = "`manifest` must not be an empty array"
		case t.ManifestArray && len(t.Manifests) == 1:
			reason = "`manifest` arrays must contain at least two refs; use the scalar form for exact templates"
		}
		if reason != "" {
			at := v.keySpan(t.Key)
			if m := t.Node.Get("manifest"); m != nil {
				at = v.span(m)
			}
			v.report(codes.InvalidChildTemplate, "invalid child template `"+t.Name+"`: "+reason, at, "", "")
		}
		for i, b := range t.Bindings {
			// A key given twice is one entry to Amber (the last value
			// wins), reported once, at its first key as every span is.
			if strings.Contains(b.Slot, ".") && !slices.ContainsFunc(t.Bindings[:i], func(o TemplateBinding) bool { return o.Slot == b.Slot }) {
				v.report(codes.InvalidName, "invalid slot name `"+b.Slot+"`: dots are reserved", v.keySpan(b.Key), "invalid name", "")
			}
		}
		for _, x := range t.VisibleExports {
			if strings.Contains(x.Value, ".") {
				v.report(codes.InvalidName, "invalid export name `"+x.Value+"`: dots are reserved", v.span(x.Node), "invalid name", "")
			}
		}
	}
}

// frameworkCapabilities lists the framework capabilities and the experimental
// feature each needs ("" for none).
var frameworkCapabilities = []struct{ name, feature string }{
	{"component", ""}, {"docker", "docker"}, {"kvm", "kvm"},
}

func frameworkFeature(c string) (string, bool) {
	for _, f := range frameworkCapabilities {
		if f.name == c {
			return f.feature, true
		}
	}
	return "", false
}

// checkFramework validates a use of framework capability c labelled at at.
func (v *validator) checkFramework(c string, at diag.Span) {
	feature, ok := frameworkFeature(c)
	switch {
	case !ok:
		v.report(codes.UnknownFrameworkCapability, "unknown framework capability `"+c+"`",
			at, "framework capability referenced here", "Known framework capabilities: component, docker, kvm")
	case feature != "" && !v.m.HasFeature(feature):
		v.report(codes.FrameworkCapabilityRequiresFeature,
			"framework capability `framework."+c+"` requires experimental feature `"+feature+"`",
			at, "framework capability referenced here",
			"Add this feature to `experimental_features` in the same manifest, or stop using this framework capability.")
	}
}

// checkBindings implements spec 9.5 stage 2. A binding whose element has
// the text of one an earlier version checked without a report, under the
// same children, slots, provides, resources and features, is not checked
// again: its checks read nothing else (bindingChecks).
func (v *validator) checkBindings() {
	var slots, provides, resources map[string]bool // built on first use
	was, found := v.priorBindings(), v.found
	found.bindingsChecked = true
	for _, b := range v.m.Bindings {
		if was.clean(v.bindings, b.Index) {
			continue
		}
		if slots == nil {
			slots = names(v.m.Slots, func(s *Slot) string { return s.Name })
			provides = names(v.m.Provides, func(p *Provide) string { return p.Name })
			resources = names(v.m.Resources, func(r *Resource) string { return r.Name })
		}
		before := v.added
		v.checkBinding(b, slots, provides, resources)
		found.checked++
		if v.added != before {
			found.reported = append(found.reported, int32(b.Index))
		}
	}
}

// checkBinding checks one binding against the children and the names of
// the slots, provides and resources.
func (v *validator) checkBinding(b *Binding, slots, provides, resources map[string]bool) {
	if b.Mixed {
		d := &diag.Diagnostic{Code: codes.MixedBindingForm, Severity: diag.Error,
			Message: "binding mixes dot form with `slot`/`capability`",
			Help:    "Use either dot form or explicit `slot`/`capability` fields."}
		if strings.Contains(b.To.Value, ".") {
			d.Labels = append(d.Labels, diag.Label{Span: v.span(b.To.Node), Message: "dot form here", Primary: true})
		}
		if strings.Contains(b.From.Value, ".") {
			d.Labels = append(d.Labels, diag.Label{Span: v.span(b.From.Node), Message: "dot form here", Primary: true})
		}
		v.add(*d)
		return
	}
	switch {
	case b.Target == RefSelf:
		at := v.span(b.To.Node)
		if !b.Dot {
			at = v.span(b.Slot.Node)
		}
		v.report(codes.BindingTargetSelf,
			"binding target `self."+b.SlotName+"` is invalid: slots are inputs supplied by the parent",
			at, "binding targets `self` here",
			"Bind child slots with `to: \"#<child>.<slot>\"`. If the current component needs an internally bound capability, move that program into an explicit child and bind the child slot instead.")
		return
	case b.Target == RefChild && v.m.Component(b.TargetName) == nil:
		v.report(codes.UnknownBindingChild, "binding references unknown child `#"+b.TargetName+"`",
			v.span(b.To.Node), "unknown child referenced here", "")
		return
	}
	capAt := v.span(b.From.Node)
	if !b.Dot {
		capAt = v.span(b.Capability.Node)
	}
	// unknown reports a source naming none of what: the section the
	// source reads (prefix) holds no such capability. The label is
	// Amber's, which names the slot/provide pair whatever the source (9.5).
	unknown := func(code diag.Code, prefix, what, label string) {
		v.report(code, "binding source `"+prefix+"."+b.SourceCap+"` references unknown "+what,
			capAt, label, "")
	}
	const capLabel = "unknown slot/provide referenced here"
	switch b.Source {
	case RefSlots:
		if !slots[b.SourceCap] {
			unknown(codes.UnknownBindingSource, "slots", "slot", capLabel)
		}
	case RefProvides:
		if !provides[b.SourceCap] {
			unknown(codes.UnknownBindingSource, "provides", "provide", capLabel)
		}
	case RefSelf:
		if !slots[b.SourceCap] && !provides[b.SourceCap] {
			unknown(codes.UnknownBindingSource, "self", "slot or provide", capLabel)
		}
	case RefResources:
		if !resources[b.SourceCap] {
			unknown(codes.UnknownBindingResource, "resources", "resource", "unknown resource referenced here")
		}
	case RefChild:
		if v.m.Component(b.SourceName) == nil {
			v.report(codes.UnknownBindingChild, "binding references unknown child `#"+b.SourceName+"`",
				v.span(b.From.Node), "unknown child referenced here", "")
		}
	case RefFramework:
		v.checkFramework(b.SourceCap, capAt)
	}
}

func names[T any](list []T, name func(T) string) map[string]bool {
	out := make(map[string]bool, len(list))
	for _, x := range list {
		out[name(x)] = true
	}
	return out
}

// checkExports implements spec 9.6 stage 2.
func (v *validator) checkExports() {
	slots := names(v.m.Slots, func(s *Slot) string { return s.Name })
	provides := names(v.m.Provides, func(p *Provide) string { return p.Name })
	for _, x := range sortedEntries(v.m.Exports, func(x *Export) string { return x.Name }) {
		if strings.Contains(x.Name, ".") {
			v.report(codes.InvalidName, "invalid export name `"+x.Name+"`: dots are reserved", v.keySpan(x.Key), "invalid name", "")
			continue
		}
		at := v.span(x.Target.Node)
		missing := ""
		switch x.Kind {
		case ExportSlot:
			if !slots[x.Capability] {
				missing = "slot"
			}
		case ExportProvide:
			if !provides[x.Capability] {
				missing = "provide"
			}
		case ExportBare, ExportSelf:
			if !slots[x.Capability] && !provides[x.Capability] {
				missing = "capability"
			}
		case ExportChild:
			if v.m.Component(x.Child) == nil {
				v.report(codes.UnknownExportChild, "export `"+x.Name+"` references unknown child `#"+x.Child+"`",
					at, "export target here", "")
			}
		}
		if missing != "" {
			v.report(codes.UnknownExportTarget,
				"export `"+x.Name+"` references unknown "+missing+" `"+x.Capability+"`", at, "export target here", "")
		}
	}
}

// endpoints returns the program's endpoint list and whether they are VM
// endpoints (which Amber does not locate).
func (v *validator) endpoints() []*Endpoint {
	p := v.m.Program
	switch {
	case p == nil:
		return nil
	case p.VM != nil && p.VM.Network != nil:
		return p.VM.Network.Endpoints
	case p.Network != nil:
		return p.Network.Endpoints
	}
	return nil
}

// checkEndpoints implements spec 9.2b.
func (v *validator) checkEndpoints() {
	eps := v.endpoints()
	literal := map[string]bool{}
	nonLiteral := false
	seen := map[string]bool{}
	dupReported := map[string]bool{}
	for _, e := range eps {
		if !isLiteral(e.Name.Value) {
			nonLiteral = true
			continue
		}
		literal[e.Name.Value] = true
		if e.When != nil || e.Each != nil {
			continue
		}
		if seen[e.Name.Value] && !dupReported[e.Name.Value] {
			dupReported[e.Name.Value] = true
			v.duplicateEndpoint(eps, e.Name.Value)
			continue
		}
		seen[e.Name.Value] = true
	}
	for _, p := range sortedEntries(v.m.Provides, func(p *Provide) string { return p.Name }) {
		switch {
		case p.Kind.Value == "storage":
			v.report(codes.UnsupportedProvideKind, "provide `"+p.Name+"` cannot use capability kind `storage`",
				v.span(p.Kind.Node), "unsupported provide kind here",
				"Storage is declared in `resources` or received through `slots`, not `provides`. Declare `resources."+p.Name+
					": { kind: \"storage\" }` and mount it directly, or use `slots."+p.Name+": { kind: \"storage\" }` when the storage is bound from a parent.")
		case p.Endpoint == nil:
			v.report(codes.MissingProvideEndpoint, "provide `"+p.Name+"` must declare an endpoint",
				v.keySpan(p.Key), "missing endpoint for this provide", "")
		case !literal[p.Endpoint.Value] && !nonLiteral:
			v.report(codes.UnknownEndpoint, "unknown endpoint `"+p.Endpoint.Value+"` referenced",
				v.span(p.Endpoint.Node), "unknown endpoint referenced here", "")
		}
	}
}

// duplicateEndpoint reports the duplicate endpoint name name, labelled as
// Amber labels it (9.2b): every endpoint of that name is labelled, the
// conditional and variadic ones included, the second primary and the
// others secondary without text.
func (v *validator) duplicateEndpoint(eps []*Endpoint, name string) {
	var named []*Endpoint
	for _, e := range eps {
		if e.Name.Value == name {
			named = append(named, e)
		}
	}
	d := v.report(codes.DuplicateEndpointName, "duplicate endpoint name `"+name+"`",
		v.span(named[1].Name.Node), "duplicate endpoint name", "")
	for i, e := range named {
		if i != 1 {
			d.Labels = append(d.Labels, diag.Label{Span: v.span(e.Name.Node)})
		}
	}
}

// checkProgramFinal implements spec 6.9; amber-lsp places the label-less
// diagnostics per spec 13.3.
func (v *validator) checkProgramFinal() {
	p := v.m.Program
	if p == nil {
		return
	}
	switch {
	case p.Image != nil:
		if p.Entrypoint == nil || v.emptyCommand(p.Entrypoint) {
			at := v.span(p.Image.Node)
			if p.Entrypoint != nil {
				at = v.span(p.Entrypoint.Node)
			}
			v.report(codes.EmptyEntrypoint,
				"program.entrypoint must be non-empty (implicit image entrypoints are unsupported; set `program.entrypoint` to an explicit command)",
				at, "", "")
		}
	case p.Path != nil:
		if v.blank(p.Path) {
			v.report(codes.EmptyProgramPath, "program.path must be non-empty", v.span(p.Path.Node), "", "")
		}
	case p.VM != nil:
		vm := p.VM
		switch {
		case vm.Image != nil && v.blank(vm.Image):
			v.report(codes.EmptyVMImage, "program.vm.image must be non-empty", v.span(vm.Image.Node), "", "")
		case isZero(vm.CPUs):
			v.report(codes.InvalidVMCPUs, "program.vm.cpus must be greater than zero", v.span(vm.CPUs), "", "")
		case isZero(vm.MemoryMiB):
			v.report(codes.InvalidVMMemoryMiB, "program.vm.memory_mib must be greater than zero", v.span(vm.MemoryMiB), "", "")
		}
	}
}

// emptyCommand reports whether a command resolves to no arguments: a
// `{ file }` one whose text splits into no words, once read.
func (v *validator) emptyCommand(c *Command) bool {
	switch {
	case c.File != nil:
		text, ok := v.loaded[c.Node]
		if !ok {
			return false // not read: reported already
		}
		words, msg := SplitShell(text)
		return msg == "" && len(words) == 0
	case c.Shell != nil:
		return len(c.Words) == 0
	}
	return len(c.Items) == 0
}

// blank reports whether a string spec is empty after trimming white space
// (Rust's trim): its text, or the text its `{ file }` reference loaded.
func (v *validator) blank(s *StringSpec) bool {
	text := s.Text
	if s.File != nil {
		var ok bool
		if text, ok = v.loaded[s.Node]; !ok {
			return false // not read: reported already
		}
	}
	return strings.TrimSpace(text) == ""
}

func isZero(n *json5.Node) bool {
	if n == nil || n.Kind != json5.Number {
		return false
	}
	i, ok := n.Int()
	return ok && i == 0
}
