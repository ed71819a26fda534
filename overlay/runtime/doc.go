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
// restart or stop.
//
// # Containment
//
// Nothing a helper starts outlives it, or amber-lsp:
//
//   - On Linux each helper runs under a keeper (keeper_linux.go): a copy of
//     the running binary that is a child subreaper, so that every
//     descendant of the helper stays its descendant even after a double
//     fork and setsid. When the helper exits, is stopped, or amber-lsp
//     dies (the keeper's Pdeathsig, so `kill -9` too), the keeper kills
//     every descendant, removes the helper's temporary work directory and
//     any container, then exits. The helper itself has Pdeathsig SIGKILL.
//     What can still survive: the descendants of a helper whose keeper was
//     itself killed with SIGKILL (by someone else, or the OOM killer); the
//     helper gets its Pdeathsig, but processes that left its process group
//     are adopted by init. The next helper start removes the work
//     directory such a run left.
//   - On other Unix systems a helper leads its own process group, and the
//     group is killed on every path; a descendant that leaves the group
//     (setsid) and is orphaned is not found.
//
// A cgroup is not used: where one could be made (a delegated, writable
// cgroup v2 hierarchy) it would add only the case of a keeper killed by
// someone else, and in CI containers and on hosted runners the hierarchy
// is mostly read-only. The fallback order is: keeper (Linux), then process
// group (other Unix systems).
//
// Temporary work directories are named amber-lsp-helper-PID-*, PID being
// amber-lsp's; the first helper start of a process removes those whose
// amber-lsp no longer runs.
//
// Errors are Go values whose Error text is Amber's message (see
// overlays.md §13); the caller wraps them in diagnostics.
package runtime
