package manifest_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/internal/manifestgen"
	"github.com/amberlsp/amber-lsp/manifest"
)

// TestVocabularyTable: the table is whole: every record, field, enum value
// and record form is documented and names what exists, every record is
// reachable from the root, and versions are ones Amber knows.
func TestVocabularyTable(t *testing.T) {
	reached := map[string]bool{manifest.RecordRoot: true}
	var walk func(where string, v manifest.Value)
	walk = func(where string, v manifest.Value) {
		if len(v) == 0 {
			t.Errorf("%s: no forms", where)
		}
		for _, f := range v {
			switch {
			case f.Shape == manifest.ShapeRecord && manifest.Record(f.Record) == nil:
				t.Errorf("%s: unknown record %q", where, f.Record)
			case f.Enum != "" && manifest.Enum(f.Enum) == nil:
				t.Errorf("%s: unknown enum %q", where, f.Enum)
			case f.Shape == manifest.ShapeEnum && f.Enum == "":
				t.Errorf("%s: an enum form without an enum", where)
			case (f.Shape == manifest.ShapeArray || f.Shape == manifest.ShapeTable) != (len(f.Elem) > 0):
				t.Errorf("%s: elements only belong to arrays and tables", where)
			case f.Syntax == manifest.SyntaxNone && f.Shape == manifest.ShapeInterpolated:
				t.Errorf("%s: an interpolated string without its syntax", where)
			case (f.Syntax == manifest.SyntaxNone) != (len(f.Refs) == 0):
				t.Errorf("%s: a syntax without what it refers to, or the reverse", where)
			}
			if f.Shape == manifest.ShapeRecord {
				reached[f.Record] = true
			}
			if len(f.Elem) > 0 {
				walk(where+"[]", f.Elem)
			}
		}
	}
	for _, r := range manifest.Records() {
		if r.Doc == "" || r.Title == "" {
			t.Errorf("record %s: no doc or title", r.Name)
		}
		if manifest.Record(r.Name) != r {
			t.Errorf("record %s: not found by name", r.Name)
		}
		for i := range r.Fields {
			f := &r.Fields[i]
			where := r.Name + "." + f.Name
			if f.Doc == "" {
				t.Errorf("%s: no doc", where)
			}
			if slices.Index(r.Names(), f.Name) != i || r.Field(f.Name) != f {
				t.Errorf("%s: repeated, or out of place in Names", where)
			}
			if f.Since < manifest.OldestVersion || f.Since > manifest.NewestVersion {
				t.Errorf("%s: since %q, outside %s..%s", where, f.Since, manifest.OldestVersion, manifest.NewestVersion)
			}
			if f.Declares != manifest.SymNone && !f.Value.Has(manifest.ShapeTable) && !f.Value.Has(manifest.ShapeInterpolated) {
				t.Errorf("%s: declares names but is neither a table nor a string", where)
			}
			walk(where, f.Value)
		}
	}
	for _, r := range manifest.Records() {
		if !reached[r.Name] {
			t.Errorf("record %s: not reachable from the root", r.Name)
		}
	}
	for _, e := range manifest.Enums() {
		if e.Title == "" || len(e.Values) == 0 || manifest.Enum(e.Name) != e {
			t.Errorf("enum %s: no title, no values, or not found by name", e.Name)
		}
		for _, v := range e.Values {
			if v.Doc == "" {
				t.Errorf("enum %s: value %s has no doc", e.Name, v.Name)
			}
		}
	}
}

// TestPlaces: At walks records, tables, arrays and unions as the decoder
// does.
func TestPlaces(t *testing.T) {
	tests := []struct {
		path  string
		field string // "record.field", or "" when the place is not a field
		of    string // for entries and elements: the field holding them
	}{
		{"bindings", "root.bindings", ""},
		{"bindings.[]", "", "bindings"},
		{"bindings.[].weak", "binding.weak", ""},
		{"slots.api", "", "slots"},
		{"slots.api.kind", "slot.kind", ""},
		{"components.c.manifest", "component.manifest", ""},
		{"components.c.url", "manifest_ref.url", ""},
		{"components.c.manifest.digest", "manifest_ref.digest", ""},
		{"program.vm.network.egress", "vm_network.egress", ""},
		{"program.args.[].argv.[].file", "file_ref.file", ""},
		{"program.env.A.join", "env_value.join", ""},
		{"program.image.file", "file_ref.file", ""},
		{"child_templates.t.manifest.[].digest", "manifest_ref.digest", ""},
		{"child_templates.t.bindings.s", "", "bindings"},
		{"components.c.config.a.b", "", ""},
	}
	for _, tc := range tests {
		p, ok := manifest.At(strings.Split(tc.path, ".")...)
		if !ok {
			t.Errorf("At(%s): not found", tc.path)
			continue
		}
		got, of := "", ""
		if p.Field != nil {
			got = p.In.Name + "." + p.Field.Name
		}
		if p.Of != nil {
			of = p.Of.Name
		}
		if got != tc.field || of != tc.of {
			t.Errorf("At(%s) = field %q of %q, want %q of %q", tc.path, got, of, tc.field, tc.of)
		}
	}
	for _, bad := range []string{"componentz", "program.network.egress", "slots.a.kind.x", "bindings.weak", "program.[]"} {
		if _, ok := manifest.At(strings.Split(bad, ".")...); ok {
			t.Errorf("At(%s) found a place", bad)
		}
	}
}

// TestRecordsOfUnions: an object where several records may be is read as
// the record its keys select, as the decoder reads it.
func TestRecordsOfUnions(t *testing.T) {
	decl, _ := manifest.At("components", "c")
	item, _ := manifest.At("program", "args", "[]")
	tests := []struct {
		v    manifest.Value
		keys []string
		want []string
	}{
		{decl.Value, nil, []string{"component", "manifest_ref"}},
		{decl.Value, []string{"manifest"}, []string{"component"}},
		{decl.Value, []string{"config"}, []string{"component"}},
		{decl.Value, []string{"url"}, []string{"manifest_ref"}},
		{decl.Value, []string{"config", "url"}, []string{"manifest_ref"}}, // the decoder's reading, and its error
		{item.Value, []string{"file"}, []string{"file_ref"}},
		{item.Value, []string{"when"}, []string{"arg_item"}},
		{item.Value, []string{"bogus"}, []string{"arg_item"}},
	}
	for _, tc := range tests {
		var got []string
		for _, r := range tc.v.Records(tc.keys) {
			got = append(got, r.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Records(%q) = %q, want %q", tc.keys, got, tc.want)
		}
	}
}

// shapeMessages returns the shape errors of a manifest text, sorted.
func shapeMessages(text string) []string {
	var out []string
	for _, d := range manifest.Analyze("gen.json5", []byte(text)).Diagnostics {
		out = append(out, string(d.Code)+": "+d.Message)
	}
	slices.Sort(out)
	return out
}

// TestDecoderReadsVocabulary: the decoder accepts every field of the table
// at every place its record can be (a manifest using them all has no
// unknown field or value), and reads each of them (a value of the wrong
// type there is reported).
func TestDecoderReadsVocabulary(t *testing.T) {
	for v := range manifestgen.Variants() {
		doc := manifestgen.Generate(manifestgen.Options{Variant: v})
		base := shapeMessages(doc.Text)
		for _, m := range base {
			if strings.Contains(m, "unknown field") || strings.Contains(m, "unknown variant") || strings.Contains(m, "json5_error") {
				t.Errorf("variant %d: %s\n%s", v, m, doc.Text)
			}
		}
		for _, site := range doc.Fields {
			wrong, ok := mismatch(site.Field.Value)
			if !ok {
				continue // free JSON takes anything
			}
			mutated := manifestgen.Generate(manifestgen.Options{Variant: v, Value: func(p []string) (string, bool) {
				return wrong, slices.Equal(p, site.Path)
			}})
			if slices.Equal(shapeMessages(mutated.Text), base) {
				t.Errorf("variant %d: %s: %s written there is not reported: the decoder does not read `%s` of %s",
					v, strings.Join(site.Path, "."), wrong, site.Field.Name, site.Record.Title)
			}
		}
	}
}

// mismatch returns a JSON value of a type no form of v takes.
func mismatch(v manifest.Value) (string, bool) {
	takes := func(s manifest.Shape) bool { return v.Has(s) }
	free := takes(manifest.ShapeJSON) || takes(manifest.ShapeSchema) || takes(manifest.ShapeConfig)
	switch {
	case free:
		return "", false
	case !takes(manifest.ShapeBool):
		return "true", true
	}
	return "7", true
}

// TestUnknownFieldMessages records the message for an unknown key in each
// record, whose list of fields (in Amber's declaration order) is part of
// Amber's output (go test ./manifest -run UnknownFieldMessages -update
// rewrites it).
func TestUnknownFieldMessages(t *testing.T) {
	var b strings.Builder
	seen := map[string]bool{}
	for v := range manifestgen.Variants() {
		for _, site := range manifestgen.Generate(manifestgen.Options{Variant: v}).Fields {
			if seen[site.Record.Name] {
				continue
			}
			seen[site.Record.Name] = true
			at := site.Path[:len(site.Path)-1]
			doc := manifestgen.Generate(manifestgen.Options{Variant: v, Extra: func(p []string) (string, bool) {
				return "zzz: 1", slices.Equal(p, at)
			}})
			fmt.Fprintf(&b, "%s (%s):\n", site.Record.Name, strings.Join(at, "."))
			for _, m := range shapeMessages(doc.Text) {
				if strings.Contains(m, "unknown field `zzz`") {
					fmt.Fprintf(&b, "  %s\n", m)
				}
			}
		}
	}
	if len(seen) != len(manifest.Records()) {
		t.Errorf("%d records written, want %d", len(seen), len(manifest.Records()))
	}
	golden.Check(t, filepath.Join("testdata", "vocab_unknown_fields.golden"), []byte(b.String()))
}

// TestVersionGates: a field introduced after the oldest manifest_version is
// rejected by the version before it and accepted from its own.
func TestVersionGates(t *testing.T) {
	const schema = `config_schema: { type: "object", properties: { a: { type: "string" }, list: { type: "array", items: { type: "string" } } } }`
	// Manifests using a member of each record that has gated fields.
	contexts := map[string]func(version, member string) string{
		manifest.RecordRoot: func(version, member string) string {
			return fmt.Sprintf("{ manifest_version: %q, %s }", version, member)
		},
		manifest.RecordArgItem: func(version, member string) string {
			return fmt.Sprintf(`{ manifest_version: %q, %s, program: { path: "/bin/x", args: [{ %s, arg: "x" }] } }`, version, schema, member)
		},
		manifest.RecordEnvValue: func(version, member string) string {
			join := ""
			if strings.HasPrefix(member, "each:") {
				join = `, join: ","`
			}
			return fmt.Sprintf(`{ manifest_version: %q, %s, program: { path: "/bin/x", env: { A: { %s, value: "x"%s } } } }`, version, schema, member, join)
		},
		manifest.RecordMount: func(version, member string) string {
			return fmt.Sprintf(`{ manifest_version: %q, %s, program: { path: "/bin/x", mounts: [{ %s, path: "/m", from: "config.a" }] } }`, version, schema, member)
		},
		manifest.RecordEndpoint: func(version, member string) string {
			return fmt.Sprintf(`{ manifest_version: %q, %s, program: { path: "/bin/x", network: { endpoints: [{ %s, name: "e", port: 80 }] } } }`, version, schema, member)
		},
	}
	values := map[string]string{"use": `{ h: "./h.json5" }`, "overlays": `["#h.e"]`, "when": `"config.a"`, "each": `"config.list"`}
	gated := 0
	for _, r := range manifest.Records() {
		for _, f := range r.Fields {
			if f.Since == manifest.OldestVersion {
				continue
			}
			gated++
			context, value := contexts[r.Name], values[f.Name]
			if context == nil || value == "" {
				t.Errorf("%s.%s is gated by %s: add a manifest using it here", r.Name, f.Name, f.Since)
				continue
			}
			before := previousMinor(f.Since)
			for _, version := range []string{before, f.Since} {
				text := context(version, f.Name+": "+value)
				want := version == before
				if got := gateDiagnostic(text, f.Since); got != want {
					t.Errorf("%s.%s at %s: gate reported %v, want %v\n%s", r.Name, f.Name, version, got, want, text)
				}
			}
		}
	}
	if gated == 0 {
		t.Error("no gated fields in the table")
	}
}

func previousMinor(v string) string {
	var major, minor, patch int
	fmt.Sscanf(v, "%d.%d.%d", &major, &minor, &patch)
	return fmt.Sprintf("%d.%d.0", major, minor-1)
}

// gateDiagnostic reports whether text gets a manifest_version gate naming
// version.
func gateDiagnostic(text, version string) bool {
	for _, d := range manifest.Analyze("gate.json5", []byte(text)).Diagnostics {
		if strings.HasSuffix(string(d.Code), "requires_manifest_version") && strings.Contains(d.Message, ">= "+version) && d.Severity == diag.Error {
			return true
		}
	}
	return false
}
