package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/graph"
	"github.com/amberlsp/amber-lsp/overlay"
)

// GraphOptions adjust Snapshot.Graph.
type GraphOptions struct {
	Format graph.Format // DOT, Mermaid or JSON
	// ApplyOverlays runs the overlay helpers, with Overlays, and draws the
	// scenario they rewrote, its interposers marked. Helpers never run
	// without it.
	ApplyOverlays bool
	Overlays      OverlayOptions // how the helpers run; unused without ApplyOverlays
	// Limits bound what linking may do (fetching, instances).
	Limits Limits
}

// GraphResult is a drawing of a root's scenario (`amber-lsp graph`, the
// amber.graph command).
type GraphResult struct {
	Root string // absolute path of the root manifest
	// Text is the drawing; "" when there is no scenario to draw.
	Text string
	// Diagnostics are the errors that kept the scenario from being drawn:
	// the link's, or the overlay pass's.
	Diagnostics []diag.Diagnostic
	// Texts holds the manifests the link read, for rendering Diagnostics.
	Texts map[string][]byte
}

// Graph draws the scenario of the root manifest at the absolute path root
// on the snapshot's link of it: the linked scenario as written, or with
// ApplyOverlays the scenario the overlay pass rewrote (which starts from
// Amber's optimised scenario, as helpers see it). An error is returned only
// when ctx is cancelled before the link completes.
func (s *Snapshot) Graph(ctx context.Context, root string, opts GraphOptions) (*GraphResult, error) {
	l, err := s.Link(ctx, root)
	if err != nil {
		return nil, err
	}
	res := l.Result
	out := &GraphResult{Root: l.Root, Texts: res.Texts}
	if !res.Linked() || hasErrors(res.Diagnostics) {
		out.Diagnostics = errorsOf(res.Diagnostics)
		if len(out.Diagnostics) == 0 { // no error: a manifest was not fetched
			out.Diagnostics = codeOf(res.Diagnostics, codes.RemoteNotFetched)
		}
		return out, nil
	}
	sc := res.Scenario()
	var interposers []string
	if opts.ApplyOverlays {
		o := overlay.Apply(ctx, res, overlay.Options{Runtime: opts.Overlays.Runtime, Env: opts.Overlays.env()})
		if o.Scenario == nil || hasErrors(o.Diagnostics) {
			out.Diagnostics = errorsOf(o.Diagnostics)
			return out, ctx.Err()
		}
		sc = o.Scenario
		for _, r := range o.Runs {
			for _, ip := range r.Interposers {
				interposers = append(interposers, ip.Moniker)
			}
		}
	}
	out.Text = graph.New(sc, interposers).String(opts.Format)
	return out, nil
}

// codeOf returns the diagnostics of ds with the code.
func codeOf(ds []diag.Diagnostic, code diag.Code) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range ds {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

// errorsOf returns the errors of ds.
func errorsOf(ds []diag.Diagnostic) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range ds {
		if d.Severity == diag.Error {
			out = append(out, d)
		}
	}
	return out
}

// Graph draws the scenario of the root manifest at path, for `amber-lsp
// graph`: Snapshot.Graph on a workspace whose one root is path.
func Graph(ctx context.Context, path string, opts GraphOptions) (*GraphResult, error) {
	snap, root, err := oneRoot(path, opts.Limits)
	if err != nil {
		return nil, err
	}
	return snap.Graph(ctx, root, opts)
}

// oneRoot returns a snapshot of a workspace whose one root is the
// manifest at path, and the root's absolute path: what the commands that
// take one root (`--preview`, `graph`) read.
func oneRoot(path string, limits Limits) (*Snapshot, string, error) {
	root, err := filepath.Abs(path)
	if err != nil {
		return nil, "", err
	}
	if _, err := os.Stat(root); err != nil {
		return nil, "", fmt.Errorf("cannot read %s: %w", path, err)
	}
	return NewWorkspace(Options{}).SetConfig(Config{Roots: []string{root}, Limits: limits}), root, nil
}

// TreeRoot returns the root manifest whose tree holds the file at path:
// the first of the report's roots whose link read it (a file in several
// trees gets the first). It waits for the report, and returns "" for a
// file no tree holds.
func (s *Snapshot) TreeRoot(ctx context.Context, path string) (string, error) {
	rep, err := s.Diagnostics(ctx)
	if err != nil {
		return "", err
	}
	if roots := rep.RootsOf(cleanPath(path)); len(roots) > 0 {
		return roots[0], nil
	}
	return "", nil
}
