package analysis

import (
	"context"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
)

// OwnDiagnostics returns a report of what each open manifest document
// says of itself, wherever it sits in a tree: its syntax errors and the
// manifest-level checks of its parse (no lint, no link). A language server
// publishes it at start-up, before the workspace folders are indexed: a
// document's place in its tree (its parent, its moniker, the bindings
// into it) is not known then, and a diagnostic that depends on it could be
// wrong until the index shows it. So nothing published early is taken
// back later; the full report (Diagnostics) adds the rest.
func (s *Snapshot) OwnDiagnostics(ctx context.Context) (*Report, error) {
	gen := s.ws.begin()
	r, err := s.own(ctx, gen)
	s.ws.end(gen, err == nil)
	return r, err
}

func (s *Snapshot) own(ctx context.Context, gen uint64) (*Report, error) {
	r := &Report{Referrers: map[string][]string{}, Trees: map[string][]string{},
		ByFile: map[string][]diag.Diagnostic{}, Hashes: map[string]uint64{}}
	content := func(p string) uint64 { return s.handle(p).hash }
	for _, p := range s.Documents() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h := s.handle(p)
		if h.err != nil || isYAML(p) || !mayBeManifest(h.text) {
			continue
		}
		a := s.ws.cache.analyze(p, h, manifest.Options{NoLints: true}, gen, s.readTarget)
		if !isManifest(a) {
			continue
		}
		r.Manifests = append(r.Manifests, p)
		for f, fd := range groupByFile(p, a.res.Diagnostics, content, nil) {
			if f != p {
				continue // a manifest's own diagnostics are its own file's
			}
			r.ByFile[f], r.Hashes[f] = s.deny(fd.capped(), fd.hash)
		}
	}
	return r, nil
}
