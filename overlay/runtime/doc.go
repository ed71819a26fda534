// Package runtime runs overlay helper programs for the overlay pass.
//
// A helper is the program behind one `use` entry of a scenario: a `path`
// program started as a child process, or an `image` run through `docker
// run`. The overlay pass describes each helper with a [Spec] (program, the
// already rendered args and env, endpoint port and a fingerprint of the files
// it was built from) and calls [Runtime.Invoke], which starts the helper or
// reuses a running one, waits until its endpoint is ready, POSTs the scope
// request and returns the body within Amber's limits.
//
// Helpers stay running between runs, keyed by what they were started from;
// a different fingerprint, a crashed helper or an idle period leads to a
// restart or stop. Every helper runs in its own process group and every
// failure path kills the whole group, so no process it spawned outlives it.
//
// Errors are Go values whose Error text is Amber's message (see
// overlays.md §13); the caller wraps them in diagnostics.
package runtime
