package weburl

import "strings"

// parse is the WHATWG basic URL parser, without a state override: input
// is read against base, when there is one.
func parse(input string, base *URL) (*URL, error) {
	s := clean(input)
	scheme, rest, ok := cutScheme(s)
	if !ok {
		switch {
		case base == nil:
			return nil, ErrRelativeWithoutBase
		case base.isOpaque && strings.HasPrefix(s, "#"):
			u := *base
			u.fragment, u.hasFrag = encode(s[1:], fragmentSet), true
			return &u, nil
		case base.isOpaque:
			return nil, ErrRelativeWithOpaqueBase
		}
		u := &URL{scheme: base.scheme}
		if base.scheme == "file" {
			return u, u.file(s, base)
		}
		return u, u.relative(s, base)
	}
	u := &URL{scheme: scheme}
	switch {
	case scheme == "file":
		if base != nil && base.scheme != "file" {
			base = nil
		}
		return u, u.file(rest, base)
	case special(scheme):
		if base != nil && base.scheme == scheme && slashes(rest, true) < 2 {
			return u, u.relative(rest, base)
		}
		return u, u.authority(rest[slashes(rest, true):])
	case strings.HasPrefix(rest, "//"):
		return u, u.authority(rest[2:])
	case strings.HasPrefix(rest, "/"):
		u.pathState(rest[1:])
		return u, nil
	}
	end := strings.IndexAny(rest, "?#")
	if end < 0 {
		end = len(rest)
	}
	u.opaque, u.isOpaque = encode(rest[:end], c0ControlSet), true
	u.queryAndFragment(rest[end:])
	return u, nil
}

// clean removes leading and trailing C0 controls and spaces, and every
// tab and newline.
func clean(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	s = s[i:j]
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	return s
}

// cutScheme splits `scheme:rest`, lowering the scheme; false when s does
// not start with a letter followed by letters, digits, `+`, `-` or `.` up
// to a colon.
func cutScheme(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(s[:i]), s[i+1:], true
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// slashes counts the slashes s starts with; backslashes count too when
// backslash is set.
func slashes(s string, backslash bool) int {
	n := 0
	for n < len(s) && (s[n] == '/' || backslash && s[n] == '\\') {
		n++
	}
	return n
}

// isSlash reports a path separator of a URL: `/`, and `\` in a special one.
func (u *URL) isSlash(c byte) bool {
	return c == '/' || c == '\\' && special(u.scheme)
}

// relative is the relative state: s is read against base, whose scheme u
// has.
func (u *URL) relative(s string, base *URL) error {
	if s != "" && u.isSlash(s[0]) {
		if len(s) > 1 && u.isSlash(s[1]) {
			if special(u.scheme) {
				return u.authority(s[slashes(s, true):])
			}
			return u.authority(s[2:])
		}
		u.copyAuthority(base)
		u.pathState(s[1:])
		return nil
	}
	u.copyAuthority(base)
	u.relativePath(s, base)
	return nil
}

// relativePath reads s, empty or a path, query or fragment without a
// leading slash, against base's path and query.
func (u *URL) relativePath(s string, base *URL) {
	u.path = make([]string, len(base.path), len(base.path)+strings.Count(s, "/")+1)
	copy(u.path, base.path)
	u.query, u.hasQuery = base.query, base.hasQuery
	switch {
	case s == "":
	case s[0] == '?' || s[0] == '#':
		u.queryAndFragment(s)
	default:
		u.query, u.hasQuery = "", false
		if u.scheme == "file" && startsWithDriveLetter(s) {
			u.path = nil // a drive letter starts the path afresh
		} else {
			u.shorten()
		}
		u.pathState(s)
	}
}

func (u *URL) copyAuthority(base *URL) {
	u.username, u.password = base.username, base.password
	u.host, u.hasHost, u.port = base.host, base.hasHost, base.port
}

// authority reads `userinfo@host:port` and what follows it.
func (u *URL) authority(s string) error {
	end := len(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '?' || c == '#' || u.isSlash(c) {
			end = i
			break
		}
	}
	auth, rest := s[:end], s[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		if at+1 == len(auth) {
			return ErrEmptyHost
		}
		user, pass, _ := strings.Cut(auth[:at], ":")
		u.username, u.password = encode(user, userinfoSet), encode(pass, userinfoSet)
		auth = auth[at+1:]
	}
	host, port, hasPort := cutPort(auth)
	if host == "" && (hasPort || special(u.scheme)) {
		return ErrEmptyHost
	}
	h, err := parseHost(host, special(u.scheme))
	if err != nil {
		return err
	}
	u.host, u.hasHost = h, true
	if hasPort {
		if u.port, err = parsePort(port, u.scheme); err != nil {
			return err
		}
	}
	u.pathStart(rest)
	return nil
}

// cutPort splits `host:port` at the first colon outside brackets.
func cutPort(s string) (string, string, bool) {
	inBrackets := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			inBrackets = true
		case ']':
			inBrackets = false
		case ':':
			if !inBrackets {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// parsePort reads a decimal port up to 65535; the scheme's default port,
// and no digits at all, give "".
func parsePort(s, scheme string) (string, error) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return "", ErrInvalidPort
		}
		if n = n*10 + int(c-'0'); n > 65535 {
			return "", ErrInvalidPort
		}
	}
	if s == "" {
		return "", nil
	}
	p := itoa(n)
	if p == defaultPort(scheme) {
		return "", nil
	}
	return p, nil
}

// file is the file state: s follows `file:`, or is a reference without a
// scheme read against base, a file URL or nil.
func (u *URL) file(s string, base *URL) error {
	u.scheme, u.hasHost = "file", true
	if s != "" && (s[0] == '/' || s[0] == '\\') {
		s = s[1:]
		if s != "" && (s[0] == '/' || s[0] == '\\') {
			return u.fileHost(s[1:])
		}
		if base != nil && !startsWithDriveLetter(s) {
			if len(base.path) > 0 && normalizedDriveLetter(base.path[0]) {
				u.path = []string{base.path[0]}
			} else {
				u.host = base.host
			}
		}
		u.pathState(s)
		return nil
	}
	if base == nil {
		u.pathState(s)
		return nil
	}
	u.host = base.host
	u.relativePath(s, base)
	return nil
}

// fileHost is the file host state: s follows `file://`.
func (u *URL) fileHost(s string) error {
	end := strings.IndexAny(s, "/\\?#")
	if end < 0 {
		end = len(s)
	}
	buf := s[:end]
	if driveLetter(buf) {
		u.pathState(s) // file://c:/x is file:///c:/x
		return nil
	}
	if buf != "" {
		h, err := parseHost(buf, true)
		if err != nil {
			return err
		}
		if h != "localhost" {
			u.host = h
		}
	}
	u.pathStart(s[end:])
	if len(u.path) > 0 && normalizedDriveLetter(u.path[0]) {
		u.host = "" // a drive letter names a local file: the host goes
	}
	return nil
}

// pathStart is the path start state, after the authority.
func (u *URL) pathStart(s string) {
	switch {
	case special(u.scheme):
		if s != "" && u.isSlash(s[0]) {
			s = s[1:]
		}
		u.pathState(s)
	case s == "":
	case s[0] == '?' || s[0] == '#':
		u.queryAndFragment(s)
	case s[0] == '/':
		u.pathState(s[1:])
	default:
		u.pathState(s)
	}
}

// pathState appends the segments of s up to a query or fragment to the
// path, resolving `.` and `..`, then reads the query and fragment.
func (u *URL) pathState(s string) {
	if n := len(u.path) + strings.Count(s, "/") + 1; cap(u.path) < n {
		u.path = append(make([]string, 0, n), u.path...)
	}
	for {
		end := len(s)
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '?' || c == '#' || u.isSlash(c) {
				end = i
				break
			}
		}
		seg := encode(s[:end], pathSet)
		slash := end < len(s) && u.isSlash(s[end])
		switch {
		case doubleDot(seg):
			u.shorten()
			if !slash {
				u.path = append(u.path, "")
			}
		case singleDot(seg):
			if !slash {
				u.path = append(u.path, "")
			}
		default:
			if u.scheme == "file" && len(u.path) == 0 && driveLetter(seg) {
				seg = seg[:1] + ":"
			}
			u.path = append(u.path, seg)
		}
		s = s[end:]
		if !slash {
			break
		}
		s = s[1:]
	}
	if u.scheme == "file" {
		// The `url` crate keeps one slash before a file URL's path:
		// file:////x is file:///x.
		for len(u.path) > 1 && u.path[0] == "" {
			u.path = u.path[1:]
		}
	}
	u.queryAndFragment(s)
}

// shorten removes the path's last segment, but not a file URL's drive
// letter.
func (u *URL) shorten() {
	if len(u.path) == 0 || u.scheme == "file" && len(u.path) == 1 && normalizedDriveLetter(u.path[0]) {
		return
	}
	u.path = u.path[:len(u.path)-1]
}

// queryAndFragment reads `?query#fragment`, either part optional; s is
// empty or starts with `?` or `#`.
func (u *URL) queryAndFragment(s string) {
	if strings.HasPrefix(s, "?") {
		q, f, hasFrag := strings.Cut(s[1:], "#")
		set := querySet
		if special(u.scheme) {
			set = specialQuerySet
		}
		u.query, u.hasQuery = encode(q, set), true
		if !hasFrag {
			return
		}
		s = "#" + f
	}
	if strings.HasPrefix(s, "#") {
		u.fragment, u.hasFrag = encode(s[1:], fragmentSet), true
	}
}

func singleDot(seg string) bool {
	return seg == "." || strings.EqualFold(seg, "%2e")
}

func doubleDot(seg string) bool {
	switch len(seg) {
	case 2:
		return seg == ".."
	case 4:
		return strings.EqualFold(seg, ".%2e") || strings.EqualFold(seg, "%2e.")
	case 6:
		return strings.EqualFold(seg, "%2e%2e")
	}
	return false
}

// driveLetter reports a Windows drive letter: a letter, then `:` or `|`.
func driveLetter(s string) bool {
	return len(s) == 2 && isAlpha(s[0]) && (s[1] == ':' || s[1] == '|')
}

// normalizedDriveLetter reports a drive letter written with `:`.
func normalizedDriveLetter(s string) bool {
	return driveLetter(s) && s[1] == ':'
}

// startsWithDriveLetter reports s starting with a drive letter followed by
// nothing or by `/`, `\`, `?` or `#`.
func startsWithDriveLetter(s string) bool {
	if len(s) < 2 || !driveLetter(s[:2]) {
		return false
	}
	return len(s) == 2 || strings.IndexByte(`/\?#`, s[2]) >= 0
}

func isAlpha(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [8]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}
