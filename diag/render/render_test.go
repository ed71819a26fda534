package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/golden"
)

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// spanOf returns the span of the first occurrence of sub in text.
func spanOf(t *testing.T, text, sub string) diag.Span {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in test text", sub)
	}
	return diag.Span{Start: i, End: i + len(sub)}
}

const mainFile = "/work/project/scenario.json5"
const mainText = `{
  manifest_version: "0.4.0",
  program: {
	image: "busybox",
    args: ["--名前", "😀 ${config.x}"],
  },
  bindings: [
    { to: "#a.api", from: "#missing.api" },
  ],
}
`

const childFile = "/work/project/child.json5"
const childText = `{
  manifest_version: "0.4.0",
  slots: { api: { kind: "http" } },
}
`

// corpus returns the diagnostics every renderer golden shows, and the files
// they point into.
func corpus(t *testing.T) ([]diag.Diagnostic, *Files) {
	files := NewFiles()
	files.Add(mainFile, []byte(mainText))
	files.Add(childFile, []byte(childText))
	at := func(sub string) diag.Span { return spanOf(t, mainText, sub) }
	diags := []diag.Diagnostic{
		{
			Code: "manifest::unknown_binding_source", Severity: diag.Error,
			Message: "binding source `#missing.api` refers to unknown child `missing`",
			Labels:  []diag.Label{{File: mainFile, Span: at(`"#missing.api"`), Message: "unknown child `missing`", Primary: true}},
			Help:    "Declare `missing` in `components`, or fix the reference.",
		},
		{
			Code: "manifest::unused_slot", Severity: diag.Error, Denied: true,
			Message: "slot `api` is never used (in component /a)",
			Labels: []diag.Label{
				{File: childFile, Span: spanOf(t, childText, "api"), Message: "unused slot `api`", Primary: true},
				{File: mainFile, Span: at(`"#a.api"`), Message: "bound here"},
			},
			Help: "warning treated as error because it was denied via `-D warnings`\nRemove the slot if it is not needed.",
		},
		{
			Code: "manifest::validation_error", Severity: diag.Error,
			Message: "manifest validation error at program: program.args is only supported with program.path",
			Labels: []diag.Label{{File: mainFile, Span: diag.Span{Start: at("{\n\timage").Start, End: at("},\n  bindings").Start + 1},
				Message: "program.args is only supported with program.path", Primary: true}},
		},
		{
			Code: "amber_lsp::tabs_and_wide", Severity: diag.Warning,
			Message: "labels after tabs, CJK and emoji",
			Labels: []diag.Label{
				{File: mainFile, Span: at(`"busybox"`), Message: "after a tab", Primary: true},
				{File: mainFile, Span: at("名前"), Message: "wide"},
				{File: mainFile, Span: at("${config.x}"), Message: "after an emoji"},
			},
		},
		{
			Code: "amber_lsp::draft_spelling", Severity: diag.Warning,
			Message: "a label without text, and a fix",
			Labels:  []diag.Label{{File: mainFile, Span: at("bindings"), Primary: true}},
			Fixes: []diag.Fix{{Title: "Rename to `overlays`", Edits: []diag.Edit{
				{File: mainFile, Span: at("bindings"), NewText: "overlays"},
			}}},
		},
		{
			Code: "manifest::json5_error", Severity: diag.Error,
			Message: "json5 parse error: unexpected EOF while parsing object",
			Labels:  []diag.Label{{File: childFile, Span: diag.Span{Start: len(childText), End: len(childText)}, Message: "at the end", Primary: true}},
		},
		{
			Code: "manifest::missing_program", Severity: diag.Error,
			Message: "a diagnostic with no label",
		},
		{
			Code: "amber_lsp::byte_order_mark", Severity: diag.Hint,
			Message: "a hint in a file that cannot be read",
			Labels:  []diag.Label{{File: "/nonexistent/gone.json5", Span: diag.Span{Start: 3, End: 5}, Message: "here", Primary: true}},
		},
		{
			Code: "amber_lsp::info", Severity: diag.Info,
			Message: "an info\nwith a second line",
			Labels:  []diag.Label{{File: mainFile, Span: at("manifest_version"), Message: "info label", Primary: true}},
		},
	}
	return diags, files
}

func TestText(t *testing.T) {
	diags, files := corpus(t)
	var b bytes.Buffer
	Text(&b, diags, files, TextOptions{})
	if bytes.Contains(b.Bytes(), []byte("\x1b")) {
		t.Error("colour escapes without TextOptions.Color")
	}
	checkGolden(t, "text.golden", b.Bytes())
}

// TestTextRepeatedSnippets: snippets are rendered once per set of labels
// and reused; the text is what rendering each diagnostic alone gives,
// with and without colour, also when the same labels come with another
// severity (another colour).
func TestTextRepeatedSnippets(t *testing.T) {
	diags, files := corpus(t)
	var repeated []diag.Diagnostic
	for range 3 {
		repeated = append(repeated, diags...)
	}
	w := diags[0]
	w.Severity = diag.Warning
	repeated = append(repeated, w, diags[0])
	for _, color := range []bool{false, true} {
		var all, one bytes.Buffer
		Text(&all, repeated, files, TextOptions{Color: color})
		for i, d := range repeated {
			if i > 0 {
				one.WriteString("\n")
			}
			Text(&one, []diag.Diagnostic{d}, files, TextOptions{Color: color})
		}
		if all.String() != one.String() {
			t.Errorf("color %v: rendering the list differs from rendering each diagnostic:\n%s\n---\n%s", color, all.String(), one.String())
		}
	}
}

func TestTextColor(t *testing.T) {
	diags, files := corpus(t)
	var b bytes.Buffer
	Text(&b, diags[:2], files, TextOptions{Color: true})
	if !bytes.Contains(b.Bytes(), []byte("\x1b[31m")) || !bytes.Contains(b.Bytes(), []byte(ansiReset)) {
		t.Error("no colour escapes with TextOptions.Color")
	}
	// Without the escapes, the text is the plain rendering.
	var plain bytes.Buffer
	Text(&plain, diags[:2], files, TextOptions{})
	if got := stripANSI(b.String()); got != plain.String() {
		t.Errorf("coloured text differs from plain text beyond escapes:\n%s\n---\n%s", got, plain.String())
	}
	checkGolden(t, "text_color.golden", []byte(strings.ReplaceAll(b.String(), "\x1b", `\e`)))
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestJSON(t *testing.T) {
	diags, files := corpus(t)
	var b bytes.Buffer
	if err := JSON(&b, diags, files, 2, mainFile); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "json.golden", b.Bytes())
}

func TestSARIF(t *testing.T) {
	diags, files := corpus(t)
	var b bytes.Buffer
	if err := SARIF(&b, diags, files, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "sarif.golden", b.Bytes())
}

// keys returns the sorted keys of a JSON object.
func keys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

// TestJSONShape holds the JSON report to the keys of cli-json.md, whatever
// the golden says.
func TestJSONShape(t *testing.T) {
	diags, files := corpus(t)
	for _, in := range [][]diag.Diagnostic{diags, nil} {
		var b bytes.Buffer
		if err := JSON(&b, in, files, 3, mainFile); err != nil {
			t.Fatal(err)
		}
		var rep map[string]any
		dec := json.NewDecoder(&b)
		if err := dec.Decode(&rep); err != nil {
			t.Fatal(err)
		}
		if dec.More() {
			t.Error("more than one JSON value on stdout")
		}
		if got := keys(rep); got != "diagnostics summary version" {
			t.Errorf("top-level keys %q", got)
		}
		if rep["version"] != 1.0 {
			t.Errorf("version = %v", rep["version"])
		}
		sum := rep["summary"].(map[string]any)
		errs, warns := diag.Count(in)
		if keys(sum) != "errors files warnings" || sum["errors"] != float64(errs) || sum["warnings"] != float64(warns) || sum["files"] != 3.0 {
			t.Errorf("summary = %v", sum)
		}
		list, ok := rep["diagnostics"].([]any)
		if !ok || len(list) != len(in) {
			t.Fatalf("diagnostics = %v, want a list of %d", rep["diagnostics"], len(in))
		}
		for i, x := range list {
			d := x.(map[string]any)
			k := keys(d)
			k = strings.Replace(strings.Replace(k, "fixes ", "", 1), "help ", "", 1)
			if k != "code file labels message range severity" {
				t.Errorf("diagnostic %d keys %q", i, keys(d))
			}
			switch d["severity"] {
			case "error", "warning", "info", "hint":
			default:
				t.Errorf("diagnostic %d severity %v", i, d["severity"])
			}
			if (d["help"] != nil) != (in[i].Help != "") {
				t.Errorf("diagnostic %d: help present = %v, want %v", i, d["help"] != nil, in[i].Help != "")
			}
			r := d["range"].(map[string]any)
			for _, end := range []string{"start", "end"} {
				pos := r[end].(map[string]any)
				if keys(pos) != "column line" || pos["line"].(float64) < 1 || pos["column"].(float64) < 1 {
					t.Errorf("diagnostic %d range %s = %v", i, end, pos)
				}
			}
			for _, l := range d["labels"].([]any) {
				if got := keys(l.(map[string]any)); got != "file message primary range" {
					t.Errorf("diagnostic %d label keys %q", i, got)
				}
			}
		}
	}
}

// TestSARIFShape checks the SARIF structure: one run, one rule per
// registered or reported code (described from the registry),
// every result's ruleId among the rules, levels from severities.
func TestSARIFShape(t *testing.T) {
	diags, files := corpus(t)
	diags = append(diags, diags[0]) // a code twice: still one rule
	for _, in := range [][]diag.Diagnostic{diags, nil} {
		var b bytes.Buffer
		if err := SARIF(&b, in, files, "dev"); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Version string `json:"version"`
			Runs    []struct {
				Tool struct {
					Driver struct {
						Name  string      `json:"name"`
						Rules []sarifRule `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				ColumnKind string `json:"columnKind"`
				Results    []struct {
					RuleID    string `json:"ruleId"`
					Level     string `json:"level"`
					Locations []struct {
						PhysicalLocation struct {
							Region map[string]int `json:"region"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b.Bytes(), []byte("null")) {
			t.Errorf("SARIF holds a null (arrays must be arrays):\n%s", b.Bytes())
		}
		if log.Version != "2.1.0" || len(log.Runs) != 1 {
			t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
		}
		run := log.Runs[0]
		if run.Tool.Driver.Name != "amber-lsp" || run.ColumnKind != "unicodeCodePoints" {
			t.Errorf("driver %q, columnKind %q", run.Tool.Driver.Name, run.ColumnKind)
		}
		want := map[diag.Severity]string{diag.Error: "error", diag.Warning: "warning", diag.Info: "note", diag.Hint: "note"}
		rules := map[string]int{}
		for _, r := range run.Tool.Driver.Rules {
			rules[r.ID]++
			info, known := codes.Lookup(diag.Code(r.ID))
			if known && (r.ShortDescription == nil || r.ShortDescription.Text != info.Doc ||
				r.DefaultConfiguration == nil || r.DefaultConfiguration.Level != want[info.Severity]) {
				t.Errorf("rule %s: %+v, want %q at %q", r.ID, r, info.Doc, want[info.Severity])
			}
			if !known && (r.ShortDescription != nil || r.DefaultConfiguration != nil) {
				t.Errorf("rule %s of an unregistered code has a description or level", r.ID)
			}
		}
		ids := map[string]bool{}
		for _, info := range codes.All() {
			ids[string(info.Code)] = true
		}
		for _, d := range in {
			ids[string(d.Code)] = true
		}
		if len(rules) != len(ids) || len(run.Tool.Driver.Rules) != len(ids) {
			t.Errorf("%d rules for %d registered or reported codes", len(run.Tool.Driver.Rules), len(ids))
		}
		if !slices.IsSortedFunc(run.Tool.Driver.Rules, func(a, b sarifRule) int { return strings.Compare(a.ID, b.ID) }) {
			t.Error("rules are not ordered by id")
		}
		if len(run.Results) != len(in) {
			t.Fatalf("%d results for %d diagnostics", len(run.Results), len(in))
		}
		for i, r := range run.Results {
			if rules[r.RuleID] != 1 || r.RuleID != string(in[i].Code) || r.Level != want[in[i].Severity] {
				t.Errorf("result %d: ruleId %q level %q, want %q %q", i, r.RuleID, r.Level, in[i].Code, want[in[i].Severity])
			}
			if _, ok := in[i].Primary(); ok != (len(r.Locations) == 1) {
				t.Errorf("result %d: %d locations", i, len(r.Locations))
			}
			for _, l := range r.Locations {
				if len(l.PhysicalLocation.Region) != 4 || l.PhysicalLocation.Region["startLine"] < 1 || l.PhysicalLocation.Region["startColumn"] < 1 {
					t.Errorf("result %d region %v", i, l.PhysicalLocation.Region)
				}
			}
		}
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	disk := filepath.Join(dir, "m.json5")
	if err := os.WriteFile(disk, []byte("{\n  a: 1,\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := NewFiles()
	files.Add("mem.json5", []byte("x\ny"))
	if l := files.Lines("mem.json5"); l == nil || l.LineCount() != 2 {
		t.Errorf("added text not used: %v", l)
	}
	if l := files.Lines(disk); l == nil || l.LineCount() != 4 {
		t.Errorf("file on disk not read: %v", l)
	}
	if l := files.Lines(filepath.Join(dir, "missing.json5")); l != nil {
		t.Errorf("missing file gave lines")
	}
	if r := files.rangeOf(disk, 6, 7); r != (Range{Pos{2, 5}, Pos{2, 6}}) {
		t.Errorf("rangeOf = %v", r)
	}
	if r := files.rangeOf("nowhere", 6, 7); r != (Range{Pos{1, 1}, Pos{1, 1}}) {
		t.Errorf("rangeOf(unreadable) = %v", r)
	}
}

func TestDisplayColumns(t *testing.T) {
	tests := []struct {
		line string
		sub  string
		want int // terminal column where sub starts
	}{
		{"abc", "c", 2},
		{"\tx", "x", 4},
		{"a\t\tx", "x", 9},
		{"中文x", "x", 4},
		{"😀x", "x", 2},
		{"éx", "x", 1},
		{"한x", "x", 2},
	}
	for _, tt := range tests {
		files := NewFiles()
		files.Add("f", []byte(tt.line))
		if got := displayCol(files.Lines("f"), strings.Index(tt.line, tt.sub)); got != tt.want {
			t.Errorf("displayCol(%q, %q) = %d, want %d", tt.line, tt.sub, got, tt.want)
		}
	}
}

// TestTextLongLines renders labels on lines longer than the window: a line
// of 300 members with labels at its start, in its middle, two close
// together, one longer than the window and one at its end, a long line
// shown as context, and a multi-line label over 30 lines. Every line
// printed stays within the window (plus the gutter and two ellipses).
func TestTextLongLines(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range 300 {
		fmt.Fprintf(&b, "k%03d: \"中%d\", ", i, i)
	}
	b.WriteString("}\n")
	long := b.String()
	text := long + "{\n" + strings.Repeat("  x: 1,\n", 30) + "}\n" + long
	const file = "/work/project/long.json5"
	files := NewFiles()
	files.Add(file, []byte(text))
	at := func(sub string) diag.Span { return spanOf(t, text, sub) }
	second := strings.Index(text, "{\n")
	third := len(long) + 2 + 30*8 + 2
	diags := []diag.Diagnostic{
		{Code: "amber_lsp::first", Severity: diag.Error, Message: "at the start of a long line",
			Labels: []diag.Label{{File: file, Span: at("k000"), Message: "first key", Primary: true}}},
		{Code: "amber_lsp::middle", Severity: diag.Warning, Message: "two labels close together, one far away",
			Labels: []diag.Label{
				{File: file, Span: at("k150"), Message: "middle key", Primary: true},
				{File: file, Span: at(`"中150"`), Message: "its value"},
				{File: file, Span: at("k290"), Message: "far away"},
			}},
		{Code: "amber_lsp::wide", Severity: diag.Error, Message: "a label wider than the window, and a long context line",
			Labels: []diag.Label{{File: file, Span: diag.Span{Start: third + 2, End: third + 400}, Message: "wide", Primary: true}}},
		{Code: "amber_lsp::end", Severity: diag.Info, Message: "at the end of a long line",
			Labels: []diag.Label{{File: file, Span: diag.Span{Start: len(long) - 2, End: len(long) - 1}, Message: "closing brace", Primary: true}}},
		{Code: "amber_lsp::tall", Severity: diag.Error, Message: "a multi-line label over 32 lines",
			Labels: []diag.Label{{File: file, Span: diag.Span{Start: second, End: third - 1}, Message: "tall", Primary: true}}},
	}
	var out bytes.Buffer
	Text(&out, diags, files, TextOptions{})
	for line := range strings.Lines(out.String()) {
		if n := utf8.RuneCountInString(line); n > windowWidth+20 {
			t.Errorf("a line of %d characters: %.60q…", n, line)
		}
	}
	checkGolden(t, "text_long.golden", out.Bytes())
}

// TestTextShowsNoControlCharacters: control characters of a file, in its
// source lines, in a message or a label taken from it, or in its name,
// reach the output as visible characters, never as terminal controls.
func TestTextShowsNoControlCharacters(t *testing.T) {
	const file = "/work/project/\x1b[31mred.json5"
	text := "{ \"\x1b[2J\": 1, \x00\x00, \x7f\u009b }\n"
	files := NewFiles()
	files.Add(file, []byte(text))
	ds := []diag.Diagnostic{{Code: "amber_lsp::controls", Severity: diag.Error, Message: "unknown field `\x1b[2J`",
		Labels: []diag.Label{{File: file, Span: spanOf(t, text, "\x00\x00"), Message: "NUL \x00 here", Primary: true}}, Help: "bell \a"}}
	var out bytes.Buffer
	Text(&out, ds, files, TextOptions{})
	for _, c := range out.String() {
		if c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 && c < 0xa0 {
			t.Fatalf("control character %U in the output:\n%s", c, out.String())
		}
	}
	for _, want := range []string{"␛[31mred.json5", "\"␛[2J\": 1, ␀␀, ␡\ufffd }", "unknown field `␛[2J`", "NUL ␀ here", "bell ␇"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in the output:\n%s", want, out.String())
		}
	}
}

// TestTextWindowsAnyLabel renders labels at random spans (some past the end
// of the text) of random texts with long lines, tabs, wide and invalid
// characters: nothing panics, and no output line is wider than a window.
func TestTextWindowsAnyLabel(t *testing.T) {
	pieces := []string{"a", "é", "中", "😀", "\xff", "\t", "\x00", "bc", "{ k: 1, }"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var b []byte
		for range rng.IntN(600) {
			p := pieces[rng.IntN(len(pieces))]
			if rng.IntN(40) == 0 {
				p = []string{"\n", "\r\n", "\r"}[rng.IntN(3)]
			}
			b = append(b, p...)
		}
		files := NewFiles()
		files.Add("f", b)
		var labels []diag.Label
		for range 1 + rng.IntN(4) {
			s := rng.IntN(len(b) + 3)
			labels = append(labels, diag.Label{File: "f", Span: diag.Span{Start: s, End: s + rng.IntN(300)}, Message: "m", Primary: rng.IntN(2) == 0})
		}
		var out bytes.Buffer
		Text(&out, []diag.Diagnostic{{Code: "amber_lsp::x", Labels: labels}}, files, TextOptions{})
		for line := range strings.Lines(out.String()) {
			if w := columns([]byte(line), -1); w > windowWidth+20 {
				t.Fatalf("a line %d columns wide for labels %v of %q:\n%s", w, labels, b, out.String())
			}
		}
	}
}
