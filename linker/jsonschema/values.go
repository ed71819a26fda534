package jsonschema

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// Render prints a JSON value the way the crate prints instances in its
// messages (serde_json's compact form: sorted keys, integers verbatim,
// floats with a fraction or exponent).
func Render(v any) string {
	b, err := scenario.Encode(normalize(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// normalize converts the numeric Go types a caller may hand in (int,
// json.Number, float32, ...) to int64 or float64. A container is copied
// when something in it changes, and returned as it is otherwise (values
// are only read here).
func normalize(v any) any {
	n, _ := normalized(v)
	return n
}

// normalized is normalize, and whether v changed.
func normalized(v any) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			n, changed := normalized(e)
			if changed && out == nil {
				out = maps.Clone(x)
			}
			if out != nil {
				out[k] = n
			}
		}
		if out == nil {
			return x, false
		}
		return out, true
	case []any:
		var out []any
		for i, e := range x {
			n, changed := normalized(e)
			if changed && out == nil {
				out = slices.Clone(x)
			}
			if out != nil {
				out[i] = n
			}
		}
		if out == nil {
			return x, false
		}
		return out, true
	case nil, bool, string, int64, float64:
		return v, false
	}
	return scalar(v), true
}

// scalar converts a scalar of another Go type to its JSON value.
func scalar(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return float64(x)
	case float32:
		return float64(x)
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		if f, err := strconv.ParseFloat(string(x), 64); err == nil {
			return f
		}
		return string(x)
	}
	return v
}

// number returns a numeric value as float64, and whether it is a number.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// isInteger reports whether v is an integer in JSON Schema's sense: an
// integer literal or a float without a fractional part (1.0).
func isInteger(v any) bool {
	switch x := v.(type) {
	case int64:
		return true
	case float64:
		return !math.IsInf(x, 0) && x == math.Trunc(x)
	}
	return false
}

// compareNumbers returns -1, 0 or +1 comparing two numbers, exactly when
// both are integers.
func compareNumbers(a, b any) int {
	ai, aInt := a.(int64)
	bi, bInt := b.(int64)
	if aInt && bInt {
		switch {
		case ai < bi:
			return -1
		case ai > bi:
			return 1
		}
		return 0
	}
	af, _ := number(a)
	bf, _ := number(b)
	switch {
	case af < bf:
		return -1
	case af > bf:
		return 1
	}
	return 0
}

// equal is JSON equality with numbers compared by value (1 == 1.0).
func equal(a, b any) bool {
	if _, ok := number(a); ok {
		if _, ok := number(b); ok {
			return compareNumbers(a, b) == 0
		}
		return false
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

// typeOrder is the order in which the crate lists type names.
var typeOrder = []string{"array", "boolean", "integer", "null", "number", "object", "string"}

// hasType reports whether v is of JSON Schema type name.
func hasType(name string, v any) bool {
	switch name {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "number":
		_, ok := number(v)
		return ok
	case "integer":
		return isInteger(v)
	}
	return false
}
