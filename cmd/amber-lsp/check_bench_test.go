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

// checkTree runs `amber-lsp --check` on the tree's root and checks that it
// reported the tree's every diagnostic.
func checkTree(w *testgen.LinkHeavy, stdout io.Writer) error {
	var out bytes.Buffer
	if code := run([]string{"--check", w.Root}, strings.NewReader(""), &out, io.Discard); code != 0 {
		return fmt.Errorf("exit status %d", code)
	}
	want := fmt.Sprintf("\n%d warning(s) in 2 file(s)\n", w.BaseDiagnostics())
	if !bytes.HasSuffix(out.Bytes(), []byte(want)) {
		return fmt.Errorf("the report does not end with %q", want)
	}
	_, err := stdout.Write(out.Bytes())
	return err
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
		err = checkTree(w, io.Discard)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// BenchmarkCheckLinkHeavy measures `amber-lsp --check` of the 2,000-child
// LinkHeavy tree (4,000 warnings in the report) against a no-op reader of
// the same files, in the same run:
//
//   - process/read and process/check start a process for each (this test
//     binary, acting as the reader or as amber-lsp), as a user runs them,
//     and report the median wall time; process/check also reports it as a
//     multiple of process/read's median ("x-reader");
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
			if err := checkTree(w, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	start := func(b *testing.B, mode string) time.Duration {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCheckBenchHelper$")
		cmd.Env = append(os.Environ(), "AMBER_LSP_BENCH="+mode, "AMBER_LSP_BENCH_DIR="+w.Dir)
		t0 := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", mode, err, out)
		}
		return time.Since(t0)
	}
	medians := map[string]time.Duration{}
	for _, mode := range []string{"read", "check"} {
		b.Run("process/"+mode, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				times = append(times, start(b, mode))
			}
			slices.Sort(times)
			medians[mode] = times[len(times)/2]
			b.ReportMetric(float64(medians[mode].Microseconds())/1000, "median-ms")
			if mode == "check" && medians["read"] > 0 {
				b.ReportMetric(float64(medians["check"])/float64(medians["read"]), "x-reader")
			}
		})
	}
}
