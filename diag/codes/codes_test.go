package codes

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/gosource"
)

// moduleRoot is the repository root, seen from this package's directory.
const moduleRoot = "../.."

// importPath is how producers import this package.
const importPath = "github.com/amberlsp/amber-lsp/diag/codes"

// codeLiteral matches a string that is, or starts like, a diagnostic code.
var codeLiteral = regexp.MustCompile(`^(manifest|compiler|linker|amber_lsp)::|^[a-z][a-z0-9_]*::[a-z][a-z0-9_]*$`)

// dynamic lists the codes no producer names, because they are only ever
// produced from data: none today. A code added here needs a comment saying
// where it comes from.
var dynamic = map[diag.Code]bool{}

// moduleSources parses every non-test Go file of the module.
func moduleSources(t *testing.T) []gosource.File {
	t.Helper()
	_, files := gosource.Module(t, moduleRoot, parser.SkipObjectResolution)
	return files
}

// inRegistry reports whether a module file belongs to this package.
func inRegistry(path string) bool {
	return filepath.ToSlash(filepath.Dir(path)) == moduleRoot+"/diag/codes"
}

// declared maps the name of every define'd value of this package to its
// code, read from the source.
func declared(t *testing.T, files []gosource.File) map[string]diag.Code {
	t.Helper()
	out := map[string]diag.Code{}
	for _, sf := range files {
		if !inRegistry(sf.Path) {
			continue
		}
		ast.Inspect(sf.AST, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
				return true
			}
			call, ok := vs.Values[0].(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			if fn, _ := call.Fun.(*ast.Ident); fn == nil || fn.Name != "define" {
				return true
			}
			lit, _ := call.Args[0].(*ast.CompositeLit)
			if lit == nil {
				t.Errorf("%s: define(%s) takes no Info literal", sf.Path, vs.Names[0].Name)
				return true
			}
			for _, e := range lit.Elts {
				kv, _ := e.(*ast.KeyValueExpr)
				if kv == nil {
					continue
				}
				if key, _ := kv.Key.(*ast.Ident); key == nil || key.Name != "Code" {
					continue
				}
				s, _ := kv.Value.(*ast.BasicLit)
				if s == nil || s.Kind != token.STRING {
					t.Errorf("%s: the Code of %s is not a string literal", sf.Path, vs.Names[0].Name)
					continue
				}
				code, _ := strconv.Unquote(s.Value)
				out[vs.Names[0].Name] = diag.Code(code)
			}
			return true
		})
	}
	return out
}

// TestNoCodeLiterals fails on a code written as a string literal outside
// the registry: producers must use the named values.
func TestNoCodeLiterals(t *testing.T) {
	for _, sf := range moduleSources(t) {
		if inRegistry(sf.Path) {
			continue
		}
		ast.Inspect(sf.AST, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && codeLiteral.MatchString(s) {
				t.Errorf("%s: code literal %s; use the named value of package diag/codes", sf.Path, lit.Value)
			}
			return true
		})
	}
}

// TestEveryCodeProduced fails on a registered code that no producer
// outside the registry names.
func TestEveryCodeProduced(t *testing.T) {
	files := moduleSources(t)
	used := map[string]bool{}
	for _, sf := range files {
		if inRegistry(sf.Path) {
			continue
		}
		local := ""
		for _, imp := range sf.AST.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == importPath {
				local = "codes"
				if imp.Name != nil {
					local = imp.Name.Name
				}
			}
		}
		if local == "" {
			continue
		}
		ast.Inspect(sf.AST, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == local {
					used[sel.Sel.Name] = true
				}
			}
			return true
		})
	}
	names := declared(t, files)
	if len(names) != len(registry) {
		t.Errorf("the source declares %d codes, the registry holds %d", len(names), len(registry))
	}
	for name, code := range names {
		if !used[name] && !dynamic[code] {
			t.Errorf("%s (%s) is registered but no producer uses it; remove it, or list it in dynamic", name, code)
		}
		if used[name] && dynamic[code] {
			t.Errorf("%s (%s) is listed as dynamic but a producer names it", name, code)
		}
	}
}

// acronyms are the words of code names that Go names spell in capitals.
var acronyms = map[string]string{
	"json5": "JSON5", "utf8": "UTF8", "nul": "NUL", "vm": "VM", "cpus": "CPUs", "mib": "MiB", "http": "HTTP",
}

// goName is the Go name of a code: its name after `::` in camel case.
func goName(code diag.Code) string {
	_, name, _ := strings.Cut(string(code), "::")
	var b strings.Builder
	for _, w := range strings.Split(name, "_") {
		if a, ok := acronyms[w]; ok {
			b.WriteString(a)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// TestRegistry checks every entry: its name follows from its code, and its
// documentation is complete.
func TestRegistry(t *testing.T) {
	valid := regexp.MustCompile(`^(manifest|compiler|linker|amber_lsp)::[a-z][a-z0-9_]*$`)
	for name, code := range declared(t, moduleSources(t)) {
		if want := goName(code); name != want {
			t.Errorf("%s is named %s; name it %s", code, name, want)
		}
	}
	all := All()
	if !slices.IsSortedFunc(all, func(a, b Info) int { return strings.Compare(string(a.Code), string(b.Code)) }) {
		t.Error("All is not sorted by code")
	}
	for _, i := range all {
		if got, ok := Lookup(i.Code); !ok || got.Code != i.Code {
			t.Errorf("Lookup(%s) = %v, %v", i.Code, got.Code, ok)
		}
		if !valid.MatchString(string(i.Code)) {
			t.Errorf("%s: not a scope, `::` and a snake_case name", i.Code)
		}
		if i.Severity < diag.Error || i.Severity > diag.Hint {
			t.Errorf("%s: severity %v", i.Code, i.Severity)
		}
		if i.Tags&^(Unnecessary|Deprecated) != 0 {
			t.Errorf("%s: unknown tags %b", i.Code, i.Tags)
		}
		if i.Doc == "" || strings.Contains(i.Doc, "\n") || !strings.HasSuffix(i.Doc, ".") {
			t.Errorf("%s: Doc %q must be one sentence on one line", i.Code, i.Doc)
		}
		if i.Trigger == "" {
			t.Errorf("%s: no Trigger", i.Code)
		}
		if (i.Example == "") == (i.ProseExample == "") {
			t.Errorf("%s: give exactly one of Example and ProseExample", i.Code)
		}
		for _, f := range i.ExampleFiles() {
			if f.Name == "" || strings.ContainsAny(f.Name, `/\`) || strings.TrimSpace(f.Text) == "" {
				t.Errorf("%s: example file %q is unnamed, in a directory, or empty", i.Code, f.Name)
			}
		}
		for _, text := range []string{i.Doc, i.Trigger, i.ProseExample, i.Fix} {
			if strings.Contains(text, "://") || strings.Contains(text, "](") {
				t.Errorf("%s: documentation links outside the repository: %q", i.Code, text)
			}
		}
	}
	if _, ok := Lookup("manifest::no_such_code"); ok {
		t.Error("Lookup found an unregistered code")
	}
}

func TestExampleFiles(t *testing.T) {
	tests := []struct {
		example string
		want    []File
	}{
		{"", nil},
		{"\n{ a: 1 }\n", []File{{ExampleName, "{ a: 1 }\n"}}},
		{"\n-- a.json5 --\n{ a: 1 }\n-- b.txt --\nx\n-- y\n", []File{{"a.json5", "{ a: 1 }\n"}, {"b.txt", "x\n-- y\n"}}},
	}
	for _, tt := range tests {
		if got := (Info{Example: tt.example}).ExampleFiles(); !slices.Equal(got, tt.want) {
			t.Errorf("ExampleFiles(%q) = %q, want %q", tt.example, got, tt.want)
		}
	}
}

func TestTags(t *testing.T) {
	tests := []struct {
		tags Tags
		want string
	}{{0, ""}, {Unnecessary, "unnecessary"}, {Deprecated, "deprecated"}, {Unnecessary | Deprecated, "unnecessary, deprecated"}}
	for _, tt := range tests {
		if got := tt.tags.String(); got != tt.want {
			t.Errorf("%b.String() = %q, want %q", tt.tags, got, tt.want)
		}
	}
	if !(Unnecessary | Deprecated).Has(Deprecated) || Unnecessary.Has(Deprecated) {
		t.Error("Has is wrong")
	}
}

// TestDefineTwice: a code defined twice is a programming error, caught at
// start-up.
func TestDefineTwice(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("defining a code twice did not panic")
		}
	}()
	define(Info{Code: UnusedSlot})
}
