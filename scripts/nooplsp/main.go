// Command nooplsp is a language server that does nothing: it answers
// initialize with incremental sync and pulled diagnostics, every
// textDocument/diagnostic at once with no diagnostics, every other request
// with null, and ignores notifications. scripts/bench.sh runs lspbench
// against it to measure the floor of a keystroke's round trip through
// lspbench on the machine at hand: what the harness, the pipes and two
// processes waking up cost, with no analysis at all.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

func main() {
	r := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriter(os.Stdout)
	for {
		body, err := readFrame(r)
		if err != nil {
			return
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if json.Unmarshal(body, &m) != nil {
			continue
		}
		if m.Method == "exit" {
			return
		}
		if m.ID == nil {
			continue // a notification
		}
		result := "null"
		switch m.Method {
		case "initialize":
			result = `{"capabilities":{"textDocumentSync":2,"diagnosticProvider":{"interFileDependencies":false,"workspaceDiagnostics":false}}}`
		case "textDocument/diagnostic":
			result = `{"kind":"full","items":[]}`
		}
		out := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":%s}`, m.ID, result)
		fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(out), out)
		if w.Flush() != nil {
			return
		}
	}
}

// readFrame reads one message: its headers, then Content-Length bytes.
func readFrame(r *bufio.Reader) ([]byte, error) {
	n := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			if n, err = strconv.Atoi(v); err != nil {
				return nil, fmt.Errorf("bad Content-Length %q", v)
			}
		}
	}
	if n < 0 {
		return nil, fmt.Errorf("a message without Content-Length")
	}
	body := make([]byte, n)
	_, err := io.ReadFull(r, body)
	return body, err
}
