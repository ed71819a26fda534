package analysis

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/amberlsp/amber-lsp/internal/localfile"
)

// fileHandle is the content of a file at some moment: an open document's
// text, or what was read from disk (err set when it could not be read).
type fileHandle struct {
	text []byte
	hash uint64
	err  error
}

func newHandle(text []byte) *fileHandle {
	return &fileHandle{text: text, hash: contentHash(text)}
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

// diskCache remembers what files on disk contained when last read, including
// that a file did not exist. Entries are dropped when the file is reported
// changed (workspace/didChangeWatchedFiles, didSave, didClose).
type diskCache struct {
	mu    sync.Mutex
	files map[string]*fileHandle
	stats map[string]*statResult
}

// statResult is what os.Stat said about a path.
type statResult struct {
	info fs.FileInfo
	err  error
}

func newDiskCache() *diskCache {
	return &diskCache{files: map[string]*fileHandle{}, stats: map[string]*statResult{}}
}

// stat returns the cached os.Stat of path.
func (d *diskCache) stat(path string) *statResult {
	d.mu.Lock()
	st := d.stats[path]
	d.mu.Unlock()
	if st != nil {
		return st
	}
	info, err := os.Stat(path)
	st = &statResult{info, err}
	d.mu.Lock()
	if old := d.stats[path]; old != nil {
		st = old
	} else {
		d.stats[path] = st
	}
	d.mu.Unlock()
	return st
}

// read returns the cached content of path, reading the disk on a miss.
func (d *diskCache) read(path string) *fileHandle {
	d.mu.Lock()
	h := d.files[path]
	d.mu.Unlock()
	if h != nil {
		return h
	}
	text, err := localfile.Read(path)
	if err != nil {
		h = &fileHandle{err: err}
	} else {
		h = newHandle(text)
	}
	d.mu.Lock()
	if old := d.files[path]; old != nil {
		h = old // another goroutine read it first
	} else {
		d.files[path] = h
	}
	d.mu.Unlock()
	return h
}

// forget drops path, and everything below it when it is a directory.
func (d *diskCache) forget(path string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.files, path)
	delete(d.stats, path)
	prefix := path + string(filepath.Separator)
	for p := range d.files {
		if strings.HasPrefix(p, prefix) {
			delete(d.files, p)
		}
	}
	for p := range d.stats {
		if strings.HasPrefix(p, prefix) {
			delete(d.stats, p)
		}
	}
	// A file appearing or going away also changes its directory.
	delete(d.stats, filepath.Dir(path))
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
