package analysis

import (
	"context"
	"os"

	"github.com/amberlsp/amber-lsp/diag"
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
// (overlays.md §7-§13), for `--preview`: it is Snapshot.Preview on a
// workspace whose one root is path.
func Preview(ctx context.Context, path string, deny []string, opts OverlayOptions) (*PreviewResult, error) {
	snap, root, err := oneRoot(path)
	if err != nil {
		return nil, err
	}
	return snap.Preview(ctx, root, deny, opts)
}

// Preview runs the overlay helpers of the root manifest at the absolute
// path root on the snapshot's link of it (Snapshot.Link: no second link
// when the report already linked it). The link's diagnostics come first;
// when the link failed, the helpers do not run. deny applies -D to all of
// them. An error is returned only when ctx is cancelled before the link
// completes.
func (s *Snapshot) Preview(ctx context.Context, root string, deny []string, opts OverlayOptions) (*PreviewResult, error) {
	l, err := s.Link(ctx, root)
	if err != nil {
		return nil, err
	}
	res := l.Result
	out := overlay.Apply(ctx, res, overlay.Options{Runtime: opts.Runtime, Env: opts.env()})
	p := &PreviewResult{Root: l.Root, Outcome: out, Texts: res.Texts}
	p.Diagnostics = append(append(p.Diagnostics, res.Diagnostics...), out.Diagnostics...)
	diag.Deny(p.Diagnostics, deny)
	return p, nil
}

// applyOverlays runs the overlays of every root of a check on the
// snapshot's links and adds their diagnostics to the result
// (`--check --apply-overlays`).
func applyOverlays(ctx context.Context, snap *Snapshot, res *CheckResult, roots []string, deny []string, opts OverlayOptions) {
	byFile := make(map[string][]diag.Diagnostic, len(res.ByFile))
	for f, ds := range res.ByFile {
		byFile[f] = ds
	}
	res.ByFile = byFile // the report's map is shared with its snapshot
	for _, root := range roots {
		l, err := snap.Link(ctx, root)
		if err != nil {
			return // interrupted
		}
		lr := l.Result
		if lr.Overlays == nil || len(lr.Overlays.Scopes) == 0 || hasErrors(lr.Diagnostics) {
			continue // nothing to run, or the check already reports why not
		}
		out := overlay.Apply(ctx, lr, overlay.Options{Runtime: opts.Runtime, Env: opts.env()})
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
