package corpus

import (
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestMain announces, once per `go test` run, that the corpus tests were
// skipped. `go test ./...` shows nothing of a package that passes, not even
// its skips, so the one line goes to the output of the go command itself
// (its standard output, or its standard error when only that is a terminal
// or a pipe, found through /proc on Linux) when that command is this
// test's parent; run any other way, it goes to this test's own standard
// output (shown by `go test -v`).
// Every other package skips its corpus tests silently. A result the go
// command takes from its cache runs nothing, so it announces nothing.
func TestMain(m *testing.M) {
	if pl := here(); !pl.required {
		if _, err := os.Stat(pl.dir); err != nil {
			announce(Reason)
		}
	}
	os.Exit(m.Run())
}

// announce writes line where the person who ran the tests sees it.
func announce(line string) {
	parent := "/proc/" + strconv.Itoa(os.Getppid())
	if comm, err := os.ReadFile(parent + "/comm"); err == nil && strings.TrimSpace(string(comm)) == "go" {
		for _, fd := range []string{"/fd/1", "/fd/2"} {
			if info, err := os.Stat(parent + fd); err == nil && sharesNoOffset(info.Mode()) {
				if out, err := os.OpenFile(parent+fd, os.O_WRONLY|os.O_APPEND, 0); err == nil {
					fmt.Fprintln(out, line)
					out.Close()
					return
				}
			}
		}
	}
	fmt.Println(line)
}

// sharesNoOffset reports whether a file of this mode can be written through
// a second descriptor without clobbering what its owner writes next: a
// terminal or a pipe can, a regular file cannot (the go command writes at
// its own offset, over a line appended meanwhile).
func sharesNoOffset(mode fs.FileMode) bool {
	return mode&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0
}

// TestSharesNoOffset: the go command's output is written into only when it
// is a pipe or a terminal.
func TestSharesNoOffset(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for _, tc := range []struct {
		name string
		f    *os.File
		want bool
	}{{"pipe", w, true}, {"regular file", file, false}} {
		info, err := tc.f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		if got := sharesNoOffset(info.Mode()); got != tc.want {
			t.Errorf("%s (%v): sharesNoOffset = %v, want %v", tc.name, info.Mode(), got, tc.want)
		}
	}
	if info, err := os.Stat("/dev/null"); err == nil && !sharesNoOffset(info.Mode()) {
		t.Errorf("/dev/null (%v): sharesNoOffset = false, want true (a character device)", info.Mode())
	}
}
