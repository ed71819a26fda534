// Package codes is the registry of diagnostic codes: every code amber-lsp
// reports is declared here once, as a named diag.Code value, together with
// its default severity, its editor tags and its documentation.
//
// Producers write the named value (Code: codes.UnusedSlot), never the
// string. The language server takes a code's tags from here, `--format
// sarif` its rules, and docs/diagnostics.md (written by
// internal/gendiagdocs) everything else. Tests keep the registry honest:
// no code literal outside this package, no registered code without a
// producer, and every example produces its code when checked.
//
// To add a code, add one define call to the file of the stage that reports
// it (parse.go, manifest.go, lint.go, link.go, overlay.go, sidecar.go,
// internal.go), naming the value after the part of the code behind `::` in camel case
// (manifest::unused_slot is UnusedSlot); report it through that name; run
// `go generate ./diag/codes`, and refresh the SARIF goldens, which list
// every rule, with `go test ./diag/render ./cmd/amber-lsp -run SARIF
// -update`. A code whose example cannot be a set of files gets a
// ProseExample and an entry in proseOnly (examples_test.go).
package codes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
)

//go:generate go run ../../internal/gendiagdocs -o ../../docs/diagnostics.md

// Tags mark how an editor may render a code's diagnostics, beyond their
// severity (the LSP's DiagnosticTag).
type Tags uint8

// The tags a code may carry.
const (
	// Unnecessary marks code that is unused or has no effect; editors
	// render it faded.
	Unnecessary Tags = 1 << iota
	// Deprecated marks obsolete syntax that still works; editors render it
	// struck through.
	Deprecated
)

// Has reports whether t includes every tag of u.
func (t Tags) Has(u Tags) bool { return t&u == u }

// String lists the tags by name, comma-separated ("" for none).
func (t Tags) String() string {
	var names []string
	if t.Has(Unnecessary) {
		names = append(names, "unnecessary")
	}
	if t.Has(Deprecated) {
		names = append(names, "deprecated")
	}
	return strings.Join(names, ", ")
}

// Info documents one diagnostic code.
type Info struct {
	// Code is the code string, e.g. "manifest::unused_slot".
	Code diag.Code
	// Severity is the severity the code is reported with, before `-D`
	// promotes warnings to errors.
	Severity diag.Severity
	// Tags are the editor tags of the code's diagnostics.
	Tags Tags
	// Doc is one line saying what is wrong: the SARIF rule's short
	// description and the summary in docs/diagnostics.md.
	Doc string
	// Trigger says, in Markdown prose, what triggers the diagnostic.
	Trigger string
	// Example is a set of files that triggers the diagnostic when checked
	// (`amber-lsp --check` on a directory holding them); a test verifies
	// it. A single manifest is written as it is and named scenario.json5;
	// several files each start with a line `-- name --`, the root first.
	Example string
	// ProseExample describes, instead of Example, a situation that triggers
	// the diagnostic when no set of files does on its own: it needs an
	// overlay helper running, the network, or a bug of amber-lsp.
	ProseExample string
	// Fix says how to resolve the diagnostic ("" when there is nothing to
	// say beyond its message).
	Fix string
}

// File is one file of an example.
type File struct {
	Name string // the name in its `-- name --` header, or ExampleName
	Text string // the file's text
}

// ExampleName is the file name of a single-manifest example.
const ExampleName = "scenario.json5"

// ExampleFiles splits Example into its files (none when there is no
// Example).
func (i Info) ExampleFiles() []File {
	text := strings.TrimPrefix(i.Example, "\n")
	if text == "" {
		return nil
	}
	if !strings.HasPrefix(text, "-- ") {
		return []File{{ExampleName, text}}
	}
	var files []File
	for line := range strings.Lines(text) {
		if name, ok := fileHeader(line); ok {
			files = append(files, File{Name: name})
			continue
		}
		files[len(files)-1].Text += line
	}
	return files
}

// fileHeader reports the name of an example file header line `-- name --`.
func fileHeader(line string) (string, bool) {
	line = strings.TrimSuffix(line, "\n")
	name, ok := strings.CutPrefix(line, "-- ")
	if !ok {
		return "", false
	}
	name, ok = strings.CutSuffix(name, " --")
	return name, ok && name != ""
}

// registry holds every defined code.
var registry = map[diag.Code]Info{}

// define registers a code and returns it; each file of this package
// declares its codes with it.
func define(i Info) diag.Code {
	if _, dup := registry[i.Code]; dup {
		panic(fmt.Sprintf("codes: %s defined twice", i.Code))
	}
	registry[i.Code] = i
	return i.Code
}

// Lookup returns what the registry knows about code, and false for a code
// it does not declare.
func Lookup(code diag.Code) (Info, bool) {
	i, ok := registry[code]
	return i, ok
}

// All returns every registered code, ordered by code.
func All() []Info {
	out := make([]Info, 0, len(registry))
	for _, i := range registry {
		out = append(out, i)
	}
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(string(a.Code), string(b.Code)) })
	return out
}
