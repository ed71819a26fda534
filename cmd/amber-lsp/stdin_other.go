//go:build !unix

package main

import "os"

// closableStdin returns standard input; on this platform a read in
// progress ends only when the editor closes its end.
func closableStdin() *os.File { return os.Stdin }
