package linker

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest"
)

// refCases are manifest references written in /w/m/p.json5 and the local
// file each names ("" when it names none).
var refCases = []struct{ ref, want string }{
	{"./c.json5", "/w/m/c.json5"},
	{"c.json5", "/w/m/c.json5"},
	{"../x/c.json5", "/w/x/c.json5"},
	{"a/./b/../c.json5", "/w/m/a/c.json5"},
	{"../../../../x.json5", "/x.json5"},
	{"a//b.json5", "/w/m/a/b.json5"},
	{".", "/w/m"},
	{"dir/", "/w/m/dir"},
	{"/abs/c.json5", "/abs/c.json5"},
	{"/abs/./x/../c.json5", "/abs/c.json5"},
	{"file:///abs/c.json5", "/abs/c.json5"},
	{"FILE:///abs/c.json5", "/abs/c.json5"},
	{"file://localhost/abs/c.json5", "/abs/c.json5"},
	{"file://host/c.json5", ""}, // Amber: "invalid file URL"
	{"//host/c.json5", ""},
	{"//localhost/c.json5", "/c.json5"},
	{"./my%20c.json5", "/w/m/my c.json5"},
	{"./a%2Fb.json5", "/w/m/a/b.json5"},
	{"./%63.json5", "/w/m/c.json5"},
	{"./c.json5?x=1#frag", "/w/m/c.json5"},
	{"#frag", "/w/m/p.json5"},
	{"?q", "/w/m/p.json5"},
	{`a\b.json5`, "/w/m/a/b.json5"}, // `\` is `/` in a file: URL
	{`\\host\c.json5`, ""},
	{"é.json5", "/w/m/é.json5"},
	{" ./c.json5\t", "/w/m/c.json5"},  // spaces and controls trimmed
	{"./c\t.js\non5", "/w/m/c.json5"}, // tabs and newlines removed
	{"  ", "/w/m/p.json5"},            // nothing left: the manifest itself
	{":x", "/w/m/:x"},                 // no scheme: relative
	{"1a:x", "/w/m/1a:x"},
	{"%zz", "/w/m/%zz"},
	{"c|/x.json5", "/c:/x.json5"}, // a drive letter
	{"file:relative", "/relative"},
	{"https://example.com/c.json5", ""},
	{"http://example.com/c.json5", ""},
	{"oci:foo", ""},
	{"Https://example.com/c.json5", ""},
	{"a+b.c-d:x", ""},
	{"C:/x.json5", ""}, // the scheme `c`
	{"http://[::1", ""},
	{"//a b/c.json5", ""},
	{"", ""},
}

func TestResolveLocalRef(t *testing.T) {
	for _, tc := range refCases {
		got, ok := ResolveLocalRef("/w/m/p.json5", tc.ref)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ResolveLocalRef(%q) = %q, %v; want %q", tc.ref, got, ok, tc.want)
		}
	}
}

// TestResolveLocalRefIsWhatLinkReads links a root whose one child is each
// reference in turn and records what the linker reads: the child's file is
// the one ResolveLocalRef names, and nothing local is read for a reference
// that names no local file.
func TestResolveLocalRefIsWhatLinkReads(t *testing.T) {
	const root = "/w/m/p.json5"
	for _, tc := range refCases {
		files := &recordingFiles{root: root, text: `{ manifest_version: "0.1.0", components: { c: ` + strconv.Quote(tc.ref) + ` } }`}
		Link(context.Background(), root, Options{Files: files})
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		got := files.read[1:]
		if tc.want == root && len(got) == 0 {
			continue // the root itself, whose text the link has read already
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: the linker read %q, want %q", tc.ref, got, want)
		}
	}
}

// TestPlainPathsResolveLikeURLs: the fast path of plain relative and
// absolute paths gives what joining URLs gives.
func TestPlainPathsResolveLikeURLs(t *testing.T) {
	const from = "/w/m/p.json5"
	base, _ := FileURL(from)
	for _, ref := range []string{"c.json5", "./c.json5", "a/./b/../c.json5", "../../../../../x.json5", "dir/", ".", "..", "/abs/./x.json5", "/abs//x.json5", "a//b.json5", "-x_y.json5", "{a}`b\"<c>^.json5"} {
		if !plainPath(ref) {
			t.Errorf("%q is not a plain path", ref)
			continue
		}
		fast, _ := ResolveLocalRef(from, ref)
		abs, err := joinRef(base, ref)
		slow, ok := LocalPath(abs)
		if err != nil || !ok || fast != filepath.Clean(slow) {
			t.Errorf("%q: fast path %q, URL joining %q (%v)", ref, fast, slow, err)
		}
	}
}

// recordingFiles serves root's text and a leaf manifest for every other
// path, recording every absolute path read, in order.
type recordingFiles struct {
	root, text string
	mu         sync.Mutex
	read       []string
}

func (f *recordingFiles) ReadFile(path string) ([]byte, error) {
	if filepath.IsAbs(path) {
		f.mu.Lock()
		f.read = append(f.read, filepath.Clean(path))
		f.mu.Unlock()
	}
	if path == f.root {
		return []byte(f.text), nil
	}
	return []byte(`{ manifest_version: "0.1.0" }`), nil
}

func (f *recordingFiles) AnalyzeFile(path string, text []byte) *manifest.Result {
	return manifest.AnalyzeWith(path, text, manifest.Options{NoLints: true, ReadFile: f.ReadFile})
}
