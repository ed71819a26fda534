package linker

import (
	"errors"
	"net/url"
	"path/filepath"
	"strings"
)

// FileURL returns the file:// URL of a local path, made absolute.
func FileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	return u.String(), nil
}

// LocalPath returns the local path of a file:// URL, and false for other
// URLs. The host, query and fragment are ignored.
func LocalPath(rawURL string) (string, bool) {
	if len(rawURL) < 5 || !strings.EqualFold(rawURL[:5], "file:") {
		return "", false // not the scheme `file` (url.Parse lowers its case)
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "file" {
		return "", false
	}
	return filepath.FromSlash(u.Path), true
}

// displayName is where diagnostics about a manifest point: the local path
// for file URLs, else the URL itself.
func displayName(rawURL string) string {
	if p, ok := LocalPath(rawURL); ok {
		return p
	}
	return rawURL
}

// joinRef resolves a manifest reference against the owning manifest's URL
// (linker.md §2.2): an absolute URL stays as it is, anything else is
// resolved relative to base.
func joinRef(base, ref string) (string, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	if r.Scheme != "" {
		return r.String(), nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	if b.Scheme == "" || (b.Opaque != "" && !strings.HasPrefix(ref, "#")) {
		return "", errors.New("relative URL without a base")
	}
	return b.ResolveReference(r).String(), nil
}

// ResolveLocalRef returns the local file that a manifest reference written
// in the local manifest at the absolute path from names, exactly as Link
// resolves it: joined with the manifest's file:// URL, then the path of the
// resulting file:// URL, cleaned. Percent-escapes are decoded; a query, a
// fragment and a host (file://localhost/x, file://host/x, //host/x) do not
// change the path, as Link reads it. It reports false for references that
// name no local file: the empty reference (manifest validation rejects it),
// other schemes (http, https, ...) and references that do not parse.
//
// Editor features and the workspace's reference index use it, so they find
// the same files the linker reads.
func ResolveLocalRef(from, ref string) (string, bool) {
	if ref == "" {
		return "", false
	}
	if plainPath(ref) {
		// What joining does to a plain path: resolve it against the
		// manifest's directory and remove dot segments.
		if ref[0] == '/' {
			return filepath.Clean(filepath.FromSlash(ref)), true
		}
		return filepath.Join(filepath.Dir(from), filepath.FromSlash(ref)), true
	}
	if sc := urlScheme(ref); sc != "" && !strings.EqualFold(sc, "file") {
		return "", false // what joining gives is no file:// URL
	}
	base, err := FileURL(from)
	if err != nil {
		return "", false
	}
	abs, err := joinRef(base, ref)
	if err != nil {
		return "", false
	}
	p, ok := LocalPath(abs)
	if !ok || !filepath.IsAbs(p) {
		return "", false
	}
	return filepath.Clean(p), true
}

// plainPath reports whether a reference is a path that URL joining leaves
// alone apart from dot segments: no scheme, host, query, fragment, escape,
// backslash, whitespace or control character.
func plainPath(ref string) bool {
	if strings.HasPrefix(ref, "//") {
		return false
	}
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case c <= ' ' || c >= 0x7f, c == ':', c == '%', c == '?', c == '#', c == '\\':
			return false
		}
	}
	return true
}

// urlScheme returns the scheme a reference starts with, as url.Parse reads
// it (a letter, then letters, digits, '+', '-' or '.', then ':'), or "".
func urlScheme(ref string) string {
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9', c == '+', c == '-', c == '.':
			if i == 0 {
				return ""
			}
		case c == ':':
			return ref[:i]
		default:
			return ""
		}
	}
	return ""
}
