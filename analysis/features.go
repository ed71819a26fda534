package analysis

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/amberlsp/amber-lsp/diag"
)

// The IDE features (hover, go-to-definition, completion, code actions) are
// pure functions of a snapshot and a byte offset in one of its files. They
// read the syntax tree only, never the typed manifest, so they keep working
// while the text is incomplete: the JSON5 parser is fault-tolerant and every
// node keeps its span. Files other than the one asked about (a child named
// in `components`, a helper named in `use`) are the ones the snapshot's
// links resolved when those are ready, else the ones the references name
// (resolved as the linker resolves them); they are read and parsed through
// the snapshot, so open documents win over the disk, and through the
// workspace's analysis cache, so a file is parsed once per content.

// Location is a span of a file, which is an absolute path.
type Location struct {
	File string    // absolute path of the file
	Span diag.Span // empty (0, 0) when the location is the whole file
}

// Hover is what hovering over some manifest text shows.
type Hover struct {
	// Markdown is the text to show.
	Markdown string
	// Span is the text the hover is about, in the file asked about.
	Span diag.Span
}

// CompletionKind says what a completion item inserts.
type CompletionKind int

// Completion item kinds.
const (
	CompleteKey       CompletionKind = iota + 1 // an object key
	CompleteValue                               // a keyword value (a capability kind, `true`, ...)
	CompleteComponent                           // a `#child` or `#use` name
	CompleteSlot                                // a slot name
	CompleteProvide                             // a provide name
	CompleteResource                            // a resource name
	CompleteExport                              // an export name
	CompleteConfig                              // a config property
	CompleteSource                              // a reference source or prefix (`config`, `slots`, ...)
	CompleteName                                // another declared name (endpoint, environment)
	CompleteSnippet                             // a new entry or element, as a snippet
)

// CompletionItem is one completion proposal. Applying it replaces Edit.Span
// of the file with Edit.NewText; the span contains the cursor.
type CompletionItem struct {
	Label  string         // what the list shows, usually the inserted name
	Kind   CompletionKind // what the item inserts
	Detail string         // one line about the item, e.g. a slot's kind
	Edit   diag.Edit      // the replacement in the file asked about
	// Snippet, when set, is Edit.NewText as an LSP snippet (tab stops,
	// placeholders, choices), for editors that take snippets.
	Snippet string
}

// CodeAction is a change offered at a place of a file: the fix of a
// diagnostic, a refactoring, or every safe fix of the file.
type CodeAction struct {
	// Title is the one line the editor's menu shows.
	Title string
	// Kind is ActionQuickFix, ActionRefactor or ActionFixAll.
	Kind string
	// Diagnostics are the diagnostics it resolves (none for a
	// refactoring).
	Diagnostics []diag.Diagnostic
	// Create lists the files it creates, empty, before its edits apply.
	Create []string
	// Edits are the changes; every edit names its file.
	Edits []diag.Edit
	// Preferred marks the fix that properly resolves the diagnostic, which
	// editors apply with "auto fix".
	Preferred bool
}

// DiagnosticRef identifies a diagnostic an editor shows, by code and span.
type DiagnosticRef struct {
	Code string    // the diagnostic's code, as in diag.Diagnostic.Code
	Span diag.Span // its primary span as the editor has it
}

// ActionQuery says for what code actions are asked: the diagnostics of the
// file whose primary span touches Span, and those named in Diagnostics;
// the refactorings of what the start of Span is on.
type ActionQuery struct {
	Span        diag.Span       // the editor's selection or cursor
	Diagnostics []DiagnosticRef // the diagnostics the editor sent with the request
	// Only lists the kinds asked for; a kind includes its sub-kinds
	// ("refactor" asks for ActionRefactor). Empty asks for quick fixes and
	// refactorings; fix-all is given only when asked for by kind.
	Only []string
}

// Hover returns what to show for the text at byte offset off of the file at
// path, or nil when there is nothing to say about it. The file is a
// manifest, or a cloud-init file a manifest names (features_sidecar.go).
func (s *Snapshot) Hover(ctx context.Context, path string, off int) (h *Hover, err error) {
	defer recoverFeature("hover", path, &err)
	if sf, err := s.sidecarFile(ctx, path, false); sf != nil || err != nil {
		return s.sidecarHover(ctx, sf, off)
	}
	f, err := s.featureFile(ctx, path)
	if err != nil {
		return nil, err
	}
	if f == nil {
		sf, err := s.sidecarFile(ctx, path, true)
		if sf == nil || err != nil {
			return nil, err
		}
		return s.sidecarHover(ctx, sf, off)
	}
	sym, ok := f.identify(off)
	if !ok {
		return nil, ctx.Err()
	}
	md := f.hover(ctx, sym)
	if sym.kind == symOverlay {
		md += f.previewHover(off) // what the last overlay preview did there
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if md == "" {
		return nil, nil
	}
	// The span holds the cursor, which may be on a quote or a field
	// (`url`) next to the name the hover is about.
	sp := sym.span
	sp.Start, sp.End = min(sp.Start, off), max(sp.End, off)
	return &Hover{Markdown: md, Span: sp}, nil
}

// Definition returns where the thing named by the text at byte offset off
// of the file at path is declared: a config property, a slot, an entry of
// `components` or `use`, a child manifest file, a declaration in a child's
// file; in a cloud-init file, the declaration a placeholder names. It
// returns nil when the text names nothing.
func (s *Snapshot) Definition(ctx context.Context, path string, off int) (locs []Location, err error) {
	defer recoverFeature("definition", path, &err)
	if sf, err := s.sidecarFile(ctx, path, false); sf != nil || err != nil {
		return s.sidecarDefinition(ctx, sf, off)
	}
	f, err := s.featureFile(ctx, path)
	if err != nil {
		return nil, err
	}
	if f == nil {
		sf, err := s.sidecarFile(ctx, path, true)
		if sf == nil || err != nil {
			return nil, err
		}
		return s.sidecarDefinition(ctx, sf, off)
	}
	sym, ok := f.identify(off)
	if !ok {
		return nil, ctx.Err()
	}
	locs = f.definition(ctx, sym)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return locs, nil
}

// Completion returns the completions at byte offset off of the file at
// path: keys, capability kinds, references and interpolation paths.
func (s *Snapshot) Completion(ctx context.Context, path string, off int) (items []CompletionItem, err error) {
	defer recoverFeature("completion", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil {
		return nil, err
	}
	items = f.complete(ctx, off)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return items, nil
}

// FeatureError reports a bug of amber-lsp met while computing a feature
// (a panic), so that the caller can answer with an error instead of
// crashing.
type FeatureError struct {
	Feature string // the feature's name, e.g. "hover"
	Path    string // the file it was asked for
	Panic   any    // the value recovered from the panic
	Stack   []byte // the goroutine's stack at the panic
}

// Error returns the error's message.
func (e *FeatureError) Error() string {
	return fmt.Sprintf("internal error computing %s for %s: %v", e.Feature, e.Path, e.Panic)
}

// recoverFeature turns a panic of a feature into a *FeatureError.
func recoverFeature(feature, path string, err *error) {
	if r := recover(); r != nil {
		*err = &FeatureError{Feature: feature, Path: path, Panic: r, Stack: debug.Stack()}
	}
}
