package analysis

import (
	"context"
	"path/filepath"
	"slices"
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
// It is built in two steps. Each file's declarations and references are
// read from its syntax tree alone (fileSymbols, cached with the file's
// analysis, so a file is read once per content): what identify finds at
// each part of each key and string. Then, once per snapshot, every
// reference is resolved to its declaration the way go-to-definition
// resolves it (featureFile.definition: `#child` through the child's
// manifest reference, a config path through the `config_schema` it
// belongs to). The files read are the workspace's manifests and the local
// manifests they reference, transitively.
//
// References, rename and the reference lenses read the index; they answer
// at once after the index of a snapshot is built.

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
	// target, on a reference found already resolved (a `required` entry
	// of a schema), is the key it names in the same file.
	target *diag.Span
	// bareKey is set on an unquoted key: a new name that is no JSON5
	// identifier must be quoted there.
	bareKey bool
	// sidecar, on the `file` of a program's `{ file }`, is the path as
	// written: the file's text is interpolated like the program's strings,
	// so its references are the manifest's.
	sidecar string
}

// maxSymbolDepth bounds how deep fileSymbols reads a file: config keys
// below it (a config path of more segments) are not references.
const maxSymbolDepth = 64

// fileSymbols returns the declarations and references a file writes, in
// text order (keys before their values), computed once per content.
func (p *parsed) fileSymbols() []occurrence {
	p.symbolsOnce.Do(func() {
		f := &featureFile{path: p.key.path, text: p.text, syn: p.res.Syntax}
		if f.syn != nil && f.syn.Root != nil && f.syn.Root.Kind == json5.Object {
			f.root = f.syn.Root
		}
		p.symbols = f.symbols()
	})
	return p.symbols
}

// symbols reads the file's declarations and references.
func (f *featureFile) symbols() []occurrence {
	if f.root == nil {
		return nil
	}
	var out []occurrence
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
						out = append(out, o)
					}
				}
				top := len(c.steps) == 1
				switch {
				case top && m.Key.Name == "config_schema":
					out = append(out, schemaSymbols(m.Value)...)
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
			for i, e := range n.Elems {
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
					out = append(out, occurrence{sym: symbol{kind: symNone, span: n.Span()}, sidecar: n.Text})
					return
				}
			}
			c.onKey, c.inValue = false, true
			for _, sym := range f.stringSymbols(c, n) {
				out = append(out, occurrence{sym: sym, name: nameIn(n, sym)})
			}
		}
	}
	walk(f.root)
	return out
}

// keyOccurrence classifies the key the cursor is on: a declaration (a key
// of `slots`, `components`, ...), a config property of a child (a key of
// `components.x.config`), or neither.
func (f *featureFile) keyOccurrence(c *cursor) (occurrence, bool) {
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
func schemaSymbols(schema *json5.Node) []occurrence {
	var out []occurrence
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
					out = append(out, occurrence{sym: sym, name: keyName(m.Key), decl: DeclConfig, owner: n, bareKey: !m.Key.Quoted})
				}
			}
			if req := n.Get("required"); req != nil && req.Kind == json5.Array {
				declared := schemaProps(schema, n)
				for _, e := range req.Elems {
					if e.Kind != json5.String {
						continue
					}
					for _, p := range declared {
						if p.member.Key.Name == e.Text {
							target := p.member.Key.Span()
							sym := symbol{kind: symConfig, span: e.Span(), name: e.Text}
							out = append(out, occurrence{sym: sym, name: interp.SourceSpan(e, 0, len(e.Text)), target: &target})
							break
						}
					}
				}
			}
			for _, m := range n.Members {
				walk(m.Value, depth+1)
			}
		case json5.Array:
			for _, e := range n.Elems {
				walk(e, depth+1)
			}
		}
	}
	walk(schema, 0)
	return out
}

// Declaration is something a manifest declares.
type Declaration struct {
	Kind DeclKind
	Name string
	// At is the declaring key; for a manifest, the file (an empty span).
	At Location
	// NameSpan is the name as written (the key without its quotes).
	NameSpan diag.Span

	section string      // for entries: "components" or "use"
	owner   *json5.Node // for config properties: the schema object declaring it
}

// refIndex is a snapshot's reference index.
type refIndex struct {
	files []string                  // the files read, sorted
	decls map[Location]*Declaration // by At
	refs  map[Location][]Location   // the references of each declaration, by At; names, in file then text order
	// byFile lists each file's declarations in text order.
	byFile map[string][]*Declaration
	// instances lists, for a manifest, the references to it of entries of
	// `components` (those of `use` entries are only in refs).
	instances map[string][]Location
	// bareKeys holds the declarations and references written as unquoted
	// keys.
	bareKeys map[Location]bool
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

// buildIndex reads the declarations and references of the workspace's
// manifests and of the local manifests they reference, and resolves every
// reference.
func (s *Snapshot) buildIndex(ctx context.Context) (*refIndex, error) {
	manifests, refs, err := s.manifests(ctx, 0)
	if err != nil {
		return nil, err
	}
	run := &featureRun{s: s, ctx: ctx, files: map[string]*featureFile{}, errs: map[string]string{}}
	idx := &refIndex{decls: map[Location]*Declaration{}, refs: map[Location][]Location{}, byFile: map[string][]*Declaration{}, instances: map[string][]Location{}, bareKeys: map[Location]bool{}}

	// The files: the workspace's manifests, then what they reference.
	seen := map[string]bool{}
	queue := slices.Clone(manifests)
	for _, m := range manifests {
		seen[m] = true
	}
	type read struct {
		f    *featureFile
		occs []occurrence
	}
	var files []read
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
		f := run.fileOf(path, p)
		files = append(files, read{f, p.fileSymbols()})
		next := refs[path]
		if _, listed := refs[path]; !listed {
			next = p.refs
		}
		for _, r := range next {
			if !seen[r.Path] {
				seen[r.Path] = true
				queue = append(queue, r.Path)
			}
		}
	}

	// Declarations first, so that references find them.
	for _, r := range files {
		idx.files = append(idx.files, r.f.path)
		for i := range r.occs {
			o := &r.occs[i]
			if o.decl == DeclNone {
				continue
			}
			d := &Declaration{Kind: o.decl, Name: o.sym.name, At: Location{File: r.f.path, Span: o.sym.span}, NameSpan: o.name, owner: o.owner}
			if o.decl == DeclComponent || o.decl == DeclUse {
				d.section, d.Name = o.sym.section, o.sym.child
			}
			if o.bareKey {
				idx.bareKeys[Location{File: r.f.path, Span: o.name}] = true
			}
			if _, dup := idx.decls[d.At]; !dup {
				idx.decls[d.At] = d
				idx.byFile[r.f.path] = append(idx.byFile[r.f.path], d)
			}
		}
	}
	slices.Sort(idx.files)

	// Then every reference, resolved as go-to-definition resolves it.
	for _, r := range files {
		for i := range r.occs {
			o := &r.occs[i]
			if o.sidecar != "" {
				s.sidecarReferences(ctx, idx, r.f, o.sidecar)
				continue
			}
			if o.decl != DeclNone {
				continue
			}
			at, ok := r.f.declarationOf(ctx, o)
			if !ok {
				continue
			}
			if _, known := idx.decls[at]; !known && at.Span == (diag.Span{}) {
				d := &Declaration{Kind: DeclManifest, Name: filepath.Base(at.File), At: at}
				idx.decls[at] = d
			}
			loc := Location{File: r.f.path, Span: o.name}
			idx.refs[at] = append(idx.refs[at], loc)
			if o.bareKey {
				idx.bareKeys[loc] = true
			}
			if o.sym.kind == symManifest && o.sym.section == "components" {
				idx.instances[at.File] = append(idx.instances[at.File], loc)
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	for at, locs := range idx.refs {
		idx.refs[at] = sortLocations(locs)
	}
	for file, locs := range idx.instances {
		idx.instances[file] = sortLocations(locs)
	}
	return idx, nil
}

// sidecarReferences adds the references of the text of a `{ file }` of
// the program of f (written path): its `${config.a}` and `${slots.x}`
// placeholders, which the link interpolates like the program's strings.
func (s *Snapshot) sidecarReferences(ctx context.Context, idx *refIndex, f *featureFile, path string) {
	if strings.TrimSpace(path) == "" {
		return
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(f.path), path)
	}
	path = filepath.Clean(path)
	text, err := s.ReadFile(path)
	if err != nil {
		return
	}
	// The whole text as one string node whose decoded offsets are its own.
	n := &json5.Node{Kind: json5.String, Start: -1, End: len(text) + 1, Text: string(text)}
	t, err := interp.Parse(n.Text)
	if err != nil {
		return
	}
	for _, p := range t.Refs() {
		for _, part := range pathParts(n, p.Ref.Start, p.Ref.End) {
			o := occurrence{sym: part.sym, name: part.sym.span}
			if !part.ok {
				continue
			}
			if at, ok := f.declarationOf(ctx, &o); ok {
				idx.refs[at] = append(idx.refs[at], Location{File: path, Span: o.name})
			}
		}
	}
}

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

// declarationOf resolves a reference of the file: the key (or, for a
// manifest reference, the file) it names.
func (f *featureFile) declarationOf(ctx context.Context, o *occurrence) (Location, bool) {
	if o.target != nil {
		return Location{File: f.path, Span: *o.target}, true
	}
	switch o.sym.kind {
	case symConfig:
		if len(o.sym.segs) == 0 {
			return Location{}, false // `config` itself
		}
	case symSlot, symProvide, symResource, symLocalCap, symEntry, symManifest, symChildSlot, symChildExport, symOverlay:
	default:
		return Location{}, false
	}
	if o.sym.kind != symManifest && o.sym.name == "" && o.sym.kind != symEntry && !(o.sym.kind == symOverlay && !o.sym.tail) {
		return Location{}, false // a name being typed
	}
	locs := f.definition(ctx, o.sym)
	if len(locs) == 0 {
		return Location{}, false
	}
	return locs[0], true
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
	p := s.analyze(f.path, 0)
	if p == nil {
		return t, nil
	}
	for _, o := range p.fileSymbols() {
		if o.sym.span.Start > off || off > o.sym.span.End {
			continue
		}
		t.name = o.name
		if o.decl != DeclNone {
			t.decl = idx.decls[Location{File: f.path, Span: o.sym.span}]
			return t, nil
		}
		at, ok := f.declarationOf(ctx, &o)
		if !ok {
			return t, ctx.Err()
		}
		t.decl = idx.decls[at]
		if t.decl == nil && at.Span == (diag.Span{}) {
			t.decl = &Declaration{Kind: DeclManifest, Name: filepath.Base(at.File), At: at}
		}
		return t, ctx.Err()
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
	return append(locs, t.idx.refs[t.decl.At]...), nil
}
