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
)

// Cost is what one run of a piece of work took.
type Cost struct {
	Time   time.Duration // the fastest of the runs measured
	Bytes  uint64        // bytes allocated (by the whole process) during one run
	Allocs uint64        // heap objects allocated during one run
}

// String shows a cost for a test log.
func (c Cost) String() string {
	return fmt.Sprintf("%v, %.1f MB in %d allocations", c.Time.Round(time.Microsecond), float64(c.Bytes)/1e6, c.Allocs)
}

// runs is how often Measure repeats the work; the fastest run counts, which
// filters out a run slowed by the machine's other load.
const runs = 3

// Measure runs f a few times and returns its cost: the fastest time, and
// the allocations of the last run. Tests that measure must not run in
// parallel with others.
func Measure(f func()) Cost {
	var c Cost
	for i := range runs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		f()
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		if i == 0 || d < c.Time {
			c.Time = d
		}
		c.Bytes, c.Allocs = after.TotalAlloc-before.TotalAlloc, after.Mallocs-before.Mallocs
	}
	return c
}

// Slack is the time a hostile run may take beyond factor times the
// baseline, so that a baseline of a few milliseconds does not make the
// bound a matter of scheduling noise.
const Slack = 50 * time.Millisecond

// Within fails the test unless the hostile cost is at most factor times
// the baseline's, in time (plus Slack) and in bytes allocated, and logs
// both costs.
func Within(t testing.TB, what string, hostile, baseline Cost, factor float64) {
	t.Helper()
	t.Logf("%s: %v; baseline %v", what, hostile, baseline)
	if limit := time.Duration(factor*float64(baseline.Time)) + Slack; hostile.Time > limit {
		t.Errorf("%s took %v, more than %g times the baseline's %v", what, hostile.Time, factor, baseline.Time)
	}
	if limit := uint64(factor * float64(max(baseline.Bytes, 1<<16))); hostile.Bytes > limit {
		t.Errorf("%s allocated %d bytes, more than %g times the baseline's %d", what, hostile.Bytes, factor, baseline.Bytes)
	}
}
