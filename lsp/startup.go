package lsp

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// startupMethods is the method table of a server that cannot start: it
// refuses initialize with the reason, and exits.
var startupMethods = newMethodTable(
	request(protocol.MethodInitialize, (*server).refuseInitialize).acceptedIn(beforeInitialize),
	notification(protocol.MethodExit, (*server).exit).acceptedIn(inAnyPhase),
)

// startupGrace is how long a server that refused initialize waits for the
// client to close the connection or send exit.
var startupGrace = 5 * time.Second

// ServeStartupError tells a client that launched the server why it cannot
// start (problem: a bad command line, say), where the user sees it: the
// initialize request is answered with a window/showMessage and an error
// that asks the client not to retry. It returns when the client sends exit
// or closes the connection, or soon after initialize was answered. The
// caller reports problem on stderr too.
func ServeStartupError(ctx context.Context, rwc io.ReadWriteCloser, problem error, opts Options) {
	serve(ctx, rwc, opts, startupMethods, problem)
}

// refuseInitialize answers initialize with the problem that keeps the
// server from starting; the LSP allows window/showMessage during
// initialize.
func (s *server) refuseInitialize(context.Context, *noParams) (any, error) {
	msg := "amber-lsp cannot start: " + s.problem.Error()
	s.showf(protocol.MessageTypeError, "%s", msg)
	time.AfterFunc(startupGrace, func() { s.exit(nil) })
	data, _ := json.Marshal(map[string]bool{"retry": false})
	return nil, &jsonrpc2.Error{Code: codeRequestFailed, Message: msg, Data: data}
}
