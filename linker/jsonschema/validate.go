package jsonschema

import (
	"regexp"
	"slices"
	"strings"
)

// Error is one validation failure.
type Error struct {
	// InstancePath is the location of the offending value as JSON pointer
	// segments (array indexes in decimal); empty for the instance itself.
	InstancePath []string
	// SchemaPath is the location of the failing keyword: the segments from
	// the root schema to the keyword, through "$ref" where a reference was
	// followed (so it is an evaluation path, not always a pointer).
	SchemaPath []string
	// Message is the crate's text, e.g. `"one" is not of type "integer"`.
	Message string
}

// Pointer returns InstancePath as a JSON pointer ("" for the root).
func (e Error) Pointer() string { return pointer(e.InstancePath) }

// SchemaPointer returns SchemaPath as a JSON pointer.
func (e Error) SchemaPointer() string { return pointer(e.SchemaPath) }

// String returns the error's message.
func (e Error) String() string { return e.Message }

func pointer(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		s = strings.ReplaceAll(s, "~", "~0")
		b.WriteString(strings.ReplaceAll(s, "/", "~1"))
	}
	return b.String()
}

// Validate validates instance against schema and returns every failure in
// the crate's order; nil means valid. `$ref`s resolve against schema.
func Validate(schema, instance any) []Error {
	return ValidateWithRoot(schema, schema, instance)
}

// ValidateWithRoot validates instance against schema, a subschema of root
// (for example the schema of one config property): local `$ref`s resolve
// against root.
func ValidateWithRoot(root, schema, instance any) []Error {
	root = normalize(root)
	if schema != nil {
		schema = normalize(schema)
	}
	return validate(root, schema, normalize(instance))
}

// validate evaluates normalised values: first only whether the instance
// is valid, which most are, then, for an invalid one, every failure in
// order.
func validate(root, schema, instance any) []Error {
	e := &evaluator{root: root, quick: true}
	if len(e.eval(schema, instance, nil, nil)) == 0 {
		return nil
	}
	e.quick = false
	return e.eval(schema, instance, nil, nil)
}

// Schema is a schema prepared once to validate many instances: a
// component's config_schema, against which the config of each of its
// instances is validated. It is safe for concurrent use.
type Schema struct {
	root any // normalised
}

// Compile prepares schema for Schema.Validate.
func Compile(schema any) *Schema { return &Schema{root: normalize(schema)} }

// Validate is Validate(schema, instance) for the compiled schema.
func (s *Schema) Validate(instance any) []Error {
	return validate(s.root, s.root, normalize(instance))
}

// Valid reports whether instance is valid against schema.
func Valid(schema, instance any) bool { return len(Validate(schema, instance)) == 0 }

// maxDepth bounds schema nesting during evaluation, so pathological
// reference chains end instead of exhausting the stack.
const maxDepth = 1024

type evaluator struct {
	root       any
	active     map[activeRef]bool        // the references being expanded
	regexps    map[string]*regexp.Regexp // made on first use
	badRegexps map[string]error
	depth      int
	// quick evaluates only whether the instance is valid: keywords and
	// members in any order, stopping at the first failure, whose paths
	// and place among others do not matter. Every keyword's outcome is
	// independent of the others', so the instance is valid in quick mode
	// exactly when it is in full.
	quick bool
}

// activeRef is a reference being expanded at an instance location, named
// by its depth: the locations of one chain of evaluations each extend the
// one before, so two of them with the same depth are the same.
type activeRef struct {
	ref   string
	depth int
}

// blankPath backs the paths of quick mode: only their lengths are read.
var blankPath [64]string

// push returns p with s appended, without sharing p's backing array. In
// quick mode it returns a path of the right length, of blank segments.
func (e *evaluator) push(p []string, s ...string) []string {
	if n := len(p) + len(s); e.quick && n <= len(blankPath) {
		return blankPath[:n:n]
	}
	q := make([]string, len(p), len(p)+len(s))
	copy(q, p)
	return append(q, s...)
}

// stop reports whether a loop of evaluations can end at errs: in quick
// mode, at the first failure.
func (e *evaluator) stop(errs []Error) bool { return e.quick && len(errs) > 0 }

// keys appends the keys of m to buf in byte-wise order (in quick mode, in
// any) and returns the result.
func (e *evaluator) keys(m map[string]any, buf []string) []string {
	for k := range m {
		buf = append(buf, k)
	}
	if !e.quick {
		slices.Sort(buf)
	}
	return buf
}

// eval validates v (at instance path ip) against schema s (at schema path
// sp).
func (e *evaluator) eval(s, v any, ip, sp []string) []Error {
	switch x := s.(type) {
	case bool:
		if x {
			return nil
		}
		return []Error{{InstancePath: ip, SchemaPath: sp, Message: "False schema does not allow " + Render(v)}}
	case map[string]any:
		if e.depth >= maxDepth {
			return nil
		}
		e.depth++
		defer func() { e.depth-- }()
		var errs []Error
		var buf [16]string
		for _, kw := range e.keys(x, buf[:0]) {
			errs = append(errs, e.keyword(x, kw, x[kw], v, ip, sp)...)
			if e.stop(errs) {
				break
			}
		}
		return errs
	}
	// Not a schema (the meta-schema check reports it): nothing to check.
	return nil
}

// valid reports whether v is valid against s, evaluated in quick mode.
func (e *evaluator) valid(s, v any, ip, sp []string) bool {
	quick := e.quick
	e.quick = true
	ok := len(e.eval(s, v, ip, sp)) == 0
	e.quick = quick
	return ok
}

// fail builds a one-error result.
func fail(ip, sp []string, msg string) []Error {
	return []Error{{InstancePath: ip, SchemaPath: sp, Message: msg}}
}

// keyword evaluates one keyword of schema object s.
func (e *evaluator) keyword(s map[string]any, kw string, val, v any, ip, sp []string) []Error {
	ksp := e.push(sp, kw)
	switch kw {
	case "$ref":
		return e.ref(val, v, ip, ksp)
	case "type":
		return typeKeyword(val, v, ip, ksp)
	case "enum":
		return enumKeyword(val, v, ip, ksp)
	case "const":
		if !equal(val, v) {
			return fail(ip, ksp, Render(val)+" was expected")
		}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return boundKeyword(kw, val, v, ip, ksp)
	case "multipleOf":
		return multipleOfKeyword(val, v, ip, ksp)
	case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
		return countKeyword(kw, val, v, ip, ksp)
	case "pattern":
		return e.patternKeyword(val, v, ip, ksp)
	case "uniqueItems":
		return uniqueItemsKeyword(val, v, ip, ksp)
	case "items":
		return e.itemsKeyword(s, val, v, ip, ksp)
	case "prefixItems":
		return e.prefixItemsKeyword(val, v, ip, ksp)
	case "contains":
		return e.containsKeyword(s, val, v, ip, ksp)
	case "properties":
		if handledByAdditional(s) {
			return nil
		}
		return e.propertiesKeyword(val, v, ip, ksp)
	case "patternProperties":
		if handledByAdditional(s) {
			return nil
		}
		return e.patternPropertiesKeyword(val, v, ip, ksp)
	case "additionalProperties":
		return e.additionalPropertiesKeyword(s, val, v, ip, sp)
	case "propertyNames":
		return e.propertyNamesKeyword(val, v, ip, ksp)
	case "required":
		return requiredKeyword(val, v, ip, ksp)
	case "allOf":
		var errs []Error
		for i, sub := range asArray(val) {
			errs = append(errs, e.eval(sub, v, ip, e.push(ksp, itoa(i)))...)
			if e.stop(errs) {
				break
			}
		}
		return errs
	case "anyOf":
		for i, sub := range asArray(val) {
			if e.valid(sub, v, ip, e.push(ksp, itoa(i))) {
				return nil
			}
		}
		return fail(ip, ksp, Render(v)+" is not valid under any of the schemas listed in the 'anyOf' keyword")
	case "oneOf":
		n := 0
		for i, sub := range asArray(val) {
			if e.valid(sub, v, ip, e.push(ksp, itoa(i))) {
				n++
			}
		}
		switch {
		case n == 0:
			return fail(ip, ksp, Render(v)+" is not valid under any of the schemas listed in the 'oneOf' keyword")
		case n > 1:
			return fail(ip, ksp, Render(v)+" is valid under more than one of the schemas listed in the 'oneOf' keyword")
		}
	case "not":
		if e.valid(val, v, ip, ksp) {
			return fail(ip, ksp, Render(val)+" is not allowed for "+Render(v))
		}
	case "if":
		if e.valid(val, v, ip, ksp) {
			if then, ok := s["then"]; ok {
				return e.eval(then, v, ip, e.push(sp, "then"))
			}
		} else if els, ok := s["else"]; ok {
			return e.eval(els, v, ip, e.push(sp, "else"))
		}
	}
	return nil
}

// handledByAdditional reports whether additionalProperties takes over the
// evaluation of properties and patternProperties (it is false or a schema).
func handledByAdditional(s map[string]any) bool {
	switch ap := s["additionalProperties"].(type) {
	case bool:
		return !ap
	case map[string]any:
		return true
	}
	return false
}

func asArray(v any) []any {
	a, _ := v.([]any)
	return a
}
