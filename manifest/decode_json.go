package manifest

import (
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// jsonValue checks a value that Amber reads as generic JSON: free-form
// values (`config_schema`, `metadata`, component configs) and the values
// decoded through an intermediate JSON value (spec 3.3). Nothing checks the
// kinds inside such a value, so its bad tokens are reported here: a
// malformed literal (`tru`, `Infin`, `1.2.3`) is a shape error at its own
// path (spec 2.3), a bare word is the syntax error `expected value`. It
// reports every bad token and returns false when there was one.
func (d *decoder) jsonValue(n *json5.Node, p path) bool {
	ok := true
	var walk func(n *json5.Node, p path)
	walk = func(n *json5.Node, p path) {
		switch n.Kind {
		case json5.Invalid:
			ok = false
			if n.Detail() != "" {
				d.fail(p, n.Detail())
			} else {
				d.problems++
				d.syntax = append(d.syntax, json5.Error{Span: diag.Span{Start: n.Start, End: min(n.Start+1, n.End)},
					Code: codes.JSON5Error, Severity: diag.Error, Label: "expected value"})
			}
		case json5.Object:
			p = p.fixed()
			for _, m := range n.Members {
				walk(m.Value, p.key(m.Key.Name))
			}
		case json5.Array:
			p = p.fixed()
			for i, e := range n.Elems() {
				walk(e, p.index(i))
			}
		}
	}
	walk(n, p)
	return ok
}
