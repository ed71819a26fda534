// Package jsonschema validates JSON values against JSON Schema Draft 2020-12
// schemas, for the keywords Amber's config_schema profile lets through
// (manifest.md §8), with the error order and message texts of the Rust
// `jsonschema` crate (0.38) that Amber uses (linker.md §4.1.2, §9 item 4).
//
// Schemas and instances are Go JSON values as json5.Node.Value yields them:
// map[string]any, []any, string, bool, nil, int64 and float64.
//
// Supported keywords: type (a name or an array of names), properties,
// required, additionalProperties (boolean or schema), patternProperties,
// propertyNames, minProperties, maxProperties, enum, const, minimum,
// maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, minLength,
// maxLength, pattern, items, prefixItems, contains, minContains, maxContains,
// minItems, maxItems, uniqueItems, allOf, anyOf, oneOf, not, if/then/else,
// local $ref ("#" or "#/..." into the root schema, $defs and definitions
// included) and boolean schemas. format, default, title, description and
// other annotations are ignored, as the crate does for Draft 2020-12.
//
// Order of errors: keywords of a schema object are evaluated in byte-wise
// order of their names (the crate iterates a sorted map), object members in
// byte-wise key order, array elements in order. As in the crate,
// `additionalProperties: false` (or a schema) also evaluates `properties`
// and `patternProperties`, walking the instance's members, and reports the
// unexpected members after the errors of the expected ones.
//
// Patterns are read as configschema.CompilePattern reads them and run with
// Go's RE2 engine. A pattern with look-around or back-references, which
// Amber accepts but RE2 cannot run, is not checked: `pattern` passes, and a
// `patternProperties` key matches no member for its own schema but keeps
// every member from counting as additional. (Inside `not` or `oneOf`, which
// config schemas do not allow, such a pass can be wrong.) A pattern Amber
// rejects yields an error saying so instead of a validation result.
package jsonschema
