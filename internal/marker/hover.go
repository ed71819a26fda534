package marker

import (
	"fmt"
	"strings"
)

// hoverMarker checks //@hover(text, substring): the hover at the start of
// text contains substring and its span holds the cursor. With a @hovers
// section the whole text of the hover is recorded there.
func hoverMarker(m *mark) {
	text, want := m.args[0], m.args[1]
	off, ok := m.start(text)
	if !ok {
		return
	}
	h, err := m.backend().hover(m.file.name, off)
	if b := m.r.golden(sectionHovers); b != nil {
		fmt.Fprintf(b, "== %s:%d %q\n", m.file.name, m.line+1, text)
		switch {
		case err != nil:
			fmt.Fprintf(b, "error: %v\n", err)
		case h == nil:
			b.WriteString("(no hover)\n")
		default:
			fmt.Fprintf(b, "%s\n", m.r.scrub(h.text))
		}
		b.WriteString("\n")
	}
	switch {
	case err != nil:
		m.errorf("%v", err)
	case h == nil:
		m.errorf("no hover")
	default:
		if !strings.Contains(h.text, want) {
			m.errorf("the hover does not contain %q:\n%s", want, h.text)
		}
		if h.span.file != m.file.name || h.span.start > off || off > h.span.end {
			m.errorf("the hover's span %s does not hold the cursor", m.r.pos(h.span))
		}
	}
}

func (b *analysisBackend) hover(file string, off int) (*hoverResult, error) {
	h, err := b.snap.Hover(b.ctx, b.path(file), off)
	if err != nil || h == nil {
		return nil, err
	}
	return &hoverResult{text: h.Markdown, span: b.span(file, h.Span)}, nil
}

func (b *lspBackend) hover(file string, off int) (*hoverResult, error) {
	var res *struct {
		Contents struct {
			Kind  string `json:"kind"`
			Value string `json:"value"`
		} `json:"contents"`
		Range *lspRange `json:"range"`
	}
	if err := b.cl.call("textDocument/hover", b.docPosition(file, off), &res); err != nil || res == nil {
		return nil, err
	}
	if res.Contents.Kind != "markdown" {
		return nil, fmt.Errorf("hover contents of kind %q, want markdown", res.Contents.Kind)
	}
	if res.Range == nil {
		return nil, fmt.Errorf("hover without a range")
	}
	return &hoverResult{text: res.Contents.Value, span: b.span(file, *res.Range)}, nil
}
