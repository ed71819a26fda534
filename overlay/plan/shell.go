package plan

import "strings"

// splitShell splits a shell-style entrypoint / args string into words with
// Amber's rules (manifest.md §6.3): separators are space, tab and LF; `#` at
// a word start comments to the end of the line; single quotes are literal;
// in double quotes a backslash escapes only $ ` " \ and a newline (which
// vanishes), other backslashes stay; outside quotes a backslash escapes the
// next byte and a backslash-newline vanishes. An unclosed quote or a
// trailing backslash gives false.
//
// linker/program and manifest have the same splitter unexported; the
// linker's program package is not imported for it to keep this package's
// dependencies to what it validates with.
func splitShell(s string) ([]string, bool) {
	words := []string{}
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
		if i >= len(s) {
			return words, true
		}
		if s[i] == '#' {
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		}
		var b strings.Builder
	word:
		for i < len(s) {
			switch c := s[i]; c {
			case ' ', '\t', '\n':
				break word
			case '\'':
				end := strings.IndexByte(s[i+1:], '\'')
				if end < 0 {
					return nil, false
				}
				b.WriteString(s[i+1 : i+1+end])
				i += end + 2
			case '"':
				i++
				for {
					if i >= len(s) {
						return nil, false
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
					return nil, false
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
		words = append(words, b.String())
	}
}
