package analysis

import (
	"context"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Semantic tokens say what each piece of a manifest is, for highlighting
// beyond JSON: a key the vocabulary defines or a name the manifest
// declares, the parts of a reference (`#`, the child, `.`, the
// capability), the placeholders of an interpolated string and their
// segments, keyword values, and the draft spellings Amber rejects, marked
// deprecated. They are computed from the syntax tree alone, in one pass,
// in time linear in the text.

// TokenKind is what a piece of manifest text is. The kinds are named after
// the LSP's standard token types.
type TokenKind uint8

// Token kinds.
const (
	TokenProperty   TokenKind = iota + 1 // a key; a config property in a path
	TokenString                          // string text
	TokenNumber                          // a number
	TokenKeyword                         // true, false, null; the reserved words of references (`slots`, `config`)
	TokenVariable                        // provides, resources, exports, endpoints, environment variables, mounts, `item`
	TokenParameter                       // slots: what a component is given
	TokenNamespace                       // children and `use` entries
	TokenType                            // environments, child templates, `$defs` of a config schema
	TokenEnumMember                      // keyword values (capability kinds, ...) and framework capabilities
	TokenOperator                        // `#`, `.`, `${`, `}`
)

// tokenNames are the LSP's names of the token kinds.
var tokenNames = [...]string{
	TokenProperty: "property", TokenString: "string", TokenNumber: "number", TokenKeyword: "keyword",
	TokenVariable: "variable", TokenParameter: "parameter", TokenNamespace: "namespace", TokenType: "type",
	TokenEnumMember: "enumMember", TokenOperator: "operator",
}

// String returns the LSP's name of the token type ("parameter").
func (k TokenKind) String() string {
	if int(k) < len(tokenNames) {
		return tokenNames[k]
	}
	return ""
}

// TokenKinds returns every token kind, in order (TokenProperty first).
func TokenKinds() []TokenKind {
	out := make([]TokenKind, 0, len(tokenNames)-1)
	for k := TokenProperty; int(k) < len(tokenNames); k++ {
		out = append(out, k)
	}
	return out
}

// TokenMods are modifiers of a token, a set of bits.
type TokenMods uint8

// Token modifiers.
const (
	ModDeclaration    TokenMods = 1 << iota // the name is declared here
	ModDeprecated                           // a draft or legacy spelling
	ModReadonly                             // a config value in a reference: fixed when the scenario is deployed
	ModDefaultLibrary                       // defined by Amber: a vocabulary key, a framework capability
)

// modNames are the LSP's names of the modifiers, bit by bit.
var modNames = [...]string{"declaration", "deprecated", "readonly", "defaultLibrary"}

// TokenModifiers returns every modifier, one bit each, in bit order.
func TokenModifiers() []TokenMods {
	out := make([]TokenMods, len(modNames))
	for i := range modNames {
		out[i] = 1 << i
	}
	return out
}

// String returns the LSP's names of the modifiers, joined by ".": e.g.
// "declaration.deprecated" ("" for none).
func (m TokenMods) String() string {
	var names []string
	for i, n := range modNames {
		if m&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, ".")
}

// Token is one highlighted piece of text. Tokens never overlap and come in
// text order; a token may span lines (a string with a line continuation).
type Token struct {
	Span diag.Span // the bytes of the token
	Kind TokenKind // what the text is
	Mods TokenMods // extra facts about it, e.g. ModDeclaration
}

// symbolTokens is how a declared or referenced symbol is highlighted.
var symbolTokens = map[manifest.Symbol]TokenKind{
	manifest.SymChild:       TokenNamespace,
	manifest.SymUse:         TokenNamespace,
	manifest.SymSlot:        TokenParameter,
	manifest.SymProvide:     TokenVariable,
	manifest.SymResource:    TokenVariable,
	manifest.SymExport:      TokenVariable,
	manifest.SymEnvironment: TokenType,
	manifest.SymEndpoint:    TokenVariable,
	manifest.SymTemplate:    TokenType,
	manifest.SymEnvVar:      TokenVariable,
	manifest.SymMount:       TokenVariable,
	manifest.SymConfig:      TokenProperty,
	manifest.SymFramework:   TokenEnumMember,
}

// SemanticTokens returns the tokens of the manifest at path that overlap
// within (the whole file for a span that covers it), in text order; nil
// when the file is not a manifest.
func (s *Snapshot) SemanticTokens(ctx context.Context, path string, within diag.Span) (toks []Token, err error) {
	defer recoverFeature("semantic tokens", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil {
		return nil, err
	}
	if f.root == nil {
		return []Token{}, nil
	}
	// About one token for every 8 bytes of the span asked about: one
	// allocation instead of a growing slice copied over and over.
	covered := min(within.End, len(f.text)) - max(within.Start, 0)
	t := &tokenizer{f: f, ctx: ctx, within: within, out: make([]Token, 0, max(covered/8, 16))}
	t.object(f.root, manifest.Root(), true, 0)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return t.out, nil
}

// tokenizer walks a syntax tree alongside the vocabulary, collecting tokens.
type tokenizer struct {
	f      *featureFile
	ctx    context.Context
	within diag.Span
	out    []Token
	seen   int    // members and elements visited, for checking ctx now and then
	buf    []part // the parts of the string being split, reused
}

// overlaps reports whether [start, end) touches the span asked about.
func (t *tokenizer) overlaps(start, end int) bool {
	return end > t.within.Start && start < t.within.End
}

// emit records a token, unless it is empty, outside the span asked about,
// or would overlap the previous one.
func (t *tokenizer) emit(start, end int, kind TokenKind, mods TokenMods) {
	if end <= start || !t.overlaps(start, end) {
		return
	}
	if n := len(t.out); n > 0 && start < t.out[n-1].Span.End {
		return
	}
	t.out = append(t.out, Token{Span: diag.Span{Start: start, End: end}, Kind: kind, Mods: mods})
}

// cancelled reports, every few hundred nodes, whether the request was
// cancelled.
func (t *tokenizer) cancelled() bool {
	t.seen++
	return t.seen%512 == 0 && t.ctx.Err() != nil
}

// Inside a config schema, the keys of some objects are names: those of
// `properties` are config properties, those of `$defs` definitions.
const (
	schemaKeywords = iota // JSON Schema keywords
	schemaProperties
	schemaDefs
)

// value tokenizes value n written at place (known: the vocabulary knows
// the place).
func (t *tokenizer) value(n *json5.Node, place manifest.Place, known bool, keys int) {
	switch n.Kind {
	case json5.Object:
		t.object(n, place, known, keys)
	case json5.Array:
		elem, ok := place.Elem()
		for _, e := range n.Elems() {
			if t.cancelled() {
				return
			}
			if t.overlaps(e.Start, e.End) {
				t.value(e, elem, known && ok, schemaKeywords)
			}
		}
	case json5.String:
		t.str(n, place, known)
	case json5.Number:
		t.emit(n.Start, n.End, TokenNumber, 0)
	case json5.Bool, json5.Null:
		t.emit(n.Start, n.End, TokenKeyword, 0)
	}
}

// object tokenizes the members of object n written at place.
func (t *tokenizer) object(n *json5.Node, place manifest.Place, known bool, keys int) {
	schema := known && place.Value.Has(manifest.ShapeSchema)
	table, declares := tableDeclares(place)
	for _, m := range n.Members {
		if t.cancelled() {
			return
		}
		if !t.overlaps(m.Key.Start, max(m.Key.End, m.Value.End)) {
			continue
		}
		name := m.Key.Name
		kind, mods := TokenProperty, TokenMods(0)
		var kp manifest.Place
		ok := false
		if known {
			kp, ok = place.Key(name)
		}
		if n == t.f.root && name == manifest.DraftOverlaysKey {
			kp, ok = manifest.At("overlays")
			mods |= ModDeprecated | ModDefaultLibrary
		}
		inner := schemaKeywords
		switch {
		case schema && keys == schemaProperties:
			mods |= ModDeclaration
		case schema && keys == schemaDefs:
			kind, mods = TokenType, mods|ModDeclaration
		case schema:
			switch name {
			case "properties":
				inner = schemaProperties
			case "$defs", "definitions":
				inner = schemaDefs
			}
		case ok && kp.Field != nil:
			mods |= ModDefaultLibrary
		case ok && table && declares != manifest.SymNone:
			kind, mods = symbolTokens[declares], mods|ModDeclaration
		}
		t.emit(m.Key.Start, m.Key.End, kind, mods)
		t.value(m.Value, kp, ok, inner)
	}
}

// str tokenizes string n written at place.
func (t *tokenizer) str(n *json5.Node, place manifest.Place, known bool) {
	if !known {
		t.emit(n.Start, n.End, TokenString, 0)
		return
	}
	v := place.Value
	if e := v.Enum(); e != nil {
		_, isValue := e.Value(n.Text)
		draft := e.Name == manifest.EnumExperimentalFeature && manifest.IsDraftFeature(n.Text)
		switch {
		case draft:
			t.emit(n.Start, n.End, TokenEnumMember, ModDeprecated)
			return
		case isValue:
			t.emit(n.Start, n.End, TokenEnumMember, 0)
			return
		case v.Has(manifest.ShapeEnum):
			t.emit(n.Start, n.End, TokenString, 0)
			return
		}
	}
	if fs := place.Field; fs != nil && fs.Declares != manifest.SymNone && !fs.Value.Has(manifest.ShapeTable) && !strings.Contains(n.Text, "${") {
		t.emit(n.Start, n.End, symbolTokens[fs.Declares], ModDeclaration)
		return
	}
	for _, form := range v {
		switch {
		case form.Shape == manifest.ShapeConfig:
			t.buf = placeholderParts(t.buf[:0], n.Text, true)
			t.parts(n, t.buf)
			return
		case form.Syntax == manifest.SyntaxInterpolation:
			t.buf = placeholderParts(t.buf[:0], n.Text, false)
			t.parts(n, t.buf)
			return
		case form.Syntax == manifest.SyntaxName && len(form.Refs) > 0:
			if k, ok := symbolTokens[form.Refs[0]]; ok {
				t.emit(n.Start, n.End, k, 0)
				return
			}
		case form.Syntax != manifest.SyntaxNone && form.Syntax != manifest.SyntaxManifest && form.Syntax != manifest.SyntaxFile:
			t.buf = referenceParts(t.buf[:0], n.Text, form.Syntax)
			t.parts(n, t.buf)
			return
		}
	}
	t.emit(n.Start, n.End, TokenString, 0)
}

// part is a piece of a string: a range of its decoded text and its token.
type part struct {
	start, end int
	kind       TokenKind
	mods       TokenMods
}

// parts tokenizes string n as the given parts, in order, the text around
// them (quotes included) as string.
func (t *tokenizer) parts(n *json5.Node, parts []part) {
	pos := n.Start
	for _, p := range parts {
		sp := interp.SourceSpan(n, p.start, p.end)
		t.emit(pos, sp.Start, TokenString, 0)
		t.emit(sp.Start, sp.End, p.kind, p.mods)
		pos = max(pos, sp.End)
	}
	t.emit(pos, n.End, TokenString, 0)
}

// placeholderParts splits the placeholders out of an interpolated string:
// `${`, the reference, `}`; in a component config (symbolic), a whole
// string `$${config.x}` too. Text that is no placeholder (an unclosed
// `${`, an unknown source) stays string.
func placeholderParts(parts []part, text string, symbolic bool) []part {
	if symbolic && strings.HasPrefix(text, "$${") {
		if tpl, err := interp.ParseSymbolic(text); err == nil {
			if r, ok := tpl.Symbolic(); ok {
				parts = append(parts, part{0, 3, TokenOperator, 0})
				parts = refTokenParts(parts, r, 0)
				return append(parts, part{len(text) - 1, len(text), TokenOperator, 0})
			}
		}
	}
	for i := 0; i < len(text); {
		open, end, found := interp.NextPlaceholder(text, i)
		if !found || end < 0 {
			break
		}
		if r, err := interp.ParseRef(text[open+2 : end]); err == nil {
			parts = append(parts, part{open, open + 2, TokenOperator, 0})
			parts = refTokenParts(parts, r, open+2)
			parts = append(parts, part{end, end + 1, TokenOperator, 0})
		}
		i = end + 1
	}
	return parts
}

// refTokenParts adds the parts of a reference `source.a.b`, parsed at offset
// at of the string: the source word (`config` and `slots` are keywords,
// `item` a variable), then each `.` and segment: config paths are
// properties, a slot's name a parameter and its fields properties.
func refTokenParts(parts []part, r interp.Ref, at int) []part {
	switch r.Source {
	case interp.Item:
		parts = append(parts, part{at + r.Start, at + r.SourceEnd(), TokenVariable, ModReadonly})
	default:
		parts = append(parts, part{at + r.Start, at + r.SourceEnd(), TokenKeyword, 0})
	}
	if len(r.Segments) == 0 && r.SourceEnd() < r.End {
		parts = append(parts, part{at + r.SourceEnd(), at + r.SourceEnd() + 1, TokenOperator, 0}) // `config.`
	}
	for i, s := range r.Segments {
		parts = append(parts, part{at + s.Start - 1, at + s.Start, TokenOperator, 0})
		kind, mods := TokenProperty, TokenMods(0)
		switch {
		case r.Source == interp.Config:
			mods = ModReadonly
		case r.Source == interp.Slots && i == 0:
			kind = TokenParameter
		}
		parts = append(parts, part{at + s.Start, at + s.End, kind, mods})
	}
	return parts
}

// referenceParts splits a reference string of the given syntax into its
// parts: `#child.name`, `keyword.name`, paths. A string whose head the
// syntax does not allow is left whole (the diagnostics say why).
func referenceParts(parts []part, text string, syntax manifest.Syntax) []part {
	switch syntax {
	case manifest.SyntaxWhen, manifest.SyntaxEach:
		if r, err := interp.ParseRef(text); err == nil && r.Source != interp.Item {
			return refTokenParts(parts, r, 0)
		}
		return parts
	case manifest.SyntaxMountSource:
		head, _, _ := splitDot(text)
		if head == "config" || head == "slots" {
			if r, err := interp.ParseRef(text); err == nil {
				return refTokenParts(parts, r, 0)
			}
			return parts
		}
	}
	head, tail, dot := splitDot(text)
	var name TokenKind // the token of the name after the dot
	var mods TokenMods
	switch {
	case strings.HasPrefix(head, "#") && syntax != manifest.SyntaxRealmSelector && syntax != manifest.SyntaxMountSource:
		parts = append(parts, part{0, 1, TokenOperator, 0}, part{1, len(head), TokenNamespace, 0})
		name = TokenVariable // an export
		if syntax == manifest.SyntaxBindingTarget {
			name = TokenParameter // a slot
		}
	case dot < 0 && syntax == manifest.SyntaxExportTarget:
		return append(parts, part{0, len(text), TokenVariable, 0}) // a provide or slot of this manifest
	case head == manifest.LegacySelf && (syntax == manifest.SyntaxBindingSource || syntax == manifest.SyntaxExportTarget):
		parts = append(parts, part{0, len(head), TokenKeyword, ModDeprecated})
		name = TokenVariable
	case head == "children" && syntax == manifest.SyntaxRealmSelector:
		return realmChildParts(parts, text, dot)
	case isKeyword(syntax, head):
		parts = append(parts, part{0, len(head), TokenKeyword, 0})
		switch head {
		case "slots":
			name = TokenParameter
		case "framework":
			name, mods = TokenEnumMember, ModDefaultLibrary
		default:
			name = TokenVariable
		}
	default:
		return parts
	}
	if dot >= 0 {
		parts = append(parts, part{dot, dot + 1, TokenOperator, 0}, part{dot + 1, dot + 1 + len(tail), name, mods})
	}
	return parts
}

// isKeyword reports whether word is a reserved word references of syntax
// may start with.
func isKeyword(syntax manifest.Syntax, word string) bool {
	for _, k := range syntax.Keywords() {
		if k == word {
			return true
		}
	}
	return false
}

// realmChildParts splits a realm selector `children.<child>.exports.<export>`
// (dot is the first `.`).
func realmChildParts(parts []part, text string, dot int) []part {
	parts = append(parts, part{0, len("children"), TokenKeyword, 0})
	if dot < 0 {
		return parts
	}
	parts = append(parts, part{dot, dot + 1, TokenOperator, 0})
	rest := dot + 1
	const exports = ".exports."
	i := strings.Index(text[rest:], exports)
	if i < 0 {
		return append(parts, part{rest, len(text), TokenNamespace, 0})
	}
	i += rest
	return append(parts,
		part{rest, i, TokenNamespace, 0},
		part{i, i + 1, TokenOperator, 0},
		part{i + 1, i + len(exports) - 1, TokenKeyword, 0},
		part{i + len(exports) - 1, i + len(exports), TokenOperator, 0},
		part{i + len(exports), len(text), TokenVariable, 0})
}
