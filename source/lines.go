// Package source converts between byte offsets in a text and the line/column
// positions that editors and terminals use.
//
// A Lines table is built once per text. Lines are broken at LF, CR and CRLF
// (CRLF counts as one break), matching how editors number lines. Columns come in
// three units: UTF-16 code units (the LSP default), UTF-8 bytes (LSP when the
// client negotiates it) and Unicode code points (the CLI and --format json).
package source

import (
	"bytes"
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
	text []byte

	// The line starts (byte offsets of the first byte of each line) are
	// starts[:head], then patch, then starts[tail:] moved by shift: an
	// index derived by Edit shares the starts of the index it came from
	// (which never change) and holds the starts around its edits alone,
	// until they grow past maxPatch. An index built by NewLines has no
	// patch: head == tail == len(starts), shift == 0.
	starts     []int
	head, tail int
	patch      []int
	shift      int

	marksOnce sync.Once
	marks     []mark // checkpoints of the lines longer than markEvery, in text order
}

// start returns the byte offset of the first byte of line i, for 0 <= i <
// LineCount().
func (l *Lines) start(i int) int {
	if i < l.head {
		return l.starts[i]
	}
	if i -= l.head; i < len(l.patch) {
		return l.patch[i]
	}
	return l.starts[l.tail+i-len(l.patch)] + l.shift
}

// maxPatch is the number of line starts an index derived by Edit holds of
// its own: past it, Edit copies every start into a new index. Each copy
// is paid for by the edits that grew the patch, so that an edit costs
// time in proportion to its own lines, amortized.
func maxPatch(lines int) int { return max(64, lines/16) }

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
	for line := range l.LineCount() {
		start, end := l.start(line), l.LineEnd(line)
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
	// Sized from a count of the line feeds (bytes.Count is vectorised),
	// so a large text's index is one allocation of its size, not a series
	// of doublings: memory a process touches first is slow to come by.
	starts := make([]int, 1, bytes.Count(text, []byte{'\n'})+bytes.Count(text, []byte{'\r'})+1)
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
	return &Lines{text: text, starts: starts, head: len(starts), tail: len(starts)}
}

// Edit returns the index of text, the text of l with the bytes [start, end)
// replaced by the newLen bytes at text[start:]: an index equal to the one
// NewLines(text) builds, at the cost of re-scanning only the edited bytes.
// It shares l's line starts but for those around the edits that made it
// (amortized, an edit costs time in proportion to the lines it touches,
// not to the text). l is not modified. When the lengths do not fit such an
// edit, it indexes text afresh.
func (l *Lines) Edit(text []byte, start, end, newLen int) *Lines {
	if start < 0 || start > end || end > len(l.text) || newLen < 0 || len(text) != len(l.text)-(end-start)+newLen {
		return NewLines(text)
	}
	delta := newLen - (end - start)
	n := l.LineCount()
	search := func(off int) int { return sort.Search(n, func(i int) bool { return l.start(i) >= off }) }
	// Keep the starts before start: the line breaks that make them lie
	// before the edit. A start at start itself may move (a "\r" before
	// the edit followed by an inserted "\n"), so it is scanned again.
	head := max(search(start), 1)
	// Keep the starts whose line break lies after the edit, shifted.
	tail := search(end + 1)
	q := len(text) // scan up to the break of the first kept start
	if tail < n {
		q = l.start(tail) - 1 + delta
	}
	// The new index is l's starts [0, head), the scanned ones, and l's
	// starts [tail, n) shifted. Of these, it holds of its own the ones
	// from the start of l's patch (or head) to the end of l's patch (or
	// tail), and shares the others with l.
	lo, hi := l.head, l.head+len(l.patch) // l's own starts
	if len(l.patch) == 0 && l.head == l.tail && l.shift == 0 {
		lo, hi = head, head // none: any empty patch will do
	}
	lo, hi = min(lo, head), max(hi, tail)
	patch := make([]int, 0, (head-lo)+(hi-tail)+(newLen/32)+2)
	for i := lo; i < head; i++ {
		patch = append(patch, l.start(i))
	}
scan:
	for i := max(start-1, 0); i < q; i++ {
		switch text[i] {
		case '\n':
			patch = append(patch, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				if i+1 >= q {
					break scan // "\r\n": the kept start follows its "\n"
				}
				i++
			}
			patch = append(patch, i+1)
		}
	}
	for i := tail; i < hi; i++ {
		patch = append(patch, l.start(i)+delta)
	}
	// l's starts [hi, n) are its shared starts [l.tail+hi-l.head-len(l.patch), ...).
	next := &Lines{text: text, starts: l.starts, head: lo, patch: patch, tail: l.tail + (hi - l.head - len(l.patch)), shift: l.shift + delta}
	if len(patch) <= maxPatch(len(next.starts)) {
		return next
	}
	starts := make([]int, next.LineCount())
	for i := range starts {
		starts[i] = next.start(i)
	}
	return &Lines{text: text, starts: starts, head: len(starts), tail: len(starts)}
}

// Text returns the indexed text.
func (l *Lines) Text() []byte { return l.text }

// LineCount returns the number of lines (a text ending in a newline has an
// empty last line).
func (l *Lines) LineCount() int { return l.head + len(l.patch) + len(l.starts) - l.tail }

// LineStart returns the byte offset where the 0-based line begins, clamped to
// the text.
func (l *Lines) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= l.LineCount() {
		return len(l.text)
	}
	return l.start(line)
}

// LineEnd returns the byte offset of the end of the 0-based line, excluding its
// line break.
func (l *Lines) LineEnd(line int) int {
	if line < 0 {
		line = 0
	}
	if line+1 >= l.LineCount() {
		return len(l.text)
	}
	end := l.start(line + 1)
	if end > 0 && l.text[end-1] == '\n' {
		end--
	}
	if end > l.start(line) && l.text[end-1] == '\r' {
		end--
	}
	return end
}

// Line returns the 0-based line holding the byte offset.
func (l *Lines) Line(offset int) int {
	offset = l.clamp(offset)
	return sort.Search(l.LineCount(), func(i int) bool { return l.start(i) > offset }) - 1
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
	Line, Column int // both 0-based; Column is counted in a Unit
}

// Position converts a byte offset to a 0-based line and a 0-based column
// counted in unit. An offset inside a multi-byte character is moved back to the
// start of that character.
func (l *Lines) Position(offset int, unit Unit) Position {
	offset = l.clamp(offset)
	line := l.Line(offset)
	start := l.start(line)
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
	if p.Line >= l.LineCount() {
		return len(l.text)
	}
	start, end := l.start(p.Line), l.LineEnd(p.Line)
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
