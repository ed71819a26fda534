package source

import "unicode/utf8"

// Cursor converts a sequence of offsets to positions in one unit, in time
// linear in the text it moves over: each call continues from the previous
// offset instead of counting columns from the start of the line. It is for
// long runs of increasing offsets (semantic tokens, a whole file's
// symbols); an offset before the previous one is converted from its line's
// start, as Lines.Position does.
type Cursor struct {
	l    *Lines
	unit Unit
	off  int // the last offset converted
	pos  Position
}

// Cursor returns a cursor at the start of the text.
func (l *Lines) Cursor(unit Unit) *Cursor { return &Cursor{l: l, unit: unit} }

// Position converts a byte offset, like Lines.Position.
func (c *Cursor) Position(offset int) Position {
	offset = c.l.clamp(offset)
	next := c.pos.Line + 1
	if offset < c.off || next < c.l.LineCount() && c.l.start(next) <= offset {
		// Behind, or on a later line: start from the line's start.
		line := c.l.Line(offset)
		c.off, c.pos = c.l.start(line), Position{Line: line}
	}
	if c.unit == UTF8 {
		c.pos.Column += offset - c.off
		c.off = offset
		return c.pos
	}
	for c.off < offset {
		r, size := utf8.DecodeRune(c.l.text[c.off:])
		if c.off+size > offset {
			break // inside a character: stay at its start
		}
		c.pos.Column += runeWidth(r, size, c.unit)
		c.off += size
	}
	return c.pos
}
