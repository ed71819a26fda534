package analysis

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Document symbols are the outline of one manifest: its top-level members
// (sections), and below them what the manifest declares, as the vocabulary
// says (a field's Declares: the keys of `slots` are slots, an endpoint's
// `name` names an endpoint), plus the bindings, the overlay references and
// the config properties of `config_schema`. Workspace symbols are the same
// declarations across every manifest of the workspace. Both read the syntax
// tree only, so a manifest with syntax errors still has the outline of what
// parsed.

// SymbolRole says what an outline entry is.
type SymbolRole int

// Symbol roles.
const (
	RoleSection     SymbolRole = iota + 1 // a top-level member of the manifest
	RoleDeclaration                       // a name the manifest declares; DocumentSymbol.Declares says what
	RoleBinding                           // an element of `bindings`
	RoleOverlay                           // an element of `overlays`
)

// DocumentSymbol is one entry of a manifest's outline.
type DocumentSymbol struct {
	Name   string     // never empty
	Detail string     // one line: a slot's kind, a child's manifest reference, ...
	Role   SymbolRole // what the entry is in the manifest
	// Declares is, for a declaration, what it declares; for a section, what
	// the section's keys declare (SymNone for the others).
	Declares manifest.Symbol
	// Deprecated marks a draft spelling (`policies`).
	Deprecated bool
	// Span is the whole member or element; NameSpan, inside it, the text
	// naming it (a key, or a string such as an endpoint's name).
	Span, NameSpan diag.Span
	// Children are the entries nested in it.
	Children []DocumentSymbol
}

// WorkspaceSymbol is a declaration of some manifest of the workspace.
type WorkspaceSymbol struct {
	Name      string          // the declared name
	Declares  manifest.Symbol // what it declares
	Container string          // the outline entry holding it, e.g. "slots" or "config.api"
	File      string          // absolute path of the manifest
	Span      diag.Span       // the text naming it
}

// maxOutlineDepth bounds the nesting of config properties in the outline.
const maxOutlineDepth = 64

// DocumentSymbols returns the outline of the manifest at path: nil when it
// is not a manifest or cannot be read.
func (s *Snapshot) DocumentSymbols(ctx context.Context, path string) (syms []DocumentSymbol, err error) {
	defer recoverFeature("document symbols", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil {
		return nil, err
	}
	syms = f.outline()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return syms, nil
}

// WorkspaceSymbols returns the declarations of the workspace's manifests
// whose names match query (case-insensitively: containing it, or holding
// its characters in order), best matches first (exact, prefix, substring,
// then scattered), then by name and file; at most limit of them (limit <= 0
// means no limit). An empty query matches everything. It waits for the
// snapshot's list of manifests (Diagnostics); the declarations of a file
// are computed once per content.
func (s *Snapshot) WorkspaceSymbols(ctx context.Context, query string, limit int) (out []WorkspaceSymbol, err error) {
	defer recoverFeature("workspace symbols", "", &err)
	rep, err := s.Diagnostics(ctx)
	if err != nil {
		return nil, err
	}
	run := &featureRun{s: s, ctx: ctx, files: map[string]*featureFile{}, errs: map[string]string{}}
	q := strings.ToLower(query)
	type match struct {
		*indexedSymbol
		class int
	}
	var found []match
	idx := &s.ws.symbols
	seen := make(map[symbolKey][]indexedSymbol, len(rep.Manifests))
	for _, path := range rep.Manifests {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h := s.handle(path)
		if h.err != nil {
			continue
		}
		key := symbolKey{path, h.hash}
		decls, ok := idx.get(key)
		if !ok {
			f, _ := run.open(path)
			if f == nil {
				continue
			}
			decls = indexSymbols(path, f.outline())
		}
		seen[key] = decls
		for i := range decls {
			if class, ok := matchName(decls[i].lower, q); ok {
				found = append(found, match{&decls[i], class})
			}
		}
	}
	idx.replace(seen)
	slices.SortFunc(found, func(a, b match) int {
		return cmp.Or(cmp.Compare(a.class, b.class), strings.Compare(a.Name, b.Name),
			strings.Compare(a.File, b.File), cmp.Compare(a.Span.Start, b.Span.Start))
	})
	if limit > 0 && len(found) > limit {
		found = found[:limit]
	}
	out = make([]WorkspaceSymbol, len(found))
	for i, m := range found {
		out[i] = m.WorkspaceSymbol
	}
	return out, nil
}

// symbolIndex keeps the declarations of each manifest content the last
// workspace symbol query read, so that the next query (the user typing in
// the search box) computes only those of files that changed.
type symbolIndex struct {
	mu     sync.Mutex
	byFile map[symbolKey][]indexedSymbol
}

// symbolKey is a file's content: its path and content hash.
type symbolKey struct {
	path string
	hash uint64
}

// indexedSymbol is a declaration with its name in lower case.
type indexedSymbol struct {
	WorkspaceSymbol
	lower string
}

func (x *symbolIndex) get(k symbolKey) ([]indexedSymbol, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	d, ok := x.byFile[k]
	return d, ok
}

// replace keeps exactly the contents a query read.
func (x *symbolIndex) replace(m map[symbolKey][]indexedSymbol) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.byFile = m
}

// indexSymbols lists the declarations of an outline, each with the entry
// holding it: the section, or for a config property its parent's path.
func indexSymbols(path string, syms []DocumentSymbol) []indexedSymbol {
	out := []indexedSymbol{}
	var walk func(syms []DocumentSymbol, container string)
	walk = func(syms []DocumentSymbol, container string) {
		for i := range syms {
			sym := &syms[i]
			if sym.Role == RoleDeclaration {
				out = append(out, indexedSymbol{WorkspaceSymbol{Name: sym.Name, Declares: sym.Declares, Container: container,
					File: path, Span: sym.NameSpan}, strings.ToLower(sym.Name)})
			}
			inner := sym.Name
			switch {
			case sym.Declares == manifest.SymConfig && container == "config_schema":
				inner = "config." + sym.Name
			case sym.Declares == manifest.SymConfig:
				inner = container + "." + sym.Name
			}
			walk(sym.Children, inner)
		}
	}
	walk(syms, "")
	return out
}

// matchName reports whether name (lower case) matches query (lower case)
// and how well: 0 equal, 1 a prefix, 2 a substring, 3 its characters in
// order.
func matchName(name, query string) (int, bool) {
	switch {
	case name == query:
		return 0, true
	case strings.HasPrefix(name, query):
		return 1, true
	case strings.Contains(name, query):
		return 2, true
	}
	rest := query
	for i := 0; i < len(name) && rest != ""; i++ {
		if name[i] == rest[0] {
			rest = rest[1:]
		}
	}
	return 3, rest == ""
}

// outline returns the document symbols of f.
func (f *featureFile) outline() []DocumentSymbol {
	if f.root == nil {
		return nil
	}
	var out []DocumentSymbol
	for _, m := range f.root.Members {
		if f.run.ctx.Err() != nil {
			return nil
		}
		name := m.Key.Name
		sym := DocumentSymbol{Name: symbolName(name), Role: RoleSection, Span: memberSpan(m), NameSpan: m.Key.Span()}
		if name == manifest.DraftOverlaysKey {
			name, sym.Deprecated = "overlays", true
		}
		place, known := manifest.At(name)
		if known && place.Field != nil {
			sym.Declares = place.Field.Declares
		}
		v := m.Value
		switch {
		case name == "bindings":
			sym.Children = bindingSymbols(v)
		case name == "overlays":
			sym.Children = overlaySymbols(v)
		case name == "config_schema":
			sym.Children = configSymbols(v, v, 0)
		case known:
			sym.Children = f.declarations(v, place, nil)
		}
		switch {
		case len(sym.Children) > 0:
			sym.Detail = strconv.Itoa(len(sym.Children))
		case v.Kind != json5.Object && v.Kind != json5.Array:
			sym.Detail = f.snippet(v, 40)
		}
		out = append(out, sym)
	}
	return out
}

// symbolName is how an outline names a key: as written, or `""` for the
// empty key (an outline entry needs a name).
func symbolName(name string) string {
	if name == "" {
		return `""`
	}
	return name
}

// memberSpan is a member from its key to the end of its value.
func memberSpan(m *json5.Member) diag.Span {
	return diag.Span{Start: m.Key.Start, End: max(m.Key.End, m.Value.End)}
}

// declarations returns what value v, written at place, declares: the
// entries of tables whose keys declare something, and the records named by
// a declaring string field (an endpoint by its `name`), each with what it
// declares in turn. nested is the result so far, for records whose
// declarations surface at the level above.
func (f *featureFile) declarations(v *json5.Node, place manifest.Place, nested []DocumentSymbol) []DocumentSymbol {
	switch v.Kind {
	case json5.Object:
		if table, declares := tableDeclares(place); table {
			entry, _ := place.Key("")
			for _, m := range v.Members {
				if declares == manifest.SymNone {
					nested = f.declarations(m.Value, entry, nested)
					continue
				}
				sym := DocumentSymbol{Name: symbolName(m.Key.Name), Role: RoleDeclaration, Declares: declares,
					Detail: f.declDetail(declares, m.Value), Span: memberSpan(m), NameSpan: m.Key.Span()}
				sym.Children = f.declarations(m.Value, entry, nil)
				nested = append(nested, sym)
			}
			return nested
		}
		records := place.Value.Records(memberNames(v))
		if len(records) == 0 {
			return nested
		}
		// A record named by one of its string fields is a declaration.
		for _, r := range records {
			for _, fs := range r.Fields {
				if fs.Declares == manifest.SymNone || fs.Value.Has(manifest.ShapeTable) {
					continue
				}
				if n := v.Get(fs.Name); n != nil && n.Kind == json5.String {
					sym := DocumentSymbol{Name: symbolName(n.Text), Role: RoleDeclaration, Declares: fs.Declares,
						Detail: f.declDetail(fs.Declares, v), Span: v.Span(), NameSpan: n.Span()}
					return append(nested, sym)
				}
			}
		}
		for _, m := range v.Members {
			if p, ok := place.Key(m.Key.Name); ok && p.Field != nil {
				nested = f.declarations(m.Value, p, nested)
			}
		}
	case json5.Array:
		if elem, ok := place.Elem(); ok {
			for _, e := range v.Elems() {
				nested = f.declarations(e, elem, nested)
			}
		}
	}
	return nested
}

// tableDeclares reports whether place holds a table of named entries and
// what their keys declare.
func tableDeclares(place manifest.Place) (bool, manifest.Symbol) {
	if !place.Value.Has(manifest.ShapeTable) {
		return false, manifest.SymNone
	}
	if place.Field != nil {
		return true, place.Field.Declares
	}
	return true, manifest.SymNone
}

// memberNames returns the keys of object v.
func memberNames(v *json5.Node) []string {
	names := make([]string, 0, len(v.Members))
	for _, m := range v.Members {
		names = append(names, m.Key.Name)
	}
	return names
}

// declDetail describes a declaration in a few words.
func (f *featureFile) declDetail(sym manifest.Symbol, v *json5.Node) string {
	str := func(key string) string {
		if n := v.Get(key); n != nil && n.Kind == json5.String {
			return n.Text
		}
		return ""
	}
	switch sym {
	case manifest.SymChild, manifest.SymUse:
		if ref := refNode(v); ref != nil {
			return ref.Text
		}
	case manifest.SymSlot, manifest.SymProvide, manifest.SymResource:
		d := str("kind")
		if p := str("profile"); p != "" {
			d += " (" + p + ")"
		}
		return d
	case manifest.SymExport:
		if v.Kind == json5.String {
			return "→ " + v.Text
		}
	case manifest.SymEnvironment:
		if e := str("extends"); e != "" {
			return "extends " + e
		}
	case manifest.SymTemplate:
		if m := v.Get("manifest"); m != nil {
			return f.snippet(m, 40)
		}
	case manifest.SymEndpoint:
		if p := v.Get("port"); p != nil {
			return "port " + f.snippet(p, 20)
		}
	case manifest.SymMount:
		return str("path")
	case manifest.SymEnvVar:
		if v.Kind == json5.String {
			return f.snippet(v, 40)
		}
		if n := v.Get("value"); n != nil {
			return f.snippet(n, 40)
		}
	}
	return ""
}

// bindingSymbols lists the elements of `bindings`, each named by its
// target and source: `#child.slot ← #other.export`.
func bindingSymbols(v *json5.Node) []DocumentSymbol {
	if v.Kind != json5.Array {
		return nil
	}
	var out []DocumentSymbol
	for i, b := range v.Elems() {
		if b.Kind != json5.Object {
			continue
		}
		str := func(key string) string {
			if n := b.Get(key); n != nil && n.Kind == json5.String {
				return n.Text
			}
			return ""
		}
		to, from := str("to"), str("from")
		if s := str("slot"); s != "" {
			to += "." + s
		}
		if c := str("capability"); c != "" {
			from += "." + c
		}
		name := "binding " + strconv.Itoa(i+1)
		if to != "" || from != "" {
			name = cmp.Or(to, "?") + " ← " + cmp.Or(from, "?")
		}
		nameSpan := b.Span()
		if n := b.Get("to"); n != nil {
			nameSpan = n.Span()
		}
		sym := DocumentSymbol{Name: name, Role: RoleBinding, Span: b.Span(), NameSpan: nameSpan}
		if w := b.Get("weak"); w != nil && w.Kind == json5.Bool && w.Text == "true" {
			sym.Detail = "weak"
		}
		out = append(out, sym)
	}
	return out
}

// overlaySymbols lists the references of `overlays`.
func overlaySymbols(v *json5.Node) []DocumentSymbol {
	if v.Kind != json5.Array {
		return nil
	}
	var out []DocumentSymbol
	for _, e := range v.Elems() {
		if e.Kind == json5.String {
			out = append(out, DocumentSymbol{Name: symbolName(e.Text), Role: RoleOverlay, Span: e.Span(), NameSpan: e.Span()})
		}
	}
	return out
}

// configSymbols lists the properties written inside schema node n (its
// own `properties` and those of its `allOf` branches, not those a `$ref`
// reaches elsewhere), nested.
func configSymbols(root, n *json5.Node, depth int) []DocumentSymbol {
	if n == nil || n.Kind != json5.Object || depth > maxOutlineDepth {
		return nil
	}
	var out []DocumentSymbol
	for _, p := range schemaProps(root, n) {
		k := p.member.Key
		if k.Start < n.Start || k.End > n.End {
			continue // reached through a `$ref`: declared elsewhere
		}
		out = append(out, DocumentSymbol{Name: symbolName(k.Name), Role: RoleDeclaration, Declares: manifest.SymConfig,
			Detail: schemaType(root, p.member.Value), Span: memberSpan(p.member), NameSpan: k.Span(),
			Children: configSymbols(root, p.member.Value, depth+1)})
	}
	return out
}
