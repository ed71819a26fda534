package analysis

import (
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// maxExportHops bounds how far exports of children of children are
// followed.
const maxExportHops = 16

// hop is one declaration on the way from an export to what it names.
type hop struct {
	file    *featureFile
	section string // "exports", "slots" or "provides"
	member  *json5.Member
}

// exportChain follows export name of f through re-exports of children
// (`#child.export`) to the slot or provide it names. It returns the hops,
// the export first, and why the chain stops early ("" when it reaches a
// declaration).
func (f *featureFile) exportChain(name string) ([]hop, string) {
	var hops []hop
	seen := map[string]bool{}
	cur := f
	for range maxExportHops {
		if f.run.ctx.Err() != nil {
			return hops, ""
		}
		key := cur.path + "\x00" + name
		if seen[key] {
			return hops, "the exports form a cycle"
		}
		seen[key] = true
		m := cur.entry("exports", name)
		if m == nil {
			return hops, fmt.Sprintf("`%s` has no export `%s` (its exports: %s)", cur.base(), name, codeList(cur.names("exports")))
		}
		hops = append(hops, hop{cur, "exports", m})
		if m.Value.Kind != json5.String {
			return hops, "the export target is not a string"
		}
		head, tail, dot := splitDot(m.Value.Text)
		var section string
		switch {
		case dot < 0 || head == manifest.LegacySelf:
			if dot < 0 {
				tail = head
			}
			section = "provides"
			if cur.entry("provides", tail) == nil && cur.entry("slots", tail) != nil {
				section = "slots"
			}
		case head == "slots", head == "provides":
			section = head
		case strings.HasPrefix(head, "#") && len(head) > 1:
			c := cur.child("components", head[1:])
			if c.file == nil {
				return hops, "`#" + head[1:] + "`: " + c.problem
			}
			cur, name = c.file, tail
			continue
		default:
			return hops, "`" + m.Value.Text + "` is not a valid export target"
		}
		d := cur.entry(section, tail)
		if d == nil {
			return hops, fmt.Sprintf("`%s` declares no %s `%s`", cur.base(), declWords[section], tail)
		}
		return append(hops, hop{cur, section, d}), ""
	}
	return hops, "the chain of exports is too long"
}
