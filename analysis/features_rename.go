package analysis

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
)

// Rename changes the name of an entry of `components` or `use`, a slot,
// provide, resource or export, or a config property, in its declaration
// and in every reference the index knows, in every file: a child's slot in
// `#child.slot` of each parent that instantiates the child, a config
// property in each parent's `config` for the child, and so on. A manifest
// file is not renamed (rename the file, then its references).

// RenameError is a rename refused; its message says why, to the user.
type RenameError struct {
	Message string // the reason, worded for the user
}

// Error returns the message.
func (e *RenameError) Error() string { return e.Message }

// RenameTarget is what a rename at a position renames.
type RenameTarget struct {
	Kind DeclKind  // what kind of name is renamed
	Name string    // the current name
	Span diag.Span // the name as written at the position
}

// PrepareRename returns what a rename at byte offset off of the file at
// path would rename, nil when the text there names nothing renamable, or a
// *RenameError when it names something that cannot be renamed (a manifest
// file).
func (s *Snapshot) PrepareRename(ctx context.Context, path string, off int) (rt *RenameTarget, err error) {
	defer recoverFeature("prepare rename", path, &err)
	t, err := s.renameTarget(ctx, path, off)
	if t == nil || err != nil {
		return nil, err
	}
	return &RenameTarget{Kind: t.decl.Kind, Name: t.decl.Name, Span: t.name}, nil
}

// Rename returns the edits that rename what the text at byte offset off of
// the file at path declares or names to newName: its declaration and every
// reference, each edit naming its file (an absolute path), sorted by file
// and offset. It returns nil when the text names nothing renamable, and a
// *RenameError when the rename is refused: the new name is not a valid
// name of its kind, another declaration of its scope has it already, or
// the thing cannot be renamed.
func (s *Snapshot) Rename(ctx context.Context, path string, off int, newName string) (edits []diag.Edit, err error) {
	defer recoverFeature("rename", path, &err)
	t, err := s.renameTarget(ctx, path, off)
	if t == nil || err != nil {
		return nil, err
	}
	d := t.decl
	if msg := nameProblem(d.Kind, newName); msg != "" {
		return nil, &RenameError{Message: msg}
	}
	if newName == d.Name {
		return []diag.Edit{}, nil
	}
	owner, problem := t.f.run.open(d.At.File)
	if owner == nil {
		return nil, &RenameError{Message: fmt.Sprintf("cannot rename %s `%s`: %s", d.Kind, d.Name, problem)}
	}
	if taken := owner.nameTaken(d, newName); taken != "" {
		return nil, &RenameError{Message: fmt.Sprintf("cannot rename %s `%s` to `%s`: %s", d.Kind, d.Name, newName, taken)}
	}
	places := append([]Location{{File: d.At.File, Span: d.NameSpan}}, t.idx.referencesOf(d)...)
	size := map[string]int{}
	for _, loc := range sortLocations(places) {
		n, read := size[loc.File]
		if !read {
			text, err := s.ReadFile(loc.File)
			n = len(text)
			if err != nil {
				n = -1
			}
			size[loc.File] = n
		}
		if loc.Span.Start < 0 || loc.Span.End > n {
			continue
		}
		name := newName
		if fr := t.idx.file(loc.File); fr != nil && fr.bare[loc.Span.Start] && !isIdentifierName(newName) {
			name = `"` + newName + `"` // a key that must now be quoted
		}
		edits = append(edits, diag.Edit{File: loc.File, Span: loc.Span, NewText: name})
	}
	return edits, ctx.Err()
}

// renameTarget returns the declaration a rename at off renames, nil when
// the text names nothing renamable.
func (s *Snapshot) renameTarget(ctx context.Context, path string, off int) (*target, error) {
	t, err := s.declarationAt(ctx, path, off)
	if t == nil || t.decl == nil || err != nil {
		return nil, err
	}
	if t.decl.Kind == DeclManifest {
		return nil, &RenameError{Message: fmt.Sprintf("renaming a manifest file (`%s`) is not supported here: rename the file itself (in an editor that asks the server, such as VS Code's explorer, the references follow)", filepath.Base(t.decl.At.File))}
	}
	return t, nil
}

// isIdentifierName reports whether an ASCII name may be written as an
// unquoted JSON5 key.
func isIdentifierName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

// amberKinds is how Amber's name checks call each kind (manifest.md §5.1).
var amberKinds = map[DeclKind]string{
	DeclComponent: "child", DeclUse: "use", DeclSlot: "slot", DeclProvide: "provide",
	DeclResource: "resource", DeclExport: "export",
}

// nameProblem says why name cannot be the name of a declaration of kind
// k, or "" when it can. Config properties follow Amber's config key rule;
// other names must not hold a dot (Amber's rule) and, so that every
// reference syntax can hold them, are made of ASCII letters, digits, `_`
// and `-`.
func nameProblem(k DeclKind, name string) string {
	if k == DeclConfig {
		return configschema.KeyError("config property name", name)
	}
	switch {
	case name == "":
		return "a " + k.String() + " name cannot be empty"
	case strings.Contains(name, "."):
		return "invalid " + amberKinds[k] + " name `" + name + "`: dots are reserved"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Sprintf("`%s` is not a valid %s name: use ASCII letters, digits, `_` and `-`", name, k)
		}
	}
	return ""
}

// scopes lists, for each kind, the tables whose names a new name must not
// clash with: a slot and a provide may not share a name, and `#name` must
// name one entry of `components` or `use`.
var scopes = map[DeclKind][]string{
	DeclComponent: {"components", "use"}, DeclUse: {"components", "use"},
	DeclSlot: {"slots", "provides"}, DeclProvide: {"slots", "provides"},
	DeclResource: {"resources"}, DeclExport: {"exports"},
}

// nameTaken says which declaration of d's scope, in the file f declaring
// it, is called name already, or "".
func (f *featureFile) nameTaken(d *Declaration, name string) string {
	if d.Kind == DeclConfig {
		schema := f.section("config_schema")
		for _, p := range schemaProps(schema, d.owner) {
			if p.member.Key.Name == name {
				return fmt.Sprintf("the schema in `%s` declares config property `%s` already", f.base(), name)
			}
		}
		return ""
	}
	for _, section := range scopes[d.Kind] {
		if f.entry(section, name) != nil {
			return fmt.Sprintf("`%s` declares %s `%s` already", f.base(), declSections[section], name)
		}
	}
	return ""
}
