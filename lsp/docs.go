package lsp

import (
	"bytes"
	"fmt"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/source"
)

// document is the server's copy of an open editor document. Its text is
// replaced, never modified in place: snapshots share old texts.
type document struct {
	uri     uri.URI
	path    string
	version int32
	text    []byte
	lines   *lineCache // shared with the publisher: one index per text
}

func (d *document) index() *source.Lines { return d.lines.get(d.path, d.text) }

// apply applies one content change, with positions counted in unit, and
// returns the edit it made (ok false for a change of the whole text). The
// line index of the new text is derived from the old one's.
func (d *document) apply(change protocol.TextDocumentContentChangeEvent, unit source.Unit) (e analysis.TextEdit, ok bool, err error) {
	switch c := change.(type) {
	case *protocol.TextDocumentContentChangeWholeDocument:
		d.text = []byte(c.Text)
		return analysis.TextEdit{}, false, nil
	case *protocol.TextDocumentContentChangePartial:
		r := c.Range
		if reversedRange(r) {
			return analysis.TextEdit{}, false, fmt.Errorf("change range %s ends before it starts", showRange(r))
		}
		lines := d.index()
		start := lines.Offset(source.Position{Line: int(r.Start.Line), Column: int(r.Start.Character)}, unit)
		end := lines.Offset(source.Position{Line: int(r.End.Line), Column: int(r.End.Character)}, unit)
		// bytes.Join allocates without clearing what it then fills (a
		// make and appends cleared the 283 KB of the 10k-line document
		// first, a fifth of the copy's time).
		d.text = bytes.Join([][]byte{d.text[:start], []byte(c.Text), d.text[end:]}, nil)
		d.lines.put(d.path, lines.Edit(d.text, start, end, len(c.Text)))
		return analysis.TextEdit{Start: start, End: end, NewLen: len(c.Text)}, true, nil
	}
	return analysis.TextEdit{}, false, fmt.Errorf("unsupported content change %T", change)
}

// applyChanges applies the content changes of one didChange in order and
// returns their edits, and whether they are all partial changes that
// applied (else the text is to be parsed whole); fail hears of each change
// that did not apply. The changes of several cursors, which an editor
// sends last first, are applied in one copy of the text: one copy each
// made 20,000 cursors in a 360 KB document take seconds.
func (d *document) applyChanges(changes []protocol.TextDocumentContentChangeEvent, unit source.Unit, fail func(i int, err error)) (edits []analysis.TextEdit, incremental bool) {
	edits = make([]analysis.TextEdit, 0, len(changes))
	incremental = true
	for i := 0; i < len(changes); {
		if len(changes)-i > 1 {
			if run := d.descendingRun(changes[i:], unit); len(run) > 1 {
				edits = append(edits, d.applyRun(run)...)
				i += len(run)
				continue
			}
		}
		e, ok, err := d.apply(changes[i], unit)
		if err != nil {
			fail(i, err)
		}
		incremental = incremental && ok
		edits = append(edits, e)
		i++
	}
	return edits, incremental
}

// span is a content change of a descending run: the byte range it
// replaces and its text.
type span struct {
	start, end int
	text       string
}

// descendingRun returns the longest run at the start of changes that can
// be applied in one pass: partial changes, none reversed, each ending
// before the previous one starts, as an editor sends the edits of several
// cursors or of a replace-all (from the last to the first). Every change
// of such a run lies in the part of the text the changes before it left
// as it was, and not at the start of the line the previous one starts, so
// its positions read the same in the text before the run: one line index
// serves them all.
func (d *document) descendingRun(changes []protocol.TextDocumentContentChangeEvent, unit source.Unit) []span {
	var run []span
	lines := d.index()
	var prev source.Position // where the previous change starts, in the text before the run
	for _, change := range changes {
		c, ok := change.(*protocol.TextDocumentContentChangePartial)
		if !ok || reversedRange(c.Range) {
			break
		}
		r := c.Range
		if len(run) > 0 && (int(r.End.Line) > prev.Line || int(r.End.Line) == prev.Line && (int(r.End.Character) > prev.Column || prev.Column == 0)) {
			// Not before the previous change; or at the start of its
			// line, which it may have moved: a `\r` before it that its
			// text follows with `\n` is then one line break with it.
			break
		}
		start := lines.Offset(source.Position{Line: int(r.Start.Line), Column: int(r.Start.Character)}, unit)
		end := lines.Offset(source.Position{Line: int(r.End.Line), Column: int(r.End.Character)}, unit)
		run = append(run, span{start, end, c.Text})
		prev = lines.Position(start, unit)
	}
	return run
}

// applyRun applies a descending run in one copy of the text and returns
// its edits: each the edit that applying its change alone, after those
// before it, makes.
func (d *document) applyRun(run []span) []analysis.TextEdit {
	edits := make([]analysis.TextEdit, len(run))
	parts := make([][]byte, 0, 2*len(run)+1)
	at := 0
	for k := len(run) - 1; k >= 0; k-- {
		parts = append(parts, d.text[at:run[k].start], []byte(run[k].text))
		at = run[k].end
		edits[k] = analysis.TextEdit{Start: run[k].start, End: run[k].end, NewLen: len(run[k].text)}
	}
	parts = append(parts, d.text[at:])
	d.text = bytes.Join(parts, nil)
	d.lines.put(d.path, source.NewLines(d.text))
	return edits
}

// reversedRange reports whether a range ends before it starts.
func reversedRange(r protocol.Range) bool {
	return r.End.Line < r.Start.Line || r.End.Line == r.Start.Line && r.End.Character < r.Start.Character
}

func showRange(r protocol.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
}

// unitOf maps a negotiated position encoding to a column unit.
func unitOf(enc protocol.PositionEncodingKind) source.Unit {
	switch enc {
	case protocol.PositionEncodingKindUTF8:
		return source.UTF8
	case protocol.PositionEncodingKindUTF32:
		return source.CodePoint
	}
	return source.UTF16
}

// negotiateEncoding picks the position encoding from what the client
// offers: UTF-8 (no conversion at all) when offered, else UTF-32, else the
// mandatory UTF-16.
func negotiateEncoding(caps protocol.ClientCapabilities) protocol.PositionEncodingKind {
	if caps.General == nil {
		return protocol.PositionEncodingKindUTF16
	}
	offered := caps.General.PositionEncodings
	for _, want := range []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF32} {
		for _, e := range offered {
			if e == want {
				return want
			}
		}
	}
	return protocol.PositionEncodingKindUTF16
}
