package lsp

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// commands are the commands workspace/executeCommand runs, by name; the
// server advertises exactly these. Adding a command is one line here and
// its handler in the file of its feature.
var commands = map[string]command{
	"amber.graph": (*server).graphCommand, // graph.go
}

// command runs one command with its arguments, each raw JSON.
type command func(s *server, ctx context.Context, snap *snapshot, args []json.RawMessage) (any, error)

// executeCommandCapability: the commands of the table.
func executeCommandCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.ExecuteCommandProvider = protocol.ExecuteCommandOptions{Commands: slices.Sorted(maps.Keys(commands))}
}

// executeCommand answers workspace/executeCommand with the command's
// result; an unknown command is InvalidParams.
func (s *server) executeCommand(ctx context.Context, snap *snapshot, p *protocol.ExecuteCommandParams) (any, error) {
	run, ok := commands[p.Command]
	if !ok {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "unknown command %q (the server runs %v)", p.Command, slices.Sorted(maps.Keys(commands)))
	}
	args := make([]json.RawMessage, len(p.Arguments))
	for i, a := range p.Arguments {
		args[i] = json.RawMessage(a)
	}
	return run(s, ctx, snap, args)
}

// commandArg decodes argument i of a command into v; a missing argument
// leaves v as it is when optional, and is InvalidParams otherwise.
func commandArg(name string, args []json.RawMessage, i int, v any, optional bool) error {
	if i >= len(args) || string(args[i]) == "null" {
		if optional {
			return nil
		}
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %d is missing", name, i+1)
	}
	if err := json.Unmarshal(args[i], v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %d: %v", name, i+1, err)
	}
	return nil
}
