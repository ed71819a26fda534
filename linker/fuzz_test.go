package linker

import (
	"context"
	"os"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// FuzzLink links a fuzzed root manifest with two fuzzed children in memory
// (the root may name ./a.json5 and ./b.json5, which may name each other):
// linking never panics or hangs, every label lies inside its file, and a
// linked scenario encodes.
func FuzzLink(f *testing.F) {
	seeds := corpus.Glob(f, "conformance/ui/*.json5")
	for i, s := range seeds {
		if i%3 != 0 {
			continue
		}
		text, err := os.ReadFile(s)
		if err == nil {
			f.Add(string(text), `{ manifest_version: "0.1.0", slots: { api: { kind: "http" } }, exports: { api: "api" } }`, `{ manifest_version: "0.1.0" }`)
		}
	}
	f.Add(`{ manifest_version: "0.4.0", components: { a: "./a.json5", b: "./b.json5" }, bindings: [{ to: "#a.api", from: "#b.api" }] }`,
		`{ manifest_version: "0.1.0", slots: { api: { kind: "http" } }, components: { b: "./b.json5" } }`,
		`{ manifest_version: "0.1.0", components: { a: "./a.json5" }, provides: { api: { kind: "http", endpoint: "e" } }, program: { image: "x", entrypoint: ["x"], network: { endpoints: [{ name: "e", port: 1 }] } }, exports: { api: "api" } }`)
	const dir = "/fuzz"
	f.Fuzz(func(t *testing.T, root, a, b string) {
		src := newMemSource(map[string]string{dir + "/root.json5": root, dir + "/a.json5": a, dir + "/b.json5": b})
		res := Link(context.Background(), dir+"/root.json5", Options{Files: src})
		for _, d := range res.Diagnostics {
			for _, l := range d.Labels {
				text, ok := res.Texts[l.File]
				if !ok {
					continue // a file that could not be read
				}
				if l.Span.Start < 0 || l.Span.End < l.Span.Start || l.Span.End > len(text) {
					t.Fatalf("%s: label %v outside %s (%d bytes)", d.String(), l.Span, l.File, len(text))
				}
			}
			if d.Code == "" || d.Message == "" {
				t.Fatalf("diagnostic without code or message: %+v", d)
			}
		}
		if res.Scenario() != nil {
			if hasError(res.Diagnostics) {
				t.Fatalf("a scenario despite errors: %v", res.Diagnostics)
			}
			if _, err := scenario.Encode(res.Optimized()); err != nil {
				t.Fatal(err)
			}
		}
	})
}
