package analysis

import (
	"github.com/amberlsp/amber-lsp/diag"
)

// codeActions returns a quick fix for every fix of the diagnostics q asks
// for among ds (the diagnostics of one file).
func codeActions(ds []diag.Diagnostic, q ActionQuery) []CodeAction {
	var out []CodeAction
	for i := range ds {
		d := &ds[i]
		if len(d.Fixes) == 0 || !wanted(d, q) {
			continue
		}
		for _, fix := range d.Fixes {
			if len(fix.Edits) == 0 {
				continue
			}
			edits := make([]diag.Edit, len(fix.Edits))
			copy(edits, fix.Edits)
			for k := range edits {
				if edits[k].File == "" {
					edits[k].File = d.File()
				}
			}
			out = append(out, CodeAction{
				Title:       fix.Title,
				Kind:        ActionQuickFix,
				Diagnostics: []diag.Diagnostic{*d},
				Edits:       edits,
				Preferred:   fix.Preferred,
			})
		}
	}
	return out
}

// wanted reports whether q asks for d: its primary span touches q.Span, or
// q names it.
func wanted(d *diag.Diagnostic, q ActionQuery) bool {
	l, ok := d.Primary()
	if !ok {
		return false
	}
	if touches(l.Span, q.Span) {
		return true
	}
	for _, r := range q.Diagnostics {
		if r.Code == string(d.Code) && touches(l.Span, r.Span) {
			return true
		}
	}
	return false
}

// touches reports whether two spans overlap or meet (a cursor at either
// end of a span touches it).
func touches(a, b diag.Span) bool { return a.Start <= b.End && b.Start <= a.End }
