package config

import (
	"errors"

	"github.com/amberlsp/amber-lsp/manifest/interp"
)

// State says what a config path holds at compile time.
type State uint8

// States of a resolved config path.
const (
	// Static: the value is known (Resolution.Value).
	Static State = iota
	// Runtime: the value comes from runtime root config, in whole or in
	// part (Resolution.Node says how).
	Runtime
	// Absent: the path does not exist in the template (Resolution.Reason
	// says why).
	Absent
)

var stateNames = [...]string{"static", "runtime", "absent"}

// String names the state.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "state?"
}

// Resolution is what a component's template holds at a config path.
type Resolution struct {
	State State // static, runtime or absent; says which fields below are set
	// Value is the JSON value of a Static path. Symbolic nodes count as
	// static text: a program receives `${config.p}` for SymbolicConfigRef(p)
	// and the text of a SymbolicString (overlays.md §6.2).
	Value any
	// Node is the template node at the path (Static and Runtime). For a Root
	// template it is ConfigRef(path).
	Node *Template
	// Reason is Amber's text for why the path cannot be followed at compile
	// time: set for Absent (missing key, non-object), and for Runtime when
	// the path descends below a root reference (Node is that reference).
	Reason string
}

// Resolve looks config path p ("" = the whole config) up in a component's
// template, for program lowering: is the value static, runtime-derived or
// absent.
func Resolve(t *Template, p string) Resolution {
	if t.Kind == Root {
		return Resolution{State: Runtime, Node: Ref(p)}
	}
	n, reason := walk(t, p)
	if reason != "" {
		if n.Kind == ConfigRef {
			return Resolution{State: Runtime, Node: n, Reason: reason}
		}
		return Resolution{State: Absent, Reason: reason}
	}
	if v, ok := materialise(n); ok {
		return Resolution{State: Static, Value: v, Node: n}
	}
	return Resolution{State: Runtime, Node: n}
}

// materialise returns the compile-time value of a node, symbolic nodes as
// their text; false when some part comes from runtime root config.
func materialise(t *Template) (any, bool) {
	switch t.Kind {
	case Literal:
		return t.Value, true
	case SymbolicConfigRef:
		return placeholder(t.Path), true
	case SymbolicString:
		return t.Text, true
	case Object:
		m := make(map[string]any, len(t.Fields))
		for k, f := range t.Fields {
			v, ok := materialise(f)
			if !ok {
				return nil, false
			}
			m[k] = v
		}
		return m, true
	case Array:
		a := make([]any, len(t.Elems))
		for i, e := range t.Elems {
			v, ok := materialise(e)
			if !ok {
				return nil, false
			}
			a[i] = v
		}
		return a, true
	}
	return nil, false
}

// RenderString renders an interpolated string statically against a
// component's template (linker.md §4.1.3): literal text plus each
// `${config.q}` replaced by the interpolation rendering of its static
// value. A path that leads into runtime root config is static when every
// value the root can give it agrees (see Analyze; s holds the schemas that
// decides with); a path the template lacks takes the component's default,
// and without one is runtime config too. It returns the string, or Amber's
// reason why it cannot be rendered, e.g. `config.q depends on runtime root
// config, which is not available at compile time` or `slot interpolation
// is not allowed in resource params`.
func RenderString(t *Template, s Schemas, text string) (string, string) {
	tpl, err := interp.Parse(text)
	if err != nil {
		var ie *interp.Error
		if errors.As(err, &ie) {
			return "", ie.Message
		}
		return "", err.Error()
	}
	var out []byte
	for _, part := range tpl.Parts {
		if part.Kind == interp.Literal {
			out = append(out, part.Text...)
			continue
		}
		switch part.Ref.Source {
		case interp.Config:
		case interp.Slots:
			return "", "slot interpolation is not allowed in resource params"
		default:
			return "", "unsupported interpolation source " + part.Ref.Source.String() + " in resource params"
		}
		q := part.Ref.Query
		r := Resolve(t, q)
		value := r.Value
		if r.State != Static {
			// A path the template lacks reads the component's defaults
			// (Analyze), and without one is runtime config.
			v, static := Analyze(t, s, q).Static()
			if !static {
				name := "config"
				if q != "" {
					name += "." + q
				}
				return "", name + " depends on runtime root config, which is not available at compile time"
			}
			value = v
		}
		text, ok := RenderValue(value)
		if !ok {
			return "", msgInterpolateNull
		}
		out = append(out, text...)
	}
	return string(out), ""
}

// RenderResourceParam renders `resources.<resource>.params.<param>`
// statically; failures read `failed to resolve resources.<r>.params.<p>:
// {reason}` (StageRender, unlocated: the span is the param value).
func RenderResourceParam(t *Template, schemas Schemas, resource, param, text string) (string, *Error) {
	s, reason := RenderString(t, schemas, text)
	if reason != "" {
		return "", &Error{Stage: StageRender, Text: "failed to resolve resources." + resource + ".params." + param + ": " + reason}
	}
	return s, nil
}
