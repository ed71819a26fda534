package interp

import "strings"

// Parse parses s with the parse-time grammar (manifest.md §7.1), scanning
// left to right:
//
//   - `${` opens a placeholder that ends at the next `}` (no nesting, no
//     escapes); without a `}` the whole string is rejected with
//     "invalid interpolation `<s>`";
//   - the placeholder text must be a reference accepted by ParseRef;
//   - everything else, including a `$` not followed by `{`, is literal, so
//     `$${config.x}` is a literal `$` and the placeholder `config.x`.
//
// The first error met is returned, with a nil Template.
func Parse(s string) (*Template, error) {
	t := &Template{Input: s}
	lit := 0 // start of the pending literal text
	for i := 0; i < len(s); {
		open, closeAt, found := NextPlaceholder(s, i)
		if !found {
			break
		}
		if closeAt < 0 {
			return nil, invalid(s, open, len(s))
		}
		ref, err := parseRef(s, open+2, closeAt)
		if err != nil {
			err.Start, err.End = open, closeAt+1
			return nil, err
		}
		t.addLiteral(s, lit, open)
		t.Parts = append(t.Parts, Part{Kind: Placeholder, Start: open, End: closeAt + 1, Text: ref.Text, Ref: ref})
		i = closeAt + 1
		lit = i
	}
	t.addLiteral(s, lit, len(s))
	return t, nil
}

// NextPlaceholder finds the first placeholder of s at or after offset
// from: open is the offset of its `${` and closeAt that of the `}` ending
// it, or -1 when none follows (an unclosed placeholder); found is false
// when there is no `${`. The text between them is the placeholder's.
func NextPlaceholder(s string, from int) (open, closeAt int, found bool) {
	open = strings.Index(s[from:], "${")
	if open < 0 {
		return 0, 0, false
	}
	open += from
	closeAt = strings.IndexByte(s[open+2:], '}')
	if closeAt < 0 {
		return open, -1, true
	}
	return open, closeAt + open + 2, true
}

func (t *Template) addLiteral(s string, start, end int) {
	if start < end {
		t.Parts = append(t.Parts, Part{Kind: Literal, Start: start, End: end, Text: s[start:end]})
	}
}

// ParseRef parses a reference `source[.query]` such as a placeholder's text
// or a `when` path: the text is split at its first `.` and the part before
// it must be exactly `config`, `slots` or `item`. The query is not checked.
// Errors are "invalid interpolation `<text>`" (an empty pair of backticks for
// the empty text), covering the whole text.
func ParseRef(text string) (Ref, error) {
	r, err := parseRef(text, 0, len(text))
	if err != nil {
		return Ref{}, err
	}
	return r, nil
}

// parseRef parses s[start:end] as a reference, with offsets relative to s.
func parseRef(s string, start, end int) (Ref, *Error) {
	text := s[start:end]
	word, query, dotted := strings.Cut(text, ".")
	src := sourceOf(word)
	if src == NoSource {
		return Ref{}, invalid(text, start, end)
	}
	r := Ref{Source: src, Text: text, Start: start, End: end, Query: query}
	if dotted && query != "" {
		at := start + len(word) + 1
		for _, name := range strings.Split(query, ".") {
			r.Segments = append(r.Segments, Segment{Name: name, Start: at, End: at + len(name)})
			at += len(name) + 1
		}
	}
	return r, nil
}

// ParseSymbolic parses s the way the linker reads strings of component
// configs (linker.md §4.1.1, manifest.md §7.7):
//
//   - a string that starts with `$${` and ends with `}` is one symbolic
//     reference when the text between them is `config` or starts with
//     `config.` (Kind Symbolic, Source Config); any other source is
//     "unsupported symbolic interpolation `<s>`: expected `$${config.<path>}`";
//   - a string starting with `$${` without a final `}` is
//     "invalid symbolic interpolation `<s>`";
//   - `$${` anywhere else is "symbolic config interpolation must occupy the
//     entire string";
//   - other strings are parsed with Parse.
//
// UNSURE: the text between `$${` and the final `}` is taken as it is, so
// `$${config.a}}` is a symbolic reference with query "a}".
func ParseSymbolic(s string) (*Template, error) {
	if strings.HasPrefix(s, "$${") {
		if len(s) < 4 || !strings.HasSuffix(s, "}") {
			return nil, &Error{Message: "invalid symbolic interpolation `" + s + "`", Start: 0, End: len(s)}
		}
		r, err := parseRef(s, 3, len(s)-1)
		if err != nil || r.Source != Config {
			return nil, &Error{Message: "unsupported symbolic interpolation `" + s + "`: expected `$${config.<path>}`", Start: 0, End: len(s)}
		}
		return &Template{Input: s, Parts: []Part{{Kind: Symbolic, Start: 0, End: len(s), Text: r.Text, Ref: r}}}, nil
	}
	if at := strings.Index(s, "$${"); at >= 0 {
		return nil, &Error{Message: "symbolic config interpolation must occupy the entire string", Start: at, End: at + 3}
	}
	return Parse(s)
}

// IsSymbolic reports whether s is exactly one symbolic reference, `$${config}`
// or `$${config.<path>}`, in the reading of ParseSymbolic.
func IsSymbolic(s string) bool {
	t, err := ParseSymbolic(s)
	if err != nil {
		return false
	}
	_, ok := t.Symbolic()
	return ok
}
