package marker

import (
	"strings"
)

// prepareRenameMarker checks //@prepareRename(text, expect): a rename at
// the start of text would rename the name expect, written where the range
// it answers is; "none" when nothing there is renamable; "error:
// substring" when it is refused with such a message.
func prepareRenameMarker(m *mark) {
	text, want := m.args[0], m.args[1]
	off, ok := m.start(text)
	if !ok {
		return
	}
	t, err := m.backend().prepareRename(m.file.name, off)
	if refusal, refused := strings.CutPrefix(want, "error: "); refused {
		switch {
		case err == nil:
			m.errorf("not refused: %+v", t)
		case !strings.Contains(errorMessage(err), refusal):
			m.errorf("refused with %q, want a message containing %q", errorMessage(err), refusal)
		}
		return
	}
	switch {
	case err != nil:
		m.errorf("%v", err)
	case want == "none":
		if t != nil {
			m.errorf("renames %q at %s, want nothing renamable", t.placeholder, m.r.pos(t.span))
		}
	case t == nil:
		m.errorf("nothing renamable, want %q", want)
	case t.placeholder != want:
		m.errorf("renames %q, want %q", t.placeholder, want)
	case t.span.file != m.file.name || m.r.spanText(t.span) != want:
		m.errorf("the range %s reads %q, want %q", m.r.pos(t.span), m.r.spanText(t.span), want)
	}
}

func (b *analysisBackend) prepareRename(file string, off int) (*renameTarget, error) {
	t, err := b.snap.PrepareRename(b.ctx, b.path(file), off)
	if err != nil || t == nil {
		return nil, err
	}
	return &renameTarget{span: b.span(file, t.Span), placeholder: t.Name}, nil
}

func (b *lspBackend) prepareRename(file string, off int) (*renameTarget, error) {
	var res *struct {
		Range       lspRange `json:"range"`
		Placeholder string   `json:"placeholder"`
	}
	if err := b.cl.call("textDocument/prepareRename", b.docPosition(file, off), &res); err != nil || res == nil {
		return nil, err
	}
	return &renameTarget{span: b.span(file, res.Range), placeholder: res.Placeholder}, nil
}
