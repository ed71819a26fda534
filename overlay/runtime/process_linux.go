package runtime

import (
	"syscall"
	"unsafe"
)

// groupAttr makes a helper the leader of its own process group. The kernel
// also kills the leader when amber-lsp dies without cleaning up.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// waitExitNoReap blocks until pid has exited, leaving it a zombie (waitid
// with WNOWAIT). It reports false when the wait failed.
func waitExitNoReap(pid int) bool {
	const (
		pPID    = 1          // P_PID
		wExited = 0x4        // WEXITED
		wNoWait = 0x01000000 // WNOWAIT
	)
	var info [128]byte // siginfo_t
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid), uintptr(unsafe.Pointer(&info[0])), wExited|wNoWait, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		return errno == 0
	}
}
