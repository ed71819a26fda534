package jsonschema

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// FuzzValidate validates arbitrary instances against arbitrary schemas;
// evaluation must end without a panic, every error must have a message,
// quick evaluation must tell valid from invalid as full evaluation does,
// and remembering from the first step must not change the failures.
func FuzzValidate(f *testing.F) {
	f.Add(`{"properties":{"a":{"$ref":"#"}},"additionalProperties":false,"required":["a"]}`, `{"a":{"a":{"b":1}}}`)
	f.Add(`{"$ref":"#/$defs/x","$defs":{"x":{"$ref":"#"}}}`, `[1]`)
	f.Add(`{"anyOf":[{"pattern":"(?=x)"},{"multipleOf":0.1}],"prefixItems":[true],"items":false}`, `[1.3,2]`)
	f.Add(`{"patternProperties":{"[":{}},"propertyNames":{"maxLength":0}}`, `{"x":1}`)
	f.Add(`{"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/b"},{"type":"string"}]},"b":{"allOf":[{"$ref":"#/$defs/a"},{"$ref":"#/$defs/a"}],"type":"integer"}},"$ref":"#/$defs/a"}`, `[true,1,"x"]`)
	f.Fuzz(func(t *testing.T, schemaText, instanceText string) {
		var s, v any
		ds := json.NewDecoder(strings.NewReader(schemaText))
		ds.UseNumber()
		di := json.NewDecoder(strings.NewReader(instanceText))
		di.UseNumber()
		if ds.Decode(&s) != nil || di.Decode(&v) != nil {
			return
		}
		errs := Validate(s, v)
		for _, e := range errs {
			if e.Message == "" {
				t.Fatalf("empty message for %s / %s", schemaText, instanceText)
			}
		}
		if memo := validateRemembering(s, v); !slices.EqualFunc(memo, errs, func(a, b Error) bool {
			return a.Message == b.Message && a.Pointer() == b.Pointer() && a.SchemaPointer() == b.SchemaPointer()
		}) {
			t.Fatalf("remembering from the start gives %d errors, not %d, for %s / %s", len(memo), len(errs), schemaText, instanceText)
		}
		if quick := quickValid(normalize(s), normalize(v)); quick != (len(errs) == 0) {
			t.Fatalf("quick evaluation says valid=%v, full evaluation %d errors, for %s / %s", quick, len(errs), schemaText, instanceText)
		}
	})
}
