package analysis

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Code action kinds, as the LSP names them. A kind includes its sub-kinds:
// asking for "refactor" asks for ActionRefactor.
const (
	ActionQuickFix = "quickfix"
	ActionRefactor = "refactor.rewrite"
	ActionFixAll   = "source.fixAll"
)

// wants reports whether q asks for actions of kind: q.Only names kind or
// a parent of it, or is empty and kind is not fix-all (which editors ask
// for by name, as VS Code's "Fix All" and fix-on-save do).
func (q ActionQuery) wants(kind string) bool {
	if len(q.Only) == 0 {
		return kind != ActionFixAll
	}
	for _, k := range q.Only {
		if k == "" || k == kind || strings.HasPrefix(kind, k+".") {
			return true
		}
	}
	return false
}

// CodeActions returns the code actions of the file at path that q asks
// for: the quick fixes of its diagnostics (one per fix of every matching
// diagnostic), the refactorings of what the cursor is on (declare a slot
// in a child, export a child's provide, create a missing child manifest,
// declare a config property), and, asked for by kind, fix-all. It waits for the snapshot's
// report (diagnostics come from linking).
func (s *Snapshot) CodeActions(ctx context.Context, path string, q ActionQuery) (actions []CodeAction, err error) {
	defer recoverFeature("code actions", path, &err)
	rep, err := s.Diagnostics(ctx)
	if err != nil {
		return nil, err
	}
	path = cleanPath(path)
	ds := rep.ByFile[path]
	if q.wants(ActionQuickFix) {
		actions = codeActions(ds, q)
	}
	if q.wants(ActionQuickFix) || q.wants(ActionRefactor) {
		f, err := s.featureFile(ctx, path)
		if err != nil {
			return nil, err
		}
		for _, a := range f.refactorings(q, ds) {
			if q.wants(a.Kind) {
				actions = append(actions, a)
			}
		}
	}
	if q.wants(ActionFixAll) {
		if a := fixAll(ds); a != nil {
			actions = append(actions, *a)
		}
	}
	return actions, ctx.Err()
}

// SafeFixes returns the safe fixes of diags: the preferred fix of every
// diagnostic that has one (diag.Fix.Preferred), as edits that each name
// their file, sorted by file and offset, and the diagnostics they fix. A
// fix whose edits overlap those of a fix taken before is left out whole,
// so that the edits can all be applied at once; an edit the same as one
// taken before (such as the draft migration's `manifest_version`) is
// shared.
func SafeFixes(diags []diag.Diagnostic) ([]diag.Edit, []diag.Diagnostic) {
	var edits []diag.Edit
	var fixed []diag.Diagnostic
	for _, d := range diags {
		own := safeFixEdits(&d)
		if len(own) == 0 {
			continue
		}
		own = slices.DeleteFunc(own, func(e diag.Edit) bool { return slices.Contains(edits, e) })
		if slices.ContainsFunc(own, func(e diag.Edit) bool { return overlapsAny(e, edits) }) {
			continue
		}
		edits = append(edits, own...)
		fixed = append(fixed, d)
	}
	slices.SortStableFunc(edits, func(a, b diag.Edit) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		return a.Span.Start - b.Span.Start
	})
	return edits, fixed
}

// safeFixEdits returns the edits of d's preferred fix, each naming its
// file; nil when d has none.
func safeFixEdits(d *diag.Diagnostic) []diag.Edit {
	for _, fix := range d.Fixes {
		if !fix.Preferred || len(fix.Edits) == 0 {
			continue
		}
		own := make([]diag.Edit, len(fix.Edits))
		for i, e := range fix.Edits {
			if e.File == "" {
				e.File = d.File()
			}
			own[i] = e
		}
		return own
	}
	return nil
}

// overlapsAny reports whether e overlaps an edit of edits in its file (two
// insertions at one offset overlap too: their order would be arbitrary).
func overlapsAny(e diag.Edit, edits []diag.Edit) bool {
	for _, o := range edits {
		if o.File == e.File && e.Span.Start <= o.Span.End && o.Span.Start <= e.Span.End &&
			!(e.Span.Start == o.Span.End && e.Span.Len() > 0 && o.Span.Len() > 0) &&
			!(o.Span.Start == e.Span.End && e.Span.Len() > 0 && o.Span.Len() > 0) {
			return true
		}
	}
	return false
}

// ApplyEdits returns text with edits applied; the edits are of one file,
// sorted by offset and not overlapping (as SafeFixes returns them). An
// edit outside the text is skipped.
func ApplyEdits(text []byte, edits []diag.Edit) []byte {
	var b []byte
	at := 0
	for _, e := range edits {
		if e.Span.Start < at || e.Span.End > len(text) || e.Span.Start > e.Span.End {
			continue
		}
		b = append(b, text[at:e.Span.Start]...)
		b = append(b, e.NewText...)
		at = e.Span.End
	}
	return append(b, text[at:]...)
}

// fixAll is the source.fixAll action of one file's diagnostics: every safe
// fix at once; nil when there is none.
func fixAll(ds []diag.Diagnostic) *CodeAction {
	edits, fixed := SafeFixes(ds)
	if len(edits) == 0 {
		return nil
	}
	title := "Fix all safe problems: " + fixed[0].Fixes[0].Title
	if len(fixed) > 1 {
		title = "Fix all safe problems (" + strconv.Itoa(len(fixed)) + " fixes)"
	}
	return &CodeAction{Title: title, Kind: ActionFixAll, Diagnostics: fixed, Edits: edits}
}

// refactorings returns the refactorings of what the start of q.Span is on.
// Each is a quick fix of the diagnostics of ds it resolves (those of the
// codes it answers whose primary span touches the text), a refactoring
// otherwise. They are offered only in files without syntax errors, and
// edit only such files, so that the result parses.
func (f *featureFile) refactorings(q ActionQuery, ds []diag.Diagnostic) []CodeAction {
	if f == nil || f.root == nil || len(f.syn.Errors) > 0 {
		return nil
	}
	off := q.Span.Start
	sym, ok := f.identify(off)
	if !ok {
		return nil
	}
	var out []CodeAction
	add := func(a *CodeAction, code diag.Code) {
		if a == nil {
			return
		}
		a.Kind = ActionRefactor
		for _, d := range ds {
			if l, ok := d.Primary(); ok && d.Code == code && (touches(l.Span, sym.span) || touches(l.Span, q.Span)) {
				a.Diagnostics = append(a.Diagnostics, d)
				a.Kind = ActionQuickFix
			}
		}
		out = append(out, *a)
	}
	switch sym.kind {
	case symChildSlot:
		add(f.declareChildSlot(off, sym), codes.UnknownSlot)
	case symChildExport:
		add(f.exportChildProvide(sym), codes.NotExported)
	case symManifest:
		add(f.createChildManifest(sym), codes.ManifestRefResolution)
	case symConfig:
		add(f.declareConfig(off, sym), codes.InvalidConfig)
	}
	return out
}

// editable returns the file of a child entry when it can be edited: read,
// an object, without syntax errors.
func (f *featureFile) editable(section, name string) *featureFile {
	c := f.child(section, name)
	if c.file == nil || c.file.root == nil || len(c.file.syn.Errors) > 0 || !c.file.root.Closed {
		return nil
	}
	return c.file
}

// validName reports whether name can be declared: Amber's names are
// letters, digits, `_` and `-`.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// addEntry returns the edits that give file g the entry name: value in
// its table section, creating the section at the end of the root object
// when it is missing.
func (g *featureFile) addEntry(section, name string, value jsonValue) []diag.Edit {
	st := styleOf(g.text, g.syn, g.path)
	return st.ensurePath(g.text, g.root, []pathStep{{name: section}, {name: name}}, value)
}

// declareChildSlot is "declare slot x in the child" for a binding's target
// `#child.x` (or its explicit `slot`) naming a slot the child lacks: the
// slot gets the kind of the binding's source.
func (f *featureFile) declareChildSlot(off int, sym symbol) *CodeAction {
	child := f.editable(sym.section, sym.child)
	if child == nil || !validName(sym.name) || child.entry("slots", sym.name) != nil {
		return nil
	}
	if slots := child.section("slots"); slots != nil && slots.Kind != json5.Object {
		return nil
	}
	c := locate(f.syn, off)
	if len(c.steps) < 3 || !c.under("bindings", "[]") {
		return nil
	}
	kind := f.bindingSourceKind(c.steps[1].node)
	if kind == "" {
		return nil
	}
	edits := child.addEntry("slots", sym.name, objValue(member("kind", strValue(kind))))
	if edits == nil {
		return nil
	}
	return &CodeAction{
		Title: "Declare slot `" + sym.name + "` (" + kind + ") in `" + child.base() + "`",
		Edits: inFile(edits, child.path),
	}
}

// bindingSourceKind returns the capability kind of what a binding's
// source names, "" when it cannot tell.
func (f *featureFile) bindingSourceKind(b *json5.Node) string {
	from := b.Get("from")
	if from == nil || from.Kind != json5.String {
		return ""
	}
	head, name, dot := splitDot(from.Text)
	if dot < 0 {
		// The explicit form: `from` names the source, `capability` the name.
		c := b.Get("capability")
		if c == nil || c.Kind != json5.String {
			return ""
		}
		name = c.Text
	}
	switch {
	case strings.HasPrefix(head, "#") && len(head) > 1:
		c := f.child("components", head[1:])
		if c.file == nil {
			return ""
		}
		hops, _ := c.file.exportChain(name)
		if len(hops) < 2 {
			// Not exported (yet): the child's provide of that name.
			return c.file.declKindOf("provides", name)
		}
		last := hops[len(hops)-1]
		return declKind(last.member.Value)
	case head == "slots", head == "provides", head == "resources":
		return f.declKindOf(head, name)
	case head == "self":
		if k := f.declKindOf("provides", name); k != "" {
			return k
		}
		return f.declKindOf("slots", name)
	}
	return ""
}

// declKindOf returns the kind of an entry of a table section.
func (f *featureFile) declKindOf(section, name string) string {
	if m := f.entry(section, name); m != nil {
		return declKind(m.Value)
	}
	return ""
}

// declKind returns the `kind` of a slot, provide or resource declaration.
func declKind(decl *json5.Node) string {
	if k := decl.Get("kind"); k != nil && k.Kind == json5.String && k.Text != "" {
		return k.Text
	}
	return ""
}

// exportChildProvide is "export provide p from the child" for `#child.p`
// (a binding source or an export target) naming a provide the child does
// not export.
func (f *featureFile) exportChildProvide(sym symbol) *CodeAction {
	child := f.editable(sym.section, sym.child)
	if child == nil || !validName(sym.name) || child.entry("exports", sym.name) != nil || child.entry("provides", sym.name) == nil {
		return nil
	}
	if exports := child.section("exports"); exports != nil && exports.Kind != json5.Object {
		return nil
	}
	edits := child.addEntry("exports", sym.name, strValue("provides."+sym.name))
	if edits == nil {
		return nil
	}
	return &CodeAction{
		Title: "Export provide `" + sym.name + "` from `" + child.base() + "`",
		Edits: inFile(edits, child.path),
	}
}

// createChildManifest is "create the child manifest" for a `components`
// or `use` entry naming a local file that does not exist: a manifest with
// this one's manifest_version, written in its style (strict JSON for a
// `.json` file).
func (f *featureFile) createChildManifest(sym symbol) *CodeAction {
	c := f.child(sym.section, sym.child)
	if c.path == "" || c.file != nil || !f.inWorkspace(c.path) {
		return nil
	}
	if _, err := f.run.s.Stat(c.path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	version := manifest.NewestVersion
	if v := f.section("manifest_version"); v != nil && v.Kind == json5.String && v.Text != "" {
		version = v.Text
	}
	st := styleOf(f.text, f.syn, c.path)
	comma := ""
	if st.trailing {
		comma = ","
	}
	text := "{" + st.eol + st.unit + st.key("manifest_version") + ": " + st.str(version) + comma + st.eol + "}" + st.eol
	return &CodeAction{
		Title:  "Create `" + filepath.Base(c.path) + "`",
		Create: []string{c.path},
		Edits:  []diag.Edit{{File: c.path, NewText: text}},
	}
}

// inWorkspace reports whether a file to create lies in a workspace folder,
// or beside the manifest asking when there are none.
func (f *featureFile) inWorkspace(path string) bool {
	folders := f.run.s.folders
	if len(folders) == 0 {
		return inFolder(filepath.Dir(f.path), path)
	}
	for _, d := range folders {
		if inFolder(d, path) {
			return true
		}
	}
	return false
}

// declareConfig is "declare config property x" for a config path the
// schema does not declare: a `${config.x}` (or `when`/`each` path) of this
// manifest, declared in its own config_schema, or a key of a child's
// `config`, declared in the child's. Missing sections are created.
func (f *featureFile) declareConfig(off int, sym symbol) *CodeAction {
	g := f
	if sym.child != "" {
		g = f.editable(sym.section, sym.child)
	}
	if g == nil || len(sym.segs) == 0 || slices.ContainsFunc(sym.segs, func(s string) bool { return !validName(s) }) {
		return nil
	}
	typ := f.configType(off, sym)
	st := styleOf(g.text, g.syn, g.path)
	leaf := objValue(member("type", strValue(typ)))
	var edits []diag.Edit
	schema := g.section("config_schema")
	switch {
	case schema == nil:
		path := []pathStep{{name: "config_schema", extra: []jsonMember{member("type", strValue("object"))}}, {name: "properties"}}
		edits = st.ensurePath(g.text, g.root, append(path, propertySteps(sym.segs)...), leaf)
	case schema.Kind == json5.Object:
		if _, _, ok := schemaPropAt(schema, sym.segs); ok {
			return nil
		}
		// Continue below the deepest property the schema declares.
		obj, i := schema, 0
		if prop, found, _ := schemaPropAt(schema, sym.segs[:len(sym.segs)-1]); found == len(sym.segs)-1 && found > 0 {
			obj, i = derefSchema(schema, prop.member.Value), found
			if t := obj.Get("type"); t != nil && (t.Kind != json5.String || t.Text != "object") {
				return nil
			}
		} else if found > 0 {
			return nil // an intermediate object only an `allOf` or `$ref` declares
		}
		edits = st.ensurePath(g.text, obj, append([]pathStep{{name: "properties"}}, propertySteps(sym.segs[i:])...), leaf)
	}
	if edits == nil {
		return nil
	}
	where := "`config_schema`"
	if g != f {
		where = "the `config_schema` of `" + g.base() + "`"
	}
	return &CodeAction{
		Title: "Declare config property `" + sym.name + "` (" + typ + ") in " + where,
		Edits: inFile(edits, g.path),
	}
}

// propertySteps is the path of nested config properties segs below a
// `properties` object: each but the last an object with its own
// `properties`.
func propertySteps(segs []string) []pathStep {
	var out []pathStep
	for i, s := range segs {
		if i == len(segs)-1 {
			out = append(out, pathStep{name: s})
			break
		}
		out = append(out, pathStep{name: s, extra: []jsonMember{member("type", strValue("object"))}}, pathStep{name: "properties"})
	}
	return out
}

// configType infers the JSON Schema type of a config property from where
// the cursor names it: the value given to a child, or the program field
// that reads it (a number field, a `when` or an `each`); "string"
// otherwise.
func (f *featureFile) configType(off int, sym symbol) string {
	c := locate(f.syn, off)
	last := c.last()
	if sym.child != "" && last.member != nil && c.onKey {
		switch v := last.node; v.Kind {
		case json5.String:
			return "string"
		case json5.Bool:
			return "boolean"
		case json5.Array:
			return "array"
		case json5.Object:
			return "object"
		case json5.Number:
			if v.IsInteger() {
				return "integer"
			}
			return "number"
		}
		return "string"
	}
	n := last.node
	whole := n != nil && n.Kind == json5.String && strings.HasPrefix(n.Text, "${") && strings.HasSuffix(n.Text, "}") && strings.Count(n.Text, "${") == 1
	switch last.name {
	case "when":
		return "boolean"
	case "each":
		return "array"
	case "cpus", "memory_mib", "port":
		if whole {
			return "integer"
		}
	}
	return "string"
}

// inFile names the file of edits that have none.
func inFile(edits []diag.Edit, path string) []diag.Edit {
	for i := range edits {
		if edits[i].File == "" {
			edits[i].File = path
		}
	}
	return edits
}

// FixedFile is a file `--check --fix` changed: its new text and how many
// diagnostics the fixes that edit it resolved (a diagnostic's fix may edit
// another file than the diagnostic's own, as the rename of a draft profile
// in a `use` helper does).
type FixedFile struct {
	Path  string // absolute path of the file
	Text  []byte // the fixed text, not yet written
	Fixes int    // how many diagnostics the fixes of this file resolved
}

// maxFixPasses bounds how often applySafeFixes re-checks fixed texts for
// fixes they reveal.
const maxFixPasses = 8

// applySafeFixes applies the safe fixes of a report's local files as open
// documents of ws (nothing is written), re-checks, and repeats while the
// fixed texts have safe fixes of their own. It returns the last snapshot
// and report and the files it changed.
func applySafeFixes(ws *Workspace, snap *Snapshot, rep *Report) (*Snapshot, *Report, []FixedFile, error) {
	texts := map[string][]byte{}
	counts := map[string]int{}
	for pass := range maxFixPasses {
		var all []diag.Diagnostic
		for _, f := range rep.Files() {
			if filepath.IsAbs(f) {
				all = append(all, rep.ByFile[f]...)
			}
		}
		edits, fixed := SafeFixes(all)
		byFile := map[string][]diag.Edit{}
		for _, e := range edits {
			if filepath.IsAbs(e.File) {
				byFile[e.File] = append(byFile[e.File], e)
			}
		}
		if len(byFile) == 0 {
			break
		}
		for i := range fixed {
			seen := map[string]bool{}
			for _, e := range safeFixEdits(&fixed[i]) {
				if !seen[e.File] {
					seen[e.File] = true
					counts[e.File]++
				}
			}
		}
		for _, f := range slices.Sorted(maps.Keys(byFile)) {
			text, err := snap.ReadFile(f)
			if err != nil {
				return nil, nil, nil, err
			}
			texts[f] = ApplyEdits(text, byFile[f])
			snap = ws.SetDocument(f, int32(pass+1), texts[f])
		}
		var err error
		if rep, err = snap.Diagnostics(context.Background()); err != nil {
			return nil, nil, nil, err
		}
	}
	var out []FixedFile
	for _, f := range slices.Sorted(maps.Keys(texts)) {
		out = append(out, FixedFile{Path: f, Text: texts[f], Fixes: counts[f]})
	}
	return snap, rep, out, nil
}
