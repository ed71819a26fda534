//go:build unix

package main

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExitWithStdinOpen: after `exit`, the server process ends at once even
// though the editor keeps its end of stdin open, as Neovim does.
func TestExitWithStdinOpen(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "amber-lsp")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "--stdio")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	send := func(msg string) {
		fmt.Fprintf(stdin, "Content-Length: %d\r\n\r\n%s", len(msg), msg)
	}
	r := bufio.NewReader(stdout)
	readResponse := func(id string) {
		for {
			n := 0
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					t.Fatalf("reading the server: %v", err)
				}
				if line == "\r\n" {
					break
				}
				fmt.Sscanf(line, "Content-Length: %d", &n)
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(r, body); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(body), `"id":`+id) {
				return
			}
		}
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)
	readResponse("1")
	send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	send(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
	readResponse("2")
	begin := time.Now()
	send(`{"jsonrpc":"2.0","method":"exit"}`)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit status: %v, want 0", err)
		}
		if d := time.Since(begin); d > 500*time.Millisecond {
			t.Errorf("the server took %v to end after exit", d)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the server did not end after exit")
	}
}
