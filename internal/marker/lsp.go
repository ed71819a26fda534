package marker

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/lspframe"
	"github.com/amberlsp/amber-lsp/lsp"
	"github.com/amberlsp/amber-lsp/source"
)

// timeout bounds every exchange with the server.
const timeout = 10 * time.Second

// lspBackend answers markers by requests to a server (lsp.Serve) running
// in the test process, over pipes. It speaks JSON-RPC itself and decodes
// the answers it needs into small structs of its own.
type lspBackend struct {
	dir    string
	c      *testCase
	cl     *client
	legend struct{ types, mods []string } // of semantic tokens
}

// Wire shapes of the LSP, the fields the markers read.
type (
	lspPosition struct {
		Line      int `json:"line"`
		Character int `json:"character"`
	}
	lspRange struct {
		Start lspPosition `json:"start"`
		End   lspPosition `json:"end"`
	}
	lspLocation struct {
		URI   string   `json:"uri"`
		Range lspRange `json:"range"`
	}
	lspTextEdit struct {
		Range   lspRange `json:"range"`
		NewText string   `json:"newText"`
	}
	lspDocument struct {
		URI string `json:"uri"`
	}
	lspDocumentPosition struct {
		TextDocument lspDocument `json:"textDocument"`
		Position     lspPosition `json:"position"`
	}
)

// startLSP starts a server, initializes it with the case folder and
// settings, opens the case's documents and waits until the diagnostics of
// the resulting snapshot are published.
func startLSP(t *testing.T, c *testCase, dir string) (backend, error) {
	b := &lspBackend{dir: dir, c: c, cl: startServer(t)}
	init := map[string]any{
		"processId": nil,
		"capabilities": map[string]any{
			"general": map[string]any{"positionEncodings": []string{"utf-16"}},
			"textDocument": map[string]any{
				"publishDiagnostics": map[string]any{"relatedInformation": true, "versionSupport": true},
				"documentSymbol":     map[string]any{"hierarchicalDocumentSymbolSupport": true},
			},
			"workspace": map[string]any{"workspaceEdit": map[string]any{"documentChanges": true, "resourceOperations": []string{"create"}}},
		},
		"workspaceFolders": []map[string]string{{"uri": fileURI(dir), "name": filepath.Base(dir)}},
	}
	if c.settings.raw != nil {
		init["initializationOptions"] = c.settings.raw
	}
	var res struct {
		Capabilities struct {
			PositionEncoding       string `json:"positionEncoding"`
			SemanticTokensProvider struct {
				Legend struct {
					TokenTypes     []string `json:"tokenTypes"`
					TokenModifiers []string `json:"tokenModifiers"`
				} `json:"legend"`
			} `json:"semanticTokensProvider"`
		} `json:"capabilities"`
	}
	if err := b.cl.call("initialize", init, &res); err != nil {
		return nil, err
	}
	if enc := res.Capabilities.PositionEncoding; enc != "utf-16" {
		return nil, fmt.Errorf("initialize: position encoding %q, want utf-16", enc)
	}
	legend := res.Capabilities.SemanticTokensProvider.Legend
	b.legend.types, b.legend.mods = legend.TokenTypes, legend.TokenModifiers
	if err := b.cl.notify("initialized", struct{}{}); err != nil {
		return nil, err
	}
	// Open once the folder is indexed: before that, the server publishes
	// the documents opened first as if each were a root of its own, which
	// a case's expectations are not.
	if err := b.cl.waitLogged("indexed"); err != nil {
		return nil, err
	}
	// Open in name order and wait for the last one: the server publishes
	// closed files first, then open documents in path order, so the first
	// publication of the last document opened ends the publication of the
	// snapshot that has them all.
	var open []*file
	for _, f := range c.files {
		if f.open {
			open = append(open, f)
		}
	}
	sort.Slice(open, func(i, j int) bool { return open[i].name < open[j].name })
	for _, f := range open {
		err := b.cl.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": b.uri(f.name), "languageId": languageID(f.name), "version": 1, "text": string(f.text),
		}})
		if err != nil {
			return nil, err
		}
	}
	if len(open) > 0 {
		if err := b.cl.waitPublished(b.uri(open[len(open)-1].name), 1); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// languageID is the language an editor opens a case file as.
func languageID(name string) string {
	if isManifest(name) {
		return "json5"
	}
	return "yaml"
}

// uri returns the URI of a case file.
func (b *lspBackend) uri(name string) string {
	return fileURI(filepath.Join(b.dir, filepath.FromSlash(name)))
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// name names the file of a URI.
func (b *lspBackend) name(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return uri
	}
	return relName(b.dir, filepath.FromSlash(u.Path))
}

// lines returns the line index of a case file (nil for another file).
func (b *lspBackend) lines(name string) *source.Lines {
	if f := b.c.fileNamed(name); f != nil {
		return f.lines
	}
	return nil
}

// position converts an offset of a case file.
func (b *lspBackend) position(name string, off int) lspPosition {
	l := b.lines(name)
	if l == nil {
		return lspPosition{}
	}
	p := l.Position(off, source.UTF16)
	return lspPosition{Line: p.Line, Character: p.Column}
}

// offset converts a position in a case file (0 for another file).
func (b *lspBackend) offset(name string, p lspPosition) int {
	l := b.lines(name)
	if l == nil {
		return 0
	}
	return l.Offset(source.Position{Line: p.Line, Column: p.Character}, source.UTF16)
}

// span converts a range of a file.
func (b *lspBackend) span(name string, r lspRange) span {
	return span{file: name, start: b.offset(name, r.Start), end: b.offset(name, r.End)}
}

// docPosition is the parameters of a request at an offset of a file.
func (b *lspBackend) docPosition(file string, off int) lspDocumentPosition {
	return lspDocumentPosition{TextDocument: lspDocument{URI: b.uri(file)}, Position: b.position(file, off)}
}

// client is a minimal LSP client: requests, notifications, answers to the
// server's own requests (null), and a record of what it publishes.
type client struct {
	t    *testing.T
	w    io.Writer
	wmu  sync.Mutex // serializes writes
	exit chan int   // the server's exit status

	mu        sync.Mutex
	nextID    int
	pending   map[int]chan *message
	published map[string]publication // by URI
	changed   chan struct{}          // closed and replaced on every publication
	logs      []string
	readErr   error
	done      chan struct{} // closed when reading ends
}

// publication is the last publishDiagnostics of a file.
type publication struct {
	version     *int
	diagnostics json.RawMessage
}

// message is any JSON-RPC message.
type message struct {
	JSONRPC string           `json:"jsonrpc"`
	ID      *json.RawMessage `json:"id,omitempty"`
	Method  string           `json:"method,omitempty"`
	Params  any              `json:"params,omitempty"`
	Result  json.RawMessage  `json:"result,omitempty"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// pipe is one end of a connection made of two OS pipes.
type pipe struct{ r, w *os.File }

func (p pipe) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p pipe) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p pipe) Close() error {
	p.r.Close()
	return p.w.Close()
}

// startServer runs lsp.Serve on pipes and connects a client. When the test
// ends the client shuts the server down and checks that it exits with 0.
func startServer(t *testing.T) *client {
	c2sR, c2sW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	s2cR, s2cW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	srv, cli := pipe{r: c2sR, w: s2cW}, pipe{r: s2cR, w: c2sW}
	c := &client{
		t: t, w: cli, exit: make(chan int, 1),
		pending: map[int]chan *message{}, published: map[string]publication{},
		changed: make(chan struct{}), done: make(chan struct{}),
	}
	go func() {
		code := lsp.Serve(context.Background(), srv, lsp.Options{CallTimeout: timeout})
		srv.Close()
		c.exit <- code
	}()
	go c.read(bufio.NewReader(cli))
	t.Cleanup(func() {
		defer cli.Close()
		if err := c.call("shutdown", nil, nil); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := c.notify("exit", nil); err != nil {
			t.Errorf("exit: %v", err)
		}
		select {
		case code := <-c.exit:
			if code != 0 {
				t.Errorf("the server exited with %d after shutdown and exit", code)
			}
		case <-time.After(timeout):
			t.Error("the server did not exit")
		}
		if t.Failed() {
			c.mu.Lock()
			t.Logf("server log:\n%s", strings.Join(c.logs, "\n"))
			c.mu.Unlock()
		}
	})
	return c
}

// write sends one message.
func (c *client) write(m *message) error {
	m.JSONRPC = "2.0"
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err = fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return err
}

// call makes a request and decodes its result into result (unless nil).
func (c *client) call(method string, params, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan *message, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	raw := json.RawMessage(strconv.Itoa(id))
	if err := c.write(&message{ID: &raw, Method: method, Params: params}); err != nil {
		return fmt.Errorf("%s: %v", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: error %d: %s", method, m.Error.Code, m.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("%s: cannot decode %s: %v", method, m.Result, err)
			}
		}
		return nil
	case <-c.done:
		return fmt.Errorf("%s: connection closed: %v", method, c.readErr)
	case <-time.After(timeout):
		return fmt.Errorf("%s: no answer in %v", method, timeout)
	}
}

// notify sends a notification.
func (c *client) notify(method string, params any) error {
	if err := c.write(&message{Method: method, Params: params}); err != nil {
		return fmt.Errorf("%s: %v", method, err)
	}
	return nil
}

// read reads messages until the connection ends.
func (c *client) read(r *bufio.Reader) {
	defer close(c.done)
	for {
		body, err := lspframe.Read(r)
		if err != nil {
			c.readErr = err
			return
		}
		var m struct {
			message
			Params json.RawMessage `json:"params"`
		}
		if err := json.Unmarshal(body, &m); err != nil {
			c.readErr = fmt.Errorf("bad message %q: %v", body, err)
			return
		}
		switch {
		case m.Method == "" && m.ID != nil: // a response
			id, _ := strconv.Atoi(string(*m.ID))
			c.mu.Lock()
			ch := c.pending[id]
			delete(c.pending, id)
			c.mu.Unlock()
			if ch != nil {
				ch <- &m.message
			}
		case m.ID != nil: // a request of the server: answered null
			go c.write(&message{ID: m.ID, Result: json.RawMessage("null")})
		default:
			c.notification(m.Method, m.Params)
		}
	}
}

// notification records a notification of the server.
func (c *client) notification(method string, params json.RawMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch method {
	case "textDocument/publishDiagnostics":
		var p struct {
			URI         string          `json:"uri"`
			Version     *int            `json:"version"`
			Diagnostics json.RawMessage `json:"diagnostics"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			c.logs = append(c.logs, fmt.Sprintf("bad publishDiagnostics %s: %v", params, err))
			return
		}
		c.published[p.URI] = publication{version: p.Version, diagnostics: p.Diagnostics}
		close(c.changed)
		c.changed = make(chan struct{})
	case "window/logMessage":
		var p struct {
			Message string `json:"message"`
		}
		json.Unmarshal(params, &p)
		c.logs = append(c.logs, p.Message)
		close(c.changed)
		c.changed = make(chan struct{})
	}
}

// waitLogged waits for a window/logMessage that starts with prefix.
func (c *client) waitLogged(prefix string) error {
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		found := slices.ContainsFunc(c.logs, func(l string) bool { return strings.HasPrefix(l, prefix) })
		ch := c.changed
		c.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-ch:
		case <-c.done:
			return fmt.Errorf("connection closed while waiting for the log %q: %v", prefix, c.readErr)
		case <-deadline:
			return fmt.Errorf("no log %q in %v", prefix, timeout)
		}
	}
}

// waitPublished waits for a publication of uri with version.
func (c *client) waitPublished(uri string, version int) error {
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		p, ok := c.published[uri]
		ch := c.changed
		c.mu.Unlock()
		if ok && p.version != nil && *p.version == version {
			return nil
		}
		select {
		case <-ch:
		case <-c.done:
			return fmt.Errorf("connection closed while waiting for the diagnostics of %s: %v", uri, c.readErr)
		case <-deadline:
			return fmt.Errorf("no diagnostics published for version %d of %s in %v", version, uri, timeout)
		}
	}
}

// publishedDiagnostics returns the diagnostics last published for each
// URI, leaving out empty lists.
func (c *client) publishedDiagnostics() map[string]json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]json.RawMessage{}
	for uri, p := range c.published {
		if s := strings.TrimSpace(string(p.diagnostics)); s != "[]" && s != "null" && s != "" {
			out[uri] = p.diagnostics
		}
	}
	return out
}
