package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/linker"
)

// rawClient writes bytes to a server and reads back whole messages.
type rawClient struct {
	t    *testing.T
	conn pipeConn
	msgs chan jsonrpc2.Message
	exit chan int
}

func startRaw(t *testing.T, opts Options) *rawClient {
	return startRawWith(t, func(rwc io.ReadWriteCloser) int { return Serve(context.Background(), rwc, opts) })
}

// startRawWith connects a rawClient to serve, which runs a server on rwc
// and returns its exit status.
func startRawWith(t *testing.T, serve func(rwc io.ReadWriteCloser) int) *rawClient {
	srv, cli := pipes(t)
	c := &rawClient{t: t, conn: cli, msgs: make(chan jsonrpc2.Message, 100), exit: make(chan int, 1)}
	go func() {
		c.exit <- serve(srv)
		srv.Close()
	}()
	go func() {
		in := jsonrpc2.NewHeaderStream(cli)
		for {
			m, _, err := in.Read(context.Background())
			if err != nil {
				close(c.msgs)
				return
			}
			c.msgs <- m
		}
	}()
	t.Cleanup(func() { cli.Close(); <-c.exit })
	return c
}

func (c *rawClient) write(s string) {
	c.t.Helper()
	if _, err := c.conn.Write([]byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

func frame(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }

// response waits for the response with the given id, skipping
// notifications.
func (c *rawClient) response(id jsonrpc2.ID) *jsonrpc2.Response {
	c.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				c.t.Fatalf("connection closed while waiting for response %v", id)
			}
			if r, ok := m.(*jsonrpc2.Response); ok && r.ID() == id {
				return r
			}
		case <-timeout:
			c.t.Fatalf("no response %v", id)
		}
	}
}

func errCode(err error) jsonrpc2.Code {
	var jerr *jsonrpc2.Error
	if errors.As(err, &jerr) {
		return jerr.Code
	}
	return 0
}

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"textDocument":{"diagnostic":{}}}}}`

func TestMalformedFrames(t *testing.T) {
	c := startRaw(t, Options{})
	// A header line that is not a header, a frame without Content-Length,
	// a bad Content-Length, a body that is not JSON, JSON that is not a
	// JSON-RPC message, a request with a bad version, a notification
	// without params: none ends the connection.
	c.write("garbage line\r\n")
	c.write("Content-Type: x\r\n\r\n")
	c.write("Content-Length: -5\r\n\r\n")
	c.write(frame(`{"jsonrpc":"2.0","id":`))
	if r := c.response(jsonrpc2.ID{}); errCode(r.Err()) != jsonrpc2.ParseError {
		t.Errorf("not JSON: %v, want a parse error", r.Err())
	}
	c.write(frame(`[1, 2]`))
	if r := c.response(jsonrpc2.ID{}); errCode(r.Err()) != jsonrpc2.InvalidRequest {
		t.Errorf("a batch of numbers: %v, want invalid request", r.Err())
	}
	c.write(frame(`{"jsonrpc":"1.0","id":7,"method":"initialize"}`))
	if r := c.response(jsonrpc2.NewNumberID(7)); errCode(r.Err()) != jsonrpc2.InvalidRequest {
		t.Errorf("bad version: %v, want invalid request", r.Err())
	}
	c.write(frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen"}`))
	c.write(frame(`{"jsonrpc":"2.0","id":8,"method":"initialize","params":{"capabilities":5}}`))
	if r := c.response(jsonrpc2.NewNumberID(8)); errCode(r.Err()) != jsonrpc2.InvalidParams {
		t.Errorf("bad params: %v, want invalid params", r.Err())
	}
	// Garbage glued to the next header still lets that frame through.
	c.write("junk" + frame(initializeBody))
	if r := c.response(jsonrpc2.NewNumberID(1)); r.Err() != nil {
		t.Fatalf("initialize after garbage: %v", r.Err())
	}
	c.write(frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`))
	if r := c.response(jsonrpc2.NewNumberID(2)); r.Err() != nil {
		t.Fatalf("shutdown: %v", r.Err())
	}
	c.write(frame(`{"jsonrpc":"2.0","method":"exit"}`))
	if code := c.waitExit(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

// waitExit returns the server's exit status.
func (c *rawClient) waitExit() int {
	c.t.Helper()
	select {
	case code := <-c.exit:
		c.exit <- code // for the cleanup
		return code
	case <-time.After(5 * time.Second):
		c.t.Fatal("server did not return")
		return -1
	}
}

func TestOutOfOrderMessages(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.json5": clean})
	a := filepath.Join(dir, "a.json5")
	e := startServer(t, Options{})
	// Before initialize: notifications are dropped, requests refused.
	e.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: uri.File(a), Version: 1, Text: "{"},
	})
	e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	e.initialize(editorCaps{}, dir)
	// A change to a document that is not open, a close of one that is not
	// open, a non-file URI, a response nobody asked for.
	e.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri.File(a)}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: "{"}},
	})
	e.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(a)}})
	e.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: "untitled:Untitled-1", Version: 1, Text: "{"},
	})
	e.raw.Write([]byte(frame(`{"jsonrpc":"2.0","id":12345,"result":null}`)))
	e.waitFor("log messages about the ignored notifications", func() bool {
		n := 0
		for _, l := range e.logs {
			if strings.Contains(l, "is not open") || strings.Contains(l, "only local file") {
				n++
			}
		}
		return n == 3
	})
	// The server still works: the file on disk is clean.
	e.open(a, "{ manifest_version: \"0.1.0\", x: 1 }")
	e.waitVersion(a)
	if code := e.shutdown(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

func TestCancellation(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.json5": clean})
	// A linker that blocks until released, so a pull request waits.
	link, started, release := blockingLink(t)
	c := startRaw(t, Options{Link: link})
	folder := uri.File(dir)
	c.write(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"textDocument":{"diagnostic":{}}},"workspaceFolders":[{"uri":"` + string(folder) + `","name":"w"}]}}`))
	c.response(jsonrpc2.NewNumberID(1))
	c.write(frame(`{"jsonrpc":"2.0","method":"initialized","params":{}}`))
	<-started
	doc := string(uri.File(filepath.Join(dir, "a.json5")))
	c.write(frame(`{"jsonrpc":"2.0","id":"pull","method":"textDocument/diagnostic","params":{"textDocument":{"uri":"` + doc + `"}}}`))
	c.write(frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"pull"}}`))
	if r := c.response(jsonrpc2.NewStringID("pull")); errCode(r.Err()) != codeRequestCancelled {
		t.Errorf("cancelled pull: %v, want RequestCancelled", r.Err())
	}
	// The read loop was never blocked: a later request is answered while
	// the analysis still waits, and cancelling an unknown id is harmless.
	c.write(frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":999}}`))
	c.write(frame(`{"jsonrpc":"2.0","id":3,"method":"textDocument/moniker","params":{}}`))
	if r := c.response(jsonrpc2.NewNumberID(3)); errCode(r.Err()) != jsonrpc2.MethodNotFound {
		t.Errorf("moniker: %v", r.Err())
	}
	release()
	c.write(frame(`{"jsonrpc":"2.0","id":4,"method":"textDocument/diagnostic","params":{"textDocument":{"uri":"` + doc + `"}}}`))
	r := c.response(jsonrpc2.NewNumberID(4))
	var report struct {
		Kind  string
		Items []json.RawMessage
	}
	if err := json.Unmarshal(r.Result(), &report); err != nil || r.Err() != nil || report.Kind != "full" || len(report.Items) != 0 {
		t.Errorf("pull after release: %s %v", r.Result(), r.Err())
	}
}

func TestPanicsDoNotKillTheServer(t *testing.T) {
	handlerHook = func(method string) {
		if strings.HasPrefix(method, "amber/panic") {
			panic("test panic in " + method)
		}
	}
	t.Cleanup(func() { handlerHook = nil })
	e := start(t, Options{}, editorCaps{})
	err := e.call("amber/panicRequest", nil, nil)
	if errCode(err) != jsonrpc2.InternalError || !strings.Contains(err.Error(), "test panic") {
		t.Errorf("panicking request: %v, want an internal error", err)
	}
	e.notify("amber/panicNotification", nil)
	e.waitFor("a log message about the panic", func() bool {
		for _, l := range e.logs {
			if strings.Contains(l, "test panic in amber/panicNotification") {
				return true
			}
		}
		return false
	})
	if code := e.shutdown(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

func TestTwoThousandChangesInOrder(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json5")
	e := start(t, Options{}, editorCaps{}, dir)
	e.open(a, "{ manifest_version: \"0.1.0\", \"\": 1 }")
	keyAt := len("{ manifest_version: \"0.1.0\", \"")
	// Each change inserts one character at the front or at the end of the
	// key, so any reordering or lost change yields another key.
	var key []rune
	alphabet := []rune("abcdefghijklmnopqrstuvwxyzé😀日")
	for i := range 2000 {
		r := alphabet[i%len(alphabet)]
		if i%3 == 0 {
			e.change(a, protocol.PositionEncodingKindUTF16, edit{keyAt, keyAt, string(r)})
			key = append([]rune{r}, key...)
		} else {
			end := keyAt + len(string(key))
			e.change(a, protocol.PositionEncodingKindUTF16, edit{end, end, string(r)})
			key = append(key, r)
		}
	}
	got := e.waitVersion(a)
	want := "unknown field `" + string(key) + "`"
	if len(got) != 1 || !strings.Contains(string(got[0].Message.(protocol.String)), want) {
		t.Fatalf("after 2000 changes: %v, want a diagnostic about %q", got, want)
	}
	e.mu.Lock()
	n := e.publications
	e.mu.Unlock()
	t.Logf("2000 changes led to %d publications", n)
}

func TestSettingsAndProgress(t *testing.T) {
	dir := t.TempDir()
	lint := "{ manifest_version: \"0.1.0\", slots: { api: { kind: \"http\" } } }"
	writeFiles(t, dir, map[string]string{"a.json5": lint, "b.json5": lint})
	a, b := filepath.Join(dir, "a.json5"), filepath.Join(dir, "b.json5")
	e := startServer(t, Options{})
	e.settings = map[string]any{"roots": []string{"a.json5"}, "lint": map[string]any{"denyWarnings": true}, "trace": map[string]any{"server": "messages"}}
	e.initialize(allCaps, dir)
	if d := e.waitLint(a, "manifest::unused_slot"); d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("denied warning has severity %v", d.Severity)
	}
	if d := e.diagnostics(b); len(d) != 0 {
		t.Errorf("b.json5 is not a root but has %v", d)
	}
	e.waitFor("progress begin and end", func() bool {
		return strings.Join(e.progress, ",") == "begin,report,end"
	})
	e.waitFor("a trace", func() bool { return len(e.traces) > 0 })

	// The client says the settings changed; the server asks again.
	e.mu.Lock()
	e.settings = map[string]any{"amber": map[string]any{"roots": []string{}}}
	e.mu.Unlock()
	e.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny("null")})
	d := e.waitLint(b, "manifest::unused_slot")
	if d.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("warning after removing denyWarnings has severity %v", d.Severity)
	}
	if d.Tags.IsZero() {
		t.Errorf("unused-slot lint is not tagged unnecessary")
	}
}

// waitLint waits for a diagnostic with the given code in a file's
// publication (whatever else the linker reports) and returns it.
func (e *editor) waitLint(path, code string) protocol.Diagnostic {
	e.t.Helper()
	var found protocol.Diagnostic
	e.waitFor2(path, func(ds []protocol.Diagnostic) bool {
		for _, d := range ds {
			if c, _ := d.Code.(protocol.String); string(c) == code {
				found = d
				return true
			}
		}
		return false
	})
	return found
}

func TestPushedSettings(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.json5": "{ manifest_version: \"0.1.0\", slots: { api: { kind: \"http\" } } }"})
	a := filepath.Join(dir, "a.json5")
	e := start(t, Options{}, editorCaps{}, dir)
	if d := e.waitLint(a, "manifest::unused_slot"); d.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("lint has severity %v", d.Severity)
	}
	e.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{
		Settings: protocol.LSPAny(`{"amber":{"lint":{"denyWarnings":true},"roots":5}}`),
	})
	e.waitFor("denied warning", func() bool {
		ds := e.diags[uri.File(a)]
		if ds == nil {
			return false
		}
		for _, d := range ds.Diagnostics {
			if c, _ := d.Code.(protocol.String); c == "manifest::unused_slot" {
				return d.Severity == protocol.DiagnosticSeverityError
			}
		}
		return false
	})
	e.waitFor("an error about amber.roots, logged and shown", func() bool {
		return slices.ContainsFunc(e.logs, mentions("amber.roots must be a list")) &&
			slices.ContainsFunc(e.shown, mentions("amber.roots must be a list"))
	})

	// The same problem again is logged, not shown again; once the settings
	// were valid, it is shown anew.
	push := func(settings string) {
		e.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(settings)})
	}
	push(`{"amber":{"roots":5}}`)
	push(`{"amber":{"roots":[]}}`)
	push(`{"amber":{"roots":5}}`)
	// A request is answered after the notifications before it were applied,
	// and the messages they sent arrived.
	if err := e.call(protocol.MethodTextDocumentHover, map[string]any{}, nil); errCode(err) != jsonrpc2.InvalidParams {
		t.Fatalf("hover: %v", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	logged := 0
	for _, l := range e.logs {
		if mentions("amber.roots must be a list")(l) {
			logged++
		}
	}
	if logged != 3 || len(e.shown) != 2 || !mentions("amber.roots must be a list")(e.shown[1]) {
		t.Errorf("the problem logged %d times, want 3; shown %q, want twice (not when repeated)", logged, e.shown)
	}
}

// mentions returns a test of whether a message contains part.
func mentions(part string) func(string) bool {
	return func(msg string) bool { return strings.Contains(msg, part) }
}

// TestUnreadableFolderIsShown: a workspace folder that cannot be listed is
// logged and shown to the user.
func TestUnreadableFolderIsShown(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone")
	e := start(t, Options{}, editorCaps{}, missing)
	e.waitFor("the unreadable folder shown", func() bool {
		return slices.ContainsFunc(e.shown, mentions("cannot read "+missing)) &&
			slices.ContainsFunc(e.logs, mentions("cannot read "+missing))
	})
}

// TestInvalidInitializationOptionsAreShown: settings that come with
// initialize are checked like the others, and a problem is shown.
func TestInvalidInitializationOptionsAreShown(t *testing.T) {
	e := startServer(t, Options{})
	params := &protocol.InitializeParams{InitializationOptions: protocol.LSPAny(`{"amber":{"trace":{"server":"loud"}}}`)}
	if err := e.call(protocol.MethodInitialize, params, nil); err != nil {
		t.Fatal(err)
	}
	e.waitFor("the invalid trace setting shown", func() bool {
		return slices.ContainsFunc(e.shown, mentions("initializationOptions: amber.trace.server must be"))
	})
}

func TestPullDiagnostics(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"p.json5": "{ manifest_version: \"0.1.0\", components: { c: \"./c.json5\" } }",
		"c.json5": "{ manifest_version: \"0.1.0\", ",
	})
	p, c := filepath.Join(dir, "p.json5"), filepath.Join(dir, "c.json5")
	e := start(t, Options{}, editorCaps{pull: true}, dir)
	// The closed child is pushed.
	e.waitFor2(c, func(ds []protocol.Diagnostic) bool { return len(ds) > 0 })
	// Once open, the child is pulled, and its pushed diagnostics cleared.
	e.open(c, "{ manifest_version: \"0.1.0\", x: 1 }")
	e.waitFor("pushed diagnostics of the open child cleared", func() bool { return e.diags[uri.File(c)] == nil })
	var report struct {
		Kind     string
		ResultID string `json:"resultId"`
		Items    []protocol.Diagnostic
	}
	var raw jsonrpc2.RawMessage
	if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(c)}}, &raw); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(raw, &report)
	if report.Kind != "full" || len(report.Items) != 1 {
		t.Fatalf("pull = %s", raw)
	}
	prev := report.ResultID
	if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(c)}, PreviousResultID: &prev}, &raw); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(raw, &report)
	if report.Kind != "unchanged" || report.ResultID != prev {
		t.Errorf("second pull = %s", raw)
	}
	// A change of the open child asks the client to pull again only
	// when the client did not pull after it (see TestPullRefresh).
	e.change(c, protocol.PositionEncodingKindUTF16, edit{len("{ manifest_version: \"0.1.0\", "), len("{ manifest_version: \"0.1.0\", x: 1 "), ""})
	if d := e.diagnostics(p); len(d) != 0 {
		t.Errorf("parent: %v", d)
	}
}

// TestPullRefresh checks when a server asks a client that pulls to pull
// again (workspace/diagnostic/refresh): not for a document the client
// changed (it pulls after each change), whether its pull reaches the
// server before the change is analysed or after; but for an open document
// whose diagnostics change while its text does not.
func TestPullRefresh(t *testing.T) {
	dir := t.TempDir()
	spare := `{ manifest_version: "0.1.0", program: { path: "/bin/x", network: { endpoints: [{ name: "e", port: 80 }] } }, provides: { spare: { kind: "http", endpoint: "e" } } }`
	writeFiles(t, dir, map[string]string{
		"parent.json5": `{ manifest_version: "0.1.0", components: { child: "./child.json5" } }`,
		"child.json5":  spare,
	})
	parent, child := filepath.Join(dir, "parent.json5"), filepath.Join(dir, "child.json5")
	e := start(t, Options{}, editorCaps{pull: true, watch: true}, dir)
	e.waitIndexed()
	e.open(child, spare)
	pull := func() []protocol.Diagnostic {
		t.Helper()
		var report protocol.FullDocumentDiagnosticReport
		if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(child)}}, &report); err != nil || report.Kind != "full" {
			t.Fatalf("pull: a %q report (%v)", report.Kind, err)
		}
		return report.Items
	}
	pull()
	broken := spare[:len(spare)-1] + ", x: 1 }"
	for i := range 6 {
		from, to := spare, broken
		if i%2 == 1 {
			from, to = broken, spare
		}
		e.change(child, protocol.PositionEncodingKindUTF16, edit{0, len(from), to})
		if i >= 3 {
			time.Sleep(50 * time.Millisecond) // analysed and published before the pull
		}
		if ds := pull(); len(ds) == 0 || strings.Contains(fmt.Sprint(ds[0].Message), "unknown field `x`") != (i%2 == 0) {
			t.Fatalf("after change %d: %v", i, ds)
		}
	}
	time.Sleep(100 * time.Millisecond)
	e.mu.Lock()
	n := e.refreshes
	e.mu.Unlock()
	if n != 0 {
		t.Errorf("%d refreshes for changes the client pulled", n)
	}
	// The parent renames the child on disk: the child's lint names it anew.
	writeFiles(t, dir, map[string]string{"parent.json5": `{ manifest_version: "0.1.0", components: { other: "./child.json5" } }`})
	e.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(parent), Type: protocol.FileChangeTypeChanged}},
	})
	e.waitFor("a diagnostic refresh", func() bool { return e.refreshes > 0 })
	if ds := pull(); len(ds) == 0 || !strings.Contains(fmt.Sprint(ds[0].Message), "component /other") {
		t.Errorf("after the rename: %v", ds)
	}
}

func TestServeTCP(t *testing.T) {
	if err := CheckLoopback("0.0.0.0:1"); err == nil {
		t.Error("0.0.0.0 accepted")
	}
	if err := CheckLoopback("192.168.1.1:1"); err == nil {
		t.Error("a LAN address accepted")
	}
	for _, ok := range []string{"127.0.0.1:0", "[::1]:0", "localhost:0"} {
		if err := CheckLoopback(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	addrc := make(chan net.Addr, 1)
	done := make(chan int, 1)
	go func() {
		code, err := ServeTCP(context.Background(), "127.0.0.1:0", Options{}, func(a net.Addr) { addrc <- a })
		if err != nil {
			t.Error(err)
		}
		done <- code
	}()
	nc, err := net.Dial("tcp", (<-addrc).String())
	if err != nil {
		t.Fatal(err)
	}
	conn := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(nc), jsonrpc2.WithCodec(codec{}))
	conn.Go(context.Background(), jsonrpc2.MethodNotFoundHandler)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var res protocol.InitializeResult
	if _, err := conn.Call(ctx, protocol.MethodInitialize, &protocol.InitializeParams{}, &res); err != nil || res.ServerInfo.Name != "amber-lsp" {
		t.Fatalf("initialize over TCP: %v %+v", err, res)
	}
	conn.Call(ctx, protocol.MethodShutdown, nil, nil)
	conn.Notify(ctx, protocol.MethodExit, nil)
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("TCP server did not exit")
	}
	conn.Close()
}

func TestBurstsCoalesceAndStaleResultsAreDropped(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json5")
	const burst = 50
	entered, release := make(chan struct{}), make(chan struct{})
	var first sync.Once
	var starts atomic.Int32
	// Every analysis of the text waits until the whole burst has reached the
	// server, or until a newer edit cancels it: no analysis can finish in
	// the middle of the burst, however the goroutines are scheduled.
	link := func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		text, _ := opts.Files.ReadFile(root)
		if strings.Contains(string(text), "block") {
			starts.Add(1)
			first.Do(func() { close(entered) })
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
		return linker.Link(ctx, root, opts)
	}
	e := start(t, Options{Link: link}, editorCaps{}, dir)
	e.waitIndexed()
	e.open(a, "{ manifest_version: \"0.1.0\", \"block\": 1 }")
	<-entered
	e.mu.Lock()
	before := e.publications
	e.mu.Unlock()
	for range burst {
		end := len(e.docs[uri.File(a)].text) - 2
		e.change(a, protocol.PositionEncodingKindUTF16, edit{end, end, " "})
	}
	// A request is answered after every notification before it was applied:
	// once it returns, the server holds the whole burst.
	var hover json.RawMessage
	if err := e.call("textDocument/hover", protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(a)}, Position: protocol.Position{Line: 0, Character: 3}}}, &hover); err != nil {
		t.Fatal(err)
	}
	close(release)
	if got := e.waitVersion(a); len(got) != 1 {
		t.Fatalf("diagnostics = %v", got)
	}
	e.mu.Lock()
	n := e.publications - before
	versions := e.versions[uri.File(a)]
	e.mu.Unlock()
	if n != 1 || len(versions) != 1 || versions[0] != burst+1 {
		t.Errorf("%d publications of versions %v: want one, of the final version %d", n, versions, burst+1)
	}
	t.Logf("%d changes: %d analyses started (all but the last cancelled), %d publication", burst, starts.Load(), n)
}

// blockingLink returns a LinkFunc whose links wait until release is called
// (or their analysis is cancelled), and a channel that receives when a link
// starts. The test's cleanup releases them.
func blockingLink(t *testing.T) (analysis.LinkFunc, <-chan struct{}, func()) {
	started := make(chan struct{}, 1)
	unblock := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(unblock) }) }
	t.Cleanup(release)
	link := func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		select {
		case started <- struct{}{}:
		default:
		}
		select {
		case <-unblock:
		case <-ctx.Done():
		}
		return linker.Link(ctx, root, opts)
	}
	return link, started, release
}

// TestSetTrace: `$/setTrace` turns `$/logTrace` of each analysis on and off.
func TestSetTrace(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json5")
	e := start(t, Options{}, editorCaps{}, dir)
	traces := func() int {
		e.mu.Lock()
		defer e.mu.Unlock()
		return len(e.traces)
	}
	e.open(a, clean)
	e.waitVersion(a)
	if n := traces(); n != 0 {
		t.Fatalf("%d traces before tracing was turned on", n)
	}
	e.notify(protocol.MethodSetTrace, &protocol.SetTraceParams{Value: protocol.TraceValueMessages})
	end := len(e.docs[uri.File(a)].text) - 2
	e.change(a, protocol.PositionEncodingKindUTF16, edit{end, end, " "})
	e.waitFor("a trace", func() bool { return len(e.traces) > 0 })
	e.waitVersion(a)

	e.notify(protocol.MethodSetTrace, &protocol.SetTraceParams{Value: protocol.TraceValueOff})
	// A request after the notification is answered once it was applied.
	var hover json.RawMessage
	if err := e.call("textDocument/hover", protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(a)}}}, &hover); err != nil {
		t.Fatal(err)
	}
	before := traces()
	e.change(a, protocol.PositionEncodingKindUTF16, edit{end, end, " "})
	e.waitVersion(a)
	if n := traces(); n != before {
		t.Errorf("%d traces after tracing was turned off", n-before)
	}
}

// TestOversizedFrameIsSkippedExactly sends a frame that declares more than
// the frame limit and then a request. The oversized body, which holds what
// looks like frames, is skipped whole without being buffered, and the
// request after it is answered.
func TestOversizedFrameIsSkippedExactly(t *testing.T) {
	c := startRaw(t, Options{})
	// The body starts with a complete request that must not be answered,
	// and ends without a newline, so that a resync to the next line would
	// eat the header of the frame after it.
	const size = maxFrame + 1
	embedded := frame(`{"jsonrpc":"2.0","id":99,"method":"initialize","params":{"capabilities":{}}}`) + "\n"
	chunk := []byte(strings.Repeat("x", 1<<20))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	c.write(fmt.Sprintf("Content-Length: %d\r\n\r\n", size) + embedded)
	for left := size - len(embedded); left > 0; left -= len(chunk) {
		if _, err := c.conn.Write(chunk[:min(left, len(chunk))]); err != nil {
			t.Fatal(err)
		}
	}
	c.write(frame(initializeBody))
	r := c.response(jsonrpc2.NewNumberID(1))
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if r.Err() != nil {
		t.Fatalf("initialize after the oversized frame: %v", r.Err())
	}
	select {
	case m := <-c.msgs:
		if r, ok := m.(*jsonrpc2.Response); ok && r.ID() == jsonrpc2.NewNumberID(99) {
			t.Fatal("a request inside the skipped body was answered")
		}
	case <-time.After(100 * time.Millisecond):
	}
	// Skipping must not buffer the frame: what the whole process allocated
	// meanwhile (a server starting, one initialize) stays far below its size.
	if grown := after.TotalAlloc - before.TotalAlloc; grown > maxFrame/8 {
		t.Errorf("skipping a %d-byte frame allocated %d bytes", size, grown)
	}
	t.Logf("skipped %d bytes in %v, %d bytes allocated in all", size, elapsed, after.TotalAlloc-before.TotalAlloc)
}
