// Package hugeheap asks the kernel to back the heap a process is about to
// grow with transparent huge pages.
//
// The first touch of each 4 KiB page of memory costs the process a page
// fault. On the virtual machines this project is measured on that is 15-18
// µs a page, so a process that grows its heap by 20 MB on the way to its
// first answer spends most of its time in the kernel. In a region advised
// MADV_HUGEPAGE, Linux faults 2 MiB at a time (0.8-1.1 µs per 4 KiB there),
// but only when transparent huge pages are enabled as `always` or
// `madvise` (the default of most distributions), and Go's runtime does not
// advise its heap.
//
// Prepare makes the runtime map the next part of its heap at once, by
// allocating one object of the size asked for and never touching it (so
// it costs no memory), advises the part of it that huge pages can cover,
// and frees it: the runtime then places the objects that follow in those
// pages, once it has used the free heap it had. Release withdraws the
// advice once the burst of allocation is over, so that the kernel's
// background collapsing (khugepaged) never fills the pages the runtime
// later gives back with zeros to make huge pages of them again, which
// would raise the resident set. Like the collector's settings, both act on
// the whole process.
package hugeheap

import "sync"

var (
	mu       sync.Mutex
	prepared []Region // advised and not released
)

// Prepare grows the heap by size bytes and advises huge pages for them,
// when the kernel gives huge pages to regions that ask (only on Linux). It
// costs one collection of the heap as it is and a few system calls: call
// it first thing, while the heap is small. It returns the advised region,
// the zero Region when nothing was advised.
func Prepare(size int) Region {
	r := prepare(size)
	if r.Advised() {
		mu.Lock()
		prepared = append(prepared, r)
		mu.Unlock()
	}
	return r
}

// Release withdraws the advice of every region Prepare advised: pages
// already huge stay so until the runtime gives part of one back, and no
// new ones are made there.
func Release() {
	mu.Lock()
	rs := prepared
	prepared = nil
	mu.Unlock()
	for _, r := range rs {
		r.release()
	}
}

// Region is the part of the heap Prepare advised; the zero Region is a
// region that was not advised (another system, transparent huge pages
// disabled, or a heap that did not grow where it was expected).
type Region struct {
	Start, End uintptr // [Start, End), aligned to the huge page size
}

// Advised reports whether r covers any memory.
func (r Region) Advised() bool { return r.Start < r.End }

// Pending returns how many regions Prepare advised that Release has not
// withdrawn yet.
func Pending() int {
	mu.Lock()
	defer mu.Unlock()
	return len(prepared)
}
