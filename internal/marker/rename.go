package marker

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/source"
)

// renameMarker checks //@rename(text, newName, expect...): renaming what
// the text at its start declares or names to newName edits exactly the
// places listed, each "file:line:col" (1-based, columns in bytes) where an
// edit starts, and each edit writes newName; or, with one expectation
// "error: substring", the rename is refused with an error whose message
// contains substring; "none" when the text names nothing renamable. With
// a @renames section the lines each rename changes are recorded there.
func renameMarker(m *mark) {
	text, newName, expect := m.args[0], m.args[1], m.args[2:]
	off, ok := m.start(text)
	if !ok {
		return
	}
	edits, err := m.backend().rename(m.file.name, off, newName)
	if b := m.r.golden(sectionRenames); b != nil {
		fmt.Fprintf(b, "== %s:%d %q -> %q\n", m.file.name, m.line+1, text, newName)
		if err != nil {
			fmt.Fprintf(b, "error: %s\n", m.r.scrub(errorMessage(err)))
		} else {
			m.r.renderEdits(b, edits)
		}
		b.WriteString("\n")
	}
	if want, refused := strings.CutPrefix(expect[0], "error: "); refused {
		switch {
		case err == nil:
			m.errorf("the rename was not refused: %d edits", len(edits))
		case !strings.Contains(errorMessage(err), want):
			m.errorf("the rename was refused with %q, want a message containing %q", errorMessage(err), want)
		}
		return
	}
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var got []string
	for _, e := range edits {
		got = append(got, m.r.place(e.span))
		if !strings.Contains(e.newText, newName) {
			m.errorf("the edit at %s writes %q, not the new name", m.r.place(e.span), e.newText)
		}
	}
	m.samePlaces("edits", got, expect)
}

// errorMessage is the message of a backend's error: for the lsp backend,
// the message of the response error.
func errorMessage(err error) string {
	var re *analysis.RenameError
	if errors.As(err, &re) {
		return re.Message
	}
	msg := err.Error()
	if i := strings.Index(msg, ": error "); i >= 0 {
		if j := strings.Index(msg[i+len(": error "):], ": "); j >= 0 {
			return msg[i+len(": error ")+j+2:]
		}
	}
	return msg
}

// renderEdits writes the lines edits change, file by file: each edited
// line as it reads after the edits.
func (r *run) renderEdits(b io.Writer, edits []edit) {
	byFile := map[string][]edit{}
	for _, e := range edits {
		byFile[e.span.file] = append(byFile[e.span.file], e)
	}
	var files []string
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, name := range files {
		f := r.c.fileNamed(name)
		if f == nil {
			fmt.Fprintf(b, "%s: (not a case file)\n", name)
			continue
		}
		after, err := applyTo(f.text, byFile[name])
		if err != nil {
			fmt.Fprintf(b, "%s: %v\n", name, err)
			continue
		}
		lines := source.NewLines(after)
		var edited []int
		shift := 0
		for _, e := range sortedEdits(byFile[name]) {
			edited = append(edited, lines.Line(e.span.start+shift))
			shift += len(e.newText) - (e.span.end - e.span.start)
		}
		for _, l := range slices.Compact(edited) {
			fmt.Fprintf(b, "%s:%d: %s\n", name, l+1, strings.TrimSpace(string(after[lines.LineStart(l):lines.LineEnd(l)])))
		}
	}
}

// sortedEdits returns edits sorted by where they start.
func sortedEdits(edits []edit) []edit {
	out := slices.Clone(edits)
	slices.SortStableFunc(out, func(a, b edit) int { return a.span.start - b.span.start })
	return out
}

// applyTo applies edits of one file to its text.
func applyTo(text []byte, edits []edit) ([]byte, error) {
	out := string(text)
	sorted := sortedEdits(edits)
	for i := len(sorted) - 1; i >= 0; i-- {
		e := sorted[i]
		if e.span.start < 0 || e.span.start > e.span.end || e.span.end > len(out) || i+1 < len(sorted) && e.span.end > sorted[i+1].span.start {
			return nil, fmt.Errorf("edit [%d:%d] outside the text or overlapping another", e.span.start, e.span.end)
		}
		out = out[:e.span.start] + e.newText + out[e.span.end:]
	}
	return []byte(out), nil
}

func (b *analysisBackend) rename(file string, off int, newName string) ([]edit, error) {
	edits, err := b.snap.Rename(b.ctx, b.path(file), off, newName)
	return b.edits(edits, file), err
}

func (b *lspBackend) rename(file string, off int, newName string) ([]edit, error) {
	params := map[string]any{"textDocument": lspDocument{URI: b.uri(file)}, "position": b.position(file, off), "newName": newName}
	var res *lspWorkspaceEdit
	if err := b.cl.call("textDocument/rename", params, &res); err != nil || res == nil {
		return nil, err
	}
	_, out := res.convert(b)
	return out, nil
}
