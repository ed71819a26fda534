package testgen

import (
	"fmt"
	"strings"
)

// Fanout is how each definition of a DoublingSchema takes the next one
// twice.
type Fanout int

// The fan-outs of a DoublingSchema.
const (
	// FanoutProperties: d<i> is an object whose properties a and b both
	// refer to d<i+1>, so the schema describes 2^depth config paths.
	FanoutProperties Fanout = iota
	// FanoutAllOf: d<i> is `allOf` of two references to d<i+1>, so one
	// value is checked against d<depth> 2^depth times over.
	FanoutAllOf
	// FanoutAnyOf: d<i> is `anyOf` of two references to d<i+1>; a value
	// d<depth> rejects is tried against it 2^depth times over.
	FanoutAnyOf
)

// String names the fan-out for test names.
func (f Fanout) String() string {
	switch f {
	case FanoutProperties:
		return "properties"
	case FanoutAllOf:
		return "allOf"
	case FanoutAnyOf:
		return "anyOf"
	}
	return fmt.Sprintf("Fanout(%d)", int(f))
}

// Fanouts are all the fan-outs, for table-driven tests.
var Fanouts = []Fanout{FanoutProperties, FanoutAllOf, FanoutAnyOf}

// DoublingSchema is a config_schema of a few hundred bytes per level whose
// definitions refer to each other twice over: the root's property v
// refers to d0, each d<i> takes d<i+1> twice (as Fanout says) and
// d<depth> is a string whose default is "x". Expanding its references
// naively visits d<depth> 2^Depth times.
type DoublingSchema struct {
	Depth  int    // the definitions d0 … d<Depth>
	Fanout Fanout // how each takes the next one twice
	// Cyclic makes d<depth> refer back to d0 (in an `allOf`), a reference
	// cycle, so that what a walk finds at a node depends on the targets it
	// is expanding.
	Cyclic bool
	// Detours makes d<i> take d<i+1> through two definitions of their own,
	// e<i> and f<i>, so that the targets being expanded differ on each of
	// the 2^Depth ways to d<Depth>.
	Detours bool
}

// String names the schema for test names: its fan-out, "detours" and
// "cyclic".
func (s DoublingSchema) String() string {
	name := s.Fanout.String()
	if s.Detours {
		name += " detours"
	}
	if s.Cyclic {
		name += " cyclic"
	}
	return name
}

// Schema returns the config_schema's text (JSON5, on one line).
func (s DoublingSchema) Schema() string {
	var b strings.Builder
	b.WriteString(`{ type: "object", $defs: {`)
	for i := range s.Depth {
		one := fmt.Sprintf(`{ $ref: "#/$defs/d%d" }`, i+1)
		two := one
		if s.Detours {
			fmt.Fprintf(&b, ` e%d: %s, f%d: %s,`, i, one, i, one)
			one = fmt.Sprintf(`{ $ref: "#/$defs/e%d" }`, i)
			two = fmt.Sprintf(`{ $ref: "#/$defs/f%d" }`, i)
		}
		switch s.Fanout {
		case FanoutProperties:
			fmt.Fprintf(&b, ` d%d: { type: "object", properties: { a: %s, b: %s } },`, i, one, two)
		case FanoutAllOf:
			fmt.Fprintf(&b, ` d%d: { allOf: [%s, %s] },`, i, one, two)
		case FanoutAnyOf:
			fmt.Fprintf(&b, ` d%d: { anyOf: [%s, %s] },`, i, one, two)
		}
	}
	back := ""
	if s.Cyclic {
		back = `, allOf: [{ $ref: "#/$defs/d0" }]`
	}
	fmt.Fprintf(&b, ` d%d: { type: "string", default: "x"%s } }, properties: { v: { $ref: "#/$defs/d0" } } }`, s.Depth, back)
	return b.String()
}

// Value returns a config value for property v (JSON5 text): for
// FanoutProperties an object that follows the `a` members down all the
// levels ({ a: { a: ... "x" } }), otherwise the string at the end alone.
// valid false puts the number 1 there instead, which d<depth> rejects.
func (s DoublingSchema) Value(valid bool) string {
	end := `"x"`
	if !valid {
		end = "1"
	}
	if s.Fanout != FanoutProperties {
		return end
	}
	return strings.Repeat("{ a: ", s.Depth) + end + strings.Repeat(" }", s.Depth)
}

// ValuePath is the config path of the end of Value: "v", or for
// FanoutProperties "v.a.a…".
func (s DoublingSchema) ValuePath() string {
	if s.Fanout != FanoutProperties {
		return "v"
	}
	return "v" + strings.Repeat(".a", s.Depth)
}

// Tree returns the files of a scenario that gives a child with this
// config_schema a static config (Value(valid)) and whose child program
// reads it (${config.<ValuePath>}): root.json5 and child.json5.
func (s DoublingSchema) Tree(valid bool) map[string]string {
	root := `{
  manifest_version: "0.4.0",
  components: {
    c: { manifest: "./child.json5", config: { v: ` + s.Value(valid) + ` } },
  },
}
`
	child := `{
  manifest_version: "0.4.0",
  config_schema: ` + s.Schema() + `,
  program: {
    image: "busybox",
    entrypoint: ["echo", "${config.` + s.ValuePath() + `}"],
  },
}
`
	return map[string]string{"root.json5": root, "child.json5": child}
}
