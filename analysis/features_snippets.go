package analysis

import (
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Snippets propose a whole new entry where one can be written: a child in
// `components`, a `use` helper, a slot, a provide, ... (any table whose
// keys declare something), and a binding in `bindings`. The value written
// is the first form the vocabulary lists for the entry, with its required
// fields: a slot gets `kind` with the capability kinds to choose from.
// Each snippet comes with the plain text it stands for, for editors
// without snippets.

// snippet writes a completion twice: as an LSP snippet and as plain text.
type snippet struct {
	plain, snip strings.Builder
	n           int // the last tab stop
}

// text writes literal text.
func (s *snippet) text(t string) {
	s.plain.WriteString(t)
	s.snip.WriteString(escapeSnippet(t, false, ""))
}

// placeholder writes a tab stop holding def, and returns its number.
func (s *snippet) placeholder(def string) int {
	s.n++
	s.plain.WriteString(def)
	s.snip.WriteString("${" + strconv.Itoa(s.n) + ":" + escapeSnippet(def, true, "") + "}")
	return s.n
}

// choice writes a tab stop offering opts (the plain text takes the first).
func (s *snippet) choice(opts []string) {
	if len(opts) == 0 {
		s.placeholder("")
		return
	}
	s.n++
	s.plain.WriteString(opts[0])
	esc := make([]string, len(opts))
	for i, o := range opts {
		esc[i] = escapeSnippet(o, true, ",|")
	}
	s.snip.WriteString("${" + strconv.Itoa(s.n) + "|" + strings.Join(esc, ",") + "|}")
}

// mirror repeats tab stop i, whose plain text is plain.
func (s *snippet) mirror(i int, plain string) {
	s.plain.WriteString(plain)
	s.snip.WriteString("${" + strconv.Itoa(i) + "}")
}

// escapeSnippet escapes the characters the snippet grammar reserves: `$`
// and `\`, and inside a placeholder (inner) `}` and those in extra.
func escapeSnippet(t string, inner bool, extra string) string {
	var b strings.Builder
	for _, r := range t {
		if r == '$' || r == '\\' || inner && (r == '}' || strings.ContainsRune(extra, r)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// entrySnippet proposes a new entry of object obj (at path) when it is a
// table whose keys declare something: in a gap (editing nil) a whole entry
// with a placeholder name, on a key being typed that key with its value.
func (f *featureFile) entrySnippet(path []step, obj *json5.Node, editing *json5.Member, off int) []CompletionItem {
	place, ok := placeAt(path)
	if !ok || place.Field == nil || place.Field.Declares == manifest.SymNone || !place.Value.Has(manifest.ShapeTable) {
		return nil
	}
	entry, ok := place.Key("")
	if !ok || len(entry.Value) == 0 || editing != nil && editing.Colon >= 0 {
		return nil
	}
	quoted := false
	members := obj.Members
	if (len(members) == 0 || len(members) == 1 && editing != nil) && f.root != nil {
		members = f.root.Members // the file's style
	}
	for _, m := range members {
		quoted = quoted || m.Key.Quoted && m != editing
	}
	what := place.Field.Declares.String()
	s := &snippet{}
	at := diag.Span{Start: off, End: off}
	label, name := "new "+what, strings.ReplaceAll(what, " ", "_")
	var nameStop int
	if editing != nil {
		at = editing.Key.Span()
		label, name = editing.Key.Name, editing.Key.Name
		s.text(quoteKey(name, quoted))
	} else {
		if quoted {
			s.text(`"`)
		}
		nameStop = s.placeholder(name)
		if quoted {
			s.text(`"`)
		}
	}
	s.text(": ")
	f.formSnippet(s, entry.Value[0], nameStop, name)
	if followedBy(obj, at.End) {
		s.text(",")
	}
	if editing == nil && f.needsComma(obj, off) {
		s = s.after(", ")
	}
	return []CompletionItem{{Label: label, Kind: CompleteSnippet, Detail: "new " + what + ": " + s.plain.String(),
		Edit: diag.Edit{File: f.path, Span: at, NewText: s.plain.String()}, Snippet: s.snip.String()}}
}

// after returns the snippet with text written before it.
func (s *snippet) after(text string) *snippet {
	out := &snippet{n: s.n}
	out.text(text)
	out.plain.WriteString(s.plain.String())
	out.snip.WriteString(s.snip.String())
	return out
}

// needsComma reports whether a member or element written at offset off of
// container n needs a comma before it: the one before it ends without one.
func (f *featureFile) needsComma(n *json5.Node, off int) bool {
	prev := -1
	for _, m := range n.Members {
		if m.Value.End <= off && m.Key.End > m.Key.Start {
			prev = max(prev, m.Value.End)
		}
	}
	for _, e := range n.Elems() {
		if e.End <= off && e.End > e.Start {
			prev = max(prev, e.End)
		}
	}
	return prev >= 0 && prev <= off && off <= len(f.text) && !strings.Contains(string(f.text[prev:off]), ",")
}

// followedBy reports whether container n has a member or element after
// offset off, so that a new one written there needs a comma.
func followedBy(n *json5.Node, off int) bool {
	for _, m := range n.Members {
		if m.Key.Start >= off && m.Key.End > m.Key.Start {
			return true
		}
	}
	for _, e := range n.Elems() {
		if e.Start >= off && e.End > e.Start {
			return true
		}
	}
	return false
}

// formSnippet writes a value of form: a manifest reference named after
// the entry (tab stop nameStop, plain name), a record with its required
// fields, or an empty string, array or object to fill in.
func (f *featureFile) formSnippet(s *snippet, form manifest.Form, nameStop int, name string) {
	switch {
	case form.Syntax == manifest.SyntaxManifest:
		s.text(`"./`)
		if nameStop > 0 {
			s.mirror(nameStop, name)
		} else {
			s.text(name)
		}
		s.text(`.json5"`)
	case form.Shape == manifest.ShapeRecord:
		f.recordSnippet(s, manifest.Record(form.Record))
	case form.Shape == manifest.ShapeEnum:
		s.text(`"`)
		s.choice(manifest.Enum(form.Enum).Names())
		s.text(`"`)
	case form.Shape == manifest.ShapeBool:
		s.choice([]string{"false", "true"})
	case form.Shape == manifest.ShapeInteger:
		s.placeholder("0")
	case form.Shape == manifest.ShapeArray:
		s.text("[")
		s.placeholder("")
		s.text("]")
	case form.Shape == manifest.ShapeString || form.Shape == manifest.ShapeInterpolated || form.Shape == manifest.ShapeShell:
		s.text(`"`)
		s.placeholder("")
		s.text(`"`)
	default:
		s.text("{ ")
		s.placeholder("")
		s.text(" }")
	}
}

// recordSnippet writes a record with its required fields.
func (f *featureFile) recordSnippet(s *snippet, r *manifest.RecordSpec) {
	s.text("{ ")
	first := true
	for _, fs := range r.Fields {
		if !fs.Required {
			continue
		}
		if !first {
			s.text(", ")
		}
		first = false
		s.text(fs.Name + ": ")
		if fs.Value[0].Syntax == manifest.SyntaxBindingTarget {
			s.text(`"#`)
			if children := f.names("components"); len(children) > 0 {
				s.choice(children)
			} else {
				s.placeholder("child")
			}
			s.text(".")
			s.placeholder("slot")
			s.text(`"`)
			continue
		}
		f.formSnippet(s, fs.Value[0], 0, fs.Name)
	}
	if first {
		s.placeholder("")
	}
	s.text(" }")
}

// bindingSnippet proposes a new binding at offset off of the `bindings`
// array.
func (f *featureFile) bindingSnippet(list *json5.Node, off int) []CompletionItem {
	s := &snippet{}
	f.recordSnippet(s, manifest.Record(manifest.RecordBinding))
	if followedBy(list, off) {
		s.text(",")
	}
	if f.needsComma(list, off) {
		s = s.after(", ")
	}
	return []CompletionItem{{Label: "new binding", Kind: CompleteSnippet, Detail: "new binding: " + s.plain.String(),
		Edit: diag.Edit{File: f.path, Span: diag.Span{Start: off, End: off}, NewText: s.plain.String()}, Snippet: s.snip.String()}}
}
