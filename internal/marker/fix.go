package marker

import (
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/source"
)

// fixMarker checks //@fix(code, text): applying the quick fixes of the
// `code` diagnostics that start on the marker's line makes that line
// contain text, which it did not before.
func fixMarker(m *mark) {
	code, want := m.args[0], m.args[1]
	f := m.file
	line := span{file: f.name, start: f.lines.LineStart(m.line), end: f.lines.LineEnd(m.line)}
	actions, err := m.backend().codeActions(f.name, line)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var edits []edit
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.code+": "+a.title)
		if a.kind == analysis.ActionQuickFix && a.code == code && a.diagnosed.file == f.name && f.lines.Line(a.diagnosed.start) == m.line {
			edits = append(edits, a.edits...)
		}
	}
	if len(edits) == 0 {
		m.errorf("no fix of %s on this line; actions: %q", code, titles)
		return
	}
	if strings.Contains(f.code(m.line), want) {
		m.errorf("the line already contains %q before the fix", want)
		return
	}
	after, ok := applyEdits(m, edits)
	if !ok {
		return
	}
	fixed := &file{name: f.name, text: after, lines: source.NewLines(after)}
	if got := fixed.code(m.line); !strings.Contains(got, want) {
		m.errorf("after the fix the line reads %q, want it to contain %q", got, want)
	}
}

// applyEdits applies edits of the marker's file, last first.
func applyEdits(m *mark, edits []edit) ([]byte, bool) {
	edits = slices.Clone(edits)
	slices.SortFunc(edits, func(a, b edit) int { return b.span.start - a.span.start })
	text := string(m.file.text)
	for _, e := range edits {
		if e.span.file != m.file.name {
			m.errorf("the fix edits another file, %s", e.span.file)
			return nil, false
		}
		if e.span.start < 0 || e.span.start > e.span.end || e.span.end > len(text) {
			m.errorf("the fix edits %s, outside the text", m.r.pos(e.span))
			return nil, false
		}
		text = text[:e.span.start] + e.newText + text[e.span.end:]
	}
	return []byte(text), true
}

func (b *analysisBackend) codeActions(file string, sp span, only ...string) ([]codeAction, error) {
	actions, err := b.snap.CodeActions(b.ctx, b.path(file), analysis.ActionQuery{Span: diag.Span{Start: sp.start, End: sp.end}, Only: only})
	var out []codeAction
	for _, a := range actions {
		ca := codeAction{title: a.Title, kind: a.Kind, edits: b.edits(a.Edits, file)}
		if len(a.Diagnostics) > 0 {
			d := a.Diagnostics[0]
			p, _ := d.Primary()
			ca.code, ca.diagnosed = string(d.Code), b.span(b.name(p.File, file), p.Span)
		}
		for _, c := range a.Create {
			ca.creates = append(ca.creates, b.name(c, file))
		}
		out = append(out, ca)
	}
	return out, err
}

func (b *lspBackend) codeActions(file string, sp span, only ...string) ([]codeAction, error) {
	ctx := map[string]any{"diagnostics": []any{}}
	if len(only) > 0 {
		ctx["only"] = only
	}
	params := map[string]any{
		"textDocument": lspDocument{URI: b.uri(file)},
		"range":        lspRange{Start: b.position(file, sp.start), End: b.position(file, sp.end)},
		"context":      ctx,
	}
	var actions []struct {
		Title       string           `json:"title"`
		Kind        string           `json:"kind"`
		Diagnostics []lspDiagnostic  `json:"diagnostics"`
		Edit        lspWorkspaceEdit `json:"edit"`
	}
	if err := b.cl.call("textDocument/codeAction", params, &actions); err != nil {
		return nil, err
	}
	var out []codeAction
	for _, a := range actions {
		ca := codeAction{title: a.Title, kind: a.Kind}
		if len(a.Diagnostics) > 0 {
			d := b.diagnostic(file, a.Diagnostics[0])
			ca.code, ca.diagnosed = d.code, d.span
		}
		ca.creates, ca.edits = a.Edit.convert(b)
		out = append(out, ca)
	}
	return out, nil
}

// lspWorkspaceEdit is a WorkspaceEdit as the server sends it: `changes`,
// or `documentChanges` (text edits and file creations) to clients that
// take them, as this one says it does.
type lspWorkspaceEdit struct {
	Changes         map[string][]lspTextEdit `json:"changes"`
	DocumentChanges []struct {
		Kind         string        `json:"kind"`
		URI          string        `json:"uri"`
		TextDocument lspDocument   `json:"textDocument"`
		Edits        []lspTextEdit `json:"edits"`
	} `json:"documentChanges"`
}

// convert returns the files the edit creates and its text edits.
func (w *lspWorkspaceEdit) convert(b *lspBackend) (creates []string, edits []edit) {
	for uri, es := range w.Changes {
		name := b.name(uri)
		for _, e := range es {
			edits = append(edits, edit{span: b.span(name, e.Range), newText: e.NewText})
		}
	}
	for _, c := range w.DocumentChanges {
		if c.Kind == "create" {
			creates = append(creates, b.name(c.URI))
			continue
		}
		name := b.name(c.TextDocument.URI)
		for _, e := range c.Edits {
			edits = append(edits, edit{span: b.span(name, e.Range), newText: e.NewText})
		}
	}
	return creates, edits
}
