//go:build unix

// Package cputime reads the CPU time the process has used, for tests that
// bound the cost of some work and benchmarks that report CPU per operation
// (cpu-ns/op): on a loaded machine wall time says little. Nothing outside
// tests imports it.
package cputime

import (
	"syscall"
	"time"
)

// Used returns the CPU time the process has used so far, user and system,
// every thread (the garbage collector's too); ok is false where it cannot be read.
func Used() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
