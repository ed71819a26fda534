// Package localfile reads local files with a size limit: whatever a
// repository holds, amber-lsp reads at most MaxSize+1 bytes of any one
// file, as it reads at most Amber's 1 MiB of a fetched manifest.
package localfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"syscall"
	"unicode"
	"unicode/utf8"
)

// MaxSize is the largest local file amber-lsp reads: a manifest, a program's
// `{ file }` text, a file shown in text output. 16 MiB is sixteen times
// Amber's limit on fetched manifests, far above any real manifest, and
// bounds the memory one file can take (a parsed manifest takes a few dozen
// times its size).
const MaxSize = 16 << 20

// TooLargeError is the error of a file larger than MaxSize.
type TooLargeError struct {
	Path string // the file, as it was asked for
}

// Error returns the error's message.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("file `%s` exceeds max size %d bytes", e.Path, MaxSize)
}

// Read returns the content of the file at path, or a *TooLargeError
// without its content when it holds more than MaxSize bytes. It never reads
// more than MaxSize+1 bytes, whatever the file is.
func Read(path string) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 512
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = int(min(info.Size(), MaxSize)) + 1 // room to see the end
	}
	data := make([]byte, 0, size)
	r := io.LimitReader(f, MaxSize+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
	}
	if len(data) > MaxSize {
		return nil, &TooLargeError{Path: path}
	}
	return data, nil
}

// Reason renders an error of reading a file the way Rust's std::io::Error
// displays an OS error, which Amber's messages quote: `No such file or
// directory (os error 2)`, `Is a directory (os error 21)`. The errors of
// this package's own limits (TooLargeError, NotRegularError) keep their
// text.
func Reason(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return capitalize(errno.Error()) + " (os error " + strconv.Itoa(int(errno)) + ")"
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "No such file or directory (os error 2)"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
