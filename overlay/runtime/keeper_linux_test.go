package runtime

import (
	"os"
	"strconv"
	"strings"
)

// liveKeepers lists the running keepers this test process started.
func liveKeepers() []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !strings.HasPrefix(string(cmdline), "amber-lsp-helper-keeper\x00") {
			continue
		}
		if state, _, ok := procStat(pid); ok && state != 'Z' && state != 'X' {
			if ppid, ok := parentOf(pid); ok && ppid == os.Getpid() {
				out = append(out, pid)
			}
		}
	}
	return out
}
