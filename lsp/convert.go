package lsp

import (
	"strings"
	"sync"
	"unsafe"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/source"
)

// Converter turns diagnostics into LSP diagnostics for one position
// encoding. It is exported for tests that compare what the server publishes
// with a fresh `--check`.
type Converter struct {
	Unit source.Unit // the position encoding agreed with the client
	// Text returns a file's current text (nil when unreadable).
	Text func(path string) []byte
	// URI returns the URI to name a file by.
	URI func(path string) uri.URI

	lines *lineCache // nil: the converter's own
}

// lineCache keeps the line index of each file's text last seen.
type lineCache struct {
	mu    sync.Mutex
	index map[string]*source.Lines
}

// index returns the line index of a file's current text.
func (c *Converter) index(path string) *source.Lines {
	if c.lines == nil {
		c.lines = &lineCache{}
	}
	return c.lines.get(path, c.Text(path))
}

// get returns the line index of text, the current text of path.
func (lc *lineCache) get(path string, text []byte) *source.Lines {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.index == nil {
		lc.index = map[string]*source.Lines{}
	}
	if l := lc.index[path]; l != nil && sameBytes(l.Text(), text) {
		return l
	}
	l := source.NewLines(text)
	lc.index[path] = l
	return l
}

// put records the line index of a file's current text.
func (lc *lineCache) put(path string, l *source.Lines) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.index == nil {
		lc.index = map[string]*source.Lines{}
	}
	lc.index[path] = l
}

// forget drops the line indexes of files not in keep.
func (lc *lineCache) forget(keep func(path string) bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for p := range lc.index {
		if !keep(p) {
			delete(lc.index, p)
		}
	}
}

// sameBytes reports whether a and b are the same slice (texts are never
// modified in place, so identity means equality).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}

// Range converts a byte span of a file.
func (c *Converter) Range(path string, span diag.Span) protocol.Range {
	l := c.index(path)
	return protocol.Range{Start: c.position(l, span.Start), End: c.position(l, span.End)}
}

func (c *Converter) position(l *source.Lines, offset int) protocol.Position {
	p := l.Position(offset, c.Unit)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Column)}
}

// Diagnostics converts the diagnostics that belong to file.
func (c *Converter) Diagnostics(file string, ds []diag.Diagnostic) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, 0, len(ds))
	for i := range ds {
		out = append(out, c.Diagnostic(file, &ds[i]))
	}
	return out
}

// Diagnostic converts one diagnostic published for file. Its range is the
// primary label's (the start of the file when the label lies elsewhere or
// there is none); the other labels become related information; the help
// text follows the message.
func (c *Converter) Diagnostic(file string, d *diag.Diagnostic) protocol.Diagnostic {
	out := protocol.Diagnostic{
		Severity: severity(d.Severity),
		Code:     protocol.String(d.Code),
		Source:   protocol.NewOptional("amber"),
		Message:  protocol.String(message(d)),
	}
	primary, hasPrimary := d.Primary()
	if hasPrimary && samePath(primary.File, file) {
		out.Range = c.Range(file, primary.Span)
	}
	if href := codeHref(d.Code); href != "" {
		out.CodeDescription = protocol.CodeDescription{Href: uri.URI(href)}
	}
	if tags := tags(d.Code); len(tags) > 0 {
		out.Tags = protocol.NewDiagnosticTags(tags...)
	}
	skipped := false
	for _, l := range d.Labels {
		if hasPrimary && !skipped && l == primary {
			skipped = true
			continue
		}
		path := labelPath(l.File, file)
		msg := l.Message
		if msg == "" {
			msg = "related location"
		}
		out.RelatedInformation = append(out.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: c.URI(path), Range: c.Range(path, l.Span)},
			Message:  msg,
		})
	}
	return out
}

// message is the diagnostic's message with its help.
func message(d *diag.Diagnostic) string {
	if d.Help == "" {
		return d.Message
	}
	return d.Message + "\nhelp: " + d.Help
}

func severity(s diag.Severity) protocol.DiagnosticSeverity {
	switch s {
	case diag.Error:
		return protocol.DiagnosticSeverityError
	case diag.Warning:
		return protocol.DiagnosticSeverityWarning
	case diag.Info:
		return protocol.DiagnosticSeverityInformation
	}
	return protocol.DiagnosticSeverityHint
}

// tags are the LSP tags of a code, from the registry: editors render
// unnecessary code faded and deprecated syntax struck through.
func tags(code diag.Code) []protocol.DiagnosticTag {
	info, _ := codes.Lookup(code)
	var out []protocol.DiagnosticTag
	if info.Tags.Has(codes.Unnecessary) {
		out = append(out, protocol.DiagnosticTagUnnecessary)
	}
	if info.Tags.Has(codes.Deprecated) {
		out = append(out, protocol.DiagnosticTagDeprecated)
	}
	return out
}

// codeHref links codes to where their rule is defined, when there is a
// stable public page: the JSON5 grammar for syntax errors.
func codeHref(code diag.Code) string {
	if code == codes.JSON5Error {
		return "https://spec.json5.org/"
	}
	return ""
}

// labelPath is the local path of a label's file ("" means the file the
// diagnostic is published for).
func labelPath(file, published string) string {
	if file == "" {
		return published
	}
	if p, ok := pathOf(uri.URI(file)); ok && strings.HasPrefix(file, "file:") {
		return p
	}
	return file
}

func samePath(labelFile, file string) bool { return labelPath(labelFile, file) == file }

// offset converts an LSP position in a file to a byte offset.
func (c *Converter) offset(path string, p protocol.Position) int {
	return c.index(path).Offset(source.Position{Line: int(p.Line), Column: int(p.Character)}, c.Unit)
}

// location converts a span of a file.
func (c *Converter) location(path string, span diag.Span) protocol.Location {
	return protocol.Location{URI: c.URI(path), Range: c.Range(path, span)}
}
