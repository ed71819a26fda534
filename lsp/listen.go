package lsp

import (
	"context"
	"fmt"
	"net"
)

// CheckLoopback accepts HOST:PORT addresses on the loopback interface only:
// the server trusts its client with the files of the workspace.
func CheckLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return fmt.Errorf("--listen wants HOST:PORT, such as 127.0.0.1:4389 (got %q)", addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen accepts only a loopback address such as 127.0.0.1:%s (got %q)", port, addr)
	}
	return nil
}

// ServeTCP listens on a loopback address, serves the first client that
// connects (for debugging a server started by hand) and returns Serve's exit
// status. listening, when set, is told the address once it is bound.
func ServeTCP(ctx context.Context, addr string, opts Options, listening func(net.Addr)) (int, error) {
	if err := CheckLoopback(addr); err != nil {
		return 2, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return 2, err
	}
	if listening != nil {
		listening(ln.Addr())
	}
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	conn, err := ln.Accept()
	stop()
	ln.Close()
	if err != nil {
		return 2, err
	}
	return Serve(ctx, conn, opts), nil
}
