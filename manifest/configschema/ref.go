package configschema

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Local `$ref`s. A config_schema may only refer inside itself (manifest.md
// §8.1): `#` for the root or `#/` and a JSON pointer. A `$ref` is a URI
// reference, so its fragment is percent-decoded before it is split into
// tokens, and each token's `~1` and `~0` stand for `/` and `~` (RFC 6901).
// This is how the JSON Schema library Amber uses reads a reference; every
// reader of a schema here (the meta-schema check, lookups, presence, lints,
// defaults and validation) resolves through the functions below, so they
// agree on which references dangle.
//
// Two rules follow the library where RFC 6901 is stricter: a `~` followed
// by anything but `0` or `1` stays as it is (Amber's config lints report it
// separately, see ValidRefEscapes), and a `%` that does not start a
// two-digit hex escape stays as it is. A fragment that decodes to invalid
// UTF-8 resolves to nothing.

// MaxDepth bounds schema walks that may descend without end: an `allOf`
// branch or a property whose `$ref` leads back to an enclosing schema.
// Deref needs no bound; the walks that recurse through such schemas stop
// at this depth and treat what lies deeper as absent.
const MaxDepth = 64

// RefTokens returns the reference tokens of a local reference: none for
// `#`, `a` and `b/c` for `#/a/b~1c`. ok is false when ref is not local or
// its fragment does not decode to UTF-8.
func RefTokens(ref string) (tokens []string, ok bool) {
	if ref == "#" {
		return nil, true
	}
	frag, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	frag = percentDecode(frag)
	if !utf8.ValidString(frag) {
		return nil, false
	}
	tokens = strings.Split(frag, "/")
	for i, t := range tokens {
		if strings.Contains(t, "~") {
			tokens[i] = unescapeToken(t)
		}
	}
	return tokens, true
}

// Resolve returns the node a local reference points to in the schema
// root, and whether there is one.
func Resolve(root *json5.Node, ref string) (*json5.Node, bool) {
	tokens, ok := RefTokens(ref)
	if !ok {
		return nil, false
	}
	n := root.Lookup(tokens...)
	return n, n != nil
}

// ResolveValue is Resolve for a schema decoded into Go values
// (map[string]any, []any, ...), as JSON Schema validation reads it.
func ResolveValue(root any, ref string) (any, bool) {
	tokens, ok := RefTokens(ref)
	if !ok {
		return nil, false
	}
	cur := root
	for _, t := range tokens {
		switch x := cur.(type) {
		case map[string]any:
			if cur, ok = x[t]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) || strings.HasPrefix(t, "+") {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// Deref follows the `$ref`s that start at schema node s: while s is an
// object with a string `$ref`, s becomes its target. It returns the first
// node that is not such a reference, or nil when a reference in the chain
// dangles or the chain comes back to a node it passed (a cycle such as
// `$defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }`, which
// Amber allows and which has no schema at its end). There is no depth
// limit: a chain ends, dangles or cycles, and its cost is linear in its
// length.
func Deref(root, s *json5.Node) *json5.Node {
	var seen map[*json5.Node]bool
	for steps := 0; s != nil && s.Kind == json5.Object; steps++ {
		ref := s.Get("$ref")
		if ref == nil || ref.Kind != json5.String {
			return s
		}
		if steps >= 8 { // short chains are the rule: track only long ones
			if seen == nil {
				seen = map[*json5.Node]bool{}
			}
			if seen[s] {
				return nil
			}
			seen[s] = true
		}
		s, _ = Resolve(root, ref.Text)
	}
	return s
}

// RefNotFound is the JSON Schema library's message for a local reference
// that resolves to nothing: `Pointer '/$defs/x' does not exist`, with the
// pointer as written.
func RefNotFound(ref string) string {
	return "Pointer '" + strings.TrimPrefix(ref, "#") + "' does not exist"
}

// ValidRefEscapes reports whether every `~` in ref starts `~0` or `~1`, as
// RFC 6901 requires. Resolve accepts other escapes; Amber's config lints
// do not follow such a reference (manifest.md §11.9).
func ValidRefEscapes(ref string) bool {
	for i := strings.IndexByte(ref, '~'); i >= 0; i = strings.IndexByte(ref, '~') {
		if i+1 >= len(ref) || (ref[i+1] != '0' && ref[i+1] != '1') {
			return false
		}
		ref = ref[i+2:]
	}
	return true
}

// unescapeToken replaces `~1` by `/` and `~0` by `~`, in one pass (so
// `~01` is `~1`), leaving other `~`s as they are.
func unescapeToken(t string) string {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		if t[i] == '~' && i+1 < len(t) && (t[i+1] == '0' || t[i+1] == '1') {
			b.WriteByte("~/"[t[i+1]-'0'])
			i++
			continue
		}
		b.WriteByte(t[i])
	}
	return b.String()
}

// percentDecode decodes the `%XX` escapes of s and keeps any other `%`.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			hi, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(hi))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
