//go:build !unix

package runtime

import (
	"errors"
	"time"
)

// process is a launched helper; on this system helpers cannot be launched.
type process struct {
	pid     int
	stderr  *lineTail
	exited  chan struct{}
	exitErr error
}

var errUnsupported = errors.New("running overlay helpers needs a Unix system (process groups)")

func launchProcess(kp *keeperPool, argv, env []string, dir string, cleanup cleanupSpec) (*process, error) {
	return nil, errUnsupported
}

func (p *process) hasExited() bool          { return true }
func (p *process) stop(time.Duration) error { return nil }
func (p *process) exitText() string         { return errUnsupported.Error() }
func (p *process) endedOnItsOwn() bool      { return false }

// cleanupSpec is what a helper leaves to clean once it is gone.
type cleanupSpec struct {
	RemoveDir string
	Then      []string
}

// processExists cannot tell here; stale work directories are kept.
func processExists(pid int) bool { return true }

// keeperPool is empty: helpers cannot run here.
type keeperPool struct{}

func (kp *keeperPool) start(int) {}
func (kp *keeperPool) close()    {}
