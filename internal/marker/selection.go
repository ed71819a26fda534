package marker

import (
	"fmt"
	"strings"
)

// selectionMarker checks //@selection(text, range...): the selection
// ranges at the start of text begin with ranges holding exactly the given
// texts, innermost first; each range holds the one before, and the last is
// the whole file. With a @selections section the whole chain is recorded
// there.
func selectionMarker(m *mark) {
	text, want := m.args[0], m.args[1:]
	off, ok := m.start(text)
	if !ok {
		return
	}
	chain, err := m.backend().selectionRanges(m.file.name, off)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	f := m.file
	snippet := func(s span) string {
		if s.file != f.name || s.start < 0 || s.start > s.end || s.end > len(f.text) {
			return "?"
		}
		return string(f.text[s.start:s.end])
	}
	if b := m.r.golden(sectionSelections); b != nil {
		fmt.Fprintf(b, "== %s:%d %q\n", f.name, m.line+1, text)
		for _, s := range chain {
			line, _, _ := strings.Cut(snippet(s), "\n")
			if len(line) > 40 {
				line = line[:40] + "…"
			}
			fmt.Fprintf(b, "%s %q\n", m.r.pos(s), line)
		}
		b.WriteString("\n")
	}
	var got []string
	for _, s := range chain {
		got = append(got, snippet(s))
	}
	if len(chain) < len(want) {
		m.errorf("%d selection ranges %q, want at least %d", len(chain), got, len(want))
		return
	}
	for i, w := range want {
		if got[i] != w {
			m.errorf("selection range %d is %q, want %q (ranges %q)", i+1, got[i], w, got)
			return
		}
	}
	if s := chain[0]; s.start > off || off > s.end {
		m.errorf("the first selection range %s does not hold the cursor", m.r.pos(s))
	}
	for i := 1; i < len(chain); i++ {
		if chain[i].file != f.name || chain[i].start > chain[i-1].start || chain[i].end < chain[i-1].end || chain[i] == chain[i-1] {
			m.errorf("selection range %d %s does not strictly hold range %d %s", i+1, m.r.pos(chain[i]), i, m.r.pos(chain[i-1]))
		}
	}
	if last := chain[len(chain)-1]; last.start != 0 || last.end != len(f.text) {
		m.errorf("the last selection range %s is not the whole file", m.r.pos(last))
	}
}

func (b *analysisBackend) selectionRanges(file string, off int) ([]span, error) {
	chains, err := b.snap.SelectionRanges(b.ctx, b.path(file), []int{off})
	if err != nil || len(chains) != 1 {
		return nil, err
	}
	var out []span
	for _, s := range chains[0] {
		out = append(out, b.span(file, s))
	}
	return out, nil
}

// lspSelectionRange is a selection range and its parents.
type lspSelectionRange struct {
	Range  lspRange           `json:"range"`
	Parent *lspSelectionRange `json:"parent"`
}

func (b *lspBackend) selectionRanges(file string, off int) ([]span, error) {
	params := map[string]any{"textDocument": lspDocument{URI: b.uri(file)}, "positions": []lspPosition{b.position(file, off)}}
	var res []lspSelectionRange
	if err := b.cl.call("textDocument/selectionRange", params, &res); err != nil {
		return nil, err
	}
	if len(res) != 1 {
		return nil, fmt.Errorf("%d selection ranges for one position", len(res))
	}
	var out []span
	for r := &res[0]; r != nil; r = r.Parent {
		out = append(out, b.span(file, r.Range))
	}
	return out, nil
}
