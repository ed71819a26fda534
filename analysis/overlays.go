package analysis

import (
	"context"
	"io"
	"os"
	"slices"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/render"
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
	// Done, when set, is called as each overlay has its answer or its
	// failure (overlay.Options.Done).
	Done func(*overlay.Run)
	// WorkDir is the working directory (and HOME) of the helper programs;
	// empty means a fresh temporary directory for each start.
	WorkDir string
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
// and every diagnostic of linking it and of running its overlays. The
// server keeps the last one of each root (Workspace.SetPreview).
type PreviewResult struct {
	Root    string           // absolute path of the root manifest
	Outcome *overlay.Outcome // nil when the overlays were not run (NotRun)
	// Diagnostics are the link's, then the pass's, with -D applied: what
	// `--preview` prints.
	Diagnostics []diag.Diagnostic
	// Pass holds the pass's own diagnostics, before -D: what `--check
	// --apply-overlays` adds to the check.
	Pass []diag.Diagnostic
	// Texts holds the text of every manifest the link read, by the name
	// its diagnostics use.
	Texts map[string][]byte
	// NotRun says why the overlays were not run ("" when they were).
	NotRun string
	// Took is how long the pass took, the helpers' starts and answers
	// included.
	Took time.Duration

	link *RootLink // the link the pass ran on
}

// WriteJSON writes the preview as `--preview --format json` prints it
// (cli-json.md): one compact JSON object and a newline.
func (p *PreviewResult) WriteJSON(w io.Writer) error {
	files := render.NewFiles()
	for name, text := range p.Texts {
		files.Add(name, text)
	}
	out := p.Outcome
	if out == nil {
		out = &overlay.Outcome{}
	}
	return out.WriteJSON(w, p.Diagnostics, files)
}

// Preview links the root manifest at path and runs its overlay helpers
// (overlays.md §7-§13), for `--preview`: it is Snapshot.Preview on a
// workspace whose one root is path, linked within limits. Secret values are
// masked in the diagnostics and in the texts they quote.
func Preview(ctx context.Context, path string, deny []string, limits Limits, opts OverlayOptions) (*PreviewResult, error) {
	snap, root, err := oneRoot(path, limits)
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
	return runPass(ctx, l, deny, opts), nil
}

// RunOverlays runs the overlay helpers of the root manifest at the
// absolute path root as `--check --apply-overlays` does: on the snapshot's
// link, and not when the link has errors (the result says so in NotRun,
// and has no Outcome). It returns nil when the tree has no overlays, and
// an error only when ctx is cancelled before the link completes.
func (s *Snapshot) RunOverlays(ctx context.Context, root string, deny []string, opts OverlayOptions) (*PreviewResult, error) {
	l, err := s.Link(ctx, root)
	if err != nil {
		return nil, err
	}
	lr := l.Result
	if lr.Overlays == nil || len(lr.Overlays.Scopes) == 0 {
		return nil, nil
	}
	if hasErrors(lr.Diagnostics) {
		p := &PreviewResult{Root: l.Root, Texts: lr.Texts, link: l,
			NotRun: "the scenario has errors; fix them and save again"}
		p.Diagnostics = append(p.Diagnostics, lr.Diagnostics...)
		diag.Deny(p.Diagnostics, deny)
		return p, nil
	}
	return runPass(ctx, l, deny, opts), nil
}

// runPass runs the overlay pass on a link.
func runPass(ctx context.Context, l *RootLink, deny []string, opts OverlayOptions) *PreviewResult {
	res := l.Result
	begin := time.Now()
	out := overlay.Apply(ctx, res, overlay.Options{Runtime: opts.Runtime, Env: opts.env(), Done: opts.Done,
		WorkDir: opts.WorkDir, NoRemoteHelpers: opts.NoRemoteHelpers})
	p := &PreviewResult{Root: l.Root, Outcome: out, Texts: out.MaskSources(res.Texts), Took: time.Since(begin), link: l,
		Pass: slices.Clone(out.Diagnostics)}
	p.Diagnostics = append(append(p.Diagnostics, res.Diagnostics...), out.Diagnostics...)
	out.MaskDiagnostics(p.Diagnostics) // the link's quote secret values too
	diag.Deny(p.Diagnostics, deny)
	return p
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
		p, err := snap.RunOverlays(ctx, root, deny, opts)
		if err != nil {
			return // interrupted
		}
		if p == nil || p.Outcome == nil {
			continue // nothing to run, or the check already reports why not
		}
		res.Texts = p.Outcome.MaskSources(res.Texts) // the lines diagnostics quote show no secret
		ds := slices.Clone(p.Pass)
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
