package program

import (
	"strconv"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Site says which part of a program a lowering failure belongs to.
type Site int

// Failure sites (linker.md §4.3).
const (
	SiteProgram Site = iota
	SiteMount
	SiteEndpoint
)

// Failure is one reason a program could not be lowered.
type Failure struct {
	Site Site // the program as a whole, one mount or one endpoint
	// Index is the authored index of the mount or endpoint (in
	// program.mounts / program.network.endpoints, or their program.vm
	// variants); -1 for SiteProgram.
	Index int
	// Message is Amber's message without the `unsupported program ... on
	// {P}: ` prefix.
	Message string
	// Span is where Amber reports the failure: the program value, the
	// mount's `from`, or the endpoint (with the fallbacks of the §4.3
	// table).
	Span diag.Span
}

// Diagnostic returns the failure as the linker reports it for the component
// with moniker P (the label has no file name).
func (f Failure) Diagnostic(moniker string) diag.Diagnostic {
	code, what, label := codes.UnsupportedProgram, "unsupported program on ", "program declared here"
	switch f.Site {
	case SiteMount:
		code, what, label = codes.UnsupportedProgramMount, "unsupported program mount on ", "mount declared here"
	case SiteEndpoint:
		code, what, label = codes.UnsupportedProgramEndpoint, "unsupported program endpoint on ", "endpoint declared here"
	}
	return diag.Diagnostic{
		Code:     code,
		Severity: diag.Error,
		Message:  what + moniker + ": " + f.Message,
		Labels:   []diag.Label{{Span: f.Span, Message: label, Primary: true}},
	}
}

// siteSpans computes the §4.3 spans of a manifest's program.
type siteSpans struct{ root *json5.Node }

func (s siteSpans) program() diag.Span {
	return valueSpan(s.root, ptr("program"))
}

// mount is the span of mount i: its `from` (image/path, then vm), the whole
// mount, the mounts array, the program.
func (s siteSpans) mount(i int, vm bool) diag.Span {
	plain, inVM := ptr("program", "mounts"), ptr("program", "vm", "mounts")
	return s.first(vm, plain, inVM, ptr(itoa(i), "from"), ptr(itoa(i)), nil)
}

// endpoint is the span of endpoint i: the endpoint (image/path, then vm),
// the endpoints array, the program.
func (s siteSpans) endpoint(i int, vm bool) diag.Span {
	plain, inVM := ptr("program", "network", "endpoints"), ptr("program", "vm", "network", "endpoints")
	return s.first(vm, plain, inVM, ptr(itoa(i)), nil)
}

// first returns the span of the first pointer that resolves: each suffix in
// turn below the image/path base and then the vm base (the vm base first
// when vm is set), else the program.
func (s siteSpans) first(vm bool, plain, inVM []string, suffixes ...[]string) diag.Span {
	bases := [][]string{plain, inVM}
	if vm {
		bases = [][]string{inVM, plain}
	}
	for _, suffix := range suffixes {
		for _, base := range bases {
			if n := lookup(s.root, join(base, suffix...)); n != nil {
				return n.Span()
			}
		}
	}
	return s.program()
}

func itoa(i int) string { return strconv.Itoa(i) }
