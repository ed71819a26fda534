package marker

import (
	"fmt"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/source"
)

// refsMarker checks //@refs(text, location...): the references of what
// the text at its start declares or names, declaration included, are
// exactly these places, each "file:line:col" (1-based, columns in bytes)
// where the name starts; "none" when it names nothing.
func refsMarker(m *mark) {
	off, ok := m.start(m.args[0])
	if !ok {
		return
	}
	locs, err := m.backend().references(m.file.name, off)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var got []string
	for _, l := range locs {
		got = append(got, m.r.place(l))
	}
	m.samePlaces("references", got, m.args[1:])
}

// samePlaces compares places found with the places a marker lists ("none"
// for no place), in any order.
func (m *mark) samePlaces(what string, got, want []string) {
	if len(want) == 1 && want[0] == "none" {
		want = nil
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		m.errorf("%s at\n\t%s\nwant\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// place renders where a span starts: file:line:col, 1-based, columns in
// bytes.
func (r *run) place(s span) string {
	f := r.c.fileNamed(s.file)
	if f == nil || s.start < 0 || s.start > len(f.text) {
		return fmt.Sprintf("%s:[%d:%d]", s.file, s.start, s.end)
	}
	p := f.lines.Position(s.start, source.UTF8)
	return fmt.Sprintf("%s:%d:%d", s.file, p.Line+1, p.Column+1)
}

func (b *analysisBackend) references(file string, off int) ([]span, error) {
	locs, err := b.snap.References(b.ctx, b.path(file), off, true)
	return b.locations(locs, file), err
}

func (b *lspBackend) references(file string, off int) ([]span, error) {
	params := map[string]any{
		"textDocument": lspDocument{URI: b.uri(file)},
		"position":     b.position(file, off),
		"context":      map[string]bool{"includeDeclaration": true},
	}
	var locs []lspLocation
	if err := b.cl.call("textDocument/references", params, &locs); err != nil {
		return nil, err
	}
	return b.locations(locs), nil
}
