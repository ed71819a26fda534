package analysis

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/weburl"
)

// wholeFile runs the features that answer for a whole file (or a span of
// it) on the file at path and checks that the answers are well-formed:
// outline entries nested and named, tokens in order without overlaps, a
// range's tokens and hints those of the whole file in the range, links and
// hints inside the file.
func wholeFile(t *testing.T, snap *Snapshot, path string) {
	t.Helper()
	ctx := context.Background()
	text, err := snap.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(path)
	all := diag.Span{Start: 0, End: len(text)}
	inside := func(what string, s, outer diag.Span) {
		if s.Start < outer.Start || s.Start > s.End || s.End > outer.End {
			t.Fatalf("%s of %s: span %v outside %v", what, name, s, outer)
		}
	}

	syms, err := snap.DocumentSymbols(ctx, path)
	if err != nil {
		t.Fatalf("document symbols of %s: %v", name, err)
	}
	var walk func(syms []DocumentSymbol, outer diag.Span)
	walk = func(syms []DocumentSymbol, outer diag.Span) {
		for _, s := range syms {
			if s.Name == "" || s.Role == 0 {
				t.Fatalf("document symbols of %s: %+v", name, s)
			}
			inside("symbol "+s.Name, s.Span, outer)
			inside("name of symbol "+s.Name, s.NameSpan, s.Span)
			walk(s.Children, s.Span)
		}
	}
	walk(syms, all)

	full, err := snap.SemanticTokens(ctx, path, all)
	if err != nil {
		t.Fatalf("semantic tokens of %s: %v", name, err)
	}
	checkTokens := func(what string, toks []Token, within diag.Span) {
		for i, tok := range toks {
			inside(what, tok.Span, all)
			if tok.Span.Start >= tok.Span.End || tok.Kind.String() == "" || tok.Mods >= 1<<len(TokenModifiers()) {
				t.Fatalf("%s of %s: bad token %+v", what, name, tok)
			}
			if i > 0 && tok.Span.Start < toks[i-1].Span.End {
				t.Fatalf("%s of %s: token %v overlaps %v", what, name, tok.Span, toks[i-1].Span)
			}
			if tok.Span.End <= within.Start || tok.Span.Start >= within.End || !slices.Contains(full, tok) {
				t.Fatalf("%s of %s: token %+v is not a token of the whole file within %v", what, name, tok, within)
			}
		}
	}
	checkTokens("semantic tokens", full, all)
	n := len(text)
	for _, within := range []diag.Span{{Start: 0, End: n / 3}, {Start: n / 3, End: 2 * n / 3}, {Start: n / 2, End: n / 2}, {Start: 2 * n / 3, End: n + 10}} {
		toks, err := snap.SemanticTokens(ctx, path, within)
		if err != nil {
			t.Fatalf("semantic tokens of %s in %v: %v", name, within, err)
		}
		checkTokens("semantic tokens in a range", toks, within)
		hints, err := snap.InlayHints(ctx, path, within)
		if err != nil {
			t.Fatalf("inlay hints of %s in %v: %v", name, within, err)
		}
		for _, h := range hints {
			if h.Offset < within.Start || h.Offset > within.End {
				t.Fatalf("inlay hint of %s at %d outside %v", name, h.Offset, within)
			}
		}
	}

	links, err := snap.DocumentLinks(ctx, path)
	if err != nil {
		t.Fatalf("document links of %s: %v", name, err)
	}
	for _, l := range links {
		inside("link", l.Span, all)
		if (l.File == "") == (l.URL == "") {
			t.Fatalf("link of %s: %+v", name, l)
		}
		if _, err := snap.Stat(l.File); l.File != "" && err != nil {
			t.Fatalf("link of %s to a missing file: %+v", name, l)
		}
	}

	hints, err := snap.InlayHints(ctx, path, all)
	if err != nil {
		t.Fatalf("inlay hints of %s: %v", name, err)
	}
	for i, h := range hints {
		if h.Offset < 0 || h.Offset > len(text) || h.Label == "" || i > 0 && h.Offset < hints[i-1].Offset {
			t.Fatalf("inlay hints of %s: %+v", name, hints)
		}
	}
}

// checkWorkspaceSymbols checks that the workspace symbols of snap name
// spans of their files.
func checkWorkspaceSymbols(t *testing.T, snap *Snapshot) {
	t.Helper()
	for _, q := range []string{"", "a", "zzzz-none"} {
		syms, err := snap.WorkspaceSymbols(context.Background(), q, 0)
		if err != nil {
			t.Fatalf("workspace symbols %q: %v", q, err)
		}
		for _, s := range syms {
			text, err := snap.ReadFile(s.File)
			if err != nil || s.Span.Start < 0 || s.Span.Start > s.Span.End || s.Span.End > len(text) || s.Name == "" {
				t.Fatalf("workspace symbol %q: %+v", q, s)
			}
		}
		if q == "zzzz-none" && len(syms) > 0 {
			t.Errorf("workspace symbols %q: %v", q, syms)
		}
	}
}

// memFetcher serves remote manifests from memory.
type memFetcher map[string]string

func (m memFetcher) Fetch(_ context.Context, url string) ([]byte, string, error) {
	if body, ok := m[url]; ok {
		return []byte(body), url, nil
	}
	return nil, "", fs.ErrNotExist
}
func (memFetcher) ByDigest(string) ([]byte, string, bool) { return nil, "", false }
func (memFetcher) PutDigest(string, string, []byte)       {}

// TestInlayHintsFromTheLinkedGraph: a binding into a remote child shows
// the kind of the target slot once the tree is linked (the child's file
// cannot be read from the syntax alone), and the source's before.
func TestInlayHintsFromTheLinkedGraph(t *testing.T) {
	const remote = "https://example.test/worker.json5"
	ws := NewWorkspace(Options{Fetcher: memFetcher{remote: `{ manifest_version: "0.1.0", slots: { api: { kind: "a2a" } } }`}})
	dir := t.TempDir()
	path := filepath.Join(dir, "root.json5")
	text := `{ manifest_version: "0.1.0", components: { w: "` + remote + `" }, bindings: [{ to: "#w.api", from: "framework.component" }] }`
	ws.SetFolders([]string{dir})
	snap := ws.SetDocument(path, 1, []byte(text))
	ctx := context.Background()
	all := diag.Span{Start: 0, End: len(text)}
	if hints, err := snap.InlayHints(ctx, path, all); err != nil || len(hints) != 1 || hints[0].Label != ": component" {
		t.Fatalf("hints before linking: %+v %v, want the source's kind", hints, err)
	}
	if _, err := snap.Diagnostics(ctx); err != nil {
		t.Fatal(err)
	}
	hints, err := snap.InlayHints(ctx, path, all)
	want := strings.Index(text, `"#w.api"`) + len(`"#w.api"`)
	if err != nil || len(hints) != 1 || hints[0].Label != ": a2a" || hints[0].Offset != want || hints[0].Kind != InlayType {
		t.Fatalf("hints once linked: %+v %v, want `: a2a` at %d", hints, err, want)
	}
}

// TestSnippets: new entries are written as the vocabulary's first form
// with its required fields, as a snippet and as plain text.
func TestSnippets(t *testing.T) {
	cases := []struct {
		name, text, at string // the completion is asked at the end of at
		label          string
		plain, snippet string
	}{
		{"slot in a gap", "{ manifest_version: \"0.1.0\", slots: {  } }", "slots: { ", "new slot",
			`slot: { kind: "mcp" }`, `${1:slot}: { kind: "${2|mcp,llm,http,component,docker,a2a,storage,kvm|}" }`},
		{"child named while typing", "{ manifest_version: \"0.1.0\", components: { web } }", "components: { web", "web",
			`web: "./web.json5"`, `web: "./web.json5"`},
		{"child in a gap before another", "{ manifest_version: \"0.1.0\", components: {  a: \"./a.json5\" } }", "components: { ", "new child",
			`child: "./child.json5",`, `${1:child}: "./${1}.json5",`},
		{"quoted keys", "{ \"manifest_version\": \"0.1.0\", \"use\": {  } }", "\"use\": { ", "new use",
			`"use": "./use.json5"`, `"${1:use}": "./${1}.json5"`},
		{"binding with children", "{ manifest_version: \"0.1.0\", components: { a: \"./a.json5\", b: \"./b.json5\" }, bindings: [  ] }", "bindings: [ ", "new binding",
			`{ to: "#a.slot", from: "" }`, `{ to: "#${1|a,b|}.${2:slot}", from: "${3:}" }`},
		{"binding after one without a comma", "{ manifest_version: \"0.1.0\", bindings: [ { to: \"#a.b\", from: \"slots.c\" }  ] }", "\"slots.c\" } ", "new binding",
			`, { to: "#child.slot", from: "" }`, `, { to: "#${1:child}.${2:slot}", from: "${3:}" }`},
		{"environment", "{ manifest_version: \"0.1.0\", environments: {  } }", "environments: { ", "new environment",
			`environment: {  }`, `${1:environment}: { ${2:} }`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := NewWorkspace(Options{})
			path := filepath.Join(t.TempDir(), "a.json5")
			snap := ws.SetDocument(path, 1, []byte(tc.text))
			items, err := snap.Completion(context.Background(), path, strings.Index(tc.text, tc.at)+len(tc.at))
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, it := range items {
				labels = append(labels, it.Label)
				if it.Label == tc.label && it.Kind == CompleteSnippet {
					if it.Edit.NewText != tc.plain || it.Snippet != tc.snippet {
						t.Errorf("got plain %q snippet %q\nwant plain %q snippet %q", it.Edit.NewText, it.Snippet, tc.plain, tc.snippet)
					}
					return
				}
			}
			t.Errorf("no snippet %q among %q", tc.label, labels)
		})
	}
}

// TestOutlineOfBrokenText: a manifest with syntax errors keeps the outline
// of what parsed.
func TestOutlineOfBrokenText(t *testing.T) {
	ws := NewWorkspace(Options{})
	path := filepath.Join(t.TempDir(), "a.json5")
	text := "{\n  manifest_version: \"0.1.0\",\n  slots: { api: { kind: \"http\" }, llm: { kind: \n  provides: { web: {"
	snap := ws.SetDocument(path, 1, []byte(text))
	syms, err := snap.DocumentSymbols(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var walk func(syms []DocumentSymbol, prefix string)
	walk = func(syms []DocumentSymbol, prefix string) {
		for _, s := range syms {
			names = append(names, prefix+s.Name)
			walk(s.Children, prefix+s.Name+".")
		}
	}
	walk(syms, "")
	for _, want := range []string{"manifest_version", "slots", "slots.api", "slots.llm"} {
		if !slices.Contains(names, want) {
			t.Errorf("outline %q lacks %q", names, want)
		}
	}
}

// TestDocumentLinkTargets: local files that exist, remote http(s)
// manifests, and nothing for what resolves to nothing. A link leads where
// the linker goes: a remote URL in its normal form (`\` is `/`, a space
// is `%20`, tabs and newlines are dropped, the scheme and host in lower
// case), a local reference to the file its percent-decoded path names.
func TestDocumentLinkTargets(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.json5", "c d%.json5"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(`{ manifest_version: "0.1.0" }`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "a.json5")
	for _, tc := range []struct {
		ref  string // as written in the manifest, between double quotes
		want string // the link's target: a file's base name or a URL; "" for no link
	}{
		{ref: "./b.json5", want: "b.json5"},
		{ref: "b.json5", want: "b.json5"},
		{ref: "file://" + filepath.ToSlash(filepath.Join(dir, "b.json5")), want: "b.json5"},
		{ref: "file:b.json5"}, // file:///b.json5: a reference with a scheme is not joined
		{ref: "./b%2Ejson5", want: "b.json5"},
		{ref: `.\\b.json5`, want: "b.json5"},
		{ref: "./c d%25.json5", want: "c d%.json5"},
		{ref: "./c%20d%25.json5", want: "c d%.json5"},
		{ref: "./c%20d%.json5", want: "c d%.json5"},
		{ref: weburl.FileURL(filepath.ToSlash(filepath.Join(dir, "c d%.json5"))), want: "c d%.json5"},
		{ref: "./c d%2.json5"},
		{ref: "https://example.test/w.json5", want: "https://example.test/w.json5"},
		{ref: "HTTP://Example.TEST/x.json5", want: "http://example.test/x.json5"},
		{ref: `https://example.test/a b\\c.json5`, want: "https://example.test/a%20b/c.json5"},
		{ref: `https://exa\tmple.test/t.json5\n`, want: "https://example.test/t.json5"},
		{ref: "https:example.test/p.json5", want: "https://example.test/p.json5"},
		{ref: "https://example.test/d/../e.json5?v=1#top", want: "https://example.test/e.json5?v=1#top"},
		{ref: "https://example.test:443/f.json5", want: "https://example.test/f.json5"},
		{ref: "https://"},
		{ref: "./gone.json5"},
		{ref: "./"},
		{ref: "oci://x/y"},
		{ref: "//example.test/x.json5"},
	} {
		text := `{ manifest_version: "0.1.0", components: { c: "` + tc.ref + `" } }`
		ws := NewWorkspace(Options{})
		snap := ws.SetDocument(path, 1, []byte(text))
		links, err := snap.DocumentLinks(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range links {
			if src := text[l.Span.Start:l.Span.End]; src != tc.ref {
				t.Errorf("%s: the link spans %q", tc.ref, src)
			}
			if l.File != "" {
				got = append(got, filepath.Base(l.File))
			}
			if l.URL != "" {
				got = append(got, l.URL)
			}
		}
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		if !slices.Equal(got, want) {
			t.Errorf("links of %s: %q, want %q", tc.ref, got, want)
		}
	}
}

// TestWorkspaceSymbolRanking: exact names first, then prefixes,
// substrings and scattered matches, each by name then file; the limit
// keeps the best.
func TestWorkspaceSymbolRanking(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.json5": `{ manifest_version: "0.1.0", slots: { api: { kind: "http" }, rapid: { kind: "http" }, a_p_i: { kind: "http" }, apis: { kind: "http" } } }`,
		"b.json5": `{ manifest_version: "0.1.0", provides: { api: { kind: "http" } }, exports: { api: "api" } }`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := NewWorkspace(Options{})
	snap, _ := ws.SetFolders([]string{dir})
	syms, err := snap.WorkspaceSymbols(context.Background(), "API", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range syms {
		got = append(got, s.Name+"@"+filepath.Base(s.File)+":"+s.Container)
	}
	want := []string{"api@a.json5:slots", "api@b.json5:provides", "api@b.json5:exports", "apis@a.json5:slots", "rapid@a.json5:slots", "a_p_i@a.json5:slots"}
	if !slices.Equal(got, want) {
		t.Errorf("symbols\n%q\nwant\n%q", got, want)
	}
	if syms, _ := snap.WorkspaceSymbols(context.Background(), "api", 2); len(syms) != 2 || syms[1].Name != "api" {
		t.Errorf("limit 2: %+v", syms)
	}
}
