package hugeheap

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// The madvise advice values (asm-generic/mman-common.h).
const (
	madvHugePage   = 14
	madvNoHugePage = 15
)

// prepare implements Prepare; a failed system call leaves the heap as it
// was advised before.
func prepare(size int) Region {
	page := hugePageSize()
	if page == 0 || uintptr(size) < 2*page {
		return Region{}
	}
	b := make([]byte, size)
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	r := Region{Start: alignUp(start, page), End: alignDown(start+uintptr(size), page)}
	if !r.Advised() || madvise(r, madvHugePage) != nil {
		r = Region{}
	}
	runtime.KeepAlive(b)
	b = nil
	// Free the object and give its pages back at once: untouched, they
	// cost nothing, and the runtime counts them as returned rather than
	// as heap it holds.
	debug.FreeOSMemory()
	return r
}

// release withdraws the advice of r.
func (r Region) release() {
	if r.Advised() {
		_ = madvise(r, madvNoHugePage)
	}
}

func madvise(r Region, advice int) error {
	if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, r.Start, r.End-r.Start, uintptr(advice)); e != 0 {
		return e
	}
	return nil
}

// hugePageSize is the size of a transparent huge page, or 0 when regions
// that ask for them do not get them (the mode is `never`, or the kernel
// has none).
func hugePageSize() uintptr {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		return 0
	}
	text, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
	if err != nil {
		return 0
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(text)), 10, 64)
	if err != nil || n == 0 || n&(n-1) != 0 {
		return 0
	}
	return uintptr(n)
}

func alignUp(p, n uintptr) uintptr   { return (p + n - 1) &^ (n - 1) }
func alignDown(p, n uintptr) uintptr { return p &^ (n - 1) }
