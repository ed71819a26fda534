package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names the environment variable that, when set to a file
// path, makes the language server write a CPU profile of its whole run
// there (for performance work: `go tool pprof -top amber-lsp FILE`). It is
// not a flag, because editors start the server with their own arguments.
const cpuProfileEnv = "AMBER_LSP_CPUPROFILE"

// allocProfileEnv is cpuProfileEnv for a profile of the memory the server
// allocated during its run (`go tool pprof -sample_index=alloc_space`),
// written when it exits.
const allocProfileEnv = "AMBER_LSP_ALLOCPROFILE"

// startProfiles starts the profiles cpuProfileEnv and allocProfileEnv
// ask for and returns the function that writes them; a problem is
// reported on stderr and leaves the server running unprofiled.
func startProfiles(stderr io.Writer) (stop func()) {
	stopCPU := startCPUProfile(stderr)
	path := os.Getenv(allocProfileEnv)
	return func() {
		stopCPU()
		if path == "" {
			return
		}
		f, err := os.Create(path)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "amber-lsp: %s: %v\n", allocProfileEnv, err)
		}
	}
}

// startCPUProfile starts the CPU profile cpuProfileEnv asks for and
// returns the function that stops it and closes the file.
func startCPUProfile(stderr io.Writer) (stop func()) {
	path := os.Getenv(cpuProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %s: %v\n", cpuProfileEnv, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
