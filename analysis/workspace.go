package analysis

import (
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/amberlsp/amber-lsp/internal/persistent"
	"github.com/amberlsp/amber-lsp/linker"
)

// Options configure a Workspace.
type Options struct {
	// Link links one root manifest tree; nil means linker.Link.
	Link LinkFunc
	// Fetcher fetches the remote manifests of every link; nil means a
	// linker.HTTPFetcher caching under linker.DefaultCacheDir().
	Fetcher linker.Fetcher
	// LinkCache keeps what the linker caches between links (digests,
	// remote manifests); nil means a new one.
	LinkCache *linker.Cache
}

// Config is the part of a workspace's state that comes from settings.
type Config struct {
	// Roots names root manifests explicitly (absolute paths). When it is
	// empty the roots are discovered: the workspace manifests no other
	// workspace manifest references. When it is set, only these are roots,
	// unless DiscoverRoots is also set.
	Roots         []string
	DiscoverRoots bool // discover roots besides Roots (as `--check` does)
	// Deny lists -D arguments applied to every diagnostic: "warnings" or
	// full lint codes.
	Deny []string
	// Limits bound what every link may do.
	Limits Limits
}

// Limits bound what linking a tree may do, whatever its manifests say:
// `amber.remote.fetch` and `amber.limits.instances` in the editor,
// `--remote-fetch`/`--offline` and `--max-instances` on the command line.
// The zero value is the default.
type Limits struct {
	// Remote says which remote manifests may be fetched: https:// only
	// (the zero value), all, or none.
	Remote linker.RemoteFetch
	// MaxInstances bounds the component instances of one tree; 0 means
	// linker.DefaultMaxInstances.
	MaxInstances int
}

// FileChange is a change of a file on disk.
type FileChange struct {
	Path string         // absolute path of the file
	Kind FileChangeKind // created, changed or deleted
}

// FileChangeKind says what happened to a file on disk.
type FileChangeKind int

// Kinds of file changes, as workspace/didChangeWatchedFiles reports them.
const (
	FileCreated FileChangeKind = iota + 1
	FileChanged
	FileDeleted
)

// Workspace is the mutable state of a session: the workspace folders, the
// open documents, the settings and what was read from disk. Every change
// produces a new immutable Snapshot; every IDE feature is a function of a
// snapshot. A Workspace is safe for concurrent use.
//
// Work is shared across snapshots: per-file analyses are cached by content,
// and the link of a root is reused by the next snapshot when none of the
// files it read changed, so an edit re-analyzes only the edited file and
// re-links only the roots whose trees read it.
type Workspace struct {
	link      LinkFunc
	fetcher   linker.Fetcher
	linkCache *linker.Cache
	cache     *parseCache
	disk      *diskState

	mu     sync.Mutex // guards snap, active
	snap   *Snapshot
	active map[uint64]int // generations of computations in progress

	rootsMu   sync.Mutex
	roots     map[string]*RootLink // the latest link of each root
	goodRoots map[string]*heldLink // the latest link of each root made while it parsed

	symbols   symbolIndex   // the declarations of each manifest's content (workspace symbols)
	referrers referrerIndex // the last reverse index of manifest references

	gen    atomic.Uint64 // computation generations
	nextID atomic.Uint64 // snapshot ids
	links  atomic.Int64  // number of LinkFunc calls, for tests and figures
}

// NewWorkspace returns an empty workspace: no folders, no open documents.
func NewWorkspace(opts Options) *Workspace {
	w := &Workspace{
		link:      opts.Link,
		fetcher:   opts.Fetcher,
		linkCache: opts.LinkCache,
		cache:     newParseCache(),
		disk:      newDiskState(),
		active:    map[uint64]int{},
		roots:     map[string]*RootLink{},
		goodRoots: map[string]*heldLink{},
	}
	if w.link == nil {
		w.link = linker.Link
	}
	if w.fetcher == nil {
		w.fetcher = linker.NewHTTPFetcher(linker.DefaultCacheDir())
	}
	if w.linkCache == nil {
		w.linkCache = linker.NewCache()
	}
	w.snap = &Snapshot{ws: w, documents: map[string]*Document{}}
	return w
}

// Snapshot returns the current snapshot.
func (w *Workspace) Snapshot() *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.snap
}

// update derives a new current snapshot from the current one.
func (w *Workspace) update(f func(s *Snapshot)) *Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.snap.clone()
	f(s)
	w.snap = s
	return s
}

// SetFolders replaces the workspace folders (absolute paths) and discovers
// the candidate manifest files below them. The walk happens before the
// workspace is locked, so edits made meanwhile are kept. It returns the new
// snapshot and the first problem met while listing the folders.
func (w *Workspace) SetFolders(folders []string) (*Snapshot, error) {
	folders = cleanPaths(folders)
	var found []string
	var first error
	for _, f := range folders {
		files, err := walkCandidates(f)
		if err != nil && first == nil {
			first = &FolderError{Folder: f, Err: err}
		}
		found = append(found, files...)
	}
	var candidates persistent.Map[struct{}]
	for _, p := range found {
		candidates = candidates.Set(p, struct{}{})
	}
	w.disk.know(found...)
	s := w.update(func(s *Snapshot) {
		s.folders = folders
		s.candidates = candidates
	})
	return s, first
}

// FolderError reports a workspace folder that could not be listed
// completely.
type FolderError struct {
	Folder string // the folder, as SetFolders was given it (cleaned)
	Err    error  // the first error met while walking it
}

// Error returns the error's message.
func (e *FolderError) Error() string { return "cannot read " + e.Folder + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FolderError) Unwrap() error { return e.Err }

// SetConfig replaces the settings.
func (w *Workspace) SetConfig(cfg Config) *Snapshot {
	cfg.Roots = cleanPaths(cfg.Roots)
	cfg.Deny = slices.Clone(cfg.Deny)
	return w.update(func(s *Snapshot) { s.config = cfg })
}

// SetDocument records the text of an open document (didOpen, didChange).
// The text must not be modified afterwards.
func (w *Workspace) SetDocument(path string, version int32, text []byte) *Snapshot {
	path = filepath.Clean(path)
	d := &Document{Path: path, Version: version, handle: newDocumentHandle(text)}
	return w.update(func(s *Snapshot) {
		s.documents = maps.Clone(s.documents)
		s.documents[path] = d
	})
}

// EditDocument records a new version of an open document (didChange):
// text, which edits made from the previous version's text, each edit
// applied to the text the ones before it made. Its syntax tree is then
// re-parsed from the previous version's where the edits allow
// (json5.ReparseEdited), with the same result as a parse of text. Without
// a previous version, or with edits that do not fit it, it is SetDocument.
// The text must not be modified afterwards.
func (w *Workspace) EditDocument(path string, version int32, text []byte, edits []TextEdit) *Snapshot {
	path = filepath.Clean(path)
	h := newDocumentHandle(text)
	return w.update(func(s *Snapshot) {
		if prev := s.documents[path]; prev != nil {
			h.follow(prev.handle, edits)
		}
		s.documents = maps.Clone(s.documents)
		s.documents[path] = &Document{Path: path, Version: version, handle: h}
	})
}

// CloseDocument forgets an open document: the file on disk is what counts
// again, read afresh.
func (w *Workspace) CloseDocument(path string) *Snapshot {
	path = filepath.Clean(path)
	return w.update(func(s *Snapshot) {
		s.documents = maps.Clone(s.documents)
		delete(s.documents, path)
		w.renew(s, path)
	})
}

// FilesChanged records changes of files on disk: the new snapshot reads the
// named files, and everything below a named directory, afresh; earlier
// snapshots keep seeing what they saw.
func (w *Workspace) FilesChanged(changes []FileChange) *Snapshot {
	return w.update(func(s *Snapshot) {
		for _, c := range changes {
			p := filepath.Clean(c.Path)
			below := w.renew(s, p)
			switch c.Kind {
			case FileDeleted:
				s.candidates = s.candidates.Delete(p)
				for _, q := range below {
					s.candidates = s.candidates.Delete(q)
				}
			case FileCreated, FileChanged:
				if isCandidate(p) && s.inFolders(p) {
					s.candidates = s.candidates.Set(p, struct{}{})
				}
			}
		}
	})
}

// renew gives s fresh versions of path, of every indexed path below it and
// of its directory (a file appearing or going away changes the directory's
// Stat). Analyses and links re-check what they read or looked up, so fresh
// versions are all a change needs. It returns the paths below path.
func (w *Workspace) renew(s *Snapshot, path string) []string {
	w.disk.know(path)
	below := w.disk.under(path)
	for _, p := range append(below, path, filepath.Dir(path)) {
		s.disk = s.disk.Set(p, newDiskFile(p))
	}
	return below
}

// Parses returns how many per-file analyses the workspace has computed.
func (w *Workspace) Parses() int { return w.cache.count() }

// Links returns how many times the workspace has called its LinkFunc.
func (w *Workspace) Links() int64 { return w.links.Load() }

// begin registers a computation generation.
func (w *Workspace) begin() uint64 {
	g := w.gen.Add(1)
	w.mu.Lock()
	w.active[g]++
	w.mu.Unlock()
	return g
}

// end unregisters a computation; a successful one then drops the cached
// analyses that neither it nor a computation still running used.
func (w *Workspace) end(g uint64, ok bool) {
	w.mu.Lock()
	w.active[g]--
	if w.active[g] == 0 {
		delete(w.active, g)
	}
	keep := g
	for a := range w.active {
		keep = min(keep, a)
	}
	w.mu.Unlock()
	if ok {
		w.cache.sweep(keep)
	}
}

func cleanPaths(paths []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
