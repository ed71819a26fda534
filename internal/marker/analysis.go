package marker

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
)

// analysisBackend answers markers from a snapshot of package analysis.
type analysisBackend struct {
	ctx  context.Context
	dir  string
	snap *analysis.Snapshot
}

// startAnalysis makes a workspace on the case folder with the case's
// settings and its open documents.
func startAnalysis(t *testing.T, c *testCase, dir string) (backend, error) {
	ws := analysis.NewWorkspace(analysis.Options{})
	var cfg analysis.Config
	for _, r := range c.settings.Roots {
		cfg.Roots = append(cfg.Roots, filepath.Join(dir, filepath.FromSlash(r)))
	}
	if c.settings.Lint.DenyWarnings {
		cfg.Deny = []string{diag.DenyAll}
	}
	switch fetch := c.settings.Remote.Fetch.(type) {
	case bool:
		if !fetch {
			cfg.Limits.Remote = linker.FetchNone
		}
	case string:
		p, err := linker.ParseRemoteFetch(fetch)
		if err != nil {
			return nil, fmt.Errorf("@settings: remote.fetch: %v", err)
		}
		cfg.Limits.Remote = p
	}
	cfg.Limits.MaxInstances = c.settings.Limits.Instances
	ws.SetConfig(cfg)
	snap, err := ws.SetFolders([]string{dir})
	if err != nil {
		return nil, err
	}
	for _, f := range c.files {
		if f.open {
			snap = ws.SetDocument(filepath.Join(dir, filepath.FromSlash(f.name)), 1, f.text)
		}
	}
	return &analysisBackend{ctx: t.Context(), dir: dir, snap: snap}, nil
}

// path returns the absolute path of a case file.
func (b *analysisBackend) path(name string) string {
	return filepath.Join(b.dir, filepath.FromSlash(name))
}

// name names the file of a label or edit ("" is the file it belongs to).
func (b *analysisBackend) name(file, owner string) string {
	switch {
	case file == "":
		return owner
	case strings.HasPrefix(file, "file:"):
		if u, err := url.Parse(file); err == nil && u.Path != "" {
			return relName(b.dir, filepath.FromSlash(u.Path))
		}
	case filepath.IsAbs(file):
		return relName(b.dir, file)
	}
	return file
}

// span converts a span of a file.
func (b *analysisBackend) span(file string, s diag.Span) span {
	return span{file: file, start: s.Start, end: s.End}
}

// edits converts edits ("" is the file owner).
func (b *analysisBackend) edits(es []diag.Edit, owner string) []edit {
	var out []edit
	for _, e := range es {
		out = append(out, edit{span: b.span(b.name(e.File, owner), e.Span), newText: e.NewText})
	}
	return out
}
