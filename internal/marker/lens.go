package marker

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"

	"github.com/amberlsp/amber-lsp/analysis"
)

// countedTitle matches the title of a lens that counts its locations.
var countedTitle = regexp.MustCompile(`^(\d+) references?$`)

// lensMarker checks //@lens(text, title): a code lens of the file starts
// where text starts and has that title ("none": no lens starts there). A
// lens titled "N references" shows N locations with amber.showReferences.
func lensMarker(m *mark) {
	text, want := m.args[0], m.args[1]
	off, ok := m.start(text)
	if !ok {
		return
	}
	lenses, err := m.backend().codeLenses(m.file.name)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var titles []string
	for _, l := range lenses {
		if l.span.file != m.file.name || l.span.start != off {
			continue
		}
		titles = append(titles, l.title)
		if l.title != want {
			continue
		}
		if c := countedTitle.FindStringSubmatch(l.title); c != nil {
			if n, _ := strconv.Atoi(c[1]); n != len(l.locations) {
				m.errorf("lens %q shows %d locations", l.title, len(l.locations))
			}
			if l.command != analysis.ShowReferences {
				m.errorf("lens %q runs %q, want %s", l.title, l.command, analysis.ShowReferences)
			}
		}
		return
	}
	if want == "none" && len(titles) == 0 {
		return
	}
	m.errorf("lenses here: %q, want %q", titles, want)
}

func (b *analysisBackend) codeLenses(file string) ([]lens, error) {
	lenses, err := b.snap.CodeLenses(b.ctx, b.path(file))
	var out []lens
	for _, l := range lenses {
		ln := lens{span: b.span(file, l.Span), title: l.Title, command: l.Command}
		for _, loc := range l.Locations {
			ln.locations = append(ln.locations, b.span(b.name(loc.File, file), loc.Span))
		}
		out = append(out, ln)
	}
	return out, err
}

func (b *lspBackend) codeLenses(file string) ([]lens, error) {
	var lenses []struct {
		Range   lspRange `json:"range"`
		Command struct {
			Title     string            `json:"title"`
			Command   string            `json:"command"`
			Arguments []json.RawMessage `json:"arguments"`
		} `json:"command"`
	}
	if err := b.cl.call("textDocument/codeLens", map[string]any{"textDocument": lspDocument{URI: b.uri(file)}}, &lenses); err != nil {
		return nil, err
	}
	var out []lens
	for _, l := range lenses {
		ln := lens{span: b.span(file, l.Range), title: l.Command.Title, command: l.Command.Command}
		if ln.command == analysis.ShowReferences {
			// [uri, position, locations], as editor.action.showReferences.
			var uri string
			var pos lspPosition
			var locs []lspLocation
			if len(l.Command.Arguments) != 3 || json.Unmarshal(l.Command.Arguments[0], &uri) != nil ||
				json.Unmarshal(l.Command.Arguments[1], &pos) != nil || json.Unmarshal(l.Command.Arguments[2], &locs) != nil {
				return nil, fmt.Errorf("lens %q: arguments %s, want [uri, position, locations]", ln.title, l.Command.Arguments)
			}
			if uri != b.uri(file) || pos != l.Range.Start {
				return nil, fmt.Errorf("lens %q shows references at %s %v, want the lens's own position", ln.title, uri, pos)
			}
			for _, loc := range locs {
				ln.locations = append(ln.locations, b.span(b.name(loc.URI), loc.Range))
			}
		}
		out = append(out, ln)
	}
	return out, nil
}
