package analysis

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

// FileMove is a file or folder renamed or moved.
type FileMove struct {
	Old string // its absolute path before the move
	New string // its absolute path after it
}

// RenameFiles returns the edits that keep the references of the
// workspace's manifests (to child manifests, `use` helpers, templates and
// `{ file }` texts: what DocumentLinks finds) naming the same files once
// the files and folders of moves are renamed: a reference to a moved file
// names its new place, and the relative references of a moved manifest
// are written from its new folder. The edits are of the files as they are
// before the move: an editor applies them, then renames. A reference
// keeps its style (`./` or not, an absolute path, a file: URL); remote
// ones are left alone. It returns nil when no reference changes.
func (s *Snapshot) RenameFiles(ctx context.Context, moves []FileMove) (edits []diag.Edit, err error) {
	defer recoverFeature("file renames", "", &err)
	idx, err := s.refIndex(ctx)
	if err != nil {
		return nil, err
	}
	moves = slices.Clone(moves)
	for i, m := range moves {
		moves[i] = FileMove{filepath.Clean(m.Old), filepath.Clean(m.New)}
	}
	for _, file := range idx.files {
		links, err := s.DocumentLinks(ctx, file)
		if err != nil {
			return nil, err
		}
		var text []byte
		for _, l := range links {
			if l.File == "" {
				continue
			}
			from, to := moved(moves, file), moved(moves, l.File)
			if from == file && to == l.File {
				continue
			}
			if text == nil {
				if text, err = s.ReadFile(file); err != nil {
					return nil, err
				}
			}
			written := string(text[l.Span.Start:l.Span.End])
			if ref, ok := movedRef(written, from, to); ok && ref != written {
				edits = append(edits, diag.Edit{File: file, Span: l.Span, NewText: ref})
			}
		}
	}
	return edits, nil
}

// moved returns where path is once moves are made: a moved file's new
// path, or the path below a moved folder's new one.
func moved(moves []FileMove, path string) string {
	for _, m := range moves {
		if path == m.Old {
			return m.New
		}
		if rest, ok := strings.CutPrefix(path, m.Old+string(filepath.Separator)); ok {
			return filepath.Join(m.New, rest)
		}
	}
	return path
}

// movedRef rewrites a manifest reference as written, which a manifest
// that will be at from makes to a file that will be at to, in the style
// it was written in; false for a reference it does not rewrite (a remote
// one, one with a query or fragment, or one with characters a JSON5
// string would need escaped).
func movedRef(written, from, to string) (string, bool) {
	if strings.ContainsAny(written, "\\\"'\n?#") {
		return "", false
	}
	switch {
	case strings.HasPrefix(written, "file://"):
		return "file://" + filepath.ToSlash(to), true
	case strings.Contains(written, "://"):
		return "", false
	case filepath.IsAbs(written):
		return filepath.ToSlash(to), true
	}
	rel, err := filepath.Rel(filepath.Dir(from), to)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if strings.HasPrefix(written, "./") && !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel, true
}
