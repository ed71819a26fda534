package config

import "github.com/amberlsp/amber-lsp/linker/jsonschema"

const msgInterpolateNull = "cannot interpolate null"

// RenderValue returns the interpolation rendering of a static JSON value
// (linker.md §4.1.1): strings as they are, booleans `true`/`false`, numbers
// in serde_json form (`5`, `1.0`, `1e21`), arrays and objects as compact
// JSON with sorted keys; null cannot be interpolated.
func RenderValue(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	}
	return jsonschema.Render(v), true
}
