package diag

import (
	"strconv"
	"strings"
)

// DebugQuote renders s the way Rust's `{:?}` formats a string, which many of
// Amber's messages embed (linker.md §0): double quotes, with `"`, `\`, `\n`,
// `\r`, `\t` and `\0` escaped, and other control characters as `\u{..}` in
// lowercase hex.
func DebugQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0:
			b.WriteString(`\0`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u{` + strconv.FormatInt(int64(r), 16) + `}`)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
