package analysis

import (
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// cursor is where a byte offset falls in a syntax tree: the chain of
// members and elements from the root down to the innermost one holding the
// offset, and what of it the offset is on. It is computed from spans only,
// so it works on the tree of an incomplete text.
type cursor struct {
	off   int
	steps []step
	// At most one of the following holds.
	onKey   bool // on the key of the last step's member (its end included)
	inValue bool // in the value region of the last step: on a scalar or
	// missing value, or after the colon before it
	inGap bool        // between the members or elements of gap
	gap   *json5.Node // the container of inGap
}

// step is one member or element on a cursor's way down.
type step struct {
	name   string        // the member's key; "" for an element
	index  int           // the element's index; -1 for a member
	member *json5.Member // nil for an element
	node   *json5.Node   // the member's value, or the element
}

// locate finds where off falls in f.
func locate(f *json5.File, off int) cursor {
	c := cursor{off: off}
	if f == nil || f.Root() == nil {
		return c
	}
	root := f.Root()
	if root.Kind == json5.Object || root.Kind == json5.Array {
		if inside(root, off, len(f.Src)) {
			c.descend(root, len(f.Src))
		}
		return c
	}
	return c
}

// inside reports whether off lies within container n's brackets; an
// unclosed container runs up to limit.
func inside(n *json5.Node, off, limit int) bool {
	if off <= n.Start {
		return false
	}
	if n.Closed {
		return off < n.End
	}
	return off <= max(limit, n.End)
}

// descend continues locating inside container n, whose region ends at
// limit.
func (c *cursor) descend(n *json5.Node, limit int) {
	off := c.off
	if n.Kind == json5.Object {
		for i, m := range n.Members {
			if m.Key.End > m.Key.Start && m.Key.Start <= off && off <= m.Key.End {
				c.steps = append(c.steps, step{name: m.Key.Name, index: -1, member: m, node: m.Value})
				c.onKey = true
				return
			}
			if m.Colon < 0 || off <= m.Colon {
				continue
			}
			end := memberEnd(n, i, limit)
			if off > end || afterValue(m.Value, off) {
				continue
			}
			c.steps = append(c.steps, step{name: m.Key.Name, index: -1, member: m, node: m.Value})
			c.enter(m.Value, end)
			return
		}
		c.inGap, c.gap = true, n
		return
	}
	for i, e := range n.Elems() {
		end := limit
		if i+1 < len(n.Elems()) {
			end = n.Elems()[i+1].Start - 1
		} else if n.Closed {
			end = n.End - 1
		}
		if e.Kind == json5.Object || e.Kind == json5.Array {
			if inside(e, off, end) {
				c.steps = append(c.steps, step{index: i, node: e})
				c.descend(e, end)
				return
			}
			continue
		}
		if e.Start <= off && off <= e.End && e.End > e.Start {
			c.steps = append(c.steps, step{index: i, node: e})
			c.inValue = true
			return
		}
	}
	c.inGap, c.gap = true, n
}

// enter handles an offset in the value region of the last step (ending at
// end): inside a container it descends, otherwise it is on the value.
func (c *cursor) enter(v *json5.Node, end int) {
	if (v.Kind == json5.Object || v.Kind == json5.Array) && inside(v, c.off, end) {
		c.descend(v, end)
		return
	}
	c.inValue = true
}

// afterValue reports whether off lies past a value that is written out
// (the whitespace after it, before a missing comma, belongs to the object).
func afterValue(v *json5.Node, off int) bool {
	if v.End <= v.Start || off <= v.End {
		return false
	}
	return v.Closed || v.Kind != json5.Object && v.Kind != json5.Array
}

// memberEnd is the last offset of member i's value region: its comma, the
// next member's key, or the end of the object.
func memberEnd(n *json5.Node, i, limit int) int {
	m := n.Members[i]
	switch {
	case m.Comma >= 0:
		return m.Comma
	case i+1 < len(n.Members):
		return n.Members[i+1].Key.Start - 1
	case n.Closed:
		return n.End - 1
	}
	return max(limit, n.End)
}

// last returns the innermost step, or the zero step at the root.
func (c *cursor) last() step {
	if len(c.steps) == 0 {
		return step{index: -1}
	}
	return c.steps[len(c.steps)-1]
}

// container returns the object or array holding the innermost step (the
// root for a top-level member).
func (c *cursor) container(root *json5.Node) *json5.Node {
	if len(c.steps) < 2 {
		return root
	}
	return c.steps[len(c.steps)-2].node
}

// match reports whether the steps are exactly pattern: a name matches a
// member of that key, "*" any member and "[]" any element.
func (c *cursor) match(pattern ...string) bool {
	return matchSteps(c.steps, pattern)
}

// under reports whether the steps start with pattern.
func (c *cursor) under(pattern ...string) bool {
	return len(c.steps) >= len(pattern) && matchSteps(c.steps[:len(pattern)], pattern)
}

func matchSteps(steps []step, pattern []string) bool {
	if len(steps) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		s := steps[i]
		switch p {
		case "[]":
			if s.member != nil {
				return false
			}
		case "*":
			if s.member == nil {
				return false
			}
		default:
			if s.member == nil || s.name != p {
				return false
			}
		}
	}
	return true
}

// names returns the member names of the steps from i on ("[]" for
// elements), e.g. the config path below `components.x.config`.
func (c *cursor) names(i int) []string {
	var out []string
	for _, s := range c.steps[min(i, len(c.steps)):] {
		if s.member == nil {
			out = append(out, "[]")
		} else {
			out = append(out, s.name)
		}
	}
	return out
}

// inString reports whether the offset lies within string node n, between
// its quotes (or after the opening quote of an unterminated string).
func inString(n *json5.Node, off int) bool {
	if n == nil || n.Kind != json5.String || off <= n.Start {
		return false
	}
	if terminated(n) {
		return off < n.End
	}
	return off <= n.End
}

// terminated reports whether string node n has its closing quote.
func terminated(n *json5.Node) bool {
	return n.End-n.Start >= 2 && n.SourceOffset(len(n.Text)) == n.End-1
}
