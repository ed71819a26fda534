// Package source converts between byte offsets in a text and the line/column
// positions that editors and terminals use.
//
// A Lines table is built once per text. Lines are broken at LF, CR and CRLF
// (CRLF counts as one break), matching how editors number lines. Columns come in
// three units: UTF-16 code units (the LSP default), UTF-8 bytes (LSP when the
// client negotiates it) and Unicode code points (the CLI and --format json).
package source

import (
	"sort"
	"sync"
	"unicode/utf8"
)

// Lines is an index of line starts in a text. The zero value is not usable;
// build one with NewLines. It is safe for concurrent use.
//
// Converting an offset to a column counts the characters before it on its
// line; on a line longer than markEvery bytes the count starts at the
// nearest checkpoint, so a conversion costs at most markEvery bytes of
// decoding however long the line (a manifest on one line of megabytes,
// with a diagnostic on every member, converts in linear time).
type Lines struct {
	text   []byte
	starts []int // byte offset of the first byte of each line

	marksOnce sync.Once
	marks     []mark // checkpoints of the lines longer than markEvery, in text order
}

// markEvery is the spacing, in bytes, of the column checkpoints on long
// lines.
const markEvery = 256

// mark is a checkpoint on a long line: the offset of a character, counted
// from its line's start as Position counts it, and its columns in code
// points and UTF-16 units.
type mark struct {
	offset     int
	codePoints int
	utf16      int
}

// buildMarks records a checkpoint every markEvery bytes of each long line.
func (l *Lines) buildMarks() {
	for line, start := range l.starts {
		end := l.LineEnd(line)
		if end-start <= markEvery {
			continue
		}
		cp, u16, next := 0, 0, start+markEvery
		for i := start; i < end; {
			if i >= next {
				l.marks = append(l.marks, mark{i, cp, u16})
				next = i + markEvery
			}
			r, size := utf8.DecodeRune(l.text[i:])
			cp++
			u16 += runeWidth(r, size, UTF16)
			i += size
		}
	}
}

// lineMarks returns the checkpoints of a line from its start to end.
func (l *Lines) lineMarks(start, end int) []mark {
	if end-start <= markEvery {
		return nil
	}
	l.marksOnce.Do(l.buildMarks)
	lo := sort.Search(len(l.marks), func(i int) bool { return l.marks[i].offset > start })
	hi := sort.Search(len(l.marks), func(i int) bool { return l.marks[i].offset > end })
	return l.marks[lo:hi]
}

// column returns a checkpoint's column in unit.
func (m mark) column(unit Unit) int {
	if unit == UTF16 {
		return m.utf16
	}
	return m.codePoints
}

// NewLines indexes text. The text is retained, not copied.
func NewLines(text []byte) *Lines {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return &Lines{text: text, starts: starts}
}

// Edit returns the index of text, the text of l with the bytes [start, end)
// replaced by the newLen bytes at text[start:]: the same index NewLines(text)
// builds, at the cost of re-scanning only the edited bytes and copying the
// line starts. l is not modified. When the lengths do not fit such an edit,
// it indexes text afresh.
func (l *Lines) Edit(text []byte, start, end, newLen int) *Lines {
	if start < 0 || start > end || end > len(l.text) || newLen < 0 || len(text) != len(l.text)-(end-start)+newLen {
		return NewLines(text)
	}
	delta := newLen - (end - start)
	// Keep the starts before start: the line breaks that make them lie
	// before the edit. A start at start itself may move (a "\r" before
	// the edit followed by an inserted "\n"), so it is scanned again.
	head := max(sort.SearchInts(l.starts, start), 1)
	// Keep the starts whose line break lies after the edit, shifted.
	tail := sort.SearchInts(l.starts, end+1)
	q := len(text) // scan up to the break of the first kept start
	if tail < len(l.starts) {
		q = l.starts[tail] - 1 + delta
	}
	starts := make([]int, head, head+(len(l.starts)-tail)+(newLen/32)+2)
	copy(starts, l.starts[:head])
scan:
	for i := max(start-1, 0); i < q; i++ {
		switch text[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				if i+1 >= q {
					break scan // "\r\n": the kept start follows its "\n"
				}
				i++
			}
			starts = append(starts, i+1)
		}
	}
	for _, s := range l.starts[tail:] {
		starts = append(starts, s+delta)
	}
	return &Lines{text: text, starts: starts}
}

// Text returns the indexed text.
func (l *Lines) Text() []byte { return l.text }

// LineCount returns the number of lines (a text ending in a newline has an
// empty last line).
func (l *Lines) LineCount() int { return len(l.starts) }

// LineStart returns the byte offset where the 0-based line begins, clamped to
// the text.
func (l *Lines) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(l.starts) {
		return len(l.text)
	}
	return l.starts[line]
}

// LineEnd returns the byte offset of the end of the 0-based line, excluding its
// line break.
func (l *Lines) LineEnd(line int) int {
	if line < 0 {
		line = 0
	}
	if line+1 >= len(l.starts) {
		return len(l.text)
	}
	end := l.starts[line+1]
	if end > 0 && l.text[end-1] == '\n' {
		end--
	}
	if end > l.starts[line] && l.text[end-1] == '\r' {
		end--
	}
	return end
}

// Line returns the 0-based line holding the byte offset.
func (l *Lines) Line(offset int) int {
	offset = l.clamp(offset)
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > offset }) - 1
}

func (l *Lines) clamp(offset int) int {
	if offset < 0 {
		return 0
	}
	if offset > len(l.text) {
		return len(l.text)
	}
	return offset
}

// Unit is a unit in which columns are counted.
type Unit int

// Column units.
const (
	UTF16     Unit = iota // UTF-16 code units, LSP's default position encoding
	UTF8                  // bytes
	CodePoint             // Unicode code points (invalid bytes count one each)
)

// Position is a 0-based line and column.
type Position struct {
	Line, Column int
}

// Position converts a byte offset to a 0-based line and a 0-based column
// counted in unit. An offset inside a multi-byte character is moved back to the
// start of that character.
func (l *Lines) Position(offset int, unit Unit) Position {
	offset = l.clamp(offset)
	line := l.Line(offset)
	start := l.starts[line]
	if unit == UTF8 {
		return Position{line, offset - start}
	}
	i, col := start, 0
	marks := l.lineMarks(start, l.LineEnd(line))
	if k := sort.Search(len(marks), func(k int) bool { return marks[k].offset > offset }); k > 0 {
		i, col = marks[k-1].offset, marks[k-1].column(unit)
	}
	for i < offset {
		r, size := utf8.DecodeRune(l.text[i:])
		if i+size > offset {
			break
		}
		col += runeWidth(r, size, unit)
		i += size
	}
	return Position{line, col}
}

func runeWidth(r rune, size int, unit Unit) int {
	if unit == UTF16 && r >= 0x10000 && size == 4 {
		return 2
	}
	return 1
}

// Offset converts a 0-based line and column counted in unit to a byte offset.
// Lines past the end give the end of the text; columns past the end of the line
// give the end of the line (LSP clients may send such positions).
func (l *Lines) Offset(p Position, unit Unit) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(l.starts) {
		return len(l.text)
	}
	start, end := l.starts[p.Line], l.LineEnd(p.Line)
	if unit == UTF8 {
		if p.Column < 0 {
			return start
		}
		if start+p.Column > end {
			return end
		}
		return start + p.Column
	}
	i, col := start, 0
	marks := l.lineMarks(start, end)
	if k := sort.Search(len(marks), func(k int) bool { return marks[k].column(unit) > p.Column }); k > 0 {
		i, col = marks[k-1].offset, marks[k-1].column(unit)
	}
	for i < end && col < p.Column {
		r, size := utf8.DecodeRune(l.text[i:])
		w := runeWidth(r, size, unit)
		if col+w > p.Column { // inside a surrogate pair: stay before it
			break
		}
		col += w
		i += size
	}
	return i
}
