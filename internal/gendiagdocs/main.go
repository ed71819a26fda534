// Command gendiagdocs writes docs/diagnostics.md, the reference of every
// diagnostic code, from the registry in package diag/codes:
//
//	go generate ./diag/codes
//
// runs it as `go run ./internal/gendiagdocs -o docs/diagnostics.md` from
// the repository root. A test fails while the committed file differs from
// what it writes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag/codes"
)

func main() {
	out := flag.String("o", "", "write to this file instead of standard output")
	flag.Parse()
	var b bytes.Buffer
	render(&b, codes.All())
	var err error
	if *out == "" {
		_, err = os.Stdout.Write(b.Bytes())
	} else {
		err = os.WriteFile(*out, b.Bytes(), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendiagdocs:", err)
		os.Exit(1)
	}
}

const intro = `# Diagnostics

<!-- Generated from diag/codes by internal/gendiagdocs; edit the registry and run
     go generate ./diag/codes instead of editing this file. -->

Every diagnostic amber-lsp reports carries a code. Codes in the scopes ` + "`manifest::`" + `,
` + "`compiler::`" + ` and ` + "`linker::`" + ` are Amber's own and come with Amber's messages; codes in
` + "`amber_lsp::`" + ` report problems Amber does not diagnose the same way.

The severity is the default one: ` + "`-D warnings`" + ` (or ` + "`-D CODE`" + ` for one code) reports
warnings as errors. Tags tell an editor how to draw a diagnostic: *unnecessary* code is
faded, *deprecated* syntax is struck through. ` + "`--format sarif`" + ` lists every code below
as a rule, with its summary and default level.

The test suite checks every example: analysing its files reports the code with the
severity shown. Examples are kept small, so some report other diagnostics as well (most
often ` + "`manifest::unused_program`" + ` for a program nothing uses). Codes that appear only
when overlay helpers run, or that need an input too large to show, are described in
words instead.
`

// render writes the Markdown reference of infos.
func render(w io.Writer, infos []codes.Info) {
	fmt.Fprint(w, intro)
	fmt.Fprint(w, "\n## Index\n\n| code | severity | tags | summary |\n|---|---|---|---|\n")
	for _, i := range infos {
		fmt.Fprintf(w, "| [`%s`](#%s) | %s | %s | %s |\n", i.Code, anchor(i), i.Severity, i.Tags, cell(i.Doc))
	}
	for _, i := range infos {
		fmt.Fprintf(w, "\n## `%s`\n\n%s\n\n", i.Code, i.Doc)
		fmt.Fprintf(w, "Severity: %s", i.Severity)
		if i.Tags != 0 {
			fmt.Fprintf(w, ". Tags: %s", i.Tags)
		}
		fmt.Fprintf(w, ".\n\n**Trigger.** %s\n", i.Trigger)
		if i.ProseExample != "" {
			fmt.Fprintf(w, "\n**Example** (described, not checked). %s\n", i.ProseExample)
		} else {
			fmt.Fprint(w, "\n**Example.**\n")
			var escapes escapes
			for _, f := range i.ExampleFiles() {
				text, esc := visible(f.Text)
				escapes |= esc
				fmt.Fprintf(w, "\n`%s`:\n\n```%s\n%s```\n", f.Name, language(f.Name), text)
			}
			if escapes.has(escapedBytes) {
				fmt.Fprint(w, "\nA byte that cannot be shown is written `\\xNN`: the file holds that byte, not the four characters.\n")
			}
			if escapes.has(escapedBOM) {
				fmt.Fprint(w, "\nThe file starts with the byte order mark, written `\\uFEFF` here.\n")
			}
		}
		if i.Fix != "" {
			fmt.Fprintf(w, "\n**Fix.** %s\n", i.Fix)
		}
	}
}

// anchor is the fragment of a code's heading as Markdown renderers derive
// it: the heading text without backticks and colons.
func anchor(i codes.Info) string { return strings.ReplaceAll(string(i.Code), ":", "") }

// cell escapes text for a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// language is the code block language of an example file.
func language(name string) string {
	if strings.HasSuffix(name, ".json5") || strings.HasSuffix(name, ".json") {
		return "json5"
	}
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
		return "yaml"
	}
	return "text"
}

// escapes records which kinds of text visible escaped.
type escapes uint8

const (
	escapedBytes escapes = 1 << iota // invalid UTF-8 or control characters
	escapedBOM                       // the byte order mark
)

func (e escapes) has(f escapes) bool { return e&f != 0 }

// visible writes bytes a reader cannot see or that are not text (invalid
// UTF-8, control characters other than tab and newline, the byte order
// mark) as escapes, and reports which it escaped.
func visible(s string) (string, escapes) {
	var b strings.Builder
	var esc escapes
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
			fmt.Fprintf(&b, `\x%02X`, s[i])
			esc |= escapedBytes
		case r == '\uFEFF':
			b.WriteString(`\uFEFF`)
			esc |= escapedBOM
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String(), esc
}
