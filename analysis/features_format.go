package analysis

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
	"github.com/amberlsp/amber-lsp/manifest/json5/format"
)

// Format returns the edits that format the manifest at path (package
// format says how): none when it is formatted already, or when the file is
// not a manifest. A text with syntax errors is not formatted: the error is
// then a *format.SyntaxError.
func (s *Snapshot) Format(ctx context.Context, path string, opts format.Options) (edits []diag.Edit, err error) {
	defer recoverFeature("formatting", path, &err)
	return s.formatEdits(ctx, path, opts, nil)
}

// FormatRange returns the edits that format the members or elements of the
// manifest at path around span (format.Range), like Format otherwise.
func (s *Snapshot) FormatRange(ctx context.Context, path string, span diag.Span, opts format.Options) (edits []diag.Edit, err error) {
	defer recoverFeature("range formatting", path, &err)
	return s.formatEdits(ctx, path, opts, &span)
}

// formatEdits formats the whole file, or the region around span.
func (s *Snapshot) formatEdits(ctx context.Context, path string, opts format.Options, span *diag.Span) ([]diag.Edit, error) {
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil || f.syn == nil {
		return nil, err
	}
	var edits []format.Edit
	if span != nil {
		edits, err = format.Range(f.syn, *span, opts)
	} else {
		var res *format.Result
		if res, err = format.File(f.syn, opts); err == nil {
			edits = res.Edits
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]diag.Edit, len(edits))
	for i, e := range edits {
		out[i] = diag.Edit{File: f.path, Span: e.Span, NewText: e.NewText}
	}
	return out, ctx.Err()
}

// FormatTargets returns the files `amber-lsp fmt` formats for paths: each
// file named, and the manifests below each directory named, found as
// --check finds them (hidden directories and node_modules skipped), in
// lexical order. Paths are as given, joined with what was found below
// them. It fails when a path or a directory below one cannot be read.
func FormatTargets(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %s", p, shortError(err))
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		files, err := walkCandidates(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, err)
		}
		for _, file := range files {
			text, err := localfile.Read(file)
			if err != nil {
				return nil, fmt.Errorf("cannot read %s: %s", file, shortError(err))
			}
			if !mayBeManifest(text) {
				continue
			}
			syn := json5.Parse(text)
			if isManifest(&parsed{text: text, res: &manifest.Result{Syntax: syn}}) {
				out = append(out, file)
			}
		}
	}
	return out, nil
}

// FormatText formats the text of the file at path for `amber-lsp fmt`. For
// a text with syntax errors it returns no text and the diagnostics that
// say why, those --check reports for them; for a text it does not format
// for another reason (format.ErrTooLarge), that error.
func FormatText(path string, text []byte) ([]byte, []diag.Diagnostic, error) {
	out, err := format.Source(text, format.Options{})
	var se *format.SyntaxError
	if errors.As(err, &se) {
		return nil, manifest.SyntaxDiagnostics(path, se.Errors), nil
	}
	return out, nil, err
}
