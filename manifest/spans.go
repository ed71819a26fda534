package manifest

import (
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// spans finds source spans by JSON pointer the way Amber's span lookups do:
// when Amber's span grammar rejects the file every lookup fails and the
// default span (offset 0, empty) is used.
type spans struct {
	root *json5.Node
	ok   bool
	// byText indexes the string members of large objects by their value,
	// built on first use (see stringMember).
	byText map[*json5.Node]map[string]*json5.Member
}

// newSpans returns the span lookups of a tree; ok is whether Amber's span
// grammar accepts its file.
func newSpans(root *json5.Node, ok bool) spans {
	return spans{root: root, ok: ok, byText: map[*json5.Node]map[string]*json5.Member{}}
}

// stringMember returns the first member of object o whose value is the
// string text, or nil. A large object's string members are indexed once:
// one shape error per member of an object of n members would otherwise
// scan it n times.
func (s spans) stringMember(o *json5.Node, text string) *json5.Member {
	if len(o.Members) <= 8 || s.byText == nil {
		for _, m := range o.Members {
			if m.Value.Kind == json5.String && m.Value.Text == text {
				return m
			}
		}
		return nil
	}
	idx, ok := s.byText[o]
	if !ok {
		idx = map[string]*json5.Member{}
		for _, m := range o.Members {
			if _, dup := idx[m.Value.Text]; m.Value.Kind == json5.String && !dup {
				idx[m.Value.Text] = m
			}
		}
		s.byText[o] = idx
	}
	return idx[text]
}

var defaultSpan = diag.Span{}

// node resolves a pointer given as segments.
func (s spans) node(segs ...string) *json5.Node {
	if !s.ok || s.root == nil {
		return nil
	}
	return s.root.Lookup(segs...)
}

// value returns the value span at the pointer, or false.
func (s spans) value(segs ...string) (diag.Span, bool) {
	if n := s.node(segs...); n != nil {
		return n.Span(), true
	}
	return defaultSpan, false
}

// key returns the key span of member key of the object at the pointer.
func (s spans) key(key string, segs ...string) (diag.Span, bool) {
	if m := s.node(segs...).Member(key); m != nil {
		return m.Key.Span(), true
	}
	return defaultSpan, false
}

// shapeDiagnostic turns a decoding problem into Amber's diagnostic, choosing
// the label and span by the rules of spec section 3.2.
func (s spans) shapeDiagnostic(e shapeError) diag.Diagnostic {
	code := codes.ValidationError
	msg := "manifest validation error at " + e.path.String() + ": " + e.detail
	label := e.detail
	switch {
	case strings.HasPrefix(e.detail, "missing field `"), strings.HasPrefix(e.detail, "unknown field `"),
		strings.HasPrefix(e.detail, "expected "):
	case strings.HasPrefix(e.detail, "invalid type: ") || strings.HasPrefix(e.detail, "invalid value: "):
		if i := strings.LastIndex(e.detail, ", expected "); i >= 0 {
			label = e.detail[i+2:]
		}
	}
	if input, ok := strings.CutPrefix(e.detail, "invalid `when` path `"); ok {
		code = codes.InvalidWhenPath
		in, reason, _ := strings.Cut(input, "`: ")
		if reason == "expected `config.<path>` or `slots.<path>`" {
			msg = "invalid `when` path `" + in + "`: `when` must use `config.<path>` or `slots.<path>`"
			label = "`when` must use `config.<path>` or `slots.<path>`"
		} else {
			msg = e.detail
			label = "invalid `when` path here"
		}
	}
	d := diag.Diagnostic{
		Code:     code,
		Severity: diag.Error,
		Message:  msg,
		Labels:   []diag.Label{{Span: s.shapeSpan(e), Message: label, Primary: true}},
	}
	if strings.HasPrefix(label, "missing field `manifest_version`") {
		d.Help = missingVersionHp
	}
	return d
}

// shapeSpan implements the span selection of spec 3.2.
func (s spans) shapeSpan(e shapeError) diag.Span {
	segs := e.path.segments()
	first, hasWords := firstBackticked(e.detail)
	lastIsKey := e.path.lastIsKey()
	parent := func() []string {
		if lastIsKey {
			return segs[:len(segs)-1]
		}
		return segs
	}
	// 1. Unknown field: the key.
	if strings.HasPrefix(e.detail, "unknown field") && hasWords {
		f := first
		obj := segs
		if lastIsKey && segs[len(segs)-1] == f {
			obj = segs[:len(segs)-1]
		}
		if sp, ok := s.key(f, obj...); ok {
			return sp
		}
	}
	// 2. Half-explicit binding: the value of the field it has.
	if strings.Contains(e.detail, "has `") && strings.Contains(e.detail, "` but is missing `") && hasWords {
		if sp, ok := s.value(append(append([]string{}, segs...), first)...); ok {
			return sp
		}
	}
	v := s.node(segs...)
	if v == nil {
		return s.fallback(segs)
	}
	// 3. Narrowing to a string member equal to a backticked word.
	if len(segs) > 0 && hasWords {
		if o := s.node(parent()...); o != nil && o.Kind == json5.Object && o.Span().Contains(v.Span()) {
			for _, w := range backticked(e.detail) {
				if m := s.stringMember(o, w); m != nil {
					return m.Value.Span()
				}
			}
		}
	}
	return v.Span()
}

// backticked returns the backticked words of a decoding detail (spec 3.2):
// the text between the 1st and 2nd backtick, the 3rd and 4th, and so on.
// Amber narrows a shape error's span by them, so amber-lsp reads the detail
// the way Amber reads serde's message; diagnostics are never read back.
func backticked(detail string) []string {
	var words []string
	for {
		_, rest, ok := strings.Cut(detail, "`")
		if !ok {
			return words
		}
		word, after, ok := strings.Cut(rest, "`")
		if !ok {
			return words
		}
		words = append(words, word)
		detail = after
	}
}

// firstBackticked returns the first backticked word of a detail, without
// listing the others.
func firstBackticked(detail string) (string, bool) {
	_, rest, ok := strings.Cut(detail, "`")
	if !ok {
		return "", false
	}
	word, _, ok := strings.Cut(rest, "`")
	return word, ok
}

// fallback is the span of the deepest resolvable prefix of the pointer, one
// character wide, or the default span.
func (s spans) fallback(segs []string) diag.Span {
	for i := len(segs) - 1; i >= 0; i-- {
		if n := s.node(segs[:i]...); n != nil {
			return diag.Span{Start: n.Start, End: n.Start + 1}
		}
	}
	return defaultSpan
}
