//go:build unix

package lsp

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/internal/exampletree"
)

// BenchmarkPreviewSave measures a save of a scenario with overlays until
// the server asks the editor to refresh its lenses: cold (the helper's
// program changed, so it starts afresh) and warm (the running helper
// answers). It reports both in ms and their ratio:
//
//	go test ./lsp -run '^$' -bench PreviewSave -benchtime 20x
func BenchmarkPreviewSave(b *testing.B) {
	b.Run("go-helper", func(b *testing.B) {
		previewBin = previewHelper(b, b.TempDir())
		pt := newPreviewTree(b, "plan", 0)
		benchPreviewSave(b, pt.dir, pt.root, previewScenario, pt.program)
	})
	b.Run("example-python", func(b *testing.B) {
		if _, err := exec.LookPath("python3"); err != nil {
			b.Skip("python3 not found")
		}
		root := copyExampleTree(b)
		text, _ := os.ReadFile(root)
		benchPreviewSave(b, filepath.Dir(root), root, string(text), filepath.Join(filepath.Dir(root), "audit", "overlay.py"))
	})
}

func benchPreviewSave(b *testing.B, dir, root, text, program string) {
	e := startServer(b, Options{})
	e.settings = previewOn("30s")
	caps := allCaps
	caps.refreshes = true
	e.initialize(caps, dir)
	e.open(root, text)
	e.waitVersion(root)
	save := func() time.Duration {
		time.Sleep(2 * saveQuiet)
		n := e.serverCalls(protocol.MethodWorkspaceCodeLensRefresh)
		begin := time.Now()
		e.save(root)
		e.waitFor("the preview", func() bool { return e.calls[protocol.MethodWorkspaceCodeLensRefresh] > n })
		return time.Since(begin)
	}
	var cold, warm time.Duration
	b.ResetTimer()
	for i := range b.N {
		// A new modification time is a new fingerprint: the helper restarts.
		stamp := time.Now().Add(time.Duration(i+1) * time.Second)
		if err := os.Chtimes(program, stamp, stamp); err != nil {
			b.Fatal(err)
		}
		cold += save()
		warm += save()
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / float64(b.N) / 1e6 }
	b.ReportMetric(ms(cold), "cold-ms")
	b.ReportMetric(ms(warm), "warm-ms")
	b.ReportMetric(float64(cold)/float64(warm), "cold/warm")
	b.ReportMetric(0, "ns/op")
	e.shutdown()
}

// copyExampleTree copies examples/ with the helper on a free port.
func copyExampleTree(t testing.TB) string { return exampletree.Copy(t, "../examples") }
