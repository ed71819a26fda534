// Package preview renders the body preview that Amber's overlay messages
// quote (overlays.md §9): the body with surrounding white space trimmed and,
// past 4096 bytes, cut at a UTF-8 boundary with a note of how much is shown.
package preview

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limit is the most bytes of a body a preview shows.
const Limit = 4096

// Body returns the preview of a response body; invalid UTF-8 is shown as
// U+FFFD.
func Body(body []byte) string {
	t := strings.TrimSpace(strings.ToValidUTF8(string(body), "\uFFFD"))
	if len(t) <= Limit {
		return t
	}
	cut := Limit
	for cut > 0 && !utf8.RuneStart(t[cut]) {
		cut--
	}
	return t[:cut] + fmt.Sprintf("\n... <truncated; showing first %d of %d bytes>", cut, len(t))
}
