package weburl

import "strings"

// An encodeSet lists the ASCII characters a part of a URL percent-encodes
// besides the controls (below space, and DEL) and every non-ASCII byte,
// which every part encodes.
type encodeSet string

// The sets of the `url` crate, which are the WHATWG ones (its path set
// leaves `^` as it is).
const (
	c0ControlSet    encodeSet = ""
	fragmentSet     encodeSet = " \"<>`"
	querySet        encodeSet = " \"#<>"
	specialQuerySet encodeSet = querySet + "'"
	pathSet         encodeSet = fragmentSet + "#?{}"
	userinfoSet     encodeSet = pathSet + "/:;=@[\\]^|"
	// pathSegmentSet is what from_file_path encodes in a path's names.
	pathSegmentSet encodeSet = pathSet + "/%\\"
)

func (set encodeSet) has(c byte) bool {
	return c < ' ' || c >= 0x7f || strings.IndexByte(string(set), c) >= 0
}

// encode percent-encodes the bytes of s that set lists.
func encode(s string, set encodeSet) string {
	i := 0
	for i < len(s) && !set.has(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	appendEncoded(&b, s[i:], set)
	return b.String()
}

func appendEncoded(b *strings.Builder, s string, set encodeSet) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		if c := s[i]; set.has(c) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
}

// percentDecode decodes each `%XX`; a `%` not followed by two hex digits
// stays as it is.
func percentDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := hexDigit(s[i+1])
			lo, ok2 := hexDigit(s[i+2])
			if ok1 && ok2 {
				b.WriteByte(byte(hi<<4 | lo))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
