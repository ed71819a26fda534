package jsonschema

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

// ref follows a local `$ref` ("#" or "#/json/pointer", RFC 6901 escapes,
// percent-encoding allowed) into the root schema. A reference being
// expanded again at the same instance location (a cycle that does not
// consume the instance) is taken as valid.
func (e *evaluator) ref(val, v any, ip, sp []string) []Error {
	ref, ok := val.(string)
	if !ok {
		return nil
	}
	target, msg := Resolve(e.root, ref)
	if msg != "" {
		return fail(ip, sp, msg)
	}
	key := ref + "\x00" + pointer(ip)
	if e.active[key] {
		return nil
	}
	e.active[key] = true
	defer delete(e.active, key)
	return e.eval(target, v, ip, sp)
}

// Resolve looks a local reference up in root. It returns the target, or
// a message saying why it cannot be resolved: the crate's
// `Pointer '/$defs/x' does not exist` for a missing target, and a
// statement that only local references are supported otherwise.
func Resolve(root any, ref string) (any, string) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, "unsupported $ref " + diag.DebugQuote(ref) + ": only local references (`#` or `#/...`) are supported"
	}
	if dec, err := url.PathUnescape(frag); err == nil {
		frag = dec
	}
	if frag == "" {
		return root, ""
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, "unsupported $ref " + diag.DebugQuote(ref) + ": only local references (`#` or `#/...`) are supported"
	}
	cur := root
	for _, raw := range strings.Split(frag[1:], "/") {
		seg := strings.ReplaceAll(strings.ReplaceAll(raw, "~1", "/"), "~0", "~")
		switch x := cur.(type) {
		case map[string]any:
			next, ok := x[seg]
			if !ok {
				return nil, "Pointer '" + frag + "' does not exist"
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) || strings.HasPrefix(seg, "+") {
				return nil, "Pointer '" + frag + "' does not exist"
			}
			cur = x[i]
		default:
			return nil, "Pointer '" + frag + "' does not exist"
		}
	}
	return cur, ""
}
