package analysis

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// fileHandle is the content of a file at some moment: an open document's
// text, or what was read from disk (err set when it could not be read).
type fileHandle struct {
	text []byte
	hash uint64
	err  error

	// The syntax tree of an open document's text, parsed once, when first
	// needed: every analysis of the text (whatever its options) and every
	// feature share it. The handle of an edited document starts from the
	// handle of an earlier version whose tree is parsed, base, and the edit
	// between them, so that json5.ReparseEdited re-parses only what
	// changed. A file on disk keeps no tree on its handle (the analyses
	// that use its text keep theirs while a snapshot uses them): disk
	// versions live as long as the workspace.
	document bool
	synOnce  sync.Once
	syn      *json5.File
	mu       sync.Mutex // guards base, edit, parsed
	base     *fileHandle
	edit     TextEdit // base.text[Start:End] became text[Start:Start+NewLen]
	parsed   bool     // syn is set (and base dropped)
}

func newHandle(text []byte) *fileHandle {
	return &fileHandle{text: text, hash: contentHash(text)}
}

// newDocumentHandle returns the handle of an open document's text.
func newDocumentHandle(text []byte) *fileHandle {
	h := newHandle(text)
	h.document = true
	return h
}

// syntax returns the parse of the handle's text.
func (h *fileHandle) syntax() *json5.File {
	if !h.document {
		return safeParse(h.text)
	}
	h.synOnce.Do(func() {
		h.mu.Lock()
		base, e := h.base, h.edit
		h.mu.Unlock()
		if base != nil {
			h.syn = safeReparse(base.syntax(), h.text, e)
		} else {
			h.syn = safeParse(h.text)
		}
		h.mu.Lock()
		h.base, h.parsed = nil, true
		h.mu.Unlock()
	})
	return h.syn
}

// adopt gives an open document's handle syntax, the tree of an analysis of
// the same text that the cache found, unless the handle has parsed its
// own: the handle then no longer holds the earlier version it would have
// re-parsed from (and that version's tree).
func (h *fileHandle) adopt(syntax *json5.File) {
	if !h.document || syntax == nil {
		return
	}
	h.synOnce.Do(func() {
		h.syn = syntax
		h.mu.Lock()
		h.base, h.parsed = nil, true
		h.mu.Unlock()
	})
}

// follow makes h, the handle of a new version of a document, start from
// prev, the handle of the version before, which edits (each applied to the
// text the ones before it made) turned into h's text. While prev is not
// parsed, h starts from prev's own base with the two edits combined, so a
// chain of versions that were never analyzed never builds up.
func (h *fileHandle) follow(prev *fileHandle, edits []TextEdit) {
	if prev == nil || !prev.document || len(edits) == 0 {
		return
	}
	e, ok := combine(len(prev.text), edits)
	if !ok || len(prev.text)-(e.End-e.Start)+e.NewLen != len(h.text) {
		return
	}
	prev.mu.Lock()
	parsed, base, be := prev.parsed, prev.base, prev.edit
	prev.mu.Unlock()
	switch {
	case parsed:
		h.base, h.edit = prev, e
	case base != nil:
		h.base, h.edit = base, compose(len(base.text), be, e)
	}
}

// TextEdit says that the bytes [Start, End) of a text were replaced by
// NewLen bytes, which the new text holds at [Start, Start+NewLen).
type TextEdit struct {
	Start, End int // byte offsets in the old text
	NewLen     int // length in bytes of the replacement
}

// combine folds edits, each applied to the text the ones before it made
// from a text of n bytes, into one edit of that text; false when there are
// none or an edit does not fit the text it applies to.
func combine(n int, edits []TextEdit) (TextEdit, bool) {
	var out TextEdit
	cur := n // the length of the text the next edit applies to
	for i, e := range edits {
		if e.Start < 0 || e.Start > e.End || e.End > cur || e.NewLen < 0 {
			return TextEdit{}, false
		}
		if i == 0 {
			out = e
		} else {
			out = compose(n, out, e)
		}
		cur += e.NewLen - (e.End - e.Start)
	}
	return out, len(edits) > 0
}

// compose returns the edit of a text of n bytes that a then b (an edit of
// the text a made) make together: the bytes before both and after both are
// unchanged.
func compose(n int, a, b TextEdit) TextEdit {
	mid := n - (a.End - a.Start) + a.NewLen
	suffix := min(n-a.End, mid-b.End)
	start := min(a.Start, b.Start)
	after := mid - (b.End - b.Start) + b.NewLen
	return TextEdit{Start: start, End: n - suffix, NewLen: after - suffix - start}
}

// safeReparse re-parses an edited text, or parses it whole if that panics.
func safeReparse(old *json5.File, text []byte, e TextEdit) (f *json5.File) {
	defer func() {
		if recover() != nil {
			f = safeParse(text)
		}
	}()
	return json5.ReparseEdited(old, text, e.Start, e.End)
}

// missingHash stands for "could not be read" in the hashes a root result
// remembers; a real content hash of 0 only costs a spurious re-link.
const missingHash = 0

func (h *fileHandle) key() uint64 {
	if h.err != nil {
		return missingHash
	}
	return h.hash
}

// diskFile is one version of a file on disk as snapshots see it. Its text
// and its Stat are each read at most once, when a snapshot first needs them,
// and never change afterwards: every snapshot that holds this version sees
// the same answers, whatever the disk does meanwhile.
type diskFile struct {
	path     string
	readOnce sync.Once
	handle   *fileHandle
	statOnce sync.Once
	info     fs.FileInfo
	statErr  error
}

func newDiskFile(path string) *diskFile { return &diskFile{path: path} }

// read returns the version's content, reading the disk the first time.
func (f *diskFile) read() *fileHandle {
	f.readOnce.Do(func() {
		text, err := localfile.Read(f.path)
		if err != nil {
			f.handle = &fileHandle{err: err}
		} else {
			f.handle = newHandle(text)
		}
	})
	return f.handle
}

// stat returns the version's os.Stat, asking the disk the first time.
func (f *diskFile) stat() (fs.FileInfo, error) {
	f.statOnce.Do(func() { f.info, f.statErr = os.Stat(f.path) })
	return f.info, f.statErr
}

// diskState is the workspace's part of what snapshots see of the disk.
//
// A snapshot finds the version of a path in its own persistent map
// (Snapshot.disk) when a change event (didChangeWatchedFiles, didSave,
// didClose) named the path or a directory above it since the workspace
// started, and otherwise in firsts, the versions every snapshot shares until
// an event names the path. An event gives the next snapshot fresh, unread
// versions of the paths it names; the snapshots before it keep theirs. Lazy
// reads fill the version shared by the snapshots that hold it, so no
// snapshot reads a file another one already read, unless an event came
// between them.
//
// Deriving a snapshot therefore costs O(log n) per changed path (a new
// persistent map sharing everything else) and nothing for an edit of an
// open document; a directory event reaches the paths below it through the
// directory index, not through a scan of every path. Memory: one version
// per path ever read, plus the latest version of each path an event named;
// older versions go away with the snapshots that hold them.
type diskState struct {
	mu     sync.Mutex
	firsts map[string]*diskFile
	// below indexes every path a snapshot may hold a version of (read,
	// named by an event, or found as a candidate) by its directory, so a
	// change of a directory reaches the paths below it.
	below map[string]map[string]struct{}
}

func newDiskState() *diskState {
	return &diskState{firsts: map[string]*diskFile{}, below: map[string]map[string]struct{}{}}
}

// first returns the version of path shared by the snapshots for which no
// event named it.
func (d *diskState) first(path string) *diskFile {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.firsts[path]
	if f == nil {
		f = newDiskFile(path)
		d.firsts[path] = f
		d.index(path)
	}
	return f
}

// know indexes paths a snapshot may hold versions of.
func (d *diskState) know(paths ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range paths {
		d.index(p)
	}
}

// maxIndexedPath is the longest path index takes: Linux opens no path of
// PATH_MAX (4,096 bytes with its NUL) or more, and the directories of a
// path are as many keys as it is deep, each as long as the path to it, so
// a reference 100,000 directories down (300 KB) made gigabytes of keys.
// A longer path is still read, and the system refuses it.
const maxIndexedPath = 4096

// index adds path and its directories to the index; d.mu is held.
func (d *diskState) index(path string) {
	if len(path) > maxIndexedPath {
		return // no file can be there, nor an event name it
	}
	for {
		dir := filepath.Dir(path)
		if dir == path {
			return
		}
		entries := d.below[dir]
		if entries == nil {
			entries = map[string]struct{}{}
			d.below[dir] = entries
		}
		if _, ok := entries[path]; ok {
			return // its directories are indexed already
		}
		entries[path] = struct{}{}
		path = dir
	}
}

// under returns the indexed paths strictly below dir.
func (d *diskState) under(dir string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	var walk func(dir string)
	walk = func(dir string) {
		for p := range d.below[dir] {
			out = append(out, p)
			walk(p)
		}
	}
	walk(dir)
	return out
}

// isCandidate reports whether a path may hold a manifest: a .json5 or .json
// file.
func isCandidate(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".json5" || ext == ".json"
}

// skipDir reports whether discovery skips a directory below a folder.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules"
}

// walkCandidates returns the candidate files below dir, in lexical order.
// Unreadable subdirectories are skipped; the first problem met is returned
// with the files that could be listed.
func walkCandidates(dir string) ([]string, error) {
	var out []string
	var first error
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			if first == nil {
				first = err
			}
			return nil
		}
		if d.IsDir() {
			if path != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if isCandidate(path) {
			out = append(out, path)
		}
		return nil
	})
	if err == nil {
		err = first
	}
	return out, err
}

// inFolder reports whether path lies in a discovered part of folder.
func inFolder(folder, path string) bool {
	rel, err := filepath.Rel(folder, path)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return false
	}
	dirs := strings.Split(filepath.Dir(rel), string(filepath.Separator))
	for _, d := range dirs {
		if d != "." && skipDir(d) {
			return false
		}
	}
	return true
}
