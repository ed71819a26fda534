package manifest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/source"
)

// markerRE matches `//@diag("code", "span text")` and
// `//@diag("code", "span text", "message")` markers. The diagnostic's primary
// span must start on the marker's line (or, with `//@diag^`, on the line
// above) and its text must begin with the given span text.
var markerRE = regexp.MustCompile(`//@diag(\^?)\(("(?:[^"\\]|\\.)*")\s*,\s*("(?:[^"\\]|\\.)*")(?:\s*,\s*("(?:[^"\\]|\\.)*"))?\)`)

type marker struct {
	line          int // 0-based
	code, text    string
	message       string
	matched       bool
	markerLineCol string
}

func parseMarkers(t *testing.T, src []byte) []*marker {
	var out []*marker
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range markerRE.FindAllStringSubmatch(line, -1) {
			mk := &marker{line: i, markerLineCol: fmt.Sprintf("line %d", i+1)}
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
				t.Fatalf("line %d: bad marker %s: %v", i+1, m[0], err)
			}
			out = append(out, mk)
		}
	}
	return out
}

// TestMarkers checks every manifest under testdata/markers: each diagnostic
// must be announced by a marker comment and each marker must be matched. The
// full diagnostics are also compared with a golden file.
func TestMarkers(t *testing.T) {
	files, _ := filepath.Glob("testdata/markers/*.json5")
	if len(files) == 0 {
		t.Fatal("no marker files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			res := Analyze(file, src)
			lines := source.NewLines(src)
			markers := parseMarkers(t, src)
			for _, d := range res.Diagnostics {
				l, _ := d.Primary()
				pos := lines.Position(l.Span.Start, source.CodePoint)
				text := string(src[l.Span.Start:l.Span.End])
				found := false
				for _, mk := range markers {
					if mk.matched || mk.code != string(d.Code) || mk.line != pos.Line || !strings.HasPrefix(text, mk.text) {
						continue
					}
					if mk.message != "" && mk.message != d.Message {
						continue
					}
					mk.matched, found = true, true
					break
				}
				if !found {
					t.Errorf("%d:%d: unexpected %s %q (span %q)", pos.Line+1, pos.Column+1, d.Code, d.Message, text)
				}
			}
			for _, mk := range markers {
				if !mk.matched {
					t.Errorf("%s: no %s diagnostic starting at %q on line %d", mk.markerLineCol, mk.code, mk.text, mk.line+1)
				}
			}
			checkGolden(t, strings.TrimSuffix(file, ".json5")+".golden", formatDiagnostics(res.Diagnostics, lines))
		})
	}
}

// formatDiagnostics renders diagnostics one per block for golden files.
func formatDiagnostics(diags []diag.Diagnostic, lines *source.Lines) []byte {
	var b bytes.Buffer
	for _, d := range diags {
		fmt.Fprintf(&b, "%s %s: %s\n", d.Severity, d.Code, d.Message)
		for _, l := range d.Labels {
			s := lines.Position(l.Span.Start, source.CodePoint)
			e := lines.Position(l.Span.End, source.CodePoint)
			kind := "secondary"
			if l.Primary {
				kind = "primary"
			}
			fmt.Fprintf(&b, "  %s %d:%d-%d:%d %q\n", kind, s.Line+1, s.Column+1, e.Line+1, e.Column+1, l.Message)
		}
		if d.Help != "" {
			fmt.Fprintf(&b, "  help: %s\n", strings.ReplaceAll(d.Help, "\n", "\n        "))
		}
		for _, f := range d.Fixes {
			fmt.Fprintf(&b, "  fix: %s\n", f.Title)
			for _, e := range f.Edits {
				fmt.Fprintf(&b, "    %d-%d -> %q\n", e.Span.Start, e.Span.End, e.NewText)
			}
		}
	}
	return b.Bytes()
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}
