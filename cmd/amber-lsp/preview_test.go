//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/freeport"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/internal/exampletree"
)

// previewInit initializes a server on folder with overlay previews on
// (from initializationOptions: the test client answers no
// workspace/configuration).
func previewInit(t *testing.T, call func(method string, params, result any) error, folder string) {
	t.Helper()
	params := &protocol.InitializeParams{InitializationOptions: protocol.LSPAny(`{"amber":{"overlays":{"preview":true,"timeout":"10s"}}}`)}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(folder), Name: "w"}})
	if err := call(protocol.MethodInitialize, params, nil); err != nil {
		t.Fatalf("initialize: %v", err)
	}
}

// timings matches the measured part of the preview JSON.
var timings = regexp.MustCompile(`"timing_ms":\{"start":[0-9.]+,"request":[0-9.]+\}`)

// commandMatchesCLI checks that the server's amber.overlays.preview
// command answers, for a child manifest of the scenario (once the server
// has indexed the folder), the very bytes `amber-lsp --preview --format
// json root` prints (measured times aside).
func commandMatchesCLI(t *testing.T, root, child string) string {
	t.Helper()
	code, cli, stderr := runCheck(t, "--preview", "--format", "json", root)
	if code != 0 || stderr != "" {
		t.Fatalf("--preview: exit %d\n%s\n%s", code, cli, stderr)
	}
	s := launch(t, "--stdio")
	previewInit(t, s.call, filepath.Dir(root))
	s.conn.Notify(context.Background(), protocol.MethodInitialized, &protocol.InitializedParams{})
	var raw jsonrpc2.RawMessage
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		err := s.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: "amber.overlays.preview",
			Arguments: []protocol.LSPAny{protocol.LSPAny(strconv.Quote(string(uri.File(child))))}}, &raw)
		if err != nil {
			t.Fatalf("amber.overlays.preview: %v; stderr:\n%s", err, s.stderr)
		}
		if strings.Contains(string(raw), `"ref":`) || time.Now().After(end) {
			break // indexed: the child's scenario ran
		}
	}
	if err := s.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatal(err)
	}
	s.conn.Notify(context.Background(), protocol.MethodExit, nil)
	if code := s.wait(); code != 0 {
		t.Errorf("server exit status %d", code)
	}
	norm := func(s string) string { return timings.ReplaceAllString(s, `"timing_ms":{}`) }
	want := norm(strings.TrimSuffix(cli, "\n"))
	if got := norm(string(raw)); got != want {
		t.Errorf("the command answered\n%s\n--preview --format json printed\n%s", got, want)
	}
	if len(timings.FindAllString(string(raw), -1)) == 0 {
		t.Errorf("no timings in %s", raw)
	}
	return string(raw)
}

// TestPreviewCommandIsTheCLIPreview: the command's JSON is byte for byte
// what the command line prints for the same root.
func TestPreviewCommandIsTheCLIPreview(t *testing.T) {
	root := overlayWorkspace(t, "redact", freeport.Get(t))
	got := commandMatchesCLI(t, root, filepath.Join(filepath.Dir(root), "caller.json5"))
	if !strings.Contains(got, `"interposers":[{"moniker":"/__overlay_0_0","attached_to":[0]}]`) {
		t.Errorf("no interposer in %s", got)
	}
}

// TestPreviewCommandOnTheExample: the same on the repository's example,
// whose helper is a Python program (the README walks through it).
func TestPreviewCommandOnTheExample(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not found: the example's overlay helper is a Python program")
	}
	root := exampletree.Copy(t, examples)
	got := commandMatchesCLI(t, root, filepath.Join(filepath.Dir(root), "web.json5"))
	if !strings.Contains(got, `"moniker":"/__overlay_0_1","attached_to":[1]`) {
		t.Errorf("the example's two proxies are not in %s", got)
	}
}

// serverProcess is amber-lsp started as its own process, speaking LSP on
// its stdin and stdout.
type serverProcess struct {
	cmd  *exec.Cmd
	conn jsonrpc2.Conn
}

// startServerProcess starts the amber-lsp program bin.
func startServerProcess(t *testing.T, bin string) *serverProcess {
	t.Helper()
	cmd := exec.Command(bin, "--stdio")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	rwc := struct {
		io.Reader
		io.WriteCloser
	}{stdout, stdin}
	conn := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(rwc))
	conn.Go(context.Background(), func(_ context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() {
			return nil, jsonrpc2.ErrMethodNotFound
		}
		return nil, nil
	})
	t.Cleanup(func() { conn.Close() })
	return &serverProcess{cmd: cmd, conn: conn}
}

func (p *serverProcess) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := p.conn.Call(ctx, method, params, result)
	return err
}

// saveRoot opens and saves the root, which starts its helper.
func (p *serverProcess) saveRoot(t *testing.T, root string) {
	t.Helper()
	text, _ := os.ReadFile(root)
	ctx := context.Background()
	p.conn.Notify(ctx, protocol.MethodInitialized, &protocol.InitializedParams{})
	p.conn.Notify(ctx, protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: uri.File(root), LanguageID: "json5", Version: 1, Text: string(text)}})
	p.conn.Notify(ctx, protocol.MethodTextDocumentDidSave, &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(root)}})
}

// helperPID waits until the helper wrote its pid file.
func helperPID(t *testing.T, pidfile string) int {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(pidfile); err == nil && len(b) > 0 {
			pid, _ := strconv.Atoi(string(b))
			return pid
		}
	}
	t.Fatal("the helper did not start")
	return 0
}

// running reports whether pid runs (a zombie does not).
func running(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || !strings.HasPrefix(s[i+1:], " Z")
}

// gone waits up to d for pid to stop running.
func gone(pid int, d time.Duration) bool {
	for end := time.Now().Add(d); running(pid); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			return false
		}
	}
	return true
}

// pidWorkspace is overlayWorkspace with the helper writing its pid file.
func pidWorkspace(t *testing.T, mode string) (root, pidfile string) {
	t.Helper()
	root = overlayWorkspace(t, mode, freeport.Get(t))
	pidfile = filepath.Join(filepath.Dir(root), "helper.pid")
	use := filepath.Join(filepath.Dir(root), "overlay.json5")
	text, err := os.ReadFile(use)
	if err != nil {
		t.Fatal(err)
	}
	text = []byte(strings.Replace(string(text), `PIDFILE: ""`, `PIDFILE: "`+pidfile+`"`, 1))
	if err := os.WriteFile(use, text, 0o644); err != nil {
		t.Fatal(err)
	}
	return root, pidfile
}

// TestServerProcessLeavesNoHelper runs amber-lsp as its own process:
// however it ends, no overlay helper it started outlives it.
func TestServerProcessLeavesNoHelper(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "amber-lsp")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building amber-lsp: %v\n%s", err, out)
	}
	t.Run("killed", func(t *testing.T) { testKilledServerLeavesNoHelper(t, bin) })
	for _, polite := range []bool{true, false} {
		name := "closed pipe"
		if polite {
			name = "shutdown and exit"
		}
		t.Run(name, func(t *testing.T) { testServerExitStopsHelpers(t, bin, polite) })
	}
}

// testKilledServerLeavesNoHelper: a server killed with SIGKILL while a
// helper is starting (it never becomes ready) leaves no helper behind.
func testKilledServerLeavesNoHelper(t *testing.T, bin string) {
	root, pidfile := pidWorkspace(t, "silent")
	p := startServerProcess(t, bin)
	previewInit(t, p.call, filepath.Dir(root))
	p.saveRoot(t, root)
	pid := helperPID(t, pidfile)
	if !running(pid) {
		t.Fatalf("helper %d is not running", pid)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	if !gone(pid, 3*time.Second) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("helper %d outlived the killed server", pid)
	}
}

// testServerExitStopsHelpers: a helper kept warm between saves is stopped
// when the editor ends the session (polite), or when it just closes the
// pipe.
func testServerExitStopsHelpers(t *testing.T, bin string, polite bool) {
	root, pidfile := pidWorkspace(t, "redact")
	p := startServerProcess(t, bin)
	previewInit(t, p.call, filepath.Dir(root))
	p.saveRoot(t, root)
	pid := helperPID(t, pidfile)
	time.Sleep(300 * time.Millisecond) // the run ends; the helper stays warm
	if !running(pid) {
		t.Fatalf("the helper %d did not stay running", pid)
	}
	if polite {
		if err := p.call(protocol.MethodShutdown, nil, nil); err != nil {
			t.Fatal(err)
		}
		p.conn.Notify(context.Background(), protocol.MethodExit, nil)
	} else {
		p.conn.Close()
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not exit")
	}
	if !gone(pid, 3*time.Second) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("shutdown=%v: helper %d outlived the server", polite, pid)
	}
}
