package analysis

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/manifestgen"
)

// TestVocabularyFeatures: in manifests that use every field of every record
// at every place it can be (written from the vocabulary, and accepted by
// the decoder: see manifest.TestDecoderReadsVocabulary), completing a key
// offers it with its doc, hovering it shows its doc and version, and every
// keyword value is completed and documented.
func TestVocabularyFeatures(t *testing.T) {
	ws := NewWorkspace(Options{})
	dir := t.TempDir()
	ctx := context.Background()
	for v := range manifestgen.Variants() {
		doc := manifestgen.Generate(manifestgen.Options{Variant: v})
		if len(doc.Fields) < 50 || len(doc.Strings) == 0 {
			t.Fatalf("variant %d: only %d keys and %d keyword values written", v, len(doc.Fields), len(doc.Strings))
		}
		path := filepath.Join(dir, fmt.Sprintf("variant%d.json5", v))
		snap := ws.SetDocument(path, 1, []byte(doc.Text))
		for _, site := range doc.Fields {
			where := fmt.Sprintf("variant %d: %s", v, strings.Join(site.Path, "."))
			f := site.Field
			if f.Doc == "" {
				t.Errorf("%s: no doc", where)
			}
			items, err := snap.Completion(ctx, path, site.Key+len(f.Name))
			if err != nil {
				t.Fatal(err)
			}
			offered := false
			for _, it := range items {
				offered = offered || it.Label == f.Name && it.Kind == CompleteKey && it.Detail == f.Doc
			}
			if !offered {
				t.Errorf("%s: completing the key does not offer `%s` with its doc; got %v", where, f.Name, labels(items))
			}
			h, err := snap.Hover(ctx, path, site.Key)
			if err != nil {
				t.Fatal(err)
			}
			if h == nil || !strings.Contains(h.Markdown, f.Doc) || !strings.Contains(h.Markdown, "`"+f.Since+"`") {
				t.Errorf("%s: the hover of the key does not show its doc and version: %+v", where, h)
			}
		}
		for _, s := range doc.Strings {
			where := fmt.Sprintf("variant %d: %s", v, strings.Join(s.Path, "."))
			items, err := snap.Completion(ctx, path, s.Start+1)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, it := range items {
				got[it.Label] = it.Detail != ""
			}
			for _, value := range s.Enum.Values {
				if !got[value.Name] {
					t.Errorf("%s: completion does not offer %s `%s` with its doc; got %v", where, s.Enum.Title, value.Name, labels(items))
				}
			}
			h, err := snap.Hover(ctx, path, s.Start+1)
			if err != nil {
				t.Fatal(err)
			}
			first := s.Enum.Values[0]
			if h == nil || !strings.Contains(h.Markdown, first.Doc) {
				t.Errorf("%s: the hover of `%s` does not show its doc: %+v", where, first.Name, h)
			}
		}
	}
}

func labels(items []CompletionItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}
