package program

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// lookupPath follows a dot path ("" for the value itself) through objects
// of a generic JSON value.
func lookupPath(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for _, seg := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}

// errNull is the rendering error of JSON null.
var errNull = errors.New("cannot interpolate null")

// renderValue is the interpolation rendering of a static JSON value
// (linker.md §4.1.1): strings as-is, booleans, numbers in serde_json form,
// arrays and objects as compact JSON; null is an error.
func renderValue(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", errNull
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float64:
		return scenario.FormatFloat(x)
	case json.Number:
		return x.String(), nil
	}
	b, err := scenario.Encode(v)
	return string(b), err
}

// isNull reports whether a static value is JSON null.
func isNull(v any) bool { return v == nil }

// jsonEqual compares two JSON values by their encoding.
func jsonEqual(a, b any) bool {
	x, err1 := scenario.Encode(a)
	y, err2 := scenario.Encode(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// valueKind names the kind of a JSON value as Amber's messages do: null,
// boolean, number, string, array or object.
func valueKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "number"
}
