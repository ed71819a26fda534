package manifest

import (
	"encoding/json"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// BenchmarkAnalyze measures parse + decode + validate + lint of a generated
// 10k-line manifest; BenchmarkEncodingJSON decodes the same document with
// encoding/json as the baseline for the ratio in the README.
func BenchmarkAnalyze(b *testing.B) {
	src := json5.GenerateManifest(10000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		res := Analyze("bench.json5", src)
		if res.Manifest == nil {
			b.Fatal("generated manifest did not decode")
		}
	}
}

func BenchmarkEncodingJSON(b *testing.B) {
	src := json5.GenerateManifest(10000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(src, &v); err != nil {
			b.Fatal(err)
		}
	}
}
