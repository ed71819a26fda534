package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// checkBenchChildren is the size of the tree BenchmarkCheckLinkHeavy
// checks.
const checkBenchChildren = 2000

// readTree reads every file of a LinkHeavy tree and parses nothing: the
// no-op reader --check is measured against.
func readTree(w *testgen.LinkHeavy) error {
	n := 0
	for _, p := range []string{w.Root, w.Leaf} {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n += len(b)
	}
	if n == 0 {
		return fmt.Errorf("nothing read")
	}
	return nil
}

// tail keeps the last bytes written to it.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 256 {
		t.b = append(t.b[:0], t.b[len(t.b)-256:]...)
	}
	return len(p), nil
}

// checkTree runs `amber-lsp --check` on the tree's root and checks that its
// summary counts the tree's every diagnostic (those the per-file cap leaves
// out too).
func checkTree(w *testgen.LinkHeavy) error {
	var out tail
	if code := run([]string{"--check", w.Root}, strings.NewReader(""), &out, io.Discard); code != 0 {
		return fmt.Errorf("exit status %d", code)
	}
	want := fmt.Sprintf("\n%d warning(s) in 2 file(s)\n", w.BaseDiagnostics())
	if !bytes.HasSuffix(out.b, []byte(want)) {
		return fmt.Errorf("the report does not end with %q", want)
	}
	return nil
}

// TestCheckBenchHelper is the process BenchmarkCheckLinkHeavy starts: with
// AMBER_LSP_BENCH=read it reads the tree in AMBER_LSP_BENCH_DIR, with
// AMBER_LSP_BENCH=check it checks it; otherwise it does nothing.
func TestCheckBenchHelper(t *testing.T) {
	mode := os.Getenv("AMBER_LSP_BENCH")
	if mode == "" {
		return
	}
	dir := os.Getenv("AMBER_LSP_BENCH_DIR")
	w := &testgen.LinkHeavy{Dir: dir, Root: dir + "/root.json5", Leaf: dir + "/leaf.json5", Children: checkBenchChildren}
	var err error
	switch mode {
	case "read":
		err = readTree(w)
	case "check":
		err = checkTree(w)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// BenchmarkCheckLinkHeavy measures `amber-lsp --check` of the 2,000-child
// LinkHeavy tree (4,000 warnings, of which the report shows 1,000 and counts the rest) against a no-op reader of
// the same files, in the same run:
//
//   - process/read and process/check start a process for each (this test
//     binary, acting as the reader or as amber-lsp), as a user runs them,
//     and report the median wall and CPU time; process/check also reports
//     them as multiples of process/read's medians ("x-reader",
//     "cpu-x-reader");
//
//   - inprocess/read and inprocess/check do the same work without starting
//     a process, for profiling (-cpuprofile).
//
//     go test ./cmd/amber-lsp -run '^$' -bench CheckLinkHeavy -benchtime 20x
func BenchmarkCheckLinkHeavy(b *testing.B) {
	w, err := testgen.WriteLinkHeavy(b.TempDir(), checkBenchChildren)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("inprocess/read", func(b *testing.B) {
		for b.Loop() {
			if err := readTree(w); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("inprocess/check", func(b *testing.B) {
		for b.Loop() {
			if err := checkTree(w); err != nil {
				b.Fatal(err)
			}
		}
	})
	// start runs the helper process in mode and returns its wall and CPU
	// time.
	start := func(b *testing.B, mode string) (time.Duration, time.Duration) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCheckBenchHelper$")
		cmd.Env = append(os.Environ(), "AMBER_LSP_BENCH="+mode, "AMBER_LSP_BENCH_DIR="+w.Dir)
		t0 := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", mode, err, out)
		}
		return time.Since(t0), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	median := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	wall, cpu := map[string]time.Duration{}, map[string]time.Duration{}
	for _, mode := range []string{"read", "check"} {
		b.Run("process/"+mode, func(b *testing.B) {
			var walls, cpus []time.Duration
			for b.Loop() {
				w, c := start(b, mode)
				walls, cpus = append(walls, w), append(cpus, c)
			}
			wall[mode], cpu[mode] = median(walls), median(cpus)
			b.ReportMetric(float64(wall[mode].Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(cpu[mode].Microseconds())/1000, "median-cpu-ms")
			if mode == "check" && wall["read"] > 0 && cpu["read"] > 0 {
				b.ReportMetric(float64(wall["check"])/float64(wall["read"]), "x-reader")
				b.ReportMetric(float64(cpu["check"])/float64(cpu["read"]), "cpu-x-reader")
			}
		})
	}
}
