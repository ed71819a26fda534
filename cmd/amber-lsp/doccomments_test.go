package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/gosource"
)

// TestExportedNamesDocumented: every exported name of the repository's Go
// packages (functions, methods of exported types, types, constants and
// variables, and the fields of exported struct types) has a doc comment,
// its own or, for a constant or variable, its group's; a field may have a
// comment on its line instead. Test files and testdata are left out.
func TestExportedNamesDocumented(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset, files := gosource.Module(t, root, parser.ParseComments)
	var missing []string
	report := func(pos token.Pos, what string) {
		p := fset.Position(pos)
		rel, _ := filepath.Rel(root, p.Filename)
		missing = append(missing, rel+":"+strconv.Itoa(p.Line)+": "+what)
	}
	for _, f := range files {
		for _, decl := range f.AST.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if decl.Name.IsExported() && decl.Doc == nil && exportedRecv(decl) {
					report(decl.Pos(), "func "+decl.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range decl.Specs {
					switch spec := spec.(type) {
					case *ast.TypeSpec:
						if !spec.Name.IsExported() {
							continue
						}
						if spec.Doc == nil && decl.Doc == nil {
							report(spec.Pos(), "type "+spec.Name.Name)
						}
						if st, ok := spec.Type.(*ast.StructType); ok {
							for _, field := range st.Fields.List {
								if field.Doc != nil || field.Comment != nil {
									continue
								}
								for _, name := range field.Names {
									if name.IsExported() {
										report(name.Pos(), "field "+spec.Name.Name+"."+name.Name)
									}
								}
							}
						}
					case *ast.ValueSpec:
						if spec.Doc != nil || spec.Comment != nil || decl.Doc != nil {
							continue
						}
						for _, name := range spec.Names {
							if name.IsExported() {
								report(name.Pos(), name.Name)
							}
						}
					}
				}
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d exported names without a doc comment:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

// exportedRecv reports whether a function is a plain function or a
// method of an exported type (methods of unexported types are not part
// of any package's documentation).
func exportedRecv(fn *ast.FuncDecl) bool {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return true
	}
	typ := fn.Recv.List[0].Type
	for {
		switch x := typ.(type) {
		case *ast.StarExpr:
			typ = x.X
		case *ast.IndexExpr:
			typ = x.X
		case *ast.IndexListExpr:
			typ = x.X
		case *ast.Ident:
			return x.IsExported()
		default:
			return true
		}
	}
}
