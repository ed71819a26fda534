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
	"os"

	"github.com/amberlsp/amber-lsp/internal/lspframe"
)

func main() {
	r := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriter(os.Stdout)
	for {
		body, err := lspframe.Read(r)
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
