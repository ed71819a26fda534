package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/overlay"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// OverlayOptions configure running overlay helpers (`--apply-overlays`,
// `--preview`). Helpers never run without them.
type OverlayOptions struct {
	// Runtime runs the helper programs; the caller closes it, which stops
	// every helper it started.
	Runtime *hrt.Runtime
	// Env looks AMBER_CONFIG_* variables up; nil uses the process
	// environment.
	Env func(string) (string, bool)
	// NoRemoteHelpers refuses helpers that depend on a manifest fetched
	// without a digest pin (overlay.Options.NoRemoteHelpers).
	NoRemoteHelpers bool
}

func (o OverlayOptions) env() func(string) (string, bool) {
	if o.Env != nil {
		return o.Env
	}
	return os.LookupEnv
}

// PreviewResult is what `--preview` shows: the overlay pass of one root,
// and every diagnostic of linking it and of running its overlays.
type PreviewResult struct {
	Root        string
	Outcome     *overlay.Outcome
	Diagnostics []diag.Diagnostic
	Texts       map[string][]byte
}

// Preview links the root manifest at path and runs its overlay helpers
// (overlays.md §7-§13). The link's diagnostics come first; when the link
// failed, the helpers do not run. deny applies -D to all of them. Secret
// values are masked in the diagnostics and in the texts they quote.
func Preview(ctx context.Context, path string, deny []string, opts OverlayOptions) (*PreviewResult, error) {
	root, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	res := linker.Link(ctx, root, linker.Options{Cache: linkCache, Fetcher: remote})
	out := overlay.Apply(ctx, res, overlay.Options{Runtime: opts.Runtime, Env: opts.env(), NoRemoteHelpers: opts.NoRemoteHelpers})
	p := &PreviewResult{Root: root, Outcome: out, Texts: out.MaskSources(res.Texts)}
	p.Diagnostics = append(append(p.Diagnostics, res.Diagnostics...), out.Diagnostics...)
	out.MaskDiagnostics(p.Diagnostics)
	diag.Deny(p.Diagnostics, deny)
	return p, nil
}

// applyOverlays runs the overlays of every root of a check and adds their
// diagnostics to the result (`--check --apply-overlays`).
func applyOverlays(ctx context.Context, res *CheckResult, roots []string, deny []string, opts OverlayOptions) {
	byFile := make(map[string][]diag.Diagnostic, len(res.ByFile))
	for f, ds := range res.ByFile {
		byFile[f] = ds
	}
	res.ByFile = byFile // the report's map is shared with its snapshot
	for _, root := range roots {
		lr := linker.Link(ctx, root, linker.Options{Cache: linkCache, Fetcher: remote})
		if lr.Overlays == nil || len(lr.Overlays.Scopes) == 0 || hasErrors(lr.Diagnostics) {
			continue // nothing to run, or the check already reports why not
		}
		out := overlay.Apply(ctx, lr, overlay.Options{Runtime: opts.Runtime, Env: opts.env(), NoRemoteHelpers: opts.NoRemoteHelpers})
		res.Texts = out.MaskSources(res.Texts) // the lines diagnostics quote show no secret
		ds := append([]diag.Diagnostic(nil), out.Diagnostics...)
		diag.Deny(ds, deny)
		for _, d := range ds {
			f := d.File()
			res.ByFile[f] = append(res.ByFile[f], d)
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
}

func hasErrors(ds []diag.Diagnostic) bool {
	e, _ := diag.Count(ds)
	return e > 0
}
