package codes

import "github.com/amberlsp/amber-lsp/diag"

// Codes of amber-lsp's own failures. Each one's documentation is its define
// call.
var (
	InternalError = define(Info{
		Code:     "amber_lsp::internal_error",
		Severity: diag.Error,
		Doc:      "amber-lsp failed while analysing a file.",
		Trigger: "A bug of amber-lsp: a panic while analysing or linking, caught and reported instead of " +
			"crashing the server or the check.",
		ProseExample: "None: any manifest that triggers it is a bug to report.",
		Fix:          "Report the bug with the files that trigger it; the other diagnostics of the file may be missing meanwhile.",
	})
)
