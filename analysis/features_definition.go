package analysis

import (
	"context"

	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// definition returns where a symbol is declared.
func (f *featureFile) definition(ctx context.Context, sym symbol) []Location {
	switch sym.kind {
	case symConfig:
		return f.defConfig(sym)
	case symSlot:
		return f.keyOf("slots", sym.name)
	case symProvide:
		return f.keyOf("provides", sym.name)
	case symResource:
		return f.keyOf("resources", sym.name)
	case symLocalCap:
		if locs := f.keyOf("provides", sym.name); locs != nil {
			return locs
		}
		return f.keyOf("slots", sym.name)
	case symEnvironment:
		return f.keyOf("environments", sym.name)
	case symEndpoint:
		if e := f.endpoint(sym.name); e != nil {
			return []Location{{File: f.path, Span: e.Get("name").Span()}}
		}
	case symExport:
		hops, _ := f.exportChain(sym.name)
		if len(hops) > 1 {
			last := hops[len(hops)-1]
			return []Location{last.location()}
		}
	case symEntry:
		return f.keyOf(sym.section, sym.child)
	case symManifest:
		c := f.child(sym.section, sym.child)
		if c.file != nil {
			return []Location{{File: c.path}}
		}
	case symChildSlot, symChildExport:
		section := "slots"
		if sym.kind == symChildExport {
			section = "exports"
		}
		if c := f.child(sym.section, sym.child); c.file != nil {
			return c.file.keyOf(section, sym.name)
		}
	case symTemplate:
		return f.keyOf("child_templates", sym.child)
	case symTemplateRef:
		if p, ok := linker.ResolveLocalRef(f.path, sym.name); ok {
			if x, _ := f.run.open(p); x != nil {
				return []Location{{File: p}}
			}
		}
	case symOverlay:
		if !sym.tail {
			return f.keyOf("use", sym.child)
		}
		if c := f.child("use", sym.child); c.file != nil {
			return c.file.keyOf("exports", sym.name)
		}
	}
	return nil
}

// keyOf locates the key of an entry of a table section.
func (f *featureFile) keyOf(section, name string) []Location {
	if m := f.entry(section, name); m != nil {
		return []Location{{File: f.path, Span: m.Key.Span()}}
	}
	return nil
}

func (h hop) location() Location { return Location{File: h.file.path, Span: h.member.Key.Span()} }

// defConfig locates the property of a config path in its config_schema
// (the `config_schema` key itself for `config`).
func (f *featureFile) defConfig(sym symbol) []Location {
	schemaFile := f
	if sym.child != "" {
		c := f.child(sym.section, sym.child)
		if c.file == nil {
			return nil
		}
		schemaFile = c.file
	}
	if len(sym.segs) == 0 {
		if m := schemaFile.sectionMember("config_schema"); m != nil {
			return []Location{{File: schemaFile.path, Span: m.Key.Span()}}
		}
		return nil
	}
	schema := schemaFile.section("config_schema")
	if schema == nil || schema.Kind != json5.Object {
		return nil
	}
	if prop, _, ok := schemaPropAt(schema, sym.segs); ok {
		return []Location{{File: schemaFile.path, Span: prop.member.Key.Span()}}
	}
	return nil
}
