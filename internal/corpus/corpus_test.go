package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingCorpus checks what a corpus test does in each layout: a clone
// alone skips with Reason, CI or a present shared directory turn a missing
// file into a failure, and present files are found.
func TestMissingCorpus(t *testing.T) {
	tests := []struct {
		name      string
		shared    bool // ../shared exists
		ci        bool
		elem      []string
		wantSkip  bool
		wantFail  string // substring of the failure, "" for none
		wantFound bool
	}{
		{name: "alone", elem: []string{"conformance", "ui"}, wantSkip: true},
		{name: "alone under CI", ci: true, elem: []string{"conformance", "ui"}, wantFail: "is missing"},
		{name: "present", shared: true, elem: []string{"conformance", "ui"}, wantFound: true},
		{name: "present, file missing", shared: true, elem: []string{"spec", "overlays.md"}, wantFail: "overlays.md is missing"},
		{name: "present under CI", shared: true, ci: true, elem: []string{"conformance", "ui"}, wantFound: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			repo := filepath.Join(base, "repo")
			pkg := filepath.Join(repo, "linker", "config")
			must(t, os.MkdirAll(pkg, 0o755))
			must(t, os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module x\n"), 0o644))
			if tt.shared {
				must(t, os.MkdirAll(filepath.Join(base, "shared", "conformance", "ui"), 0o755))
			}
			pl := locate(pkg, tt.ci)
			p, skip, msg := pl.path(tt.elem...)
			if skip != tt.wantSkip {
				t.Errorf("skip = %v, want %v (msg %q)", skip, tt.wantSkip, msg)
			}
			if skip && msg != Reason {
				t.Errorf("skip message %q, want Reason", msg)
			}
			if tt.wantFail != "" && (skip || !strings.Contains(msg, tt.wantFail)) {
				t.Errorf("failure %q, want one containing %q", msg, tt.wantFail)
			}
			if want := filepath.Join(append([]string{base, "shared"}, tt.elem...)...); tt.wantFound && (p != want || msg != "") {
				t.Errorf("path %q (msg %q), want %q", p, msg, want)
			}
			files, gmsg := pl.glob("conformance/ui/*.json5")
			switch {
			case !tt.shared && !tt.ci:
				if files != nil || gmsg != "" {
					t.Errorf("glob without a required corpus = %v, %q; want nothing", files, gmsg)
				}
			case gmsg == "":
				t.Errorf("glob of a required corpus without matches did not fail: %v", files)
			}
		})
	}
}

// TestNoRepositoryRoot: outside any module the corpus cannot be located,
// which skips unless required.
func TestNoRepositoryRoot(t *testing.T) {
	dir := t.TempDir()
	if _, skip, msg := locate(dir, false).path("spec"); !skip || msg != Reason {
		t.Errorf("without CI: skip %v, %q", skip, msg)
	}
	if _, skip, msg := locate(dir, true).path("spec"); skip || !strings.Contains(msg, "repository root") {
		t.Errorf("under CI: skip %v, %q", skip, msg)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
