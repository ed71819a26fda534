package config

import (
	"errors"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Messages of the authored-config table (linker.md §4.1.1).
const (
	msgNotObject      = "component config must be a JSON object"
	msgSlots          = "slot interpolation is not allowed in component config templates"
	msgItem           = "unsupported interpolation source item in component config template"
	msgSymbolicConfig = "`$symbolic_config` value must be a string"
	msgSymbolicString = "`$symbolic_string` value must be a string"
	msgInvalidValue   = "component config contains a value that is not valid JSON5"
)

// Object keys that mark the object forms of symbolic values.
const (
	KeySymbolicConfig = "$symbolic_config"
	KeySymbolicString = "$symbolic_string"
)

// Parse reads an authored config value (the `config` of a component or
// `use` declaration; nil means absent, read as `{}`) against the parent's
// config_schema (nil: the parent declares none). Every `${config.p}` and
// `$${config.p}` is checked against that schema. Object members are read
// in byte-wise key order, the last of repeated keys winning, so the first
// error is the one Amber meets first. Errors are StageParse, located at the
// offending value.
func Parse(authored, parentSchema *json5.Node) (*Template, *Error) {
	if authored == nil {
		return EmptyObject(), nil
	}
	if authored.Kind != json5.Object {
		return nil, parseError(msgNotObject, nil, authored)
	}
	p := &parser{schema: parentSchema}
	return p.node(authored, make([]string, 0, 8))
}

type parser struct {
	schema *json5.Node
}

func (p *parser) node(n *json5.Node, ptr []string) (*Template, *Error) {
	switch n.Kind {
	case json5.Null, json5.Bool, json5.Number:
		return Lit(n.Value()), nil
	case json5.String:
		return p.str(n, ptr)
	case json5.Array:
		elems := make([]*Template, len(n.Elems()))
		for i, e := range n.Elems() {
			t, err := p.node(e, pathPush(ptr, itoa(i)))
			if err != nil {
				return nil, err
			}
			elems[i] = t
		}
		return Arr(elems...), nil
	case json5.Object:
		return p.object(n, ptr)
	}
	return nil, parseError(msgInvalidValue, ptr, n)
}

// object reads an object: the `$symbolic_config` / `$symbolic_string`
// forms, or its members in key order.
func (p *parser) object(n *json5.Node, ptr []string) (*Template, *Error) {
	var buf [8]member
	members := sortedMembers(n, buf[:0])
	if v := lookupMember(members, KeySymbolicConfig); v != nil {
		if v.Kind != json5.String {
			return nil, parseError(msgSymbolicConfig, pathPush(ptr, KeySymbolicConfig), v)
		}
		if err := p.checkPath(v.Text, true, pathPush(ptr, KeySymbolicConfig), v); err != nil {
			return nil, err
		}
		return SymRef(v.Text), nil
	}
	if v := lookupMember(members, KeySymbolicString); v != nil {
		if v.Kind != json5.String {
			return nil, parseError(msgSymbolicString, pathPush(ptr, KeySymbolicString), v)
		}
		return SymStr(v.Text), nil
	}
	fields := make(map[string]*Template, len(members))
	for _, m := range members {
		t, err := p.node(m.value, pathPush(ptr, m.key))
		if err != nil {
			return nil, err
		}
		fields[m.key] = t
	}
	return Obj(fields), nil
}

// member is an object member: its key and value.
type member struct {
	key   string
	value *json5.Node
}

// sortedMembers appends to buf the members of object n in byte-wise key
// order, the last of repeated keys only, and returns the result.
func sortedMembers(n *json5.Node, buf []member) []member {
	ms := buf
	for _, mem := range n.Members {
		ms = append(ms, member{mem.Key.Name, mem.Value})
	}
	// Stable: of equal keys, the last authored stays last.
	slices.SortStableFunc(ms, func(a, b member) int { return strings.Compare(a.key, b.key) })
	out := ms[:0]
	for i, m := range ms {
		if i+1 < len(ms) && ms[i+1].key == m.key {
			continue
		}
		out = append(out, m)
	}
	return out
}

// lookupMember returns the value of key in sorted members, or nil.
func lookupMember(members []member, key string) *json5.Node {
	if i, ok := slices.BinarySearchFunc(members, key, func(m member, k string) int { return strings.Compare(m.key, k) }); ok {
		return members[i].value
	}
	return nil
}

// str reads a string: a symbolic reference, a literal, one config
// reference, or a string template.
func (p *parser) str(n *json5.Node, ptr []string) (*Template, *Error) {
	s := n.Text
	if !strings.Contains(s, "${") {
		return Lit(s), nil // no placeholder, symbolic or not
	}
	tpl, err := interp.ParseSymbolic(s)
	if err != nil {
		var ie *interp.Error
		if errors.As(err, &ie) {
			return nil, parseError(ie.Message, ptr, n)
		}
		return nil, parseError(err.Error(), ptr, n)
	}
	if ref, ok := tpl.Symbolic(); ok {
		if err := p.checkPath(ref.Query, true, ptr, n); err != nil {
			return nil, err
		}
		return SymRef(ref.Query), nil
	}
	if len(tpl.Parts) == 0 || tpl.IsLiteral() {
		return Lit(s), nil
	}
	parts := make([]Part, 0, len(tpl.Parts))
	for _, part := range tpl.Parts {
		if part.Kind == interp.Literal {
			parts = append(parts, LitPart(part.Text))
			continue
		}
		switch part.Ref.Source {
		case interp.Slots:
			return nil, parseError(msgSlots, ptr, n)
		case interp.Item:
			return nil, parseError(msgItem, ptr, n)
		}
		if err := p.checkPath(part.Ref.Query, false, ptr, n); err != nil {
			return nil, err
		}
		parts = append(parts, ConfigPart(part.Ref.Query))
	}
	if len(parts) == 1 && parts[0].Config {
		return Ref(parts[0].Text), nil
	}
	return Str(parts...), nil
}

// checkPath checks a parent config path used by a normal or symbolic
// reference against the parent's schema.
func (p *parser) checkPath(path string, symbolic bool, ptr []string, n *json5.Node) *Error {
	if p.schema == nil {
		shown := "${config"
		what := "normal config interpolation "
		if symbolic {
			shown, what = "$${config", "symbolic config interpolation "
		}
		if path != "" {
			shown += "." + path
		}
		return parseError(what+shown+"} is not allowed because the parent component has no `config_schema`", ptr, n)
	}
	if outcome, _, reason := configschema.Lookup(p.schema, path); outcome == configschema.Missing {
		return parseError("invalid parent config reference "+diag.DebugQuote(path)+": "+reason, ptr, n)
	}
	return nil
}
