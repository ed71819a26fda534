package configschema

import (
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
)

// CompilePattern reads a JSON Schema `pattern` (or `patternProperties`
// key) the way Amber's JSON Schema library does, with Go's RE2 syntax
// standing in for the library's engines. The library hands a pattern that
// uses look-ahead, look-behind or back-references to a backtracking engine
// (fancy-regex) and every other pattern to an RE2-like one.
//
// It returns an error when the library would reject the pattern; else the
// compiled expression, or nil for a pattern using look-around or
// back-references, which the library accepts but RE2 cannot run.
func CompilePattern(p string) (*regexp.Regexp, error) {
	rewritten, found, maxRef := rewriteBacktracking(p)
	if !found {
		return regexp.Compile(p)
	}
	re, err := syntax.Parse(rewritten, syntax.Perl)
	if err != nil {
		if se, ok := err.(*syntax.Error); ok && se.Expr == rewritten {
			se.Expr = p // the whole expression: show it as written
		}
		return nil, err
	}
	if maxRef > re.MaxCap() {
		return nil, &syntax.Error{Code: "invalid back reference", Expr: `\` + strconv.Itoa(maxRef)}
	}
	return nil, nil
}

// rewriteBacktracking replaces the constructs only a backtracking engine
// has with ones RE2 parses alike, so RE2 can check the rest of the syntax:
// the look-around openers `(?=`, `(?!`, `(?<=`, `(?<!` become `(?:` and a
// back-reference `\N` an empty group. Character classes are copied as they
// are. It reports whether it replaced anything and the largest group number
// a back-reference names.
func rewriteBacktracking(p string) (out string, found bool, maxRef int) {
	if !strings.ContainsAny(p, `(\`) {
		return p, false, 0
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			if d := p[i+1]; !inClass && d >= '1' && d <= '9' {
				j := i + 1
				for j < len(p) && p[j] >= '0' && p[j] <= '9' {
					j++
				}
				n, err := strconv.Atoi(p[i+1 : j])
				if err != nil { // too many digits: a group that cannot exist
					n = int(^uint(0) >> 1)
				}
				maxRef = max(maxRef, n)
				b.WriteString("(?:)")
				found, i = true, j
				continue
			}
			b.WriteString(p[i : i+2])
			i += 2
			continue
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
			b.WriteByte(c)
			i++
			// A `]` right after `[` or `[^` is a literal one.
			if i < len(p) && p[i] == '^' {
				b.WriteByte('^')
				i++
			}
			if i < len(p) && p[i] == ']' {
				b.WriteByte(']')
				i++
			}
			continue
		case c == '(':
			rest := p[i:]
			n := 0
			switch {
			case strings.HasPrefix(rest, "(?="), strings.HasPrefix(rest, "(?!"):
				n = 3
			case strings.HasPrefix(rest, "(?<="), strings.HasPrefix(rest, "(?<!"):
				n = 4
			}
			if n > 0 {
				b.WriteString("(?:")
				found, i = true, i+n
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), found, maxRef
}
