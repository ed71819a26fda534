package lsp

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// The server's commands (workspace/executeCommand): each is one entry of
// the commands table, a handler that reads the snapshot taken when the
// request arrived and decodes its own arguments.

// command handles one workspace/executeCommand command.
type command func(s *server, ctx context.Context, snap *snapshot, args []protocol.LSPAny) (any, error)

// commands are the commands the server runs, by name.
var commands = map[string]command{
	"amber.graph": (*server).graphCommand, // graph.go
}

// executeCommandCapability advertises the commands.
func executeCommandCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.ExecuteCommandProvider = protocol.ExecuteCommandOptions{Commands: slices.Sorted(maps.Keys(commands))}
}

// executeCommand answers workspace/executeCommand.
func (s *server) executeCommand(ctx context.Context, snap *snapshot, p *protocol.ExecuteCommandParams) (any, error) {
	c, ok := commands[p.Command]
	if !ok {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "unknown command %q; the server runs %v", p.Command, slices.Sorted(maps.Keys(commands)))
	}
	return c(s, ctx, snap, p.Arguments)
}

// documentArg decodes argument i, a document URI, to a local path.
func documentArg(name string, args []protocol.LSPAny, i int) (string, error) {
	if i >= len(args) {
		return "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s needs a document URI as argument %d", name, i+1)
	}
	var u string
	if err := json.Unmarshal(args[i], &u); err != nil {
		return "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %d must be a document URI string, got %.100s", name, i+1, args[i])
	}
	return documentPath(uri.URI(u))
}
