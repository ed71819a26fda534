package runtime

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// launchImage runs an image helper through `docker run` once a Docker
// engine answers.
func (r *Runtime) launchImage(ctx context.Context, spec *Spec) (*process, error) {
	docker, err := exec.LookPath(r.opts.Docker)
	if err != nil {
		return nil, &DockerUnavailableError{Moniker: spec.Moniker, Image: spec.Image, Detail: "docker client not found: " + err.Error()}
	}
	if detail := dockerEngineProblem(ctx, docker); detail != "" {
		return nil, &DockerUnavailableError{Moniker: spec.Moniker, Image: spec.Image, Detail: detail}
	}
	if err := checkPortFree(spec.Moniker, spec.Port); err != nil {
		return nil, err
	}
	name := containerName(spec.Moniker)
	argv := append([]string{docker}, dockerRunArgs(spec, name)...)
	remove := cleanupSpec{Then: []string{docker, "rm", "-f", name}}
	p, err := launchProcess(&r.keepers, argv, dockerClientEnv(spec, os.Environ()), "", remove)
	if err != nil {
		return nil, &launchFailure{"component " + spec.Moniker + " could not be started: " + err.Error()}
	}
	return p, nil
}

// dockerEngineProblem asks the engine for its version and returns why it
// did not answer, or "" when it did.
func dockerEngineProblem(ctx context.Context, docker string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, docker, "info", "--format", "{{.ServerVersion}}")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil && strings.TrimSpace(stdout.String()) != "" {
		return ""
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return "`docker info`: " + line
		}
	}
	if err != nil {
		return "`docker info`: " + err.Error()
	}
	return "`docker info` reported no server version"
}

// containerName returns a fresh container name for a helper, so that the
// runtime can remove exactly its own container.
func containerName(moniker string) string {
	var b strings.Builder
	b.WriteString("amber-lsp-helper")
	for _, part := range strings.FieldsFunc(moniker, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.')
	}) {
		b.WriteString("-" + part)
	}
	var id [4]byte
	_, _ = rand.Read(id[:])
	return b.String() + "-" + hex.EncodeToString(id[:])
}

// dockerRunArgs returns the arguments of `docker run` for an image helper:
// removed on exit, named, the endpoint published on loopback only, the
// declared env passed by name (values travel in the client's environment,
// not on its command line), then the image and its command.
func dockerRunArgs(spec *Spec, name string) []string {
	args := []string{"run", "--rm", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:%d", spec.Port, spec.Port)}
	for _, k := range slices.Sorted(maps.Keys(spec.Env)) {
		if dockerClientVar(k) {
			args = append(args, "-e", k+"="+spec.Env[k])
		} else {
			args = append(args, "-e", k)
		}
	}
	if len(spec.Entrypoint) > 0 {
		args = append(args, "--entrypoint", spec.Entrypoint[0])
	}
	args = append(args, spec.Image)
	if len(spec.Entrypoint) > 1 {
		args = append(args, spec.Entrypoint[1:]...)
	}
	return append(args, spec.Args...)
}

// dockerClientEnv is the environment of the docker client: the caller's
// own, with the helper's declared variables (other than those that steer
// the client itself) set to their declared values for `-e NAME`.
func dockerClientEnv(spec *Spec, parent []string) []string {
	var env []string
	for _, kv := range parent {
		k, _, _ := strings.Cut(kv, "=")
		if _, declared := spec.Env[k]; declared && !dockerClientVar(k) {
			continue
		}
		env = append(env, kv)
	}
	for _, k := range slices.Sorted(maps.Keys(spec.Env)) {
		if !dockerClientVar(k) {
			env = append(env, k+"="+spec.Env[k])
		}
	}
	return env
}

// dockerClientVar reports whether the docker client reads variable k itself.
func dockerClientVar(k string) bool {
	return k == "PATH" || k == "HOME" || k == "XDG_RUNTIME_DIR" || strings.HasPrefix(k, "DOCKER_")
}
