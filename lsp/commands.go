package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
)

// The server's commands (workspace/executeCommand): each is one entry of
// the commands table, a handler that reads the snapshot taken when the
// request arrived and decodes its own arguments.

// command handles one workspace/executeCommand command.
type command func(s *server, ctx context.Context, snap *snapshot, args []protocol.LSPAny) (any, error)

// commands are the commands the server runs, by name.
var commands = map[string]command{
	"amber.graph":           (*server).graphCommand, // graph.go
	analysis.PreviewCommand: (*server).previewCommand,
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

// previewCommand runs amber.overlays.preview: the overlay preview of the
// scenario the document belongs to (the first root whose tree reads it
// and has overlays; the document itself when no root reads it), answered with exactly the object `amber-lsp --preview
// --format json ROOT` prints. Helpers run only when the user turned
// previews on; the result is kept like a save's (lenses, diagnostics).
func (s *server) previewCommand(ctx context.Context, snap *snapshot, args []protocol.LSPAny) (any, error) {
	const name = analysis.PreviewCommand
	path, err := documentArg(name, args, 0)
	if err != nil {
		return nil, err
	}
	if !s.previews.enabled() {
		return nil, jsonrpc2.Errorf(codeRequestFailed, "overlay previews are off: they run the helper programs the manifests name, so turn on amber.overlays.preview only in a workspace you trust")
	}
	rep, err := snap.Diagnostics(ctx)
	if err != nil {
		return nil, err
	}
	roots := rep.RootsOf(path)
	if len(roots) == 0 {
		if _, err := snap.ReadFile(path); err != nil {
			return nil, jsonrpc2.Errorf(codeRequestFailed, "cannot read %s: %v", path, err)
		}
		roots = []string{path} // not indexed (yet): the file is the root, as for --preview
	}
	root := roots[0]
	for _, r := range roots {
		if hasOverlays(snap.Snapshot, r) {
			root = r
			break
		}
	}
	rt := s.previews.runtime()
	if rt == nil {
		return nil, jsonrpc2.Errorf(codeRequestFailed, "overlay previews were turned off")
	}
	opts := analysis.OverlayOptions{Runtime: rt, WorkDir: folderOf(snap.Folders(), root)}
	deny := snap.Config().Deny
	res, err := snap.RunOverlays(ctx, root, deny, opts)
	if err != nil {
		return nil, err
	}
	if res != nil && res.Outcome != nil {
		if s.previews.keep(ctx, res) {
			s.sched.schedule()
			s.previews.refreshClient()
		}
	} else if res, err = snap.Preview(ctx, root, deny, opts); err != nil {
		return nil, err // the overlays did not run: as --preview says
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		return nil, err
	}
	return jsonrpc2.RawMessage(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}
