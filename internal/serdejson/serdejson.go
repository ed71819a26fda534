// Package serdejson writes JSON as Amber writes it: serde_json's compact
// form of a generic value tree (linker.md §8.1), which is also how the
// JSON Schema library Amber uses prints a value in its messages. Scenario
// JSON, digests, overlay requests and every message quoting a JSON value
// (meta-schema and config validation) are written here.
package serdejson

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Ordered is a JSON object whose keys are written in the given order. Amber's
// digests serialise structs in field order; everything else is written with
// sorted keys.
type Ordered []Field

// Field is one member of an Ordered object.
type Field struct {
	Key   string // the member name
	Value any    // any value Encode accepts
}

// Encode writes v as compact JSON the way Amber (serde_json over a generic
// value tree) does: object keys sorted byte-wise at every depth, serde_json
// string escapes (no HTML escaping), integers verbatim and floats in
// shortest round-trip form with a fraction or exponent (linker.md §8.1).
//
// v is built from nil, bool, string, int, int64, uint64, float64,
// map[string]any, []any, []string, Ordered, and any value with a
// JSONValue() method (Valuer). Other types are an error.
func Encode(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MustEncode is Encode for values known to be encodable; it panics otherwise.
func MustEncode(v any) []byte {
	out, err := Encode(v)
	if err != nil {
		panic(err)
	}
	return out
}

// Valuer is implemented by values that stand for a generic JSON tree (the
// scenario types): JSONValue returns it.
type Valuer interface {
	JSONValue() any
}

func encode(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writeString(b, x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case float64:
		s, err := FormatFloat(x)
		if err != nil {
			return err
		}
		b.WriteString(s)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case []string:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			if err := encode(b, x[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case Ordered:
		b.WriteByte('{')
		for i, f := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, f.Key)
			b.WriteByte(':')
			if err := encode(b, f.Value); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case Valuer:
		return encode(b, x.JSONValue())
	default:
		return fmt.Errorf("serdejson: cannot encode %T as JSON", v)
	}
	return nil
}

// writeString writes s with serde_json's escapes: `"` and `\`, the short
// forms \b \f \n \r \t, other control characters as \u00xx (lowercase hex),
// everything else raw. Invalid UTF-8 is written as U+FFFD.
func writeString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b.WriteString("\uFFFD")
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xF])
			} else {
				b.WriteByte(c)
			}
		}
		i++
	}
	b.WriteByte('"')
}

// FormatFloat renders a finite float the way serde_json (ryu) does: the
// shortest digits that round-trip, in decimal notation with at least one
// fractional digit when the decimal exponent is small (`1.0`, `0.001`,
// `12340000000.0`), otherwise in exponent notation without a plus sign
// (`1e21`, `1.5e-7`). NaN and infinities are an error, as in JSON.
func FormatFloat(f float64) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("serdejson: %v cannot be written as JSON", f)
	}
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0", nil
		}
		return "0.0", nil
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	// Shortest digits d1.d2d3...e±x from strconv, then ryu's layout.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expText, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expText)
	length := len(digits)
	kk := exp + 1 // the decimal point sits after kk digits
	k := kk - length
	var out string
	switch {
	case k >= 0 && kk <= 16:
		out = digits + strings.Repeat("0", k) + ".0"
	case kk > 0 && kk <= 16:
		out = digits[:kk] + "." + digits[kk:]
	case kk > -5 && kk <= 0:
		out = "0." + strings.Repeat("0", -kk) + digits
	case length == 1:
		out = digits + "e" + strconv.Itoa(kk-1)
	default:
		out = digits[:1] + "." + digits[1:] + "e" + strconv.Itoa(kk-1)
	}
	return sign + out, nil
}
