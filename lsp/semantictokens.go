package lsp

import (
	"context"
	"strconv"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/source"
)

// tokenLegend is the legend the server advertises: analysis' token kinds
// and modifiers, which are named after the LSP's standard ones, in order,
// so that a kind's index in the legend is kind-1 and a modifier's bit is
// its own.
func tokenLegend() protocol.SemanticTokensLegend {
	var l protocol.SemanticTokensLegend
	for _, k := range analysis.TokenKinds() {
		l.TokenTypes = append(l.TokenTypes, k.String())
	}
	for _, m := range analysis.TokenModifiers() {
		l.TokenModifiers = append(l.TokenModifiers, m.String())
	}
	return l
}

// semanticTokensCapability: full (with deltas) and range semantic tokens.
func semanticTokensCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.SemanticTokensProvider = &protocol.SemanticTokensOptions{
		Legend: tokenLegend(),
		Range:  protocol.Boolean(true),
		Full:   &protocol.SemanticTokensFullDelta{Delta: ptr(true)},
	}
}

// encodeTokens encodes tokens in the LSP's relative form (line delta,
// start delta, length, type, modifiers) with columns in unit. A token that
// spans lines becomes one token per line. It runs in time linear in the
// text the tokens cover.
func encodeTokens(lines *source.Lines, unit source.Unit, toks []analysis.Token) []uint32 {
	data := make([]uint32, 0, 5*len(toks))
	cur := lines.Cursor(unit)
	prevLine, prevCol := 0, 0
	for _, t := range toks {
		typ, mods := uint32(t.Kind)-1, uint32(t.Mods)
		for start := t.Span.Start; start < t.Span.End; {
			from := cur.Position(start)
			end := min(t.Span.End, lines.LineEnd(from.Line))
			to := cur.Position(end)
			if to.Column > from.Column {
				col := from.Column
				if from.Line == prevLine {
					col -= prevCol
				}
				data = append(data, uint32(from.Line-prevLine), uint32(col), uint32(to.Column-from.Column), typ, mods)
				prevLine, prevCol = from.Line, from.Column
			}
			next := lines.LineStart(from.Line + 1)
			if next <= start {
				break // the last line
			}
			start = next
		}
	}
	return data
}

// maxTokenResults bounds the token results kept for deltas.
const maxTokenResults = 64

// tokenResults keeps the last full token result sent for each document,
// so that the next request can be answered with a delta.
type tokenResults struct {
	mu     sync.Mutex
	next   uint64
	byPath map[string]tokenResult
}

// tokenResult is a token result sent.
type tokenResult struct {
	id   string
	data []uint32
}

// store records data as the latest result for path and returns its id.
func (r *tokenResults) store(path string, data []uint32) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	id := strconv.FormatUint(r.next, 10)
	if r.byPath == nil {
		r.byPath = map[string]tokenResult{}
	}
	if _, known := r.byPath[path]; !known && len(r.byPath) >= maxTokenResults {
		for p := range r.byPath { // forget one, any
			delete(r.byPath, p)
			break
		}
	}
	r.byPath[path] = tokenResult{id: id, data: data}
	return id
}

// previous returns the result with id sent for path, if it is the latest.
func (r *tokenResults) previous(path, id string) ([]uint32, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.byPath[path]
	if !ok || res.id != id {
		return nil, false
	}
	return res.data, true
}

// tokenDelta is the one edit turning old into new: what lies between their
// common prefix and their common suffix.
func tokenDelta(old, new []uint32) protocol.SemanticTokensEdit {
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	s := 0
	for s < len(old)-p && s < len(new)-p && old[len(old)-1-s] == new[len(new)-1-s] {
		s++
	}
	return protocol.SemanticTokensEdit{Start: uint32(p), DeleteCount: uint32(len(old) - p - s), Data: new[p : len(new)-s]}
}

// tokensOf returns the encoded tokens of document u within span: nil
// when it is no local manifest.
func (s *server) tokensOf(ctx context.Context, snap *snapshot, u uri.URI, span func(path string) diag.Span) (string, []uint32, error) {
	path, ok := pathOf(u)
	if !ok {
		return "", nil, nil
	}
	toks, err := snap.SemanticTokens(ctx, path, span(path))
	if err != nil || toks == nil {
		return "", nil, err
	}
	return path, encodeTokens(snap.conv.index(path), snap.conv.Unit, toks), nil
}

// wholeFile is a span covering any text.
func wholeFile(string) diag.Span { return diag.Span{Start: 0, End: int(^uint(0) >> 1)} }

// semanticTokensFull answers textDocument/semanticTokens/full, keeping the
// result for a later delta.
func (s *server) semanticTokensFull(ctx context.Context, snap *snapshot, p *protocol.SemanticTokensParams) (*protocol.SemanticTokens, error) {
	path, data, err := s.tokensOf(ctx, snap, p.TextDocument.URI, wholeFile)
	if err != nil || data == nil {
		return nil, err
	}
	id := s.tokens.store(path, data)
	return &protocol.SemanticTokens{ResultID: &id, Data: data}, nil
}

// semanticTokensDelta answers textDocument/semanticTokens/full/delta: the
// edit from the previous result when the server still has it, else the
// full tokens.
func (s *server) semanticTokensDelta(ctx context.Context, snap *snapshot, p *protocol.SemanticTokensDeltaParams) (protocol.SemanticTokensDeltaResult, error) {
	path, data, err := s.tokensOf(ctx, snap, p.TextDocument.URI, wholeFile)
	if err != nil || data == nil {
		return nil, err
	}
	old, found := s.tokens.previous(path, p.PreviousResultID)
	id := s.tokens.store(path, data)
	if !found {
		return &protocol.SemanticTokens{ResultID: &id, Data: data}, nil
	}
	edits := []protocol.SemanticTokensEdit{}
	if e := tokenDelta(old, data); e.DeleteCount > 0 || len(e.Data) > 0 {
		edits = append(edits, e)
	}
	return &protocol.SemanticTokensDelta{ResultID: &id, Edits: edits}, nil
}

// semanticTokensRange answers textDocument/semanticTokens/range.
func (s *server) semanticTokensRange(ctx context.Context, snap *snapshot, p *protocol.SemanticTokensRangeParams) (*protocol.SemanticTokens, error) {
	span := func(path string) diag.Span {
		return diag.Span{Start: snap.conv.offset(path, p.Range.Start), End: snap.conv.offset(path, p.Range.End)}
	}
	_, data, err := s.tokensOf(ctx, snap, p.TextDocument.URI, span)
	if err != nil || data == nil {
		return nil, err
	}
	return &protocol.SemanticTokens{Data: data}, nil
}
