package marker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/source"
)

// checkDiagnostics compares the backend's diagnostics with the diag markers
// (as a whole: each diagnostic announced, each marker matched) and renders
// them for the @diagnostics section.
func (r *run) checkDiagnostics() {
	ds, err := r.b.diagnostics()
	if err != nil {
		r.t.Errorf("%s: diagnostics: %v", r.c.path, err)
		return
	}
	var marks []*call
	for _, m := range r.c.calls {
		if m.name == "diag" {
			marks = append(marks, m)
		}
	}
	matched := make([]bool, len(marks))
	for _, d := range ds {
		f := r.c.fileNamed(d.span.file)
		best := -1
		for i, m := range marks {
			if matched[i] || f == nil || !r.matches(m, d, f) {
				continue
			}
			if best < 0 || len(m.args) > len(marks[best].args) {
				best = i // a marker naming the message first
			}
		}
		if best >= 0 {
			matched[best] = true
			continue
		}
		r.t.Errorf("%s: unexpected diagnostic %s", r.c.path, r.scrub(r.describe(d)))
	}
	unmatched := map[string]bool{}
	for i, m := range marks {
		if !matched[i] {
			r.t.Errorf("%s: %v: no such diagnostic", m.at(r.c), m)
			unmatched[m.file.name] = true
		}
	}
	for _, f := range r.c.files {
		if unmatched[f.name] {
			r.t.Errorf("%s: the diagnostics of %s are:\n%s", r.c.path, f.name, r.scrub(r.list(ds, f.name)))
		}
	}
	if b := r.golden(sectionDiagnostics); b != nil {
		r.render(b, ds)
	}
}

// matches reports whether the diag marker m announces d, a diagnostic of
// file f: same file and code, the primary span starts on the line where the
// marker's text is and with that text, and the message, when given, is
// the same.
func (r *run) matches(m *call, d diagnostic, f *file) bool {
	if m.file != f || d.code != m.args[0] {
		return false
	}
	at, ok := f.find(m.line, m.args[1])
	if !ok || d.span.start < 0 || d.span.start > len(f.text) {
		return false
	}
	if f.lines.Line(d.span.start) != f.lines.Line(at) || !bytes.HasPrefix(f.text[d.span.start:], []byte(m.args[1])) {
		return false
	}
	return len(m.args) < 3 || m.args[2] == r.scrub(d.message)
}

// describe is a one-line description of a diagnostic for failures.
func (r *run) describe(d diagnostic) string {
	return fmt.Sprintf("%s %s %s: %q (span %q)", r.pos(d.span), d.severity, d.code, d.message, r.spanText(d.span))
}

// list lists the diagnostics of a file for failures.
func (r *run) list(ds []diagnostic, file string) string {
	var b strings.Builder
	for _, d := range ds {
		if d.span.file == file {
			fmt.Fprintf(&b, "\t%s\n", r.describe(d))
		}
	}
	if b.Len() == 0 {
		return "\t(none)\n"
	}
	return b.String()
}

// spanText returns the text of a span of a case file.
func (r *run) spanText(s span) string {
	f := r.c.fileNamed(s.file)
	if f == nil || s.start < 0 || s.end > len(f.text) || s.start > s.end {
		return ""
	}
	return string(f.text[s.start:s.end])
}

// pos renders a span as file:line:col-line:col, 1-based, columns in code
// points.
func (r *run) pos(s span) string {
	f := r.c.fileNamed(s.file)
	if f == nil {
		return fmt.Sprintf("%s:[%d:%d]", s.file, s.start, s.end)
	}
	a := f.lines.Position(s.start, source.CodePoint)
	b := f.lines.Position(s.end, source.CodePoint)
	return fmt.Sprintf("%s:%d:%d-%d:%d", s.file, a.Line+1, a.Column+1, b.Line+1, b.Column+1)
}

// render writes diagnostics in the format of @diagnostics:
//
//	FILE:L:C-L:C: SEVERITY CODE: MESSAGE
//	  primary: "label"                    the primary label's message (detail)
//	  secondary FILE:L:C-L:C: "label"     another label; "primary" when it is one too
//	  help: HELP
//	  fix: TITLE                          (detail)
//	    edit FILE:L:C-L:C: "new text"     (detail)
//
// Without detail the related labels read "related" for "primary" and
// "secondary", and the detail lines are missing (withoutDetail).
func (r *run) render(b *bytes.Buffer, ds []diagnostic) {
	for _, d := range ds {
		fmt.Fprintf(b, "%s: %s %s: %s\n", r.pos(d.span), d.severity, d.code, indent(r.scrub(d.message)))
		if d.detail != nil {
			fmt.Fprintf(b, "  primary: %q\n", r.scrub(d.detail.primary))
		}
		for i, l := range d.related {
			kind := "related"
			if d.detail != nil {
				kind = d.detail.kinds[i]
			}
			fmt.Fprintf(b, "  %s %s: %q\n", kind, r.scrub(r.pos(l.span)), r.scrub(l.message))
		}
		if d.help != "" {
			fmt.Fprintf(b, "  help: %s\n", indent(r.scrub(d.help)))
		}
		if d.detail == nil {
			continue
		}
		for _, f := range d.detail.fixes {
			fmt.Fprintf(b, "  fix: %s\n", r.scrub(f.title))
			for _, e := range f.edits {
				fmt.Fprintf(b, "    edit %s: %q\n", r.scrub(r.pos(e.span)), e.newText)
			}
		}
	}
}

// indent indents the lines after the first of a message.
func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n        ") }

// withoutDetail returns @diagnostics text as a backend without detail
// renders it.
func withoutDetail(text []byte) []byte {
	var b bytes.Buffer
	for _, line := range strings.SplitAfter(string(text), "\n") {
		switch {
		case strings.HasPrefix(line, "  primary: "), strings.HasPrefix(line, "  fix: "), strings.HasPrefix(line, "    edit "):
			continue
		case strings.HasPrefix(line, "  primary "), strings.HasPrefix(line, "  secondary "):
			line = "  related " + line[strings.Index(line[2:], " ")+3:]
		}
		b.WriteString(line)
	}
	return b.Bytes()
}

// sortByFile orders diagnostics by file name, keeping each file's order.
func sortByFile(ds []diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].span.file < ds[j].span.file })
}

// diagnostics returns the snapshot's report.
func (b *analysisBackend) diagnostics() ([]diagnostic, error) {
	rep, err := b.snap.Diagnostics(b.ctx)
	if err != nil {
		return nil, err
	}
	var out []diagnostic
	for _, path := range rep.Files() {
		file := relName(b.dir, path)
		for i := range rep.ByFile[path] {
			out = append(out, b.diagnostic(file, &rep.ByFile[path][i]))
		}
	}
	sortByFile(out)
	return out, nil
}

// diagnostic converts a diagnostic of file.
func (b *analysisBackend) diagnostic(file string, d *diag.Diagnostic) diagnostic {
	out := diagnostic{
		span:     span{file: file},
		severity: d.Severity.String(),
		code:     string(d.Code),
		message:  d.Message,
		help:     d.Help,
		detail:   &diagnosticDetail{},
	}
	primary, hasPrimary := d.Primary()
	skipped := false
	for _, l := range d.Labels {
		name := b.name(l.File, file)
		if hasPrimary && !skipped && l == primary {
			skipped = true
			if name == file {
				out.span = b.span(file, l.Span)
			}
			out.detail.primary = l.Message
			continue
		}
		out.related = append(out.related, label{span: b.span(name, l.Span), message: l.Message})
		kind := "secondary"
		if l.Primary {
			kind = "primary"
		}
		out.detail.kinds = append(out.detail.kinds, kind)
	}
	for _, f := range d.Fixes {
		out.detail.fixes = append(out.detail.fixes, fix{title: f.Title, edits: b.edits(f.Edits, file)})
	}
	return out
}

// lspDiagnostic is a diagnostic as the server publishes it.
type lspDiagnostic struct {
	Range              lspRange `json:"range"`
	Severity           int      `json:"severity"`
	Code               any      `json:"code"`
	Message            string   `json:"message"`
	RelatedInformation []struct {
		Location lspLocation `json:"location"`
		Message  string      `json:"message"`
	} `json:"relatedInformation"`
}

// lspSeverities names the LSP's severities.
var lspSeverities = map[int]string{1: diag.Error.String(), 2: diag.Warning.String(), 3: diag.Info.String(), 4: diag.Hint.String()}

// diagnostics returns what the server published last for every file.
func (b *lspBackend) diagnostics() ([]diagnostic, error) {
	var out []diagnostic
	for uri, raw := range b.cl.publishedDiagnostics() {
		file := b.name(uri)
		var ds []lspDiagnostic
		if err := json.Unmarshal(raw, &ds); err != nil {
			return nil, fmt.Errorf("diagnostics of %s: %v", uri, err)
		}
		for _, d := range ds {
			out = append(out, b.diagnostic(file, d))
		}
	}
	sortByFile(out)
	return out, nil
}

// diagnostic converts a published diagnostic: the help follows the message,
// a label without a message reads "related location".
func (b *lspBackend) diagnostic(file string, d lspDiagnostic) diagnostic {
	out := diagnostic{span: b.span(file, d.Range), severity: lspSeverities[d.Severity], message: d.Message}
	if out.severity == "" {
		out.severity = fmt.Sprintf("severity(%d)", d.Severity)
	}
	if code, ok := d.Code.(string); ok {
		out.code = code
	} else {
		out.code = fmt.Sprint(d.Code)
	}
	if i := strings.Index(d.Message, "\nhelp: "); i >= 0 {
		out.message, out.help = d.Message[:i], d.Message[i+len("\nhelp: "):]
	}
	for _, ri := range d.RelatedInformation {
		msg := ri.Message
		if msg == "related location" {
			msg = ""
		}
		name := b.name(ri.Location.URI)
		out.related = append(out.related, label{span: b.span(name, ri.Location.Range), message: msg})
	}
	return out
}
