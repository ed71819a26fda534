//go:build !unix

// Package cputime reads the CPU time the process has used, for tests that
// bound the cost of some work and benchmarks that report CPU per operation
// (cpu-ns/op): on a loaded machine wall time says little. Nothing outside
// tests imports it.
package cputime

import "time"

// Used cannot read the CPU time here: ok is false.
func Used() (time.Duration, bool) { return 0, false }
