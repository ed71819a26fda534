package analysis

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// The reference index: for every declaration of the workspace (an entry of
// `components` or `use`, a slot, provide, resource or export, a config
// property, a manifest file) every place that refers to it, in every file.
//
// Each file's part of it is read from the file's syntax alone and kept
// with the file's analysis, so a file is read once per content
// (fileSymbols): its declarations, and its references, each by what it
// names as far as the file itself tells, a refKey: the declaring file (the
// file itself, or the child or `use` manifest an entry names, resolved as
// the linker resolves a local reference), a table and a name. What the
// parts identify (a `#child`, a `${config.a.b}` path) is what identify
// finds at each part of each key and string.
//
// A snapshot's index (refIndex) is the list of the files it reads (the
// workspace's manifests and the local manifests they reference), which
// files refer to which, and the references written in the `{ file }` texts
// a program inlines. Finding the references of a declaration is then
// looking its keys up in the files that refer to its file; which key a
// refKey names (the provide or else the slot of `self.x`, the property a
// config path reaches through `$ref` and `allOf`) the declaring file tells.
// So an edit re-reads one file, and the next answers read one map per
// referring file.
//
// References, rename and the reference lenses read the index.

// DeclKind is what a declaration declares.
type DeclKind int

// Declaration kinds.
const (
	DeclNone      DeclKind = iota
	DeclComponent          // an entry of `components`
	DeclUse                // an entry of `use`
	DeclSlot               // a slot
	DeclProvide            // a provide
	DeclResource           // a resource
	DeclExport             // an export
	DeclConfig             // a config property of a `config_schema`
	DeclManifest           // a manifest file
)

var declKindWords = [...]string{"", "component", "use entry", "slot", "provide", "resource", "export", "config property", "manifest"}

// String names the kind in prose ("config property").
func (k DeclKind) String() string {
	if k < 0 || int(k) >= len(declKindWords) {
		return ""
	}
	return declKindWords[k]
}

// declSections maps the tables whose keys are declarations to their kind.
var declSections = map[string]DeclKind{
	"components": DeclComponent, "use": DeclUse, "slots": DeclSlot, "provides": DeclProvide,
	"resources": DeclResource, "exports": DeclExport,
}

// declSectionOf is the table of each kind of declared name.
var declSectionOf = map[DeclKind]string{
	DeclComponent: "components", DeclUse: "use", DeclSlot: "slots", DeclProvide: "provides",
	DeclResource: "resources", DeclExport: "exports",
}

// Declaration is something a manifest declares.
type Declaration struct {
	Kind DeclKind // what kind of name it declares
	Name string   // for a config property, its key
	// At is the declaring key; for a manifest, the file (an empty span).
	At Location
	// NameSpan is the name as written (the key without its quotes).
	NameSpan diag.Span

	owner *json5.Node // for config properties: the schema object declaring it
}

// refKey is what a reference names, as far as the file that writes it
// tells: a name in a table of a file.
type refKey struct {
	file    string // the declaring file; "" for the file that writes it
	section string // a table ("slots", "components", ...) or one of the sections below
	name    string // the name; a config property's dot path; a key's offset
}

// Sections of a refKey that are not tables.
const (
	sectionCapability = "capability" // a provide, else a slot (`self.x`, a bare export target)
	sectionConfig     = "config"     // a config property, by its dot path
	sectionKey        = "key"        // the key at an offset (a `required` entry names its property)
	sectionManifest   = "manifest"   // the file, named by a `components` entry
	sectionHelper     = "helper"     // the file, named by a `use` entry
)

// occurrence is one declaration or reference a file writes.
type occurrence struct {
	sym symbol // what identify finds there
	// name is the name as written: without the `#` of `#child`, without
	// the quotes of a key or of a string that is all name.
	name diag.Span
	// decl is set on declarations: the kind, and for config properties the
	// schema object whose `properties` declare it.
	decl  DeclKind
	owner *json5.Node
	// key is what a reference names (a zero section: nothing known).
	key refKey
	// bareKey is set on an unquoted key: a new name that is no JSON5
	// identifier must be quoted there.
	bareKey bool
	// sidecar, on the `file` of a program's `{ file }`, is the path as
	// written: the file's text is interpolated like the program's strings,
	// so its references are the manifest's.
	sidecar string
}

// fileRefs is a file's part of the index, kept with its analysis.
type fileRefs struct {
	sites []site
	decls []*Declaration            // in text order
	names map[declName]*Declaration // the first declaration of each name in a table
	out   map[refKey][]diag.Span    // the names of the file's references, by what they name, in text order
	to    []string                  // the other files the references name, sorted
	sides []string                  // the `{ file }` paths as written
	bare  map[int]bool              // where names written as unquoted keys start
}

// site is a declaration or reference of a file, as kept in its fileRefs.
type site struct {
	span diag.Span    // what identify finds there (a key, a `#child`, a path segment)
	name diag.Span    // the name as written
	decl *Declaration // set on a declaration
	key  refKey       // on a reference: what it names (a zero section: nothing known)
}

// declName is a declared name in its table.
type declName struct{ section, name string }

// maxSymbolDepth bounds how deep fileSymbols reads a file: config keys
// below it (a config path of more segments) are not references.
const maxSymbolDepth = 64

// fileSymbols returns the file's declarations and references, read once
// per content.
func (p *parsed) fileSymbols() *fileRefs {
	p.symbolsOnce.Do(func() {
		f := &featureFile{path: p.key.path, text: p.text, syn: p.res.Syntax, root: rootObject(p.res.Syntax)}
		fr := &fileRefs{sites: make([]site, 0, len(p.text)/64), names: map[declName]*Declaration{}, out: map[refKey][]diag.Span{}, bare: map[int]bool{}}
		to := map[string]bool{}
		children := childFiles(p.references())
		f.symbols(func(o occurrence) {
			if o.bareKey {
				fr.bare[o.name.Start] = true
			}
			switch {
			case o.sidecar != "":
				fr.sides = append(fr.sides, o.sidecar)
				return
			case o.decl != DeclNone:
				d := &Declaration{Kind: o.decl, Name: o.sym.name, At: Location{File: f.path, Span: o.sym.span}, NameSpan: o.name, owner: o.owner}
				fr.decls = append(fr.decls, d)
				key := declName{declSectionOf[o.decl], o.sym.name}
				if _, dup := fr.names[key]; !dup && o.decl != DeclConfig {
					fr.names[key] = d
				}
				fr.sites = append(fr.sites, site{span: o.sym.span, name: o.name, decl: d})
				return
			}
			if o.key.section == "" {
				o.key = refKeyOf(f.path, children, o.sym)
			}
			fr.sites = append(fr.sites, site{span: o.sym.span, name: o.name, key: o.key})
			if o.key.section == "" {
				return
			}
			fr.out[o.key] = append(fr.out[o.key], o.name)
			if o.key.file != "" {
				to[o.key.file] = true
			}
		})
		fr.to = slices.Sorted(maps.Keys(to))
		p.symbols = fr
	})
	return p.symbols
}

// childFiles maps the entries of `components` and `use` of a file to the
// local files they name, from its manifest references (ManifestRefs); the
// first entry of a name counts.
func childFiles(refs []Ref) map[declName]string {
	out := make(map[declName]string, len(refs))
	for _, r := range refs {
		if _, dup := out[declName{r.Section, r.Name}]; !dup {
			out[declName{r.Section, r.Name}] = r.Path
		}
	}
	return out
}

// refKeyOf says what the reference sym of the file at path names; children
// are the files its entries name (childFiles).
func refKeyOf(path string, children map[declName]string, sym symbol) refKey {
	child := func(section string) string { return children[declName{section, sym.child}] }
	in := func(file, section string) refKey {
		if file == "" || sym.name == "" {
			return refKey{} // a name being typed, or a child that is no local file
		}
		if file == path {
			file = ""
		}
		return refKey{file: file, section: section, name: sym.name}
	}
	switch sym.kind {
	case symSlot:
		return in(path, "slots")
	case symProvide:
		return in(path, "provides")
	case symResource:
		return in(path, "resources")
	case symLocalCap:
		return in(path, sectionCapability)
	case symEntry:
		return refKey{section: "components", name: sym.child}
	case symOverlay:
		if !sym.tail {
			return refKey{section: "use", name: sym.child}
		}
		return in(child("use"), "exports")
	case symManifest:
		section := sectionManifest
		if sym.section == "use" {
			section = sectionHelper
		}
		if file := child(sym.section); file != "" {
			return refKey{file: file, section: section}
		}
	case symChildSlot:
		return in(child(sym.section), "slots")
	case symChildExport:
		return in(child(sym.section), "exports")
	case symConfig:
		if len(sym.segs) == 0 {
			return refKey{} // `config` itself
		}
		if sym.child != "" {
			return in(child(sym.section), sectionConfig)
		}
		return in(path, sectionConfig)
	}
	return refKey{}
}

// symbols reads the file's declarations and references.
func (f *featureFile) symbols(emit func(occurrence)) {
	if f.root == nil {
		return
	}
	c := &cursor{}
	var walk func(n *json5.Node)
	walk = func(n *json5.Node) {
		switch n.Kind {
		case json5.Object:
			for _, m := range n.Members {
				c.steps = append(c.steps, step{name: m.Key.Name, index: -1, member: m, node: m.Value})
				if m.Key.End > m.Key.Start {
					c.onKey, c.inValue = true, false
					if o, ok := f.keyOccurrence(c); ok {
						emit(o)
					}
				}
				top := len(c.steps) == 1
				switch {
				case top && m.Key.Name == "config_schema":
					schemaSymbols(m.Value, emit)
				case top && m.Key.Name == "metadata", len(c.steps) >= maxSymbolDepth:
				default:
					walk(m.Value)
				}
				c.steps = c.steps[:len(c.steps)-1]
			}
		case json5.Array:
			if len(c.steps) >= maxSymbolDepth {
				return
			}
			for i, e := range n.Elems() {
				c.steps = append(c.steps, step{index: i, node: e})
				walk(e)
				c.steps = c.steps[:len(c.steps)-1]
			}
		case json5.String:
			if len(c.steps) == 0 {
				return
			}
			if c.under("program") && c.last().name == "file" {
				if place, ok := placeAt(c.steps); ok && place.In != nil && place.In.Name == manifest.RecordFileRef {
					emit(occurrence{sym: symbol{kind: symNone, span: n.Span()}, sidecar: n.Text})
					return
				}
			}
			c.onKey, c.inValue = false, true
			for _, sym := range f.stringSymbols(c, n) {
				emit(occurrence{sym: sym, name: nameIn(n, sym)})
			}
		}
	}
	walk(f.root)
}

// keyOccurrence classifies the key the cursor is on: a declaration (a key
// of `slots`, `components`, ...), a config property of a child (a key of
// `components.x.config`), or neither.
func (f *featureFile) keyOccurrence(c *cursor) (occurrence, bool) {
	if len(c.steps) != 2 && !(len(c.steps) >= 4 && (c.under("components", "*", "config") || c.under("use", "*", "config"))) {
		return occurrence{}, false // no declaration, no child's config key
	}
	sym, ok := f.identifyKey(c)
	if !ok {
		return occurrence{}, false
	}
	k := c.last().member.Key
	o := occurrence{sym: sym, name: keyName(k), bareKey: !k.Quoted}
	switch sym.kind {
	case symConfig:
		return o, true
	case symManifest, symSlot, symProvide, symResource, symExport:
		if len(c.steps) != 2 {
			return occurrence{}, false
		}
		o.decl = declSections[c.steps[0].name]
		return o, o.decl != DeclNone
	}
	return occurrence{}, false
}

// keyName is the span of a key's name: the key without its quotes.
func keyName(k json5.Key) diag.Span {
	if k.Quoted && k.End-k.Start >= 2 {
		return diag.Span{Start: k.Start + 1, End: k.End - 1}
	}
	return k.Span()
}

// nameIn returns the span of the name a symbol of string n names: its
// span, less the `#` of `#child` and the quotes of a string that is all
// name.
func nameIn(n *json5.Node, sym symbol) diag.Span {
	if sym.span == n.Span() {
		return interp.SourceSpan(n, 0, len(n.Text))
	}
	if sym.kind == symEntry || sym.kind == symOverlay && !sym.tail {
		start := interp.DecodedOffset(n, sym.span.Start)
		if start < len(n.Text) && n.Text[start] == '#' {
			return interp.SourceSpan(n, start+1, interp.DecodedOffset(n, sym.span.End))
		}
	}
	return sym.span
}

// schemaSymbols lists the config properties a `config_schema` declares
// (the keys of every `properties` object in it, `$defs` included) and the
// `required` entries naming them.
func schemaSymbols(schema *json5.Node, emit func(occurrence)) {
	var walk func(n *json5.Node, depth int)
	walk = func(n *json5.Node, depth int) {
		if depth > maxSymbolDepth {
			return
		}
		switch n.Kind {
		case json5.Object:
			props := n.Get("properties")
			if props != nil && props.Kind == json5.Object {
				for _, m := range props.Members {
					sym := symbol{kind: symConfig, span: m.Key.Span(), name: m.Key.Name}
					emit(occurrence{sym: sym, name: keyName(m.Key), decl: DeclConfig, owner: n, bareKey: !m.Key.Quoted})
				}
			}
			if req := n.Get("required"); req != nil && req.Kind == json5.Array {
				declared := schemaProps(schema, n)
				for _, e := range req.Elems() {
					if e.Kind != json5.String {
						continue
					}
					for _, p := range declared {
						if p.member.Key.Name == e.Text {
							key := refKey{file: "", section: sectionKey, name: strconv.Itoa(p.member.Key.Start)}
							sym := symbol{kind: symConfig, span: e.Span(), name: e.Text}
							emit(occurrence{sym: sym, name: interp.SourceSpan(e, 0, len(e.Text)), key: key})
							break
						}
					}
				}
			}
			for _, m := range n.Members {
				walk(m.Value, depth+1)
			}
		case json5.Array:
			for _, e := range n.Elems() {
				walk(e, depth+1)
			}
		}
	}
	walk(schema, 0)
}

// refIndex is a snapshot's reference index.
type refIndex struct {
	s     *Snapshot
	files []string           // the files read, sorted
	refs  map[string]*parsed // their analyses
	// referrers lists, for a file, the files whose references name its
	// declarations, itself included, sorted.
	referrers map[string][]string
	// sidecar holds the references written in the `{ file }` texts of each
	// manifest's program, by what they name (as in fileRefs.out).
	sidecar map[string]map[refKey][]Location

	mu      sync.Mutex
	configs map[refKey]*Declaration // config paths resolved (file set), nil when they name nothing
}

// indexMemo holds a snapshot's reference index once built.
type indexMemo struct {
	mu  sync.Mutex
	idx *refIndex
}

// refIndex returns the snapshot's reference index, building it once. A
// build given up because ctx was cancelled is not kept.
func (s *Snapshot) refIndex(ctx context.Context) (*refIndex, error) {
	m := &s.index
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idx != nil {
		return m.idx, nil
	}
	idx, err := s.buildIndex(ctx)
	if err != nil {
		return nil, err
	}
	m.idx = idx
	return idx, nil
}

// maxIndexFiles bounds the files the index reads beyond the workspace's
// manifests (the local manifests they reference).
const maxIndexFiles = 100000

// buildIndex lists the workspace's manifests and the local manifests they
// reference, reads each one's references (once per content), and records
// which files refer to which.
func (s *Snapshot) buildIndex(ctx context.Context) (*refIndex, error) {
	manifests, _, err := s.manifests(ctx, 0)
	if err != nil {
		return nil, err
	}
	idx := &refIndex{s: s, refs: map[string]*parsed{}, referrers: map[string][]string{},
		sidecar: map[string]map[refKey][]Location{}, configs: map[refKey]*Declaration{}}
	seen := map[string]bool{}
	queue := slices.Clone(manifests)
	for _, m := range manifests {
		seen[m] = true
	}
	for len(queue) > 0 && len(seen) < len(manifests)+maxIndexFiles {
		path := queue[0]
		queue = queue[1:]
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := s.analyze(path, 0)
		if p == nil || !isManifest(p) {
			continue
		}
		idx.files = append(idx.files, path)
		idx.refs[path] = p
		fr := p.fileSymbols()
		idx.referrers[path] = append(idx.referrers[path], path)
		for _, to := range fr.to {
			idx.referrers[to] = append(idx.referrers[to], path)
		}
		for _, target := range p.targets {
			if !seen[target] {
				seen[target] = true
				queue = append(queue, target)
			}
		}
		for _, side := range fr.sides {
			idx.sidecarReferences(path, p, side)
		}
	}
	slices.Sort(idx.files)
	for file, from := range idx.referrers {
		slices.Sort(from)
		idx.referrers[file] = slices.Compact(from)
	}
	return idx, nil
}

// file returns the references of a file the index read, nil for another.
func (idx *refIndex) file(path string) *fileRefs {
	if p := idx.refs[path]; p != nil {
		return p.fileSymbols()
	}
	return nil
}

// declarations returns the declarations of a file, in text order.
func (idx *refIndex) declarations(path string) []*Declaration {
	if fr := idx.file(path); fr != nil {
		return fr.decls
	}
	return nil
}

// declared returns the declaration a reference of the file at from names,
// nil when it names none.
func (idx *refIndex) declared(from string, k refKey) *Declaration {
	file := k.file
	if file == "" {
		file = from
	}
	if k.section == sectionManifest || k.section == sectionHelper {
		if _, err := idx.s.ReadFile(file); err != nil {
			return nil
		}
		return &Declaration{Kind: DeclManifest, Name: filepath.Base(file), At: Location{File: file}}
	}
	fr := idx.file(file)
	if fr == nil {
		return nil
	}
	switch k.section {
	case sectionCapability:
		if d := fr.names[declName{"provides", k.name}]; d != nil {
			return d
		}
		return fr.names[declName{"slots", k.name}]
	case sectionKey:
		for _, d := range fr.decls {
			if strconv.Itoa(d.At.Span.Start) == k.name {
				return d
			}
		}
		return nil
	case sectionConfig:
		return idx.config(file, k.name)
	}
	return fr.names[declName{k.section, k.name}]
}

// config returns the config property a dot path reaches in the schema of
// a file, resolving each path once per index.
func (idx *refIndex) config(file, path string) *Declaration {
	key := refKey{file: file, section: sectionConfig, name: path}
	idx.mu.Lock()
	d, done := idx.configs[key]
	idx.mu.Unlock()
	if done {
		return d
	}
	if p := idx.refs[file]; p != nil {
		if schema := rootObject(p.res.Syntax).Get("config_schema"); schema != nil && schema.Kind == json5.Object { // Get of nil is nil
			if prop, _, ok := schemaPropAt(schema, strings.Split(path, ".")); ok {
				for _, decl := range idx.file(file).decls {
					if decl.At.Span == prop.member.Key.Span() {
						d = decl
					}
				}
			}
		}
	}
	idx.mu.Lock()
	idx.configs[key] = d
	idx.mu.Unlock()
	return d
}

// keysOf returns the refKeys that can name a declaration, as a file other
// than the declaring one writes them (the declaring file writes them with
// no file).
func (idx *refIndex) keysOf(d *Declaration) []refKey {
	f := d.At.File
	switch d.Kind {
	case DeclManifest:
		return []refKey{{file: f, section: sectionManifest}, {file: f, section: sectionHelper}}
	case DeclSlot:
		keys := []refKey{{file: f, section: "slots", name: d.Name}}
		if fr := idx.file(f); fr == nil || fr.names[declName{"provides", d.Name}] == nil {
			keys = append(keys, refKey{file: f, section: sectionCapability, name: d.Name})
		}
		return keys
	case DeclProvide:
		return []refKey{{file: f, section: "provides", name: d.Name}, {file: f, section: sectionCapability, name: d.Name}}
	case DeclConfig:
		keys := []refKey{{file: f, section: sectionKey, name: strconv.Itoa(d.At.Span.Start)}}
		paths := map[string]bool{}
		for _, from := range idx.referrers[f] {
			for k := range idx.file(from).out {
				if k.section == sectionConfig && (k.file == f || k.file == "" && from == f) && !paths[k.name] {
					paths[k.name] = true
					if idx.config(f, k.name) == d {
						keys = append(keys, refKey{file: f, section: sectionConfig, name: k.name})
					}
				}
			}
		}
		for k := range idx.sidecar[f] {
			if k.section == sectionConfig && k.file == "" && !paths[k.name] {
				paths[k.name] = true
				if idx.config(f, k.name) == d {
					keys = append(keys, refKey{file: f, section: sectionConfig, name: k.name})
				}
			}
		}
		slices.SortFunc(keys, func(a, b refKey) int { return strings.Compare(a.name, b.name) })
		return keys
	}
	return []refKey{{file: f, section: declSectionOf[d.Kind], name: d.Name}}
}

// referencesOf returns the references of a declaration, sorted by file and
// offset; only (when not nil) the keys of sections in only.
func (idx *refIndex) referencesOf(d *Declaration, only ...string) []Location {
	var out []Location
	keys := idx.keysOf(d)
	for _, from := range idx.referrers[d.At.File] {
		fr := idx.file(from)
		var spans []diag.Span
		for _, k := range keys {
			if len(only) > 0 && !slices.Contains(only, k.section) {
				continue
			}
			if from == d.At.File {
				k.file = ""
			}
			spans = append(spans, fr.out[k]...)
		}
		slices.SortFunc(spans, func(a, b diag.Span) int { return a.Start - b.Start })
		for _, sp := range spans {
			out = append(out, Location{File: from, Span: sp})
		}
	}
	// A program's `{ file }` texts refer to its own slots and config.
	for _, k := range keys {
		k.file = ""
		out = append(out, idx.sidecar[d.At.File][k]...)
	}
	return sortLocations(out)
}

// sidecarReferences records the references of the text of a `{ file }` of
// the program of the manifest at path (its written path): its
// `${config.a}` and `${slots.x}` placeholders, which the link interpolates
// like the program's strings.
func (idx *refIndex) sidecarReferences(path string, p *parsed, written string) {
	if strings.TrimSpace(written) == "" {
		return
	}
	file := written
	if !filepath.IsAbs(file) {
		file = filepath.Join(filepath.Dir(path), file)
	}
	file = filepath.Clean(file)
	text, err := idx.s.ReadFile(file)
	if err != nil {
		return
	}
	// Each placeholder on its own, so that a broken one (the user is
	// typing it) hides no other. A placeholder runs to the first `}` of
	// its line, as the link reads it; `$${` is an escape, not one.
	s := string(text)
	for at := 0; ; {
		i := strings.Index(s[at:], "${")
		if i < 0 {
			return
		}
		start := at + i
		at = start + 2
		if start > 0 && s[start-1] == '$' {
			continue
		}
		line := s[at:min(len(s), at+maxPlaceholderLen)]
		if nl := strings.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl]
		}
		close := strings.IndexByte(line, '}')
		if close < 0 {
			continue
		}
		at += close + 1
		// The placeholder as a string node whose decoded offsets are its
		// offsets in the file, less start.
		n := &json5.Node{Kind: json5.String, Start: start - 1, End: at + 1, Text: s[start:at]}
		t, err := interp.Parse(n.Text)
		if err != nil {
			continue
		}
		for _, part := range t.Refs() {
			for _, pp := range pathParts(n, part.Ref.Start, part.Ref.End, beyond, maxPathSegments) {
				if !pp.ok {
					continue
				}
				if k := refKeyOf(path, nil, pp.sym); k.section != "" {
					if idx.sidecar[path] == nil {
						idx.sidecar[path] = map[refKey][]Location{}
					}
					idx.sidecar[path][k] = append(idx.sidecar[path][k], Location{File: file, Span: pp.sym.span})
				}
			}
		}
	}
}

// maxPlaceholderLen bounds the text read as one placeholder of a `{ file }`
// text, which keeps the scan linear whatever the text.
const maxPlaceholderLen = 512

// sortLocations sorts locations by file and span, without duplicates.
func sortLocations(locs []Location) []Location {
	slices.SortFunc(locs, compareLocations)
	return slices.CompactFunc(locs, func(a, b Location) bool { return a == b })
}

func compareLocations(a, b Location) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if a.Span.Start != b.Span.Start {
		return a.Span.Start - b.Span.Start
	}
	return a.Span.End - b.Span.End
}

// target is what the text at a position declares or refers to.
type target struct {
	idx  *refIndex
	f    *featureFile
	decl *Declaration // nil when the text names nothing the index knows
	name diag.Span    // the name as written at the position
}

// declarationAt returns what the text at off declares or refers to: the
// file's declaration or reference whose span holds off.
func (s *Snapshot) declarationAt(ctx context.Context, path string, off int) (*target, error) {
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil {
		return nil, err
	}
	idx, err := s.refIndex(ctx)
	if err != nil {
		return nil, err
	}
	t := &target{idx: idx, f: f}
	fr := idx.file(f.path)
	if fr == nil {
		return t, nil
	}
	for _, st := range fr.sites {
		if st.span.Start > off || off > st.span.End {
			continue
		}
		t.name = st.name
		if st.decl != nil {
			t.decl = st.decl
		} else if st.key.section != "" {
			t.decl = idx.declared(f.path, st.key)
		}
		return t, nil
	}
	return t, nil
}

// References returns the places that refer to what the text at byte offset
// off of the file at path declares or names, in every file of the
// workspace, sorted by file and offset; with includeDecl, its declaration
// first (for a manifest, the start of the file). Each place is the name as
// written. It returns nil when the text names nothing the index knows.
func (s *Snapshot) References(ctx context.Context, path string, off int, includeDecl bool) (locs []Location, err error) {
	defer recoverFeature("references", path, &err)
	t, err := s.declarationAt(ctx, path, off)
	if t == nil || t.decl == nil || err != nil {
		return nil, err
	}
	if includeDecl {
		locs = append(locs, Location{File: t.decl.At.File, Span: t.decl.NameSpan})
	}
	return append(locs, t.idx.referencesOf(t.decl)...), nil
}
