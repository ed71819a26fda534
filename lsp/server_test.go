package lsp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
)

const (
	clean      = "{ manifest_version: \"0.1.0\" }\n"
	syntaxCode = "manifest::json5_error"
	shapeCode  = "manifest::validation_error"
)

func TestLifecycle(t *testing.T) {
	e := startServer(t, Options{})
	var jerr *jsonrpc2.Error
	err := e.call(protocol.MethodShutdown, nil, nil)
	if !errors.As(err, &jerr) || jerr.Code != codeServerNotInitialized {
		t.Errorf("shutdown before initialize: %v, want ServerNotInitialized", err)
	}
	res := e.initialize(editorCaps{})
	if res.ServerInfo.Name != "amber-lsp" || res.Capabilities.PositionEncoding != protocol.PositionEncodingKindUTF16 {
		t.Errorf("initialize result = %+v", res)
	}
	if err := e.call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil); !errors.As(err, &jerr) || jerr.Code != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: %v, want InvalidRequest", err)
	}
	if err := e.call(protocol.MethodTextDocumentMoniker, &protocol.MonikerParams{}, nil); !errors.As(err, &jerr) || jerr.Code != jsonrpc2.MethodNotFound {
		t.Errorf("unsupported request: %v, want MethodNotFound", err)
	}
	e.notify("amber/unknownNotification", map[string]int{"x": 1})
	if err := e.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{}, nil); !errors.As(err, &jerr) || jerr.Code != jsonrpc2.InvalidRequest {
		t.Errorf("request after shutdown: %v, want InvalidRequest", err)
	}
	e.notify(protocol.MethodExit, nil)
	if code := e.waitExit(); code != 0 {
		t.Errorf("exit after shutdown = %d, want 0", code)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	e := start(t, Options{}, editorCaps{})
	e.notify(protocol.MethodExit, nil)
	if code := e.waitExit(); code != 1 {
		t.Errorf("exit without shutdown = %d, want 1", code)
	}
}

func TestConnectionClosedWithoutExit(t *testing.T) {
	e := start(t, Options{}, editorCaps{})
	e.raw.Close()
	if code := e.waitExit(); code != 1 {
		t.Errorf("status = %d, want 1", code)
	}
}

func TestOpenEditClose(t *testing.T) {
	for _, enc := range []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF32} {
		t.Run(string(enc), func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"a.json5": clean})
			a := filepath.Join(dir, "a.json5")
			e := start(t, Options{}, editorCaps{encodings: []protocol.PositionEncodingKind{enc}}, dir)

			// An unknown field after multi-byte text on the same line: its
			// column counts the characters before it in the negotiated unit.
			text := "{ manifest_version: \"0.1.0\", metadata: \"é😀\", \"k\": 1 }\n"
			e.open(a, text)
			got := e.waitVersion(a)
			if !slices.Equal(codesOf(got), []string{shapeCode}) {
				t.Fatalf("diagnostics = %v", got)
			}
			key := strings.Index(text, `"k"`)
			if want := positionOf(text, key, enc); got[0].Range.Start != want {
				t.Errorf("range start = %v, want %v", got[0].Range.Start, want)
			}

			// Insert more multi-byte text before the key, then rename it.
			at := strings.Index(text, "😀")
			e.change(a, enc, edit{at, at, "日本😀"})
			d := e.docs[uri.File(a)]
			k := strings.Index(d.text, `"k"`) + 1
			e.change(a, enc, edit{k, k + 1, "ñø"}, edit{k + len("ñø"), k + len("ñø"), "😀"})
			got = e.waitVersion(a)
			if len(got) != 1 || !strings.Contains(string(got[0].Message.(protocol.String)), "unknown field `ñø😀`") {
				t.Fatalf("after edits: %v", got)
			}
			key = strings.Index(d.text, `"ñø😀"`)
			if want := positionOf(d.text, key, enc); got[0].Range.Start != want {
				t.Errorf("range start after edits = %v, want %v", got[0].Range.Start, want)
			}

			// Delete the key: clean.
			start := strings.Index(d.text, `, "ñø😀": 1`)
			e.change(a, enc, edit{start, start + len(`, "ñø😀": 1`), ""})
			if got := e.waitVersion(a); len(got) != 0 {
				t.Fatalf("after fix: %v", got)
			}

			// Break the syntax, then close: the disk's clean text counts again.
			brace := strings.LastIndex(d.text, "}")
			e.change(a, enc, edit{brace, brace + 1, ""})
			if got := e.waitVersion(a); !slices.Contains(codesOf(got), syntaxCode) {
				t.Fatalf("after breaking: %v", got)
			}
			e.close(a)
			e.waitFor("diagnostics of a.json5 cleared after close", func() bool { return e.diags[uri.File(a)] == nil })
			if code := e.shutdown(); code != 0 {
				t.Errorf("exit status %d", code)
			}
		})
	}
}

func TestChildEditChangesParentTree(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"parent.json5":    "{ manifest_version: \"0.1.0\", components: { c: \"./sub/child.json5\" } }\n",
		"sub/child.json5": clean,
	})
	parent, child := filepath.Join(dir, "parent.json5"), filepath.Join(dir, "sub/child.json5")
	e := start(t, Options{}, allCaps, dir)

	// The child is edited on disk (closed in the editor): its problem is
	// found by analyzing the parent's tree and published for the child.
	writeFiles(t, dir, map[string]string{"sub/child.json5": "{ manifest_version: \"0.1.0\", "})
	e.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(child), Type: protocol.FileChangeTypeChanged}},
	})
	got := e.waitFor2(child, func(ds []protocol.Diagnostic) bool { return len(ds) > 0 })
	if got[0].Severity != protocol.DiagnosticSeverityError {
		t.Errorf("child diagnostic = %+v", got[0])
	}
	if d := e.diagnostics(parent); len(d) != 0 {
		t.Errorf("parent has diagnostics: %v", d)
	}
	// Fixed in the editor: the open document shadows the broken disk file.
	e.open(child, clean)
	if got := e.waitVersion(child); len(got) != 0 {
		t.Errorf("fixed child: %v", got)
	}
}

// waitFor2 waits until a file's published diagnostics satisfy ok.
func (e *editor) waitFor2(path string, ok func([]protocol.Diagnostic) bool) []protocol.Diagnostic {
	e.t.Helper()
	var got []protocol.Diagnostic
	e.waitFor("diagnostics of "+filepath.Base(path), func() bool {
		got = nil
		if p := e.diags[uri.File(path)]; p != nil {
			got = p.Diagnostics
		}
		return ok(got)
	})
	return got
}

func TestLinkDiagnosticsOfParentAndClosedChild(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"parent.json5": "{ manifest_version: \"0.1.0\", components: { c: \"./child.json5\" } }\n",
		"child.json5":  clean,
		"other.json5":  clean,
	})
	parent, child := filepath.Join(dir, "parent.json5"), filepath.Join(dir, "child.json5")
	// A stand-in linker: when the child says "slots", the parent's
	// reference to it is reported, with the child as related information,
	// and the child gets a problem of its own.
	link := func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		res := linker.Link(ctx, root, opts)
		text, err := opts.Files.ReadFile(child)
		if root == parent && err == nil && strings.Contains(string(text), "slots") {
			ref := strings.Index(parentText, `"./child.json5"`)
			res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{
				Code: "linker::test_parent", Severity: diag.Error, Message: "child needs a binding",
				Labels: []diag.Label{
					{File: parent, Span: diag.Span{Start: ref, End: ref + len(`"./child.json5"`)}, Primary: true, Message: "component declared here"},
					{File: child, Span: diag.Span{Start: 0, End: 1}, Message: "child manifest"},
				},
			}, diag.Diagnostic{
				Code: "linker::test_child", Severity: diag.Warning, Message: "slot is never bound",
				Labels: []diag.Label{{File: child, Span: diag.Span{Start: 2, End: 7}, Primary: true}},
			})
		}
		return res
	}
	e := start(t, Options{Link: link}, allCaps, dir)
	e.open(child, clean)
	e.waitVersion(child)
	e.change(child, protocol.PositionEncodingKindUTF16, edit{2, 2, "slots: {}, "})
	e.waitVersion(child)
	got := e.waitCodes(parent, "linker::test_parent")
	rel := got[0].RelatedInformation
	if len(rel) != 1 || rel[0].Location.URI != uri.File(child) || rel[0].Message != "child manifest" {
		t.Errorf("related information = %+v", rel)
	}
	// The child's publication may follow the parent's: wait for it too.
	e.waitCodes(child, "linker::test_child")
	// Undo: the parent's diagnostics go away, and the child's.
	e.change(child, protocol.PositionEncodingKindUTF16, edit{2, 2 + len("slots: {}, "), ""})
	e.waitVersion(child)
	e.waitCodes(parent)
	e.waitCodes(child)
}

const parentText = "{ manifest_version: \"0.1.0\", components: { c: \"./child.json5\" } }\n"

func TestFilesCreatedAndDeletedOnDisk(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.json5": clean})
	e := start(t, Options{}, allCaps, dir)
	e.waitFor("file watchers registered", func() bool {
		for _, r := range e.registrations {
			if r.Method == protocol.MethodWorkspaceDidChangeWatchedFiles {
				return true
			}
		}
		return false
	})
	b := filepath.Join(dir, "new", "b.json5")
	writeFiles(t, dir, map[string]string{"new/b.json5": "{ manifest_version: \"0.1.0\", oops }"})
	e.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(b), Type: protocol.FileChangeTypeCreated}},
	})
	e.waitFor2(b, func(ds []protocol.Diagnostic) bool { return len(ds) > 0 })
	if err := os.RemoveAll(filepath.Join(dir, "new")); err != nil {
		t.Fatal(err)
	}
	e.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(filepath.Join(dir, "new")), Type: protocol.FileChangeTypeDeleted}},
	})
	e.waitFor("diagnostics of the deleted file cleared", func() bool { return e.diags[uri.File(b)] == nil })

	// A program file that a manifest references appears: the manifest's
	// error goes away.
	writeFiles(t, dir, map[string]string{"p.json5": "{ manifest_version: \"0.1.0\", program: { image: \"x\", entrypoint: [{ file: \"./run.sh\" }] } }"})
	p := filepath.Join(dir, "p.json5")
	e.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(p), Type: protocol.FileChangeTypeCreated}},
	})
	e.waitFor2(p, func(ds []protocol.Diagnostic) bool {
		return slices.Contains(codesOf(ds), "manifest::program_file_reference")
	})
	writeFiles(t, dir, map[string]string{"run.sh": ""})
	e.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(filepath.Join(dir, "run.sh")), Type: protocol.FileChangeTypeCreated}},
	})
	e.waitFor2(p, func(ds []protocol.Diagnostic) bool {
		return !slices.Contains(codesOf(ds), "manifest::program_file_reference")
	})
}
