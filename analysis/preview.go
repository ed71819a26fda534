package analysis

import (
	"bytes"
	"hash/maphash"
	"maps"
	"path/filepath"
	"slices"

	"github.com/amberlsp/amber-lsp/diag"
)

// The last overlay preview of each root, kept for the editor. The server
// runs the overlays on save (RunOverlays) and keeps each result with
// SetPreview; the snapshots made afterwards carry it, and the features read
// it: diagnostics (OverlayDiagnostics), code lenses, hovers on overlay
// references and inlay hints on the bindings an interposer sits on.
//
// A preview describes the files as they were when it ran. What it shows at
// a place of a file is shown while that place still reads as it did: its
// diagnostics while their files are unchanged, its lenses, hovers and
// hints wherever the entry they belong to is still there with the same
// text (an edit elsewhere in the file moves them along).

// SetPreview keeps p as the last preview of its root, replacing the one
// before, and returns the new snapshot.
func (w *Workspace) SetPreview(p *PreviewResult) *Snapshot {
	root := filepath.Clean(p.Root)
	return w.update(func(s *Snapshot) {
		s.previews = maps.Clone(s.previews)
		if s.previews == nil {
			s.previews = map[string]*PreviewResult{}
		}
		s.previews[root] = p
	})
}

// ForgetPreview forgets the kept preview of root (its tree no longer has
// overlays) and returns the new snapshot.
func (w *Workspace) ForgetPreview(root string) *Snapshot {
	root = filepath.Clean(root)
	return w.update(func(s *Snapshot) {
		if _, ok := s.previews[root]; ok {
			s.previews = maps.Clone(s.previews)
			delete(s.previews, root)
		}
	})
}

// ClearPreviews forgets every kept preview (previews were turned off).
func (w *Workspace) ClearPreviews() *Snapshot {
	return w.update(func(s *Snapshot) { s.previews = nil })
}

// Previews returns the kept previews, by root.
func (s *Snapshot) Previews() []*PreviewResult {
	out := make([]*PreviewResult, 0, len(s.previews))
	for _, root := range slices.Sorted(maps.Keys(s.previews)) {
		out = append(out, s.previews[root])
	}
	return out
}

// LastPreview returns the kept preview of root, or nil.
func (s *Snapshot) LastPreview(root string) *PreviewResult {
	return s.previews[filepath.Clean(root)]
}

// Current reports whether p ran on the link the snapshot has of p's root:
// nothing the link read changed since. The link must be ready (the report
// computed, or Link called).
func (p *PreviewResult) Current(s *Snapshot) bool {
	return p.link != nil && s.linkedIfReady(filepath.Clean(p.Root)) == p.link
}

// Programs returns the helper program files the preview ran: saving one
// of them asks for a new preview, although no manifest reads it.
func (p *PreviewResult) Programs() []string {
	var out []string
	if p.Outcome != nil {
		for _, r := range p.Outcome.Runs {
			if r.Program != "" && !slices.Contains(out, r.Program) {
				out = append(out, r.Program)
			}
		}
	}
	return out
}

// OverlayDiagnostics returns, by file, the diagnostics the kept previews
// of rep's roots add: the pass's own, as `--check --apply-overlays` adds
// them, with the snapshot's -D applied. A diagnostic is left out once a
// file it points into reads differently from when its preview ran (its
// spans would be wrong); the next preview brings it back or clears it.
func (s *Snapshot) OverlayDiagnostics(rep *Report) map[string][]diag.Diagnostic {
	var out map[string][]diag.Diagnostic
	for _, root := range rep.Roots {
		p := s.previews[root]
		if p == nil {
			continue
		}
		var ds []diag.Diagnostic
		for _, d := range p.Pass {
			if len(d.Labels) > 0 && s.unchangedSince(p, d) {
				ds = append(ds, d)
			}
		}
		diag.Deny(ds, s.config.Deny)
		for _, d := range ds {
			if out == nil {
				out = map[string][]diag.Diagnostic{}
			}
			f := d.File()
			out[f] = append(out[f], d)
		}
	}
	return out
}

// FileDiagnostics returns the diagnostics shown for file: the report's,
// then those the kept previews add (overlays, from OverlayDiagnostics), as
// `--check --apply-overlays` orders them; and a hash that identifies them
// and the texts they point into, as Report.Hashes does.
func (s *Snapshot) FileDiagnostics(rep *Report, overlays map[string][]diag.Diagnostic, file string) ([]diag.Diagnostic, uint64) {
	extra := overlays[file]
	if len(extra) == 0 {
		return rep.ByFile[file], rep.Hashes[file]
	}
	var h maphash.Hash
	h.SetSeed(hashSeed)
	writeUint64(&h, rep.Hashes[file])
	for i := range extra {
		writeUint64(&h, diagHash(&extra[i]))
		for _, l := range extra[i].Labels {
			p := labelFile(l.File, file)
			writeString(&h, p)
			if filepath.IsAbs(p) {
				writeUint64(&h, s.handle(p).hash)
			}
		}
	}
	return slices.Concat(rep.ByFile[file], extra), h.Sum64()
}

// unchangedSince reports whether every file d points into reads in s as
// it did when p ran.
func (s *Snapshot) unchangedSince(p *PreviewResult, d diag.Diagnostic) bool {
	for _, l := range d.Labels {
		if !s.sameText(p, l.File) {
			return false
		}
	}
	return true
}

// sameText reports whether file reads in s as it did when p ran.
func (s *Snapshot) sameText(p *PreviewResult, file string) bool {
	then, ok := p.Texts[file]
	if !ok {
		return false
	}
	now, err := s.ReadFile(file)
	return err == nil && (sameBytes(then, now) || bytes.Equal(then, now))
}
