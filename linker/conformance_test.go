package linker

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	srcpos "github.com/amberlsp/amber-lsp/source"
)

var (
	codeRE = regexp.MustCompile(`\b([a-z0-9_]+::[a-z0-9_]+)\b`)
	locRE  = regexp.MustCompile(`<CARGO_MANIFEST_DIR>/tests/ui/([^\]\s]+\.json5):(\d+):(\d+)`)
)

// TestConformance links every case of Amber's UI corpus and expects Amber's
// diagnostic code at Amber's position (or no error for success cases), as
// Amber's conformance script does for the binary.
func TestConformance(t *testing.T) {
	ui := corpus.Path(t, "conformance", "ui")
	cases, _ := filepath.Glob(filepath.Join(ui, "*.json5"))
	if len(cases) == 0 {
		t.Fatalf("no cases in %s", ui)
	}
	cache := NewCache()
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".json5")
		stderr, errStderr := os.ReadFile(filepath.Join(ui, name+".stderr"))
		status, errStatus := os.ReadFile(filepath.Join(ui, name+".status"))
		if errStderr != nil && errStatus != nil {
			continue // a child of another case
		}
		t.Run(name, func(t *testing.T) {
			res := Link(context.Background(), file, Options{Cache: cache})
			diags := res.Diagnostics
			if args, err := os.ReadFile(filepath.Join(ui, name+".args")); err == nil {
				diag.Deny(diags, denyArgs(string(args)))
			}
			if errStatus == nil && strings.TrimSpace(string(status)) == "success" {
				for _, d := range diags {
					if d.Severity == diag.Error {
						t.Errorf("expected success, got %s", d.String())
					}
				}
				return
			}
			code := codeRE.FindStringSubmatch(string(stderr))
			loc := locRE.FindStringSubmatch(string(stderr))
			if code == nil || loc == nil {
				t.Skip("no expectation in .stderr")
			}
			wantFile, _ := filepath.Abs(filepath.Join(ui, loc[1]))
			line, _ := strconv.Atoi(loc[2])
			col, _ := strconv.Atoi(loc[3])
			var got []string
			for _, d := range diags {
				l, _ := d.Primary()
				pos := position(res, l)
				got = append(got, string(d.Code)+"@"+filepath.Base(l.File)+":"+strconv.Itoa(pos.Line+1)+":"+strconv.Itoa(pos.Column+1))
				if string(d.Code) == code[1] && l.File == wantFile && pos.Line+1 == line && pos.Column+1 == col {
					return
				}
			}
			t.Errorf("want %s@%s:%d:%d, got %v", code[1], loc[1], line, col, got)
		})
	}
}

func position(res *Result, l diag.Label) srcpos.Position {
	text, ok := res.Texts[l.File]
	if !ok {
		text, _ = os.ReadFile(l.File)
	}
	return srcpos.NewLines(text).Position(l.Span.Start, srcpos.CodePoint)
}

func denyArgs(args string) []string {
	var out []string
	fields := strings.Fields(args)
	for i := 0; i < len(fields); i++ {
		switch f := fields[i]; {
		case f == "-D" && i+1 < len(fields):
			out = append(out, fields[i+1])
			i++
		case strings.HasPrefix(f, "-D"):
			out = append(out, f[2:])
		}
	}
	return out
}

// TestExamples links every example root with -D warnings: no errors.
func TestExamples(t *testing.T) {
	examples := corpus.Path(t, "conformance", "examples")
	roots, err := os.ReadFile(filepath.Join(examples, "ROOTS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, root := range strings.Split(string(roots), "\n") {
		if root = strings.TrimSpace(root); root == "" || strings.HasPrefix(root, "#") {
			continue
		}
		t.Run(root, func(t *testing.T) {
			res := Link(context.Background(), filepath.Join(examples, root), Options{})
			ds := slices.Clone(res.Diagnostics) // shared: read only
			diag.Deny(ds, []string{diag.DenyAll})
			for _, d := range ds {
				if d.Severity == diag.Error {
					t.Errorf("%s: %s", d.File(), d.String())
				}
			}
			if res.Scenario() == nil {
				t.Errorf("no scenario")
			}
		})
	}
}
