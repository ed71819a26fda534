package lsp

import (
	"math"
	"os"
	"runtime/debug"
)

// TuneGC sets the garbage collector for a language server process and
// returns the settings it replaced: the collector's default pace (a
// collection each time the heap has grown by the live heap, GOGC=100) and
// no memory limit. GOGC and GOMEMLIMIT in the environment, when set, are
// kept instead.
//
// Measured through the real server (scripts/bench.sh, a 2-core machine at
// load 5-6, peak RSS from VmHWM, live heap from GODEBUG=gctrace=1):
//
//	workload                        live heap  GOGC=100  GOGC=200  GOGC=400+48MiB limit
//	10k-line document (lspbench)    11-12 MB   36 MiB    45 MiB    53 MiB
//	LinkHeavy, 100 children         2-4 MB     20 MiB    24 MiB    37 MiB
//	LinkHeavy, 830 children         18-20 MB   52 MiB    68 MiB    54 MiB
//	LinkHeavy, 2,000 children       41-43 MB   102 MiB
//
// The process maps about 11 MiB of code and data before it allocates
// anything, so staying under 40 MiB leaves the heap about 28 MiB: twice a
// live heap of up to 13 MB, which GOGC=100 gives without a limit, at 57
// collections per 200 keystrokes on the 10k-line document (14 with the old
// GOGC=400) for about 0.4 ms more CPU per keystroke. A memory limit lower
// than the live heap makes the collector run back to back: with 28-30 MiB
// on the 2,000-child tree it ran 800 collections in 30 keystrokes and the
// keystrokes cost 8 times the CPU. The trees whose live heap passes 13 MB
// (the linked result of 830 children and more) are therefore left above
// 40 MiB rather than slowed down.
//
// Those live heaps were measured while the linker's memo still kept every
// earlier root analysis (fixed since). Measured again with GOGC=100 (load
// 10-11, scripts/bench.sh): live heap 2.3, 12 and 25 MiB and server peak
// RSS 19, 35 and 57 MiB for 100, 830 and 2,000 children; 37.8 MiB on the
// 10k-line lspbench document.
func TuneGC() (percent int, limit int64) {
	percent, limit = debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
	debug.SetGCPercent(percent)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(100)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(math.MaxInt64)
	}
	return percent, limit
}
