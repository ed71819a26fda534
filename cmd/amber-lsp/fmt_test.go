package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fmtTree writes a tree of manifests to a fresh directory: one formatted,
// two that are not (one below a subdirectory), one with a syntax error, a
// JSON file that is no manifest, and a manifest in a hidden directory.
func fmtTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"tidy.json5":         "{\n  manifest_version: \"0.4.0\",\n}\n",
		"messy.json5":        "{manifest_version:\"0.4.0\",\n  exports: {\n\n\n  }}",
		"sub/child.json5":    "// a child\n{\n    manifest_version: '0.4.0', // kept\n}\n",
		"sub/broken.json5":   "{\n  manifest_version: \"0.4.0\"\n  exports: {},\n}\n",
		"package.json":       "{\"name\":   \"x\"}\n",
		".hidden/skip.json5": "{manifest_version:\"0.4.0\"}",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runFmt runs `amber-lsp fmt args...` in dir.
func runFmt(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"fmt"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// snapshotDir returns every file below dir with its content.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			out[path] = string(b)
		}
		return nil
	})
	return out
}

// TestFmtCheck: --check lists the manifests that would change, reports
// the one with a syntax error on stderr, writes nothing and exits 1.
func TestFmtCheck(t *testing.T) {
	dir := fmtTree(t)
	before := snapshotDir(t, dir)
	code, stdout, stderr := runFmt(t, dir, "--check", ".")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if want := "messy.json5\nsub/child.json5\n"; stdout != filepath.FromSlash(want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	for _, want := range []string{"manifest::json5_error", "missing `,`", filepath.FromSlash("sub/broken.json5:3:3"), "1 file(s) not formatted"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if after := snapshotDir(t, dir); !equalMaps(before, after) {
		t.Errorf("--check changed files")
	}
	// A formatted file alone: nothing to say, exit 0.
	if code, stdout, stderr := runFmt(t, dir, "--check", "tidy.json5"); code != 0 || stdout != "" || stderr != "" {
		t.Errorf("--check tidy.json5: %d %q %q", code, stdout, stderr)
	}
}

// TestFmtWrite: fmt rewrites the manifests in place (keeping their
// permissions), prints their names, leaves the others alone, and a second
// run changes nothing.
func TestFmtWrite(t *testing.T) {
	dir := fmtTree(t)
	before := snapshotDir(t, dir)
	code, stdout, _ := runFmt(t, dir, ".")
	if code != 1 { // the syntax error
		t.Errorf("exit status %d, want 1", code)
	}
	if want := "messy.json5\nsub/child.json5\n"; stdout != filepath.FromSlash(want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got, want := read("messy.json5"), "{\n  manifest_version: \"0.4.0\",\n  exports: {}\n}\n"; got != want {
		t.Errorf("messy.json5:\n%s\nwant\n%s", got, want)
	}
	if got, want := read("sub/child.json5"), "// a child\n{\n  manifest_version: '0.4.0', // kept\n}\n"; got != want {
		t.Errorf("sub/child.json5:\n%s\nwant\n%s", got, want)
	}
	for _, name := range []string{"tidy.json5", "sub/broken.json5", "package.json", ".hidden/skip.json5"} {
		if got, want := read(name), before[filepath.Join(dir, name)]; got != want {
			t.Errorf("%s changed:\n%s", name, got)
		}
	}
	if runtime.GOOS != "windows" {
		if info, err := os.Stat(filepath.Join(dir, "messy.json5")); err != nil || info.Mode().Perm() != 0o640 {
			t.Errorf("permissions %v, %v; want 0640", info.Mode().Perm(), err)
		}
	}
	if code, stdout, _ := runFmt(t, dir, "messy.json5", "sub/child.json5", "tidy.json5"); code != 0 || stdout != "" {
		t.Errorf("second run: %d %q", code, stdout)
	}
	// A file named explicitly is formatted, manifest or not.
	if code, stdout, _ := runFmt(t, dir, "package.json"); code != 0 || stdout != "package.json\n" {
		t.Errorf("package.json: %d %q", code, stdout)
	}
}

// TestFmtBadInvocations: unreadable paths, unknown flags and no path exit
// 2 without writing anything.
func TestFmtBadInvocations(t *testing.T) {
	dir := fmtTree(t)
	before := snapshotDir(t, dir)
	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"missing.json5"}, "cannot read missing.json5: no such file or directory"},
		{[]string{".", "missing"}, "cannot read missing"},
		{[]string{"--write", "."}, "unknown flag --write"},
		{nil, "no manifest path given"},
	} {
		code, stdout, stderr := runFmt(t, dir, tt.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("fmt %q: %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, stdout, stderr, tt.stderr)
		}
	}
	if after := snapshotDir(t, dir); !equalMaps(before, after) {
		t.Errorf("a failed run changed files")
	}
	if code, stdout, _ := runFmt(t, dir, "--help"); code != 0 || !strings.Contains(stdout, "usage: amber-lsp fmt") {
		t.Errorf("--help: %d %q", code, stdout)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestFmtTooDeep: a text nested so deeply that its formatting would grow
// many times is left alone, with a message, and the status is 1.
func TestFmtTooDeep(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat("[", 500) + "1" + strings.Repeat("]", 500)
	text := "{manifest_version: \"0.4.0\", x: [" + strings.Repeat(deep+",", 40) + "0]}"
	if err := os.WriteFile(filepath.Join(dir, "deep.json5"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runFmt(t, dir, "deep.json5")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "deep.json5: not formatted: the formatted text would be more than 16 times as large") {
		t.Errorf("%d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "deep.json5")); string(got) != text {
		t.Errorf("the file changed")
	}
}

// TestFmtReadmeExample: the README's formatting example is what fmt does.
func TestFmtReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Formatting\n")
	if !ok {
		t.Fatal("the README has no Formatting section")
	}
	var blocks []string
	for _, part := range strings.Split(section, "```json5\n")[1:] {
		block, _, _ := strings.Cut(part, "```")
		blocks = append(blocks, block)
	}
	if len(blocks) < 2 || !strings.HasPrefix(blocks[0], "// before\n") || !strings.HasPrefix(blocks[1], "// after\n") {
		t.Fatalf("want a `// before` and an `// after` json5 block, got %q", blocks)
	}
	before, after := strings.TrimPrefix(blocks[0], "// before\n"), strings.TrimPrefix(blocks[1], "// after\n")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "m.json5"), []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runFmt(t, dir, "m.json5"); code != 0 {
		t.Fatalf("fmt: %d %s", code, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "m.json5")); string(got) != after {
		t.Errorf("the README's example formats to\n%s\nnot\n%s", got, after)
	}
}
