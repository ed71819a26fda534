package manifest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// benchLines is the size of the generated benchmark manifest.
const benchLines = 10000

// The benchmarks below run on the same generated manifest, so their MB/s
// compare directly (README, Performance):
//
//	go test -run='^$' -bench=. -count=5 ./manifest/
//
// BenchmarkAnalyze is parse + decode + validation + lints; BenchmarkParse
// the JSON5 syntax tree alone; BenchmarkEncodingJSON decodes the same
// bytes (the generator writes plain JSON) with encoding/json into `any`.

func BenchmarkAnalyze(b *testing.B) {
	src := json5.GenerateManifest(benchLines)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		res := Analyze("bench.json5", src)
		if res.Manifest == nil {
			b.Fatal("generated manifest did not decode")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	src := json5.GenerateManifest(benchLines)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if f := json5.Parse(src); f.Root == nil {
			b.Fatal("no tree")
		}
	}
}

// BenchmarkReparse is a keystroke in the generated manifest: one character
// typed into the string value of the first component's config, so nearly
// the whole tree lies after the edit and is shifted. "one-edit" re-parses
// the same edit of the same file (the incremental path alone); "typing"
// types on, each edit applied to the previous result, with the full parse
// that ends every chain of edits included.
func BenchmarkReparse(b *testing.B) {
	src := json5.GenerateManifest(benchLines)
	at := bytes.Index(src, []byte(`"name": "`)) + len(`"name": "`)
	b.Run("one-edit", func(b *testing.B) {
		old := json5.Parse(src)
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if f := json5.Reparse(old, at, at, []byte("x")); f.Root == nil {
				b.Fatal("no tree")
			}
		}
	})
	b.Run("typing", func(b *testing.B) {
		f := json5.Parse(src)
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			f = json5.Reparse(f, at+i%1000, at+i%1000, []byte("x"))
			if i%1000 == 999 {
				f = json5.Parse(src)
			}
		}
	})
}

func BenchmarkEncodingJSON(b *testing.B) {
	src := json5.GenerateManifest(benchLines)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(src, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchmarkInput checks what the benchmarks rely on: the generated
// manifest has the advertised size, is plain JSON (so encoding/json reads
// the very same bytes), means the same thing to both decoders, and is a
// valid manifest, so BenchmarkAnalyze runs validation and lints to the end.
func TestBenchmarkInput(t *testing.T) {
	src := json5.GenerateManifest(benchLines)
	if n := bytes.Count(src, []byte("\n")); n < benchLines || n > benchLines+20 {
		t.Errorf("generated %d lines, want about %d", n, benchLines)
	}
	var v any
	if err := json.Unmarshal(src, &v); err != nil {
		t.Fatalf("not plain JSON: %v", err)
	}
	f := json5.Parse(src)
	if len(f.Errors) != 0 {
		t.Fatalf("JSON5 errors: %v", f.Errors)
	}
	a, _ := json.Marshal(v)
	b, _ := json.Marshal(f.Root.Value())
	if !bytes.Equal(a, b) {
		t.Errorf("encoding/json and json5 read different values")
	}
	res := Analyze("bench.json5", src)
	if errs, warns := diag.Count(res.Diagnostics); errs+warns != 0 {
		t.Errorf("generated manifest has %d errors and %d warnings: %v", errs, warns, res.Diagnostics[0].String())
	}
}
