package marker

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/source"
)

// position matches a def target written file:line:col.
var position = regexp.MustCompile(`^([^:]+):(\d+):(\d+)$`)

// defMarker checks //@def(text, target): a definition at the start of text
// is at target, "file:line:col" (1-based, columns in bytes) or the text the
// definition starts with.
func defMarker(m *mark) {
	text, target := m.args[0], m.args[1]
	off, ok := m.start(text)
	if !ok {
		return
	}
	locs, err := m.backend().definition(m.file.name, off)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	if len(locs) == 0 {
		m.errorf("no definition")
		return
	}
	var got []string
	for _, l := range locs {
		f := m.r.c.fileNamed(l.file)
		if f == nil || l.start < 0 || l.start > len(f.text) {
			got = append(got, fmt.Sprintf("%s:[%d:%d]", l.file, l.start, l.end))
			continue
		}
		p := f.lines.Position(l.start, source.UTF8)
		at := fmt.Sprintf("%s:%d:%d", l.file, p.Line+1, p.Column+1)
		got = append(got, at)
		if position.MatchString(target) && at == target || !position.MatchString(target) && bytes.HasPrefix(f.text[l.start:], []byte(target)) {
			return
		}
	}
	m.errorf("definitions at %v, want %q", got, target)
}

func (b *analysisBackend) definition(file string, off int) ([]span, error) {
	locs, err := b.snap.Definition(b.ctx, b.path(file), off)
	return b.locations(locs, file), err
}

// locations converts locations found from file.
func (b *analysisBackend) locations(locs []analysis.Location, file string) []span {
	var out []span
	for _, l := range locs {
		out = append(out, b.span(b.name(l.File, file), l.Span))
	}
	return out
}

func (b *lspBackend) definition(file string, off int) ([]span, error) {
	var locs []lspLocation
	if err := b.cl.call("textDocument/definition", b.docPosition(file, off), &locs); err != nil {
		return nil, err
	}
	return b.locations(locs), nil
}

// locations converts locations.
func (b *lspBackend) locations(locs []lspLocation) []span {
	var out []span
	for _, l := range locs {
		out = append(out, b.span(b.name(l.URI), l.Range))
	}
	return out
}
