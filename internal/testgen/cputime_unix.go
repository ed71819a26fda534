//go:build unix

package testgen

import (
	"syscall"
	"time"
)

// ProcessCPU returns the CPU time the process has used so far, user and
// system, every thread (the garbage collector's too): benchmarks report
// CPU per operation with it, which a busy machine disturbs less than wall
// time. It is 0 where the system does not say.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
