package lsp

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/internal/cost"
	"github.com/amberlsp/amber-lsp/source"
)

// newTestDocument is an open document of text.
func newTestDocument(text string) *document {
	return &document{path: "/m.json5", text: []byte(text), lines: &lineCache{}}
}

// applyOneByOne applies changes as didChange did before runs: one copy of
// the text each.
func applyOneByOne(d *document, changes []protocol.TextDocumentContentChangeEvent, unit source.Unit) ([]analysis.TextEdit, bool) {
	var edits []analysis.TextEdit
	incremental := true
	for _, c := range changes {
		e, ok, _ := d.apply(c, unit)
		incremental = incremental && ok
		edits = append(edits, e)
	}
	return edits, incremental
}

// TestChangeRunsMatchOneByOne: the changes of one didChange give the text
// and the edits that applying them one by one gives, whether they run last
// first (several cursors), in any order, past the end of a line or of the
// text, inside a surrogate pair, reversed, or mixed with whole-document
// changes.
func TestChangeRunsMatchOneByOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 12))
	pieces := []string{"a", "bc", " ", "\n", "\r\n", "é", "😀", "{ k: 1 },", "\r"}
	randomText := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	encodings := []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF32}
	runs := 0
	for iter := range 3000 {
		enc := encodings[iter%len(encodings)]
		unit := unitOf(enc)
		text := randomText(rng.IntN(60))
		// Offsets last first, then positions of them, some disturbed.
		var offs []int
		for range 2 * (1 + rng.IntN(6)) {
			offs = append(offs, rng.IntN(len(text)+1))
		}
		slices.Sort(offs)
		slices.Reverse(offs)
		var changes []protocol.TextDocumentContentChangeEvent
		for k := 0; k+1 < len(offs); k += 2 {
			rg := protocol.Range{Start: positionOf(text, offs[k+1], enc), End: positionOf(text, offs[k], enc)}
			switch rng.IntN(20) {
			case 0:
				rg.End.Character += 3 // past the end of its line, perhaps
			case 1:
				rg.Start.Line += 50 // past the text, and reversed
			case 2:
				rg.Start, rg.End = rg.End, rg.Start
			}
			var change protocol.TextDocumentContentChangeEvent = &protocol.TextDocumentContentChangePartial{Range: rg, Text: randomText(rng.IntN(3))}
			if rng.IntN(40) == 0 {
				change = &protocol.TextDocumentContentChangeWholeDocument{Text: randomText(5)}
			}
			changes = append(changes, change)
		}
		if rng.IntN(5) == 0 { // some in the editor's order, first first
			slices.Reverse(changes)
		}
		want := newTestDocument(text)
		wantEdits, wantInc := applyOneByOne(want, changes, unit)
		got := newTestDocument(text)
		if run := got.descendingRun(changes, unit); len(run) > 1 {
			runs++
		}
		gotEdits, gotInc := got.applyChanges(changes, unit, func(int, error) {})
		if string(got.text) != string(want.text) || !slices.Equal(gotEdits, wantEdits) || gotInc != wantInc {
			t.Fatalf("%s, text %q, changes %s:\n got %q %v %v\nwant %q %v %v", enc, text, showChanges(changes), got.text, gotEdits, gotInc, want.text, wantEdits, wantInc)
		}
		if l := got.index(); string(l.Text()) != string(got.text) || l.LineCount() != source.NewLines(got.text).LineCount() {
			t.Fatalf("the line index is not of the new text")
		}
	}
	if runs < 1000 {
		t.Errorf("only %d of 3,000 change lists began with a run of several changes", runs)
	}
}

func showChanges(changes []protocol.TextDocumentContentChangeEvent) string {
	var parts []string
	for _, c := range changes {
		switch c := c.(type) {
		case *protocol.TextDocumentContentChangePartial:
			parts = append(parts, fmt.Sprintf("%s→%q", showRange(c.Range), c.Text))
		case *protocol.TextDocumentContentChangeWholeDocument:
			parts = append(parts, fmt.Sprintf("whole %q", c.Text))
		}
	}
	return strings.Join(parts, ", ")
}

// TestManyCursorsCostLinearTime: 20,000 changes of one didChange, one per
// line of a 360 KB document as a replace-all sends them, cost about what
// one change of the whole text does (each copied the text: seconds).
func TestManyCursorsCostLinearTime(t *testing.T) {
	const n = 20000
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("  k%d: \"value\",", i)
	}
	text := strings.Join(lines, "\n")
	var changes []protocol.TextDocumentContentChangeEvent
	for i := n - 1; i >= 0; i-- {
		col := uint32(strings.IndexByte(lines[i], '"') + 1)
		changes = append(changes, &protocol.TextDocumentContentChangePartial{
			Range: protocol.Range{Start: protocol.Position{Line: uint32(i), Character: col}, End: protocol.Position{Line: uint32(i), Character: col + 5}},
			Text:  "VALUE",
		})
	}
	d := newTestDocument(text)
	var edits []analysis.TextEdit
	hostile := cost.Measure(func() { edits, _ = d.applyChanges(changes, source.UTF16, func(int, error) {}) })
	if want := strings.ReplaceAll(text, "value", "VALUE"); string(d.text) != want || len(edits) != n {
		t.Fatalf("%d edits; the text is not every line's replaced", len(edits))
	}
	whole := []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: text}}
	baseline := cost.Measure(func() {
		b := newTestDocument(text)
		b.applyChanges(whole, source.UTF16, func(int, error) {})
		b.index()
	})
	cost.Within(t, "20,000 cursors", hostile, baseline, 20)
}
