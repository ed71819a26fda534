package manifest

import (
	"strconv"
	"strings"
)

// path is a serde-style error path: keys and array indexes from the root.
//
// Decoding makes a path for every value it visits but needs one only for the
// rare value that is wrong, so paths are cheap to extend: a path is an
// immutable list of its leading segments plus its last segment held by
// value. Extending it allocates one element for the (former) last segment;
// fixed does that once for the children of a value that has many.
type path struct {
	up   *pathElem // leading segments, innermost first; nil for none
	last pathSeg   // the last segment, when held
	held bool      // last is the path's last segment (not yet in up)
	n    int       // number of segments; 0 is the root
}

// pathElem is one segment of a path's leading segments.
type pathElem struct {
	up  *pathElem
	seg pathSeg
}

type pathSeg struct {
	key   string
	index int // valid when isIdx
	isIdx bool
}

// fixed returns p with all its segments in the list, so that children of p
// are made without allocating: call it before a loop over p's children.
func (p path) fixed() path {
	if !p.held {
		return p
	}
	return path{up: &pathElem{p.up, p.last}, n: p.n}
}

func (p path) child(s pathSeg) path {
	q := p.fixed()
	return path{up: q.up, last: s, held: true, n: p.n + 1}
}

func (p path) key(k string) path { return p.child(pathSeg{key: k}) }

func (p path) index(i int) path { return p.child(pathSeg{index: i, isIdx: true}) }

// segs returns the segments from the root.
func (p path) segs() []pathSeg {
	out := make([]pathSeg, p.n)
	i := p.n - 1
	up := p.up
	if p.held {
		out[i] = p.last
		i--
	}
	for ; i >= 0 && up != nil; i-- {
		out[i] = up.seg
		up = up.up
	}
	return out
}

// lastIsKey reports whether the path ends with an object key.
func (p path) lastIsKey() bool {
	switch {
	case p.n == 0:
		return false
	case p.held:
		return !p.last.isIdx
	}
	return !p.up.seg.isIdx
}

// String renders the path as Amber does: keys joined by '.', indexes as [i]
// glued to the previous segment, "." for the root.
func (p path) String() string {
	if p.n == 0 {
		return "."
	}
	var b strings.Builder
	for i, s := range p.segs() {
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
	segs := p.segs()
	out := make([]string, len(segs))
	for i, s := range segs {
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
