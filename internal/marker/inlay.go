package marker

import (
	"github.com/amberlsp/amber-lsp/diag"
)

// inlayHint is an inlay hint: where it shows and its label.
type inlayHint struct {
	off   int
	label string
}

// inlayMarker checks //@inlay(text, label): an inlay hint with that label
// shows at the end of text; with label "", none shows there.
func inlayMarker(m *mark) {
	text, want := m.args[0], m.args[1]
	off, ok := m.end(text)
	if !ok {
		return
	}
	hints, err := m.backend().inlayHints(m.file.name)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var got []string
	for _, h := range hints {
		if h.off == off {
			got = append(got, h.label)
		}
	}
	switch {
	case want == "" && len(got) > 0:
		m.errorf("hints %q after %q, want none", got, text)
	case want != "" && !contains(got, want):
		m.errorf("hints after %q: %q, want %q", text, got, want)
	}
}

func (b *analysisBackend) inlayHints(file string) ([]inlayHint, error) {
	hints, err := b.snap.InlayHints(b.ctx, b.path(file), diag.Span{Start: 0, End: int(^uint(0) >> 1)})
	var out []inlayHint
	for _, h := range hints {
		out = append(out, inlayHint{off: h.Offset, label: h.Label})
	}
	return out, err
}

func (b *lspBackend) inlayHints(file string) ([]inlayHint, error) {
	f := b.c.fileNamed(file)
	end := lspPosition{Line: 1 << 30}
	if f != nil {
		end = b.position(file, len(f.text))
	}
	var hints []struct {
		Position lspPosition `json:"position"`
		Label    string      `json:"label"`
	}
	params := map[string]any{"textDocument": lspDocument{URI: b.uri(file)}, "range": lspRange{End: end}}
	if err := b.cl.call("textDocument/inlayHint", params, &hints); err != nil {
		return nil, err
	}
	var out []inlayHint
	for _, h := range hints {
		out = append(out, inlayHint{off: b.offset(file, h.Position), label: h.Label})
	}
	return out, nil
}
