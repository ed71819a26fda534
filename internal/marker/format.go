package marker

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
	"github.com/amberlsp/amber-lsp/manifest/json5/format"
)

// formatMarker checks //@format() and //@format(text): formatting the
// marker's file (or, with text, the range of text) gives edits that apply
// cleanly and keep what the text means; a text with syntax errors gets no
// edit; formatting the whole file gives a text that is its own formatting.
// With a @format section the text after the edits is recorded there.
func formatMarker(m *mark) {
	var sp *span
	call := "format()"
	if len(m.args) == 1 {
		off, ok := m.start(m.args[0])
		if !ok {
			return
		}
		sp = &span{file: m.file.name, start: off, end: off + len(m.args[0])}
		call = fmt.Sprintf("format(%q)", m.args[0])
	}
	edits, err := m.backend().format(m.file.name, sp)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	after, ok := applyEdits(m, edits)
	if !ok {
		return
	}
	if b := m.r.golden(sectionFormat); b != nil {
		fmt.Fprintf(b, "== %s:%d %s\n", m.file.name, m.line+1, call)
		if len(edits) == 0 {
			b.WriteString("(no edits)\n\n")
		} else {
			fmt.Fprintf(b, "%s\n", after)
		}
	}
	before := json5.Parse(m.file.text)
	if _, err := format.File(before, format.Options{}); err != nil {
		if len(edits) > 0 {
			m.errorf("%d edits of a text that has syntax errors (%v)", len(edits), err)
		}
		return
	}
	got := json5.Parse(after)
	if got.HasSyntaxErrors() || !reflect.DeepEqual(got.Root().Value(), before.Root().Value()) {
		m.errorf("the edits change what the text means:\n%s", after)
		return
	}
	if sp != nil {
		return
	}
	if again, err := format.Source(after, format.Options{}); err != nil || string(again) != string(after) {
		m.errorf("formatting the formatted text changes it again (%v):\n%s", err, again)
	}
}

func (b *analysisBackend) format(file string, sp *span) ([]edit, error) {
	var edits []diag.Edit
	var err error
	if sp == nil {
		edits, err = b.snap.Format(b.ctx, b.path(file), format.Options{})
	} else {
		edits, err = b.snap.FormatRange(b.ctx, b.path(file), diag.Span{Start: sp.start, End: sp.end}, format.Options{})
	}
	var se *format.SyntaxError
	if errors.As(err, &se) || errors.Is(err, format.ErrTooLarge) {
		return nil, nil // the server answers no edit
	}
	return b.edits(edits, file), err
}

func (b *lspBackend) format(file string, sp *span) ([]edit, error) {
	params := map[string]any{
		"textDocument": lspDocument{URI: b.uri(file)},
		"options":      map[string]any{"tabSize": 2, "insertSpaces": true},
	}
	method := "textDocument/formatting"
	if sp != nil {
		method = "textDocument/rangeFormatting"
		params["range"] = lspRange{Start: b.position(file, sp.start), End: b.position(file, sp.end)}
	}
	var res []lspTextEdit
	if err := b.cl.call(method, params, &res); err != nil {
		return nil, err
	}
	var out []edit
	for _, e := range res {
		out = append(out, edit{span: b.span(file, e.Range), newText: e.NewText})
	}
	return out, nil
}
