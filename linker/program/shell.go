package program

import "strings"

// splitShell splits the text of a `{ file }` entrypoint / args into words
// the way Amber's shell splitting does (manifest.md §6.3): separators are
// space, tab and LF; `#` at a word start comments to the end of the line;
// single quotes are literal; in double quotes a backslash escapes only
// $ ` " \ and a newline. It reports false on an unclosed quote or a
// trailing backslash (the manifest stage reports those).
//
// The manifest package has the same splitter for inline strings but does
// not export it.
func splitShell(s string) ([]string, bool) {
	var words []string
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
						if n := s[i+1]; n == '$' || n == '`' || n == '"' || n == '\\' {
							b.WriteByte(n)
							i += 2
							continue
						} else if n == '\n' {
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
