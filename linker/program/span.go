package program

import (
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// valueSpan returns the value span of the JSON pointer ptr in the manifest
// whose root is root. When the pointer does not resolve it walks up to the
// enclosing value (the item, then the array or object, then the program);
// with nothing found it is the empty span at offset 0.
func valueSpan(root *json5.Node, ptr []string) diag.Span {
	for n := len(ptr); n > 0; n-- {
		if v := lookup(root, ptr[:n]); v != nil {
			return v.Span()
		}
	}
	return diag.Span{}
}

// nodeSpan is the span of n, or of the first non-nil fallback, or offset 0.
func nodeSpan(nodes ...*json5.Node) diag.Span {
	for _, n := range nodes {
		if n != nil {
			return n.Span()
		}
	}
	return diag.Span{}
}
