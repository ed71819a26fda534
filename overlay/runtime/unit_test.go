//go:build unix

package runtime

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBodyPreview(t *testing.T) {
	long := strings.Repeat("a", 4095) + "€" + "tail" // € (3 bytes) straddles byte 4096
	for _, tc := range []struct {
		name, body, want string
	}{
		{"trimmed", " \n\t{\"error\": \"x\"}\r\n ", `{"error": "x"}`},
		{"unicode space", "\u00a0ok\u2003", "ok"},
		{"empty", "   ", ""},
		{"exactly 4096", strings.Repeat("b", 4096), strings.Repeat("b", 4096)},
		{"4097 bytes", strings.Repeat("b", 4097), strings.Repeat("b", 4096) + "\n... <truncated; showing first 4096 of 4097 bytes>"},
		{"cut at a character boundary", long, strings.Repeat("a", 4095) + "\n... <truncated; showing first 4095 of 4102 bytes>"},
		{"total counts the trimmed body", "  " + strings.Repeat("c", 5000) + "  ", strings.Repeat("c", 4096) + "\n... <truncated; showing first 4096 of 5000 bytes>"},
	} {
		if got := BodyPreview(tc.body); got != tc.want {
			t.Errorf("%s: BodyPreview = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestUTF8Errors(t *testing.T) {
	for _, tc := range []struct {
		body string
		want string // "" = valid
	}{
		{"plain ascii", ""},
		{"valid \u00e9\u20ac\U0001F600 and \uFFFD", ""},
		{"caf\xe9 au lait", "invalid utf-8 sequence of 1 bytes from index 3"},
		{"\x80", "invalid utf-8 sequence of 1 bytes from index 0"},
		{"ab\xc3", "incomplete utf-8 byte sequence from index 2"},
		{"ab\xe2\x82", "incomplete utf-8 byte sequence from index 2"},
		{"ab\xe2\x82x", "invalid utf-8 sequence of 2 bytes from index 2"},
		{"\xf0\x9f\x98x", "invalid utf-8 sequence of 3 bytes from index 0"},
		{"\xf0\x9f\x98", "incomplete utf-8 byte sequence from index 0"},
		{"\xc0\x80", "invalid utf-8 sequence of 1 bytes from index 0"},     // overlong
		{"\xed\xa0\x80", "invalid utf-8 sequence of 1 bytes from index 0"}, // surrogate
		{"\xe0\x80\x80", "invalid utf-8 sequence of 1 bytes from index 0"}, // overlong 3-byte
		{"\xf4\x90\x80\x80", "invalid utf-8 sequence of 1 bytes from index 0"},
		{"\xf5", "invalid utf-8 sequence of 1 bytes from index 0"},
		{"ok\xe2x\x82", "invalid utf-8 sequence of 1 bytes from index 2"},
	} {
		err := checkUTF8([]byte(tc.body))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestStatusText(t *testing.T) {
	for code, want := range map[int]string{
		500: "500 Internal Server Error",
		404: "404 Not Found",
		413: "413 Payload Too Large",
		302: "302 Found",
		599: "599 <unknown status code>",
	} {
		if got := StatusText(code); got != want {
			t.Errorf("StatusText(%d) = %q, want %q", code, got, want)
		}
	}
}

func TestLineTail(t *testing.T) {
	tail := newLineTail(3)
	for _, chunk := range []string{"one\r\ntw", "o\nthree\n", "four\nfive", "\nsix-partial", "\xff"} {
		if n, err := tail.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", chunk, n, err)
		}
	}
	if got, want := tail.Lines(), []string{"four", "five", "six-partial\uFFFD"}; !slices.Equal(got, want) {
		t.Errorf("Lines() = %q, want %q", got, want)
	}
	long := newLineTail(2)
	long.Write([]byte(strings.Repeat("x", 3*maxLineBytes) + "\nend\n"))
	if got := long.Lines(); len(got) != 2 || len(got[0]) != maxLineBytes || got[1] != "end" {
		t.Errorf("a long line is not capped: %d lines, first %d bytes", len(got), len(got[0]))
	}
}

func TestResolveProgram(t *testing.T) {
	base := t.TempDir()
	for _, tc := range []struct {
		path, base, want, err string
	}{
		{path: "/usr/bin/env", want: "/usr/bin/env"},
		{path: "/usr/bin/../bin/env", want: "/usr/bin/env"},
		{path: "./overlay.py", base: base, want: filepath.Join(base, "overlay.py")},
		{path: "bin/server", base: base, want: filepath.Join(base, "bin", "server")},
		{path: "overlay.py", base: base, err: "component /use_0_0 uses program path `overlay.py` without a path separator; direct execution does not search PATH, so use an absolute path or a manifest-relative path like `./bin/server`"},
		{path: "python3", err: "component /use_0_0 uses program path `python3` without a path separator; direct execution does not search PATH, so use an absolute path or a manifest-relative path like `./bin/server`"},
		{path: "./overlay.py", err: "component /use_0_0 uses relative program path `./overlay.py`, but no manifest directory was given to resolve it against"},
	} {
		s := Spec{Moniker: "/use_0_0", Path: tc.path, BaseDir: tc.base}
		got, err := s.resolveProgram()
		if tc.err != "" {
			var se *SpecError
			if !errors.As(err, &se) || err.Error() != tc.err {
				t.Errorf("%s: err = %v, want %s", tc.path, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %s, %v; want %s", tc.path, got, err, tc.want)
		}
	}
}

// TestSpecErrors checks that bad specs are refused before any process starts.
func TestSpecErrors(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "not-executable")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := Spec{Display: "/x", Moniker: "/use_0_0", Path: helperBin, Port: 8120}
	for _, tc := range []struct {
		edit func(*Spec)
		want string
	}{
		{func(s *Spec) { s.Port = 0 }, "component /use_0_0 declares endpoint port 0; expected a port between 1 and 65535"},
		{func(s *Spec) { s.Port = 70000 }, "component /use_0_0 declares endpoint port 70000; expected a port between 1 and 65535"},
		{func(s *Spec) { s.Protocol = "udp" }, "component /use_0_0 declares endpoint protocol `udp`; expected `http`, `https` or `tcp`"},
		{func(s *Spec) { s.Env = map[string]string{"A=B": "x"} }, `component /use_0_0 declares environment variable name "A=B"; names must be non-empty without ` + "`=`" + ` or NUL`},
		{func(s *Spec) { s.Env = map[string]string{"A": "x\x00"} }, "environment variable `A` of component /use_0_0 contains a NUL byte"},
		{func(s *Spec) { s.Path = "" }, "component /use_0_0 has an empty program path"},
		{func(s *Spec) { s.Kind, s.Image = KindImage, "" }, "component /use_0_0 has an empty program image"},
		{func(s *Spec) { s.Moniker = "" }, "helper for export `/x` has no component moniker"},
		{func(s *Spec) { s.Path = filepath.Join(dir, "missing") }, "component /use_0_0 uses program path `" + filepath.Join(dir, "missing") + "`, but " + filepath.Join(dir, "missing") + " does not exist"},
		{func(s *Spec) { s.Path = dir }, "component /use_0_0 uses program path `" + dir + "`, but " + dir + " is a directory"},
		{func(s *Spec) { s.Path = notExec }, "component /use_0_0 uses program path `" + notExec + "`, but " + notExec + " is not executable"},
	} {
		rt := New(Options{})
		s := ok
		tc.edit(&s)
		_, err := rt.Invoke(context.Background(), s, scopeRequest)
		var se *SpecError
		if !errors.As(err, &se) || err.Error() != tc.want {
			t.Errorf("err = %v\nwant SpecError %s", err, tc.want)
		}
		if hs := rt.Helpers(); len(hs) != 0 {
			t.Errorf("a helper runs after a spec error: %+v", hs)
		}
		rt.Close()
	}
}

func TestProcessKey(t *testing.T) {
	base := Spec{Moniker: "/use_0_0", Path: "/bin/h", Args: []string{"a b"}, Env: map[string]string{"X": "1", "Y": "2"}, Port: 1, Fingerprint: "f"}
	same := base
	same.Display, same.Port, same.Protocol = "/other", 2, TCP
	if base.processKey("/bin/h") != same.processKey("/bin/h") {
		t.Error("display name and endpoint must not change the process identity")
	}
	for _, edit := range []func(*Spec){
		func(s *Spec) { s.Fingerprint = "g" },
		func(s *Spec) { s.Args = []string{"a", "b"} },
		func(s *Spec) { s.Env = map[string]string{"X": "1", "Y": "3"} },
		func(s *Spec) { s.WorkDir = "/tmp/w" },
		func(s *Spec) { s.Moniker = "/use_0_1" },
	} {
		other := base
		edit(&other)
		if base.processKey("/bin/h") == other.processKey("/bin/h") {
			t.Errorf("%+v and %+v share a process key", base, other)
		}
	}
}

func TestDockerRunArgs(t *testing.T) {
	s := &Spec{Moniker: "/use_0_0", Kind: KindImage, Image: "ghcr.io/x/overlay:1", Port: 8120,
		Entrypoint: []string{"python3", "-u"}, Args: []string{"overlay.py"},
		Env: map[string]string{"REDACTION_TERMS": `["a"]`, "PORT": "8120", "DOCKER_HOST": "tcp://inner", "HOME": "/root"}}
	got := dockerRunArgs(s, "amber-lsp-helper-use_0_0-1234")
	want := []string{"run", "--rm", "--name", "amber-lsp-helper-use_0_0-1234", "-p", "127.0.0.1:8120:8120",
		"-e", "DOCKER_HOST=tcp://inner", "-e", "HOME=/root", "-e", "PORT", "-e", "REDACTION_TERMS",
		"--entrypoint", "python3", "ghcr.io/x/overlay:1", "-u", "overlay.py"}
	if !slices.Equal(got, want) {
		t.Errorf("dockerRunArgs =\n%q\nwant\n%q", got, want)
	}
	env := dockerClientEnv(s, []string{"PATH=/usr/bin", "HOME=/home/me", "PORT=1", "DOCKER_HOST=unix:///d.sock", "OTHER=o"})
	wantEnv := []string{"PATH=/usr/bin", "HOME=/home/me", "DOCKER_HOST=unix:///d.sock", "OTHER=o", "PORT=8120", `REDACTION_TERMS=["a"]`}
	if !slices.Equal(env, wantEnv) {
		t.Errorf("dockerClientEnv =\n%q\nwant\n%q", env, wantEnv)
	}
	if name := containerName("/scope/use_0_0"); !strings.HasPrefix(name, "amber-lsp-helper-scope-use_0_0-") || len(name) != len("amber-lsp-helper-scope-use_0_0-")+8 {
		t.Errorf("containerName = %s", name)
	}
}

// TestPortProbeIsLoopbackOnly: the probe binds 127.0.0.1 only, so a port
// some other program uses on another interface is free for a helper, and
// the probe never opens a port to the network.
func TestPortProbeIsLoopbackOnly(t *testing.T) {
	var other net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() {
			other = ipn.IP
			break
		}
	}
	if other == nil {
		t.Skip("no IPv4 address besides loopback on this machine")
	}
	l, err := net.Listen("tcp", net.JoinHostPort(other.String(), "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", other, err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	if err := checkPortFree("/use_0_0", port); err != nil {
		t.Errorf("port %d, taken on %s only: %v", port, other, err)
	}
}
