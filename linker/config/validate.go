package config

import (
	"strings"
	"sync"

	"github.com/amberlsp/amber-lsp/linker/jsonschema"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Validation messages (linker.md §4.1.2).
const (
	msgConfigWithoutSchema = "config was provided for a component that does not declare `config_schema`"
	prefixInvalidConfig    = "invalid config: "
	prefixInvalidStatic    = "invalid static config values: "
	// maxProblems is how many JSON Schema failures a message lists: the
	// first plus up to 7 more.
	maxProblems = 8
)

// Validate checks a component's composed template (defaults applied)
// against the component's own config_schema (linker.md §4.1.2). authored
// is the `config` written in the parent's declaration (nil when absent);
// it tells whether a config was given and locates schema failures.
//
// Results, in order: the no-schema error alone; nothing for Root; the
// non-object error alone; then `missing required field config.<path>` for
// the first required key the template lacks (unlocated), and the JSON
// Schema result: `invalid config: …` when the template is fully static,
// otherwise `invalid static config values: …` for its static subset with
// `required` pruned. Such an error is Located: its first failure's
// instance path (empty for the config object itself) is in Pointer. A
// validation that gives up (a schema too large to check, see
// jsonschema.MsgTooLarge) is such an error too, at the config object.
func Validate(t *Template, schema, authored *json5.Node) []*Error {
	return CompileSchema(schema).Validate(t, authored)
}

// Schema is a component's config_schema prepared once to validate the
// configs of all its instances (Schema.Validate). It is safe for
// concurrent use.
type Schema struct {
	node     *json5.Node
	compiled *jsonschema.Schema
	// defaults are what the schema's defaults give a config that leaves
	// everything out (configschema.DefaultsOf), worked out once: the
	// instances of a component share them.
	defaults func() configschema.SchemaDefaults

	// Once a validation has given up (jsonschema.MsgTooLarge: a schema
	// with a reference cycle whose branches take each other many times
	// over, where every validation may take the whole budget), the
	// results are kept by the value validated, so that the instances of
	// a component given one config pay once.
	mu       sync.Mutex
	tooLarge bool
	results  map[resultKey][]jsonschema.Error
}

// resultKey is a value validated: its JSON text, and whether it is a
// static subset (required pruned).
type resultKey struct {
	subset bool
	value  string
}

// maxResults bounds Schema.results; it starts over when full.
const maxResults = 256

// CompileSchema prepares a config_schema (nil: the component declares
// none) for Schema.Validate.
func CompileSchema(schema *json5.Node) *Schema {
	s := &Schema{node: schema}
	s.defaults = sync.OnceValue(func() configschema.SchemaDefaults { return configschema.DefaultsOf(schema) })
	if schema != nil {
		s.compiled = jsonschema.Compile(schema.Value())
	}
	return s
}

// Validate is Validate(t, schema, authored) for the compiled schema.
func (s *Schema) Validate(t *Template, authored *json5.Node) []*Error {
	schema := s.node
	if schema == nil {
		if authored != nil {
			return []*Error{{Stage: StageValidate, Text: msgConfigWithoutSchema}}
		}
		return nil
	}
	switch t.Kind {
	case Root:
		return nil
	case Object:
	default:
		return []*Error{{Stage: StageValidate, Text: msgComposedNotObject}}
	}
	var errs []*Error
	if miss := firstMissingRequired(schema, t, ""); miss != "" {
		holder := strings.Split(miss, ".")
		holder = holder[:len(holder)-1]
		errs = append(errs, &Error{Stage: StageValidate, Text: "missing required field config." + miss,
			Pointer: clonePath(holder), Node: nodeAt(authored, holder)})
	}
	prefix := prefixInvalidConfig
	v, static := t.Static()
	if !static {
		prefix, v = prefixInvalidStatic, staticSubset(t)
	}
	if e := schemaError(prefix, s.problems(v, !static), authored); e != nil {
		errs = append(errs, e)
	}
	return errs
}

// problems validates v against the schema (a static subset with
// `required` pruned when subset is set), from s.results when it is there.
func (s *Schema) problems(v any, subset bool) []jsonschema.Error {
	var key resultKey
	s.mu.Lock()
	remember := s.tooLarge
	s.mu.Unlock()
	if remember {
		text, err := scenario.Encode(v)
		if remember = err == nil; remember {
			key = resultKey{subset, string(text)}
			s.mu.Lock()
			problems, ok := s.results[key]
			s.mu.Unlock()
			if ok {
				return problems
			}
		}
	}
	var problems []jsonschema.Error
	if subset {
		problems = s.compiled.ValidateWith(v, jsonschema.Options{Skip: prunedRequired})
	} else {
		problems = s.compiled.Validate(v)
	}
	gaveUp := len(problems) > 0 && problems[0].TooLarge
	if !remember && !gaveUp {
		return problems
	}
	if !remember {
		text, err := scenario.Encode(v)
		if err != nil {
			return problems
		}
		key = resultKey{subset, string(text)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tooLarge = true
	if s.results == nil || len(s.results) >= maxResults {
		s.results = map[resultKey][]jsonschema.Error{}
	}
	s.results[key] = problems
	return problems
}

// schemaError joins JSON Schema failures into one error; nil for none.
func schemaError(prefix string, problems []jsonschema.Error, authored *json5.Node) *Error {
	if len(problems) == 0 {
		return nil
	}
	shown := problems
	if len(shown) > maxProblems {
		shown = shown[:maxProblems]
	}
	msgs := make([]string, len(shown))
	for i, p := range shown {
		msgs[i] = p.Message
	}
	first := problems[0].InstancePath
	e := &Error{Stage: StageValidate, Text: prefix + strings.Join(msgs, "; "), Problems: problems,
		Pointer: clonePath(first), Located: true}
	if authored != nil {
		e.Node = exactNodeAt(authored, first)
	}
	return e
}

// firstMissingRequired returns the dotted path of the first key that
// schema s requires and the template object lacks, as Amber's required-key
// check reads a schema: only where s itself has `properties`, the schema's
// own `required` in order, then the properties that are objects in the
// template and whose schemas literally have `properties` (key order). It
// follows no `$ref` and no `allOf`: a key required there is left to the
// JSON Schema pass (`invalid static config values: …` at the value).
func firstMissingRequired(s *json5.Node, t *Template, prefix string) string {
	props := s.Get("properties")
	if props == nil || props.Kind != json5.Object {
		return ""
	}
	if req := s.Get("required"); req != nil && req.Kind == json5.Array {
		for _, r := range req.Elems() {
			if r.Kind != json5.String {
				continue
			}
			if _, ok := t.Fields[r.Text]; !ok {
				return prefix + r.Text
			}
		}
	}
	var buf [8]member
	for _, m := range sortedMembers(props, buf[:0]) {
		f, ok := t.Fields[m.key]
		if !ok || f.Kind != Object || m.value.Get("properties") == nil {
			continue
		}
		if miss := firstMissingRequired(m.value, f, prefix+m.key+"."); miss != "" {
			return miss
		}
	}
	return ""
}

// staticSubset returns the static part of a template object: members
// whose values are static (objects reduced recursively; arrays with any
// runtime element dropped whole).
func staticSubset(t *Template) any {
	v, _ := subset(t)
	return v
}

func subset(t *Template) (any, bool) {
	switch t.Kind {
	case Literal:
		return t.Value, true
	case Object:
		m := make(map[string]any, len(t.Fields))
		for k, f := range t.Fields {
			if v, ok := subset(f); ok {
				m[k] = v
			}
		}
		return m, true
	case Array:
		return t.Static()
	}
	return nil, false
}

// prunedRequired reports whether a failure is one Amber's validation of a
// static subset does not see: it prunes `required` to the keys present
// only in the root schema and, recursively, in the `properties` schemas of
// the keys present, so a `required` failure is dropped when its keyword
// sits at the end of a chain of `properties` that follows the instance
// path (not under a `$ref` or an `allOf` branch).
func prunedRequired(p jsonschema.Error) bool {
	sp, ip := p.SchemaPath, p.InstancePath
	if len(sp) != 2*len(ip)+1 || sp[len(sp)-1] != "required" {
		return false
	}
	for i, seg := range ip {
		if sp[2*i] != "properties" || sp[2*i+1] != seg {
			return false
		}
	}
	return true
}
