package config

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// TestLinkerWorkedExample is linker.md §8.5: child /app of a root whose
// schema has `token`.
func TestLinkerWorkedExample(t *testing.T) {
	root := schema(t, `{type: "object", properties: {token: {type: "string"}}}`)
	app := schema(t, `{ type: "object", properties: { token: { type: "string" }, verbose: { type: "boolean" } }, required: ["token"] }`)
	cfg := parse(t, `{ token: "${config.token}" }`)
	tpl, err := ChildTemplate(cfg.root, root, RootTemplate(root), app)
	if err != nil {
		t.Fatal(errText(err))
	}
	if got := tpl.String(); got != `{"token":ConfigRef("token")}` {
		t.Errorf("template %s", got)
	}
	if errs := Validate(tpl, app, cfg.root); len(errs) != 0 {
		t.Errorf("validation: %s", errs[0].Message())
	}
	if r := Resolve(tpl, "token"); r.State != Runtime || r.Node.String() != `ConfigRef("token")` {
		t.Errorf("token: %+v", r)
	}
	if r := Resolve(tpl, "verbose"); r.State != Absent {
		t.Errorf("verbose: %+v", r)
	}
	if s, err := RenderResourceParam(tpl, Schemas{}, "state", "size", "1Gi"); err != nil || s != "1Gi" {
		t.Errorf("size: %q %v", s, err)
	}
	if got := RootTemplate(root).String(); got != "Root" {
		t.Errorf("root template %s", got)
	}
	if got := RootTemplate(nil).String(); got != "{}" {
		t.Errorf("root without schema %s", got)
	}
}

// manifestFile is a parsed manifest of the conformance corpus.
type manifestFile struct {
	path string
	src
}

func loadManifest(t *testing.T, path string) manifestFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := json5.Parse(b)
	if f.Root() == nil {
		t.Fatalf("%s: no value", path)
	}
	return manifestFile{path: path, src: src{text: string(b), root: f.Root()}}
}

// childManifest returns the local manifest file a component declaration
// names, or "" when it is not a single relative path.
func childManifest(dir string, decl *json5.Node) string {
	ref := decl
	if decl.Kind == json5.Object {
		ref = decl.Get("manifest")
	}
	if ref == nil || ref.Kind != json5.String || strings.Contains(ref.Text, "://") {
		return ""
	}
	return filepath.Join(dir, ref.Text)
}

// corpusCase links the config of a component tree from the corpus and
// returns the config messages in tree order (component config errors as
// "P: message @pointer", use configs as "use NAME in P: …").
func corpusCase(t *testing.T, path string) []string {
	msgs, _ := corpusRun(t, path)
	return msgs
}

// corpusRun is corpusCase that also counts the components whose template
// was built from a config_schema.
func corpusRun(t *testing.T, path string) ([]string, int) {
	var out []string
	templated := 0
	var visit func(path, moniker string, parentSchema *json5.Node, tpl *Template)
	visit = func(path, moniker string, selfSchema *json5.Node, tpl *Template) {
		m := loadManifest(t, path)
		dir := filepath.Dir(path)
		if res := m.root.Get("resources"); res != nil && res.Kind == json5.Object {
			for _, r := range res.Members {
				params := r.Value.Get("params")
				for _, p := range []string{"size", "retention", "sharing"} {
					if v := params.Get(p); v != nil && v.Kind == json5.String {
						if _, err := RenderResourceParam(tpl, Schemas{}, r.Key.Name, p, v.Text); err != nil {
							out = append(out, moniker+": "+err.Message())
						}
					}
				}
			}
		}
		if uses := m.root.Get("use"); uses != nil && uses.Kind == json5.Object {
			for _, u := range uses.Members {
				composed, err := UseConfig(u.Value.Get("config"), selfSchema, tpl)
				if err != nil {
					out = append(out, "use "+u.Key.Name+" in "+moniker+": "+errText(err))
					continue
				}
				// The helper link (overlays.md §5): the use manifest's schema
				// validates the written-back config under the mirrored root.
				hs, ok := HelperRootSchema(m.root.Get("config_schema"), ReferencedRootPaths(composed))
				var helperSchema *json5.Node
				if ok {
					helperSchema = ValueNode(hs)
				}
				usePath := childManifest(dir, u.Value)
				if usePath == "" {
					continue
				}
				useSchema := loadManifest(t, usePath).root.Get("config_schema")
				written := ValueNode(WriteBack(composed))
				child, err := ChildTemplate(written, helperSchema, RootTemplate(helperSchema), useSchema)
				if err != nil {
					out = append(out, "/use: "+errText(err))
					continue
				}
				for _, e := range Validate(child, useSchema, written) {
					out = append(out, "/use: "+errText(e))
				}
			}
		}
		comps := m.root.Get("components")
		if comps == nil || comps.Kind != json5.Object {
			return
		}
		for _, c := range comps.Members {
			childPath := childManifest(dir, c.Value)
			if childPath == "" {
				continue
			}
			name := strings.TrimSuffix(moniker, "/") + "/" + c.Key.Name
			var authored *json5.Node
			if c.Value.Kind == json5.Object {
				authored = c.Value.Get("config")
			}
			childSchema := loadManifest(t, childPath).root.Get("config_schema")
			if childSchema != nil && childSchema.Kind == json5.Null {
				childSchema = nil
			}
			if childSchema != nil {
				templated++
			}
			child, err := ChildTemplate(authored, selfSchema, tpl, childSchema)
			if err != nil {
				out = append(out, name+": "+errText(err))
				child = EmptyObject()
			} else {
				for _, e := range Validate(child, childSchema, authored) {
					out = append(out, name+": "+errText(e))
				}
			}
			visit(childPath, name, childSchema, child)
		}
	}
	root := loadManifest(t, path).root.Get("config_schema")
	visit(path, "/", root, RootTemplate(root))
	return out, templated
}

// TestExamplesLinkClean runs every example root of the corpus: their
// configs must compose and validate without a message.
func TestExamplesLinkClean(t *testing.T) {
	dir := corpus.Path(t, "conformance", "examples")
	f, err := os.Open(filepath.Join(dir, "ROOTS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, templated := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		t.Run(line, func(t *testing.T) {
			msgs, c := corpusRun(t, filepath.Join(dir, line))
			templated += c
			if len(msgs) != 0 {
				t.Errorf("unexpected messages:\n%s", strings.Join(msgs, "\n"))
			}
		})
	}
	if n < 10 || templated < 10 {
		t.Errorf("only %d example roots with %d components with a config_schema", n, templated)
	}
	t.Logf("%d roots, %d components with a config_schema", n, templated)
}

// TestCorpusConfigCases checks the UI cases about config against the
// messages and locations of their reference output.
func TestCorpusConfigCases(t *testing.T) {
	dir := corpus.Path(t, "conformance", "ui")
	tests := []struct {
		name string
		want []string
	}{
		{"invalid_config_missing_required_field_large", []string{"/child: missing required field config.model @-"}},
		{"mixed_invalid_config_external_slot_requires_weak", []string{"/cfg: slot interpolation is not allowed in component config templates @/url"}},
		{"invalid_use_config", []string{"use overlay in /: normal config interpolation ${config.missing} is not allowed because the parent component has no `config_schema` @/token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := corpusCase(t, filepath.Join(dir, tt.name+".json5"))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	// The use-config parse error points at the string (UI case: 7:16).
	m := loadManifest(t, filepath.Join(dir, "invalid_use_config.json5"))
	_, err := UseConfig(m.root.Lookup("use", "overlay", "config"), nil, EmptyObject())
	if err == nil || err.Node == nil {
		t.Fatalf("want a located error, got %v", err)
	}
	if line, col := lineCol(m.text, err.Node.Start); line != 7 || col != 16 {
		t.Errorf("error at %d:%d, want 7:16", line, col)
	}
}
