// Package diag is the one diagnostics model of amber-lsp. Every stage (parser,
// manifest validation, lints, linker, overlays) reports problems as Diagnostics;
// the command line renders them and the language server publishes them.
//
// Positions are byte spans into a named file. Converting them to lines and
// columns is the job of package source, done only at the edges.
package diag

import (
	"fmt"
	"sort"
)

// Severity orders diagnostics by importance.
type Severity int

// Severities, most severe first.
const (
	Error Severity = iota
	Warning
	Info
	Hint
)

// String returns the severity's name as used in --format json.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	case Hint:
		return "hint"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Span is a half-open byte range [Start, End) in a file.
type Span struct {
	Start, End int // byte offsets; Start <= End
}

// Len returns the number of bytes the span covers.
func (s Span) Len() int { return s.End - s.Start }

// Contains reports whether o lies within s.
func (s Span) Contains(o Span) bool { return s.Start <= o.Start && o.End <= s.End }

// Label marks a span of a file with an optional text. The first primary label
// of a diagnostic is where the diagnostic is reported.
type Label struct {
	File    string // path or URI of the file the span lies in
	Span    Span   // the bytes marked
	Message string // the text shown at the span; "" for none
	Primary bool   // the diagnostic is reported here (the first primary label)
}

// Edit replaces the bytes of Span in File with NewText.
type Edit struct {
	File    string // path of the file edited; "" for the diagnostic's own file
	Span    Span   // the bytes replaced (empty to insert)
	NewText string // what replaces them
}

// Fix is a set of edits that resolves a diagnostic, offered as a code action.
type Fix struct {
	Title string // what the fix does, shown as the code action's title
	Edits []Edit // the edits, applied together
	// Preferred marks the fix that is the one right answer to the
	// diagnostic, which an editor may apply without asking (the LSP's
	// isPreferred): a single obvious edit such as Amber's spelling of a key.
	// Preferred fixes are the safe ones: they never change what the
	// manifest means, so source.fixAll and `--check --fix` apply them all
	// at once (analysis.SafeFixes).
	Preferred bool
}

// Code identifies a kind of diagnostic: Amber's code, e.g.
// "manifest::unknown_overlay_use", or "amber_lsp::…" for problems Amber does
// not report. Every code is declared, with its severity and documentation,
// in package diag/codes; producers use those named values.
type Code string

// Diagnostic is one reported problem.
type Diagnostic struct {
	Code     Code     // what kind of problem (see package diag/codes)
	Severity Severity // after -D: a denied warning is an Error
	Message  string   // the one-line statement of the problem
	Labels   []Label  // primary first, then secondary labels, possibly in other files
	Help     string   // how to resolve it; "" for none
	Fixes    []Fix    // edits that resolve it, for code actions and --fix
	// Subject is the name the diagnostic is about when it is about one
	// declared name (the slot of an unused_slot lint, the config path of an
	// unused_config lint, ...), for code that acts on diagnostics without
	// reading their rendered message. "" when there is none.
	Subject string
	// Denied is set when a warning was promoted to an error by -D.
	Denied bool
	// Omitted is set on a diagnostic that stands for others left out (see
	// CapPerFile): how many of each severity.
	Omitted *Counts
}

// Primary returns the diagnostic's first primary label, or the first label,
// and false when it has none.
func (d *Diagnostic) Primary() (Label, bool) {
	for _, l := range d.Labels {
		if l.Primary {
			return l, true
		}
	}
	if len(d.Labels) > 0 {
		return d.Labels[0], true
	}
	return Label{}, false
}

// File returns the file of the primary label ("" when there is none).
func (d *Diagnostic) File() string {
	l, _ := d.Primary()
	return l.File
}

// String formats the diagnostic on one line, for tests and logs.
func (d *Diagnostic) String() string {
	l, _ := d.Primary()
	return fmt.Sprintf("%s %s [%d:%d] %s", d.Severity, d.Code, l.Span.Start, l.Span.End, d.Message)
}

// DenyAll is the -D argument that denies every warning.
const DenyAll = "warnings"

// Deny promotes warnings to errors as Amber's `-D` flag does. Each entry of deny
// is either "warnings" (every warning) or a full code. A denied warning keeps
// its code, becomes an error, and its help is prefixed with the reason.
func Deny(diags []Diagnostic, deny []string) {
	if len(deny) == 0 {
		return
	}
	all := false
	codes := map[string]bool{}
	for _, d := range deny {
		if d == DenyAll {
			all = true
		}
		codes[d] = true
	}
	for i := range diags {
		d := &diags[i]
		if d.Severity != Warning || !(all || codes[string(d.Code)]) {
			continue
		}
		flag := DenyAll
		if !all {
			flag = string(d.Code)
		}
		reason := "warning treated as error because it was denied via `-D " + flag + "`"
		if d.Help != "" {
			reason += "\n" + d.Help
		}
		d.Severity = Error
		d.Help = reason
		d.Denied = true
	}
}

// Count returns the number of errors and warnings in diags. A diagnostic
// that stands for others left out (Omitted) counts as those.
func Count(diags []Diagnostic) (errors, warnings int) {
	for _, d := range diags {
		if d.Omitted != nil {
			errors += d.Omitted[Error]
			warnings += d.Omitted[Warning]
			continue
		}
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return
}

// Sort orders diagnostics by file, then primary span start, keeping the
// relative order of diagnostics at the same place.
func Sort(diags []Diagnostic) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, _ := diags[i].Primary()
		b, _ := diags[j].Primary()
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Span.Start < b.Span.Start
	})
}
