package marker

import (
	"path"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/analysis"
)

// symbolNode is an entry of a document's outline.
type symbolNode struct {
	name           string
	span, nameSpan span
	children       []symbolNode
}

// wsymbol is a workspace symbol: its name and where it is named.
type wsymbol struct {
	name string
	at   span
}

// symbolsMarker checks //@symbols(text, path): the outline has an entry
// named by the text that starts at text, whose names from the top are path
// (joined by " > "); its span holds its name and its children's spans.
func symbolsMarker(m *mark) {
	text, want := m.args[0], m.args[1]
	off, ok := m.start(text)
	if !ok {
		return
	}
	syms, err := m.backend().documentSymbols(m.file.name)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var found []string
	var walk func(syms []symbolNode, parent []string, outer span)
	walk = func(syms []symbolNode, parent []string, outer span) {
		for _, s := range syms {
			names := append(slices.Clone(parent), s.name)
			if s.nameSpan.start < s.span.start || s.nameSpan.end > s.span.end || s.span.start < outer.start || s.span.end > outer.end {
				m.errorf("entry %q: span %s, name %s, in %s: not nested", strings.Join(names, " > "), m.r.pos(s.span), m.r.pos(s.nameSpan), m.r.pos(outer))
			}
			if s.name == "" {
				m.errorf("an entry without a name at %s", m.r.pos(s.span))
			}
			if s.nameSpan.start == off {
				found = append(found, strings.Join(names, " > "))
			}
			walk(s.children, names, s.span)
		}
	}
	walk(syms, nil, span{file: m.file.name, start: 0, end: len(m.file.text)})
	if !slices.Contains(found, want) {
		m.errorf("no outline entry %q named at %q; entries named there: %q", want, text, found)
	}
}

// wsymbolsMarker checks //@wsymbols(query, name...): a workspace symbol
// query offers each name, in that order among them, and none written
// "!name". A name may be written "name@file" to say where it is declared.
func wsymbolsMarker(m *mark) {
	syms, err := m.backend().workspaceSymbols(m.args[0])
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var got []string
	index := func(want string) int {
		for i, s := range syms {
			name, file, hasFile := strings.Cut(want, "@")
			if s.name == name && (!hasFile || path.Base(s.at.file) == file) {
				return i
			}
		}
		return -1
	}
	for _, s := range syms {
		got = append(got, s.name+"@"+path.Base(s.at.file))
	}
	last := -1
	for _, want := range m.args[1:] {
		if absent, ok := strings.CutPrefix(want, "!"); ok {
			if index(absent) >= 0 {
				m.errorf("%q offered, want it absent; got %q", absent, got)
			}
			continue
		}
		i := index(want)
		switch {
		case i < 0:
			m.errorf("%q not offered; got %q", want, got)
		case i < last:
			m.errorf("%q offered before the names listed before it; got %q", want, got)
		default:
			last = i
		}
	}
}

func (b *analysisBackend) documentSymbols(file string) ([]symbolNode, error) {
	syms, err := b.snap.DocumentSymbols(b.ctx, b.path(file))
	var conv func(syms []analysis.DocumentSymbol) []symbolNode
	conv = func(syms []analysis.DocumentSymbol) []symbolNode {
		var out []symbolNode
		for _, s := range syms {
			out = append(out, symbolNode{name: s.Name, span: b.span(file, s.Span), nameSpan: b.span(file, s.NameSpan), children: conv(s.Children)})
		}
		return out
	}
	return conv(syms), err
}

func (b *analysisBackend) workspaceSymbols(query string) ([]wsymbol, error) {
	syms, err := b.snap.WorkspaceSymbols(b.ctx, query, 0)
	var out []wsymbol
	for _, s := range syms {
		name := b.name(s.File, "")
		out = append(out, wsymbol{name: s.Name, at: b.span(name, s.Span)})
	}
	return out, err
}

// lspSymbol is a DocumentSymbol on the wire.
type lspSymbol struct {
	Name           string      `json:"name"`
	Range          lspRange    `json:"range"`
	SelectionRange lspRange    `json:"selectionRange"`
	Children       []lspSymbol `json:"children"`
}

func (b *lspBackend) documentSymbols(file string) ([]symbolNode, error) {
	var syms []lspSymbol
	if err := b.cl.call("textDocument/documentSymbol", map[string]any{"textDocument": lspDocument{URI: b.uri(file)}}, &syms); err != nil {
		return nil, err
	}
	var conv func(syms []lspSymbol) []symbolNode
	conv = func(syms []lspSymbol) []symbolNode {
		var out []symbolNode
		for _, s := range syms {
			out = append(out, symbolNode{name: s.Name, span: b.span(file, s.Range), nameSpan: b.span(file, s.SelectionRange), children: conv(s.Children)})
		}
		return out
	}
	return conv(syms), nil
}

func (b *lspBackend) workspaceSymbols(query string) ([]wsymbol, error) {
	var syms []struct {
		Name     string      `json:"name"`
		Location lspLocation `json:"location"`
	}
	if err := b.cl.call("workspace/symbol", map[string]any{"query": query}, &syms); err != nil {
		return nil, err
	}
	var out []wsymbol
	for _, s := range syms {
		name := b.name(s.Location.URI)
		out = append(out, wsymbol{name: s.Name, at: b.span(name, s.Location.Range)})
	}
	return out, nil
}
