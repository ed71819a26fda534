package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Kind says how a helper program is run.
type Kind int

const (
	// KindPath runs a program file as a child process.
	KindPath Kind = iota
	// KindImage runs a container image through `docker run`.
	KindImage
)

// String returns the manifest's name for the kind: "path" or "image".
func (k Kind) String() string {
	switch k {
	case KindPath:
		return "path"
	case KindImage:
		return "image"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Protocol is the protocol of a helper's endpoint, as in program.network.
type Protocol string

// Endpoint protocols. An empty Protocol means HTTP.
const (
	HTTP  Protocol = "http"
	HTTPS Protocol = "https" // called over plain http://, as Amber does
	TCP   Protocol = "tcp"
)

// Spec describes one helper program to run and the endpoint to call.
//
// Everything except Display, Port and Protocol identifies the process: two
// Specs that agree on those fields share one running helper (for instance
// two overlays that name the same `use` entry), and a Spec that differs in
// any of them, Fingerprint included, needs a process of its own.
type Spec struct {
	// Display is the overlay's display name used in messages, e.g. `/redaction`.
	Display string
	// Moniker is the helper component's moniker, e.g. `/use_0_0`.
	Moniker string

	// Kind selects Path or Image.
	Kind Kind
	// Path is the program path of a KindPath helper as the manifest wrote it:
	// absolute, or relative to BaseDir with at least one path separator.
	Path string
	// Image is the container image of a KindImage helper.
	Image string
	// Entrypoint overrides the image's entrypoint (KindImage only).
	Entrypoint []string
	// Args are the rendered program arguments (for KindImage: the command).
	Args []string
	// Env is exactly the rendered program env. A path helper gets only these
	// variables plus PATH, HOME (its work dir) and TMPDIR=/tmp, unless Env
	// sets those itself.
	Env map[string]string

	// BaseDir is the directory relative program paths are resolved against:
	// the directory of the `use` manifest.
	BaseDir string
	// WorkDir is the working directory of a path helper. Empty means a fresh
	// temporary directory per start, removed when the helper stops; a
	// non-empty directory is created if missing and kept.
	WorkDir string

	// Port is the endpoint's port on 127.0.0.1 (1-65535).
	Port int
	// Protocol is the endpoint's protocol; empty means HTTP.
	Protocol Protocol

	// Fingerprint identifies the helper's manifest, config and program files
	// (the caller hashes them). A different fingerprint means a restart.
	Fingerprint string
}

// protocol returns the endpoint protocol with the default applied.
func (s *Spec) protocol() Protocol {
	if s.Protocol == "" {
		return HTTP
	}
	return s.Protocol
}

// display returns the name messages use for the export.
func (s *Spec) display() string {
	if s.Display != "" {
		return s.Display
	}
	return s.Moniker
}

// specError builds a SpecError for s.
func (s *Spec) specError(format string, args ...any) *SpecError {
	return &SpecError{Moniker: s.Moniker, Msg: fmt.Sprintf(format, args...)}
}

// check validates the parts of s that do not depend on the file system.
func (s *Spec) check() error {
	if s.Moniker == "" {
		return &SpecError{Msg: fmt.Sprintf("helper for export `%s` has no component moniker", s.Display)}
	}
	if s.Port < 1 || s.Port > 65535 {
		return s.specError("component %s declares endpoint port %d; expected a port between 1 and 65535", s.Moniker, s.Port)
	}
	switch s.protocol() {
	case HTTP, HTTPS, TCP:
	default:
		return s.specError("component %s declares endpoint protocol `%s`; expected `http`, `https` or `tcp`", s.Moniker, s.Protocol)
	}
	for k, v := range s.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return s.specError("component %s declares environment variable name %q; names must be non-empty without `=` or NUL", s.Moniker, k)
		}
		if strings.ContainsRune(v, 0) {
			return s.specError("environment variable `%s` of component %s contains a NUL byte", k, s.Moniker)
		}
	}
	switch s.Kind {
	case KindPath:
		if s.Path == "" {
			return s.specError("component %s has an empty program path", s.Moniker)
		}
	case KindImage:
		if s.Image == "" {
			return s.specError("component %s has an empty program image", s.Moniker)
		}
	default:
		return s.specError("component %s has program kind %s; expected path or image", s.Moniker, s.Kind)
	}
	for _, a := range append(append([]string(nil), s.Args...), s.Entrypoint...) {
		if strings.ContainsRune(a, 0) {
			return s.specError("an argument of component %s contains a NUL byte", s.Moniker)
		}
	}
	return nil
}

// resolveProgram returns the absolute program file of a path helper,
// following Amber's direct-execution rules: absolute paths are used as is,
// relative ones are joined to BaseDir and must contain a path separator.
func (s *Spec) resolveProgram() (string, error) {
	p := s.Path
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	if !strings.ContainsAny(p, "/"+string(filepath.Separator)) {
		return "", s.specError("component %s uses program path `%s` without a path separator; direct execution does not search PATH, so use an absolute path or a manifest-relative path like `./bin/server`", s.Moniker, p)
	}
	if s.BaseDir == "" {
		return "", s.specError("component %s uses relative program path `%s`, but no manifest directory was given to resolve it against", s.Moniker, p)
	}
	base, err := filepath.Abs(s.BaseDir)
	if err != nil {
		return "", s.specError("component %s: cannot resolve manifest directory %s: %v", s.Moniker, s.BaseDir, err)
	}
	return filepath.Join(base, p), nil
}

// checkProgramFile reports a program file that cannot be executed.
func (s *Spec) checkProgramFile(file string) error {
	fi, err := os.Stat(file)
	switch {
	case os.IsNotExist(err):
		return s.specError("component %s uses program path `%s`, but %s does not exist", s.Moniker, s.Path, file)
	case err != nil:
		return s.specError("component %s uses program path `%s`: %v", s.Moniker, s.Path, err)
	case fi.IsDir():
		return s.specError("component %s uses program path `%s`, but %s is a directory", s.Moniker, s.Path, file)
	case fi.Mode()&0o111 == 0:
		return s.specError("component %s uses program path `%s`, but %s is not executable", s.Moniker, s.Path, file)
	}
	return nil
}

// processKey returns the identity of the process s runs: every field except
// the endpoint and display name, with the resolved program file. Every part
// is quoted (fmt prints maps in key order), so the key is unambiguous.
func (s *Spec) processKey(program string) string {
	return fmt.Sprintf("%q %d %q %q %q %q %q %q %q %q",
		s.Moniker, s.Kind, program, s.Image, s.Entrypoint, s.Args, s.Env, s.BaseDir, s.WorkDir, s.Fingerprint)
}
