package runtime

import (
	"bytes"
	"strings"
	"sync"
)

// maxLineBytes bounds one captured output line; the rest of it is dropped.
const maxLineBytes = 4096

// lineTail is an io.Writer that keeps the last lines written to it.
type lineTail struct {
	mu      sync.Mutex
	max     int
	lines   []string
	partial []byte
}

func newLineTail(max int) *lineTail { return &lineTail{max: max} }

// Write records p; it never fails.
func (t *lineTail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := maxLineBytes - len(t.partial); room > 0 {
			t.partial = append(t.partial, chunk[:min(room, len(chunk))]...)
		}
		if i < 0 {
			break
		}
		t.push(string(t.partial))
		t.partial = t.partial[:0]
		p = p[i+1:]
	}
	return n, nil
}

func (t *lineTail) push(line string) {
	line = strings.ToValidUTF8(strings.TrimSuffix(line, "\r"), "\uFFFD")
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = append(t.lines[:0], t.lines[len(t.lines)-t.max:]...)
	}
}

// Lines returns the kept lines, an unfinished last line included.
func (t *lineTail) Lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := append([]string(nil), t.lines...)
	if len(t.partial) > 0 {
		out = append(out, strings.ToValidUTF8(string(t.partial), "\uFFFD"))
		if len(out) > t.max {
			out = out[len(out)-t.max:]
		}
	}
	return out
}
