package jsonschema

import (
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
)

// ref follows a local `$ref` into the root schema, resolved as every
// schema reader here resolves it (configschema.ResolveValue). A reference
// being expanded again at the same instance location (a cycle that does
// not consume the instance) is taken as valid.
func (e *evaluator) ref(val, v any, ip, sp []string) []Error {
	ref, ok := val.(string)
	if !ok {
		return nil
	}
	target, ok := configschema.ResolveValue(e.root, ref)
	if !ok {
		return fail(ip, sp, refProblem(ref))
	}
	key := activeRef{ref, len(ip)}
	if e.active[key] {
		return nil
	}
	if e.active == nil {
		e.active = map[activeRef]bool{}
	}
	e.active[key] = true
	defer delete(e.active, key)
	return e.eval(target, v, ip, sp)
}

// refProblem says why a reference does not resolve, in the library's words
// for a missing target (`Pointer '/$defs/x' does not exist`, the pointer as
// written), and that only local references are supported otherwise.
func refProblem(ref string) string {
	if ref != "#" && !strings.HasPrefix(ref, "#/") {
		return "unsupported $ref " + diag.DebugQuote(ref) + ": only local references (`#` or `#/...`) are supported"
	}
	return configschema.RefNotFound(ref)
}
