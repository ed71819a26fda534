package lsp

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// TestLimits checks the memory limits the tuner sets: tunedLimit once
// the first analysis is published, startUpLimit before.
func TestLimits(t *testing.T) {
	const target = 28 << 20
	cases := []struct {
		name  string
		limit func(int64, memStats) int64
		m     memStats
		want  int64
	}{
		{"small live heap: the target", tunedLimit, memStats{live: 4 << 20, total: 20 << 20, objects: 8 << 20, free: 2 << 20}, target},
		{"room of a third of the live heap under the target", tunedLimit, memStats{live: 15 << 20, total: 26 << 20, released: 2 << 20, objects: 16 << 20, free: 2 << 20}, target},
		{"live heap too large: raised", tunedLimit, memStats{live: 30 << 20, total: 50 << 20, released: 1 << 20, objects: 36 << 20, free: 5 << 20}, 8<<20 + 40<<20},
		{"inconsistent figures: no negative overhead", tunedLimit, memStats{live: 30 << 20, total: 10 << 20, objects: 36 << 20}, 40 << 20},
		{"start-up, small live heap: the target", startUpLimit, memStats{live: 4 << 20, total: 20 << 20, objects: 8 << 20, free: 2 << 20}, target},
		{"start-up, twice the live heap under the target", startUpLimit, memStats{live: 12 << 20, total: 26 << 20, released: 2 << 20, objects: 16 << 20, free: 6 << 20}, target},
		{"start-up, live heap too large: twice it", startUpLimit, memStats{live: 30 << 20, total: 50 << 20, released: 1 << 20, objects: 36 << 20, free: 5 << 20}, 8<<20 + 60<<20},
		{"start-up, inconsistent figures: no negative overhead", startUpLimit, memStats{live: 30 << 20, total: 10 << 20, objects: 36 << 20}, 60 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.limit(target, c.m); got != c.want {
				t.Errorf("limit %d MiB, want %d MiB", got>>20, c.want>>20)
			}
		})
	}
}

// TestTuneGCStartUp checks that at start-up, while the limit alone paces
// the collector, a live heap larger than the target gets the room GOGC=100
// would give it: the limit is raised to twice the live heap after a
// collection.
func TestTuneGCStartUp(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	restore := TuneGC()
	defer restore()
	live := make([]byte, 40<<20)
	for i := range live {
		live[i] = byte(i)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		if l := debug.SetMemoryLimit(-1); l >= 2*40<<20 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("memory limit %d MiB at start-up with a live heap of 40 MiB, want at least %d MiB", l>>20, 2*40)
		}
		time.Sleep(time.Millisecond)
	}
	if p := gcPercent(); p != -1 {
		t.Errorf("GOGC %d before the first analysis is published, want off", p)
	}
	runtime.KeepAlive(live)
}

// TestTuneGC checks the settings TuneGC makes, that the limit follows a
// live heap larger than the target after collections, that GOGC and
// GOMEMLIMIT in the environment are kept, and that restoring puts back
// what was there.
func TestTuneGC(t *testing.T) {
	const before = 512 << 20
	cases := []struct {
		name         string
		gogc, limit  string // environment
		startPercent int    // GOGC until the first analysis is published
		wantPercent  int    // and after
		startUp      bool   // the limit alone paces the collector at start-up
		tuned        bool
	}{
		{"defaults", "", "", -1, 100, true, true},
		{"GOGC set", "50", "", 77, 77, false, true},
		{"GOMEMLIMIT set", "", "512MiB", 100, 100, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GOGC", c.gogc)
			t.Setenv("GOMEMLIMIT", c.limit)
			defer debug.SetGCPercent(debug.SetGCPercent(77))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(before))
			restore := TuneGC()
			if p := gcPercent(); p != c.startPercent {
				t.Errorf("GOGC %d at start, want %d", p, c.startPercent)
			}
			l := debug.SetMemoryLimit(-1)
			switch {
			case c.startUp && (l < memoryTarget || l == math.MaxInt64):
				t.Errorf("memory limit %d MiB at start, want one from %d MiB", l>>20, memoryTarget>>20)
			case !c.startUp && c.tuned && l != math.MaxInt64, !c.tuned && l != before:
				t.Errorf("memory limit %d MiB at start", l>>20)
			}
			betweenAnalyses.Load().analysisDone(false) // the first analysis published
			if p := gcPercent(); p != c.wantPercent {
				t.Errorf("GOGC %d, want %d", p, c.wantPercent)
			}
			if l := debug.SetMemoryLimit(-1); c.tuned && (l < memoryTarget || l == math.MaxInt64) || !c.tuned && l != before {
				t.Errorf("memory limit %d MiB after the first analysis", l>>20)
			}
			// A live heap of 40 MiB: the limit must leave the collector
			// room above it.
			live := make([]byte, 40<<20)
			for i := range live {
				live[i] = byte(i)
			}
			want := int64(before)
			if c.tuned {
				want = 40 << 20 * 4 / 3
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				runtime.GC()
				l := debug.SetMemoryLimit(-1)
				if !c.tuned && l != before {
					t.Fatalf("memory limit %d MiB, want GOMEMLIMIT's", l>>20)
				}
				if l >= want {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("memory limit %d MiB with a live heap of 40 MiB, want at least %d MiB", l>>20, want>>20)
				}
				time.Sleep(time.Millisecond)
			}
			runtime.KeepAlive(live)
			restore()
			if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 77 || l != before {
				t.Errorf("restored GOGC %d and limit %d MiB, want 77 and %d MiB", p, l>>20, before>>20)
			}
			runtime.GC()
			time.Sleep(10 * time.Millisecond) // a stopped tuner changes nothing
			if l := debug.SetMemoryLimit(-1); l != before {
				t.Errorf("limit %d MiB after the tuner stopped, want %d MiB", l>>20, before>>20)
			}
		})
	}
}

// gcPercent returns the GOGC setting.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// TestCollectorBetweenAnalyses checks when a collection is started between
// analyses: only when the memory limit paces the collector, nothing waits,
// and the next analysis, allocating as much as the last, would bring the
// heap to the collector's goal.
func TestCollectorBetweenAnalyses(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	live := make([]byte, 16<<20) // a goal of 32 MiB from GOGC
	for i := range live {
		live[i] = byte(i)
	}
	cases := []struct {
		name   string
		room   int64 // MiB the memory limit leaves the heap above its objects, 0 for no limit
		alloc  int   // MiB allocated by the analysis
		idle   bool
		forced bool
	}{
		{"limited, little allocated", 10, 1, true, false},
		{"limited, the next analysis would reach the goal", 10, 8, true, true},
		{"limited, a newer analysis waits", 10, 8, false, false},
		{"paced by GOGC", 0, 9, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The limit is set above what the runtime holds besides the
			// heap's objects (its own structures grow with the largest
			// heap the process has had: 10 MiB after the package's larger
			// tests, run again with -count), once the free pages are
			// given back.
			debug.SetMemoryLimit(math.MaxInt64)
			debug.FreeOSMemory()
			if c.room > 0 {
				debug.SetMemoryLimit(heldBesidesObjects() + heapObjects() + c.room<<20)
			}
			forced := forcedCollections()
			col := newCollector(nil)
			col.analysisStarted()
			for range c.alloc {
				sink = make([]byte, 1<<20)
			}
			col.analysisDone(c.idle)
			for col.running.Load() {
				time.Sleep(time.Millisecond)
			}
			if got := forcedCollections() > forced; got != c.forced {
				t.Errorf("collected: %v, want %v", got, c.forced)
			}
		})
	}
	runtime.KeepAlive(live)
}

var sink []byte

// heapObjects returns the bytes of the heap's objects, live or not yet
// swept.
func heapObjects() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// heldBesidesObjects returns what the runtime holds, in memory the system
// has given it, besides the heap's objects and its free pages.
func heldBesidesObjects() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()) - int64(s[1].Value.Uint64()) - int64(s[2].Value.Uint64()) - int64(s[3].Value.Uint64())
}

// forcedCollections returns how many collections runtime.GC started.
func forcedCollections() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
