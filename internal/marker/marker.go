package marker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/internal/txtar"
	"github.com/amberlsp/amber-lsp/source"
)

// kind is one marker name: its parameters (for messages and arity checks)
// and its function. A parameter written "name?" is optional, "name..." takes
// the rest (at least one), "name?..." any number of the rest.
type kind struct {
	params []string
	run    func(m *mark) // nil for diag, which is checked as a whole
}

// markers is the table of marker names. Adding a marker is one line here
// and its function.
var markers = map[string]kind{
	"diag":     {params: []string{"code", "text", "message?"}},
	"hover":    {params: []string{"text", "substring"}, run: hoverMarker},
	"def":      {params: []string{"text", "target"}, run: defMarker},
	"complete": {params: []string{"text", "label..."}, run: completeMarker},
	"fix":      {params: []string{"code", "text"}, run: fixMarker},

	"format":        {params: []string{"text?"}, run: formatMarker},
	"folding":       {params: []string{"text", "kind"}, run: foldingMarker},
	"selection":     {params: []string{"text", "range..."}, run: selectionMarker},
	"action":        {params: []string{"text", "title", "file?", "substring?..."}, run: actionMarker},
	"fixAll":        {params: []string{"substring..."}, run: fixAllMarker},
	"refs":          {params: []string{"text", "location..."}, run: refsMarker},
	"highlight":     {params: []string{"text", "place..."}, run: highlightMarker},
	"rename":        {params: []string{"text", "newName", "expect..."}, run: renameMarker},
	"prepareRename": {params: []string{"text", "expect"}, run: prepareRenameMarker},
	"lens":          {params: []string{"text", "title"}, run: lensMarker},
	"calls":         {params: []string{"text", "direction", "name..."}, run: callsMarker},
	"symbols":       {params: []string{"text", "path"}, run: symbolsMarker},
	"wsymbols":      {params: []string{"query", "name..."}, run: wsymbolsMarker},
	"tokens":        {params: []string{"text", "type"}, run: tokensMarker},
	"links":         {params: []string{"text", "target"}, run: linksMarker},
	"inlay":         {params: []string{"text", "label"}, run: inlayMarker},
}

// Golden section names.
const (
	sectionSettings    = "@settings"
	sectionDiagnostics = "@diagnostics"
	sectionHovers      = "@hovers"
	sectionFormat      = "@format"
	sectionFolding     = "@folding"
	sectionSelections  = "@selections"
	sectionRenames     = "@renames"
	sectionCalls       = "@calls"
)

// goldenSections are the golden sections a case may have.
var goldenSections = []string{sectionDiagnostics, sectionHovers, sectionFormat, sectionFolding, sectionSelections, sectionRenames, sectionCalls}

// Run runs every case (*.txtar) in dir. It fails when there is none.
func Run(t *testing.T, dir string) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if len(paths) == 0 {
		t.Fatalf("no marker cases (*.txtar) in %s", dir)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			c, err := load(path)
			if err != nil {
				t.Fatal(err)
			}
			if golden.Update() {
				t.Cleanup(func() { c.save(t) })
			}
			for _, b := range backends {
				t.Run(b.name, func(t *testing.T) {
					t.Parallel()
					c.run(t, b, t)
				})
			}
		})
	}
}

// count returns how many cases dir holds and how many markers of each name
// they hold.
func count(dir string) (cases int, counts map[string]int, err error) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.txtar"))
	counts = map[string]int{}
	for _, path := range paths {
		c, err := load(path)
		if err != nil {
			return 0, nil, err
		}
		for _, m := range c.calls {
			counts[m.name]++
		}
	}
	return len(paths), counts, nil
}

// testCase is a parsed case archive.
type testCase struct {
	path     string // of the archive
	archive  *txtar.Archive
	settings settings
	files    []*file // written to the folder, in archive order
	calls    []*call
	goldens  map[string]*txtar.File

	mu      sync.Mutex        // guards updated
	updated map[string][]byte // golden sections to rewrite (-update)
}

// file is one file of a case.
type file struct {
	name  string // slash-separated, relative to the folder
	text  []byte
	lines *source.Lines
	line  int  // archive line of the file's first line
	open  bool // opened as a document
}

// call is one parsed marker call.
type call struct {
	name string
	args []string
	file *file
	line int // 0-based line of the comment in the file
}

// at returns where the marker is, as archive:line.
func (m *call) at(c *testCase) string {
	return fmt.Sprintf("%s:%d", c.path, m.file.line+m.line)
}

func (m *call) String() string {
	var b strings.Builder
	b.WriteString("@" + m.name + "(")
	for i, a := range m.args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(a))
	}
	b.WriteString(")")
	return b.String()
}

// settings are a case's @settings: the `amber` settings the server reads,
// and what they mean to a workspace.
type settings struct {
	raw   json.RawMessage
	Roots []string `json:"roots"`
	Lint  struct {
		DenyWarnings bool `json:"denyWarnings"`
	} `json:"lint"`
	Remote struct {
		Fetch any `json:"fetch"` // "https", "all" or false
	} `json:"remote"`
	Limits struct {
		Instances int `json:"instances"`
	} `json:"limits"`
}

// load reads and parses a case archive.
func load(path string) (*testCase, error) {
	a, err := txtar.ParseFile(path)
	if err != nil {
		return nil, err
	}
	c := &testCase{path: path, archive: a, goldens: map[string]*txtar.File{}}
	for i := range a.Files {
		f := &a.Files[i]
		if !strings.HasPrefix(f.Name, "@") {
			c.files = append(c.files, &file{name: f.Name, text: f.Data, lines: source.NewLines(f.Data), line: f.Line})
			continue
		}
		switch {
		case f.Name == sectionSettings:
			dec := json.NewDecoder(bytes.NewReader(f.Data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c.settings); err != nil {
				return nil, fmt.Errorf("%s:%d: @settings: %v (known: roots, lint.denyWarnings)", path, f.Line, err)
			}
			c.settings.raw = json.RawMessage(bytes.TrimSpace(f.Data))
		case contains(goldenSections, f.Name):
			c.goldens[f.Name] = f
		default:
			return nil, fmt.Errorf("%s:%d: unknown section %s (want a file name, %s or one of %s)", path, f.Line-1, f.Name, sectionSettings, strings.Join(goldenSections, ", "))
		}
	}
	if len(c.files) == 0 {
		return nil, fmt.Errorf("%s: the case has no files", path)
	}
	for _, f := range c.files {
		if !hasMarkers(f.name) {
			continue
		}
		calls, err := parseCalls(f)
		if err != nil {
			return nil, fmt.Errorf("%s:%v", path, err)
		}
		c.calls = append(c.calls, calls...)
		f.open = len(calls) > 0
	}
	if len(c.calls) == 0 {
		for _, f := range c.files {
			f.open = isManifest(f.name)
		}
	}
	return c, nil
}

func isManifest(name string) bool {
	return strings.HasSuffix(name, ".json5") || strings.HasSuffix(name, ".json")
}

// hasMarkers reports whether markers are read from a file: manifests, and
// the YAML files manifests name (cloud-init), whose markers sit in `#`
// comments: `# //@diag(...)`.
func hasMarkers(name string) bool {
	return isManifest(name) || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseCalls returns the marker calls of a file. Errors are "line:
// message", with the line in the archive.
func parseCalls(f *file) ([]*call, error) {
	var out []*call
	for i := 0; i < f.lines.LineCount(); i++ {
		line := string(f.text[f.lines.LineStart(i):f.lines.LineEnd(i)])
		at := strings.Index(line, "//@")
		if at < 0 {
			continue
		}
		calls, err := parseComment(line[at+3:])
		if err != nil {
			return nil, fmt.Errorf("%d: %v in %q", f.line+i, err, line[at:])
		}
		for _, c := range calls {
			c.file, c.line = f, i
			out = append(out, c)
		}
	}
	return out, nil
}

// parseComment parses the calls of a marker comment after its `//@`:
// `name(args) name(args)...`.
func parseComment(s string) ([]*call, error) {
	var out []*call
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out, nil
		}
		n := 0
		for n < len(s) && (s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] == '_') {
			n++
		}
		name := s[:n]
		k, ok := markers[name]
		if !ok {
			return nil, fmt.Errorf("unknown marker %q (known: %s)", name, strings.Join(markerNames(), ", "))
		}
		s = s[n:]
		if !strings.HasPrefix(s, "(") {
			return nil, fmt.Errorf("@%s: expected `(`", name)
		}
		s = s[1:]
		m := &call{name: name}
		for {
			s = strings.TrimLeft(s, " \t")
			if len(m.args) == 0 && strings.HasPrefix(s, ")") {
				break
			}
			q, err := strconv.QuotedPrefix(s)
			if err != nil || q[0] == '\'' {
				return nil, fmt.Errorf("@%s: expected a string literal at %q", name, s)
			}
			arg, _ := strconv.Unquote(q)
			m.args = append(m.args, arg)
			s = strings.TrimLeft(s[len(q):], " \t")
			if strings.HasPrefix(s, ",") {
				s = s[1:]
				continue
			}
			if !strings.HasPrefix(s, ")") {
				return nil, fmt.Errorf("@%s: expected `,` or `)` at %q", name, s)
			}
			break
		}
		s = s[1:]
		if err := k.check(len(m.args)); err != nil {
			return nil, fmt.Errorf("@%s: %v", name, err)
		}
		out = append(out, m)
	}
}

// check reports whether n arguments suit the parameters.
func (k kind) check(n int) error {
	lo, hi := 0, 0
	for _, p := range k.params {
		switch {
		case strings.HasSuffix(p, "?..."):
			hi = -1
		case strings.HasSuffix(p, "..."):
			lo++
			hi = -1
		case strings.HasSuffix(p, "?"):
			hi++
		default:
			lo++
			hi++
		}
	}
	if n < lo || hi >= 0 && n > hi {
		return fmt.Errorf("%d arguments, want (%s)", n, strings.Join(k.params, ", "))
	}
	return nil
}

func markerNames() []string {
	var out []string
	for n := range markers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// run checks a case against one backend, reporting failures to report
// (t itself, but for the harness's own tests).
func (c *testCase) run(t *testing.T, b backendKind, report testing.TB) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := &txtar.Archive{}
	for _, f := range c.files {
		a.Files = append(a.Files, txtar.File{Name: f.name, Data: f.text})
	}
	if err := a.WriteDir(dir, func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	be, err := b.start(t, c, dir)
	if err != nil {
		t.Fatalf("%s: %v", c.path, err)
	}
	r := &run{t: report, c: c, dir: dir, b: be, detail: b.detail, goldens: map[string]*bytes.Buffer{}}
	r.checkDiagnostics()
	for _, m := range c.calls {
		if k := markers[m.name]; k.run != nil {
			k.run(&mark{call: m, r: r})
		}
	}
	r.checkGoldens()
}

// run is one case in one backend.
type run struct {
	t       testing.TB // where failures go
	c       *testCase
	dir     string // the case folder
	b       backend
	detail  bool                     // the backend tells all a golden section says
	goldens map[string]*bytes.Buffer // golden output, by section
}

// golden returns the buffer collecting a golden section's text, or nil
// when the case does not have the section.
func (r *run) golden(section string) *bytes.Buffer {
	if r.c.goldens[section] == nil {
		return nil
	}
	if r.goldens[section] == nil {
		r.goldens[section] = &bytes.Buffer{}
	}
	return r.goldens[section]
}

// scrub replaces the case folder in s by $DIR.
func (r *run) scrub(s string) string {
	return strings.ReplaceAll(s, r.dir, "$DIR")
}

// checkGoldens compares the golden sections with what the run produced.
// With -update the run that tells all records them instead.
func (r *run) checkGoldens() {
	for _, name := range goldenSections {
		f := r.c.goldens[name]
		if f == nil {
			continue
		}
		got := r.golden(name).Bytes()
		if golden.Update() {
			if r.detail {
				r.c.mu.Lock()
				if r.c.updated == nil {
					r.c.updated = map[string][]byte{}
				}
				r.c.updated[name] = got
				r.c.mu.Unlock()
			}
			continue
		}
		want := f.Data
		if !r.detail && name == sectionDiagnostics {
			want = withoutDetail(want)
		}
		golden.Compare(r.t, fmt.Sprintf("%s:%d: section %s", r.c.path, f.Line-1, name), got, want)
	}
}

// save rewrites the archive with the updated golden sections.
func (c *testCase) save(t *testing.T) {
	if len(c.updated) == 0 {
		return
	}
	changed := false
	for i := range c.archive.Files {
		f := &c.archive.Files[i]
		if got, ok := c.updated[f.Name]; ok && !bytes.Equal(got, f.Data) {
			f.Data = got
			changed = true
		}
	}
	if !changed {
		return
	}
	if err := os.WriteFile(c.path, txtar.Format(c.archive), 0o644); err != nil {
		t.Error(err)
	}
}

// mark is one marker call as its function sees it in one run.
type mark struct {
	*call
	r *run
}

// backend returns what answers the marker's requests in this run.
func (m *mark) backend() backend { return m.r.b }

// errorf reports a failure of the marker.
func (m *mark) errorf(format string, args ...any) {
	m.r.t.Helper()
	m.r.t.Errorf("%s: %v: %s", m.at(m.r.c), m.call, m.r.scrub(fmt.Sprintf(format, args...)))
}

// start returns the offset of text in the marker's file: on the marker's
// line before the comment, else on the nearest line above that has it.
// When there is no such line it reports an error and returns false.
func (m *mark) start(text string) (int, bool) {
	if off, ok := m.file.find(m.line, text); ok {
		return off, true
	}
	m.errorf("%q is neither on the marker's line nor above", text)
	return 0, false
}

// end is start, at the end of text.
func (m *mark) end(text string) (int, bool) {
	off, ok := m.start(text)
	return off + len(text), ok
}

// find returns the offset of text on the 0-based line (before any marker
// comment) or on the nearest line above that has it.
func (f *file) find(line int, text string) (int, bool) {
	for l := line; l >= 0; l-- {
		start := f.lines.LineStart(l)
		code := f.code(l)
		if i := strings.Index(code, text); i >= 0 {
			return start + i, true
		}
	}
	return 0, false
}

// code returns a line without its marker comment.
func (f *file) code(line int) string {
	s := string(f.text[f.lines.LineStart(line):f.lines.LineEnd(line)])
	if i := strings.Index(s, "//@"); i >= 0 {
		return s[:i]
	}
	return s
}

// fileNamed returns the case file called name, or nil.
func (c *testCase) fileNamed(name string) *file {
	for _, f := range c.files {
		if f.name == name {
			return f
		}
	}
	return nil
}
