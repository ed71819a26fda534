package weburl

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseHost parses a host and returns it as a URL writes it. The host of a
// special URL is a domain or an IP address; any other's is opaque.
func parseHost(s string, isSpecial bool) (string, error) {
	if strings.HasPrefix(s, "[") {
		if !strings.HasSuffix(s, "]") {
			return "", ErrInvalidIPv6
		}
		a, ok := parseIPv6(s[1 : len(s)-1])
		if !ok {
			return "", ErrInvalidIPv6
		}
		return "[" + formatIPv6(a) + "]", nil
	}
	if !isSpecial {
		return opaqueHost(s)
	}
	domain, err := domainToASCII(percentDecode(s))
	if err != nil {
		return "", err
	}
	if domain == "" {
		return "", ErrEmptyHost
	}
	if endsInNumber(domain) {
		a, ok := parseIPv4(domain)
		if !ok {
			return "", ErrInvalidIPv4
		}
		return strconv.Itoa(int(a>>24)) + "." + strconv.Itoa(int(a>>16&0xff)) + "." +
			strconv.Itoa(int(a>>8&0xff)) + "." + strconv.Itoa(int(a&0xff)), nil
	}
	return domain, nil
}

// opaqueHost checks the host of a non-special URL and percent-encodes its
// controls and non-ASCII bytes.
func opaqueHost(s string) (string, error) {
	if strings.ContainsAny(s, "\x00\t\n\r #/:<>?@[\\]^|") {
		return "", ErrInvalidDomainCharacter
	}
	return encode(s, c0ControlSet), nil
}

// domainToASCII lowers a percent-decoded domain and rejects the
// characters no domain may hold. The `url` crate also maps non-ASCII
// labels by UTS #46 and writes them in Punycode, and checks `xn--` labels;
// this keeps them as written (see the package comment).
func domainToASCII(d string) (string, error) {
	if !utf8.ValidString(d) || strings.ContainsRune(d, utf8.RuneError) {
		return "", ErrIDNA // the crate reads bad UTF-8 as U+FFFD, which no domain may hold
	}
	for i := 0; i < len(d); i++ {
		if c := d[i]; c < utf8.RuneSelf && forbiddenInDomain(c) {
			return "", ErrIDNA
		}
	}
	return strings.ToLower(d), nil
}

// forbiddenInDomain reports the ASCII characters a domain may not hold:
// controls, space, and `# % / : < > ? @ [ \ ] ^ |`.
func forbiddenInDomain(c byte) bool {
	return c <= ' ' || c == 0x7f || strings.IndexByte("#%/:<>?@[\\]^|", c) >= 0
}

// endsInNumber reports a domain whose last label (the one before a
// trailing dot) is a number: such a domain must be an IPv4 address.
func endsInNumber(d string) bool {
	d = strings.TrimSuffix(d, ".")
	if d == "" {
		return false
	}
	last := d[strings.LastIndexByte(d, '.')+1:]
	if last == "" {
		return false
	}
	if strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := ipv4Number(last)
	return ok
}

// parseIPv4 parses one to four numbers (decimal, octal with a leading 0,
// or hexadecimal with 0x), the last filling the bytes the others leave.
func parseIPv4(d string) (uint32, bool) {
	parts := strings.Split(d, ".")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return 0, false
	}
	var nums [4]uint64
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok || n > 0xffffffff {
			return 0, false
		}
		nums[i] = n
	}
	last := len(parts) - 1
	if nums[last] >= 1<<(8*(4-last)) {
		return 0, false
	}
	a := uint32(nums[last])
	for i := 0; i < last; i++ {
		if nums[i] > 255 {
			return 0, false
		}
		a += uint32(nums[i]) << (8 * (3 - i))
	}
	return a, true
}

// ipv4Number parses one number of an IPv4 address; a value too large for
// 32 bits parses, as a number above 0xffffffff.
func ipv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		s, base = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d, ok := hexDigit(s[i])
		if !ok || d >= base {
			return 0, false
		}
		if n <= 0xffffffff {
			n = n*uint64(base) + uint64(d)
		}
	}
	return n, true
}

// parseIPv6 parses the text between the brackets of an IPv6 host: eight
// groups of up to four hex digits, one `::` standing for zero groups or
// more, the last two groups optionally written as a dotted IPv4 address.
func parseIPv6(s string) ([8]uint16, bool) {
	var a [8]uint16
	// n is the index of the next group; compress, the index `::` stood
	// at. A `::` takes an index of its own, so that it stands for at least
	// one zero group.
	n, compress, i := 0, -1, 0
	if strings.HasPrefix(s, ":") {
		if !strings.HasPrefix(s, "::") {
			return a, false
		}
		i, n, compress = 2, 1, 1
	}
	for i < len(s) {
		if n == 8 {
			return a, false
		}
		if s[i] == ':' {
			if compress >= 0 {
				return a, false
			}
			i++
			n++
			compress = n
			continue
		}
		start, v := i, 0
		for i < len(s) && i-start < 4 {
			d, ok := hexDigit(s[i])
			if !ok {
				break
			}
			v = v<<4 | d
			i++
		}
		if i < len(s) && s[i] == '.' {
			if i == start || n > 6 {
				return a, false
			}
			v4, ok := ipv6Tail(s[start:])
			if !ok {
				return a, false
			}
			a[n], a[n+1] = uint16(v4>>16), uint16(v4)
			n += 2
			break
		}
		if i < len(s) {
			if s[i] != ':' {
				return a, false
			}
			i++
			if i == len(s) {
				return a, false
			}
		}
		a[n] = uint16(v)
		n++
	}
	if compress < 0 {
		return a, n == 8
	}
	// Move the groups after `::` to the end.
	var out [8]uint16
	copy(out[:compress], a[:compress])
	copy(out[8-(n-compress):], a[compress:n])
	return out, true
}

// ipv6Tail parses the dotted IPv4 address that may end an IPv6 address:
// exactly four decimal numbers up to 255, without leading zeros.
func ipv6Tail(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, false
	}
	var a uint32
	for _, p := range parts {
		if p == "" || len(p) > 1 && p[0] == '0' || strings.Trim(p, "0123456789") != "" || len(p) > 3 {
			return 0, false
		}
		v, _ := strconv.Atoi(p)
		if v > 255 {
			return 0, false
		}
		a = a<<8 | uint32(v)
	}
	return a, true
}

// formatIPv6 writes an IPv6 address in lower-case hex, its longest run of
// two or more zero groups (the first of equals) written `::`.
func formatIPv6(a [8]uint16) string {
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if a[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && a[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if i == best {
			b.WriteString("::")
			i += bestLen - 1
			continue
		}
		if i > 0 && i != best+bestLen {
			b.WriteByte(':')
		}
		b.WriteString(strconv.FormatUint(uint64(a[i]), 16))
	}
	return b.String()
}

func hexDigit(c byte) (int, bool) {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0'), true
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10, true
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}
