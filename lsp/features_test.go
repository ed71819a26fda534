package lsp

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// The feature fixture: a parent whose lines hold multi-byte text before
// the positions asked about, so every position encoding is exercised.
const (
	featureParent = `{
  manifest_version: "0.4.0", /* é😀 */ experimental_features: ["governance"],
  components: { worker: "./worker.json5" },
  bindings: [
    /* é😀 */ { to: "#worker.api", from: "slots.llm" },
  ],
  slots: { llm: { kind: "llm" } },
  policies: [],
}
`
	featureWorker = `{
  manifest_version: "0.1.0",
  slots: {
    api: { kind: "llm" },
  },
}
`
)

// featureEditor starts a server on a folder with the fixture, initializes
// it with enc and the given text document capabilities, and opens the
// parent.
func featureEditor(t *testing.T, enc protocol.PositionEncodingKind, td *protocol.TextDocumentClientCapabilities) (*editor, string, string, *protocol.InitializeResult) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"scenario.json5": featureParent, "worker.json5": featureWorker})
	e := startServer(t, Options{})
	params := &protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
		General:      &protocol.GeneralClientCapabilities{PositionEncodings: []protocol.PositionEncodingKind{enc}},
		TextDocument: td,
	}}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "w"}})
	var res protocol.InitializeResult
	if err := e.call(protocol.MethodInitialize, params, &res); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	e.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	parent := filepath.Join(dir, "scenario.json5")
	e.open(parent, featureParent)
	e.waitVersion(parent)
	e.waitIndexed()
	return e, parent, filepath.Join(dir, "worker.json5"), &res
}

// at is the position of the end of the first occurrence of before in text
// (which must be there).
func at(t *testing.T, text, before string, enc protocol.PositionEncodingKind) protocol.Position {
	t.Helper()
	i := strings.Index(text, before)
	if i < 0 {
		t.Fatalf("%q not in the text", before)
	}
	return positionOf(text, i+len(before), enc)
}

func docPos(path string, p protocol.Position) protocol.TextDocumentPositionParams {
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Position: p}
}

var encodings = []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF32}

func TestFeaturesOverThePipe(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			e, parent, worker, res := featureEditor(t, enc, nil)
			caps := res.Capabilities
			if caps.HoverProvider == nil || caps.DefinitionProvider == nil || caps.CompletionProvider == nil || caps.CodeActionProvider == nil {
				t.Fatalf("capabilities lack a feature: %+v", caps)
			}
			if !slices.Contains(caps.CompletionProvider.TriggerCharacters, ".") {
				t.Errorf("trigger characters %q", caps.CompletionProvider.TriggerCharacters)
			}

			t.Run("hover", func(t *testing.T) {
				var h protocol.Hover
				if err := e.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: docPos(parent, at(t, featureParent, `to: "#wor`, enc))}, &h); err != nil {
					t.Fatal(err)
				}
				mc, ok := h.Contents.(*protocol.MarkupContent)
				if !ok || mc.Kind != protocol.MarkupKindMarkdown || !strings.Contains(mc.Value, "component `#worker` → `./worker.json5`") || !strings.Contains(mc.Value, "slots: `api` (llm)") {
					t.Fatalf("hover = %#v", h.Contents)
				}
				// The range is `#worker`, after the multi-byte comment.
				want := protocol.Range{Start: at(t, featureParent, `to: "`, enc), End: at(t, featureParent, `to: "#worker`, enc)}
				if h.Range == nil || *h.Range != want {
					t.Errorf("hover range %v, want %v", h.Range, want)
				}
			})

			t.Run("hover on nothing", func(t *testing.T) {
				var raw json.RawMessage
				if err := e.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: docPos(parent, protocol.Position{})}, &raw); err != nil || string(raw) != "null" {
					t.Errorf("hover at the file start: %s %v, want null", raw, err)
				}
			})

			t.Run("definition", func(t *testing.T) {
				var locs []protocol.Location
				if err := e.call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: docPos(parent, at(t, featureParent, `#worker.a`, enc))}, &locs); err != nil {
					t.Fatal(err)
				}
				want := protocol.Location{URI: uri.File(worker), Range: protocol.Range{Start: at(t, featureWorker, "    ", enc), End: at(t, featureWorker, "    api", enc)}}
				if len(locs) != 1 || locs[0] != want {
					t.Errorf("definition = %v, want %v", locs, want)
				}
			})

			t.Run("completion", func(t *testing.T) {
				var list protocol.CompletionList
				pos := at(t, featureParent, `#worker.`, enc)
				if err := e.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: docPos(parent, pos)}, &list); err != nil {
					t.Fatal(err)
				}
				if len(list.Items) != 1 || list.Items[0].Label != "api" {
					t.Fatalf("completion = %+v", list.Items)
				}
				te, ok := list.Items[0].TextEdit.(*protocol.TextEdit)
				want := protocol.Range{Start: pos, End: at(t, featureParent, `#worker.api`, enc)}
				if !ok || te.NewText != "api" || te.Range != want || list.Items[0].Kind != protocol.CompletionItemKindInterface {
					t.Errorf("completion edit %#v, want %v", list.Items[0].TextEdit, want)
				}
			})

			t.Run("code action", func(t *testing.T) {
				diags := e.waitCodes(parent, "amber_lsp::draft_spelling", "amber_lsp::draft_spelling")
				var policies protocol.Diagnostic
				for _, d := range diags {
					if strings.Contains(string(d.Message.(protocol.String)), "policies") {
						policies = d
					}
				}
				var actions []protocol.CodeAction
				params := &protocol.CodeActionParams{
					TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(parent)},
					Range:        protocol.Range{Start: policies.Range.Start, End: policies.Range.Start},
					Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{policies}},
				}
				if err := e.call(protocol.MethodTextDocumentCodeAction, params, &actions); err != nil {
					t.Fatal(err)
				}
				if len(actions) != 1 {
					t.Fatalf("actions = %+v", actions)
				}
				a := actions[0]
				edits := a.Edit.Changes[uri.File(parent)]
				if a.Title != "Rename `policies` to `overlays`" || a.Kind == nil || *a.Kind != protocol.CodeActionKindQuickFix ||
					a.IsPreferred == nil || !*a.IsPreferred || len(a.Diagnostics) != 1 || a.Diagnostics[0].Range != policies.Range ||
					len(edits) != 1 || edits[0].NewText != "overlays" || edits[0].Range != policies.Range {
					t.Errorf("action = %+v (edits %+v)", a, edits)
				}
				// Another kind asked for: none; the whole file: both fixes.
				params.Context.Only = []protocol.CodeActionKind{protocol.CodeActionKindRefactor}
				if err := e.call(protocol.MethodTextDocumentCodeAction, params, &actions); err != nil || len(actions) != 0 {
					t.Errorf("refactorings: %+v %v", actions, err)
				}
				params.Context = protocol.CodeActionContext{Only: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}}
				params.Range = protocol.Range{End: positionOf(featureParent, len(featureParent), enc)}
				if err := e.call(protocol.MethodTextDocumentCodeAction, params, &actions); err != nil || len(actions) != 2 {
					t.Errorf("quick fixes of the whole file: %+v %v", actions, err)
				}
			})

			t.Run("a closed child", func(t *testing.T) {
				var h protocol.Hover
				if err := e.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: docPos(worker, at(t, featureWorker, "kind: \"l", enc))}, &h); err != nil {
					t.Fatal(err)
				}
				if mc, ok := h.Contents.(*protocol.MarkupContent); !ok || !strings.Contains(mc.Value, "capability kind `llm`") {
					t.Errorf("hover in the worker: %#v", h.Contents)
				}
			})
		})
	}
}

// TestFeaturesFollowEdits: a request sees every change sent before it.
func TestFeaturesFollowEdits(t *testing.T) {
	e, parent, _, _ := featureEditor(t, protocol.PositionEncodingKindUTF16, nil)
	text := e.docs[uri.File(parent)].text
	i := strings.Index(text, `slots: { llm`)
	e.change(parent, protocol.PositionEncodingKindUTF16, edit{i, i, `provides: { p: { kind: "http" } }, `})
	text = e.docs[uri.File(parent)].text
	var list protocol.CompletionList
	pos := at(t, text, `from: "`, protocol.PositionEncodingKindUTF16)
	if err := e.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: docPos(parent, pos)}, &list); err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, it := range list.Items {
		labels = append(labels, it.Label)
	}
	if !slices.Contains(labels, "provides") || !slices.Contains(labels, "#worker") {
		t.Errorf("labels after the edit: %q", labels)
	}
}

func TestPlainTextHoverAndCodeActionLiterals(t *testing.T) {
	td := &protocol.TextDocumentClientCapabilities{
		Hover: &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindPlainText}},
		CodeAction: &protocol.CodeActionClientCapabilities{CodeActionLiteralSupport: protocol.ClientCodeActionLiteralOptions{
			CodeActionKind: protocol.ClientCodeActionKindOptions{ValueSet: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
		}},
	}
	e, parent, _, res := featureEditor(t, protocol.PositionEncodingKindUTF16, td)
	if opts, ok := res.Capabilities.CodeActionProvider.(*protocol.CodeActionOptions); !ok || !slices.Equal(opts.CodeActionKinds, codeActionKinds) {
		t.Errorf("code action provider %#v", res.Capabilities.CodeActionProvider)
	}
	var h protocol.Hover
	if err := e.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: docPos(parent, at(t, featureParent, `kind: "l`, protocol.PositionEncodingKindUTF16))}, &h); err != nil {
		t.Fatal(err)
	}
	if mc, ok := h.Contents.(*protocol.MarkupContent); !ok || mc.Kind != protocol.MarkupKindPlainText {
		t.Errorf("hover for a plain-text client: %#v", h.Contents)
	}
}

func TestFeatureRequestErrors(t *testing.T) {
	e, _, _, _ := featureEditor(t, protocol.PositionEncodingKindUTF16, nil)
	for _, method := range []string{protocol.MethodTextDocumentHover, protocol.MethodTextDocumentDefinition, protocol.MethodTextDocumentCompletion, protocol.MethodTextDocumentCodeAction} {
		err := e.call(method, map[string]any{"textDocument": map[string]string{"uri": "untitled:Untitled-1"}, "position": map[string]int{"line": 0, "character": 0}}, nil)
		if errCode(err) != jsonrpc2.InvalidParams {
			t.Errorf("%s on an untitled document: %v, want InvalidParams", method, err)
		}
		if err := e.call(method, nil, nil); errCode(err) != jsonrpc2.InvalidParams {
			t.Errorf("%s without params: %v, want InvalidParams", method, err)
		}
	}
	// A file that is not open and does not exist: no answer, no error.
	var raw json.RawMessage
	missing := filepath.Join(t.TempDir(), "gone.json5")
	if err := e.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: docPos(missing, protocol.Position{})}, &raw); err != nil || string(raw) != "null" {
		t.Errorf("hover in a missing file: %s %v", raw, err)
	}
}

// TestFeatureCancellation: a feature request that is still running when
// $/cancelRequest arrives answers RequestCancelled, and the read loop
// answers other requests meanwhile.
func TestFeatureCancellation(t *testing.T) {
	blocked := make(chan struct{}, 1)
	asyncHook = func(ctx context.Context, method string) {
		if method != protocol.MethodTextDocumentHover {
			return
		}
		blocked <- struct{}{}
		<-ctx.Done() // a hover that only a cancellation ends
	}
	t.Cleanup(func() { asyncHook = nil })
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"scenario.json5": featureParent, "worker.json5": featureWorker})
	c := startRaw(t, Options{})
	c.write(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"workspaceFolders":[{"uri":"` + string(uri.File(dir)) + `","name":"w"}]}}`))
	c.response(jsonrpc2.NewNumberID(1))
	c.write(frame(`{"jsonrpc":"2.0","method":"initialized","params":{}}`))
	doc := string(uri.File(filepath.Join(dir, "scenario.json5")))
	pos := positionOf(featureParent, strings.Index(featureParent, "#worker.api")+9, protocol.PositionEncodingKindUTF16)
	posJSON, _ := json.Marshal(pos)
	params := `{"textDocument":{"uri":"` + doc + `"},"position":` + string(posJSON) + `}`
	c.write(frame(`{"jsonrpc":"2.0","id":"h","method":"textDocument/hover","params":` + params + `}`))
	<-blocked
	c.write(frame(`{"jsonrpc":"2.0","id":2,"method":"textDocument/completion","params":` + params + `}`))
	r := c.response(jsonrpc2.NewNumberID(2))
	var list protocol.CompletionList
	if err := protocol.Unmarshal(r.Result(), &list); err != nil || r.Err() != nil || len(list.Items) != 1 || list.Items[0].Label != "api" {
		t.Errorf("completion beside a running hover: %s %v", r.Result(), r.Err())
	}
	c.write(frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"h"}}`))
	if r := c.response(jsonrpc2.NewStringID("h")); errCode(r.Err()) != codeRequestCancelled {
		t.Errorf("cancelled hover: %v, want RequestCancelled", r.Err())
	}
}

// TestCodeActionWaitsForAnalysisAndCancels: code actions need the report;
// while linking is stuck a code action request waits, and cancelling it
// answers at once.
func TestCodeActionWaitsForAnalysisAndCancels(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"scenario.json5": featureParent, "worker.json5": featureWorker})
	link, started, release := blockingLink(t)
	c := startRaw(t, Options{Link: link})
	c.write(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"workspaceFolders":[{"uri":"` + string(uri.File(dir)) + `","name":"w"}]}}`))
	c.response(jsonrpc2.NewNumberID(1))
	c.write(frame(`{"jsonrpc":"2.0","method":"initialized","params":{}}`))
	doc := string(uri.File(filepath.Join(dir, "scenario.json5")))
	text, _ := json.Marshal(featureParent)
	c.write(frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"` + doc + `","languageId":"json5","version":1,"text":` + string(text) + `}}}`))
	<-started
	c.write(frame(`{"jsonrpc":"2.0","id":"a","method":"textDocument/codeAction","params":{"textDocument":{"uri":"` + doc + `"},"range":{"start":{"line":0,"character":0},"end":{"line":9,"character":0}},"context":{"diagnostics":[]}}}`))
	c.write(frame(`{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"` + doc + `"},"position":{"line":6,"character":25}}}`))
	if r := c.response(jsonrpc2.NewNumberID(2)); r.Err() != nil || !strings.Contains(string(r.Result()), "capability kind") {
		t.Errorf("hover while linking is stuck: %s %v", r.Result(), r.Err())
	}
	c.write(frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"a"}}`))
	if r := c.response(jsonrpc2.NewStringID("a")); errCode(r.Err()) != codeRequestCancelled {
		t.Errorf("cancelled code action: %v, want RequestCancelled", r.Err())
	}
	release()
	c.write(frame(`{"jsonrpc":"2.0","id":3,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"` + doc + `"},"range":{"start":{"line":0,"character":0},"end":{"line":9,"character":0}},"context":{"diagnostics":[]}}}`))
	r := c.response(jsonrpc2.NewNumberID(3))
	var actions []protocol.CodeAction
	if err := protocol.Unmarshal(r.Result(), &actions); err != nil || r.Err() != nil || len(actions) != 2 {
		t.Errorf("code actions once linked: %s %v", r.Result(), r.Err())
	}
}
