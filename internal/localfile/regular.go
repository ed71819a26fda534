package localfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// NotRegularError is the error of a path that names something other than
// a regular file or a directory: a named pipe, a socket, a device, or a
// file of a pseudo-filesystem such as /proc and /sys. Reading one could
// block forever (a pipe nobody writes to), never end (/dev/zero) or show
// what is not the repository's (/proc/self/environ holds the environment,
// secrets included), so amber-lsp reads none of them.
type NotRegularError struct {
	Path string // the path, as it was asked for
	// What the path names, as an article and a noun: "a named pipe".
	What string
}

// Error returns the error's message.
func (e *NotRegularError) Error() string {
	return fmt.Sprintf("`%s` is %s, not a regular file (amber-lsp reads only regular files)", e.Path, e.What)
}

// pseudoDirs are the directories whose files are never a repository's
// content, whatever the file system below them says: a path under one is
// refused before anything else is asked of it.
var pseudoDirs = []string{"/proc", "/sys", "/dev"}

// openRegular opens the regular file at path for reading. Everything else
// is refused before it is opened (opening a named pipe blocks until a
// writer comes): a directory with the error Amber's reading gives it (EISDIR),
// anything else with a *NotRegularError. The file is opened without
// blocking and checked again once open, so a path swapped for a pipe or a
// device in between is refused too.
func openRegular(path string) (*os.File, error) {
	if err := underPseudoDir(path); err != nil {
		return nil, err
	}
	before, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, before); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, err
	}
	after, err := f.Stat()
	if err == nil {
		err = checkRegular(path, after)
	}
	if err == nil && !os.SameFile(before, after) {
		err = &NotRegularError{Path: path, What: "a file that changed while it was opened"}
	}
	if err == nil {
		err = checkFileSystem(path, f)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Check refuses a path that Read would refuse without reading it: one
// under /proc, /sys or /dev, or one that is not a regular file. A missing
// file is no error here: callers learn that when they read it.
func Check(path string) error {
	if err := underPseudoDir(path); err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	return checkRegular(path, info)
}

// underPseudoDir refuses a path under one of pseudoDirs, as written and
// with its symbolic links resolved.
func underPseudoDir(path string) error {
	paths := []string{filepath.Clean(path)}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		paths = append(paths, real)
	}
	for _, p := range paths {
		for _, dir := range pseudoDirs {
			if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
				return &NotRegularError{Path: path, What: "a file below " + dir}
			}
		}
	}
	return nil
}

// checkRegular refuses what info describes unless it is a regular file.
func checkRegular(path string, info fs.FileInfo) error {
	mode := info.Mode()
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		return &os.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	case mode&fs.ModeNamedPipe != 0:
		return &NotRegularError{Path: path, What: "a named pipe"}
	case mode&fs.ModeSocket != 0:
		return &NotRegularError{Path: path, What: "a socket"}
	case mode&fs.ModeDevice != 0:
		return &NotRegularError{Path: path, What: "a device"}
	}
	return &NotRegularError{Path: path, What: "an irregular file"}
}
