// Package render prints diagnostics for people (text, in the style of
// Amber's own CLI) and for machines (JSON and SARIF, as specified in
// docs/cli-json.md).
package render

import (
	"sync"

	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/source"
)

// Files gives the text of the files diagnostics point into. Texts given
// with Add win; others are read from disk on first use.
type Files struct {
	mu    sync.Mutex
	lines map[string]*source.Lines
}

// NewFiles returns an empty set.
func NewFiles() *Files { return &Files{lines: map[string]*source.Lines{}} }

// Add records the text of a file.
func (f *Files) Add(name string, text []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines[name] = source.NewLines(text)
}

// Lines returns the line table of a file, or nil when it cannot be read.
func (f *Files) Lines(name string) *source.Lines {
	f.mu.Lock()
	defer f.mu.Unlock()
	if l, ok := f.lines[name]; ok {
		return l
	}
	var l *source.Lines
	if text, err := localfile.Read(name); err == nil {
		l = source.NewLines(text)
	}
	f.lines[name] = l
	return l
}

// Range is a 1-based line/column range with an exclusive end, columns in
// Unicode code points (cli-json.md).
type Range struct {
	Start Pos `json:"start"` // the first character
	End   Pos `json:"end"`   // just past the last character
}

// Pos is a 1-based line and code-point column.
type Pos struct {
	Line   int `json:"line"`   // 1-based
	Column int `json:"column"` // 1-based, in code points
}

// rangeOf converts a byte span of a file to a Range; a file that cannot be
// read gives 1:1.
func (f *Files) rangeOf(file string, start, end int) Range {
	l := f.Lines(file)
	if l == nil {
		return Range{Pos{1, 1}, Pos{1, 1}}
	}
	s := l.Position(start, source.CodePoint)
	e := l.Position(end, source.CodePoint)
	return Range{Pos{s.Line + 1, s.Column + 1}, Pos{e.Line + 1, e.Column + 1}}
}
