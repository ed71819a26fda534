package config

import (
	"bytes"
	"slices"
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest/configschema"
)

// Mask is what every output of amber-lsp shows in place of a secret value:
// a JSON string in JSON output, the same three characters in text.
const Mask = "***"

// minScrub is the shortest secret searched for inside longer text. A
// shorter secret is still masked where it stands as a whole value (a schema
// default, a config value, a JSON string equal to it), but searching free
// text for two bytes would garble everything.
const minScrub = 4

// anySeg is the path segment standing for every member or element
// (additionalProperties, patternProperties, items).
const anySeg = "*"

// valueKeywords are the schema keywords whose value is a config value (or
// a list of them): what a secret node must not show.
var valueKeywords = []string{"default", "const", "enum", "examples"}

// SecretPaths returns the config paths a schema (a JSON tree, as in a
// scenario's `config_schema`) marks `secret: true`, each a list of segments
// where "*" stands for any member or element. A secret node makes
// everything below it secret, so no path in the result lies below
// another. `$ref`s are followed, a cyclic one once: the secret members of
// a recursive definition are found at its first level (MaskSchema still
// masks the definition's own defaults). A schema without `secret: true`
// has none; one that has and whose walk takes more than maxSecretSteps
// nodes (its references multiply the paths) is all secret: the one path
// is the empty one.
func SecretPaths(schema any) [][]string {
	if !mentionsSecret(schema) {
		return nil
	}
	w := &secretWalker{root: schema, visiting: map[string]bool{}}
	w.walk(schema, nil)
	if w.steps > maxSecretSteps {
		return [][]string{{}}
	}
	sort.Slice(w.paths, func(i, j int) bool { return slices.Compare(w.paths[i], w.paths[j]) < 0 })
	return slices.CompactFunc(w.paths, slices.Equal)
}

// maxSecretSteps bounds the schema nodes SecretPaths visits.
const maxSecretSteps = 1 << 16

// mentionsSecret reports whether a JSON tree has a `secret: true` member
// anywhere.
func mentionsSecret(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if x["secret"] == true {
			return true
		}
		for _, e := range x {
			if mentionsSecret(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if mentionsSecret(e) {
				return true
			}
		}
	}
	return false
}

type secretWalker struct {
	root     any
	paths    [][]string
	visiting map[string]bool // $refs being followed
	steps    int
}

func (w *secretWalker) walk(node any, path []string) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	if w.steps++; w.steps > maxSecretSteps {
		return
	}
	if m["secret"] == true {
		w.paths = append(w.paths, slices.Clone(path))
		return
	}
	if ref, ok := m["$ref"].(string); ok && !w.visiting[ref] {
		if target, ok := configschema.ResolveValue(w.root, ref); ok {
			w.visiting[ref] = true
			w.walk(target, path)
			delete(w.visiting, ref)
		}
	}
	schemaChildren(m, path, func(child any, p []string) { w.walk(child, p) })
}

// schemaChildren calls f with every subschema of m that describes the same
// value or a part of it, and the config path of what it describes.
func schemaChildren(m map[string]any, path []string, f func(child any, path []string)) {
	sub := func(seg string) []string { return append(slices.Clip(path), seg) }
	if props, ok := m["properties"].(map[string]any); ok {
		for _, k := range sortedKeys(props) {
			f(props[k], sub(k))
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if list, ok := m[k].([]any); ok {
			for _, s := range list {
				f(s, path)
			}
		}
	}
	for _, k := range []string{"if", "then", "else", "not"} {
		if s, ok := m[k]; ok {
			f(s, path)
		}
	}
	for _, k := range []string{"additionalProperties", "items", "contains", "unevaluatedProperties", "unevaluatedItems"} {
		if s, ok := m[k]; ok {
			f(s, sub(anySeg))
		}
	}
	if pp, ok := m["patternProperties"].(map[string]any); ok {
		for _, k := range sortedKeys(pp) {
			f(pp[k], sub(anySeg))
		}
	}
	if list, ok := m["prefixItems"].([]any); ok {
		for _, s := range list {
			f(s, sub(anySeg))
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isSecret reports whether path is a secret path or lies below one.
func isSecret(secrets [][]string, path []string) bool {
	for _, s := range secrets {
		if len(s) <= len(path) && matches(s, path[:len(s)]) {
			return true
		}
	}
	return false
}

// below returns the secret paths strictly below path, relative to it.
func below(secrets [][]string, path []string) [][]string {
	var out [][]string
	for _, s := range secrets {
		if len(s) > len(path) && matches(s[:len(path)], path) {
			out = append(out, s[len(path):])
		}
	}
	return out
}

// matches reports whether the pattern segments match path segment by
// segment ("*" on either side matches anything).
func matches(pattern, path []string) bool {
	for i := range pattern {
		if pattern[i] != path[i] && pattern[i] != anySeg && path[i] != anySeg {
			return false
		}
	}
	return true
}

// MaskSchema returns a copy of schema (a JSON tree) in which no secret
// value shows: on a secret node (`secret: true`, a node below one, or a
// `$defs` entry a secret node refers to) the values of `default`, `const`,
// `enum` and `examples` are Mask; on other nodes the members of a
// `default`, `const` or `examples` value that lie at a secret path are.
// Parts without secrets are shared with schema, which is not modified.
// found, when not nil, receives every value that was masked.
func MaskSchema(schema any, found func(any)) any {
	secrets := SecretPaths(schema)
	if len(secrets) == 0 {
		return schema
	}
	m := &schemaMasker{secrets: secrets, found: found, secretDefs: secretDefs(schema)}
	return m.node(schema, []string{}, "", false)
}

// secretDefs returns the `$ref` targets (as "#/..." pointers) that a secret
// node refers to, directly or through other references.
func secretDefs(schema any) map[string]bool {
	out := map[string]bool{}
	var walk func(node any, secret bool)
	walk = func(node any, secret bool) {
		m, ok := node.(map[string]any)
		if !ok {
			return
		}
		secret = secret || m["secret"] == true
		if ref, ok := m["$ref"].(string); ok && secret && !out[ref] {
			out[ref] = true
			if target, ok := configschema.ResolveValue(schema, ref); ok {
				walk(target, true)
			}
		}
		for _, k := range sortedKeys(m) {
			switch v := m[k].(type) {
			case map[string]any:
				walk(v, secret)
			case []any:
				for _, e := range v {
					walk(e, secret)
				}
			}
		}
	}
	walk(schema, false)
	return out
}

type schemaMasker struct {
	secrets    [][]string
	secretDefs map[string]bool
	found      func(any)
}

// node masks one schema node; path is its config path (nil when unknown,
// inside `$defs`), ptr its JSON pointer.
func (m *schemaMasker) node(n any, path []string, ptr string, secret bool) any {
	obj, ok := n.(map[string]any)
	if !ok {
		return n
	}
	secret = secret || obj["secret"] == true || m.secretDefs["#"+ptr] || path != nil && isSecret(m.secrets, path)
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		out[k] = v
	}
	for _, k := range valueKeywords {
		v, ok := obj[k]
		switch {
		case !ok:
		case secret:
			m.report(v)
			out[k] = Mask
		case path == nil || k == "enum":
		case k == "examples":
			if list, ok := v.([]any); ok {
				masked := make([]any, len(list))
				for i, e := range list {
					masked[i] = m.value(e, path)
				}
				out[k] = masked
			}
		default:
			out[k] = m.value(v, path)
		}
	}
	sub := func(p []string, seg string) []string {
		if p == nil {
			return nil
		}
		return append(slices.Clip(p), seg)
	}
	if props, ok := obj["properties"].(map[string]any); ok {
		masked := make(map[string]any, len(props))
		for k, v := range props {
			masked[k] = m.node(v, sub(path, k), ptr+"/properties/"+escapePointer(k), secret)
		}
		out["properties"] = masked
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf", "prefixItems"} {
		if list, ok := obj[k].([]any); ok {
			p := path
			if k == "prefixItems" {
				p = sub(path, anySeg)
			}
			masked := make([]any, len(list))
			for i, v := range list {
				masked[i] = m.node(v, p, ptr+"/"+k+"/"+itoa(i), secret)
			}
			out[k] = masked
		}
	}
	for _, k := range []string{"if", "then", "else", "not"} {
		if v, ok := obj[k]; ok {
			out[k] = m.node(v, path, ptr+"/"+k, secret)
		}
	}
	for _, k := range []string{"additionalProperties", "items", "contains", "unevaluatedProperties", "unevaluatedItems"} {
		if v, ok := obj[k]; ok {
			out[k] = m.node(v, sub(path, anySeg), ptr+"/"+k, secret)
		}
	}
	for _, k := range []string{"patternProperties", "$defs", "definitions"} {
		if defs, ok := obj[k].(map[string]any); ok {
			p := sub(path, anySeg)
			if k != "patternProperties" {
				p = nil // reached through $ref from anywhere
			}
			masked := make(map[string]any, len(defs))
			for name, v := range defs {
				masked[name] = m.node(v, p, ptr+"/"+k+"/"+escapePointer(name), secret)
			}
			out[k] = masked
		}
	}
	return out
}

// value masks the members of v, a value of the config at path, that lie
// at secret paths.
func (m *schemaMasker) value(v any, path []string) any {
	rel := below(m.secrets, path)
	if len(rel) == 0 {
		return v
	}
	return maskAt(v, rel, m.report, false)
}

func (m *schemaMasker) report(v any) {
	if m.found != nil {
		m.found(v)
	}
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// MaskConfig returns a copy of a component's config value (a JSON tree) in
// which the values at the secret paths of schema are Mask. Config
// interpolation stays as written: a string holding `${…}` and a
// `{"$symbolic_config": …}` object name a value, they are not one. cfg is
// not modified.
func MaskConfig(schema, cfg any) any {
	secrets := SecretPaths(schema)
	if len(secrets) == 0 {
		return cfg
	}
	return maskAt(cfg, secrets, nil, true)
}

// maskAt masks the parts of v at the relative secret paths; keepRefs keeps
// interpolation (config values, not schema defaults). found receives each
// masked value.
func maskAt(v any, secrets [][]string, found func(any), keepRefs bool) any {
	for _, s := range secrets {
		if len(s) == 0 {
			return maskWhole(v, found, keepRefs)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = maskAt(e, step(secrets, k), found, keepRefs)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = maskAt(e, step(secrets, anySeg), found, keepRefs)
		}
		return out
	}
	return v
}

// step returns the relative secret paths that go through segment seg,
// relative to it.
func step(secrets [][]string, seg string) [][]string {
	var out [][]string
	for _, s := range secrets {
		if len(s) > 0 && matches(s[:1], []string{seg}) {
			out = append(out, s[1:])
		}
	}
	return out
}

// maskWhole masks a value that lies at a secret path: all of it, or with
// keepRefs every part except config interpolation.
func maskWhole(v any, found func(any), keepRefs bool) any {
	if keepRefs {
		switch x := v.(type) {
		case nil:
			return nil
		case string:
			if strings.Contains(x, "${") {
				return x
			}
		case map[string]any:
			if _, ok := x["$symbolic_config"]; ok {
				return x
			}
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = maskWhole(e, found, keepRefs)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = maskWhole(e, found, keepRefs)
			}
			return out
		}
	}
	if found != nil {
		found(v)
	}
	return Mask
}

// Secrets is the set of secret values a run knows about, so that they can
// be scrubbed from output that does not come from a schema: a helper's
// answer, its stderr, an error message. The zero value is empty and ready
// to use; a nil *Secrets scrubs nothing.
type Secrets struct {
	set  map[string]bool
	list []string // longest first, for scrubbing inside longer text
}

// Add records a secret value: a string as it is, a number or boolean as
// its JSON text, every leaf of an array or object.
func (s *Secrets) Add(v any) {
	switch x := v.(type) {
	case nil:
	case string:
		s.addText(x)
	case map[string]any:
		for _, e := range x {
			s.Add(e)
		}
	case []any:
		for _, e := range x {
			s.Add(e)
		}
	default:
		if text, ok := RenderValue(x); ok {
			s.addText(text)
		}
	}
}

func (s *Secrets) addText(t string) {
	if t == "" || t == Mask || s.set[t] {
		return
	}
	if s.set == nil {
		s.set = map[string]bool{}
	}
	s.set[t] = true
	if len(t) >= minScrub {
		i := sort.Search(len(s.list), func(i int) bool { return len(s.list[i]) < len(t) })
		s.list = slices.Insert(s.list, i, t)
	}
}

// AddSchema records the secret values a schema (a JSON tree) shows: the
// defaults, constants and examples of its secret paths.
func (s *Secrets) AddSchema(schema any) {
	MaskSchema(schema, s.Add)
}

// AddEnv records the runtime values of the secret paths of a root schema:
// the AMBER_CONFIG_* variables (overlays.md §5.2) of every secret path and
// of every leaf below one, as lookup returns them.
func (s *Secrets) AddEnv(schema any, lookup func(string) (string, bool)) {
	secrets := SecretPaths(schema)
	if len(secrets) == 0 || lookup == nil {
		return
	}
	seen := map[string]bool{}
	add := func(path string) {
		name, ok := EnvVarName(path)
		if !ok || seen[name] {
			return
		}
		seen[name] = true
		if raw, ok := lookup(name); ok && raw != "" {
			s.Add(raw)
			if v, ok := parseJSON(raw); ok {
				s.Add(v)
			}
		}
	}
	var paths []string
	for _, p := range secrets {
		if !slices.Contains(p, anySeg) {
			paths = append(paths, strings.Join(p, "."))
		}
	}
	for _, p := range paths {
		add(p)
	}
	if node := ValueNode(schema); node != nil {
		leaves, _ := configschema.Leaves(node)
		for _, l := range leaves {
			for _, p := range paths {
				if l.Path == p || p == "" || strings.HasPrefix(l.Path, p+".") {
					add(l.Path)
				}
			}
		}
	}
}

// Empty reports whether no secret value is known.
func (s *Secrets) Empty() bool { return s == nil || len(s.set) == 0 }

// Text returns t with every known secret of at least four bytes replaced
// by Mask.
func (s *Secrets) Text(t string) string {
	if s.Empty() {
		return t
	}
	for _, v := range s.list {
		if strings.Contains(t, v) {
			t = strings.ReplaceAll(t, v, Mask)
		}
	}
	return t
}

// Source returns text with every known secret of at least four bytes
// overwritten by as many `*`: byte offsets, and so every span into the
// text, stay valid. For source text quoted by diagnostics.
func (s *Secrets) Source(text []byte) []byte {
	if s.Empty() {
		return text
	}
	out, copied := text, false
	for _, v := range s.list {
		for from := 0; ; {
			i := bytes.Index(out[from:], []byte(v))
			if i < 0 {
				break
			}
			if !copied {
				out, copied = slices.Clone(out), true
			}
			for j := range len(v) {
				out[from+i+j] = '*'
			}
			from += i + len(v)
		}
	}
	return out
}

// Value returns a copy of v (a JSON tree) in which every string equal to a
// known secret is Mask and every secret of at least four bytes inside a
// longer string or an object key is replaced by Mask, and whether anything
// changed. v is not modified.
func (s *Secrets) Value(v any) (any, bool) {
	if s.Empty() {
		return v, false
	}
	switch x := v.(type) {
	case string:
		if s.set[x] {
			return Mask, true
		}
		t := s.Text(x)
		return t, t != x
	case map[string]any:
		out := make(map[string]any, len(x))
		changed := false
		for k, e := range x {
			mk, c1 := s.Value(k)
			me, c2 := s.Value(e)
			out[mk.(string)] = me
			changed = changed || c1 || c2
		}
		if !changed {
			return v, false
		}
		return out, true
	case []any:
		out := make([]any, len(x))
		changed := false
		for i, e := range x {
			var c bool
			out[i], c = s.Value(e)
			changed = changed || c
		}
		if !changed {
			return v, false
		}
		return out, true
	}
	return v, false
}

// SecretAt reports whether the config path (segments) of a schema (a JSON
// tree) is secret, at or below a secret node, and whether a secret path
// lies below it, so that a value there holds secret parts.
func SecretAt(schema any, path []string) (secret, holdsSecrets bool) {
	secrets := SecretPaths(schema)
	return isSecret(secrets, path), len(below(secrets, path)) > 0
}
