package jsonschema

import (
	"reflect"
	"strings"
	"unsafe"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/visitset"
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
	target, ok := e.resolve(ref)
	if !ok {
		return e.report(fail(ip, sp, refProblem(ref)))
	}
	d := len(ip)
	key := activeRef{ref, d}
	if e.active[key] {
		return nil
	}
	if e.active == nil {
		e.active = map[activeRef]bool{}
	}
	e.active[key] = true
	for len(e.activeAt) <= d {
		e.activeAt = append(e.activeAt, visitset.Empty)
	}
	outer := e.activeAt[d]
	e.activeAt[d] = e.sets.With(outer, ref)
	defer func() { delete(e.active, key); e.activeAt[d] = outer }()
	return e.eval(target, v, ip, sp)
}

// resolve is configschema.ResolveValue(e.root, ref), once per reference.
func (e *evaluator) resolve(ref string) (any, bool) {
	if t, ok := e.targets[ref]; ok {
		return t.value, t.ok
	}
	v, ok := configschema.ResolveValue(e.root, ref)
	if e.targets == nil {
		e.targets = map[string]target{}
	}
	e.targets[ref] = target{v, ok}
	return v, ok
}

// target is what a reference resolves to.
type target struct {
	value any
	ok    bool
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

// inPlaceAcyclic reports whether no evaluation of a schema object of root
// or schema can lead back to the object at the same instance value: the
// objects, each leading to its `$ref`'s target and to its subschemas that
// apply to the value itself (allOf, anyOf, oneOf, not, if, then, else) or
// to its member names (propertyNames), form no cycle. Every object in the
// two trees is taken for a schema, which can only find a cycle more. The
// cost is linear in the size of root and schema.
func inPlaceAcyclic(root, schema any) bool {
	const (
		open = 1 // on the current chain
		done = 2 // no cycle through it
	)
	state := map[unsafe.Pointer]uint8{}
	var visit func(m map[string]any) bool
	visit = func(m map[string]any) bool {
		id := reflect.ValueOf(m).UnsafePointer()
		switch state[id] {
		case open:
			return false
		case done:
			return true
		}
		state[id] = open
		for _, next := range inPlace(root, m) {
			if !visit(next) {
				return false
			}
		}
		state[id] = done
		return true
	}
	seen := map[unsafe.Pointer]bool{}
	var tree func(v any) bool
	tree = func(v any) bool {
		switch x := v.(type) {
		case map[string]any:
			if id := reflect.ValueOf(x).UnsafePointer(); seen[id] {
				return true
			} else {
				seen[id] = true
			}
			if !visit(x) {
				return false
			}
			for _, c := range x {
				if !tree(c) {
					return false
				}
			}
		case []any:
			for _, c := range x {
				if !tree(c) {
					return false
				}
			}
		}
		return true
	}
	return tree(root) && tree(schema)
}

// inPlace returns the schema objects the evaluation of schema object m
// evaluates at the same instance value (or at its member names).
func inPlace(root any, m map[string]any) []map[string]any {
	var out []map[string]any
	add := func(v any) {
		if sub, ok := v.(map[string]any); ok {
			out = append(out, sub)
		}
	}
	if ref, ok := m["$ref"].(string); ok {
		if target, ok := configschema.ResolveValue(root, ref); ok {
			add(target)
		}
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		for _, sub := range asArray(m[kw]) {
			add(sub)
		}
	}
	for _, kw := range []string{"not", "if", "then", "else", "propertyNames"} {
		add(m[kw])
	}
	return out
}
