// Package lspframe reads the messages of the LSP base protocol
// (Content-Length framing) for the programs that talk to a language server
// without the lsp package: the marker tests' client and scripts/nooplsp.
package lspframe

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Read reads one Content-Length framed message and returns its body.
func Read(r *bufio.Reader) ([]byte, error) {
	n := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			if n, err = strconv.Atoi(v); err != nil {
				return nil, fmt.Errorf("bad header %q", line)
			}
		}
	}
	if n < 0 {
		return nil, fmt.Errorf("message without Content-Length")
	}
	body := make([]byte, n)
	_, err := io.ReadFull(r, body)
	return body, err
}
