package lsp

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// BenchmarkOutlineRequests measures the whole-file requests over the pipe
// on the 10k-line manifest once its diagnostics are published: semantic
// tokens (encoded in UTF-16), the outline, inlay hints and links. The
// client keeps the result as raw JSON.
//
//	go test ./lsp -run '^$' -bench OutlineRequests -benchtime 50x
func BenchmarkOutlineRequests(b *testing.B) {
	dir := b.TempDir()
	file := filepath.Join(dir, "big.json5")
	text := testgen.GenerateManifest(10000)
	if err := os.WriteFile(file, text, 0o644); err != nil {
		b.Fatal(err)
	}
	e := start(b, Options{}, editorCaps{}, dir)
	e.open(file, string(text))
	e.waitVersion(file)
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
		b.Run(tc.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for range b.N {
				t0 := time.Now()
				var raw jsonrpc2.RawMessage
				if err := e.call(tc.method, tc.params, &raw); err != nil || len(raw) < tc.min {
					b.Fatalf("%s: %v %.100s (%d bytes)", tc.name, err, raw, len(raw))
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2])/1e3, "µs/op-median")
			b.ReportMetric(float64(lat[len(lat)*99/100])/1e3, "µs/op-p99")
			b.ReportMetric(0, "ns/op")
		})
	}
}
