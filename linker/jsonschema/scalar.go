package jsonschema

import (
	"errors"
	"math"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
)

func itoa(i int) string { return strconv.Itoa(i) }

// typeKeyword checks `type`: one name, or an array of names (one of which
// must match). A one-element array reads like a single name.
func typeKeyword(val, v any, ip, sp []string) []Error {
	var names []string
	switch t := val.(type) {
	case string:
		names = []string{t}
	case []any:
		for _, n := range t {
			if s, ok := n.(string); ok {
				names = append(names, s)
			}
		}
	default:
		return nil
	}
	for _, n := range names {
		if hasType(n, v) {
			return nil
		}
	}
	if len(names) == 1 {
		return fail(ip, sp, Render(v)+` is not of type "`+names[0]+`"`)
	}
	var listed []string
	for _, t := range typeOrder {
		for _, n := range names {
			if n == t {
				listed = append(listed, `"`+t+`"`)
				break
			}
		}
	}
	return fail(ip, sp, Render(v)+" is not of types "+strings.Join(listed, ", "))
}

// enumKeyword checks `enum`; the options are printed as a JSON array.
func enumKeyword(val, v any, ip, sp []string) []Error {
	for _, opt := range asArray(val) {
		if equal(opt, v) {
			return nil
		}
	}
	return fail(ip, sp, Render(v)+" is not one of "+Render(val))
}

// boundKeyword checks minimum, maximum and their exclusive forms.
func boundKeyword(kw string, limit, v any, ip, sp []string) []Error {
	if _, ok := number(limit); !ok {
		return nil
	}
	if _, ok := number(v); !ok {
		return nil
	}
	c := compareNumbers(v, limit)
	var msg string
	switch kw {
	case "minimum":
		if c < 0 {
			msg = " is less than the minimum of "
		}
	case "maximum":
		if c > 0 {
			msg = " is greater than the maximum of "
		}
	case "exclusiveMinimum":
		if c <= 0 {
			msg = " is less than or equal to the minimum of "
		}
	case "exclusiveMaximum":
		if c >= 0 {
			msg = " is greater than or equal to the maximum of "
		}
	}
	if msg == "" {
		return nil
	}
	return fail(ip, sp, Render(v)+msg+Render(limit))
}

// multipleOfKeyword checks `multipleOf`. Like the crate: with an integral
// divisor the instance must be integral and divide exactly; otherwise the
// quotient's fractional part must be below float64 epsilon.
func multipleOfKeyword(div, v any, ip, sp []string) []Error {
	d, ok := number(div)
	if !ok || d == 0 {
		return nil
	}
	x, ok := number(v)
	if !ok {
		return nil
	}
	var isMultiple bool
	if d == math.Trunc(d) {
		if xi, ok := v.(int64); ok {
			if di, ok := div.(int64); ok {
				isMultiple = xi%di == 0
			} else {
				isMultiple = math.Mod(float64(xi), d) == 0
			}
		} else {
			isMultiple = x == math.Trunc(x) && math.Mod(x, d) == 0
		}
	} else {
		r := math.Mod(x/d, 1)
		isMultiple = !math.IsNaN(r) && math.Abs(r) < epsilon
	}
	if isMultiple {
		return nil
	}
	return fail(ip, sp, Render(v)+" is not a multiple of "+Render(div))
}

const epsilon = 2.220446049250313e-16

// limitOf reads a non-negative integer limit (minLength, maxItems, ...).
func limitOf(val any) (int64, bool) {
	switch x := val.(type) {
	case int64:
		return x, x >= 0
	case float64:
		if x >= 0 && x == math.Trunc(x) && x < 1<<62 {
			return int64(x), true
		}
	}
	return 0, false
}

// plural returns one when n is 1, else many.
func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// countKeyword checks the count bounds: minLength and maxLength on a
// string (in code points), minItems and maxItems on an array,
// minProperties and maxProperties on an object. A bound does not apply to
// other kinds of instance.
func countKeyword(kw string, val, v any, ip, sp []string) []Error {
	limit, ok := limitOf(val)
	if !ok {
		return nil
	}
	var n int64
	var below, above, unit string
	switch x := v.(type) {
	case string:
		if !strings.HasSuffix(kw, "Length") {
			return nil
		}
		n, below, above, unit = int64(utf8.RuneCountInString(x)), "is shorter than", "is longer than", " character"+plural(limit, "", "s")
	case []any:
		if !strings.HasSuffix(kw, "Items") {
			return nil
		}
		n, below, above, unit = int64(len(x)), "has less than", "has more than", " item"+plural(limit, "", "s")
	case map[string]any:
		if !strings.HasSuffix(kw, "Properties") {
			return nil
		}
		n, below, above, unit = int64(len(x)), "has less than", "has more than", " propert"+plural(limit, "y", "ies")
	default:
		return nil
	}
	switch min := strings.HasPrefix(kw, "min"); {
	case min && n < limit:
		return fail(ip, sp, Render(v)+" "+below+" "+strconv.FormatInt(limit, 10)+unit)
	case !min && n > limit:
		return fail(ip, sp, Render(v)+" "+above+" "+strconv.FormatInt(limit, 10)+unit)
	}
	return nil
}

// compile returns the compiled pattern; nil without an error for a pattern
// Amber accepts that Go's RE2 engine cannot run (look-around,
// back-references: configschema.CompilePattern), or the reason Amber
// rejects it.
func (e *evaluator) compile(pattern string) (*regexp.Regexp, error) {
	if re, ok := e.regexps[pattern]; ok {
		return re, nil
	}
	if err, ok := e.badRegexps[pattern]; ok {
		return nil, err
	}
	re, err := configschema.CompilePattern(pattern)
	if e.regexps == nil {
		e.regexps, e.badRegexps = map[string]*regexp.Regexp{}, map[string]error{}
	}
	if err != nil {
		e.badRegexps[pattern] = err
		return nil, err
	}
	e.regexps[pattern] = re
	return re, nil
}

// invalidPattern is the error for a pattern Amber's library rejects.
func invalidPattern(ip, sp []string, pattern string, err error) []Error {
	reason := err.Error()
	var re *syntax.Error
	if errors.As(err, &re) {
		reason = string(re.Code)
		if re.Expr != "" {
			reason += ": `" + re.Expr + "`"
		}
	}
	return fail(ip, sp, "invalid regular expression "+diag.DebugQuote(pattern)+": "+reason)
}

// patternKeyword checks `pattern` (an unanchored search, as in ECMA-262).
func (e *evaluator) patternKeyword(val, v any, ip, sp []string) []Error {
	s, ok := v.(string)
	pattern, pok := val.(string)
	if !ok || !pok {
		return nil
	}
	re, err := e.compile(pattern)
	if err != nil {
		return invalidPattern(ip, sp, pattern, err)
	}
	if re == nil || re.MatchString(s) { // nil: Go cannot run it, so it is not checked
		return nil
	}
	return fail(ip, sp, Render(v)+" does not match "+diag.DebugQuote(pattern))
}
