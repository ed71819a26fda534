package marker

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/amberlsp/amber-lsp/source"
)

// TestCases runs the harness's own passing cases.
func TestCases(t *testing.T) { Run(t, "testdata/pass") }

// TestEveryMarkerUsed: every marker of the table is used by the cases of
// the repository (counts with -v).
func TestEveryMarkerUsed(t *testing.T) {
	total := map[string]int{}
	for _, dir := range []string{"../../manifest/testdata/markers", "../../linker/testdata/link", "../../analysis/testdata/features", "testdata/pass"} {
		cases, counts, err := count(dir)
		if err != nil || cases == 0 {
			t.Fatalf("%s: %d cases, %v", dir, cases, err)
		}
		t.Logf("%s: %d cases, markers %v", dir, cases, counts)
		for name, n := range counts {
			total[name] += n
		}
	}
	for _, name := range markerNames() {
		if total[name] == 0 {
			t.Errorf("no case uses @%s", name)
		}
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// TestFailures runs the cases of testdata/fail, which must fail: each line
// `want: text` of a case's comment names a failure every run reports
// (`want analysis: text`, `want lsp: text`: one run), and every failure
// reported must be wanted.
func TestFailures(t *testing.T) {
	paths, _ := filepath.Glob("testdata/fail/*.txtar")
	if len(paths) == 0 {
		t.Fatal("no cases")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			c, err := load(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range backends {
				t.Run(b.name, func(t *testing.T) {
					var wants []string
					for _, line := range strings.Split(string(c.archive.Comment), "\n") {
						if w, ok := strings.CutPrefix(line, "want: "); ok {
							wants = append(wants, w)
						} else if w, ok := strings.CutPrefix(line, "want "+b.name+": "); ok {
							wants = append(wants, w)
						}
					}
					rec := &recorder{TB: t}
					c.run(t, b, rec)
					for _, w := range wants {
						found := false
						for _, m := range rec.msgs {
							found = found || strings.Contains(m, w)
						}
						if !found {
							t.Errorf("no failure says %q", w)
						}
					}
					for _, m := range rec.msgs {
						wanted := false
						for _, w := range wants {
							wanted = wanted || strings.Contains(m, w)
						}
						if !wanted {
							t.Errorf("unwanted failure: %s", m)
						}
					}
				})
			}
		})
	}
}

func TestParseComment(t *testing.T) {
	tests := []struct {
		in    string
		want  string // the calls, formatted; "" when an error is wanted
		error string
	}{
		{in: `diag("c", "t")`, want: `@diag("c", "t")`},
		{in: `diag("c", "t", "m") hover("a", "b")  `, want: `@diag("c", "t", "m") @hover("a", "b")`},
		{in: "complete(`raw \\n`, \"a\", \"!b\", \"c\")", want: `@complete("raw \\n", "a", "!b", "c")`},
		{in: `def( "a" , "b" )`, want: `@def("a", "b")`},
		{in: ``, want: ``},
		{in: `nope("a")`, error: `unknown marker "nope"`},
		{in: `hover "a"`, error: "expected `(`"},
		{in: `hover(a, "b")`, error: "expected a string literal"},
		{in: `hover('a', "b")`, error: "expected a string literal"},
		{in: `hover("a" "b")`, error: "expected `,` or `)`"},
		{in: `hover("a")`, error: "1 arguments, want (text, substring)"},
		{in: `diag("a", "b", "c", "d")`, error: "4 arguments, want (code, text, message?)"},
		{in: `complete("a")`, error: "1 arguments, want (text, label...)"},
		{in: `hover("a", "b"`, error: "expected `,` or `)`"},
	}
	for _, tt := range tests {
		calls, err := parseComment(tt.in)
		if tt.error != "" {
			if err == nil || !strings.Contains(err.Error(), tt.error) {
				t.Errorf("parseComment(%q) = %v, want error %q", tt.in, err, tt.error)
			}
			continue
		}
		var got []string
		for _, c := range calls {
			got = append(got, c.String())
		}
		if err != nil || strings.Join(got, " ") != tt.want {
			t.Errorf("parseComment(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		archive string
		error   string
	}{
		{"-- @nope --\n", "unknown section @nope"},
		{"-- a.json5 --\n{}\n-- @settings --\n{\"roots\": 1}\n", "@settings: json: cannot unmarshal"},
		{"-- a.json5 --\n{}\n-- @settings --\n{\"rootz\": []}\n", `unknown field "rootz"`},
		{"-- @diagnostics --\n", "the case has no files"},
		{"about\n-- a.json5 --\n{\n} //@hover(\"x\")\n", "case.txtar:4: @hover: 1 arguments"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "case.txtar")
		if err := os.WriteFile(path, []byte(tt.archive), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := load(path)
		if err == nil || !strings.Contains(err.Error(), tt.error) {
			t.Errorf("load(%q) = %v, want an error containing %q", tt.archive, err, tt.error)
		}
	}
}

func TestFind(t *testing.T) {
	text := "{\n  a: \"x\", //@diag(\"c\", \"x\")\n  //@hover(\"a\", \"b\")\n  b: 1, //@hover(\"nowhere\")\n}\n"
	f := &file{text: []byte(text), lines: source.NewLines([]byte(text))}
	tests := []struct {
		line int
		text string
		at   [2]int // line and column found; {-1, -1}: not found
	}{
		{1, "a", [2]int{1, 2}},
		{1, `"x"`, [2]int{1, 5}},
		{2, "a", [2]int{1, 2}},      // a comment line speaks of the code above
		{3, "a", [2]int{1, 2}},      // not on the line: the nearest line above
		{3, "b", [2]int{3, 2}},      // on the line, before the comment
		{1, "diag", [2]int{-1, -1}}, // the comment is not code
		{3, "nowhere", [2]int{-1, -1}},
	}
	for _, tt := range tests {
		got := [2]int{-1, -1}
		if off, ok := f.find(tt.line, tt.text); ok {
			got = [2]int{f.lines.Line(off), off - f.lines.LineStart(f.lines.Line(off))}
		}
		if got != tt.at {
			t.Errorf("find(%d, %q) at %v, want %v", tt.line, tt.text, got, tt.at)
		}
	}
}

func TestWithoutDetail(t *testing.T) {
	in := `a.json5:1:1-1:2: error c: m
  primary: "label"
  secondary b.json5:1:1-1:2: "other"
  primary a.json5:2:1-2:2: "again"
  help: h
        more
  fix: title
    edit a.json5:1:1-1:2: "x"
`
	want := `a.json5:1:1-1:2: error c: m
  related b.json5:1:1-1:2: "other"
  related a.json5:2:1-2:2: "again"
  help: h
        more
`
	if got := string(withoutDetail([]byte(in))); got != want {
		t.Errorf("withoutDetail =\n%s\nwant\n%s", got, want)
	}
}
