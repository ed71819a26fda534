package lsp

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// TuneGC sets the garbage collector for a language server process: until
// the first analysis is published, no collection before the heap reaches
// memoryTarget, and then none before it has grown by the live heap (GOGC
// off, the limit alone pacing the collector: limitTuner's start-up);
// from then on the collector's default pace (a collection each time the
// heap has grown by the live heap, GOGC=100), a soft memory limit of
// memoryTarget, raised after each collection as far as the live heap
// needs (limitTuner); and, while the limit paces the collector, a
// collection between analyses when the next one would start one
// (collector). GOGC and GOMEMLIMIT in the environment, when set, are kept
// instead (and the limit is then not tuned; with either set, the
// collector keeps its pace at start-up). It returns a function that puts
// back the settings it replaced, for tests and benchmarks.
//
// Measured through the real server on a 2-core machine at load 4-6
// (linkheavy.py, 20 edits of each kind; lspbench, 200 edits; two runs of
// each, alternated with the server before these settings and the
// analysis changes that came with them), peak RSS from VmHWM, CPU per edit
// for the binding, label and syntax edits, live heap after a collection
// (median and largest, GODEBUG=gctrace=1):
//
//	workload                      before: GOGC=100, no limit             now
//	                              live MB  RSS MiB  CPU ms/edit          live MB  RSS MiB  CPU ms/edit
//	10k-line document (lspbench)  9, 10    35-39    3.1-3.9              9, 10    27       2.3-2.6
//	LinkHeavy, 100 children       1, 1     19       2-2.5/1.5/1.5        1, 1     19       1.5-2.5/1-1.5/1-1.5
//	LinkHeavy, 830 children       7, 10    33-35    5.5-7/5.5-6/5-5.5    6, 6     29-30    6-6.5/4.5-5/2-3
//	LinkHeavy, 2,000 children     15, 22   56-62    8.5-10.5/9-11/9-9.5  11, 18   37-38    17.5-18/16-18/9-11
//
// No collection before the first analysis is published (GOGC off, the
// limit at memoryTarget or twice the live heap): on the way to the first
// diagnostics of the 10k-line document, collections from a 4 MB heap on
// took 5-15 ms of CPU from the parse (fresh servers, lspbench's
// didOpen-then-pull, 24 starts each alternated, load 3-5, both with the
// one-pass decode of didOpen): median 30.3 -> 26.8 ms, first quartile
// 26.7 -> 21.2 ms; peak RSS unchanged: 24-25 MiB for the document, 19-20,
// 29-30 and 37-38 MiB for LinkHeavy with 100, 830 and 2,000 children.
//
// The process's code and data take about 13 MiB of its resident set (file
// pages of the binary), and the runtime's own structures and the unused
// ends of spans 7-9 MiB of what the limit counts, so a 28 MiB limit keeps
// the resident set at 37-40 MiB. GOGC=100 alone lets the heap reach twice
// the live heap measured at the last collection, which starts while an
// analysis builds the next version beside the current one; the limit
// keeps the heap under memoryTarget instead, at the price of more
// frequent collections once the live heap passes 11-12 MB: on the
// 2,000-child tree 78 collections in 72 edits instead of 32 (48 of them
// between analyses), about 1.8 times the CPU of a binding or label edit,
// at the same median latency. A limit close to the live heap makes the
// collector run back to back (with a fixed 28-30 MiB limit and a 25 MB
// live heap on the 2,000-child tree, 800 collections in 30 keystrokes and
// 8 times the CPU per keystroke): the tuner never lets the limit leave
// the collector less than a third of the live heap of room, so a
// workspace whose live heap does not fit grows past 40 MiB rather than
// slowing down further.
func TuneGC() (restore func()) {
	percent, limit := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
	debug.SetGCPercent(percent)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(100)
	}
	var t *limitTuner
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(math.MaxInt64)
		t = startLimitTuner(memoryTarget, os.Getenv("GOGC") == "")
	}
	c := newCollector(t)
	prev := betweenAnalyses.Swap(c)
	return func() {
		betweenAnalyses.CompareAndSwap(c, prev)
		if t != nil {
			t.stop()
		}
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

// memoryTarget is the soft memory limit TuneGC sets while the live heap
// leaves the collector room under it: the Go runtime's memory (heap,
// stacks and the runtime's own structures) for a resident set of about
// 40 MiB with the server's code (see TuneGC).
const memoryTarget = 28 << 20

// limitTuner keeps the soft memory limit at a target while the live heap
// leaves the collector enough room under it, and raises it after each
// collection as far as the live heap needs (tunedLimit). Until activated,
// once the first analysis is published, it either sets no limit, or, at
// start-up, paces the collector alone (GOGC off): no collection runs
// before the heap reaches the target, and none while it grows by less
// than the live heap (startUpLimit). The heap the first analysis builds
// is nearly all live: collections under the target limit while it grows
// would find nothing to free (they doubled the time to the first
// diagnostics of the 10k-line document), and those GOGC=100 makes from a
// 4 MB heap on take the processor from the first analysis.
type limitTuner struct {
	target  int64
	mu      sync.Mutex
	active  bool
	startUp bool // GOGC is off until activated
	stopped bool
	samples []metrics.Sample
}

// The runtime/metrics the tuner reads, in the order of memStats' fields.
var tunerMetrics = []string{
	"/gc/heap/live:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/free:bytes",
}

// memStats are the runtime's figures the limit is chosen from.
type memStats struct {
	live     uint64 // the live heap the last collection marked
	total    uint64 // all the memory the runtime maps
	released uint64 // of which returned to the system
	objects  uint64 // heap objects, live or not yet swept
	free     uint64 // free heap pages not returned yet
}

// tunedLimit is the memory limit for m: target, or, when the live heap
// does not leave the collector a third of itself of room under target,
// what the runtime holds besides the heap's objects and free pages
// (stacks, its own structures, the unused ends of spans) plus four thirds
// of the live heap.
func tunedLimit(target int64, m memStats) int64 {
	overhead := max(0, int64(m.total)-int64(m.released)-int64(m.objects)-int64(m.free))
	return max(target, overhead+int64(m.live+m.live/3))
}

// startUpLimit is the memory limit for m until the first analysis is
// published, when the limit alone paces the collector: target, or twice
// the live heap above what the runtime holds besides the heap, as GOGC=100
// would have it.
func startUpLimit(target int64, m memStats) int64 {
	overhead := max(0, int64(m.total)-int64(m.released)-int64(m.objects)-int64(m.free))
	return max(target, overhead+int64(2*m.live))
}

// startLimitTuner starts a tuner; startUp turns the collector's own pace
// (GOGC) off until it is activated, the tuner's limit pacing it alone.
func startLimitTuner(target int64, startUp bool) *limitTuner {
	t := &limitTuner{target: target, startUp: startUp, samples: make([]metrics.Sample, len(tunerMetrics))}
	for i, name := range tunerMetrics {
		t.samples[i].Name = name
	}
	if startUp {
		debug.SetGCPercent(-1)
		t.adjust()
	}
	t.arm()
	return t
}

// activate makes the tuner set the limit, from now on, and gives the
// collector back its pace (GOGC=100) after start-up.
func (t *limitTuner) activate() {
	t.mu.Lock()
	first := !t.active
	t.active = true
	if t.startUp && !t.stopped {
		t.startUp = false
		debug.SetGCPercent(100)
	}
	t.mu.Unlock()
	if first {
		t.adjust()
	}
}

// gcSentinel is an object nothing references, whose cleanup runs after
// the collection that found it unreachable.
type gcSentinel struct{ _ *byte }

// arm makes the tuner adjust the limit after the next collection.
func (t *limitTuner) arm() {
	runtime.AddCleanup(new(gcSentinel), func(t *limitTuner) {
		if t.adjust() {
			t.arm()
		}
	}, t)
}

// adjust sets the limit from the latest collection's live heap; false
// once the tuner is stopped.
func (t *limitTuner) adjust() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	if t.active || t.startUp {
		debug.SetMemoryLimit(t.limit())
	}
	return true
}

// limit is the memory limit for the present live heap.
func (t *limitTuner) limit() int64 {
	s := t.samples
	metrics.Read(s)
	m := memStats{s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64(), s[3].Value.Uint64(), s[4].Value.Uint64()}
	if t.startUp {
		return startUpLimit(t.target, m)
	}
	return tunedLimit(t.target, m)
}

// stop ends the tuning; the limit stays where it is.
func (t *limitTuner) stop() {
	t.mu.Lock()
	t.stopped = true
	t.mu.Unlock()
}

// betweenAnalyses is the collector the scheduler asks for a collection
// between analyses (set by TuneGC; nil otherwise).
var betweenAnalyses atomic.Pointer[collector]

// collector runs a collection between two analyses when the memory limit
// paces the collector and the next analysis would start one otherwise:
// when the heap has grown so close to the goal that allocating what the
// last analysis allocated, and half as much again, would pass it. The
// collection then marks the current version alone, off the path of the
// next keystroke, instead of both versions while the next analysis builds
// its own (and makes it wait for its assists). While GOGC paces the
// collector, collections are rare enough where they fall (collecting
// between analyses there made more of them: 40% more CPU per keystroke on
// the 830-child tree).
type collector struct {
	tuner   *limitTuner // activated after the first analysis; nil for none
	mu      sync.Mutex
	samples []metrics.Sample // allocated so far, heap objects, goal, live heap, GOGC
	start   uint64           // allocated when the analysis started
	running atomic.Bool
}

func newCollector(t *limitTuner) *collector {
	return &collector{tuner: t, samples: []metrics.Sample{
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/gogc:percent"},
	}}
}

// analysisStarted records where an analysis starts.
func (c *collector) analysisStarted() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	metrics.Read(c.samples)
	c.start = c.samples[0].Value.Uint64()
}

// analysisDone, called once an analysis is published, activates the
// limit tuner, and starts a collection in the background when the next
// analysis, allocating what this one did, would reach the goal; idle says
// that no newer analysis is waiting (one that is runs at once, and the
// collector would only compete with it).
func (c *collector) analysisDone(idle bool) {
	if c == nil {
		return
	}
	if c.tuner != nil {
		c.tuner.activate()
	}
	if !idle || c.running.Load() {
		return
	}
	c.mu.Lock()
	metrics.Read(c.samples)
	allocated, objects, goal := c.samples[0].Value.Uint64()-c.start, c.samples[1].Value.Uint64(), c.samples[2].Value.Uint64()
	live, gogc := c.samples[3].Value.Uint64(), c.samples[4].Value.Uint64()
	c.mu.Unlock()
	// The limit paces the collector when the goal is well below the one
	// GOGC gives. The collector starts before the heap reaches the goal:
	// half as much again is the margin.
	limited := goal < live+live*gogc/100*9/10
	if limited && objects+allocated*3/2 > goal && c.running.CompareAndSwap(false, true) {
		go func() {
			runtime.GC()
			c.running.Store(false)
		}()
	}
}
