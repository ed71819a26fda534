package analysis

import (
	"context"
	"fmt"
	"slices"

	"github.com/amberlsp/amber-lsp/diag"
)

// CodeLens is a line of information an editor shows above some text of a
// file, and what clicking it does.
type CodeLens struct {
	// Span is the text the lens is about; editors show the lens above its
	// line.
	Span diag.Span
	// Title is the line the editor shows, e.g. "2 references".
	Title string
	// Command is what clicking the lens runs: ShowReferences, which shows
	// Locations at Span.Start, or a command of the server, given the URI
	// of File (when set) and then Arguments.
	Command   string
	Locations []Location // for ShowReferences: the references to show
	File      string     // absolute path of the manifest a server command acts on
	Arguments []any      // JSON-encodable
}

// ShowReferences is the command of lenses that list places ("3
// references"): clients show Locations as they show the result of a
// references request (VS Code maps it to editor.action.showReferences).
const ShowReferences = "amber.showReferences"

// lensProvider makes some of the code lenses of a file.
type lensProvider func(ctx context.Context, f *featureFile) ([]CodeLens, error)

// lensProviders make the code lenses of a file; CodeLenses shows what they
// all return, in text order (a provider's lenses on the same text in the
// order of this list). Adding a kind of lens is adding a provider here.
var lensProviders = []lensProvider{
	referenceLenses,
	instanceLenses,
	previewLenses, // preview_lens.go
}

// CodeLenses returns the code lenses of the file at path, sorted by where
// they show.
func (s *Snapshot) CodeLenses(ctx context.Context, path string) (lenses []CodeLens, err error) {
	defer recoverFeature("code lens", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil {
		return nil, err
	}
	for _, provide := range lensProviders {
		more, err := provide(ctx, f)
		if err != nil {
			return nil, err
		}
		lenses = append(lenses, more...)
	}
	slices.SortStableFunc(lenses, func(a, b CodeLens) int { return a.Span.Start - b.Span.Start })
	return lenses, ctx.Err()
}

// referenceLenses counts the references of each slot, provide and export
// the file declares: "3 references".
func referenceLenses(ctx context.Context, f *featureFile) ([]CodeLens, error) {
	idx, err := f.run.s.refIndex(ctx)
	if err != nil {
		return nil, err
	}
	var out []CodeLens
	for _, d := range idx.declarations(f.path) {
		switch d.Kind {
		case DeclSlot, DeclProvide, DeclExport:
			refs := idx.referencesOf(d)
			out = append(out, CodeLens{Span: d.NameSpan, Title: plural(len(refs), "reference", "references"), Command: ShowReferences, Locations: refs})
		}
	}
	return out, nil
}

// instanceLenses says, on the `manifest_version` of a manifest that
// parents name in their `components`, how many do: "instantiated by 2
// parents".
func instanceLenses(ctx context.Context, f *featureFile) ([]CodeLens, error) {
	idx, err := f.run.s.refIndex(ctx)
	if err != nil {
		return nil, err
	}
	refs := idx.referencesOf(&Declaration{Kind: DeclManifest, At: Location{File: f.path}}, sectionManifest)
	if len(refs) == 0 {
		return nil, nil
	}
	parents := map[string]bool{}
	for _, r := range refs {
		parents[r.File] = true
	}
	title := "instantiated by " + plural(len(parents), "parent", "parents")
	if len(refs) > len(parents) {
		title = fmt.Sprintf("instantiated %d times by %s", len(refs), plural(len(parents), "parent", "parents"))
	}
	var at diag.Span
	if m := f.sectionMember("manifest_version"); m != nil {
		at = m.Key.Span()
	}
	return []CodeLens{{Span: at, Title: title, Command: ShowReferences, Locations: refs}}, nil
}

// plural writes a count with its noun: "1 reference", "2 references".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
