package localfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString("{}"); err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		path    string
		size    int  // of the content returned
		tooBig  bool // a *TooLargeError
		missing bool
	}{
		{"small", write("small.json5", 2), 2, false, false},
		{"at the limit", write("limit.json5", MaxSize), MaxSize, false, false},
		{"one byte over", write("over.json5", MaxSize+1), 0, true, false},
		{"far over", write("far.json5", 1<<40), 0, true, false},
		{"missing", filepath.Join(dir, "missing.json5"), 0, false, true},
	}
	for _, tt := range tests {
		data, err := Read(tt.path)
		var tl *TooLargeError
		switch {
		case tt.tooBig && (!errors.As(err, &tl) || tl.Path != tt.path || data != nil):
			t.Errorf("%s: %v, %d bytes; want a TooLargeError naming the file", tt.name, err, len(data))
		case tt.missing && !errors.Is(err, os.ErrNotExist):
			t.Errorf("%s: %v, want not exist", tt.name, err)
		case !tt.tooBig && !tt.missing && (err != nil || len(data) != tt.size):
			t.Errorf("%s: %v, %d bytes; want %d bytes", tt.name, err, len(data), tt.size)
		}
	}
}

// TestReadStopsAtTheLimit: a file that never ends is never read: /dev/zero
// is refused before it is opened (it grew to 3 GiB in 17 s when it was
// read), and a sparse file of 1 TiB is read up to the limit only ("far
// over" above).
func TestReadStopsAtTheLimit(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, err := Read("/dev/zero")
	var nr *NotRegularError
	if !errors.As(err, &nr) {
		t.Errorf("reading /dev/zero: %v, want a NotRegularError", err)
	}
}

// TestReason checks the texts of read errors: OS errors as Rust's
// io::Error displays them, this package's own errors as they are.
func TestReason(t *testing.T) {
	dir := t.TempDir()
	_, missing := Read(filepath.Join(dir, "missing"))
	_, isDir := Read(dir)
	tests := []struct {
		err  error
		want string
	}{
		{missing, "No such file or directory (os error 2)"},
		{isDir, "Is a directory (os error 21)"},
		{&os.PathError{Op: "open", Path: "x", Err: syscall.EACCES}, "Permission denied (os error 13)"},
		{fs.ErrNotExist, "No such file or directory (os error 2)"},
		{&TooLargeError{Path: "big"}, (&TooLargeError{Path: "big"}).Error()},
	}
	for _, tt := range tests {
		if got := Reason(tt.err); got != tt.want {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
