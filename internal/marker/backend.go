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
	// codeActions returns the code actions at sp of file of the kinds in
	// only (none: quick fixes and refactorings): the quick fixes of the
	// diagnostics whose primary span touches sp, the refactorings of what
	// sp starts on, fix-all.
	codeActions(file string, sp span, only ...string) ([]codeAction, error)
	// format returns the edits that format file, or only the members
	// around sp when it is not nil; none for a text with syntax errors.
	format(file string, sp *span) ([]edit, error)
	foldingRanges(file string) ([]foldingRange, error)
	// selectionRanges returns the selection ranges at off, innermost first.
	selectionRanges(file string, off int) ([]span, error)
	// references returns the references, declaration included.
	references(file string, off int) ([]span, error)
	// highlights returns the document highlights at off of file.
	highlights(file string, off int) ([]highlight, error)
	// prepareRename returns nil when nothing there is renamable.
	prepareRename(file string, off int) (*renameTarget, error)
	rename(file string, off int, newName string) ([]edit, error)
	codeLenses(file string) ([]lens, error)
	prepareCalls(file string, off int) ([]callItem, error)
	calls(item callItem, incoming bool) ([]hierarchyCall, error)
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

// foldingRange is a folding range: the text an editor may hide, and its
// kind ("region" or "comment").
type foldingRange struct {
	span span
	kind string
}

// codeAction is a quick fix, a refactoring or fix-all.
type codeAction struct {
	title     string
	kind      string   // "quickfix", "refactor.rewrite", "source.fixAll"
	code      string   // of the (first) diagnostic it fixes; "" for none
	diagnosed span     // that diagnostic's span
	creates   []string // files it creates, empty, before the edits
	edits     []edit
}

// renameTarget is what a rename at a position renames.
type renameTarget struct {
	span        span // the name there
	placeholder string
}

// lens is a code lens.
type lens struct {
	span      span
	title     string
	command   string
	locations []span // of a command showing references
}

// callItem is an item of the call hierarchy.
type callItem struct {
	name, detail    string
	span, selection span
	raw             any // what the backend needs to find it again
}

// hierarchyCall is an incoming or outgoing call: the other item, and the
// ranges in the caller's file.
type hierarchyCall struct {
	item   callItem
	ranges []span
}

// relName names a path the way backends name files: relative to dir and
// slash-separated when below it, unchanged otherwise.
func relName(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return path
}
