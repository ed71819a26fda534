//go:build !unix

package testgen

import "time"

// ProcessCPU returns the CPU time the process has used so far; 0 on this
// system.
func ProcessCPU() time.Duration { return 0 }
