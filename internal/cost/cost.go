// Package cost measures what a piece of work costs in time and memory, for
// tests that bound the cost of a hostile input by the cost of a benign
// input of the same size measured in the same run: a ratio holds on a
// loaded machine where an absolute deadline does not, and an input that
// makes the work quadratic exceeds any constant factor once it is large
// enough. Nothing outside tests imports it.
package cost

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/cputime"
)

// Cost is what one run of a piece of work took.
type Cost struct {
	Time   time.Duration // the fastest of the runs measured
	CPU    time.Duration // the least CPU time of the runs (the process's, every thread); 0 when unknown
	Bytes  uint64        // bytes allocated (by the whole process) during the run that allocated least
	Allocs uint64        // heap objects allocated during that run
}

// String shows a cost for a test log.
func (c Cost) String() string {
	return fmt.Sprintf("%v (%v CPU), %.1f MB in %d allocations", c.Time.Round(time.Microsecond), c.CPU.Round(time.Microsecond), float64(c.Bytes)/1e6, c.Allocs)
}

// runs is how often Measure repeats the work; the fastest run counts, which
// filters out a run slowed by the machine's other load.
const runs = 3

// Measure runs f a few times and returns its cost: the fastest time, the
// least CPU time, and the allocations of the run that allocated least
// (what other goroutines of the test binary allocate meanwhile, a server
// an earlier test left shutting down, can only add to a run's). Tests
// that measure must not run in parallel with others.
func Measure(f func()) Cost {
	var c Cost
	for i := range runs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		cpu0, cpuOK := cputime.Used()
		start := time.Now()
		f()
		d := time.Since(start)
		cpu1, _ := cputime.Used()
		runtime.ReadMemStats(&after)
		if i == 0 || d < c.Time {
			c.Time = d
		}
		if cpuOK && (i == 0 || cpu1-cpu0 < c.CPU) {
			c.CPU = max(cpu1-cpu0, 1)
		}
		if b := after.TotalAlloc - before.TotalAlloc; i == 0 || b < c.Bytes {
			c.Bytes, c.Allocs = b, after.Mallocs-before.Mallocs
		}
	}
	return c
}

// Slack is the time a hostile run may take beyond factor times the
// baseline, so that a baseline of a few milliseconds does not make the
// bound a matter of scheduling noise.
const Slack = 50 * time.Millisecond

// wallFactor is how much more than factor a hostile run may take in wall
// time where CPU time is measured: the CPU bound is the exact one, the wall
// bound catches work that waits instead of computing, and is loose enough
// for a machine busy with other processes.
const wallFactor = 4

// Within fails the test unless the hostile cost is at most factor times
// the baseline's, in CPU time where it is measured (wall time otherwise;
// plus Slack) and in bytes allocated, and logs both costs.
func Within(t testing.TB, what string, hostile, baseline Cost, factor float64) {
	t.Helper()
	t.Logf("%s: %v; baseline %v", what, hostile, baseline)
	wall := factor
	if hostile.CPU > 0 && baseline.CPU > 0 {
		wall *= wallFactor
		if limit := time.Duration(factor*float64(baseline.CPU)) + Slack; hostile.CPU > limit {
			t.Errorf("%s took %v of CPU, more than %g times the baseline's %v", what, hostile.CPU, factor, baseline.CPU)
		}
	}
	if limit := time.Duration(wall*float64(baseline.Time)) + Slack; hostile.Time > limit {
		t.Errorf("%s took %v, more than %g times the baseline's %v", what, hostile.Time, wall, baseline.Time)
	}
	if limit := uint64(factor * float64(max(baseline.Bytes, 1<<16))); hostile.Bytes > limit {
		t.Errorf("%s allocated %d bytes, more than %g times the baseline's %d", what, hostile.Bytes, factor, baseline.Bytes)
	}
}

// LiveHeap returns the bytes the heap holds after two full collections:
// the second empties the pools (sync.Pool) the first only moved to their
// victim caches, such as the token lists json5.Parse recycles.
func LiveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Deadline runs f and fails the test when it has not returned within limit
// (it is then left running: an input that makes the work exponential
// fails the test at once instead of holding it until the test binary's
// timeout). It returns the time f took. f runs on a goroutine of its own,
// so it must not stop the test (t.Fatal).
func Deadline(t testing.TB, what string, limit time.Duration, f func()) time.Duration {
	t.Helper()
	done := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		f()
		done <- time.Since(start)
	}()
	select {
	case d := <-done:
		if d > limit {
			t.Errorf("%s took %v, more than %v", what, d, limit)
		}
		return d
	case <-time.After(limit):
		t.Fatalf("%s did not finish within %v", what, limit)
	}
	return 0
}
