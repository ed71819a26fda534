package marker

import (
	"path/filepath"
	"testing"
)

// backend answers what markers ask, in neutral terms: files are named
// relative to the case folder (slash-separated; a file outside it keeps its
// path or URL) and places are byte offsets. Each feature is one method;
// the analysis backend answers it from a Snapshot, the lsp backend by a
// request to the server.
type backend interface {
	// diagnostics returns the diagnostics of every file, files in name
	// order, each file's in the order they are reported.
	diagnostics() ([]diagnostic, error)
	hover(file string, off int) (*hoverResult, error)
	definition(file string, off int) ([]span, error)
	completion(file string, off int) ([]completionItem, error)
	// codeActions returns the quick fixes of the diagnostics of file whose
	// primary span touches sp.
	codeActions(file string, sp span) ([]codeAction, error)
	// documentSymbols returns the outline of file.
	documentSymbols(file string) ([]symbolNode, error)
	// workspaceSymbols returns the workspace symbols matching query.
	workspaceSymbols(query string) ([]wsymbol, error)
	// semanticTokens returns the semantic tokens of file, of the whole
	// file or (a range request) those within a span of it.
	semanticTokens(file string, within *span) ([]token, error)
	// documentLinks returns the links of file.
	documentLinks(file string) ([]link, error)
	// inlayHints returns the inlay hints of the whole file.
	inlayHints(file string) ([]inlayHint, error)
}

// backendKind starts a backend on a case folder.
type backendKind struct {
	name string
	// detail is set when the backend tells everything a golden section
	// holds; it alone writes goldens with -update.
	detail bool
	// start starts the backend; it stops when the test ends.
	start func(t *testing.T, c *testCase, dir string) (backend, error)
}

// backends are the backends every case runs against.
var backends = []backendKind{
	{name: "analysis", detail: true, start: startAnalysis},
	{name: "lsp", start: startLSP},
}

// span is a byte range of a file.
type span struct {
	file       string
	start, end int
}

// diagnostic is one diagnostic.
type diagnostic struct {
	span     span // of the primary label; the start of the file without one
	severity string
	code     string
	message  string
	help     string
	related  []label // the labels but the primary one, in order
	// detail is what LSP does not carry; nil from the lsp backend.
	detail *diagnosticDetail
}

// diagnosticDetail is the part of a diagnostic LSP does not carry.
type diagnosticDetail struct {
	primary string   // the primary label's message
	kinds   []string // of each related label: "primary" or "secondary"
	fixes   []fix
}

// label is a labelled span.
type label struct {
	span    span
	message string
}

// fix is a set of edits resolving a diagnostic.
type fix struct {
	title string
	edits []edit
}

// edit replaces a span.
type edit struct {
	span    span
	newText string
}

// hoverResult is what a hover shows.
type hoverResult struct {
	text string // markdown
	span span
}

// completionItem is one completion proposal.
type completionItem struct {
	label string
	edit  edit
}

// codeAction is a quick fix of one diagnostic.
type codeAction struct {
	title     string
	code      string // of the diagnostic it fixes
	diagnosed span   // the diagnostic's span
	edits     []edit
}

// relName names a path the way backends name files: relative to dir and
// slash-separated when below it, unchanged otherwise.
func relName(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return path
}
