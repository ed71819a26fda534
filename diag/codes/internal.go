package codes

import "github.com/amberlsp/amber-lsp/diag"

// Codes of amber-lsp's own failures and limits. Each one's documentation is
// its define call.
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

	TooManyDiagnostics = define(Info{
		Code:     "amber_lsp::too_many_diagnostics",
		Severity: diag.Info,
		Doc:      "A file has more diagnostics than amber-lsp shows.",
		Trigger: "More than 1,000 diagnostics in one file. The 1,000 most severe are shown (errors first), " +
			"and this one counts the others by severity, at the first of them.",
		ProseExample: "A manifest with 1,001 unknown fields; too long to show here.",
		Fix:          "Resolve the diagnostics shown; the others appear as these go.",
	})
)
