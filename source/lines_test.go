package source

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/internal/cost"
)

func TestPosition(t *testing.T) {
	// "a😀b" : the emoji is 4 bytes, 2 UTF-16 units, 1 code point.
	// "中文" : each character is 3 bytes, 1 UTF-16 unit, 1 code point.
	text := []byte("a😀b\r\n\t中文x\rlast\n")
	lines := NewLines(text)
	tests := []struct {
		offset int
		unit   Unit
		want   Position
	}{
		{0, UTF16, Position{0, 0}},
		{1, UTF16, Position{0, 1}},
		{5, UTF16, Position{0, 3}}, // after the emoji
		{5, CodePoint, Position{0, 2}},
		{5, UTF8, Position{0, 5}},
		{3, UTF16, Position{0, 1}}, // inside the emoji: start of it
		{6, UTF16, Position{0, 4}}, // the \r of CRLF
		{8, UTF16, Position{1, 0}}, // after CRLF
		{9, CodePoint, Position{1, 1}},
		{12, CodePoint, Position{1, 2}}, // after 中
		{15, UTF16, Position{1, 3}},     // after 文
		{17, UTF16, Position{2, 0}},     // after lone CR
		{21, UTF16, Position{2, 4}},
		{22, UTF16, Position{3, 0}}, // empty last line
		{99, UTF16, Position{3, 0}}, // clamped
		{-5, UTF16, Position{0, 0}},
	}
	for _, tt := range tests {
		if got := lines.Position(tt.offset, tt.unit); got != tt.want {
			t.Errorf("Position(%d, %v) = %v, want %v", tt.offset, tt.unit, got, tt.want)
		}
	}
	if n := lines.LineCount(); n != 4 {
		t.Errorf("LineCount = %d, want 4", n)
	}
	if e := lines.LineEnd(0); e != 6 {
		t.Errorf("LineEnd(0) = %d, want 6 (before CRLF)", e)
	}
}

func TestOffsetRoundTrip(t *testing.T) {
	text := []byte("{\r\n  k: \"😀中\",\t// c\n\r\n  x: 'é'\n}")
	lines := NewLines(text)
	for _, unit := range []Unit{UTF16, UTF8, CodePoint} {
		for off := 0; off <= len(text); off++ {
			if off < len(text) && !utf8.RuneStart(text[off]) {
				continue
			}
			// Offsets inside a CRLF pair are not addressable by a position.
			if off > 0 && off < len(text) && text[off-1] == '\r' && text[off] == '\n' {
				continue
			}
			p := lines.Position(off, unit)
			if got := lines.Offset(p, unit); got != off {
				t.Errorf("unit %v: Offset(Position(%d)=%v) = %d", unit, off, p, got)
			}
		}
	}
}

func TestOffsetClamps(t *testing.T) {
	lines := NewLines([]byte("ab\n😀\n"))
	tests := []struct {
		p    Position
		unit Unit
		want int
	}{
		{Position{0, 99}, UTF16, 2}, // past end of line: end of line
		{Position{1, 1}, UTF16, 3},  // inside a surrogate pair: before it
		{Position{1, 2}, UTF16, 7},  // after the emoji
		{Position{9, 0}, UTF16, 8},  // past the last line: end of text
		{Position{-1, 0}, UTF16, 0}, // negative line
		{Position{1, -3}, UTF8, 3},  // negative column
		{Position{1, 99}, UTF8, 7},  // past end in bytes
		{Position{1, 1}, CodePoint, 7},
	}
	for _, tt := range tests {
		if got := lines.Offset(tt.p, tt.unit); got != tt.want {
			t.Errorf("Offset(%v, %v) = %d, want %d", tt.p, tt.unit, got, tt.want)
		}
	}
}

func TestInvalidUTF8CountsOnePerByte(t *testing.T) {
	lines := NewLines([]byte("a\xff\xfeb"))
	if got := lines.Position(3, CodePoint); got.Column != 3 {
		t.Errorf("column = %d, want 3", got.Column)
	}
}

// TestCursor: a cursor gives what Position gives, for increasing offsets
// (the use it is made for) and for offsets going back.
func TestCursor(t *testing.T) {
	text := []byte("a😀é\r\nxyz\n\n\xffq😀\rlast")
	l := NewLines(text)
	for _, unit := range []Unit{UTF16, UTF8, CodePoint} {
		c := l.Cursor(unit)
		for off := 0; off <= len(text)+1; off++ {
			if got, want := c.Position(off), l.Position(off, unit); got != want {
				t.Errorf("unit %d: offset %d: cursor %v, Position %v", unit, off, got, want)
			}
		}
		for _, off := range []int{7, 3, 12, 2, 0, len(text)} {
			if got, want := c.Position(off), l.Position(off, unit); got != want {
				t.Errorf("unit %d: offset %d after others: cursor %v, Position %v", unit, off, got, want)
			}
		}
	}
}

// scanPosition is Position without checkpoints: the column counted from the
// start of the line.
func scanPosition(text []byte, lineStart, offset int, unit Unit) int {
	col := 0
	for i := lineStart; i < offset; {
		r, size := utf8.DecodeRune(text[i:])
		if i+size > offset {
			break
		}
		col += runeWidth(r, size, unit)
		i += size
	}
	return col
}

// TestLongLinesMatchScanning checks the checkpoints of long lines: on lines
// of several thousand bytes mixing ASCII, multi-byte characters, surrogate
// pairs and invalid bytes, every offset converts to the column a scan from
// the line's start gives, and back.
func TestLongLinesMatchScanning(t *testing.T) {
	pieces := []string{"a", "é", "中", "😀", "\xff", "\xe4\xb8", "\t", "bc"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b []byte
	for line := range 6 {
		for range 500 * line {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		b = append(b, "\r\n\n\r"[line%3])
	}
	lines := NewLines(b)
	for off := 0; off <= len(b); off++ {
		line := lines.Line(off)
		for _, unit := range []Unit{UTF16, CodePoint} {
			want := Position{line, scanPosition(b, lines.LineStart(line), off, unit)}
			got := lines.Position(off, unit)
			if got != want {
				t.Fatalf("Position(%d, %v) = %v, want %v", off, unit, got, want)
			}
			back := lines.Offset(got, unit)
			if again := lines.Position(back, unit); again != got || back > off {
				t.Fatalf("Offset(%v, %v) = %d, which is at %v", got, unit, back, again)
			}
		}
	}
}

// TestPositionCostOnOneLine converts an offset on every 16th byte of a
// 256 KiB text. On one line it must cost about what it costs when the text
// has lines of 80 bytes; counting from the start of the line made it
// quadratic.
func TestPositionCostOnOneLine(t *testing.T) {
	const size = 256 << 10
	convert := func(text []byte) func() {
		return func() {
			lines := NewLines(text)
			for off := 0; off < len(text); off += 16 {
				lines.Position(off, UTF16)
			}
		}
	}
	chunk := "k: \"中文 value\", "
	oneLine := []byte(strings.Repeat(chunk, size/len(chunk)))
	short := slices.Clone(oneLine)
	for i := 79; i < len(short); i += 80 {
		short[i] = '\n'
	}
	cost.Within(t, "positions on one 256 KiB line", cost.Measure(convert(oneLine)), cost.Measure(convert(short)), 10)
}

// allStarts returns the line starts of l.
func allStarts(l *Lines) []int {
	out := make([]int, l.LineCount())
	for i := range out {
		out[i] = l.start(i)
	}
	return out
}

// TestEdit: an index updated by Edit equals the index of the edited text
// built afresh, for random edits of texts full of line breaks of every
// kind, chained: edits anywhere, and runs of edits near one another (which
// an index holds as a patch of the one it came from).
func TestEdit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	pieces := []string{"", "a", "\n", "\r", "\r\n", "\n\r", "é😀", "x\ny", "\r\r\n\n", "  "}
	for round := range 400 {
		var b []byte
		for range rng.IntN([]int{20, 2000}[round%2]) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		l := NewLines(b)
		at := rng.IntN(len(b) + 1) // where the runs of nearby edits happen
		for step := range 60 {
			start := rng.IntN(len(l.text) + 1)
			if step%3 != 0 {
				start = min(max(at+rng.IntN(41)-20, 0), len(l.text))
			}
			end := start + rng.IntN(min(len(l.text)-start, []int{40, len(l.text)}[step%2])+1)
			ins := pieces[rng.IntN(len(pieces))]
			text := append(append(append([]byte{}, l.text[:start]...), ins...), l.text[end:]...)
			before, shared := allStarts(l), slices.Clone(l.starts)
			got := l.Edit(text, start, end, len(ins))
			want := NewLines(text)
			if !slices.Equal(allStarts(got), want.starts) || got.LineCount() != want.LineCount() || !bytes.Equal(got.text, text) {
				t.Fatalf("round %d step %d: %q, replace [%d,%d) by %q: starts %v, want %v", round, step, l.text, start, end, ins, allStarts(got), want.starts)
			}
			if !slices.Equal(allStarts(l), before) || !slices.Equal(l.starts, shared) {
				t.Fatalf("Edit changed the old index")
			}
			if len(got.patch) > maxPatch(len(got.starts)) {
				t.Fatalf("round %d step %d: a patch of %d starts, want at most %d", round, step, len(got.patch), maxPatch(len(got.starts)))
			}
			for _, u := range []Unit{UTF16, UTF8, CodePoint} {
				for range 5 {
					off := rng.IntN(len(text) + 1)
					if p := got.Position(off, u); p != want.Position(off, u) || got.Offset(p, u) != want.Offset(p, u) {
						t.Fatalf("round %d step %d: offset %d: position %v, want %v", round, step, off, p, want.Position(off, u))
					}
				}
			}
			l = got
		}
	}
	// Typing at one place of a long text shares the line starts of the
	// index it began with.
	var text []byte
	for i := range 10000 {
		text = fmt.Appendf(text, "line %d\n", i)
	}
	first := NewLines(text)
	l := first
	at := len(text) / 2
	for i := range 200 {
		ins := []byte{'x'}
		if i%10 == 9 {
			ins = []byte{'\n'}
		}
		text = slices.Concat(text[:at], ins, text[at:])
		l = l.Edit(text, at, at, 1)
		at++
	}
	if &l.starts[0] != &first.starts[0] || !slices.Equal(allStarts(l), NewLines(text).starts) {
		t.Errorf("200 keystrokes at one place: the index holds %d starts of its own (a copy of the %d starts: %v)", len(l.patch), l.LineCount(), &l.starts[0] != &first.starts[0])
	}
	// Lengths that do not fit an edit: a fresh index.
	l = NewLines([]byte("a\nb"))
	if got := l.Edit([]byte("x\ny\nz"), 0, 1, 1); got.LineCount() != 3 {
		t.Errorf("mismatched edit: %d lines, want 3", got.LineCount())
	}
}
