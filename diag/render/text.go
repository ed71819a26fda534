package render

import (
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"sort"
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
	msg := strings.ReplaceAll(printable(d.Message), "\n", "\n    ")
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
		help := strings.ReplaceAll(printable(d.Help), "\n", "\n        ")
		fmt.Fprintf(t.w, "  %s %s\n", t.paint(ansiCyan, "help:"), help)
	}
}

// Source lines are shown whole up to windowWidth columns. A longer line
// (a manifest written on one line, a minified file) is shown as windows of
// windowWidth columns, each starting windowLead columns before a label,
// with an ellipsis where the line is cut: the output for a diagnostic stays
// the same size however long its line.
const (
	windowWidth = 100
	windowLead  = 30
	ellipsis    = "…"
)

// spanContext is how many lines of a multi-line label are shown at its
// start and at its end; the lines between are elided.
const spanContext = 3

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
		fmt.Fprintf(t.w, "    ╭─[%s]\n    ╰────\n", printable(file))
		return
	}
	pos := lines.Position(first.Span.Start, source.CodePoint)
	shown := shownLines(lines, labels)
	width := len(strconv.Itoa(shown[len(shown)-1] + 1))
	gutter := strings.Repeat(" ", width+2)
	fmt.Fprintf(t.w, "%s╭─[%s:%d:%d]\n", gutter, printable(file), pos.Line+1, pos.Column+1)
	for k, i := range shown {
		if k > 0 && i > shown[k-1]+1 {
			fmt.Fprintf(t.w, "%s⋮\n", gutter[1:])
		}
		number := t.paint(ansiBlue, fmt.Sprintf(" %*d", width, i+1))
		start, end := lines.LineStart(i), lines.LineEnd(i)
		if text := lines.Text()[start:end]; columns(text, windowWidth+1) > windowWidth {
			t.longLine(lines, i, labels, number, gutter, style)
			continue
		}
		fmt.Fprintf(t.w, "%s │ %s\n", number, expand(lines.Text()[start:end]))
		for _, l := range labels {
			t.underline(lines, i, l, gutter, style)
		}
	}
	fmt.Fprintf(t.w, "%s╰────\n", gutter)
}

// shownLines returns the lines a snippet shows, in order: each label's
// lines with one line of context around, the lines of a long multi-line
// label only near its start and its end.
func shownLines(lines *source.Lines, labels []diag.Label) []int {
	last := lines.LineCount() - 1
	if last > 0 && lines.LineStart(last) == len(lines.Text()) {
		last-- // the empty line after a final newline
	}
	var shown []int
	add := func(from, to int) {
		for i := max(from, 0); i <= to; i++ {
			shown = append(shown, i)
		}
	}
	for _, l := range labels {
		s, e := lines.Line(l.Span.Start), lines.Line(max(l.Span.End-1, l.Span.Start))
		upper := min(e+1, max(last, e))
		add(s-1, min(s+spanContext-1, upper))
		add(max(e-spanContext+1, s-1), upper)
	}
	slices.Sort(shown)
	return slices.Compact(shown)
}

// longLine prints line i, longer than windowWidth columns, as windows
// around the labels that start and end on it (the first windowWidth
// columns when there are none), each followed by the underlines of its
// labels, then the marks of the multi-line labels that start or end on it.
func (t *textWriter) longLine(lines *source.Lines, i int, labels []diag.Label, number, gutter, style string) {
	text := lines.Text()
	start, end := lines.LineStart(i), lines.LineEnd(i)
	var on []diag.Label
	for _, l := range labels {
		if lines.Line(l.Span.Start) == i && lines.Line(max(l.Span.End-1, l.Span.Start)) == i {
			on = append(on, l)
		}
	}
	sort.SliceStable(on, func(a, b int) bool { return on[a].Span.Start < on[b].Span.Start })
	window := func(from int) int {
		to := forward(text[:end], from, windowWidth)
		var b strings.Builder
		lead := 0
		if from > start {
			b.WriteString(ellipsis)
			lead = 1
		}
		b.WriteString(expand(text[from:to]))
		if to < end {
			b.WriteString(ellipsis)
		}
		fmt.Fprintf(t.w, "%s │ %s\n", number, b.String())
		return lead
	}
	if len(on) == 0 {
		window(start)
	}
	for k := 0; k < len(on); {
		from := back(text[start:], on[k].Span.Start-start, windowLead) + start
		to := forward(text[:end], from, windowWidth)
		lead := window(from)
		j := k + 1
		for j < len(on) && on[j].Span.Start < to {
			j++
		}
		for _, l := range on[k:j] {
			s := min(max(l.Span.Start, from), to)
			e := min(max(l.Span.End, s), to)
			startCol := lead + columns(text[from:s], -1)
			endCol := startCol + columns(text[s:e], -1)
			t.mark(gutter, startCol, endCol, l, style)
		}
		k = j
	}
	for _, l := range labels {
		if lines.Line(l.Span.Start) != lines.Line(max(l.Span.End-1, l.Span.Start)) {
			t.underline(lines, i, l, gutter, style)
		}
	}
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
		t.mark(gutter, displayCol(lines, l.Span.Start), displayCol(lines, l.Span.End), l, style)
		return
	}
	// Multi-line: mark the first and last line, label after the last.
	switch i {
	case sLine:
		fmt.Fprintf(t.w, "%s· %s\n", gutter, t.paint(paintStyle, "╭─▶ starts here"))
	case eLine:
		fmt.Fprintf(t.w, "%s· %s\n", gutter, t.paint(paintStyle, "╰─▶ "+nonEmpty(printable(l.Message), "ends here")))
	}
}

// mark draws the underline of a single-line label from display column
// startCol to endCol, and its message below.
func (t *textWriter) mark(gutter string, startCol, endCol int, l diag.Label, style string) {
	if !l.Primary {
		style = ansiCyan
	}
	n := max(endCol-startCol, 1)
	mid := n / 2
	under := strings.Repeat("─", mid) + "┬" + strings.Repeat("─", n-mid-1)
	if l.Message == "" {
		under = strings.Repeat("─", n)
	}
	pad := strings.Repeat(" ", startCol)
	fmt.Fprintf(t.w, "%s· %s%s\n", gutter, pad, t.paint(style, under))
	if l.Message != "" {
		fmt.Fprintf(t.w, "%s· %s%s%s\n", gutter, pad, strings.Repeat(" ", mid), t.paint(style, "╰── "+printable(l.Message)))
	}
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// expand returns text with tabs expanded to four spaces, invalid bytes
// shown as U+FFFD and control characters as visible (see visible).
func expand(text []byte) string {
	var b strings.Builder
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		if r == '\t' {
			b.WriteString("    ")
		} else {
			b.WriteRune(visible(r))
		}
		text = text[size:]
	}
	return b.String()
}

// visible maps a control character to a visible one: C0 controls and DEL to
// their Unicode control pictures (NUL is ␀, ESC is ␛), C1 controls to
// U+FFFD. A file's text or a name taken from it never reaches the terminal
// as a control sequence.
func visible(r rune) rune {
	switch {
	case r < 0x20:
		return 0x2400 + r
	case r == 0x7f:
		return 0x2421
	case r >= 0x80 && r < 0xa0:
		return utf8.RuneError
	}
	return r
}

// printable returns s with its control characters but line breaks and tabs
// made visible.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		return visible(r)
	}, s)
}

// columns returns the display width of text, counting no further than
// limit columns when limit is not negative.
func columns(text []byte, limit int) int {
	col := 0
	for len(text) > 0 && (limit < 0 || col <= limit) {
		r, size := utf8.DecodeRune(text)
		col += runeColumns(r)
		text = text[size:]
	}
	return col
}

// forward returns the offset in text after the characters from offset from
// that fit in width display columns.
func forward(text []byte, from, width int) int {
	col, i := 0, from
	for i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		if col+runeColumns(r) > width {
			break
		}
		col += runeColumns(r)
		i += size
	}
	return i
}

// back returns the offset in text of the character at most width display
// columns before offset at.
func back(text []byte, at, width int) int {
	col, i := 0, at
	for i > 0 {
		r, size := utf8.DecodeLastRune(text[:i])
		if col+runeColumns(r) > width {
			break
		}
		col += runeColumns(r)
		i -= size
	}
	return i
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
