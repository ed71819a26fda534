// Package corpus locates, for tests, the material that compares amber-lsp
// with Amber and does not ship with this repository: Amber's conformance
// corpus (`conformance/ui`, `conformance/examples`) and the specification
// (`spec/*.md`). Both live in a directory named `shared` beside the
// repository; this package is the one place that knows it.
//
// A clone on its own has no such directory. Its corpus tests then skip,
// every one with the same one-line reason, [Reason]. When the CI
// environment variable is set, or when the directory exists, the corpus is
// required: a missing directory or file fails the test, so neither CI nor
// a half-present corpus can pass by skipping.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Reason is the one line every corpus test skips with when the shared
// directory is absent and not required.
const Reason = "skipping Amber conformance corpus tests: ../shared not found beside the repository (set CI to make this a failure)"

// Path returns the absolute path of a file or directory of the shared
// directory, elem joined as by filepath.Join, e.g. Path(t, "conformance",
// "ui"). When it does not exist, tb skips with Reason, or fails when the
// corpus is required (see the package doc).
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	p, skip, msg := here().path(elem...)
	switch {
	case skip:
		tb.Skip(msg)
	case msg != "":
		tb.Fatal(msg)
	}
	return p
}

// Spec returns the text of a specification file, e.g. Spec(t,
// "overlays.md"), skipping or failing like Path.
func Spec(tb testing.TB, name string) []byte {
	tb.Helper()
	text, err := os.ReadFile(Path(tb, "spec", name))
	if err != nil {
		tb.Fatal(err)
	}
	return text
}

// Glob returns the corpus files matching a pattern relative to the shared
// directory, e.g. Glob(t, "conformance/ui/*.json5"), for tests that use
// the corpus as extra input beside their own files (property tests, fuzz
// seeds). It never skips: without the corpus, when it is not required,
// Glob returns nil. A required corpus with no match fails tb.
func Glob(tb testing.TB, pattern string) []string {
	tb.Helper()
	files, msg := here().glob(pattern)
	if msg != "" {
		tb.Fatal(msg)
	}
	return files
}

// place is where the shared directory is and what a missing file means.
type place struct {
	dir      string // the shared directory, absolute
	required bool   // a missing file fails rather than skips
	err      error  // why the repository root could not be found
}

var (
	once  sync.Once
	found place
)

// here is the place seen from the working directory (`go test` runs in the
// package's directory), with the CI environment variable.
func here() place {
	once.Do(func() {
		ci := os.Getenv("CI") != ""
		wd, err := os.Getwd()
		if err != nil {
			found = place{err: err, required: ci}
			return
		}
		found = locate(wd, ci)
	})
	return found
}

// locate finds the repository root, the closest directory at or above wd
// holding go.mod, and the shared directory beside it. The corpus is
// required under CI or when that directory exists.
func locate(wd string, ci bool) place {
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return place{err: fmt.Errorf("no go.mod at or above %s", wd), required: ci}
		}
		root = parent
	}
	pl := place{dir: filepath.Join(filepath.Dir(root), "shared"), required: ci}
	if info, err := os.Stat(pl.dir); err == nil && info.IsDir() {
		pl.required = true
	}
	return pl
}

// missing says what a test does when what (a path or a pattern) cannot be
// found: skip with Reason, or, when the corpus is required, fail with msg.
func (pl place) missing(what string, err error) (skip bool, msg string) {
	if !pl.required {
		return true, Reason
	}
	return false, fmt.Sprintf("Amber's corpus is required (CI is set or ../shared exists), but %s is missing: %v", what, err)
}

// path returns the absolute path of elem below the shared directory, or
// what missing says.
func (pl place) path(elem ...string) (p string, skip bool, msg string) {
	if pl.err != nil {
		skip, msg = pl.missing("the repository root", pl.err)
		return "", skip, msg
	}
	p = filepath.Join(append([]string{pl.dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		skip, msg = pl.missing(p, err)
		return "", skip, msg
	}
	return p, false, ""
}

// glob returns the files matching pattern below the shared directory: nil
// when the corpus is not required, a failure message when it is and
// nothing matches.
func (pl place) glob(pattern string) ([]string, string) {
	if !pl.required {
		return nil, ""
	}
	if pl.err != nil {
		_, msg := pl.missing("the repository root", pl.err)
		return nil, msg
	}
	files, err := filepath.Glob(filepath.Join(pl.dir, filepath.FromSlash(pattern)))
	if err == nil && len(files) == 0 {
		err = os.ErrNotExist
	}
	if err != nil {
		_, msg := pl.missing(pattern, err)
		return nil, msg
	}
	return files, ""
}
