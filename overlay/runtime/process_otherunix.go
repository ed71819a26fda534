//go:build unix && !linux

package runtime

import "syscall"

// groupAttr makes a helper the leader of its own process group.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// waitExitNoReap is not available here; the group is killed right after
// the leader is reaped instead.
func waitExitNoReap(pid int) bool { return false }

// exitedNoReap cannot look without reaping here; the exit watcher tells.
func exitedNoReap(pid int) bool { return false }
