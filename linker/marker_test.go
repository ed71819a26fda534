package linker

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/golden"

	"github.com/amberlsp/amber-lsp/source"
)

// markerRE matches `//@diag("code", "span text")` and
// `//@diag("code", "span text", "message")`. The diagnostic's primary span
// must start on the marker's line (with `//@diag^`, on the line above) in the
// file that holds the marker, and its text must begin with the span text.
var markerRE = regexp.MustCompile(`//@diag(\^?)\(("(?:[^"\\]|\\.)*")\s*,\s*("(?:[^"\\]|\\.)*")(?:\s*,\s*("(?:[^"\\]|\\.)*"))?\)`)

type marker struct {
	file       string // absolute path
	line       int    // 0-based line the primary span starts on
	at         string // file:line of the marker, for messages
	code, text string
	message    string // optional exact message
	matched    bool
}

// parseMarkers reads the markers of one file.
func parseMarkers(t *testing.T, file, rel string, src []byte) []*marker {
	t.Helper()
	var out []*marker
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range markerRE.FindAllStringSubmatch(line, -1) {
			mk := &marker{file: file, line: i, at: fmt.Sprintf("%s:%d", rel, i+1)}
			if m[1] == "^" {
				mk.line--
			}
			var err error
			if mk.code, err = strconv.Unquote(m[2]); err == nil {
				if mk.text, err = strconv.Unquote(m[3]); err == nil && m[4] != "" {
					mk.message, err = strconv.Unquote(m[4])
				}
			}
			if err != nil {
				t.Fatalf("%s:%d: bad marker %s: %v", rel, i+1, m[0], err)
			}
			out = append(out, mk)
		}
	}
	return out
}

// linkCase is one directory of testdata/link: root.json5 and the files it
// refers to.
type linkCase struct {
	name  string
	dir   string // absolute
	files map[string][]byte
}

func loadCase(t *testing.T, dir string) *linkCase {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := &linkCase{name: filepath.Base(dir), dir: abs, files: map[string][]byte{}}
	err = filepath.WalkDir(abs, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		c.files[path] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *linkCase) rel(path string) string {
	if r, err := filepath.Rel(c.dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

// scrub replaces the case directory in messages, so goldens do not depend
// on where the checkout lives.
func (c *linkCase) scrub(s string) string {
	return strings.ReplaceAll(s, c.dir, "$DIR")
}

// TestLinkMarkers links every case under testdata/link. Each diagnostic
// must be announced by a marker in the file of its primary span, and each
// marker must be matched; the full diagnostics, in order, are compared with
// testdata/link/<case>.golden.
func TestLinkMarkers(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/link/*")
	n := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			c := loadCase(t, dir)
			root := filepath.Join(c.dir, "root.json5")
			if _, ok := c.files[root]; !ok {
				t.Fatal("case has no root.json5")
			}
			res := Link(context.Background(), root, Options{})
			c.checkMarkers(t, res)
			checkGolden(t, dir+".golden", c.format(res))
		})
	}
	if n == 0 {
		t.Fatal("no cases under testdata/link")
	}
}

func (c *linkCase) text(res *Result, file string) []byte {
	if t, ok := res.Texts[file]; ok {
		return t
	}
	return c.files[file]
}

func (c *linkCase) checkMarkers(t *testing.T, res *Result) {
	t.Helper()
	var markers []*marker
	names := make([]string, 0, len(c.files))
	for f := range c.files {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		if strings.HasSuffix(f, ".json5") {
			markers = append(markers, parseMarkers(t, f, c.rel(f), c.files[f])...)
		}
	}
	for _, d := range res.Diagnostics {
		l, ok := d.Primary()
		if !ok {
			t.Errorf("%s has no label: %s", d.Code, c.scrub(d.Message))
			continue
		}
		src := c.text(res, l.File)
		if l.Span.Start < 0 || l.Span.End > len(src) || l.Span.Start > l.Span.End {
			t.Errorf("%s: span %v outside %s (%d bytes)", d.Code, l.Span, c.rel(l.File), len(src))
			continue
		}
		pos := source.NewLines(src).Position(l.Span.Start, source.CodePoint)
		text := string(src[l.Span.Start:l.Span.End])
		found := false
		for _, mk := range markers {
			if mk.matched || mk.file != l.File || mk.code != string(d.Code) || mk.line != pos.Line || !strings.HasPrefix(text, mk.text) {
				continue
			}
			if mk.message != "" && mk.message != c.scrub(d.Message) {
				continue
			}
			mk.matched, found = true, true
			break
		}
		if !found {
			t.Errorf("%s:%d:%d: unexpected %s %q (span %q)", c.rel(l.File), pos.Line+1, pos.Column+1, d.Code, c.scrub(d.Message), text)
		}
	}
	for _, mk := range markers {
		if !mk.matched {
			t.Errorf("%s: no %s diagnostic starting with %q on line %d", mk.at, mk.code, mk.text, mk.line+1)
		}
	}
}

// format renders a link result for a golden file: whether a scenario was
// linked, then every diagnostic with all its labels and its help.
func (c *linkCase) format(res *Result) []byte {
	var b bytes.Buffer
	if res.Scenario != nil {
		fmt.Fprintf(&b, "scenario: %d components, %d bindings, %d exports\n", len(res.Scenario.Components), len(res.Scenario.Bindings), len(res.Scenario.Exports))
	} else {
		b.WriteString("scenario: none\n")
	}
	for _, d := range res.Diagnostics {
		fmt.Fprintf(&b, "%s %s: %s\n", d.Severity, d.Code, c.scrub(d.Message))
		for _, l := range d.Labels {
			lines := source.NewLines(c.text(res, l.File))
			s := lines.Position(l.Span.Start, source.CodePoint)
			e := lines.Position(l.Span.End, source.CodePoint)
			kind := "secondary"
			if l.Primary {
				kind = "primary"
			}
			fmt.Fprintf(&b, "  %s %s:%d:%d-%d:%d %q\n", kind, c.scrub(c.rel(l.File)), s.Line+1, s.Column+1, e.Line+1, e.Column+1, c.scrub(l.Message))
		}
		if d.Help != "" {
			fmt.Fprintf(&b, "  help: %s\n", strings.ReplaceAll(c.scrub(d.Help), "\n", "\n        "))
		}
	}
	return b.Bytes()
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}
