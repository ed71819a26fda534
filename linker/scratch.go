package linker

import "sync"

// A link's scratch tables, kept between links: tables of a tree's size
// that a link needs only while it runs. Nothing a Result reaches points
// into them, and a link takes a table for itself alone, so links running
// at once never share one.
var (
	int32Scratch scratch[int32]       // the cycle check's tables, collectBindings' first bindings
	hitsScratch  scratch[*configMemo] // checkTemplates' memo hits
)

// scratch is a pool of tables of T.
type scratch[T any] struct{ pool sync.Pool }

// take returns a table of n zero values, an earlier link's when one as
// large is free.
func (s *scratch[T]) take(n int) *[]T {
	buf, _ := s.pool.Get().(*[]T)
	if buf == nil || cap(*buf) < n {
		t := make([]T, n)
		return &t
	}
	*buf = (*buf)[:n]
	return buf
}

// put gives back a table take returned, zeroed (so that it keeps nothing
// alive), for the next link.
func (s *scratch[T]) put(buf *[]T) {
	clear((*buf)[:cap(*buf)])
	s.pool.Put(buf)
}
