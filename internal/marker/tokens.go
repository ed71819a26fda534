package marker

import (
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

// token is a semantic token: its span and its type and modifiers, named as
// in the LSP ("parameter", "declaration.deprecated").
type token struct {
	span span
	typ  string
	mods string
}

// tokensMarker checks //@tokens(text, type): the semantic tokens of the
// file have a token covering exactly text, of that type, written
// "type" or "type.modifier.modifier..." (every modifier, in the legend's
// order). The tokens of the marker's line alone (a range request) must
// have it too.
func tokensMarker(m *mark) {
	text, want := m.args[0], m.args[1]
	off, ok := m.start(text)
	if !ok {
		return
	}
	full, err := m.backend().semanticTokens(m.file.name, nil)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	check := func(what string, toks []token) {
		var got []string
		for i, t := range toks {
			if i > 0 && t.span.start < toks[i-1].span.end {
				m.errorf("%s: token %s overlaps the one before", what, m.r.pos(t.span))
			}
			name := t.typ
			if t.mods != "" {
				name += "." + t.mods
			}
			if t.span.start == off {
				if t.span.end == off+len(text) && name == want {
					return
				}
				got = append(got, fmt.Sprintf("%s %q", name, m.file.text[t.span.start:min(t.span.end, len(m.file.text))]))
			}
		}
		m.errorf("%s: no %s token %q; tokens starting there: %s", what, want, text, strings.Join(got, ", "))
	}
	check("full", full)
	line := &span{file: m.file.name, start: m.file.lines.LineStart(m.file.lines.Line(off)), end: m.file.lines.LineEnd(m.file.lines.Line(off + len(text)))}
	ranged, err := m.backend().semanticTokens(m.file.name, line)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	check("range", ranged)
}

func (b *analysisBackend) semanticTokens(file string, within *span) ([]token, error) {
	sp := diag.Span{Start: 0, End: int(^uint(0) >> 1)}
	if within != nil {
		sp = diag.Span{Start: within.start, End: within.end}
	}
	toks, err := b.snap.SemanticTokens(b.ctx, b.path(file), sp)
	var out []token
	for _, t := range toks {
		out = append(out, token{span: b.span(file, t.Span), typ: t.Kind.String(), mods: t.Mods.String()})
	}
	return out, err
}

func (b *lspBackend) semanticTokens(file string, within *span) ([]token, error) {
	var res *struct {
		Data []int `json:"data"`
	}
	params := map[string]any{"textDocument": lspDocument{URI: b.uri(file)}}
	method := "textDocument/semanticTokens/full"
	if within != nil {
		method = "textDocument/semanticTokens/range"
		params["range"] = lspRange{Start: b.position(file, within.start), End: b.position(file, within.end)}
	}
	if err := b.cl.call(method, params, &res); err != nil || res == nil {
		return nil, err
	}
	var out []token
	line, col := 0, 0
	for i := 0; i+5 <= len(res.Data); i += 5 {
		d := res.Data[i : i+5]
		if d[0] > 0 {
			col = 0
		}
		line, col = line+d[0], col+d[1]
		var mods []string
		for bit, name := range b.legend.mods {
			if d[4]&(1<<bit) != 0 {
				mods = append(mods, name)
			}
		}
		typ := fmt.Sprint(d[3])
		if d[3] < len(b.legend.types) {
			typ = b.legend.types[d[3]]
		}
		start := b.offset(file, lspPosition{Line: line, Character: col})
		end := b.offset(file, lspPosition{Line: line, Character: col + d[2]})
		// A token the server split at a line break is one token here.
		if n := len(out); n > 0 && out[n-1].typ == typ && out[n-1].mods == strings.Join(mods, ".") && b.lineBreakOnly(file, out[n-1].span.end, start) {
			out[n-1].span.end = end
			continue
		}
		out = append(out, token{span: span{file: file, start: start, end: end}, typ: typ, mods: strings.Join(mods, ".")})
	}
	return out, nil
}

// lineBreakOnly reports whether the text of file between from and to is a
// line break and nothing else.
func (b *lspBackend) lineBreakOnly(file string, from, to int) bool {
	f := b.c.fileNamed(file)
	if f == nil || from < 0 || to > len(f.text) || from >= to {
		return false
	}
	s := string(f.text[from:to])
	return s == "\n" || s == "\r\n" || s == "\r"
}
