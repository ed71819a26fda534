//go:build !unix

// Package cputime reads the CPU time the process has used, for tests that
// bound the cost of some work where wall time, on a loaded machine, says
// little. Nothing outside tests imports it.
package cputime

import "time"

// Used cannot read the CPU time here: ok is false.
func Used() (time.Duration, bool) { return 0, false }
