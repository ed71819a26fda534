// Package txtar reads and writes text archives: several named files in one
// plain-text file, the format the marker tests keep their cases in.
//
// An archive is a comment followed by files. Each file starts with a line
//
//	-- name --
//
// and holds the lines up to the next such line or the end of the archive.
// Every file's data ends with a newline once written (an archive cannot
// hold a file whose last line is unterminated). There is no escaping: a
// file cannot contain a line that looks like a file header.
package txtar

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Archive is a parsed archive.
type Archive struct {
	Comment []byte // the text before the first file header
	Files   []File // in archive order
}

// File is one file of an archive.
type File struct {
	Name string // the name in the file's `-- name --` header
	Data []byte // the lines up to the next header, newlines included
	// Line is the 1-based line of the archive where Data starts, so that a
	// position in the file can be reported as one in the archive.
	Line int
}

// Parse parses an archive. It never fails: text before the first header is
// the comment, and a malformed header line is data.
func Parse(data []byte) *Archive {
	a := &Archive{}
	var cur *File
	start := 0
	line := 1
	flush := func(end int) {
		if cur == nil {
			a.Comment = data[start:end:end]
		} else {
			cur.Data = data[start:end:end]
			a.Files = append(a.Files, *cur)
		}
	}
	for off := 0; off < len(data); line++ {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		if name, ok := header(data[off:next]); ok {
			flush(off)
			cur = &File{Name: name, Line: line + 1}
			start = next
		}
		off = next
	}
	flush(len(data))
	return a
}

// header returns the name of a `-- name --` line.
func header(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < 7 {
		return "", false
	}
	name := strings.TrimSpace(s[3 : len(s)-3])
	return name, name != ""
}

// Format returns the text of an archive. The comment and every file's data
// get a final newline when they lack one.
func Format(a *Archive) []byte {
	var b bytes.Buffer
	b.Write(withNewline(a.Comment))
	for _, f := range a.Files {
		fmt.Fprintf(&b, "-- %s --\n", f.Name)
		b.Write(withNewline(f.Data))
	}
	return b.Bytes()
}

func withNewline(data []byte) []byte {
	if len(data) == 0 || data[len(data)-1] == '\n' {
		return data
	}
	return append(data[:len(data):len(data)], '\n')
}

// ParseFile reads and parses the archive at path.
func ParseFile(path string) (*Archive, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data), nil
}

// Get returns the file called name, or nil.
func (a *Archive) Get(name string) *File {
	for i := range a.Files {
		if a.Files[i].Name == name {
			return &a.Files[i]
		}
	}
	return nil
}

// WriteDir writes the files for which keep returns true below dir,
// creating directories as needed. A name must be a relative slash-separated
// path that stays below dir.
func (a *Archive) WriteDir(dir string, keep func(name string) bool) error {
	for _, f := range a.Files {
		if !keep(f.Name) {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(f.Name)) {
			return fmt.Errorf("archive file %q is not a relative path below the archive's directory", f.Name)
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Glob returns the files whose names end in suffix of every archive
// matching pattern, by "archive path/file name". Tests use it to feed the
// files of the marker cases to fuzzers and property tests.
func Glob(pattern, suffix string) (map[string][]byte, error) {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, p := range paths {
		a, err := ParseFile(p)
		if err != nil {
			return nil, err
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, suffix) {
				out[p+"/"+f.Name] = f.Data
			}
		}
	}
	return out, nil
}
