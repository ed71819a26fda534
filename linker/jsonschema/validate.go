package jsonschema

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/amberlsp/amber-lsp/internal/visitset"
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
	// TooLarge marks the one failure of a validation that gave up
	// (MsgTooLarge): whether the instance is valid is not known.
	TooLarge bool
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

// Validate validates instance against schema and returns the failures in
// the crate's order, the first MaxErrors of them; nil means valid. `$ref`s
// resolve against schema.
//
// A validation evaluates each schema object at most once per instance
// value, however many references lead to it, so its cost is at most that
// of the schema times the instance; but where an evaluation can come back
// to a schema object at the same value (a reference cycle such as
// `a: { allOf: [{ $ref: b }] }, b: { $ref: a }`), what it finds there
// depends on the way it came, and it cannot remember: it then gives up
// after 16,384 evaluations and 16 more per value of the instance, with
// the one failure MsgTooLarge.
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
	return validate(root, schema, normalize(instance), Options{}, nil)
}

// Options limit what a validation reports.
type Options struct {
	// Limit, when positive, ends the validation once it has found that
	// many failures: it returns the first Limit of the failures in order.
	// It is MaxErrors when not positive or larger.
	Limit int
	// Skip, when set, drops the failures it reports true for, as if the
	// schema had not produced them; they do not count toward Limit.
	Skip func(Error) bool
}

// MsgTooLarge is the message of the failure a validation ends with when it
// has evaluated more schema objects than its budget allows without
// remembering what it found (a schema with a reference cycle whose
// branches refer to each other many times over): it does not say whether
// the instance is valid.
const MsgTooLarge = "config definition is too large to check"

// The budget of a validation: how many schema objects it evaluates at
// most, baseSteps and stepsPerValue for each value in the instance (a
// validation that remembers evaluates each schema object at most once per
// value; a few per value is the rule).
const (
	baseSteps     = 1 << 14
	stepsPerValue = 16
)

// budget returns the evaluations a validation of instance may make.
func budget(instance any) int {
	n := 0
	var count func(v any)
	count = func(v any) {
		n++
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				count(e)
			}
		case []any:
			for _, e := range x {
				count(e)
			}
		}
	}
	count(instance)
	return baseSteps + stepsPerValue*n
}

// MaxErrors is how many failures a validation returns at most: the first
// ones, in order.
const MaxErrors = 1000

// validate evaluates normalised values: first only whether the instance
// is valid, which most are, then, for an invalid one, the failures in
// order. acyclic, when set, says whether no evaluation of the schema can
// come back to a schema object at the same instance value (the memo's
// condition, inPlaceAcyclic); nil computes it when it is needed.
func validate(root, schema, instance any, o Options, acyclic func() bool) []Error {
	if o.Limit <= 0 || o.Limit > MaxErrors {
		o.Limit = MaxErrors
	}
	e := &evaluator{root: root, quick: true, limit: o.Limit, skip: o.Skip, acyclic: acyclic, maxSteps: budget(instance)}
	if e.acyclic == nil {
		e.acyclic = func() bool { return inPlaceAcyclic(root, schema) }
	}
	valid := len(e.eval(schema, instance, nil, nil)) == 0
	if !e.tooLarge && valid {
		return nil
	}
	var errs []Error
	if !e.tooLarge {
		e.quick = false
		errs = e.eval(schema, instance, nil, nil)
	}
	if e.tooLarge {
		return []Error{{InstancePath: []string{}, SchemaPath: []string{}, Message: MsgTooLarge, TooLarge: true}}
	}
	if len(errs) > e.limit {
		errs = errs[:e.limit]
	}
	return errs
}

// Schema is a schema prepared once to validate many instances: a
// component's config_schema, against which the config of each of its
// instances is validated. It is safe for concurrent use.
type Schema struct {
	root any // normalised

	acyclicOnce sync.Once
	acyclic     bool // inPlaceAcyclic(root), once asked
}

// Compile prepares schema for Schema.Validate.
func Compile(schema any) *Schema { return &Schema{root: normalize(schema)} }

// Validate is Validate(schema, instance) for the compiled schema.
func (s *Schema) Validate(instance any) []Error {
	return s.ValidateWith(instance, Options{})
}

// ValidateWith is Validate with the options o.
func (s *Schema) ValidateWith(instance any, o Options) []Error {
	return validate(s.root, s.root, normalize(instance), o, s.isAcyclic)
}

func (s *Schema) isAcyclic() bool {
	s.acyclicOnce.Do(func() { s.acyclic = inPlaceAcyclic(s.root, s.root) })
	return s.acyclic
}

// Valid reports whether instance is valid against schema.
func Valid(schema, instance any) bool { return len(Validate(schema, instance)) == 0 }

// maxDepth bounds schema nesting during evaluation, so pathological
// reference chains end instead of exhausting the stack.
const maxDepth = 1024

type evaluator struct {
	root       any
	active     map[activeRef]bool        // the references being expanded
	targets    map[string]target         // what the references met resolve to
	regexps    map[string]*regexp.Regexp // made on first use
	badRegexps map[string]error
	depth      int
	// quick evaluates only whether the instance is valid: keywords and
	// members in any order, stopping at the first failure, whose paths
	// and place among others do not matter. Every keyword's outcome is
	// independent of the others', so the instance is valid in quick mode
	// exactly when it is in full.
	quick bool

	limit int              // Options.Limit
	skip  func(Error) bool // Options.Skip
	found int              // the failures reported in full mode, skipped ones aside

	steps    int  // schema objects evaluated
	maxSteps int  // the budget of steps
	tooLarge bool // steps went past maxSteps: every evaluation ends
	// memo holds whether an instance value is valid against a schema
	// object, once the evaluator remembers (remembering).
	memo      map[memoKey]bool
	memoState int8 // 0: not decided, 1: remembering by object and value, 2: and the active references
	acyclic   func() bool
	// sets names the chains of references active at one instance
	// location; activeAt holds the current one for each depth (len(ip)).
	sets     visitset.Sets[string]
	activeAt []visitset.ID
	blank    []string // backs the paths of quick mode: only their lengths are read
}

// memoKey is a schema object, an instance value (a scalar itself, a
// container its identity) and, where they count, the references active
// at the value.
type memoKey struct {
	schema   unsafe.Pointer
	instance any
	active   visitset.ID
}

// containerID is an object's or array's identity.
type containerID struct {
	p unsafe.Pointer
	n int
}

// memoAfter is how many schema objects an evaluation takes before it asks
// whether it may remember: most end sooner. (A variable for tests.)
var memoAfter = 256

// remembering reports whether quick results are remembered, deciding it
// once memoAfter evaluations have been made (most validations end
// sooner), and how. The validity of a value against a schema object
// depends on the references active at the value as well (one met again
// is taken as valid), unless no evaluation of a schema object can lead
// back to it at the same value (e.acyclic): then on nothing else. So
// remembering by the object, the value and, but for such a schema, the
// active references is exact. (The nesting bound maxDepth, which only a
// chain of over a thousand objects reaches, is then applied where a
// value is first met.)
func (e *evaluator) remembering() bool {
	if e.memoState == 0 && e.steps >= memoAfter {
		e.memoState = 2
		if e.acyclic != nil && e.acyclic() {
			e.memoState = 1
		}
		e.memo = map[memoKey]bool{}
	}
	return e.memoState > 0
}

// activeSet returns the chain of references active at depth d.
func (e *evaluator) activeSet(d int) visitset.ID {
	if d < len(e.activeAt) {
		return e.activeAt[d]
	}
	return visitset.Empty
}

// memoKeyOf returns the memo key of schema object s and value v; false
// when v cannot be a key (a value of another Go type).
func memoKeyOf(s map[string]any, v any) (memoKey, bool) {
	k := memoKey{schema: reflect.ValueOf(s).UnsafePointer()}
	switch x := v.(type) {
	case map[string]any:
		k.instance = containerID{reflect.ValueOf(x).UnsafePointer(), len(x)}
	case []any:
		k.instance = containerID{unsafe.Pointer(unsafe.SliceData(x)), len(x)}
	case nil, bool, string, int64, float64:
		k.instance = v
	default:
		return k, false
	}
	return k, true
}

// invalid is the result of a quick evaluation remembered as invalid.
var invalid = []Error{{Message: "invalid"}}

// report takes the failures a keyword itself found (not those of the
// subschemas it evaluates) in full mode: it drops those Options.Skip
// drops and counts the others toward Options.Limit.
func (e *evaluator) report(errs []Error) []Error {
	if e.quick || len(errs) == 0 {
		return errs
	}
	if e.skip != nil {
		var kept []Error
		for _, err := range errs {
			if !e.skip(err) {
				kept = append(kept, err)
			}
		}
		errs = kept
	}
	e.found += len(errs)
	return errs
}

// activeRef is a reference being expanded at an instance location, named
// by its depth: the locations of one chain of evaluations each extend the
// one before, so two of them with the same depth are the same.
type activeRef struct {
	ref   string
	depth int
}

// push returns p with s appended, without sharing p's backing array. In
// quick mode it returns a path of the right length, of blank segments.
func (e *evaluator) push(p []string, s ...string) []string {
	n := len(p) + len(s)
	if e.quick {
		if n > len(e.blank) {
			e.blank = make([]string, 2*n)
		}
		return e.blank[:n:n]
	}
	q := make([]string, len(p), n)
	copy(q, p)
	return append(q, s...)
}

// stop reports whether a loop of evaluations can end at errs: in quick
// mode, at the first failure; in full mode once Options.Limit failures
// are found; in any mode past the budget.
func (e *evaluator) stop(errs []Error) bool {
	if e.quick {
		return len(errs) > 0 || e.tooLarge
	}
	return e.tooLarge || e.limit > 0 && e.found >= e.limit
}

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
		return e.report([]Error{{InstancePath: ip, SchemaPath: sp, Message: "False schema does not allow " + Render(v)}})
	case map[string]any:
		if e.tooLarge || e.depth >= maxDepth {
			return nil
		}
		if !e.remembering() {
			return e.object(x, v, ip, sp)
		}
		key, ok := memoKeyOf(x, v)
		if !ok {
			return e.object(x, v, ip, sp)
		}
		if e.memoState == 2 {
			key.active = e.activeSet(len(ip))
		}
		if !e.quick {
			// Only an invalid value has failures: skip the valid ones.
			if e.valid(x, v, ip, sp) {
				return nil
			}
			return e.object(x, v, ip, sp)
		}
		if valid, ok := e.memo[key]; ok {
			if valid {
				return nil
			}
			return invalid
		}
		errs := e.object(x, v, ip, sp)
		if !e.tooLarge {
			e.memo[key] = len(errs) == 0
		}
		return errs
	}
	// Not a schema (the meta-schema check reports it): nothing to check.
	return nil
}

// object evaluates the keywords of schema object s.
func (e *evaluator) object(s map[string]any, v any, ip, sp []string) []Error {
	if e.steps++; e.steps > e.maxSteps {
		e.tooLarge = true
		return nil
	}
	e.depth++
	defer func() { e.depth-- }()
	var errs []Error
	var buf [16]string
	for _, kw := range e.keys(s, buf[:0]) {
		errs = append(errs, e.keyword(s, kw, s[kw], v, ip, sp)...)
		if e.stop(errs) {
			break
		}
	}
	return errs
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
		return e.report(typeKeyword(val, v, ip, ksp))
	case "enum":
		return e.report(enumKeyword(val, v, ip, ksp))
	case "const":
		if !equal(val, v) {
			return e.report(fail(ip, ksp, Render(val)+" was expected"))
		}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return e.report(boundKeyword(kw, val, v, ip, ksp))
	case "multipleOf":
		return e.report(multipleOfKeyword(val, v, ip, ksp))
	case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
		return e.report(countKeyword(kw, val, v, ip, ksp))
	case "pattern":
		return e.report(e.patternKeyword(val, v, ip, ksp))
	case "uniqueItems":
		return e.report(uniqueItemsKeyword(val, v, ip, ksp))
	case "items":
		return e.itemsKeyword(s, val, v, ip, ksp)
	case "prefixItems":
		return e.prefixItemsKeyword(val, v, ip, ksp)
	case "contains":
		return e.report(e.containsKeyword(s, val, v, ip, ksp))
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
		return e.report(requiredKeyword(val, v, ip, ksp))
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
		return e.report(fail(ip, ksp, Render(v)+" is not valid under any of the schemas listed in the 'anyOf' keyword"))
	case "oneOf":
		n := 0
		for i, sub := range asArray(val) {
			if e.valid(sub, v, ip, e.push(ksp, itoa(i))) {
				n++
			}
		}
		switch {
		case n == 0:
			return e.report(fail(ip, ksp, Render(v)+" is not valid under any of the schemas listed in the 'oneOf' keyword"))
		case n > 1:
			return e.report(fail(ip, ksp, Render(v)+" is valid under more than one of the schemas listed in the 'oneOf' keyword"))
		}
	case "not":
		if e.valid(val, v, ip, ksp) {
			return e.report(fail(ip, ksp, Render(val)+" is not allowed for "+Render(v)))
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
