package analysis

import (
	"context"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// DocumentLink is a reference an editor can follow: a manifest reference
// (of a child, a `use` helper, a child template) or a `{ file }` sidecar.
// Exactly one of File and URL is set.
type DocumentLink struct {
	Span diag.Span // the reference text, between its quotes
	File string    // the local file it names, which exists
	URL  string    // the remote manifest it names: an http or https URL, in the normal form the linker fetches
	// PlainPath marks a `{ file }` reference: a file path, relative to the
	// manifest's folder or absolute, where a manifest reference is a URL.
	PlainPath bool
}

// DocumentLinks returns the links of the manifest at path: every manifest
// reference and `{ file }` reference that names an existing local file or
// a remote http(s) manifest. References that resolve to nothing get no
// link (the diagnostics say why).
func (s *Snapshot) DocumentLinks(ctx context.Context, path string) (links []DocumentLink, err error) {
	defer recoverFeature("document links", path, &err)
	f, err := s.featureFile(ctx, path)
	if f == nil || err != nil {
		return nil, err
	}
	if f.root != nil {
		f.collectLinks(f.root, manifest.Root(), &links)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return links, nil
}

// collectLinks adds the links of value n, written at place, to out.
func (f *featureFile) collectLinks(n *json5.Node, place manifest.Place, out *[]DocumentLink) {
	if place.Value.Has(manifest.ShapeJSON) || place.Value.Has(manifest.ShapeSchema) || place.Value.Has(manifest.ShapeConfig) {
		return // free JSON: no references
	}
	switch n.Kind {
	case json5.Object:
		for _, m := range n.Members {
			if p, ok := place.Key(m.Key.Name); ok {
				f.collectLinks(m.Value, p, out)
			}
		}
	case json5.Array:
		if elem, ok := place.Elem(); ok {
			for _, e := range n.Elems() {
				f.collectLinks(e, elem, out)
			}
		}
	case json5.String:
		for _, form := range place.Value {
			if form.Shape != manifest.ShapeString {
				continue
			}
			var l DocumentLink
			switch form.Syntax {
			case manifest.SyntaxManifest:
				l = f.manifestLink(n.Text)
			case manifest.SyntaxFile:
				if p, ok := linker.ResolveFileRef(f.path, n.Text); ok && f.isFile(p) {
					l.File, l.PlainPath = p, true
				}
			default:
				continue
			}
			if l.File != "" || l.URL != "" {
				l.Span = interp.SourceSpan(n, 0, len(n.Text))
				*out = append(*out, l)
			}
			return
		}
	}
}

// manifestLink resolves a manifest reference as the linker does: a local
// file that exists, or a remote manifest's URL in the normal form the
// linker fetches it by.
func (f *featureFile) manifestLink(ref string) DocumentLink {
	if p, ok := linker.ResolveLocalRef(f.path, ref); ok {
		if f.isFile(p) {
			return DocumentLink{File: p}
		}
		return DocumentLink{}
	}
	if abs, ok := linker.ResolveRef(f.path, ref); ok && (strings.HasPrefix(abs, "https://") || strings.HasPrefix(abs, "http://")) {
		return DocumentLink{URL: abs}
	}
	return DocumentLink{}
}

// isFile reports whether path names a regular file in the snapshot.
func (f *featureFile) isFile(path string) bool {
	info, err := f.run.s.Stat(path)
	return err == nil && info.Mode().IsRegular()
}
