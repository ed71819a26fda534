//go:build unix

package main

import (
	"os"
	"syscall"
)

// closableStdin returns standard input in a form whose Close ends a read in
// progress: a pipe or socket is switched to non-blocking mode, which puts
// it under Go's poller. Without that, the server would wait for the editor
// to close its end after `exit` (Neovim keeps it open), since a blocking
// read cannot be interrupted. A terminal is left alone: its mode is shared
// with the shell.
func closableStdin() *os.File {
	info, err := os.Stdin.Stat()
	if err != nil || info.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 {
		return os.Stdin
	}
	if err := syscall.SetNonblock(int(os.Stdin.Fd()), true); err != nil {
		return os.Stdin
	}
	return os.NewFile(os.Stdin.Fd(), "/dev/stdin")
}
