package configschema

import (
	"errors"
	"strconv"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// maxDefaultSteps bounds the schema nodes one Defaults walk visits. The
// walk follows every `$ref` it meets, so schemas whose definitions refer
// to each other many times over can make it visit a node exponentially
// often; past this many visits it gives up with errTooLarge.
const maxDefaultSteps = 1 << 16

// errTooLarge reports a schema walk that gave up (maxDefaultSteps).
var errTooLarge = errors.New("config_schema is too large to walk")

// errCyclicRef is Amber's text for a `$ref` met again while it is being
// followed.
var errCyclicRef = errors.New("config_schema contains a cyclic $ref")

// Defaults returns the value the `default`s of a config_schema give a
// config that leaves everything out, merged as Amber merges them: at each
// schema node its own `default` first (when a value is already there, only
// the members it lacks are added, recursively), then the target of its
// `$ref`, its `allOf` branches in order, the items of an array value, and
// its `properties` in key order, each of which fills that member of an
// object value (and makes an absent value an object when one of them gives
// something). So a parent object's default wins over a property's own,
// and a `default` beside a `$ref` over the target's.
//
// ok is false when no default gives anything. The error is Amber's when
// the walk meets a `$ref` that is cyclic, dangles or has an invalid escape
// (Amber then has no defaults), or errTooLarge.
func Defaults(root *json5.Node) (value any, ok bool, err error) {
	w := &defaultsWalk{root: root, visiting: map[*json5.Node]bool{}}
	return w.apply(root, nil, false)
}

type defaultsWalk struct {
	root     *json5.Node
	visiting map[*json5.Node]bool // targets of the `$ref`s being followed
	steps    int
}

// apply applies the defaults of schema node s to value v (has: v is there).
func (w *defaultsWalk) apply(s *json5.Node, v any, has bool) (any, bool, error) {
	if s == nil || s.Kind != json5.Object {
		return v, has, nil
	}
	if w.steps++; w.steps > maxDefaultSteps {
		return v, has, errTooLarge
	}
	if d := s.Get("default"); d != nil {
		if has {
			mergeDefault(v, d.Value())
		} else {
			v, has = d.Value(), true
		}
	}
	var err error
	if ref := s.Get("$ref"); ref != nil && ref.Kind == json5.String {
		target, rerr := resolveStrict(w.root, ref.Text)
		if rerr != nil {
			return v, has, rerr
		}
		if w.visiting[target] {
			return v, has, errCyclicRef
		}
		w.visiting[target] = true
		v, has, err = w.apply(target, v, has)
		delete(w.visiting, target)
		if err != nil {
			return v, has, err
		}
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			if v, has, err = w.apply(b, v, has); err != nil {
				return v, has, err
			}
		}
	}
	if items := s.Get("items"); items != nil {
		if arr, ok := v.([]any); ok && has {
			for i := range arr {
				item := items
				if items.Kind == json5.Array {
					if item = items.Index(i); item == nil {
						continue
					}
				}
				if arr[i], _, err = w.apply(item, arr[i], true); err != nil {
					return v, has, err
				}
			}
		}
	}
	props := s.Get("properties")
	if props == nil || props.Kind != json5.Object {
		return v, has, nil
	}
	obj, isObj := v.(map[string]any)
	switch {
	case has && isObj:
		for _, m := range sortedMembers(props) {
			k := m.Key.Name
			child, present := obj[k]
			delete(obj, k)
			if child, present, err = w.apply(m.Value, child, present); err != nil {
				return v, has, err
			}
			if present {
				obj[k] = child
			}
		}
	case !has:
		obj = map[string]any{}
		for _, m := range sortedMembers(props) {
			child, present, err := w.apply(m.Value, nil, false)
			if err != nil {
				return v, has, err
			}
			if present {
				obj[m.Key.Name] = child
			}
		}
		if len(obj) > 0 {
			v, has = obj, true
		}
	}
	return v, has, nil
}

// mergeDefault adds to the object target the members of the object def it
// lacks, recursively; anything else is left as it is.
func mergeDefault(target, def any) {
	t, ok := target.(map[string]any)
	d, dok := def.(map[string]any)
	if !ok || !dok {
		return
	}
	for k, dv := range d {
		if cur, ok := t[k]; ok {
			mergeDefault(cur, dv)
		} else {
			t[k] = dv
		}
	}
}

// resolveStrict resolves a local reference as Amber's schema walks do:
// an escape that is not `~0` or `~1`, or a reference that resolves to
// nothing, is an error with Amber's text.
func resolveStrict(root *json5.Node, ref string) (*json5.Node, error) {
	if !ValidRefEscapes(ref) {
		return nil, errors.New("invalid $ref pointer " + strconv.Quote(ref) + ": non-RFC6901 escape sequence")
	}
	target, ok := Resolve(root, ref)
	if !ok {
		return nil, errors.New("unresolvable $ref pointer " + strconv.Quote(ref))
	}
	return target, nil
}

// valueAt returns the member of a decoded JSON value at a dot path.
func valueAt(v any, segs []string) (any, bool) {
	for _, seg := range segs {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}
