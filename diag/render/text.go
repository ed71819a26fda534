package render

import (
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/source"
)

// TextOptions adjust the text rendering.
type TextOptions struct {
	Color bool // ANSI colours; only for terminals, never with NO_COLOR
}

// ANSI escapes.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiBlue   = "\x1b[34m"
)

// Text writes diagnostics the way Amber's CLI prints them: a header with
// the code, the message, the labelled source snippet and the help.
func Text(w io.Writer, diags []diag.Diagnostic, files *Files, opts TextOptions) {
	t := &textWriter{w: w, files: files, color: opts.Color, snippets: map[snippetKey][]renderedSnippet{}}
	for i, d := range diags {
		if i > 0 {
			fmt.Fprintln(w)
		}
		t.diagnostic(d)
	}
}

type textWriter struct {
	w     io.Writer
	files *Files
	color bool
	// snippets holds the snippets written so far: the diagnostics of a
	// manifest instantiated many times show the same lines.
	snippets map[snippetKey][]renderedSnippet
}

// snippetKey is what a snippet depends on, the labels hashed.
type snippetKey struct {
	file, style string
	labels      uint64
}

// renderedSnippet is a snippet's text with the labels it shows.
type renderedSnippet struct {
	labels []diag.Label
	text   string
}

var snippetSeed = maphash.MakeSeed()

func (t *textWriter) paint(style, s string) string {
	if !t.color || s == "" {
		return s
	}
	return style + s + ansiReset
}

func (t *textWriter) diagnostic(d diag.Diagnostic) {
	kind, mark, style := "Error", "×", ansiRed
	switch d.Severity {
	case diag.Warning:
		kind, mark, style = "Warning", "⚠", ansiYellow
	case diag.Info, diag.Hint:
		kind, mark, style = "Advice", "☞", ansiCyan
	}
	fmt.Fprintf(t.w, "%s: %s\n\n", t.paint(style+ansiBold, kind), t.paint(ansiBold, string(d.Code)))
	msg := strings.ReplaceAll(d.Message, "\n", "\n    ")
	fmt.Fprintf(t.w, "  %s %s\n", t.paint(style, mark), msg)
	// Group labels by file, primary file first, in label order.
	var order []string
	byFile := map[string][]diag.Label{}
	for _, l := range d.Labels {
		if _, ok := byFile[l.File]; !ok {
			order = append(order, l.File)
		}
		byFile[l.File] = append(byFile[l.File], l)
	}
	for _, file := range order {
		t.snippet(file, byFile[file], style)
	}
	if d.Help != "" {
		help := strings.ReplaceAll(d.Help, "\n", "\n        ")
		fmt.Fprintf(t.w, "  %s %s\n", t.paint(ansiCyan, "help:"), help)
	}
}

// snippet prints the labelled lines of one file, once rendered for each
// set of labels.
func (t *textWriter) snippet(file string, labels []diag.Label, style string) {
	var h maphash.Hash
	h.SetSeed(snippetSeed)
	for _, l := range labels {
		maphash.WriteComparable(&h, l)
	}
	key := snippetKey{file, style, h.Sum64()}
	for _, s := range t.snippets[key] {
		if slices.Equal(s.labels, labels) {
			io.WriteString(t.w, s.text)
			return
		}
	}
	var b strings.Builder
	w := t.w
	t.w = &b
	t.render(file, labels, style)
	t.w = w
	t.snippets[key] = append(t.snippets[key], renderedSnippet{labels, b.String()})
	io.WriteString(t.w, b.String())
}

// render prints the labelled lines of one file.
func (t *textWriter) render(file string, labels []diag.Label, style string) {
	lines := t.files.Lines(file)
	first := labels[0]
	if lines == nil {
		fmt.Fprintf(t.w, "    ╭─[%s]\n    ╰────\n", file)
		return
	}
	pos := lines.Position(first.Span.Start, source.CodePoint)
	// Lines to show: each label's lines with one line of context around.
	show := map[int]bool{}
	last := lines.LineCount() - 1
	if last > 0 && lines.LineStart(last) == len(lines.Text()) {
		last-- // the empty line after a final newline
	}
	lo, hi := lines.LineCount(), 0
	for _, l := range labels {
		s, e := lines.Line(l.Span.Start), lines.Line(max(l.Span.End-1, l.Span.Start))
		for i := max(s-1, 0); i <= min(e+1, max(last, e)); i++ {
			show[i] = true
			lo, hi = min(lo, i), max(hi, i)
		}
	}
	width := len(strconv.Itoa(hi + 1))
	gutter := strings.Repeat(" ", width+2)
	fmt.Fprintf(t.w, "%s╭─[%s:%d:%d]\n", gutter, file, pos.Line+1, pos.Column+1)
	prev := -1
	for i := lo; i <= hi; i++ {
		if !show[i] {
			continue
		}
		if prev >= 0 && i > prev+1 {
			fmt.Fprintf(t.w, "%s⋮\n", gutter[1:])
		}
		prev = i
		text := expandLine(lines, i)
		fmt.Fprintf(t.w, "%s │ %s\n", t.paint(ansiBlue, fmt.Sprintf(" %*d", width, i+1)), text)
		for _, l := range labels {
			t.underline(lines, i, l, gutter, style)
		}
	}
	fmt.Fprintf(t.w, "%s╰────\n", gutter)
}

// underline draws the marker lines for label l under line i, if the label
// starts (single-line labels) or ends (multi-line labels) there.
func (t *textWriter) underline(lines *source.Lines, i int, l diag.Label, gutter, style string) {
	sLine := lines.Line(l.Span.Start)
	eLine := lines.Line(max(l.Span.End-1, l.Span.Start))
	paintStyle := style
	if !l.Primary {
		paintStyle = ansiCyan
	}
	if sLine == eLine {
		if i != sLine {
			return
		}
		startCol := displayCol(lines, l.Span.Start)
		endCol := displayCol(lines, l.Span.End)
		n := max(endCol-startCol, 1)
		mid := n / 2
		under := strings.Repeat("─", mid) + "┬" + strings.Repeat("─", n-mid-1)
		if l.Message == "" {
			under = strings.Repeat("─", n)
		}
		pad := strings.Repeat(" ", startCol)
		fmt.Fprintf(t.w, "%s· %s%s\n", gutter, pad, t.paint(paintStyle, under))
		if l.Message != "" {
			fmt.Fprintf(t.w, "%s· %s%s%s\n", gutter, pad, strings.Repeat(" ", mid), t.paint(paintStyle, "╰── "+l.Message))
		}
		return
	}
	// Multi-line: mark the first and last line, label after the last.
	switch i {
	case sLine:
		fmt.Fprintf(t.w, "%s· %s\n", gutter, t.paint(paintStyle, "╭─▶ starts here"))
	case eLine:
		fmt.Fprintf(t.w, "%s· %s\n", gutter, t.paint(paintStyle, "╰─▶ "+nonEmpty(l.Message, "ends here")))
	}
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// expandLine returns a line's text with tabs expanded to four spaces and
// invalid bytes shown as U+FFFD.
func expandLine(lines *source.Lines, i int) string {
	text := lines.Text()[lines.LineStart(i):lines.LineEnd(i)]
	var b strings.Builder
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		if r == '\t' {
			b.WriteString("    ")
		} else {
			b.WriteRune(r)
		}
		text = text[size:]
	}
	return b.String()
}

// displayCol is the terminal column of a byte offset within its line: tabs
// count four, East Asian wide characters and emoji two.
func displayCol(lines *source.Lines, offset int) int {
	line := lines.Line(offset)
	text := lines.Text()[lines.LineStart(line):min(offset, lines.LineEnd(line))]
	col := 0
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		col += runeColumns(r)
		text = text[size:]
	}
	return col
}

func runeColumns(r rune) int {
	switch {
	case r == '\t':
		return 4
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r >= 0x1F300 && r <= 0x1F64F, r >= 0x1F900 && r <= 0x1F9FF,
		r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}
