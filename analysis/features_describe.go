package analysis

import (
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest"
)

// What the features say about a manifest's keys and keyword values comes
// from the manifest vocabulary (manifest.Record, manifest.Enum); this file
// renders it.

// placeAt returns the place of the vocabulary the steps lead to.
func placeAt(steps []step) (manifest.Place, bool) {
	p := manifest.Root()
	for _, s := range steps {
		var ok bool
		if s.member != nil {
			p, ok = p.Key(s.name)
		} else {
			p, ok = p.Elem()
		}
		if !ok {
			return manifest.Place{}, false
		}
	}
	return p, true
}

// enumDoc returns the doc of value name of the enum called enum, or "".
func enumDoc(enum, name string) string {
	if e := manifest.Enum(enum); e != nil {
		if v, ok := e.Value(name); ok {
			return v.Doc
		}
	}
	return ""
}

// describeField renders the hover of a record's key: its doc, its value,
// whether it is required and the manifest_version that introduced it.
func describeField(in *manifest.RecordSpec, f *manifest.FieldSpec) string {
	var b strings.Builder
	fmt.Fprintf(&b, "`%s` of %s: %s\n\n- value: %s", f.Name, in.Title, f.Doc, f.Value)
	if f.Required {
		b.WriteString("\n- required")
	}
	fmt.Fprintf(&b, "\n- since manifest_version `%s`", f.Since)
	return b.String()
}

// describeEnumValue renders the hover of a keyword value of enum e.
func describeEnumValue(e *manifest.EnumSpec, name string) string {
	if v, ok := e.Value(name); ok {
		return fmt.Sprintf("%s `%s`: %s", e.Title, name, v.Doc)
	}
	return fmt.Sprintf("`%s` is not a known %s; the known ones are %s", name, e.Title, codeList(e.Names()))
}
