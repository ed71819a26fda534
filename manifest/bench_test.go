package manifest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/testgen"
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
	src := testgen.GenerateManifest(benchLines)
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
	src := testgen.GenerateManifest(benchLines)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if f := json5.Parse(src); f.Root == nil {
			b.Fatal("no tree")
		}
	}
}

// BenchmarkReparse is a keystroke in the generated manifest: one character
// typed into a string value. The nodes after the edit are copied with their
// offsets shifted, so the cost grows with the part of the tree after the
// edit: "top" types into the first component's config (nearly the whole
// tree follows), "middle" into the component halfway through the text,
// "bottom" into the last export. Each iteration re-parses the same edit of
// the same file (the incremental path alone). "typing" types on at the top,
// each edit applied to the previous result, with the full parse that ends
// every chain of Reparse calls included.
func BenchmarkReparse(b *testing.B) {
	src := testgen.GenerateManifest(benchLines)
	name := []byte(`"name": "`)
	top := bytes.Index(src, name) + len(name)
	middle := len(src)/2 + bytes.Index(src[len(src)/2:], name) + len(name)
	bottom := bytes.LastIndex(src, []byte(`"#child_`)) + 1
	for _, pos := range []struct {
		name string
		at   int
	}{{"top", top}, {"middle", middle}, {"bottom", bottom}} {
		b.Run(pos.name, func(b *testing.B) {
			old := json5.Parse(src)
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if f := json5.Reparse(old, pos.at, pos.at, []byte("x")); f.Root == nil {
					b.Fatal("no tree")
				}
			}
		})
	}
	b.Run("typing", func(b *testing.B) {
		f := json5.Parse(src)
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			f = json5.Reparse(f, top+i%1000, top+i%1000, []byte("x"))
			if i%1000 == 999 {
				f = json5.Parse(src)
			}
		}
	})
}

func BenchmarkEncodingJSON(b *testing.B) {
	src := testgen.GenerateManifest(benchLines)
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
	src := testgen.GenerateManifest(benchLines)
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
