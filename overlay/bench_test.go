package overlay

import (
	"context"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/linker"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// BenchmarkPreview times a whole overlay pass over our redaction example:
// cold starts the helper every time, warm reuses the running one, as the
// language server does between saves.
func BenchmarkPreview(b *testing.B) {
	root, _ := workspace(b, "redact")
	res := linker.Link(context.Background(), root, linker.Options{})
	run := func(b *testing.B, rt *hrt.Runtime) {
		out := Apply(context.Background(), res, Options{Runtime: rt})
		if out.Scenario == nil {
			b.Fatalf("pass failed: %v", out.Diagnostics)
		}
	}
	b.Run("cold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			rt := hrt.New(hrt.Options{StartTimeout: 5 * time.Second, PollInterval: 10 * time.Millisecond})
			run(b, rt)
			rt.Close()
		}
	})
	b.Run("warm", func(b *testing.B) {
		rt := hrt.New(hrt.Options{StartTimeout: 5 * time.Second, PollInterval: 10 * time.Millisecond})
		defer rt.Close()
		run(b, rt)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			run(b, rt)
		}
	})
}
