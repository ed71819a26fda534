package analysis

import (
	"context"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest"
)

// Source gives a LinkFunc the text of local files as the workspace sees them:
// the text of an open document shadows the file on disk. Paths are absolute
// and cleaned. The returned bytes are shared and must not be modified.
// A Source is safe for concurrent use.
type Source interface {
	ReadFile(absPath string) ([]byte, error)
}

// FileAnalyzer is implemented by every Source the workspace hands to a
// LinkFunc. AnalyzeFile returns manifest.AnalyzeWith of the file's current
// text from a cache keyed by content, so a linker that uses it re-parses
// only the files that changed since the last analysis (and shares the parse
// the workspace makes to index references). `{ file }` targets are looked up
// through the workspace (open documents count); opts.FileExists is ignored.
// The result is shared: callers must not modify it (copy diagnostics before
// changing them).
//
// The same Sources also have Stat(absPath) (fs.FileInfo, error), which
// tells whether a file exists without reading it.
type FileAnalyzer interface {
	Source
	AnalyzeFile(absPath string, opts manifest.Options) (*manifest.Result, error)
}

// LinkResult is what linking one root manifest found.
type LinkResult struct {
	// Diagnostics of every file in the tree, in the order they were found.
	// Each belongs to the file of its primary label (a problem found while
	// linking a parent may lie in a child file); one without labels belongs
	// to the root.
	Diagnostics []diag.Diagnostic
	// Files lists every local file the tree read, the root first.
	Files []string
}

// LinkFunc links the manifest tree rooted at the absolute path root, reading
// every file through src. It must return promptly once ctx is cancelled
// (what it returns then is discarded).
type LinkFunc func(ctx context.Context, root string, src Source) LinkResult

// standardLink is the LinkFunc of workspaces (and of Check) that name none:
// Amber's linker, so that --check and the server agree.
var standardLink LinkFunc = Link

// linkCache holds the linker's digests and remote manifests between links;
// local files are analysed through the workspace's own cache (the Source is
// a linker.Analyzer).
var linkCache = linker.NewCache()

// remote fetches http(s) manifests for every workspace, with the on-disk
// cache under the user cache directory.
var remote = linker.NewHTTPFetcher(linker.DefaultCacheDir())

// Link is the LinkFunc of Amber's linker: resolution, every link-time check
// and the lints of each component (linker.md).
func Link(ctx context.Context, root string, src Source) LinkResult {
	r := linker.Link(ctx, root, linker.Options{Source: src, Cache: linkCache, Fetcher: remote})
	return LinkResult{Diagnostics: r.Diagnostics, Files: r.Files}
}

// DefaultLink is the LinkFunc used until the linker is plugged in: it
// analyzes the root with manifest.Analyze and every manifest reachable from
// it through relative or file:// references in `components` and `use` without
// lints (Amber lints child manifests only with link information), so that
// child files get their own parse and validation diagnostics. Files that
// cannot be read are skipped (linking will report them).
func DefaultLink(ctx context.Context, root string, src Source) LinkResult {
	var res LinkResult
	seen := map[string]bool{root: true}
	queue := []string{root}
	for len(queue) > 0 {
		if ctx.Err() != nil {
			return res
		}
		file := queue[0]
		queue = queue[1:]
		opts := manifest.Options{NoLints: file != root}
		r, refs, err := analyzeThrough(src, file, opts)
		if err != nil {
			continue
		}
		res.Files = append(res.Files, file)
		res.Diagnostics = append(res.Diagnostics, r.Diagnostics...)
		for _, ref := range refs {
			if !seen[ref.Path] {
				seen[ref.Path] = true
				queue = append(queue, ref.Path)
			}
		}
	}
	return res
}

// analyzeThrough analyzes a file, and finds its references, through src's
// cache when it has one.
func analyzeThrough(src Source, file string, opts manifest.Options) (*manifest.Result, []Ref, error) {
	if ls, ok := src.(*linkSource); ok {
		p, err := ls.parsed(file, opts)
		if err != nil {
			return nil, nil, err
		}
		return p.res, p.refs, nil
	}
	var r *manifest.Result
	if fa, ok := src.(FileAnalyzer); ok {
		var err error
		if r, err = fa.AnalyzeFile(file, opts); err != nil {
			return nil, nil, err
		}
	} else {
		text, err := src.ReadFile(file)
		if err != nil {
			return nil, nil, err
		}
		r = manifest.AnalyzeWith(file, text, opts)
	}
	return r, ManifestRefs(file, r.Syntax), nil
}
