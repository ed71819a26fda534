package lsp

import (
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// BenchmarkOutlineRequests measures the whole-file requests over the pipe
// on the 10k-line manifest once its diagnostics are published: semantic
// tokens (encoded in UTF-16), the outline, inlay hints and links. The
// client keeps the result as raw JSON.
//
//	go test ./lsp -run '^$' -bench OutlineRequests -benchtime 50x
func BenchmarkOutlineRequests(b *testing.B) {
	e, file, text := bigManifestEditor(b)
	doc := protocol.TextDocumentIdentifier{URI: uri.File(file)}
	whole := protocol.Range{End: positionOf(string(text), len(text), protocol.PositionEncodingKindUTF16)}
	cases := []struct {
		name   string
		method string
		params any
		min    int // bytes of answer at least
	}{
		{"semantic-tokens-full", protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: doc}, 50000 * 5 * 2},
		{"semantic-tokens-range-100-lines", protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{TextDocument: doc,
			Range: protocol.Range{Start: protocol.Position{Line: 5000}, End: protocol.Position{Line: 5100}}}, 1000},
		{"document-symbols", protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: doc}, 100000},
		{"inlay-hints", protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{TextDocument: doc, Range: whole}, 2},
		{"document-links", protocol.MethodTextDocumentDocumentLink, &protocol.DocumentLinkParams{TextDocument: doc}, 2},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) { requestLatency(b, e, tc.method, tc.params, tc.min) })
	}
}
