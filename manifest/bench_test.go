package manifest

import (
	"bytes"
	"encoding/json"
	"slices"
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
		if f := json5.Parse(src); f.Root() == nil {
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
// each edit applied to the previous result, a full parse of the original
// text every 1,000 edits included.
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
				if f := json5.Reparse(old, pos.at, pos.at, []byte("x")); f.Root() == nil {
					b.Fatal("no tree")
				}
			}
		})
	}
	// "replace" replaces a character in the middle (no offset moves): the
	// containers on the path to it are all that is copied.
	b.Run("replace", func(b *testing.B) {
		old := json5.Parse(src)
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if f := json5.Reparse(old, middle, middle+1, []byte("x")); f.Root() == nil {
				b.Fatal("no tree")
			}
		}
	})
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
	b, _ := json.Marshal(f.Root().Value())
	if !bytes.Equal(a, b) {
		t.Errorf("encoding/json and json5 read different values")
	}
	res := Analyze("bench.json5", src)
	if errs, warns := diag.Count(res.Diagnostics); errs+warns != 0 {
		t.Errorf("generated manifest has %d errors and %d warnings: %v", errs, warns, res.Diagnostics[0].String())
	}
}

// BenchmarkAnalyzeEdit is the analysis of one keystroke as an editor makes
// it: the edited text re-parsed from the last version's tree
// (json5.ReparseEdited), then analyzed, "incremental" with the last
// version's Result as Options.Previous, "fresh" without. Each iteration
// makes two keystrokes, an edit and its undo:
//
//   - linkheavy-2000/label: a character of the middle child's config
//     label replaced (testgen.EditLabel; the length stays);
//
//   - linkheavy-2000/insert: a character typed into that label, then
//     deleted (every node after it moves);
//
//   - manifest-10k-lines/typing: the same in the generated manifest's
//     middle child's config;
//
//   - manifest-10k-lines/comma: a `,` after the comma that ends a line
//     there (a syntax error), then deleted: a version that does not
//     decode lends nothing, so "incremental" is "fresh" here.
//
//     go test ./manifest -run '^$' -bench AnalyzeEdit
func BenchmarkAnalyzeEdit(b *testing.B) {
	lh := testgen.LinkHeavyRoot(2000)
	big := testgen.GenerateManifest(benchLines)
	label := bytes.Index(lh, []byte(`"component number 1000"`)) + 1
	worker := len(big)/2 + bytes.Index(big[len(big)/2:], []byte(`"worker `)) + 1
	comma := worker + bytes.Index(big[worker:], []byte(",\n")) + 1
	for _, tc := range []struct {
		name     string
		src      []byte
		at, end  int
		text     string
		validity bool // the edited text decodes
	}{
		{"linkheavy-2000/label", lh, label, label + 1, "C", true},
		{"linkheavy-2000/insert", lh, label, label, "x", true},
		{"manifest-10k-lines/typing", big, worker, worker, "x", true},
		{"manifest-10k-lines/comma", big, comma, comma, ",", false},
	} {
		edited := slices.Concat(tc.src[:tc.at], []byte(tc.text), tc.src[tc.end:])
		for _, incremental := range []bool{true, false} {
			name := tc.name + "/fresh"
			if incremental {
				name = tc.name + "/incremental"
			}
			b.Run(name, func(b *testing.B) {
				syn := json5.Parse(tc.src)
				res := AnalyzeWith("/bench/root.json5", tc.src, Options{Syntax: syn, NoLints: true})
				step := func(src []byte, at, end int) {
					syn = json5.ReparseEdited(syn, src, at, end)
					opts := Options{Syntax: syn, NoLints: true}
					if incremental {
						opts.Previous = res
					}
					res = AnalyzeWith("/bench/root.json5", src, opts)
				}
				b.ReportAllocs()
				for b.Loop() {
					step(edited, tc.at, tc.end)
					if (res.Manifest != nil) != tc.validity {
						b.Fatalf("edited text decoded: %v", res.Manifest != nil)
					}
					step(tc.src, tc.at, tc.at+len(tc.text))
					if res.Manifest == nil || len(res.Manifest.Components) < 1000 {
						b.Fatal("the restored text did not decode")
					}
				}
			})
		}
	}
}
