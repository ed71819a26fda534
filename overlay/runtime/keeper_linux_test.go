package runtime

import (
	"os"
	"strconv"
	"strings"
)

// liveKeepers lists the running keepers this test process started.
func liveKeepers() []int {
	return processes(func(pid int) bool {
		cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		if err != nil || !strings.HasPrefix(string(cmdline), keeperArg0+"\x00") {
			return false
		}
		state, _, ok := procStat(pid)
		ppid, isChild := parentOf(pid)
		return ok && state != 'Z' && state != 'X' && isChild && ppid == os.Getpid()
	})
}
