package marker

// highlight is a place a document highlight shows.
type highlight struct {
	span
	decl bool // the declaration (a write); otherwise a reference (a read)
}

// highlightMarker checks //@highlight(text, place...): the document
// highlights at the start of text are exactly these places, each
// "file:line:col" where a name starts (as refs), the declaration's
// written "decl file:line:col"; "none" when there is none.
func highlightMarker(m *mark) {
	off, ok := m.start(m.args[0])
	if !ok {
		return
	}
	hs, err := m.backend().highlights(m.file.name, off)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var got []string
	for _, h := range hs {
		p := m.r.place(h.span)
		if h.decl {
			p = "decl " + p
		}
		got = append(got, p)
	}
	m.samePlaces("highlights", got, m.args[1:])
}

func (b *analysisBackend) highlights(file string, off int) ([]highlight, error) {
	hs, err := b.snap.Highlights(b.ctx, b.path(file), off)
	var out []highlight
	for _, h := range hs {
		out = append(out, highlight{b.span(file, h.Span), h.Declaration})
	}
	return out, err
}

func (b *lspBackend) highlights(file string, off int) ([]highlight, error) {
	var hs []struct {
		Range lspRange `json:"range"`
		Kind  int      `json:"kind"`
	}
	if err := b.cl.call("textDocument/documentHighlight", b.docPosition(file, off), &hs); err != nil {
		return nil, err
	}
	var out []highlight
	for _, h := range hs {
		out = append(out, highlight{b.span(file, h.Range), h.Kind == 3}) // DocumentHighlightKind.Write
	}
	return out, nil
}
