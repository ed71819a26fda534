package lsp

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// tokenAt is a decoded semantic token.
type tokenAt struct {
	line, col, length int
	typ               string
	mods              []string
}

// decodeTokens decodes relative token data with a legend.
func decodeTokens(t *testing.T, data []uint32, legend protocol.SemanticTokensLegend) []tokenAt {
	t.Helper()
	if len(data)%5 != 0 {
		t.Fatalf("token data of length %d", len(data))
	}
	var out []tokenAt
	line, col := 0, 0
	for i := 0; i < len(data); i += 5 {
		if data[i] > 0 {
			col = 0
		}
		line, col = line+int(data[i]), col+int(data[i+1])
		tok := tokenAt{line: line, col: col, length: int(data[i+2]), typ: legend.TokenTypes[data[i+3]]}
		for bit, name := range legend.TokenModifiers {
			if data[i+4]&(1<<bit) != 0 {
				tok.mods = append(tok.mods, name)
			}
		}
		out = append(out, tok)
	}
	return out
}

// expectedTokens converts analysis' tokens of text to positions in enc,
// independently of the server's encoder (tokens of the fixture are on one
// line each).
func expectedTokens(t *testing.T, path, text string, within diag.Span, enc protocol.PositionEncodingKind) []tokenAt {
	t.Helper()
	ws := analysis.NewWorkspace(analysis.Options{})
	snap := ws.SetDocument(path, 1, []byte(text))
	toks, err := snap.SemanticTokens(context.Background(), path, within)
	if err != nil {
		t.Fatal(err)
	}
	var out []tokenAt
	for _, tok := range toks {
		from, to := positionOf(text, tok.Span.Start, enc), positionOf(text, tok.Span.End, enc)
		if from.Line != to.Line {
			t.Fatalf("a token of the fixture spans lines: %+v", tok)
		}
		var mods []string
		if tok.Mods != 0 {
			mods = strings.Split(tok.Mods.String(), ".")
		}
		out = append(out, tokenAt{int(from.Line), int(from.Character), int(to.Character - from.Character), tok.Kind.String(), mods})
	}
	return out
}

// TestSemanticTokensOverThePipe: full, range and delta tokens in every
// position encoding, with the standard legend.
func TestSemanticTokensOverThePipe(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			e, parent, _, res := featureEditor(t, enc, nil)
			opts, ok := res.Capabilities.SemanticTokensProvider.(*protocol.SemanticTokensOptions)
			if !ok {
				t.Fatalf("semantic tokens provider %#v", res.Capabilities.SemanticTokensProvider)
			}
			legend := opts.Legend
			for _, typ := range legend.TokenTypes {
				if !slices.Contains([]string{"property", "string", "number", "keyword", "variable", "parameter", "namespace", "type", "enumMember", "operator"}, typ) {
					t.Errorf("legend type %q is not a standard one we use", typ)
				}
			}
			if !slices.Equal(legend.TokenModifiers, []string{"declaration", "deprecated", "readonly", "defaultLibrary"}) {
				t.Errorf("legend modifiers %q", legend.TokenModifiers)
			}
			doc := protocol.TextDocumentIdentifier{URI: uri.File(parent)}
			var full protocol.SemanticTokens
			if err := e.call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: doc}, &full); err != nil {
				t.Fatal(err)
			}
			got := decodeTokens(t, full.Data, legend)
			want := expectedTokens(t, parent, featureParent, diag.Span{Start: 0, End: len(featureParent)}, enc)
			if len(got) < 20 || !slices.EqualFunc(got, want, tokenEqual) {
				t.Fatalf("full tokens\n%+v\nwant\n%+v", got, want)
			}
			// The binding line, after a multi-byte comment.
			start := strings.Index(featureParent, "    /* é😀 */ { to:")
			end := start + strings.Index(featureParent[start:], "\n")
			var ranged protocol.SemanticTokens
			r := protocol.Range{Start: positionOf(featureParent, start, enc), End: positionOf(featureParent, end, enc)}
			if err := e.call(protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{TextDocument: doc, Range: r}, &ranged); err != nil {
				t.Fatal(err)
			}
			got = decodeTokens(t, ranged.Data, legend)
			want = expectedTokens(t, parent, featureParent, diag.Span{Start: start, End: end}, enc)
			if len(got) < 5 || !slices.EqualFunc(got, want, tokenEqual) {
				t.Fatalf("range tokens\n%+v\nwant\n%+v", got, want)
			}

			// A delta from the full result gives the tokens after an edit.
			i := strings.Index(featureParent, `slots: { llm`)
			e.change(parent, enc, edit{i, i, `provides: { p: { kind: "http" } }, `})
			text := e.docs[uri.File(parent)].text
			var raw json.RawMessage
			if err := e.call(protocol.MethodTextDocumentSemanticTokensFullDelta, &protocol.SemanticTokensDeltaParams{TextDocument: doc, PreviousResultID: *full.ResultID}, &raw); err != nil {
				t.Fatal(err)
			}
			var delta protocol.SemanticTokensDelta
			if err := json.Unmarshal(raw, &delta); err != nil || delta.ResultID == nil || len(delta.Edits) != 1 || len(delta.Edits[0].Data) >= len(full.Data)/2 {
				t.Fatalf("delta %s: %v", raw, err)
			}
			ed := delta.Edits[0]
			after := slices.Concat(full.Data[:ed.Start], ed.Data, full.Data[ed.Start+ed.DeleteCount:])
			want = expectedTokens(t, parent, text, diag.Span{Start: 0, End: len(text)}, enc)
			if got := decodeTokens(t, after, legend); !slices.EqualFunc(got, want, tokenEqual) {
				t.Fatalf("tokens after the delta\n%+v\nwant\n%+v", got, want)
			}
			// A delta from a result the server does not have: full tokens.
			raw = nil
			if err := e.call(protocol.MethodTextDocumentSemanticTokensFullDelta, &protocol.SemanticTokensDeltaParams{TextDocument: doc, PreviousResultID: "stale"}, &raw); err != nil {
				t.Fatal(err)
			}
			var again protocol.SemanticTokens
			if err := json.Unmarshal(raw, &again); err != nil || !slices.EqualFunc(decodeTokens(t, again.Data, legend), want, tokenEqual) {
				t.Fatalf("delta from a stale result: %s %v", raw, err)
			}
		})
	}
}

func tokenEqual(a, b tokenAt) bool {
	return a.line == b.line && a.col == b.col && a.length == b.length && a.typ == b.typ && slices.Equal(a.mods, b.mods)
}

// TestMultilineTokensAreSplit: a string continued on the next line is one
// token per line.
func TestMultilineTokensAreSplit(t *testing.T) {
	text := "{ manifest_version: \"0.1.0\", program: { path: \"/bin/a\\\nb\" } }"
	ws := analysis.NewWorkspace(analysis.Options{})
	path := "/tmp/multiline.json5"
	snap := ws.SetDocument(path, 1, []byte(text))
	toks, err := snap.SemanticTokens(context.Background(), path, diag.Span{Start: 0, End: len(text)})
	if err != nil {
		t.Fatal(err)
	}
	conv := &Converter{Unit: unitOf(protocol.PositionEncodingKindUTF16), Text: func(string) []byte { return []byte(text) }}
	got := decodeTokens(t, encodeTokens(conv.index(path), conv.Unit, toks), tokenLegend())
	var strs []tokenAt
	for _, tok := range got {
		if tok.typ == "string" && tok.line+tok.col > 0 && (tok.line == 1 || tok.col > 40) {
			strs = append(strs, tok)
		}
	}
	want := []tokenAt{{0, 46, 8, "string", nil}, {1, 0, 2, "string", nil}}
	if !slices.EqualFunc(strs, want, tokenEqual) {
		t.Errorf("string tokens %+v, want %+v", strs, want)
	}
}

// TestOutlineOverThePipe: the outline as a tree for clients that take one,
// flat with containers for the others (Emacs' imenu asks either way).
func TestOutlineOverThePipe(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			td := &protocol.TextDocumentClientCapabilities{DocumentSymbol: &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: ptr(true)}}
			e, parent, _, res := featureEditor(t, enc, td)
			if res.Capabilities.DocumentSymbolProvider == nil {
				t.Fatal("no document symbol provider")
			}
			var tree []protocol.DocumentSymbol
			if err := e.call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(parent)}}, &tree); err != nil {
				t.Fatal(err)
			}
			var bindings *protocol.DocumentSymbol
			for i := range tree {
				if tree[i].Name == "bindings" {
					bindings = &tree[i]
				}
				if tree[i].Name == "policies" && (len(tree[i].Tags) != 1 || tree[i].Tags[0] != protocol.SymbolTagDeprecated) {
					t.Errorf("policies is not deprecated: %+v", tree[i])
				}
			}
			if bindings == nil || len(bindings.Children) != 1 {
				t.Fatalf("outline %+v", tree)
			}
			b := bindings.Children[0]
			start := strings.Index(featureParent, `{ to: "#worker`)
			end := start + strings.Index(featureParent[start:], `" }`) + 3
			want := protocol.Range{Start: positionOf(featureParent, start, enc), End: positionOf(featureParent, end, enc)}
			if b.Name != "#worker.api ← slots.llm" || b.Kind != protocol.SymbolKindEvent || b.Range != want {
				t.Errorf("binding symbol %+v, want range %v", b, want)
			}
		})
	}
	t.Run("flat", func(t *testing.T) {
		e, parent, _, _ := featureEditor(t, protocol.PositionEncodingKindUTF16, nil)
		var flat []protocol.SymbolInformation
		if err := e.call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(parent)}}, &flat); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range flat {
			c := ""
			if s.ContainerName != nil {
				c = *s.ContainerName + " > "
			}
			got = append(got, c+s.Name)
			if s.Location.URI != uri.File(parent) {
				t.Errorf("%s in %s", s.Name, s.Location.URI)
			}
		}
		for _, want := range []string{"components", "components > worker", "slots > llm", "bindings > #worker.api ← slots.llm"} {
			if !slices.Contains(got, want) {
				t.Errorf("flat outline %q lacks %q", got, want)
			}
		}
	})
}

// TestLinksHintsAndWorkspaceSymbolsOverThePipe: links to the child file,
// the binding's kind after its target (after a multi-byte comment), and
// the child's slot found by name.
func TestLinksHintsAndWorkspaceSymbolsOverThePipe(t *testing.T) {
	for _, enc := range encodings {
		t.Run(string(enc), func(t *testing.T) {
			e, parent, worker, _ := featureEditor(t, enc, nil)
			doc := protocol.TextDocumentIdentifier{URI: uri.File(parent)}
			var links []protocol.DocumentLink
			if err := e.call(protocol.MethodTextDocumentDocumentLink, &protocol.DocumentLinkParams{TextDocument: doc}, &links); err != nil {
				t.Fatal(err)
			}
			ref := strings.Index(featureParent, `./worker.json5`)
			wantRange := protocol.Range{Start: positionOf(featureParent, ref, enc), End: positionOf(featureParent, ref+len("./worker.json5"), enc)}
			if len(links) != 1 || links[0].Target == nil || *links[0].Target != uri.File(worker) || links[0].Range != wantRange {
				t.Errorf("links %+v, want %s at %v", links, uri.File(worker), wantRange)
			}

			var hints []protocol.InlayHint
			whole := protocol.Range{End: positionOf(featureParent, len(featureParent), enc)}
			if err := e.call(protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{TextDocument: doc, Range: whole}, &hints); err != nil {
				t.Fatal(err)
			}
			at := positionOf(featureParent, strings.Index(featureParent, `"#worker.api"`)+len(`"#worker.api"`), enc)
			if len(hints) != 1 || hints[0].Position != at || hints[0].Label != protocol.String(": llm") || hints[0].Kind != protocol.InlayHintKindType {
				t.Errorf("hints %+v, want `: llm` at %v", hints, at)
			}

			var syms []protocol.SymbolInformation
			if err := e.call(protocol.MethodWorkspaceSymbol, &protocol.WorkspaceSymbolParams{Query: "api"}, &syms); err != nil {
				t.Fatal(err)
			}
			key := strings.Index(featureWorker, "api:")
			want := protocol.Location{URI: uri.File(worker), Range: protocol.Range{Start: positionOf(featureWorker, key, enc), End: positionOf(featureWorker, key+3, enc)}}
			if len(syms) != 1 || syms[0].Location != want || syms[0].Kind != protocol.SymbolKindInterface {
				t.Errorf("workspace symbols %+v, want the worker's slot at %v", syms, want)
			}
		})
	}
}

// TestSnippetsOnlyForClientsThatTakeThem: a new slot comes as a snippet to
// a client with snippet support, as plain text to the others.
func TestSnippetsOnlyForClientsThatTakeThem(t *testing.T) {
	for _, snippets := range []bool{true, false} {
		td := &protocol.TextDocumentClientCapabilities{Completion: &protocol.CompletionClientCapabilities{
			CompletionItem: &protocol.ClientCompletionItemOptions{SnippetSupport: ptr(snippets)}}}
		e, parent, _, _ := featureEditor(t, protocol.PositionEncodingKindUTF16, td)
		pos := at(t, featureParent, `slots: { llm: { kind: "llm" } `, protocol.PositionEncodingKindUTF16)
		var list protocol.CompletionList
		if err := e.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: docPos(parent, pos)}, &list); err != nil {
			t.Fatal(err)
		}
		var item *protocol.CompletionItem
		for i := range list.Items {
			if list.Items[i].Label == "new slot" {
				item = &list.Items[i]
			}
		}
		if item == nil {
			t.Fatalf("snippets %v: no new slot among %+v", snippets, list.Items)
		}
		te, _ := item.TextEdit.(*protocol.TextEdit)
		plain := `, slot: { kind: "mcp" }`
		switch {
		case te == nil || item.Kind != protocol.CompletionItemKindSnippet:
			t.Errorf("snippets %v: item %+v", snippets, item)
		case snippets && (item.InsertTextFormat != protocol.InsertTextFormatSnippet || !strings.HasPrefix(te.NewText, ", ${1:slot}: { kind: \"${2|mcp,")):
			t.Errorf("snippet %q, format %d", te.NewText, item.InsertTextFormat)
		case !snippets && (item.InsertTextFormat == protocol.InsertTextFormatSnippet || te.NewText != plain):
			t.Errorf("plain text %q, format %d, want %q", te.NewText, item.InsertTextFormat, plain)
		}
	}
}

// TestNewFeaturesOnBadInput: documents that are no local files, missing
// files and positions past the end get an empty answer, not an error.
func TestNewFeaturesOnBadInput(t *testing.T) {
	e, parent, _, _ := featureEditor(t, protocol.PositionEncodingKindUTF16, nil)
	far := protocol.Range{Start: protocol.Position{Line: 500, Character: 3}, End: protocol.Position{Line: 900, Character: 99}}
	wide := protocol.Range{Start: protocol.Position{Line: 2, Character: 999}, End: protocol.Position{Line: 900, Character: 99}}
	for _, u := range []uri.URI{"untitled:Untitled-1", uri.File(parent + ".missing.json5"), uri.File(parent)} {
		doc := protocol.TextDocumentIdentifier{URI: u}
		calls := []struct {
			method string
			params any
			past   bool // asks about text past the end only
		}{
			{protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: doc}, false},
			{protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: doc}, false},
			{protocol.MethodTextDocumentSemanticTokensFullDelta, &protocol.SemanticTokensDeltaParams{TextDocument: doc, PreviousResultID: "x"}, false},
			{protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{TextDocument: doc, Range: far}, true},
			{protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{TextDocument: doc, Range: wide}, false},
			{protocol.MethodTextDocumentDocumentLink, &protocol.DocumentLinkParams{TextDocument: doc}, false},
			{protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{TextDocument: doc, Range: far}, true},
			{protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{TextDocument: doc, Range: wide}, false},
		}
		for _, c := range calls {
			var raw json.RawMessage
			if err := e.call(c.method, c.params, &raw); err != nil {
				t.Errorf("%s of %s: %v", c.method, u, err)
				continue
			}
			empty := string(raw) == "null" || string(raw) == "[]" || string(raw) == `{"data":[]}`
			if (u != uri.File(parent) || c.past) && !empty {
				t.Errorf("%s of %s: %s, want nothing", c.method, u, raw)
			}
			if u == uri.File(parent) && !c.past && empty {
				t.Errorf("%s of %s: nothing", c.method, u)
			}
		}
	}
	var raw json.RawMessage
	if err := e.call(protocol.MethodWorkspaceSymbol, &protocol.WorkspaceSymbolParams{Query: "\x00é😀 no such name"}, &raw); err != nil || string(raw) != "[]" {
		t.Errorf("workspace symbols of an odd query: %s %v", raw, err)
	}
}
