package marker

import "strings"

// link is a document link: its span and its target, a case file name or a
// URL.
type link struct {
	span   span
	target string
}

// linksMarker checks //@links(text, target): the document links of the
// file have a link starting at text whose target is target (a case file
// name, or a URL); with target "", no link starts there.
func linksMarker(m *mark) {
	text, want := m.args[0], m.args[1]
	off, ok := m.start(text)
	if !ok {
		return
	}
	links, err := m.backend().documentLinks(m.file.name)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var got []string
	for _, l := range links {
		if l.span.file != m.file.name || l.span.start > l.span.end || l.span.end > len(m.file.text) {
			m.errorf("a link at %s lies outside the file", m.r.pos(l.span))
			continue
		}
		if l.span.start == off {
			got = append(got, l.target)
		}
	}
	switch {
	case want == "" && len(got) > 0:
		m.errorf("links to %q start at %q, want none", got, text)
	case want != "" && (len(got) != 1 || got[0] != want):
		m.errorf("links starting at %q go to %q, want %q", text, strings.Join(got, ", "), want)
	}
}

func (b *analysisBackend) documentLinks(file string) ([]link, error) {
	links, err := b.snap.DocumentLinks(b.ctx, b.path(file))
	var out []link
	for _, l := range links {
		target := l.URL
		if l.File != "" {
			target = b.name(l.File, "")
		}
		out = append(out, link{span: b.span(file, l.Span), target: target})
	}
	return out, err
}

func (b *lspBackend) documentLinks(file string) ([]link, error) {
	var links []struct {
		Range  lspRange `json:"range"`
		Target string   `json:"target"`
	}
	if err := b.cl.call("textDocument/documentLink", map[string]any{"textDocument": lspDocument{URI: b.uri(file)}}, &links); err != nil {
		return nil, err
	}
	var out []link
	for _, l := range links {
		out = append(out, link{span: b.span(file, l.Range), target: b.name(l.Target)})
	}
	return out, nil
}
