package lsp

import (
	"context"
	"encoding/json"
	"path/filepath"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/linker/graph"
)

// graphOptions is the second argument of amber.graph.
type graphOptions struct {
	Format        string `json:"format"`
	ApplyOverlays bool   `json:"applyOverlays"`
}

// graphCommand runs amber.graph [documentUri, { format, applyOverlays }]:
// the text `amber-lsp graph` prints for the root of the tree that holds
// the document (the first root when several trees hold it). Overlays run
// only when the amber.overlays.preview setting is on.
func (s *server) graphCommand(ctx context.Context, snap *snapshot, args []protocol.LSPAny) (any, error) {
	const name = "amber.graph"
	path, err := documentArg(name, args, 0)
	if err != nil {
		return nil, err
	}
	opts := graphOptions{Format: string(graph.DOT)}
	if len(args) > 1 && string(args[1]) != "null" {
		if err := json.Unmarshal(args[1], &opts); err != nil {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument 2 must be { format, applyOverlays }, got %.100s", name, args[1])
		}
	}
	format, err := graph.ParseFormat(opts.Format)
	if err != nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: %v", name, err)
	}
	if opts.ApplyOverlays && !s.previews.enabled() {
		return nil, jsonrpc2.Errorf(codeRequestFailed, "%s: applyOverlays runs the overlay helpers, which amber-lsp does in the editor only when the setting amber.overlays.preview is true", name)
	}
	root, err := snap.TreeRoot(ctx, path)
	if err != nil {
		return nil, err
	}
	if root == "" {
		return nil, jsonrpc2.Errorf(codeRequestFailed, "%s: %s is in no manifest tree amber-lsp checks", name, filepath.Base(path))
	}
	gopts := analysis.GraphOptions{Format: format, ApplyOverlays: opts.ApplyOverlays}
	if opts.ApplyOverlays {
		// The helpers run in the server's preview runtime, warm from the
		// last save and stopped with it.
		rt := s.previews.runtime()
		if rt == nil {
			return nil, jsonrpc2.Errorf(codeRequestFailed, "%s: overlay previews were turned off", name)
		}
		gopts.Overlays = analysis.OverlayOptions{Runtime: rt, WorkDir: folderOf(snap.Folders(), root)}
	}
	res, err := snap.Graph(ctx, root, gopts)
	if err != nil {
		return nil, err
	}
	if res.Text == "" {
		msg := "no error was reported"
		if len(res.Diagnostics) > 0 {
			msg = res.Diagnostics[0].Message
		}
		return nil, jsonrpc2.Errorf(codeRequestFailed, "%s: the scenario of %s cannot be drawn: %d error(s), the first: %s", name, filepath.Base(root), len(res.Diagnostics), msg)
	}
	return res.Text, nil
}
