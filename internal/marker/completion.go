package marker

import (
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

// completeMarker checks //@complete(text, label...): completing at the end
// of text offers every label, and none written "!label"; every item's edit
// holds the cursor.
func completeMarker(m *mark) {
	off, ok := m.end(m.args[0])
	if !ok {
		return
	}
	items, err := m.backend().completion(m.file.name, off)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var labels []string
	for _, it := range items {
		labels = append(labels, it.label)
		if e := it.edit.span; e.file != m.file.name || e.start > off || off > e.end {
			m.errorf("item %q edits %s, which does not hold the cursor", it.label, m.r.pos(e))
		}
	}
	for _, want := range m.args[1:] {
		if absent, ok := strings.CutPrefix(want, "!"); ok {
			if slices.Contains(labels, absent) {
				m.errorf("%q offered, want it absent; got %q", absent, labels)
			}
		} else if !slices.Contains(labels, want) {
			m.errorf("%q not offered; got %q", want, labels)
		}
	}
}

func (b *analysisBackend) completion(file string, off int) ([]completionItem, error) {
	items, err := b.snap.Completion(b.ctx, b.path(file), off)
	var out []completionItem
	for _, it := range items {
		out = append(out, completionItem{label: it.Label, edit: b.edits([]diag.Edit{it.Edit}, file)[0]})
	}
	return out, err
}

func (b *lspBackend) completion(file string, off int) ([]completionItem, error) {
	var list struct {
		Items []struct {
			Label    string      `json:"label"`
			TextEdit lspTextEdit `json:"textEdit"`
		} `json:"items"`
	}
	if err := b.cl.call("textDocument/completion", b.docPosition(file, off), &list); err != nil {
		return nil, err
	}
	var out []completionItem
	for _, it := range list.Items {
		out = append(out, completionItem{label: it.Label, edit: edit{span: b.span(file, it.TextEdit.Range), newText: it.TextEdit.NewText}})
	}
	return out, nil
}
