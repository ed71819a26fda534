package runtime

import (
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/overlay/internal/preview"
)

// MaxResponseSize is the largest response body Amber accepts from a helper.
const MaxResponseSize = 1048576

// BodyPreview returns Amber's preview of a response body: the body with
// surrounding white space trimmed and, past 4096 bytes, cut at a UTF-8
// boundary and followed by a note of how much was shown. body must be UTF-8.
func BodyPreview(body string) string { return preview.Body([]byte(body)) }

// StatusText returns an HTTP status the way Amber prints it: the code and
// its canonical reason, e.g. "500 Internal Server Error".
func StatusText(code int) string {
	reason, ok := reasonOverrides[code]
	if !ok {
		reason = http.StatusText(code)
	}
	if reason == "" {
		reason = "<unknown status code>"
	}
	return strconv.Itoa(code) + " " + reason
}

// reasonOverrides holds the canonical reasons where Amber's HTTP stack words
// a status differently from net/http.
var reasonOverrides = map[int]string{
	203: "Non Authoritative Information",
	413: "Payload Too Large",
	414: "URI Too Long",
	416: "Range Not Satisfiable",
}

// UTF8Error describes the first invalid UTF-8 sequence of a body, worded as
// Amber (Rust's str::from_utf8) words it.
type UTF8Error struct {
	ValidUpTo int // bytes before the bad sequence
	// ErrorLen is the length of the invalid sequence, or 0 when the body ends
	// in the middle of a sequence that was valid so far.
	ErrorLen int
}

// Error returns the error's message.
func (e *UTF8Error) Error() string {
	if e.ErrorLen == 0 {
		return fmt.Sprintf("incomplete utf-8 byte sequence from index %d", e.ValidUpTo)
	}
	return fmt.Sprintf("invalid utf-8 sequence of %d bytes from index %d", e.ErrorLen, e.ValidUpTo)
}

// checkUTF8 returns a *UTF8Error for the first invalid sequence of b, or nil.
func checkUTF8(b []byte) error {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			i += size
			continue
		}
		return &UTF8Error{ValidUpTo: i, ErrorLen: invalidLen(b[i:])}
	}
	return nil
}

// invalidLen returns how many bytes at the start of b form the maximal
// invalid prefix (1 to 3), or 0 when b ends before the sequence could be
// judged. b starts with a byte utf8.DecodeRune rejected.
func invalidLen(b []byte) int {
	first := b[0]
	var width int
	switch {
	case first >= 0xC2 && first <= 0xDF:
		width = 2
	case first >= 0xE0 && first <= 0xEF:
		width = 3
	case first >= 0xF0 && first <= 0xF4:
		width = 4
	default:
		return 1
	}
	// The second byte's valid range depends on the first byte.
	lo, hi := byte(0x80), byte(0xBF)
	switch first {
	case 0xE0:
		lo = 0xA0
	case 0xED:
		hi = 0x9F
	case 0xF0:
		lo = 0x90
	case 0xF4:
		hi = 0x8F
	}
	for k := 1; k < width; k++ {
		if k >= len(b) {
			return 0
		}
		c := b[k]
		if k == 1 && (c < lo || c > hi) || k > 1 && c&0xC0 != 0x80 {
			return k
		}
	}
	return width // unreachable for input DecodeRune rejected
}
