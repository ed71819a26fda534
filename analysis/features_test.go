package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/source"
)

// The manifests of testdata/features carry markers in comments, checked by
// TestFeatureMarkers:
//
//	//@hover("text", "substring")         the hover at text contains substring
//	//@def("text", "file:line:col")       a definition at text is there (1-based, bytes)
//	//@def("text", "text at target")      a definition at text starts with that text
//	//@complete("text", "label", "!not")  completing at the end of text offers label, not "not"
//	//@fix("code", "line afterwards")     the fixes of that diagnostic on this line make it read so
//
// The text is looked for on the marker's line, before the comment, then on
// the lines above; requests are made at its start (at its end for
// @complete). A comment may hold several markers.

// marker is one parsed //@name(args...) note.
type marker struct {
	file string // absolute path
	line int    // 0-based line of the comment
	name string
	args []string
}

func (m marker) String() string {
	return fmt.Sprintf("%s:%d: @%s%q", filepath.Base(m.file), m.line+1, m.name, m.args)
}

var markerRE = regexp.MustCompile(`(?:^|\s)(hover|def|complete|fix)\(`)

// parseMarkers returns the markers of a file.
func parseMarkers(t *testing.T, path string, text string) []marker {
	var out []marker
	for i, line := range strings.Split(text, "\n") {
		at := strings.Index(line, "//@")
		if at < 0 {
			continue
		}
		rest := line[at+3:]
		for len(strings.TrimSpace(rest)) > 0 {
			loc := markerRE.FindStringSubmatchIndex(" " + rest)
			if loc == nil || strings.TrimSpace((" " + rest)[:loc[2]]) != "" {
				t.Fatalf("%s:%d: malformed marker %q", filepath.Base(path), i+1, rest)
			}
			name := (" " + rest)[loc[2]:loc[3]]
			rest = (" " + rest)[loc[1]:]
			m := marker{file: path, line: i, name: name}
			for {
				rest = strings.TrimLeft(rest, " ")
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					t.Fatalf("%s:%d: @%s: expected a quoted string at %q", filepath.Base(path), i+1, name, rest)
				}
				s, _ := strconv.Unquote(q)
				m.args = append(m.args, s)
				rest = strings.TrimLeft(rest[len(q):], " ")
				if strings.HasPrefix(rest, ",") {
					rest = rest[1:]
					continue
				}
				if !strings.HasPrefix(rest, ")") {
					t.Fatalf("%s:%d: @%s: expected `,` or `)` at %q", filepath.Base(path), i+1, name, rest)
				}
				rest = rest[1:]
				break
			}
			out = append(out, m)
		}
	}
	return out
}

// codePart returns a line without its marker comment.
func codePart(line string) string {
	if i := strings.Index(line, "//@"); i >= 0 {
		return line[:i]
	}
	return line
}

// find returns the byte offset of text for marker m: on the marker's line,
// else on the nearest line above that has it.
func find(t *testing.T, m marker, lines *source.Lines, src string, text string) int {
	t.Helper()
	for l := m.line; l >= 0; l-- {
		start := lines.LineStart(l)
		code := codePart(src[start:lines.LineEnd(l)])
		if i := strings.Index(code, text); i >= 0 {
			return start + i
		}
	}
	t.Fatalf("%v: %q is not on the marker's line or above", m, text)
	return 0
}

var posRE = regexp.MustCompile(`^([^:]+):(\d+):(\d+)$`)

func TestFeatureMarkers(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "features"))
	if err != nil {
		t.Fatal(err)
	}
	ws := NewWorkspace(Options{})
	snap, err := ws.SetFolders([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json5"))
	counts := map[string]int{}
	ctx := context.Background()
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		lines := source.NewLines(data)
		for _, m := range parseMarkers(t, path, src) {
			counts[m.name]++
			t.Run(fmt.Sprintf("%s:%d:%s", filepath.Base(path), m.line+1, m.name), func(t *testing.T) {
				switch m.name {
				case "hover":
					checkHover(t, ctx, snap, m, lines, src)
				case "def":
					checkDefinition(t, ctx, snap, m, lines, src, dir)
				case "complete":
					checkCompletion(t, ctx, snap, m, lines, src)
				case "fix":
					checkFix(t, ctx, snap, m, lines, src)
				}
			})
		}
	}
	for _, name := range []string{"hover", "def", "complete", "fix"} {
		if counts[name] == 0 {
			t.Errorf("no @%s markers found in %s", name, dir)
		}
	}
}

func wantArgs(t *testing.T, m marker, n int) {
	t.Helper()
	if len(m.args) < n {
		t.Fatalf("%v: want at least %d arguments", m, n)
	}
}

func checkHover(t *testing.T, ctx context.Context, snap *Snapshot, m marker, lines *source.Lines, src string) {
	wantArgs(t, m, 2)
	off := find(t, m, lines, src, m.args[0])
	h, err := snap.Hover(ctx, m.file, off)
	if err != nil {
		t.Fatalf("%v: %v", m, err)
	}
	if h == nil {
		t.Fatalf("%v: no hover", m)
	}
	if !strings.Contains(h.Markdown, m.args[1]) {
		t.Errorf("%v: hover does not contain %q:\n%s", m, m.args[1], h.Markdown)
	}
	if h.Span.Start > off || off > h.Span.End {
		t.Errorf("%v: hover span %v does not hold the cursor %d", m, h.Span, off)
	}
}

func checkDefinition(t *testing.T, ctx context.Context, snap *Snapshot, m marker, lines *source.Lines, src, dir string) {
	wantArgs(t, m, 2)
	off := find(t, m, lines, src, m.args[0])
	locs, err := snap.Definition(ctx, m.file, off)
	if err != nil {
		t.Fatalf("%v: %v", m, err)
	}
	if len(locs) == 0 {
		t.Fatalf("%v: no definition", m)
	}
	var got []string
	for _, l := range locs {
		text, err := snap.ReadFile(l.File)
		if err != nil {
			t.Fatalf("%v: definition in unreadable %s", m, l.File)
		}
		tl := source.NewLines(text)
		p := tl.Position(l.Span.Start, source.UTF8)
		at := fmt.Sprintf("%s:%d:%d", filepath.Base(l.File), p.Line+1, p.Column+1)
		got = append(got, at)
		if mm := posRE.FindStringSubmatch(m.args[1]); mm != nil {
			if filepath.Join(dir, mm[1]) == l.File && at == m.args[1] {
				return
			}
		} else if strings.HasPrefix(string(text[l.Span.Start:]), m.args[1]) {
			return
		}
	}
	t.Errorf("%v: definitions at %v, want %q", m, got, m.args[1])
}

func checkCompletion(t *testing.T, ctx context.Context, snap *Snapshot, m marker, lines *source.Lines, src string) {
	wantArgs(t, m, 2)
	off := find(t, m, lines, src, m.args[0]) + len(m.args[0])
	items, err := snap.Completion(ctx, m.file, off)
	if err != nil {
		t.Fatalf("%v: %v", m, err)
	}
	var labels []string
	for _, it := range items {
		labels = append(labels, it.Label)
		if it.Edit.Span.Start > off || off > it.Edit.Span.End || it.Edit.File != m.file {
			t.Errorf("%v: item %q edits %s %v, which does not hold the cursor %d", m, it.Label, it.Edit.File, it.Edit.Span, off)
		}
	}
	for _, want := range m.args[1:] {
		if absent, ok := strings.CutPrefix(want, "!"); ok {
			if slices.Contains(labels, absent) {
				t.Errorf("%v: %q offered, want it absent; got %q", m, absent, labels)
			}
		} else if !slices.Contains(labels, want) {
			t.Errorf("%v: %q not offered; got %q", m, want, labels)
		}
	}
}

func checkFix(t *testing.T, ctx context.Context, snap *Snapshot, m marker, lines *source.Lines, src string) {
	wantArgs(t, m, 2)
	line := diag.Span{Start: lines.LineStart(m.line), End: lines.LineEnd(m.line)}
	actions, err := snap.CodeActions(ctx, m.file, ActionQuery{Span: line})
	if err != nil {
		t.Fatalf("%v: %v", m, err)
	}
	var edits []diag.Edit
	for _, a := range actions {
		if p, _ := a.Diagnostic.Primary(); string(a.Diagnostic.Code) == m.args[0] && lines.Line(p.Span.Start) == m.line {
			edits = append(edits, a.Edits...)
		}
	}
	if len(edits) == 0 {
		var titles []string
		for _, a := range actions {
			titles = append(titles, string(a.Diagnostic.Code)+": "+a.Title)
		}
		t.Fatalf("%v: no fix of %s on this line; actions: %q", m, m.args[0], titles)
	}
	after := applyEdits(t, m.file, src, edits)
	before := codePart(src[line.Start:line.End])
	afterLines := source.NewLines([]byte(after))
	got := codePart(after[afterLines.LineStart(m.line):afterLines.LineEnd(m.line)])
	if strings.Contains(before, m.args[1]) {
		t.Fatalf("%v: the line already reads %q before the fix", m, m.args[1])
	}
	if !strings.Contains(got, m.args[1]) {
		t.Errorf("%v: after the fix the line reads %q, want it to contain %q", m, got, m.args[1])
	}
}

// applyEdits applies the edits of file to src, last first.
func applyEdits(t *testing.T, file, src string, edits []diag.Edit) string {
	t.Helper()
	edits = slices.Clone(edits)
	slices.SortFunc(edits, func(a, b diag.Edit) int { return b.Span.Start - a.Span.Start })
	for _, e := range edits {
		if e.File != file {
			t.Fatalf("edit of another file %s", e.File)
		}
		src = src[:e.Span.Start] + e.NewText + src[e.Span.End:]
	}
	return src
}

// TestHoverGolden records the whole markdown of every @hover marker in
// testdata/features/hovers.golden (go test ./analysis -run HoverGolden
// -update rewrites it), so the wording of hovers is reviewed as a whole.
func TestHoverGolden(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "features"))
	if err != nil {
		t.Fatal(err)
	}
	ws := NewWorkspace(Options{})
	snap, _ := ws.SetFolders([]string{dir})
	files, _ := filepath.Glob(filepath.Join(dir, "*.json5"))
	var b strings.Builder
	for _, path := range files {
		data, _ := os.ReadFile(path)
		lines := source.NewLines(data)
		for _, m := range parseMarkers(t, path, string(data)) {
			if m.name != "hover" {
				continue
			}
			off := find(t, m, lines, string(data), m.args[0])
			h, err := snap.Hover(context.Background(), path, off)
			fmt.Fprintf(&b, "== %s:%d %q\n", filepath.Base(path), m.line+1, m.args[0])
			switch {
			case err != nil:
				fmt.Fprintf(&b, "error: %v\n", err)
			case h == nil:
				b.WriteString("(no hover)\n")
			default:
				fmt.Fprintf(&b, "%s\n", strings.ReplaceAll(h.Markdown, dir+string(filepath.Separator), "$DIR/"))
			}
			b.WriteString("\n")
		}
	}
	golden.Check(t, filepath.Join(dir, "hovers.golden"), []byte(b.String()))
}
