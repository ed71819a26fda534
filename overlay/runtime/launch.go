package runtime

import (
	"context"
	"errors"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// launchFailure is a helper that could not be executed at all (fork/exec
// failed). The caller turns it into a StartError naming the waiting exports.
type launchFailure struct{ msg string }

func (e *launchFailure) Error() string { return e.msg }

// launch starts the process of spec after the checks that need the file
// system and the network: program file, free port, Docker engine.
func (r *Runtime) launch(ctx context.Context, spec *Spec, program string) (*process, error) {
	if spec.Kind == KindImage {
		return r.launchImage(ctx, spec)
	}
	if err := spec.checkProgramFile(program); err != nil {
		return nil, err
	}
	if err := checkPortFree(spec.Moniker, spec.Port); err != nil {
		return nil, err
	}
	workDir, removeDir, err := prepareWorkDir(spec)
	if err != nil {
		return nil, err
	}
	argv := append([]string{program}, spec.Args...)
	env := helperEnv(spec, workDir, r.opts.PathEnv)
	p, err := launchProcess(&r.keepers, argv, env, workDir, cleanupSpec{RemoveDir: removeDir})
	if err != nil {
		if removeDir != "" {
			_ = os.RemoveAll(removeDir)
		}
		return nil, &launchFailure{"component " + spec.Moniker + " could not be started: " + err.Error()}
	}
	return p, nil
}

// workDirPrefix starts the name of a helper's temporary work directory,
// followed by the pid of the amber-lsp that made it: a run that was killed
// before it could remove its directories is recognised by the next one.
const workDirPrefix = "amber-lsp-helper-"

// prepareWorkDir returns the helper's working directory and, for a
// temporary one, the directory to remove once the helper is gone.
func prepareWorkDir(spec *Spec) (dir, remove string, err error) {
	if spec.WorkDir != "" {
		if err := os.MkdirAll(spec.WorkDir, 0o755); err != nil {
			return "", "", spec.specError("cannot create work directory of component %s: %v", spec.Moniker, err)
		}
		return spec.WorkDir, "", nil
	}
	staleOnce.Do(func() { removeStaleWorkDirs(os.TempDir()) })
	dir, err = os.MkdirTemp("", workDirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", "", &launchFailure{"cannot create a work directory for component " + spec.Moniker + ": " + err.Error()}
	}
	return dir, dir, nil
}

// staleOnce makes the first helper start of a process look for stale
// work directories.
var staleOnce sync.Once

// removeStaleWorkDirs removes the helper work directories in tmp whose
// amber-lsp is gone (a run killed before it could clean up, with its
// helpers' keepers). A directory whose owner pid runs, or was reused by
// another process, is left alone.
func removeStaleWorkDirs(tmp string) {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), workDirPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		owner, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(owner)
		if !ok || err != nil || pid <= 0 || processExists(pid) {
			continue
		}
		_ = os.RemoveAll(filepath.Join(tmp, e.Name()))
	}
}

// helperEnv is the complete environment of a path helper: PATH, HOME (its
// work dir) and TMPDIR=/tmp, then the declared variables, sorted by name.
func helperEnv(spec *Spec, workDir, path string) []string {
	env := map[string]string{"PATH": path, "HOME": workDir, "TMPDIR": "/tmp"}
	maps.Copy(env, spec.Env)
	out := make([]string, 0, len(env))
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out
}

// checkPortFree reports a PortInUseError when something already listens on
// 127.0.0.1:port or the port cannot be bound there because it is in use.
// Only the loopback address is probed: helpers listen there, and binding
// every interface would briefly open the port to the network.
func checkPortFree(moniker string, port int) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
		_ = c.Close()
		return &PortInUseError{Moniker: moniker, Port: port, Listening: true}
	}
	// No process may fork while the probe listens: a child forked meanwhile
	// holds a copy of the socket, still listening, until it execs, and the
	// helper (or another probe) would find the port taken.
	syscall.ForkLock.Lock()
	l, err := net.Listen("tcp", addr)
	if err == nil {
		_ = l.Close()
	}
	syscall.ForkLock.Unlock()
	if errors.Is(err, syscall.EADDRINUSE) {
		return &PortInUseError{Moniker: moniker, Port: port, Err: err}
	}
	return nil // in use or free; any other error is not ours to judge (a privileged port): the helper reports it
}
