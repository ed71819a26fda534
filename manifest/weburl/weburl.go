// Package weburl parses URLs as the WHATWG URL Standard does, in the
// manner of the Rust `url` crate (2.5) that Amber reads manifest
// references with: which inputs parse, what they are joined to, how the
// result is written, and which error a failure gives, with that crate's
// error texts (they appear in compiler::invalid_manifest_ref).
//
// It is the one place amber-lsp parses a manifest reference: the manifest
// checks that a reference parses (manifest.checkManifestRef), the linker
// joins it to the manifest that names it and reads the file it names
// (linker.joinRef, linker.LocalPath).
//
// Where it differs from the crate: a host with a non-ASCII character is
// kept as written (ASCII letters lowered) instead of being mapped by UTS #46
// and written in Punycode, and a host label starting with `xn--` is not
// decoded and checked. Both only ever accept what the crate might reject,
// and neither touches a local file reference.
package weburl

import (
	"errors"
	"strings"
)

// Errors of Parse and Join, with the `url` crate's texts.
var (
	ErrEmptyHost              = errors.New("empty host")
	ErrIDNA                   = errors.New("invalid international domain name")
	ErrInvalidPort            = errors.New("invalid port number")
	ErrInvalidIPv4            = errors.New("invalid IPv4 address")
	ErrInvalidIPv6            = errors.New("invalid IPv6 address")
	ErrInvalidDomainCharacter = errors.New("invalid domain character")
	// ErrRelativeWithoutBase is a reference without a scheme given no
	// base: a relative reference, resolved later against the URL of the
	// manifest that names it.
	ErrRelativeWithoutBase = errors.New("relative URL without a base")
	// ErrRelativeWithOpaqueBase is a relative reference joined to a URL
	// whose path is opaque (`oci:name`).
	ErrRelativeWithOpaqueBase = errors.New("relative URL with a cannot-be-a-base base")
)

// URL is a parsed absolute URL. Its parts are stored percent-encoded, as
// String writes them.
type URL struct {
	scheme   string // lower case, without the colon
	username string
	password string
	host     string // a domain, a dotted IPv4 address, a bracketed IPv6 address, or ""
	hasHost  bool   // the URL has a host, perhaps empty (file:///x); `oci:x` has none
	port     string // decimal; "" for none or the scheme's default port
	path     []string
	opaque   string // the path of a URL whose path is opaque (`mailto:x`, `oci:x`)
	isOpaque bool
	query    string
	hasQuery bool
	fragment string
	hasFrag  bool
}

// Parse parses an absolute URL. An input without a scheme gives
// ErrRelativeWithoutBase.
func Parse(input string) (*URL, error) {
	return parse(input, nil)
}

// Join resolves a reference against u, as a browser resolves a link in
// the page at u: a reference with a scheme stands alone (`file:x` against
// a file URL excepted), `//host/x` keeps u's scheme, `/x` its host, `x`
// its directory, `?q` its path, `#f` everything else.
func (u *URL) Join(ref string) (*URL, error) {
	return parse(ref, u)
}

// Scheme returns the URL's scheme in lower case, without its colon.
func (u *URL) Scheme() string { return u.scheme }

// Host returns the URL's host as String writes it ("" for file:///x), and
// whether it has one at all (`oci:x` has none).
func (u *URL) Host() (string, bool) { return u.host, u.hasHost }

// String returns the URL written out in its normal form: the same URL
// always gives the same text, and parsing the text gives the URL again.
func (u *URL) String() string {
	var b strings.Builder
	b.WriteString(u.scheme)
	b.WriteByte(':')
	if u.hasHost {
		b.WriteString("//")
		if u.username != "" || u.password != "" {
			b.WriteString(u.username)
			if u.password != "" {
				b.WriteByte(':')
				b.WriteString(u.password)
			}
			b.WriteByte('@')
		}
		b.WriteString(u.host)
		if u.port != "" {
			b.WriteByte(':')
			b.WriteString(u.port)
		}
	}
	if u.isOpaque {
		b.WriteString(u.opaque)
	} else {
		if !u.hasHost && len(u.path) > 1 && u.path[0] == "" {
			b.WriteString("/.") // else the path would read as a host
		}
		for _, seg := range u.path {
			b.WriteByte('/')
			b.WriteString(seg)
		}
	}
	if u.hasQuery {
		b.WriteByte('?')
		b.WriteString(u.query)
	}
	if u.hasFrag {
		b.WriteByte('#')
		b.WriteString(u.fragment)
	}
	return b.String()
}

// FilePath returns the local path a `file:` URL names, as the `url`
// crate's to_file_path does on Unix: `/` and each path segment,
// percent-decoded. It reports false for other schemes and for a file URL
// with a host (file://server/x; file://localhost/x has none).
func (u *URL) FilePath() (string, bool) {
	if u.scheme != "file" || u.host != "" || u.isOpaque {
		return "", false
	}
	var b strings.Builder
	for _, seg := range u.path {
		b.WriteByte('/')
		b.WriteString(percentDecode(seg))
	}
	if b.Len() == 0 {
		return "/", true
	}
	return b.String(), true
}

// FilePathOf returns the local path the file URL text names, as Parse
// and FilePath give it, and false when text does not parse or names no
// local file. A URL as FileURL writes a plain path is read without parsing.
func FilePathOf(text string) (string, bool) {
	if rest, ok := strings.CutPrefix(text, "file://"); ok && plainFilePath(rest) {
		return rest, true
	}
	u, err := Parse(text)
	if err != nil {
		return "", false
	}
	return u.FilePath()
}

// plainFilePath reports a path that a file URL holds as it is, so that
// parsing and decoding give it back: absolute, printable ASCII without
// `%`, `?`, `#`, `\` or `|`, and no segment empty or starting with a dot.
func plainFilePath(p string) bool {
	if p == "" || p[0] != '/' || strings.Contains(p, "//") || strings.Contains(p, "/.") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("%?#\\|", c) >= 0 {
			return false
		}
	}
	return true
}

// FileURL returns the file URL of an absolute local path, written as the
// `url` crate's from_file_path writes it: each name of the path
// percent-encoded, with `/` between them.
func FileURL(abs string) string {
	var b strings.Builder
	b.WriteString("file://")
	for _, name := range strings.Split(abs, "/") {
		if name == "" || name == "." {
			continue // what Rust's Path::components drops
		}
		b.WriteByte('/')
		appendEncoded(&b, name, pathSegmentSet)
	}
	if b.Len() == len("file://") {
		b.WriteByte('/')
	}
	return b.String()
}

// PathRef returns a slash-separated relative path written as a relative
// URL reference: each name percent-encoded as FileURL encodes it, so that
// joining the reference to a file URL and reading its FilePath give the
// path again, below the base's folder. A first name with a colon, which
// would read as a scheme, is written after `./`.
func PathRef(rel string) string {
	var b strings.Builder
	first, _, _ := strings.Cut(rel, "/")
	if strings.IndexByte(first, ':') >= 0 {
		b.WriteString("./")
	}
	for i, name := range strings.Split(rel, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		appendEncoded(&b, name, pathSegmentSet)
	}
	return b.String()
}

// special reports the schemes whose URLs always have a host and a path
// of segments, with `\` read as `/` (the WHATWG "special" schemes).
func special(scheme string) bool {
	switch scheme {
	case "http", "https", "ws", "wss", "ftp", "file":
		return true
	}
	return false
}

// defaultPort returns the port a special scheme implies, "" for none.
func defaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	case "ftp":
		return "21"
	}
	return ""
}
