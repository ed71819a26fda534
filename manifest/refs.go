package manifest

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/weburl"
)

// checkManifestRef validates a manifest reference string (5.3): Amber
// parses it as a WHATWG URL, and a reference without a scheme is relative,
// resolved at link time. It returns Amber's detail, or "" when the
// reference is acceptable.
func checkManifestRef(ref string) string {
	if ref == "" {
		return "invalid manifest reference ``"
	}
	if _, err := weburl.Parse(ref); err != nil && err != weburl.ErrRelativeWithoutBase {
		return "invalid manifest reference `" + ref + "`"
	}
	return ""
}

// validDigest reports whether s is `sha256:` + padded standard base64 of 32
// bytes, in canonical form.
func validDigest(s string) bool {
	b64, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(b64) != 44 {
		return false
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(b64)
	return err == nil && len(raw) == 32
}

// semver is a parsed semantic version.
type semver struct {
	major, minor, patch uint64
	pre                 string
}

// less orders versions; a pre-release sorts before its release.
func (v semver) less(o semver) bool {
	if v.major != o.major {
		return v.major < o.major
	}
	if v.minor != o.minor {
		return v.minor < o.minor
	}
	if v.patch != o.patch {
		return v.patch < o.patch
	}
	return v.pre != "" && o.pre == "" || v.pre != "" && o.pre != "" && comparePre(v.pre, o.pre) < 0
}

func comparePre(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		an, aerr := strconv.ParseUint(as[i], 10, 64)
		bn, berr := strconv.ParseUint(bs[i], 10, 64)
		switch {
		case aerr == nil && berr == nil:
			if an != bn {
				if an < bn {
					return -1
				}
				return 1
			}
		case aerr == nil:
			return -1
		case berr == nil:
			return 1
		default:
			if c := strings.Compare(as[i], bs[i]); c != 0 {
				return c
			}
		}
	}
	return len(as) - len(bs)
}

// parseSemver parses `N.N.N[-pre][+build]` with the semver crate's messages.
func parseSemver(s string) (semver, string) {
	var v semver
	if s == "" {
		return v, "empty string, expected a semver version"
	}
	rest := s
	parts := []*uint64{&v.major, &v.minor, &v.patch}
	names := []string{"major", "minor", "patch"}
	for i, p := range parts {
		n, tail, msg := semverNumber(rest, names[i])
		if msg != "" {
			return v, msg
		}
		*p = n
		rest = tail
		if i < 2 {
			// The separator is read as part of the number before it: the
			// end of input is reported for that number ("0.1": minor).
			if rest == "" {
				return v, "unexpected end of input while parsing " + names[i] + " version number"
			}
			if rest[0] != '.' {
				return v, fmt.Sprintf("unexpected character %s after %s version number", quoteChar(rest), names[i])
			}
			rest = rest[1:]
		}
	}
	// A character left over is reported after the last part read: the
	// build metadata, else the pre-release, else the patch number.
	after := "patch version number"
	if strings.HasPrefix(rest, "-") {
		pre, tail, msg := semverIdents(rest[1:], "pre-release identifier", true)
		if msg != "" {
			return v, msg
		}
		v.pre, rest, after = pre, tail, "pre-release identifier"
	}
	if strings.HasPrefix(rest, "+") {
		_, tail, msg := semverIdents(rest[1:], "build metadata", false)
		if msg != "" {
			return v, msg
		}
		rest, after = tail, "build metadata"
	}
	if rest != "" {
		return v, fmt.Sprintf("unexpected character %s after %s", quoteChar(rest), after)
	}
	return v, ""
}

// quoteChar renders the first character of s as Rust's `{:?}` of a char.
func quoteChar(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	return diag.DebugQuoteRune(r)
}

func semverNumber(s, name string) (uint64, string, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		if s == "" {
			return 0, s, "unexpected end of input while parsing " + name + " version number"
		}
		return 0, s, fmt.Sprintf("unexpected character %s while parsing %s version number", quoteChar(s), name)
	}
	if i > 1 && s[0] == '0' {
		return 0, s, "invalid leading zero in " + name + " version number"
	}
	n, err := strconv.ParseUint(s[:i], 10, 64)
	if err != nil {
		return 0, s, "value of " + name + " version number exceeds u64::MAX"
	}
	return n, s[i:], ""
}

func semverIdents(s, what string, numericNoLeadingZero bool) (string, string, string) {
	i := 0
	for i < len(s) && (isIdentChar(s[i]) || s[i] == '.') {
		i++
	}
	body := s[:i]
	for _, seg := range strings.Split(body, ".") {
		if seg == "" {
			return "", s, "empty identifier segment in " + what
		}
		if numericNoLeadingZero && len(seg) > 1 && seg[0] == '0' && strings.Trim(seg, "0123456789") == "" {
			return "", s, "invalid leading zero in " + what
		}
	}
	return body, s[i:], ""
}

func isIdentChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-'
}

// checkSemver returns the semver parse detail for a manifest_version string,
// or "" when it parses.
func checkSemver(s string) string {
	_, msg := parseSemver(s)
	return msg
}

// versionAtLeast reports whether version v >= want (both valid).
func versionAtLeast(v, want string) bool {
	a, _ := parseSemver(v)
	b, _ := parseSemver(want)
	return !a.less(b)
}

// supportedVersion reports whether v satisfies `>=0.1.0, <1.0.0` with SemVer
// requirement semantics: pre-releases never match.
func supportedVersion(v string) bool {
	sv, msg := parseSemver(v)
	if msg != "" || sv.pre != "" {
		return false
	}
	return sv.major == 0 && sv.minor >= 1
}
