package analysis

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/amberlsp/amber-lsp/internal/persistent"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Document is an open document: its text shadows the file on disk.
type Document struct {
	Path    string // absolute, cleaned path of the file it shadows
	Version int32  // the editor's version of the text
	handle  *fileHandle
}

// Text returns the document's text (shared: do not modify).
func (d *Document) Text() []byte { return d.handle.text }

// Snapshot is an immutable view of the workspace at one moment. Its
// results are computed on demand and memoized.
//
// What a snapshot reads is consistent for its whole life: it sees one
// content (and one Stat) per path, however often it asks and whatever
// happens to the disk or to later snapshots meanwhile. Open documents are
// its own map, replaced copy-on-write; files on disk are versions
// (diskFile) it shares with the snapshots before and after it until a
// change event names them (see diskState).
type Snapshot struct {
	ws         *Workspace
	id         uint64
	folders    []string
	candidates persistent.Map[struct{}]  // .json5/.json files found below the folders
	documents  map[string]*Document      // open documents, by path; replaced, never changed
	disk       persistent.Map[*diskFile] // the versions of the files change events named
	config     Config
	previews   map[string]*PreviewResult // the last overlay preview of each root (preview.go); replaced, never changed

	mu      sync.Mutex // guards report, running, links
	report  *Report
	running *computation
	links   map[string]*linkCall // by root; nil until the first link

	index indexMemo // the reference index (features_refs.go)
}

// clone returns a copy sharing the (immutable or copy-on-write) maps,
// without memoized results. It costs the same whatever the number of files.
func (s *Snapshot) clone() *Snapshot {
	return &Snapshot{
		ws:         s.ws,
		id:         s.ws.nextID.Add(1),
		folders:    s.folders,
		candidates: s.candidates,
		documents:  s.documents,
		disk:       s.disk,
		config:     s.config,
		previews:   s.previews,
	}
}

// ID numbers snapshots in the order they were made.
func (s *Snapshot) ID() uint64 { return s.id }

// Folders returns the workspace folders.
func (s *Snapshot) Folders() []string { return slices.Clone(s.folders) }

// Config returns the settings.
func (s *Snapshot) Config() Config { return s.config }

// Document returns the open document at path, or nil.
func (s *Snapshot) Document(path string) *Document { return s.documents[filepath.Clean(path)] }

// Documents returns the open documents' paths, sorted.
func (s *Snapshot) Documents() []string {
	out := make([]string, 0, len(s.documents))
	for p := range s.documents {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// ReadFile returns a file's text as the snapshot sees it: an open
// document's text, else the disk's.
func (s *Snapshot) ReadFile(path string) ([]byte, error) {
	h := s.handle(filepath.Clean(path))
	return h.text, h.err
}

// handle returns the content of a cleaned absolute path.
func (s *Snapshot) handle(path string) *fileHandle {
	if d := s.documents[path]; d != nil {
		return d.handle
	}
	return s.diskFile(path).read()
}

// diskFile returns the version of a file on disk the snapshot sees.
func (s *Snapshot) diskFile(path string) *diskFile {
	if f, ok := s.disk.Get(path); ok {
		return f
	}
	return s.ws.disk.first(path)
}

// inFolders reports whether path lies in the discovered part of a folder.
func (s *Snapshot) inFolders(path string) bool {
	for _, f := range s.folders {
		if inFolder(f, path) {
			return true
		}
	}
	return false
}

// analyze returns a cached analysis of a file, whichever options it was
// last analyzed with, or nil when it cannot be read.
func (s *Snapshot) analyze(path string, gen uint64) *parsed {
	h := s.handle(path)
	if h.err != nil {
		return nil
	}
	p := s.ws.cache.analyzeAny(path, h, gen, s.readTarget)
	h.adopt(p.res.Syntax)
	return p
}

// Stat describes a file as the snapshot sees it: an open document exists
// (as a regular file of its text's size) whatever the disk says.
func (s *Snapshot) Stat(path string) (fs.FileInfo, error) {
	path = filepath.Clean(path)
	if d := s.documents[path]; d != nil {
		return docInfo{name: filepath.Base(path), size: int64(len(d.handle.text))}, nil
	}
	return s.diskFile(path).stat()
}

// readTarget reads a `{ file }` target as the snapshot sees it (an open
// document's text, else the disk's): what manifest validation checks.
func (s *Snapshot) readTarget(path string) *fileHandle {
	return s.handle(filepath.Clean(path))
}

// docInfo is the fs.FileInfo of an open document.
type docInfo struct {
	name string
	size int64
}

func (d docInfo) Name() string       { return d.name }
func (d docInfo) Size() int64        { return d.size }
func (d docInfo) Mode() fs.FileMode  { return 0o644 }
func (d docInfo) ModTime() time.Time { return time.Time{} }
func (d docInfo) IsDir() bool        { return false }
func (d docInfo) Sys() any           { return nil }

// isManifest reports whether an analyzed file is an Amber manifest: its root
// value is an object with a `manifest_version` key (a string one in a .json
// file), or it has parse problems
// but mentions `manifest_version` (a manifest being edited must keep its
// diagnostics when, say, its opening brace is deleted).
func isManifest(p *parsed) bool {
	syn := p.res.Syntax
	if v, ok := syn.RootValue("manifest_version"); ok {
		// A .json file whose manifest_version is not a string is some
		// other tool's manifest (a browser extension's manifest.json).
		return v.Kind == json5.String || filepath.Ext(p.key.path) != ".json"
	}
	return len(syn.Errors) > 0 && mayBeManifest(p.text)
}

// mayBeManifest is the cheap test run before parsing a candidate.
func mayBeManifest(text []byte) bool { return bytes.Contains(text, []byte("manifest_version")) }
