package manifest

import (
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// SyntaxDiagnostics returns the diagnostics of parse errors, as Analyze
// reports them, labelled with file: for tools that read the syntax tree
// alone (the formatter) and must say why a text was not accepted.
func SyntaxDiagnostics(file string, errs []json5.Error) []diag.Diagnostic {
	res := &Result{File: file}
	for _, e := range errs {
		res.add(parseDiagnostic(e))
	}
	return res.finish().Diagnostics
}
