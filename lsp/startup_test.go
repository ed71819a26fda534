package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// TestServeStartupError: a client that launched a server that cannot
// start sees why in a window/showMessage and in initialize's error, which
// asks it not to retry; the server then returns on exit.
func TestServeStartupError(t *testing.T) {
	c := startRawWith(t, func(rwc io.ReadWriteCloser) int {
		ServeStartupError(context.Background(), rwc, errors.New("unknown flag --frobnicate"), Options{})
		return 2
	})
	c.write(frame(`{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}`))
	if r := c.response(jsonrpc2.NewNumberID(1)); errCode(r.Err()) != codeServerNotInitialized {
		t.Errorf("hover before initialize: %v, want ServerNotInitialized", r.Err())
	}
	c.write(frame(initializeBody))
	var shown *protocol.ShowMessageParams
	var resp *jsonrpc2.Response
	for resp == nil {
		select {
		case m := <-c.msgs:
			switch m := m.(type) {
			case *jsonrpc2.Notification:
				if m.Method() == protocol.MethodWindowShowMessage {
					shown = new(protocol.ShowMessageParams)
					if err := protocol.Unmarshal(m.Params(), shown); err != nil {
						t.Fatal(err)
					}
				}
			case *jsonrpc2.Response:
				resp = m
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no answer to initialize")
		}
	}
	const want = "amber-lsp cannot start: unknown flag --frobnicate"
	if shown == nil || shown.Type != protocol.MessageTypeError || shown.Message != want {
		t.Errorf("window/showMessage before the answer = %+v, want an error %q", shown, want)
	}
	var rerr *jsonrpc2.Error
	if !errors.As(resp.Err(), &rerr) || rerr.Code != codeRequestFailed || rerr.Message != want {
		t.Fatalf("initialize answered %v, want RequestFailed %q", resp.Err(), want)
	}
	var data struct{ Retry *bool }
	if err := json.Unmarshal(rerr.Data, &data); err != nil || data.Retry == nil || *data.Retry {
		t.Errorf("error data %s, want retry: false", rerr.Data)
	}
	c.write(frame(`{"jsonrpc":"2.0","method":"exit"}`))
	c.waitExit()
}

// TestServeStartupErrorWithoutExit: a client that neither exits nor closes
// the connection after the refusal does not keep the server alive.
func TestServeStartupErrorWithoutExit(t *testing.T) {
	defer func(d time.Duration) { startupGrace = d }(startupGrace)
	startupGrace = 50 * time.Millisecond
	c := startRawWith(t, func(rwc io.ReadWriteCloser) int {
		ServeStartupError(context.Background(), rwc, errors.New("bad"), Options{})
		return 2
	})
	c.write(frame(initializeBody))
	c.response(jsonrpc2.NewNumberID(1))
	c.waitExit() // the grace period, not the test's cleanup, ends it
}

// TestClientProcessExit: with ClientProcessID, the server stops once that
// process has exited, without shutdown (status 1).
func TestClientProcessExit(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no sleep command")
	}
	defer func(d time.Duration) { processPollInterval = d }(processPollInterval)
	processPollInterval = 10 * time.Millisecond
	client := exec.Command("sleep", "60")
	if err := client.Start(); err != nil {
		t.Skipf("cannot start a stand-in client process: %v", err)
	}
	e := start(t, Options{ClientProcessID: client.Process.Pid}, editorCaps{})
	// The server keeps running while the client does.
	if err := e.call(protocol.MethodTextDocumentHover, map[string]any{}, nil); errCode(err) != jsonrpc2.InvalidParams {
		t.Fatalf("hover: %v", err)
	}
	select {
	case code := <-e.exit:
		t.Fatalf("the server stopped (status %d) while its client runs", code)
	case <-time.After(100 * time.Millisecond):
	}
	client.Process.Kill()
	killed := time.Now()
	// Not collected yet (Wait comes last), the client is a zombie: it
	// counts as gone.
	if code := e.waitExit(); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	t.Logf("stopped %v after the client was killed", time.Since(killed).Round(time.Millisecond))
	client.Wait()
}
