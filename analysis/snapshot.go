package analysis

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Document is an open document: its text shadows the file on disk.
type Document struct {
	Path    string
	Version int32
	handle  *fileHandle
}

// Text returns the document's text (shared: do not modify).
func (d *Document) Text() []byte { return d.handle.text }

// Snapshot is an immutable view of the workspace at one moment. Its
// results are computed on demand and memoized.
type Snapshot struct {
	ws         *Workspace
	id         uint64
	folders    []string
	candidates map[string]bool // .json5/.json files found below the folders
	overlays   map[string]*Document
	config     Config

	mu      sync.Mutex // guards report, running
	report  *Report
	running *computation
}

// clone returns a copy sharing the (copy-on-write) maps, without memoized
// results.
func (s *Snapshot) clone() *Snapshot {
	return &Snapshot{
		ws:         s.ws,
		id:         s.ws.nextID.Add(1),
		folders:    s.folders,
		candidates: s.candidates,
		overlays:   s.overlays,
		config:     s.config,
	}
}

// ID numbers snapshots in the order they were made.
func (s *Snapshot) ID() uint64 { return s.id }

// Folders returns the workspace folders.
func (s *Snapshot) Folders() []string { return slices.Clone(s.folders) }

// Config returns the settings.
func (s *Snapshot) Config() Config { return s.config }

// Document returns the open document at path, or nil.
func (s *Snapshot) Document(path string) *Document { return s.overlays[filepath.Clean(path)] }

// Documents returns the open documents' paths, sorted.
func (s *Snapshot) Documents() []string {
	out := make([]string, 0, len(s.overlays))
	for p := range s.overlays {
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
	if d := s.overlays[path]; d != nil {
		return d.handle
	}
	return s.ws.disk.read(path)
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
	return s.ws.cache.analyzeAny(path, h.text, h.hash, gen, s.exists)
}

// Stat describes a file as the snapshot sees it: an open document exists
// (as a regular file of its text's size) whatever the disk says.
func (s *Snapshot) Stat(path string) (fs.FileInfo, error) {
	path = filepath.Clean(path)
	if d := s.overlays[path]; d != nil {
		return docInfo{name: filepath.Base(path), size: int64(len(d.handle.text))}, nil
	}
	st := s.ws.disk.stat(path)
	return st.info, st.err
}

// exists looks up a `{ file }` target.
func (s *Snapshot) exists(path string) error {
	_, err := s.Stat(path)
	return err
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
// value is an object with a `manifest_version` key, or it has parse problems
// but mentions `manifest_version` (a manifest being edited must keep its
// diagnostics when, say, its opening brace is deleted).
func isManifest(p *parsed) bool {
	syn := p.res.Syntax
	if root := syn.Root; root != nil && root.Kind == json5.Object {
		if root.Member("manifest_version") != nil {
			return true
		}
	}
	return len(syn.Errors) > 0 && mayBeManifest(p.text)
}

// mayBeManifest is the cheap test run before parsing a candidate.
func mayBeManifest(text []byte) bool { return bytes.Contains(text, []byte("manifest_version")) }

// linkSource is the Source of one LinkFunc call: it records every file the
// link read, with the content it saw, so the result can be reused by later
// snapshots in which none of them changed.
type linkSource struct {
	s   *Snapshot
	gen uint64

	mu    sync.Mutex
	reads map[string]uint64 // path -> content key read
	stats map[string]string // path -> Stat's error text ("" when it exists)
	used  []*parsed
}

// Stat tells whether a file exists without reading it (the linker checks
// `{ file }` targets this way).
func (l *linkSource) Stat(path string) (fs.FileInfo, error) {
	if !filepath.IsAbs(path) {
		return nil, errRelative
	}
	path = filepath.Clean(path)
	info, err := l.s.Stat(path)
	l.mu.Lock()
	l.stats[path] = errText(err)
	l.mu.Unlock()
	return info, err
}

var errRelative = errors.New("path is not absolute")

func (l *linkSource) open(path string) (string, *fileHandle, error) {
	if !filepath.IsAbs(path) {
		return path, nil, errRelative
	}
	path = filepath.Clean(path)
	h := l.s.handle(path)
	l.mu.Lock()
	l.reads[path] = h.key()
	l.mu.Unlock()
	return path, h, h.err
}

// ReadFile implements Source.
func (l *linkSource) ReadFile(path string) ([]byte, error) {
	_, h, err := l.open(path)
	if err != nil {
		return nil, err
	}
	return h.text, nil
}

// AnalyzeFile implements FileAnalyzer.
func (l *linkSource) AnalyzeFile(path string, opts manifest.Options) (*manifest.Result, error) {
	p, err := l.parsed(path, opts)
	if err != nil {
		return nil, err
	}
	return p.res, nil
}

// parsed returns the cache entry of a file's analysis.
func (l *linkSource) parsed(path string, opts manifest.Options) (*parsed, error) {
	path, h, err := l.open(path)
	if err != nil {
		return nil, err
	}
	p := l.s.ws.cache.analyze(path, h.text, h.hash, opts, l.gen, l.s.exists)
	l.mu.Lock()
	l.used = append(l.used, p)
	l.mu.Unlock()
	return p, nil
}
