//go:build linux

package localfile

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadRefusesSpecialFiles reads every kind of file that is not a
// regular one, directly and through a symbolic link in a repository: each
// is refused without blocking, without reading and without its content in
// the error. A named pipe hung --check, /dev/zero grew to 3 GiB in 17 s and
// /proc/self/environ printed the environment.
func TestReadRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json5")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock.json5")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	regular := filepath.Join(dir, "ok.json5")
	if err := os.WriteFile(regular, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := func(name, target string) string {
		p := filepath.Join(dir, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Setenv("AMBER_LSP_TEST_SECRET", "s3cr3t-token")
	tests := []struct {
		name, path string
		what       string // in the error; "" for a directory
	}{
		{"named pipe", fifo, "a named pipe"},
		{"socket", sock, "a socket"},
		{"directory", dir, ""},
		{"/dev/zero", "/dev/zero", "a file below /dev"},
		{"/dev/stdin", "/dev/stdin", "a file below /dev"},
		{"/dev/null", "/dev/null", "a file below /dev"},
		{"/proc/self/environ", "/proc/self/environ", "a file below /proc"},
		{"/sys", "/sys/kernel/mm/transparent_hugepage/enabled", "a file below /sys"},
		{"link to /proc", link("environ.json5", "/proc/self/environ"), "a file below /proc"},
		{"link to /dev/zero", link("zero.json5", "/dev/zero"), "a file below /dev"},
		{"link to a pipe", link("pipe.json5", fifo), "a named pipe"},
		{"link to a directory", link("dir.json5", dir), ""},
	}
	for _, tt := range tests {
		done := make(chan struct{})
		var data []byte
		var err error
		go func() {
			defer close(done)
			data, err = Read(tt.path)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Read(%s) still blocked after 10 s", tt.name, tt.path)
		}
		var nr *NotRegularError
		switch {
		case tt.what == "":
			if !errors.Is(err, syscall.EISDIR) {
				t.Errorf("%s: %v, want EISDIR (Amber's error for a directory)", tt.name, err)
			}
		case !errors.As(err, &nr) || nr.What != tt.what || nr.Path != tt.path:
			t.Errorf("%s: %v, want a NotRegularError naming %s as %s", tt.name, err, tt.path, tt.what)
		}
		if data != nil {
			t.Errorf("%s: %d bytes returned with the error", tt.name, len(data))
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: the error quotes the environment: %v", tt.name, err)
		}
		if Check(tt.path) == nil {
			t.Errorf("%s: Check accepts what Read refuses", tt.name)
		}
	}
	if text, err := Read(regular); err != nil || string(text) != "{}" {
		t.Errorf("regular file: %q, %v", text, err)
	}
	if err := Check(regular); err != nil {
		t.Errorf("Check(regular file): %v", err)
	}
	if err := Check(filepath.Join(dir, "missing.json5")); err != nil {
		t.Errorf("Check(missing file): %v, want nil (reading it says it is missing)", err)
	}
}

// TestPseudoFileSystemsAreRefusedOnceOpen: a file of /proc that is reached
// by a path no prefix names (procfs mounted elsewhere, a bind mount) is
// still refused once open, by its file system.
func TestPseudoFileSystemsAreRefusedOnceOpen(t *testing.T) {
	f, err := os.Open("/proc/self/environ")
	if err != nil {
		t.Skip("no /proc here")
	}
	defer f.Close()
	var nr *NotRegularError
	if err := checkFileSystem("/elsewhere/environ", f); !errors.As(err, &nr) || nr.What != "a file of the proc pseudo-filesystem" {
		t.Errorf("checkFileSystem(/proc/self/environ) = %v, want the proc pseudo-filesystem refused", err)
	}
	g, err := os.Open(os.Args[0]) // the test binary: a regular file on a real file system
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if err := checkFileSystem(os.Args[0], g); err != nil {
		t.Errorf("checkFileSystem(test binary) = %v", err)
	}
}
