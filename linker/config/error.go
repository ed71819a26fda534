package config

import (
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/jsonschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Stage says which step produced an error.
type Stage uint8

// Stages.
const (
	// StageParse: reading the authored config (linker.md §4.1.1 table).
	// Pointer and Node locate the offending authored value.
	StageParse Stage = iota
	// StageCompose: composition against the parent template. Amber gives
	// these no location (Located is false).
	StageCompose
	// StageValidate: composed-config validation (§4.1.2).
	StageValidate
	// StageRender: static rendering of a resource param (§4.1.3).
	StageRender
	// StageRootConfig: building root config from AMBER_CONFIG_* variables
	// (overlays.md §5.2).
	StageRootConfig
)

// Error is a config problem. Message returns Amber's text; the location
// fields let the caller choose the span.
type Error struct {
	Stage Stage  // the step that failed
	Text  string // Amber's message, returned by Message
	// Located reports whether Amber reports the error at a value of the
	// authored config, the one at Pointer; otherwise Amber uses the config
	// site (linker.md §4.1), and Pointer, when not nil, only names the value
	// concerned (composition errors, the object lacking a required key) for
	// editors that want to point closer.
	Located bool
	// Pointer is a JSON pointer into the authored config (segments; empty
	// for the config object itself); nil when no value is concerned.
	Pointer []string
	// Node is the authored syntax node at Pointer. For a Located error it
	// is nil when the authored text has no value there (a value the
	// schema's defaults or a string such as "${config.obj}" put into the
	// composed config): Amber then uses the config site. For the others it
	// is the node at the deepest prefix of Pointer that exists. Nil when the
	// authored config is not known.
	Node *json5.Node
	// Problems holds the individual JSON Schema failures behind a
	// validation error (`invalid config: …`), in order, the first
	// jsonschema.MaxErrors of them; Pointer is the first one's instance
	// path.
	Problems []jsonschema.Error
}

// Message returns Amber's message text.
func (e *Error) Message() string { return e.Text }

// Error implements error.
func (e *Error) Error() string { return e.Text }

// PointerString returns Pointer as a JSON pointer ("" for the root).
func (e *Error) PointerString() string {
	var b strings.Builder
	for _, s := range e.Pointer {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// parseError returns a located parse error.
func parseError(text string, ptr []string, n *json5.Node) *Error {
	return &Error{Stage: StageParse, Text: text, Located: true, Pointer: clonePath(ptr), Node: n}
}

// composeError returns an unlocated composition error.
func composeError(text string) *Error { return &Error{Stage: StageCompose, Text: text} }

func clonePath(p []string) []string {
	if p == nil {
		return []string{}
	}
	return append([]string{}, p...)
}

// pathPush returns p + s, which may share p's backing array: a path
// evaluations pass down is overwritten by the next sibling's, and an error
// keeps a copy (clonePath).
func pathPush(p []string, s string) []string { return append(p, s) }

// nodeAt returns the authored node at ptr, or at the deepest prefix of ptr
// that exists; nil when root is nil.
func nodeAt(root *json5.Node, ptr []string) *json5.Node {
	n, _ := walkPointer(root, ptr)
	return n
}

// exactNodeAt returns the authored node at ptr, nil when there is none (as
// Amber's span_for_json_pointer finds a value's span).
func exactNodeAt(root *json5.Node, ptr []string) *json5.Node {
	if n, all := walkPointer(root, ptr); all {
		return n
	}
	return nil
}

// walkPointer follows ptr from root as far as the authored text has it,
// and reports whether it has every segment.
func walkPointer(root *json5.Node, ptr []string) (*json5.Node, bool) {
	n := root
	for _, s := range ptr {
		next := lookupLast(n, s)
		if next == nil {
			return n, false
		}
		n = next
	}
	return n, true
}

// lookupLast resolves one pointer segment; for objects the last member of a
// repeated key wins, as in the value the linker reads.
func lookupLast(n *json5.Node, seg string) *json5.Node {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case json5.Object:
		var found *json5.Node
		for _, m := range n.Members {
			if m.Key.Name == seg {
				found = m.Value
			}
		}
		return found
	case json5.Array:
		i, err := strconv.Atoi(seg)
		if err != nil || strings.HasPrefix(seg, "+") {
			return nil
		}
		return n.Index(i)
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }
