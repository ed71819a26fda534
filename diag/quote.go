package diag

import (
	"strconv"
	"strings"
	"unicode"
)

// DebugQuote renders s the way Rust's `{:?}` formats a string, which many of
// Amber's messages embed (linker.md §0): double quotes, with `"`, `\`, `\n`,
// `\r`, `\t` and `\0` escaped, and other characters Rust does not print
// (control and format characters, separators other than the space, and a
// combining mark at the start) as `\u{..}` in lowercase hex.
func DebugQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	first := true
	for _, r := range s {
		writeDebug(&b, r, '"', first)
		first = false
	}
	b.WriteByte('"')
	return b.String()
}

// DebugQuoteRune renders r the way Rust's `{:?}` formats a char: single
// quotes, with `'` escaped rather than `"`, and a combining mark always
// escaped; otherwise as DebugQuote.
func DebugQuoteRune(r rune) string {
	var b strings.Builder
	b.WriteByte('\'')
	writeDebug(&b, r, '\'', true)
	b.WriteByte('\'')
	return b.String()
}

// writeDebug writes r as Rust's escape_debug does inside a literal quoted
// with quote; marks says whether a grapheme-extending mark is escaped.
func writeDebug(b *strings.Builder, r rune, quote rune, marks bool) {
	switch {
	case r == quote || r == '\\':
		b.WriteByte('\\')
		b.WriteRune(r)
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r == '\t':
		b.WriteString(`\t`)
	case r == 0:
		b.WriteString(`\0`)
	case marks && isGraphemeExtend(r), !unicode.IsPrint(r):
		b.WriteString(`\u{` + strconv.FormatInt(int64(r), 16) + `}`)
	default:
		b.WriteRune(r)
	}
}

// isGraphemeExtend reports Unicode's Grapheme_Extend property.
func isGraphemeExtend(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Other_Grapheme_Extend)
}
