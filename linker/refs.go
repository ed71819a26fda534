package linker

import (
	"path/filepath"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest/weburl"
)

// FileURL returns the file:// URL of a local path, made absolute, written
// as Amber writes it (weburl.FileURL).
func FileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return weburl.FileURL(filepath.ToSlash(abs)), nil
}

// LocalPath returns the local path of a file: URL, and false for other
// URLs and for a file URL with a host (file://server/x), which names no
// local file: Amber cannot read it ("invalid file URL"). The query and
// fragment are ignored; percent-escapes are decoded.
func LocalPath(rawURL string) (string, bool) {
	if len(rawURL) < 5 || !strings.EqualFold(rawURL[:5], "file:") {
		return "", false // not the scheme `file`
	}
	p, ok := weburl.FilePathOf(rawURL)
	return filepath.FromSlash(p), ok
}

// localPath is LocalPath of a parsed URL.
func localPath(u *weburl.URL) (string, bool) {
	p, ok := u.FilePath()
	return filepath.FromSlash(p), ok
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
// (linker.md §2.2) as Amber does, with WHATWG URL parsing: a reference
// with a scheme is that URL, written in its normal form; one without is
// joined to base.
func joinRef(base, ref string) (string, error) {
	u, err := weburl.Parse(ref)
	if err == weburl.ErrRelativeWithoutBase {
		var b *weburl.URL
		if b, err = weburl.Parse(base); err == nil {
			u, err = b.Join(ref)
		}
	}
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// ResolveLocalRef returns the local file that a manifest reference written
// in the local manifest at the absolute path from names, exactly as Link
// resolves it: joined with the manifest's file:// URL, then the path of the
// resulting file:// URL, cleaned. Percent-escapes are decoded, `\` is `/`,
// tabs and newlines are dropped; a query and a fragment do not change the
// path, as Link reads it. It reports false for references that name no
// local file: the empty reference (manifest validation rejects it), other
// schemes (http, https, ...), a host (file://server/x, //server/x) and
// references that do not parse.
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
	abs, ok := ResolveRef(from, ref)
	if !ok {
		return "", false
	}
	p, ok := LocalPath(abs)
	if !ok || !filepath.IsAbs(p) {
		return "", false
	}
	return filepath.Clean(p), true
}

// ResolveRef returns the absolute URL that a manifest reference written in
// the local manifest at the absolute path from names, as Link joins it
// (linker.md §2.2), in its normal form: `\` is `/`, spaces and other
// characters a URL cannot hold are percent-encoded, tabs and newlines are
// dropped, dot segments are removed, the scheme and host are in lower case.
// It reports false for a reference that does not parse.
func ResolveRef(from, ref string) (string, bool) {
	base, err := FileURL(from)
	if err != nil {
		return "", false
	}
	abs, err := joinRef(base, ref)
	return abs, err == nil
}

// plainPath reports whether a reference is a path that URL joining leaves
// alone apart from dot segments: no scheme, host, query, fragment, escape,
// backslash, drive letter (`c|`), whitespace or control character.
func plainPath(ref string) bool {
	if strings.HasPrefix(ref, "//") {
		return false
	}
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case c <= ' ' || c >= 0x7f, c == ':', c == '%', c == '?', c == '#', c == '\\', c == '|':
			return false
		}
	}
	return true
}
