package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Helper()               {}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Check(r, path, []byte("a\nb\n"))
	if r.failed {
		t.Error("equal output failed")
	}
	Check(r, path, []byte("a\nc\n"))
	if !r.failed {
		t.Error("different output passed")
	}
	r.failed = false
	Check(r, filepath.Join(t.TempDir(), "missing.golden"), nil)
	if !r.failed {
		t.Error("a missing golden file passed")
	}
	if got := firstDiff([]byte("a\nb\nc"), []byte("a\nb\nd")); got != 3 {
		t.Errorf("firstDiff = %d, want 3", got)
	}
}
