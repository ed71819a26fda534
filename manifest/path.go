package manifest

import (
	"strconv"
	"strings"
)

// path is a serde-style error path: keys and array indexes from the root.
type path []pathSeg

type pathSeg struct {
	key   string
	index int // valid when key == "" and isIndex
	isIdx bool
}

func (p path) key(k string) path {
	q := make(path, len(p), len(p)+1)
	copy(q, p)
	return append(q, pathSeg{key: k})
}

func (p path) index(i int) path {
	q := make(path, len(p), len(p)+1)
	copy(q, p)
	return append(q, pathSeg{index: i, isIdx: true})
}

// String renders the path as Amber does: keys joined by '.', indexes as [i]
// glued to the previous segment, "." for the root.
func (p path) String() string {
	if len(p) == 0 {
		return "."
	}
	var b strings.Builder
	for i, s := range p {
		if s.isIdx {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// segments returns the path as JSON pointer segments.
func (p path) segments() []string {
	out := make([]string, len(p))
	for i, s := range p {
		if s.isIdx {
			out[i] = strconv.Itoa(s.index)
		} else {
			out[i] = s.key
		}
	}
	return out
}

// expectedList formats a list of names as serde does in "expected ..." texts.
func expectedList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	switch len(q) {
	case 0:
		return "nothing"
	case 1:
		return q[0]
	case 2:
		return q[0] + " or " + q[1]
	}
	return "one of " + strings.Join(q, ", ")
}
