package analysis

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

const sidecarVM = `{
  manifest_version: "0.3.0",
  slots: { api: { kind: "http" } },
  program: {
    vm: { image: "debian.qcow2", cpus: 1, memory_mib: 512, cloud_init: { user_data: { file: "./user-data.yaml" } } },
  },
}
`

// errorCodes lists the codes of a file's errors in the report (the lints
// of the program vary as the placeholders do).
func errorCodes(rep *Report, file string) []diag.Code {
	var out []diag.Code
	for _, d := range rep.ByFile[file] {
		if d.Severity == diag.Error {
			out = append(out, d.Code)
		}
	}
	return out
}

// TestSidecarThroughTheSnapshot: the link and the sidecar check read the
// cloud-init file through the snapshot, so an open document wins over the
// disk, and each edit of it re-checks the manifest that names it (Amber's
// own check at the `{ file }` reference included).
func TestSidecarThroughTheSnapshot(t *testing.T) {
	dir := t.TempDir()
	vm, yaml := filepath.Join(dir, "vm.json5"), filepath.Join(dir, "user-data.yaml")
	good := "#cloud-config\nruncmd:\n  - [curl, \"${slots.api.url}\"]\n"
	bad := "#cloud-config\nruncmd:\n  - [curl, \"${slots.nope.url}\"]\n"
	for path, text := range map[string]string{vm: sidecarVM, yaml: good} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := NewWorkspace(Options{})
	snap, err := ws.SetFolders([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		apply    func() *Snapshot
		vm, side []diag.Code
	}{
		{"on disk, sound", func() *Snapshot { return snap }, nil, nil},
		{"opened with a bad slot", func() *Snapshot { return ws.SetDocument(yaml, 1, []byte(bad)) },
			[]diag.Code{codes.InvalidSlotsInterpolation}, []diag.Code{codes.CloudInitReference}},
		{"edited back", func() *Snapshot { return ws.SetDocument(yaml, 2, []byte(good)) }, nil, nil},
		{"edited into bad YAML", func() *Snapshot { return ws.SetDocument(yaml, 3, []byte(good+"  - : : [\n")) },
			nil, []diag.Code{codes.CloudInitYaml}},
		{"closed: the disk again", func() *Snapshot { return ws.CloseDocument(yaml) }, nil, nil},
	}
	for _, st := range steps {
		rep, err := st.apply().Diagnostics(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		gotVM, gotSide := errorCodes(rep, vm), errorCodes(rep, yaml)
		slices.Sort(gotVM)
		slices.Sort(st.vm)
		if !slices.Equal(gotVM, st.vm) || !slices.Equal(gotSide, st.side) {
			t.Errorf("%s: vm.json5 %v, user-data.yaml %v; want %v and %v", st.name, gotVM, gotSide, st.vm, st.side)
		}
		if got := rep.Sidecars[yaml]; !slices.Equal(got, []string{vm}) {
			t.Errorf("%s: Sidecars[user-data.yaml] = %v", st.name, got)
		}
	}
}

// TestYAMLProblem: the line (and, where the message names one, the
// character) of a YAML error, not the line yaml.v3 names.
func TestYAMLProblem(t *testing.T) {
	cases := []struct {
		name, text, at string // at: the text the span starts with
	}{
		{"tab", "a:\n  - x\n\t- y\n", "\t"},
		{"second colon", "a: b: c\n", ": c"},
		{"bad key in a mapping", "top:\n  a: 1\n  b: 2\n c: 3\n", "c: 3"},
		{"unclosed quote", "a: \"x\nb: 1\n", "a: \"x"},
		{"only the first line", "- [\n", "- ["},
	}
	for _, tc := range cases {
		span, msg, bad := yamlProblem([]byte(tc.text))
		if !bad {
			t.Errorf("%s: no problem found", tc.name)
			continue
		}
		if got := tc.text[span.Start:]; len(got) < len(tc.at) || got[:len(tc.at)] != tc.at || span.End > len(tc.text) || span.End <= span.Start {
			t.Errorf("%s: span %v (%q), want it at %q; message %s", tc.name, span, tc.text[span.Start:min(span.End, len(tc.text))], tc.at, msg)
		}
	}
	for _, ok := range []string{"", "#cloud-config\n", "a: 1\n---\nb: 2\n", "#cloud-config\nruncmd:\n  - echo ${HOME}\n"} {
		if _, msg, bad := yamlProblem([]byte(ok)); bad {
			t.Errorf("%q: %s", ok, msg)
		}
	}
}

// TestCloudInitKind reads the headers cloud-init knows.
func TestCloudInitKind(t *testing.T) {
	for text, want := range map[string]cloudInitFormat{
		"#cloud-config\n":                   cloudInitConfig,
		"#cloud-config  \r\nx: 1":           cloudInitConfig,
		"\uFEFF#cloud-config\n":             cloudInitConfig,
		"#!/bin/sh\necho hi\n":              cloudInitOther,
		"## template: jinja\n#cloud-config": cloudInitOther,
		"Content-Type: multipart/mixed\n":   cloudInitOther,
		"#include\nhttps://x\n":             cloudInitOther,
		"packages: [nginx]\n":               cloudInitUnknown,
		"":                                  cloudInitUnknown,
		"#cloud-configs\n":                  cloudInitUnknown,
	} {
		if got := cloudInitKind([]byte(text)); got != want {
			t.Errorf("cloudInitKind(%q) = %d, want %d", text, got, want)
		}
	}
}

// TestSidecarHostileText: a large cloud-init file full of placeholders and
// broken YAML is checked in bounded time, every diagnostic inside it.
func TestSidecarHostileText(t *testing.T) {
	dir := t.TempDir()
	vm, yaml := filepath.Join(dir, "vm.json5"), filepath.Join(dir, "user-data.yaml")
	big := "#cloud-config\nx: \"" + strings.Repeat("${slots.", 200_000) + "\n" + strings.Repeat("- [\n", 20_000)
	ws := NewWorkspace(Options{})
	ws.SetDocument(vm, 1, []byte(sidecarVM))
	snap := ws.SetDocument(yaml, 1, []byte(big))
	start := time.Now()
	rep, err := snap.Diagnostics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("checking took %v", d)
	}
	if len(rep.ByFile[yaml]) == 0 {
		t.Error("no diagnostics in the hostile file")
	}
	for _, d := range rep.ByFile[yaml] {
		if l, _ := d.Primary(); l.Span.Start < 0 || l.Span.End > len(big) || l.Span.Start > l.Span.End {
			t.Fatalf("%s: span %v outside the file", d.Code, l.Span)
		}
	}
	for _, off := range []int{-1, 0, 20, len(big) / 2, len(big), len(big) + 10} {
		if _, err := snap.Hover(context.Background(), yaml, off); err != nil {
			t.Errorf("hover at %d: %v", off, err)
		}
		if _, err := snap.Definition(context.Background(), yaml, off); err != nil {
			t.Errorf("definition at %d: %v", off, err)
		}
	}
}
