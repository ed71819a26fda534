package lsp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// BenchmarkFeatureRequests measures hover and completion round trips over
// the pipe on the 10k-line manifest, once its diagnostics are published,
// against a full json5.Parse of it in the same run (the x-parse metric).
// The client keeps the result as raw JSON: decoding it is the editor's
// cost, not the server's.
//
//	go test ./lsp -run '^$' -bench FeatureRequests -benchtime 200x
func BenchmarkFeatureRequests(b *testing.B) {
	e, file, text := bigManifestEditor(b)
	var parses []time.Duration
	for range 20 {
		t0 := time.Now()
		json5.Parse(text)
		parses = append(parses, time.Since(t0))
	}
	slices.Sort(parses)
	parse := parses[len(parses)/2]
	pos := func(after string) protocol.TextDocumentPositionParams {
		i := strings.Index(string(text), after)
		if i < 0 {
			b.Fatalf("%q not in the manifest", after)
		}
		return docPos(file, positionOf(string(text), i+len(after), protocol.PositionEncodingKindUTF16))
	}
	cases := []struct {
		name   string
		method string
		params any
	}{
		{"hover", protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: pos(`"from": "#child_800.a`)}},
		{"completion-1666-children", protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: pos(`{ "to": "#child_801.upstream", "from": "#`)}},
		{"completion-root-keys", protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: pos(`"manifest_version": "0.4.0",`)}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			d := requestLatency(b, e, tc.method, tc.params, 100)
			b.ReportMetric(float64(d)/float64(parse), "x-parse")
		})
	}
}

// bigManifestEditor starts a server on a folder holding the 10k-line
// manifest (testgen.GenerateManifest(10000)), opens it and waits for its
// diagnostics.
func bigManifestEditor(b *testing.B) (e *editor, file string, text []byte) {
	dir := b.TempDir()
	file = filepath.Join(dir, "big.json5")
	text = testgen.GenerateManifest(10000)
	if err := os.WriteFile(file, text, 0o644); err != nil {
		b.Fatal(err)
	}
	e = start(b, Options{}, editorCaps{}, dir)
	e.open(file, string(text))
	e.waitVersion(file)
	return e, file, text
}

// requestLatency sends a request b.N times, checks that every answer has
// at least minBytes of JSON, reports the median and p99 latencies and
// returns the median.
func requestLatency(b *testing.B, e *editor, method string, params any, minBytes int) time.Duration {
	lat := make([]time.Duration, 0, b.N)
	for range b.N {
		t0 := time.Now()
		var raw jsonrpc2.RawMessage
		if err := e.call(method, params, &raw); err != nil || len(raw) < minBytes {
			b.Fatalf("%s: %v %.100s (%d bytes)", method, err, raw, len(raw))
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	d := lat[len(lat)/2]
	b.ReportMetric(float64(d)/1e3, "µs/op-median")
	b.ReportMetric(float64(lat[len(lat)*99/100])/1e3, "µs/op-p99")
	b.ReportMetric(0, "ns/op")
	return d
}
