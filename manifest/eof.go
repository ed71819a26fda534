package manifest

import (
	"bytes"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// schemaEOF returns the syntax errors of f, with the error that reports
// the end of the input worded and placed as Amber reports it when the
// manifest's schema decides (manifest.md §2.3). Amber's parser reads a
// manifest by its schema, so what it calls the end of the input depends on
// what the place it is met in must hold, where json5 knows no schema:
//
//   - where a value was to begin, at a field decoded directly as a string
//     (a required one: `manifest_version: `, an endpoint's `name`; an entry
//     of `exports`; an element of an array of strings) the end is met
//     reading a string, `unterminated string (missing closing quote)`, and
//     at a bool (`weak`, `optional`, `multiple`) reading a bool, both at
//     the innermost container being read, not the hint's unclosed bracket;
//     optional fields, enums and anything read as free JSON first keep the
//     hint;
//   - inside a literal, a number or an escape of a string that is the very
//     value of an optional free-JSON field (`metadata: tr`), the error lies
//     at the start of the value, which Amber's optional wrapper places it
//     at.
//
// Only the first syntax error, the one Amber reports, is reworded; the
// fields whose Rust type is not known for sure (the other optional ones)
// keep json5's wording.
func schemaEOF(f *json5.File) []json5.Error {
	errs := f.Errors
	i := firstSyntaxError(errs)
	if i < 0 {
		return errs
	}
	// Before the tree, which a re-parsed text with errors builds on demand.
	what, ok := errs[i].EndOfInput()
	if !ok || f.Root() == nil {
		return errs
	}
	cut, ok := cutShort(f)
	if !ok {
		return errs
	}
	e := errs[i]
	switch {
	case what == "" && cut.valueStart:
		switch cut.place {
		case placeString:
			e.Label = "unterminated string (missing closing quote)"
		case placeBool:
			e.Label = "unexpected EOF while parsing bool"
		default:
			return errs
		}
		e.Span = diag.Span{Start: cut.container, End: cut.container + 1}
	case (what == "bool" || what == "number" || what == "escape sequence") && cut.value != nil &&
		cut.place == placeOptionalJSON && cut.value.End == len(f.Src):
		e.Span = diag.Span{Start: cut.value.Start, End: cut.value.Start + 1}
	default:
		return errs
	}
	out := append([]json5.Error(nil), errs...)
	out[i] = e
	return out
}

// firstSyntaxError returns the index of the first error of severity Error,
// or -1.
func firstSyntaxError(errs []json5.Error) int {
	for i, e := range errs {
		if e.Severity == diag.Error {
			return i
		}
	}
	return -1
}

// A placeKind is what schemaEOF needs to know of the place the input ended
// in.
type placeKind int

const (
	placeOther        placeKind = iota
	placeString                 // decoded directly as a string (not optional)
	placeBool                   // decoded directly as a bool (not optional)
	placeOptionalJSON           // an optional field read as free JSON
)

// endPlace is where the input of a file ended: the innermost container
// being read, and the place in it.
type endPlace struct {
	container  int         // offset of that container's bracket
	valueStart bool        // a member's value or an element was to begin
	value      *json5.Node // the value the end cut short, when it is not a container
	place      placeKind
}

// cutShort follows the containers left open from the root to the one the
// input ended in, and the manifest's vocabulary alongside, as long as each
// is a record, a table or an array Amber decodes directly.
func cutShort(f *json5.File) (endPlace, bool) {
	n, at := f.Root(), Root()
	for {
		if n.Closed || !decodedDirectly(at) {
			return endPlace{}, false
		}
		var next *json5.Node
		var ok bool
		var where Place
		switch n.Kind {
		case json5.Object:
			if len(n.Members) == 0 {
				return endPlace{}, false
			}
			m := n.Members[len(n.Members)-1]
			if m.Comma >= 0 {
				return endPlace{}, false // a key was to begin
			}
			if where, ok = at.Key(m.Key.Name); !ok {
				return endPlace{}, false
			}
			next = m.Value
			if next.Kind == json5.Invalid && next.Start == next.End && m.Colon >= 0 {
				return endPlace{container: n.Start, valueStart: true, place: kindOf(where)}, true
			}
		case json5.Array:
			if where, ok = at.Elem(); !ok {
				return endPlace{}, false
			}
			es := n.Elems()
			from := n.Start + 1
			if len(es) > 0 {
				next, from = es[len(es)-1], es[len(es)-1].End
			}
			// `[` or `,` and then only white space: an element was to begin.
			if rest := bytes.TrimSpace(f.Src[from:]); len(es) == 0 && len(rest) == 0 || len(es) > 0 && string(rest) == "," {
				return endPlace{container: n.Start, valueStart: true, place: kindOf(where)}, true
			}
			if next == nil {
				return endPlace{}, false
			}
		default:
			return endPlace{}, false
		}
		if next.Kind != json5.Object && next.Kind != json5.Array {
			return endPlace{container: n.Start, value: next, place: kindOf(where)}, true
		}
		n, at = next, where
	}
}

// decodedDirectly reports whether Amber decodes the value at a place by its
// type, as a record, a table or an array, rather than as free JSON first
// (a value of several forms is an untagged union, read as JSON).
func decodedDirectly(p Place) bool {
	if len(p.Value) != 1 {
		return false
	}
	switch p.Value[0].Shape {
	case ShapeRecord, ShapeTable, ShapeArray:
		return true
	}
	return false
}

// kindOf classifies a place for schemaEOF.
func kindOf(p Place) placeKind {
	if len(p.Value) != 1 {
		return placeOther
	}
	required := p.Field != nil && p.Field.Required
	entry := p.Field == nil && p.Of != nil // a table entry or an array element
	switch p.Value[0].Shape {
	case ShapeBool:
		return placeBool
	case ShapeString, ShapeInterpolated:
		// A binding's `to` and `from` are required by a check after the
		// binding is read, as optional strings.
		if required && p.In.Name != RecordBinding || entry {
			return placeString
		}
	case ShapeJSON, ShapeSchema, ShapeConfig:
		if p.Field != nil && !required {
			return placeOptionalJSON
		}
	}
	return placeOther
}
