package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// session is an editor that started `amber-lsp ARGS` and speaks LSP on
// its stdin and stdout, as VS Code's stdio transport does.
type session struct {
	t      *testing.T
	conn   jsonrpc2.Conn
	status chan int
	stderr *syncBuffer

	mu    sync.Mutex
	shown []string // window/showMessage
}

// syncBuffer is a bytes.Buffer safe for the server and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func launch(t *testing.T, args ...string) *session {
	t.Helper()
	srv, cli := net.Pipe()
	s := &session{t: t, status: make(chan int, 1), stderr: &syncBuffer{}}
	go func() {
		code := run(args, srv, srv, s.stderr)
		srv.Close()
		s.status <- code
	}()
	s.conn = jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(cli))
	s.conn.Go(context.Background(), func(_ context.Context, req *jsonrpc2.Request) (any, error) {
		if req.Method() == protocol.MethodWindowShowMessage {
			var p protocol.ShowMessageParams
			protocol.Unmarshal(req.Params(), &p)
			s.mu.Lock()
			s.shown = append(s.shown, p.Message)
			s.mu.Unlock()
		}
		if req.IsCall() {
			return nil, jsonrpc2.ErrMethodNotFound
		}
		return nil, nil
	})
	t.Cleanup(func() { s.conn.Close() })
	return s
}

func (s *session) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s.conn.Call(ctx, method, params, result)
	return err
}

// wait returns the exit status of run.
func (s *session) wait() int {
	s.t.Helper()
	select {
	case code := <-s.status:
		return code
	case <-time.After(10 * time.Second):
		s.t.Fatalf("amber-lsp did not return; stderr:\n%s", s.stderr)
		return -1
	}
}

// TestEditorTransportFlags: the command lines editors start the server
// with serve LSP on stdio.
func TestEditorTransportFlags(t *testing.T) {
	for _, args := range [][]string{nil, {"--stdio"}, {"--stdio", "--clientProcessId", "1"}, {"--clientProcessId=1", "--stdio"}} {
		t.Run(strings.Join(append([]string{"amber-lsp"}, args...), " "), func(t *testing.T) {
			s := launch(t, args...)
			var res protocol.InitializeResult
			if err := s.call(protocol.MethodInitialize, &protocol.InitializeParams{}, &res); err != nil {
				t.Fatalf("initialize: %v; stderr:\n%s", err, s.stderr)
			}
			if v, _ := res.ServerInfo.Version.Get(); res.ServerInfo.Name != "amber-lsp" || v != version {
				t.Errorf("serverInfo = %+v", res.ServerInfo)
			}
			if err := s.call(protocol.MethodShutdown, nil, nil); err != nil {
				t.Fatal(err)
			}
			s.conn.Notify(context.Background(), protocol.MethodExit, nil)
			if code := s.wait(); code != 0 {
				t.Errorf("exit status %d; stderr:\n%s", code, s.stderr)
			}
		})
	}
}

// TestClientProcessIdStopsTheServer: --clientProcessId PID ends the server
// once PID has exited, without shutdown or exit.
func TestClientProcessIdStopsTheServer(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no sleep command")
	}
	editor := exec.Command("sleep", "60")
	if err := editor.Start(); err != nil {
		t.Skipf("cannot start a stand-in editor process: %v", err)
	}
	s := launch(t, "--stdio", "--clientProcessId", strconv.Itoa(editor.Process.Pid))
	if err := s.call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil); err != nil {
		t.Fatal(err)
	}
	editor.Process.Kill()
	editor.Wait()
	if code := s.wait(); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if !strings.Contains(s.stderr.String(), "has exited; stopping") {
		t.Errorf("stderr does not say why the server stopped:\n%s", s.stderr)
	}
}

// TestStartupErrorReachesTheEditor: an editor that starts the server with
// a command line it cannot run gets the reason in window/showMessage and
// in the answer to initialize, and on stderr, and stdout stays LSP.
func TestStartupErrorReachesTheEditor(t *testing.T) {
	s := launch(t, "--stdio", "--frobnicate")
	err := s.call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil)
	var rerr *jsonrpc2.Error
	if !errors.As(err, &rerr) || !strings.Contains(rerr.Message, "cannot start: unknown flag --frobnicate") {
		t.Fatalf("initialize: %v, want an error naming the flag", err)
	}
	s.mu.Lock()
	shown := s.shown
	s.mu.Unlock()
	if len(shown) != 1 || shown[0] != rerr.Message {
		t.Errorf("shown %q, want %q", shown, rerr.Message)
	}
	s.conn.Notify(context.Background(), protocol.MethodExit, nil)
	if code := s.wait(); code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if got := s.stderr.String(); !strings.Contains(got, "amber-lsp: unknown flag --frobnicate") || strings.Contains(got, "usage:") {
		t.Errorf("stderr:\n%s", got)
	}
}

// TestVersionOf: the version printed comes from the build when the link
// step set none.
func TestVersionOf(t *testing.T) {
	vcs := func(version string, settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/amberlsp/amber-lsp", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name, ldflags string
		info          *debug.BuildInfo
		want          string
	}{
		{"set at link time", "v1.4.0", vcs("v1.3.0"), "v1.4.0"},
		{"go install @version", "dev", vcs("v1.3.0"), "v1.3.0"},
		{"pseudo-version of go build", "dev", vcs("v0.0.0-20260101000000-0123456789ab+dirty"), "v0.0.0-20260101000000-0123456789ab+dirty"},
		{"a commit", "dev", vcs("(devel)", "vcs.revision", rev, "vcs.modified", "false"), "dev-0123456789ab"},
		{"a changed tree", "dev", vcs("(devel)", "vcs.revision", rev, "vcs.modified", "true"), "dev-0123456789ab+dirty"},
		{"nothing known", "dev", vcs("(devel)"), "dev"},
		{"no build info", "dev", nil, "dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionOf(tt.ldflags, tt.info); got != tt.want {
				t.Errorf("versionOf(%q) = %q, want %q", tt.ldflags, got, tt.want)
			}
		})
	}
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if code, stdout, _ := runCheck(t, args...); code != 0 || stdout != "amber-lsp "+version+"\n" {
			t.Errorf("%v: status %d, stdout %q", args, code, stdout)
		}
	}
}
