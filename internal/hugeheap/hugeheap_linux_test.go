package hugeheap

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestPrepareAdvisesTheHeapItGrows: in a new process, as in a program
// that calls Prepare at start-up, the region Prepare returns is heap the
// runtime goes on to use, advised for huge pages (VmFlags "hg") and
// faulted as huge pages when touched; after Release the advice is the
// opposite ("nh"). (In a process that has run other tests, the runtime
// first reuses the heap they freed.)
func TestPrepareAdvisesTheHeapItGrows(t *testing.T) {
	if hugePageSize() == 0 {
		t.Skip("transparent huge pages are disabled here")
	}
	if os.Getenv("HUGEHEAP_TEST_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestPrepareAdvisesTheHeapItGrows$", "-test.count", "1")
		cmd.Env = append(os.Environ(), "HUGEHEAP_TEST_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("in a new process: %v\n%s", err, out)
		}
		return
	}
	const size = 16 << 20
	r := Prepare(size)
	if !r.Advised() || r.End-r.Start < size/2 {
		t.Fatalf("Prepare(%d) advised %#x-%#x, want most of %d bytes", size, r.Start, r.End, size)
	}
	if flags := vmaOf(t, r.Start)["VmFlags"]; !strings.Contains(flags, " hg") {
		t.Errorf("VmFlags of the region after Prepare: %q, want hg", flags)
	}
	// The runtime places what follows in the freed pages.
	var chunks [][]byte
	inside := 0
	for range size / 2 / (64 << 10) {
		b := make([]byte, 64<<10)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		if p := uintptr(unsafe.Pointer(&b[0])); r.Start <= p && p < r.End {
			inside++
		}
		chunks = append(chunks, b)
	}
	if inside == 0 {
		t.Fatalf("none of %d new objects lies in the advised region %#x-%#x (first at %#x)", len(chunks), r.Start, r.End, uintptr(unsafe.Pointer(&chunks[0][0])))
	}
	if huge := vmaOf(t, r.Start)["AnonHugePages"]; huge == "" || strings.HasPrefix(huge, "0 ") {
		t.Errorf("AnonHugePages of the region with %d objects in it: %q, want some", inside, huge)
	}
	Release()
	if flags := vmaOf(t, r.Start)["VmFlags"]; !strings.Contains(flags, " nh") || strings.Contains(flags, " hg") {
		t.Errorf("VmFlags of the region after Release: %q, want nh", flags)
	}
	if Pending() != 0 {
		t.Errorf("%d regions still listed after Release", len(prepared))
	}
	_ = chunks
}

// vmaOf returns the fields /proc/self/smaps gives for the mapping that
// holds address p.
func vmaOf(t *testing.T, p uintptr) map[string]string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var fields map[string]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mapping(line); ok {
			if fields != nil {
				return fields
			}
			if lo <= p && p < hi {
				fields = map[string]string{}
			}
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok && fields != nil {
			fields[k] = strings.TrimSpace(v)
			if k == "VmFlags" {
				fields[k] = " " + fields[k]
			}
		}
	}
	if fields == nil {
		t.Fatalf("no mapping holds %#x", p)
	}
	return fields
}

// mapping parses the range of a mapping's header line in smaps.
func mapping(line string) (lo, hi uintptr, ok bool) {
	rng, _, _ := strings.Cut(line, " ")
	a, b, ok := strings.Cut(rng, "-")
	if !ok {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(x), uintptr(y), true
}
