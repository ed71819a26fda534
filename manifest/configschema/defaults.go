package configschema

import (
	"errors"
	"maps"
	"slices"
	"strconv"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// maxDefaultSteps bounds the schema nodes one walk of a schema's defaults
// visits. The walk follows every `$ref` it meets, so schemas whose
// definitions refer to each other many times over can make it visit a node
// exponentially often (and its value can be that large); past this many
// visits it gives up (SchemaDefaults.TooLarge).
const maxDefaultSteps = 1 << 16

// errTooLarge reports a schema walk that gave up (maxDefaultSteps).
var errTooLarge = errors.New("config_schema is too large to walk")

// errCyclicRef is Amber's text for a `$ref` met again while it is being
// followed.
var errCyclicRef = errors.New("config_schema contains a cyclic $ref")

// SchemaDefaults is what the `default`s of a config_schema give a config
// value, merged as Amber merges them (its apply_defaults_to_slot): at each
// schema node its own `default` first (when a value is already there,
// only the members it lacks are added, recursively), then the target of
// its `$ref`, its `allOf` branches in order, the items of an array value,
// and its `properties` in key order, each of which fills that member of an
// object value (and makes an absent value an object when one of them gives
// something). So a parent object's default wins over a property's own,
// and a `default` beside a `$ref` over the target's; an explicit null
// takes no members.
//
// This is the one reading of a schema's defaults: the config lints'
// presence (Presences), the defaults of a child's composed config
// (linker/config.ApplyDefaults), the outcomes of config the composed
// config leaves out, and the root inputs of a run all take it.
type SchemaDefaults struct {
	// Value is the value with the defaults applied.
	Value any
	// Set reports whether there is a value: a walk from nothing that no
	// default gives anything leaves none.
	Set bool
	// Err is where Amber's walk fails, and Amber then has no defaults: the
	// first `$ref` met that is cyclic, dangles or has an invalid escape.
	// The walk here goes on without following that reference, so Value
	// holds what the other defaults give, for the readers Amber's failure
	// does not concern (the spec has `$ref` cycles make only the config
	// lints incomplete, manifest.md §8.4).
	Err error
	// TooLarge reports a walk that gave up (maxDefaultSteps): Value is
	// incomplete.
	TooLarge bool
}

// DefaultsOf returns what the defaults of the schema root give a config
// that leaves everything out (Amber's collect_schema_defaults).
func DefaultsOf(root *json5.Node) SchemaDefaults {
	return walkDefaults(root, nil, false)
}

// FillDefaults returns what the defaults of the schema root make of the
// config value v (Amber's apply_schema_defaults, which Amber's config
// analysis starts from `{}`). v is not modified.
func FillDefaults(root *json5.Node, v any) SchemaDefaults {
	return walkDefaults(root, v, true)
}

// At returns the value the defaults give a dot path ("" for the whole
// value), and whether they give one.
func (d SchemaDefaults) At(path string) (any, bool) {
	if !d.Set {
		return nil, false
	}
	return valueAt(d.Value, splitPath(path))
}

// Problem is the error a reader that follows Amber strictly gets from the
// defaults walk: Err, else errTooLarge for a walk that gave up.
func (d SchemaDefaults) Problem() error {
	switch {
	case d.Err != nil:
		return d.Err
	case d.TooLarge:
		return errTooLarge
	}
	return nil
}

func walkDefaults(root *json5.Node, v any, has bool) SchemaDefaults {
	w := &defaultsWalk{root: root, visiting: map[*json5.Node]bool{}}
	v, has = w.apply(root, v, has)
	return SchemaDefaults{Value: v, Set: has, Err: w.err, TooLarge: w.tooLarge}
}

type defaultsWalk struct {
	root     *json5.Node
	visiting map[*json5.Node]bool // targets of the `$ref`s being followed
	steps    int
	err      error // the first reference Amber's walk fails at
	tooLarge bool

	// What the walk read of each node it met, for the next time it meets
	// it: the walk can meet a node many times over.
	refs    map[*json5.Node]refTarget       // a `$ref` string's target
	members map[*json5.Node][]*json5.Member // a `properties` object's, sorted
}

// refTarget is where a `$ref` leads, or why it leads nowhere.
type refTarget struct {
	node *json5.Node
	err  error
}

// apply applies the defaults of schema node s to value v (has: v is
// there), copying what it changes.
func (w *defaultsWalk) apply(s *json5.Node, v any, has bool) (any, bool) {
	if s == nil || s.Kind != json5.Object || w.tooLarge {
		return v, has
	}
	if w.steps++; w.steps > maxDefaultSteps {
		w.tooLarge = true
		return v, has
	}
	if d := s.Get("default"); d != nil {
		if has {
			v = mergeDefault(v, d.Value())
		} else {
			v, has = d.Value(), true
		}
	}
	if ref := s.Get("$ref"); ref != nil && ref.Kind == json5.String {
		t, ok := w.refs[ref]
		if !ok {
			t.node, t.err = resolveStrict(w.root, ref.Text)
			if w.refs == nil {
				w.refs = map[*json5.Node]refTarget{}
			}
			w.refs[ref] = t
		}
		target, err := t.node, t.err
		switch {
		case err != nil:
			w.fail(err)
		case w.visiting[target]:
			w.fail(errCyclicRef)
		default:
			w.visiting[target] = true
			v, has = w.apply(target, v, has)
			delete(w.visiting, target)
		}
	}
	if all := s.Get("allOf"); all != nil && all.Kind == json5.Array {
		for _, b := range all.Elems() {
			v, has = w.apply(b, v, has)
		}
	}
	if items := s.Get("items"); items != nil {
		if arr, ok := v.([]any); ok && has {
			arr = slices.Clone(arr)
			for i := range arr {
				item := items
				if items.Kind == json5.Array {
					if item = items.Index(i); item == nil {
						continue
					}
				}
				arr[i], _ = w.apply(item, arr[i], true)
			}
			v = arr
		}
	}
	props := s.Get("properties")
	if props == nil || props.Kind != json5.Object {
		return v, has
	}
	members, ok := w.members[props]
	if !ok {
		members = sortedMembers(props)
		if w.members == nil {
			w.members = map[*json5.Node][]*json5.Member{}
		}
		w.members[props] = members
	}
	switch obj, isObj := v.(map[string]any); {
	case has && isObj:
		obj = maps.Clone(obj)
		for _, m := range members {
			k := m.Key.Name
			child, present := obj[k]
			if child, present = w.apply(m.Value, child, present); present {
				obj[k] = child
			}
		}
		v = obj
	case !has:
		obj = map[string]any{}
		for _, m := range members {
			if child, present := w.apply(m.Value, nil, false); present {
				obj[m.Key.Name] = child
			}
		}
		if len(obj) > 0 {
			v, has = obj, true
		}
	}
	return v, has
}

// fail records where Amber's walk fails, the first time.
func (w *defaultsWalk) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// mergeDefault returns the object target with the members of the object
// def it lacks added, recursively (copying what it changes); anything else
// is returned as it is.
func mergeDefault(target, def any) any {
	t, ok := target.(map[string]any)
	d, dok := def.(map[string]any)
	if !ok || !dok {
		return target
	}
	out := maps.Clone(t)
	for k, dv := range d {
		if cur, ok := out[k]; ok {
			out[k] = mergeDefault(cur, dv)
		} else {
			out[k] = dv
		}
	}
	return out
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
