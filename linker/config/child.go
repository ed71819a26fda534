package config

import "github.com/amberlsp/amber-lsp/manifest/json5"

// msgDefaultsNotObject is Amber's text for a schema whose defaults
// (configschema.DefaultsOf) are something other than an object: the
// schema's own `default` (or one beside its `$ref` or in an `allOf`
// branch) is a string, a number, an array or null. Amber's walk fails
// first at a `$ref` it cannot follow; that failure is not reported here
// (SchemaDefaults.Err), so neither is this one then.
const msgDefaultsNotObject = "component config defaults must resolve to an object"

// RootTemplate returns the template of a root component: Root when it
// declares a config_schema (its config arrives at run time), `{}`
// otherwise.
func RootTemplate(schema *json5.Node) *Template {
	if schema == nil {
		return EmptyObject()
	}
	return RootNode()
}

// ChildTemplate builds the template of a non-root component (linker.md
// §4.1.1): without a schema of its own, `{}` (a `config` given anyway is
// reported by Validate); with one, the authored config (nil = `{}`) is
// parsed against the parent's schema, composed against the parent's
// template, simplified, and filled with the child schema's defaults, which
// must make an object (msgDefaultsNotObject). On error the component's
// template is `{}` (EmptyObject).
func ChildTemplate(authored, parentSchema *json5.Node, parent *Template, childSchema *json5.Node) (*Template, *Error) {
	return CompileSchema(childSchema).ChildTemplate(authored, parentSchema, parent)
}

// ChildTemplate is ChildTemplate for a child whose config_schema is s: the
// linker's, whose schema defaults are worked out once for all the
// instances of the child.
func (s *Schema) ChildTemplate(authored, parentSchema *json5.Node, parent *Template) (*Template, *Error) {
	if s.node == nil {
		return EmptyObject(), nil
	}
	t, err := parseAndCompose(authored, parentSchema, parent)
	if err != nil {
		return nil, err
	}
	if d := s.defaults(); d.Set && d.Err == nil && !d.TooLarge {
		if _, ok := d.Value.(map[string]any); !ok {
			return nil, composeError(msgDefaultsNotObject)
		}
	}
	return s.ApplyDefaults(t), nil
}

// UseConfig composes the `config` of a `use` entry for the helper scenario
// (overlays.md §6.1): parsed against the scope root's schema and composed
// against the scope root's template like a child's config, without
// defaults and without validation. WriteBack turns the result into the
// helper component's `config`.
func UseConfig(authored, scopeSchema *json5.Node, scope *Template) (*Template, *Error) {
	return parseAndCompose(authored, scopeSchema, scope)
}

// parseAndCompose parses an authored config against the schema of the
// component it is composed against, composes it against that component's
// template and simplifies it: what a child's config and a `use` config
// share. A composition error points at the authored value it is about.
func parseAndCompose(authored, parentSchema *json5.Node, parent *Template) (*Template, *Error) {
	t, err := Parse(authored, parentSchema)
	if err != nil {
		return nil, err
	}
	t, err = Compose(t, parent)
	if err != nil {
		err.Node = nodeAt(authored, err.Pointer)
		return nil, err
	}
	return Simplify(t), nil
}

// FirstProblem composes a config like a child's (ChildTemplate) and
// validates it (Validate), returning the template and the first problem,
// as the overlay pass's plan validation needs for an interposer's config
// (overlays.md §10 step 4: `interposer config is invalid: {message}`).
// The template is `{}` when composition failed.
func FirstProblem(authored, parentSchema *json5.Node, parent *Template, schema *json5.Node) (*Template, *Error) {
	compiled := CompileSchema(schema)
	t, err := compiled.ChildTemplate(authored, parentSchema, parent)
	if err != nil {
		return EmptyObject(), err
	}
	if errs := compiled.Validate(t, authored); len(errs) > 0 {
		return t, errs[0]
	}
	return t, nil
}
