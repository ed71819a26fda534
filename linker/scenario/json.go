package scenario

import "github.com/amberlsp/amber-lsp/internal/serdejson"

// Ordered is a JSON object whose keys are written in the given order. Amber's
// digests serialise structs in field order; everything else is written with
// sorted keys.
type Ordered = serdejson.Ordered

// Field is one member of an Ordered object.
type Field = serdejson.Field

// Valuer is implemented by the scenario types: JSONValue returns the generic
// JSON tree of the value.
type Valuer = serdejson.Valuer

// Encode writes v as compact JSON the way Amber (serde_json over a generic
// value tree) does (serdejson.Encode): object keys sorted byte-wise at every
// depth, serde_json string escapes (no HTML escaping), integers verbatim and
// floats in shortest round-trip form with a fraction or exponent
// (linker.md §8.1).
func Encode(v any) ([]byte, error) { return serdejson.Encode(v) }

// MustEncode is Encode for values known to be encodable; it panics otherwise.
func MustEncode(v any) []byte { return serdejson.MustEncode(v) }

// FormatFloat renders a finite float the way serde_json (ryu) does
// (serdejson.FormatFloat).
func FormatFloat(f float64) (string, error) { return serdejson.FormatFloat(f) }
