// Package analysis computes everything amber-lsp knows about manifests as
// pure functions of their contents.
//
// A Workspace holds the session state (workspace folders, open documents
// shadowing files on disk, settings) and hands out immutable Snapshots. What
// a snapshot reads is consistent for its whole life: it owns its open
// documents and its versions of the files on disk, both copy-on-write, so an
// edit or a change on disk gives the next snapshot new versions and never
// changes what an older one sees, and deriving a snapshot costs the changed
// files, not the whole tree.
//
// A snapshot discovers the manifests below the folders, indexes who
// references whom (ManifestRefs, resolving references as the linker does),
// picks the root manifests and links each root at most once (Snapshot.Link).
// A RootLink holds the whole linker result (resolved tree, components,
// scenario, config templates, overlay plan, diagnostics) and what the link
// read; later snapshots reuse it while none of those files changed. Built
// from these links:
//
//   - the Report (Snapshot.Diagnostics): the diagnostics of every file;
//   - the editor features (Hover, Definition, Completion, CodeActions,
//     DocumentSymbols, WorkspaceSymbols, SemanticTokens, DocumentLinks,
//     InlayHints): they read the syntax of the files and, once ready, the
//     links of the trees that contain them (ReadyLinksContaining);
//   - the reference index (features_refs.go), each file's declarations and
//     references kept with its analysis: References, Rename, CodeLenses;
//     the call hierarchy reads the linked scenarios (LinksContaining);
//   - the overlay pass (Snapshot.Preview, RunOverlays, and Check with
//     ApplyOverlays); the editor's last preview of each root is kept by the
//     workspace (SetPreview) and read by the features (preview.go).
//
// Per-file analyses are cached by content and shared by the links and the
// features, so an edit costs one re-analysis of the edited file and a
// re-link of the roots whose trees contain it.
//
// Check, used by `amber-lsp --check`, builds a workspace from the paths it is
// given and reads the same Report and links, so the command line and the
// server always agree; Preview (`--preview`) is Snapshot.Preview on a
// workspace whose one root is the file named.
package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/amberlsp/amber-lsp/diag"
)

// CheckOptions adjust Check.
type CheckOptions struct {
	// Deny lists -D arguments: "warnings" or full lint codes.
	Deny []string
	// Link links one root; nil means linker.Link.
	Link LinkFunc
	// ApplyOverlays also runs the overlay helpers of every root and
	// validates the rewritten scenario (`--apply-overlays`), with Overlays.
	ApplyOverlays bool
	Overlays      OverlayOptions // how the helpers run; unused without ApplyOverlays
	// Context bounds running the overlays (an interrupt cancels it); nil
	// means context.Background().
	Context context.Context
	// Fix applies the safe fixes (SafeFixes) first, again while they
	// reveal more, and checks the fixed texts (`--check --fix`); the
	// result's Fixed holds them for the caller to write.
	Fix bool
	// Limits bound what linking may do (fetching, instances).
	Limits Limits
}

// CheckResult is the outcome of checking a set of manifests.
type CheckResult struct {
	Files []string          // the files checked, in order
	Texts map[string][]byte // their contents
	// Diagnostics lists them in the order Amber emits them (linker.md §1):
	// each root's, roots in order, as its link reported them (slot-
	// interpolation errors, lints, link errors in phase order); then
	// those no link reported, grouped by file in the order of Files.
	Diagnostics []diag.Diagnostic
	// ByFile holds the same diagnostics by the file they belong to.
	ByFile map[string][]diag.Diagnostic
	// Fixed lists the files CheckOptions.Fix changed, sorted by path; Texts
	// and the diagnostics are those of the fixed texts.
	Fixed []FixedFile
}

// Check checks the manifests named by paths. A path is a manifest file,
// checked as a root, or a directory, in which every Amber manifest below it
// is checked (through the roots of the tree it belongs to). An error is
// returned only when a path cannot be read.
func Check(paths []string, opts CheckOptions) (*CheckResult, error) {
	var dirs, files []string
	var order []string           // the named files and directories, as absolute paths
	given := map[string]string{} // absolute directory -> as named
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, err)
		}
		if info.IsDir() {
			dirs = append(dirs, abs)
			given[abs] = p
		} else {
			files = append(files, abs)
		}
		order = append(order, abs)
	}
	ws := NewWorkspace(Options{Link: opts.Link})
	ws.SetConfig(Config{Roots: files, DiscoverRoots: true, Deny: opts.Deny, Limits: opts.Limits})
	snap, err := ws.SetFolders(dirs)
	if fe, ok := err.(*FolderError); ok {
		return nil, fmt.Errorf("cannot read %s: %w", given[fe.Folder], fe.Err)
	}
	for _, f := range files {
		if _, err := snap.ReadFile(f); err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", f, err)
		}
	}
	rep, err := snap.Diagnostics(context.Background())
	if err != nil {
		return nil, err
	}
	var fixed []FixedFile
	if opts.Fix {
		if snap, rep, fixed, err = applySafeFixes(ws, snap, rep); err != nil {
			return nil, err
		}
	}
	res := checkResult(snap, rep, order, given)
	emissionOrder(snap, rep.Roots, res.Diagnostics)
	res.Fixed = fixed
	if opts.ApplyOverlays {
		ctx := opts.Context
		if ctx == nil {
			ctx = context.Background()
		}
		applyOverlays(ctx, snap, res, rep.Roots, opts.Deny, opts.Overlays)
	}
	return res, nil
}

// checkResult lists the files checked (each named file, the manifests below
// each named directory, then the other files the trees read) and their
// diagnostics, grouped by file in that order.
func checkResult(snap *Snapshot, rep *Report, order []string, dirs map[string]string) *CheckResult {
	res := &CheckResult{Texts: map[string][]byte{}, ByFile: rep.ByFile}
	add := func(f string) {
		if _, ok := res.Texts[f]; ok {
			return
		}
		text, err := snap.ReadFile(f)
		if err != nil {
			return
		}
		res.Files = append(res.Files, f)
		res.Texts[f] = text
	}
	for _, p := range order {
		if _, isDir := dirs[p]; !isDir {
			add(p)
			continue
		}
		for _, m := range rep.Manifests {
			if inFolder(p, m) {
				add(m)
			}
		}
	}
	var rest []string
	for _, root := range rep.Roots {
		rest = append(rest, rep.Trees[root]...)
	}
	rest = append(rest, rep.Files()...)
	slices.Sort(rest)
	for _, f := range rest {
		add(f)
	}
	for _, f := range res.Files {
		res.Diagnostics = append(res.Diagnostics, rep.ByFile[f]...)
	}
	for _, f := range rep.Files() {
		if _, ok := res.Texts[f]; !ok {
			res.Diagnostics = append(res.Diagnostics, rep.ByFile[f]...)
		}
	}
	return res
}

// emissionOrder puts the diagnostics of a check in the order Amber emits
// them (linker.md §1): by root, roots in order, each as its link reported
// them; a diagnostic of several roots' trees goes with the first. Those
// no link reported (a sidecar file's, the summary of a file's diagnostics
// left out) follow, in their order. A report's diagnostic is found in a
// link by its code, message and primary place, which -D leaves as they
// are.
func emissionOrder(snap *Snapshot, roots []string, ds []diag.Diagnostic) {
	type place struct {
		code       diag.Code
		message    string
		file       string
		start, end int
	}
	key := func(d *diag.Diagnostic) place {
		l, _ := d.Primary()
		return place{d.Code, d.Message, l.File, l.Span.Start, l.Span.End}
	}
	rank := map[place]int{}
	for _, root := range roots {
		l, err := snap.Link(context.Background(), root)
		if err != nil || l == nil {
			continue
		}
		for i := range l.Result.Diagnostics {
			k := key(&l.Result.Diagnostics[i])
			if _, ok := rank[k]; !ok {
				rank[k] = len(rank)
			}
		}
	}
	type rankedDiag struct {
		rank int
		d    diag.Diagnostic
	}
	ranked := make([]rankedDiag, len(ds))
	for i := range ds {
		r, ok := rank[key(&ds[i])]
		if !ok {
			r = len(rank)
		}
		ranked[i].rank, ranked[i].d = r, ds[i]
	}
	slices.SortStableFunc(ranked, func(a, b rankedDiag) int { return a.rank - b.rank })
	for i := range ranked {
		ds[i] = ranked[i].d
	}
}
