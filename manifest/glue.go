package manifest

// This file adapts the interpolation and config-schema packages to the
// decoder, validator and lints.

import (
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/interp"
)

// parseTemplate checks a string against the interpolation grammar (7.1) and
// returns its placeholders; nil with the error when the string is invalid.
func parseTemplate(s string) ([]interp.Part, error) {
	t, err := interp.Parse(s)
	if err != nil {
		return nil, err
	}
	return t.Refs(), nil
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// isLiteral reports whether s is non-empty and has no placeholder.
func isLiteral(s string) bool {
	t, err := interp.Parse(s)
	return err == nil && t.IsLiteral()
}

// checkWhen validates a `when` path (7.3); it returns Amber's detail or "".
func checkWhen(s string) string {
	ref, err := interp.ParseRef(s)
	if err != nil {
		return err.Error()
	}
	query := ref.Query
	bad := func(reason string) string { return "invalid `when` path `" + s + "`: " + reason }
	const want = "expected `config.<path>` or `slots.<path>`"
	switch ref.Source {
	case interp.Item:
		return bad(want)
	case interp.Config:
		if query == "" || hasEmptySegment(query) {
			return bad(want)
		}
	case interp.Slots:
		first, _, _ := cut(query, '.')
		switch {
		case query == "":
			return bad(want)
		case first == "":
			return bad("missing slot name (expected slots.<slot>)")
		case hasEmptySegment(query):
			return bad("invalid slots path " + strconv.Quote(query) + ": empty segment")
		}
	}
	return ""
}

func hasEmptySegment(q string) bool {
	for _, seg := range strings.Split(q, ".") {
		if seg == "" {
			return true
		}
	}
	return false
}

// checkEach validates an `each` path (7.4); it returns Amber's detail or "".
func checkEach(s string) string {
	src, rest, _ := cut(s, '.')
	ok := (src == "config" || src == "slots") && rest != "" && !hasEmptySegment(rest) &&
		(src == "config" || !strings.Contains(rest, "."))
	if ok {
		return ""
	}
	return "invalid `each` path `" + s + "`: expected `config.<path>` or `slots.<slot>`"
}

// SplitShell splits a shell string into words the way the shlex crate does
// (6.3): separators are space, tab and LF; `#` at a word start comments to
// the end of the line; single quotes are literal; in double quotes a
// backslash escapes only $ ` " \ and a newline. It returns Amber's detail on
// an unclosed quote or a trailing backslash.
func SplitShell(s string) ([]Word, string) {
	const unclosed = "unclosed quote in entrypoint string"
	var words []Word
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
		if i >= len(s) {
			return words, ""
		}
		if s[i] == '#' {
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		}
		start := i
		var b strings.Builder
	word:
		for i < len(s) {
			switch c := s[i]; c {
			case ' ', '\t', '\n':
				break word
			case '\'':
				end := strings.IndexByte(s[i+1:], '\'')
				if end < 0 {
					return nil, unclosed
				}
				b.WriteString(s[i+1 : i+1+end])
				i += end + 2
			case '"':
				i++
				for {
					if i >= len(s) {
						return nil, unclosed
					}
					c := s[i]
					if c == '"' {
						i++
						break
					}
					if c == '\\' && i+1 < len(s) {
						switch n := s[i+1]; n {
						case '$', '`', '"', '\\':
							b.WriteByte(n)
							i += 2
							continue
						case '\n':
							i += 2
							continue
						}
					}
					b.WriteByte(c)
					i++
				}
			case '\\':
				if i+1 >= len(s) {
					return nil, unclosed
				}
				if s[i+1] != '\n' {
					b.WriteByte(s[i+1])
				}
				i += 2
			default:
				b.WriteByte(c)
				i++
			}
		}
		words = append(words, Word{Text: b.String(), Start: start, End: i})
	}
}

// configPathFailure looks a config path up in the schema (8.5) and returns
// the failure text, or "" when the path is found or unknown.
func (v *validator) configPathFailure(p string) string {
	outcome, _, failure := configschema.Lookup(v.m.ConfigSchema, p)
	if outcome == configschema.Missing {
		return failure
	}
	return ""
}

// checkConfigSchema runs the config_schema profile and meta-schema checks.
func (v *validator) checkConfigSchema() {
	if v.m.ConfigSchema == nil {
		return
	}
	for _, e := range configschema.Check(v.m.ConfigSchema) {
		at := v.span(v.m.ConfigSchema)
		switch {
		case e.Key != nil:
			at = v.keySpan(*e.Key)
		case e.Node != nil:
			at = v.span(e.Node)
		}
		v.report(codes.InvalidConfigSchema, e.Message(), at, "invalid config definition here", "")
	}
}

// ShellWords is SplitShell for callers that need only the words' text: it
// reports false where SplitShell reports an error (an unclosed quote or a
// trailing backslash).
func ShellWords(s string) ([]string, bool) {
	words, err := SplitShell(s)
	if err != "" {
		return nil, false
	}
	if len(words) == 0 {
		return nil, true
	}
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.Text
	}
	return out, true
}
