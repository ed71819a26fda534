package manifest

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Result is everything known about one manifest file on its own: its syntax
// tree, its typed view (nil when the text could not be decoded), and the
// diagnostics of parsing, parse-time validation and lints.
type Result struct {
	File        string            // the path or URI given to AnalyzeWith, set on the labels and edits that name no file
	Syntax      *json5.File       // the parse of the text (Options.Syntax when that parsed the same text)
	Manifest    *Manifest         // nil on a syntax error; partial when decoding found shape errors
	Diagnostics []diag.Diagnostic // in stage order: syntax, shape, validation, lints; a stage with an error is the last

	// prior is what the analysis of a later version may reuse (reuse.go):
	// this version's decode; nil when it did not decode.
	prior *prior
}

// Options adjust Analyze.
type Options struct {
	// Component is the component path used in lint messages ("/" for a
	// root; "/child" for a child of the root).
	Component string
	// NoLints leaves the lints out (Amber does not lint `use` helpers).
	NoLints bool
	// ReadFile reads a program's `{ file }` target (an absolute path),
	// whose text validation checks as Amber does; nil reads the disk
	// (localfile.Read). Editors pass one that sees unsaved buffers, and
	// callers that cache a Result record what it returned: the Result
	// holds while every target it was asked for reads the same.
	ReadFile func(path string) ([]byte, error)
	// Syntax, when set, is the parse of src (json5.Parse or json5.Reparse
	// of it): an editor that parses each version incrementally passes it
	// so it is not parsed again.
	Syntax *json5.File
	// Previous, when set, is the Result of an earlier version of the same
	// file: an editor that analyzes each version passes the last one, and
	// the entries of the big sections whose text the edit did not change
	// are taken from it instead of being decoded again (reuse.go). The
	// Result is the one AnalyzeWith returns without Previous, and it keeps
	// no part of Previous that its own tree does not hold.
	Previous *Result
}

// Analyze is AnalyzeWith with default options: a root component, linted.
func Analyze(file string, src []byte) *Result { return AnalyzeWith(file, src, Options{}) }

// AnalyzeWith parses and validates one manifest. file names it in diagnostics
// and, when it is a local path, is where relative `{ file }` references are
// resolved from; src is its text. Lints are included as warnings; callers
// apply -D with diag.Deny.
//
// The stages follow Amber: syntax errors stop before decoding, shape errors
// before semantic validation, and lints run only on a valid manifest. Unlike
// Amber, every problem of the stage that failed is reported, not just the
// first.
func AnalyzeWith(file string, src []byte, opts Options) *Result {
	if opts.Component == "" {
		opts.Component = "/"
	}
	res := &Result{File: file, Syntax: opts.Syntax}
	if res.Syntax == nil || !bytes.Equal(res.Syntax.Src, src) {
		res.Syntax = json5.Parse(src)
	}
	syn := res.Syntax
	res.Diagnostics = make([]diag.Diagnostic, 0, min(len(syn.Errors), diag.MaxPerFile+1))
	var budget diag.Budget
	for _, e := range schemaEOF(syn) {
		if d := parseDiagnostic(e); budget.Keep(&d) {
			res.add(d)
		}
	}
	if s, ok := budget.Summary(codes.TooManyDiagnostics, ""); ok {
		res.add(s)
	}
	var prev *prior
	if opts.Previous != nil {
		prev = opts.Previous.prior
	}
	if syn.HasSyntaxErrors() || syn.Root() == nil {
		return res.finish()
	}
	m, d := decode(syn.Root(), syn.Src, prev)
	res.prior = &prior{src: syn.Src, m: m, dirty: d.dirty, reused: d.reused}
	sp := newSpans(syn.Root(), syn.SpanGrammarOK)
	res.Diagnostics = slices.Grow(res.Diagnostics, len(d.syntax)+len(d.errs)+len(d.draft))
	for _, e := range d.syntax {
		res.add(parseDiagnostic(e))
	}
	for _, e := range d.errs {
		res.add(sp.shapeDiagnostic(e))
	}
	for _, dg := range d.draft {
		res.add(dg)
	}
	if s, ok := d.budget.Summary(codes.TooManyDiagnostics, ""); ok {
		if d.omitted != nil {
			s.Labels[0].Span = sp.shapeSpan(*d.omitted)
		}
		res.add(s)
	}
	res.Manifest = m
	if len(d.errs) > 0 || len(d.syntax) > 0 {
		return res.finish()
	}
	v := &validator{m: m, sp: sp, dir: localDir(file), source: src, read: opts.ReadFile,
		prev: prev, bindings: d.bindings, sameChildren: d.sameChildren}
	v.run()
	res.prior.validated = v.found
	res.Diagnostics = append(append(res.Diagnostics, v.diags...), v.summary()...)
	if hasError(res.Diagnostics) || opts.NoLints {
		return res.finish()
	}
	res.Diagnostics = append(res.Diagnostics, Lint(res, opts.Component)...)
	return res.finish()
}

// Lint returns the lints of a manifest that analysed without errors, for
// the component at path component ("/" for the root, "/a/b" below it): the
// linker lints each component of a tree with its own path. It returns nil
// for a manifest that did not decode.
func Lint(res *Result, component string) []diag.Diagnostic {
	if res.Manifest == nil || hasError(res.Diagnostics) {
		return nil
	}
	v := &validator{m: res.Manifest, sp: newSpans(res.Syntax.Root(), res.Syntax.SpanGrammarOK), dir: localDir(res.File), source: res.Syntax.Src}
	l := &linter{validator: v, component: component}
	l.run()
	out := &Result{File: res.File, Diagnostics: append(l.diags, l.summary()...)}
	return out.finish().Diagnostics
}

func (r *Result) add(d diag.Diagnostic) { r.Diagnostics = append(r.Diagnostics, d) }

// finish names the file in every label and edit that has none.
func (r *Result) finish() *Result {
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		for j := range d.Labels {
			if d.Labels[j].File == "" {
				d.Labels[j].File = r.File
			}
		}
		for _, f := range d.Fixes {
			for k := range f.Edits {
				if f.Edits[k].File == "" {
					f.Edits[k].File = r.File
				}
			}
		}
	}
	return r
}

func hasError(diags []diag.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// parseDiagnostic converts a parser error to a diagnostic.
func parseDiagnostic(e json5.Error) diag.Diagnostic {
	msg := e.Message
	if e.Code == codes.JSON5Error {
		msg = "json5 parse error: " + e.Label
	}
	if msg == "" {
		msg = e.Label
	}
	return diag.Diagnostic{
		Code:     e.Code,
		Severity: e.Severity,
		Message:  msg,
		Labels:   []diag.Label{{Span: e.Span, Message: e.Label, Primary: true}},
	}
}

// localDir returns the directory of a manifest given by local path, or ""
// for URIs of other schemes.
func localDir(file string) string {
	if rest, ok := strings.CutPrefix(file, "file://"); ok {
		return filepath.Dir(rest)
	}
	if strings.Contains(file, "://") || file == "" {
		return ""
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return ""
	}
	return filepath.Dir(abs)
}
