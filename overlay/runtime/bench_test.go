//go:build unix

package runtime

import (
	"context"
	"testing"
	"time"
)

// BenchmarkInvoke compares a cold Invoke (start, readiness, POST) with a
// warm one (the helper is reused).
func BenchmarkInvoke(b *testing.B) {
	for _, cold := range []struct {
		name string
		opts Options
	}{
		{"cold", Options{}},
		// Readiness polling dominates a cold start; this shows its share.
		{"cold-poll-10ms", Options{PollInterval: 10 * time.Millisecond}},
	} {
		b.Run(cold.name, func(b *testing.B) { benchCold(b, cold.opts) })
	}
	b.Run("warm", func(b *testing.B) {
		f := newFixture(b, Options{})
		spec := f.spec("plan")
		if _, err := f.rt.Invoke(context.Background(), spec, scopeRequest); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			resp, err := f.rt.Invoke(context.Background(), spec, scopeRequest)
			if err != nil || !resp.Reused {
				b.Fatal(err, resp.Reused)
			}
		}
	})
}

func benchCold(b *testing.B, opts Options) {
	f := newFixture(b, opts)
	spec := f.spec("plan")
	for b.Loop() {
		if _, err := f.rt.Invoke(context.Background(), spec, scopeRequest); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := f.rt.StopAll(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
