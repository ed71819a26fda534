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

const (
	pPID    = 1          // P_PID
	wNoHang = 0x1        // WNOHANG
	wExited = 0x4        // WEXITED
	wNoWait = 0x01000000 // WNOWAIT
)

// exitedNoReap reports, without blocking or reaping, whether the child pid
// has exited (ECHILD: it has already been reaped).
func exitedNoReap(pid int) bool {
	var info [128]byte // siginfo_t; si_signo (offset 0) is SIGCHLD only when pid has exited
	_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid), uintptr(unsafe.Pointer(&info[0])), wNoHang|wExited|wNoWait, 0, 0)
	if errno == syscall.ECHILD {
		return true
	}
	return errno == 0 && (info[0] != 0 || info[1] != 0 || info[2] != 0 || info[3] != 0)
}

// waitExitNoReap blocks until pid has exited, leaving it a zombie (waitid
// with WNOWAIT). It reports false when the wait failed.
func waitExitNoReap(pid int) bool {
	var info [128]byte // siginfo_t
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid), uintptr(unsafe.Pointer(&info[0])), wExited|wNoWait, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		return errno == 0
	}
}
