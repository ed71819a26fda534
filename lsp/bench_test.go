package lsp

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// BenchmarkKeystroke measures keystroke -> publishDiagnostics latency: each
// iteration types one character through didChange and waits for the
// publication of that version. The typing never returns to an earlier text
// (so no cached analysis can be reused for the edited file): it types a new
// member, character by character, into the config of one component after
// another, passing through syntax errors on the way.
//
//	go test ./lsp -run '^$' -bench Keystroke -benchtime 1000x
func BenchmarkKeystroke(b *testing.B) {
	b.Run("manifest-10k-lines", func(b *testing.B) {
		dir := b.TempDir()
		file := filepath.Join(dir, "big.json5")
		if err := os.WriteFile(file, testgen.GenerateManifest(10000), 0o644); err != nil {
			b.Fatal(err)
		}
		benchTyping(b, dir, file, `"config": { `)
	})
	b.Run("example-workspace", func(b *testing.B) {
		dir := b.TempDir()
		copyTree(b, corpus.Path(b, "conformance", "examples"), dir)
		benchTyping(b, dir, filepath.Join(dir, "tau2", "scenario.json5"), `config: {`)
	})
}

// BenchmarkFullCheck is the baseline: a fresh analysis.Check of the same
// workspaces (what a server without incremental analysis would redo per
// keystroke).
func BenchmarkFullCheck(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as in BenchmarkKeystroke
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(48 << 20))
	b.Run("manifest-10k-lines", func(b *testing.B) {
		dir := b.TempDir()
		os.WriteFile(filepath.Join(dir, "big.json5"), testgen.GenerateManifest(10000), 0o644)
		for b.Loop() {
			if _, err := analysis.Check([]string{dir}, analysis.CheckOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("example-workspace", func(b *testing.B) {
		examples := corpus.Path(b, "conformance", "examples")
		for b.Loop() {
			if _, err := analysis.Check([]string{examples}, analysis.CheckOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// typist produces keystrokes: it types member into the object that follows
// each occurrence of anchor, one character at a time.
type typist struct {
	anchor string
	member []rune
	at     int // byte offset of the next character
	typed  int // characters of member typed at `at`
	round  int
}

func (ty *typist) next(text string) edit {
	if ty.typed == 0 || ty.typed == len(ty.member) {
		// Move to the next anchor after the current position.
		i := strings.Index(text[ty.at:], ty.anchor)
		if i < 0 {
			ty.at = 0
			i = strings.Index(text, ty.anchor)
		}
		ty.at += i + len(ty.anchor)
		ty.typed = 0
		ty.round++
	}
	r := string(ty.member[ty.typed])
	if ty.typed == 1 {
		r = string(rune('a' + ty.round%26)) // make every member's key unique
	}
	e := edit{ty.at, ty.at, r}
	ty.at += len(r)
	ty.typed++
	return e
}

func benchTyping(b *testing.B, dir, file, anchor string) {
	if data, _ := os.ReadFile(file); !strings.Contains(string(data), anchor) {
		b.Fatalf("%s has no %q to type after", file, anchor)
	}
	oldPercent := debug.SetGCPercent(400) // as cmd/amber-lsp does
	oldLimit := debug.SetMemoryLimit(48 << 20)
	defer debug.SetGCPercent(oldPercent)
	defer debug.SetMemoryLimit(oldLimit)

	e := start(b, Options{}, editorCaps{}, dir)
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	e.open(file, string(data))
	e.waitVersion(file)

	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go samplePeak(&peak, stop, sampled)

	ty := &typist{anchor: anchor, member: []rune(`"xé😀": "typed", `)}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		ed := ty.next(e.docs[uri.File(file)].text)
		t0 := time.Now()
		e.change(file, protocol.PositionEncodingKindUTF16, ed)
		e.waitVersion(file)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	close(stop)
	<-sampled
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / 1e6
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/1e6, "max-ms")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MiB")
	b.ReportMetric(0, "ns/op")
}

// samplePeak records the peak of the memory the Go runtime holds from the
// operating system (mapped and not released), every millisecond.
func samplePeak(peak *atomic.Uint64, stop, done chan struct{}) {
	defer close(done)
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		if v := s[0].Value.Uint64() - s[1].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}
