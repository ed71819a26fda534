package analysis

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest/weburl"
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
// keeps its style (`./` or not, an absolute path, a file: URL) and leads,
// as the linker resolves it, to the moved file: a manifest reference is
// percent-encoded, a `{ file }` path is not; remote ones are left alone.
// It returns nil when no reference changes.
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
			if ref, ok := movedRef(written, l.PlainPath, from, to); ok && ref != written {
				edits = append(edits, diag.Edit{File: file, Span: l.Span, NewText: escapeString(ref, quoteBefore(text, l.Span))})
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

// movedRef rewrites a reference as written (its decoded text), which a
// manifest that will be at from makes to a file that will be at to, in the
// style it was written in: a manifest reference as a URL the linker
// resolves to that file (percent-encoded: a file: URL as Amber writes one,
// an absolute or a relative path as a relative reference), a `{ file }`
// reference (plain) as a path. It reports false for a reference it does
// not rewrite: a remote one, one with a query or fragment, one written
// with escapes, or one whose new text would not lead to the file.
func movedRef(written string, plain bool, from, to string) (string, bool) {
	if strings.ContainsAny(written, "\\\"'\n") || !plain && strings.ContainsAny(written, "?#") {
		return "", false
	}
	if plain {
		ref := filepath.ToSlash(to)
		if !filepath.IsAbs(written) {
			ref = relRef(written, from, to)
		}
		p, ok := linker.ResolveFileRef(from, filepath.FromSlash(ref))
		return ref, ok && p == to
	}
	var ref string
	switch u, err := weburl.Parse(written); {
	case err == nil && u.Scheme() == "file":
		ref = weburl.FileURL(filepath.ToSlash(to))
	case err != nil && err != weburl.ErrRelativeWithoutBase, err == nil:
		return "", false // another scheme, or no URL at all
	case strings.HasPrefix(written, "/"):
		ref = "/" + weburl.PathRef(strings.TrimPrefix(filepath.ToSlash(to), "/"))
	default:
		ref = weburl.PathRef(relRef(written, from, to))
	}
	p, ok := linker.ResolveLocalRef(from, ref)
	return ref, ok && p == to
}

// relRef returns the slash-separated path of to relative to the folder of
// from, after `./` when written has one and the path does not climb.
func relRef(written, from, to string) string {
	rel, err := filepath.Rel(filepath.Dir(from), to)
	if err != nil {
		return filepath.ToSlash(to)
	}
	rel = filepath.ToSlash(rel)
	if strings.HasPrefix(written, "./") && !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel
}

// quoteBefore returns the quote character of the string literal whose
// text starts at span: `"` or `'`.
func quoteBefore(text []byte, span diag.Span) byte {
	if span.Start > 0 && text[span.Start-1] == '\'' {
		return '\''
	}
	return '"'
}

// escapeString writes s as the text of a JSON5 string literal quoted with
// quote: a backslash, the quote and control characters escaped.
func escapeString(s string, quote byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == quote:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ':
			fmt.Fprintf(&b, "\\u%04x", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
