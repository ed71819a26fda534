package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/freeport"
)

// leftovers lists the running processes of a run: those whose command
// line holds marker (the helper and its daemon) and those of the binary bin
// (amber-lsp and its keepers).
func leftovers(marker, bin string) []string {
	entries, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		exe, _ := os.Readlink("/proc/" + e.Name() + "/exe")
		if err != nil || !bytes.Contains(cmdline, []byte(marker)) && exe != bin {
			continue
		}
		if !taskRunning(e.Name()) {
			continue // a zombie runs nothing; its parent reaps it
		}
		out = append(out, e.Name()+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return out
}

// taskRunning reports whether some thread of process pid is not a zombie: a
// process whose main thread has exited runs until its last thread has.
func taskRunning(pid string) bool {
	tasks, _ := os.ReadDir("/proc/" + pid + "/task")
	for _, task := range tasks {
		stat, err := os.ReadFile("/proc/" + pid + "/task/" + task.Name() + "/stat")
		if err != nil {
			continue
		}
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] != 'Z' && stat[i+2] != 'X' {
			return true
		}
	}
	return false
}

// TestNothingOutlivesARun runs amber-lsp as a process on a scenario whose
// helper starts a daemon (setsid, holding a port) and checks that when the
// run ends (normally, or by `kill -9` while the helper runs) no process of
// the helper's tree is left (the daemon included: it carries the marker
// argument) and no work directory remains; a work directory left by an
// earlier killed run is removed.
func TestNothingOutlivesARun(t *testing.T) {
	bin := built(t, "amber-lsp", ".")
	for _, tc := range []struct {
		name string
		mode string // the helper's: redact answers, silent never listens
		args []string
		kill bool // kill -9 amber-lsp once the daemon runs
	}{
		{"preview ends", "redact", []string{"--preview"}, false},
		{"check --apply-overlays ends", "redact", []string{"--check", "--apply-overlays"}, false},
		{"preview killed", "silent", []string{"--preview", "--format", "json"}, true},
		{"check --apply-overlays killed", "silent", []string{"--check", "--apply-overlays"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var id [6]byte
			_, _ = rand.Read(id[:])
			marker := "amber-lsp-contain-test-" + hex.EncodeToString(id[:])
			tmp := t.TempDir()
			daemonPort, pidfile := freeport.Get(t), filepath.Join(tmp, "daemon.pid")
			root := overlayFixture(t, "daemon", tc.mode, freeport.Get(t),
				"{{PORT2}}", strconv.Itoa(daemonPort), "{{PIDFILE2}}", pidfile, "{{MARKER}}", marker)

			// A work directory of a run that was killed before it could clean.
			gone := exec.Command("true")
			if err := gone.Run(); err != nil {
				t.Fatal(err)
			}
			stale := filepath.Join(tmp, "amber-lsp-helper-"+strconv.Itoa(gone.Process.Pid)+"-1")
			if err := os.Mkdir(stale, 0o755); err != nil {
				t.Fatal(err)
			}

			cmd := exec.Command(bin, append(tc.args, root)...)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			if tc.kill {
				for end := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
					if _, err := os.Stat(pidfile); err == nil {
						break
					}
					if time.Now().After(end) {
						cmd.Process.Kill()
						t.Fatalf("the helper's daemon never started\n%s", out.String())
					}
				}
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case err := <-done:
				if !tc.kill && err != nil {
					t.Errorf("amber-lsp %s: %v\n%s", strings.Join(tc.args, " "), err, out.String())
				}
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("amber-lsp did not end\n%s", out.String())
			}
			if _, err := os.Stat(pidfile); err != nil {
				t.Fatalf("the helper's daemon never started\n%s", out.String())
			}

			// What the run started ends with it: the keeper finishes its
			// cleanup a moment after a kill -9.
			var left []string
			var dirs []string
			for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				left = leftovers(marker, bin)
				dirs, _ = filepath.Glob(filepath.Join(tmp, "amber-lsp-helper-*"))
				if len(left) == 0 && len(dirs) == 0 || time.Now().After(end) {
					break
				}
			}
			if len(left) > 0 {
				t.Errorf("processes of the run are still running:\n%s", strings.Join(left, "\n"))
				for _, p := range left {
					if pid, err := strconv.Atoi(strings.Fields(p)[0]); err == nil {
						_ = syscall.Kill(pid, syscall.SIGKILL)
					}
				}
			}
			if len(dirs) > 0 {
				t.Errorf("work directories remain: %v", dirs)
			}
		})
	}
}
