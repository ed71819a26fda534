package runtime

import (
	"context"
	"errors"
	"maps"
	"net"
	"os"
	"slices"
	"strconv"
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
	workDir, cleanup, err := prepareWorkDir(spec)
	if err != nil {
		return nil, err
	}
	argv := append([]string{program}, spec.Args...)
	p, err := launchProcess(argv, helperEnv(spec, workDir, r.opts.PathEnv), workDir, r.opts.OutputLines, cleanup)
	if err != nil {
		if cleanup != nil {
			cleanup()
		}
		return nil, &launchFailure{"component " + spec.Moniker + " could not be started: " + err.Error()}
	}
	return p, nil
}

// prepareWorkDir returns the helper's working directory and, for a
// temporary one, the function that removes it.
func prepareWorkDir(spec *Spec) (string, func(), error) {
	if spec.WorkDir != "" {
		if err := os.MkdirAll(spec.WorkDir, 0o755); err != nil {
			return "", nil, spec.specError("cannot create work directory of component %s: %v", spec.Moniker, err)
		}
		return spec.WorkDir, nil, nil
	}
	dir, err := os.MkdirTemp("", "amber-lsp-helper-")
	if err != nil {
		return "", nil, &launchFailure{"cannot create a work directory for component " + spec.Moniker + ": " + err.Error()}
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
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
// 127.0.0.1:port or the port cannot be bound because it is in use.
func checkPortFree(moniker string, port int) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
		_ = c.Close()
		return &PortInUseError{Moniker: moniker, Port: port, Listening: true}
	}
	l, err := net.Listen("tcp", ":"+strconv.Itoa(port))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return &PortInUseError{Moniker: moniker, Port: port, Err: err}
		}
		return nil // not ours to judge (e.g. a privileged port); the helper reports it
	}
	_ = l.Close()
	return nil
}
