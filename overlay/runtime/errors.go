package runtime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrClosed is returned by a Runtime after Close.
var ErrClosed = errors.New("overlay helper runtime is closed")

// SpecError reports a helper that cannot be run as its manifest describes it
// (program path, env, endpoint). No process was started. The overlay pass
// anchors it at the helper's `use` entry.
type SpecError struct {
	Moniker string // the helper component, e.g. /use_0_0
	Msg     string // the complete message
}

// Error returns the error's message.
func (e *SpecError) Error() string { return e.Msg }

// PortInUseError reports that a helper's endpoint port was already taken on
// this machine before the helper was launched. No process was started.
type PortInUseError struct {
	Moniker string // the helper component's moniker
	Port    int    // the endpoint port on 127.0.0.1
	// Listening is true when something accepted a connection on the port.
	Listening bool
	Err       error // without Listening: the error binding the port
}

// Error returns the error's message.
func (e *PortInUseError) Error() string {
	what := fmt.Sprintf("something else is listening on 127.0.0.1:%d", e.Port)
	if !e.Listening {
		what = fmt.Sprintf("it cannot be bound: %v", e.Err)
	}
	return fmt.Sprintf("port %d needed by component %s is already in use (%s); stop that process or change the helper's endpoint port", e.Port, e.Moniker, what)
}

// Unwrap returns the underlying error, for errors.Is and errors.As.
func (e *PortInUseError) Unwrap() error { return e.Err }

// DockerUnavailableError reports an image helper on a machine where no
// Docker engine answers. No process was started.
type DockerUnavailableError struct {
	Moniker string // the helper component's moniker
	Image   string // the container image it runs
	Detail  string // why the engine check failed
}

// Error returns the error's message.
func (e *DockerUnavailableError) Error() string {
	return fmt.Sprintf("a Docker engine is needed to preview image helpers: component %s runs image `%s`, but no Docker engine answered (%s)", e.Moniker, e.Image, e.Detail)
}

// StartError reports a helper that was launched but did not become ready:
// it exited (or could not be executed), or its endpoint did not answer
// within the start timeout. The helper's process group has been killed.
type StartError struct {
	Exports  []string // display names of the exports that were waiting
	TimedOut bool     // the start timeout passed
	Failure  string   // why it failed, when not TimedOut
	Output   []string // last lines the helper wrote to stderr
}

// Error returns the error's message.
func (e *StartError) Error() string {
	var b strings.Builder
	names := strings.Join(e.Exports, ", ")
	if e.TimedOut {
		b.WriteString("scenario exports did not become ready in time: " + names)
	} else {
		b.WriteString("scenario exports failed to start: " + names + "\n\n" + e.Failure)
	}
	writeOutput(&b, e.Output)
	return b.String()
}

// writeOutput appends Amber's process output block when lines is not empty.
func writeOutput(b *strings.Builder, lines []string) {
	if len(lines) == 0 {
		return
	}
	b.WriteString("\n\nprocess output:\n")
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
}

// Reason classifies an InvokeError.
type Reason int

// Reasons an invocation fails, in the order they are checked.
const (
	ReasonNotHTTP   Reason = iota // the endpoint is tcp
	ReasonTransport               // connecting, sending or reading failed
	ReasonTimeout                 // the request timeout passed
	ReasonTooLarge                // the body exceeds MaxResponseSize
	ReasonNotUTF8                 // the body is not UTF-8
	ReasonStatus                  // the status is not 2xx
)

// InvokeError reports a failed request to a running helper (Amber's
// invocation error causes, overlays.md §13.3-§13.4).
type InvokeError struct {
	Display    string        // the overlay's display name (Spec.Display, else its moniker)
	Reason     Reason        // what failed; it says which fields below are set
	Err        error         // ReasonTransport: the transport error; ReasonNotUTF8: a *UTF8Error
	Timeout    time.Duration // ReasonTimeout
	Size       int64         // ReasonTooLarge: the size seen so far
	StatusCode int           // ReasonStatus
	Body       []byte        // ReasonStatus: the response body
	// Output holds the helper's last stderr lines when the failure stopped the
	// helper (transport errors and timeouts).
	Output []string

	helperDied bool // the helper process ended before it was stopped
	diedBefore bool // ... and it was a reused helper: worth one more start
}

// Error returns the error's message.
func (e *InvokeError) Error() string {
	var b strings.Builder
	switch e.Reason {
	case ReasonNotHTTP:
		fmt.Fprintf(&b, "export `%s` uses `tcp`; JSON requests require an HTTP export", e.Display)
	case ReasonTransport:
		fmt.Fprintf(&b, "request to export `%s` failed: %v", e.Display, e.Err)
	case ReasonTimeout:
		fmt.Fprintf(&b, "request to export `%s` timed out after %ss", e.Display, strconv.FormatFloat(e.Timeout.Seconds(), 'f', -1, 64))
	case ReasonTooLarge:
		fmt.Fprintf(&b, "response body from export `%s` exceeds max size %d bytes (got at least %d bytes)", e.Display, MaxResponseSize, e.Size)
	case ReasonNotUTF8:
		fmt.Fprintf(&b, "response body was not utf-8: %v", e.Err)
	case ReasonStatus:
		b.WriteString(StatusText(e.StatusCode) + ": " + BodyPreview(string(e.Body)))
	default:
		fmt.Fprintf(&b, "request to export `%s` failed", e.Display)
	}
	writeOutput(&b, e.Output)
	return b.String()
}

// Unwrap returns the underlying error, for errors.Is and errors.As.
func (e *InvokeError) Unwrap() error { return e.Err }
