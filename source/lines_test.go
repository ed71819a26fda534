package source

import (
	"bytes"
	"math/rand"
	"slices"
	"testing"
	"unicode/utf8"
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

// TestEdit: an index updated by Edit equals the index of the edited text
// built afresh, for random edits of texts full of line breaks of every
// kind, chained.
func TestEdit(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pieces := []string{"", "a", "\n", "\r", "\r\n", "\n\r", "é😀", "x\ny", "\r\r\n\n", "  "}
	for round := range 200 {
		var b []byte
		for range rng.Intn(20) {
			b = append(b, pieces[rng.Intn(len(pieces))]...)
		}
		l := NewLines(b)
		for step := range 20 {
			start := rng.Intn(len(l.text) + 1)
			end := start + rng.Intn(len(l.text)-start+1)
			ins := pieces[rng.Intn(len(pieces))]
			text := append(append(append([]byte{}, l.text[:start]...), ins...), l.text[end:]...)
			before := slices.Clone(l.starts)
			got := l.Edit(text, start, end, len(ins))
			want := NewLines(text)
			if !slices.Equal(got.starts, want.starts) || !bytes.Equal(got.text, text) {
				t.Fatalf("round %d step %d: %q, replace [%d,%d) by %q: starts %v, want %v", round, step, l.text, start, end, ins, got.starts, want.starts)
			}
			if !slices.Equal(l.starts, before) {
				t.Fatalf("Edit changed the old index")
			}
			l = got
		}
	}
	// Lengths that do not fit an edit: a fresh index.
	l := NewLines([]byte("a\nb"))
	if got := l.Edit([]byte("x\ny\nz"), 0, 1, 1); got.LineCount() != 3 {
		t.Errorf("mismatched edit: %d lines, want 3", got.LineCount())
	}
}
