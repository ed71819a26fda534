package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// helperRun plays the helper scenario for one composed `use` config
// (overlays.md §5, §6): the helper root schema mirrors the referenced root
// paths, the written-back config is linked as a child of the helper root,
// and the program's view of key "value" is rendered, runtime values coming
// from AMBER_CONFIG_* variables.
type helperRun struct {
	written string // the helper component's config, as JSON
	schema  string // the helper root's config_schema, "" when none
	gets    string // what the helper program receives for config.value
}

func runHelper(t *testing.T, mainRoot string, composed *Template, env map[string]string) helperRun {
	t.Helper()
	var run helperRun
	written := WriteBack(composed)
	run.written = encode(t, written)
	helperSchemaValue, ok := HelperRootSchema(schema(t, mainRoot), ReferencedRootPaths(composed))
	var helperSchema *json5.Node
	if ok {
		run.schema = encode(t, helperSchemaValue)
		helperSchema = ValueNode(helperSchemaValue)
	}
	useSchema := schema(t, `{type: "object", properties: {value: {}}}`)
	child, err := ChildTemplate(parse(t, run.written).root, helperSchema, RootTemplate(helperSchema), useSchema)
	if err != nil {
		t.Fatalf("helper link: %s", errText(err))
	}
	if errs := Validate(child, useSchema, parse(t, run.written).root); len(errs) > 0 {
		t.Fatalf("helper validation: %s", errs[0].Message())
	}
	r := Resolve(child, "value")
	value := r.Value
	if r.State == Runtime {
		if r.Node.Kind != ConfigRef {
			t.Fatalf("runtime value is %s", r.Node)
		}
		inputs := RootInputs(helperSchema, []string{r.Node.Path})
		cfg, err := RootConfigFromEnv(helperSchema, inputs, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err != nil {
			t.Fatalf("root config: %s", err.Message())
		}
		rr := Resolve(FromValue(cfg), r.Node.Path)
		if rr.State != Static {
			t.Fatalf("root config lacks %q", r.Node.Path)
		}
		value = rr.Value
	}
	run.gets, _ = RenderValue(value)
	return run
}

// TestOverlayWorkedCases covers every row of overlays.md §6.2 "Worked
// cases" (plus the JSON of the helper root schema in a golden file).
func TestOverlayWorkedCases(t *testing.T) {
	rootSchema := `{type: "object", properties: {api_key: {type: "string"}}, required: ["api_key"]}`
	mainOfScope := `{type: "object", properties: {root_api_key: {type: "string"}, root_secret: {type: "string"}, r: {type: "string"}}}`
	scopeSchema := `{type: "object", properties: {api_key: {type: "string"}, hidden_secret: {type: "string"}, k: {type: "string"}}}`
	env := map[string]string{"AMBER_CONFIG_API_KEY": "k-live", "AMBER_CONFIG_ROOT_API_KEY": "rk-live"}
	tests := []struct {
		scope                 string
		main, scopeSchema     string
		T                     *Template
		use                   string // the use config's value
		helperValue, getsWant string // or the error text in helperValue
	}{
		{"root with schema", rootSchema, rootSchema, RootNode(), `"${config.api_key}"`, `"${config.api_key}"`, "k-live"},
		{"root with schema", rootSchema, rootSchema, RootNode(), `"$${config.api_key}"`, `{"$symbolic_config":"api_key"}`, "${config.api_key}"},
		{"/scope", mainOfScope, scopeSchema, Obj(map[string]*Template{"api_key": Ref("root_api_key")}),
			`"${config.api_key}"`, `"${config.root_api_key}"`, "rk-live"},
		{"/scope", mainOfScope, scopeSchema, Obj(map[string]*Template{"hidden_secret": Ref("root_secret")}),
			`"$${config.hidden_secret}"`, `{"$symbolic_config":"root_secret"}`, "${config.root_secret}"},
		{"/scope", mainOfScope, scopeSchema, Obj(map[string]*Template{"k": Lit("abc")}), `"$${config.k}"`, `"abc"`, "abc"},
		{"/scope", mainOfScope, scopeSchema, Obj(map[string]*Template{"k": Str(LitPart("pre-"), ConfigPart("r"))}),
			`"$${config.k}"`, `{"$symbolic_string":"pre-${config.r}"}`, "pre-${config.r}"},
		{"root", rootSchema, rootSchema, RootNode(), `"${config}"`, `"${config.}"`, `{"api_key":"k-live"}`},
		{"any", rootSchema, rootSchema, RootNode(), `"x $${config.k}"`, "symbolic config interpolation must occupy the entire string", ""},
	}
	var transcript strings.Builder
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%d %s %s", i, tt.scope, tt.use), func(t *testing.T) {
			cfg := parse(t, `{value: `+tt.use+`}`)
			composed, err := UseConfig(cfg.root, schema(t, tt.scopeSchema), tt.T)
			fmt.Fprintf(&transcript, "## %s | T=%s | use config %s\n", tt.scope, tt.T, tt.use)
			if err != nil {
				fmt.Fprintf(&transcript, "error: %s\n\n", errText(err))
				if err.Message() != tt.helperValue {
					t.Errorf("error %q, want %q", err.Message(), tt.helperValue)
				}
				return
			}
			run := runHelper(t, tt.main, composed, env)
			fmt.Fprintf(&transcript, "helper config: %s\nhelper root schema: %s\nprogram gets: %s\n\n", run.written, run.schema, run.gets)
			if want := `{"value":` + tt.helperValue + `}`; run.written != want {
				t.Errorf("helper config %s, want %s", run.written, want)
			}
			if run.gets != tt.getsWant {
				t.Errorf("program gets %q, want %q", run.gets, tt.getsWant)
			}
		})
	}
	checkGolden(t, "overlay_worked_cases.txt", transcript.String())
}

// TestOverlayRedactionExample follows examples/overlay-redaction: the `use`
// config of the scenario root, the helper root schema of overlays.md §5.1,
// the helper link against overlay.json5's schema, and what REDACTION_TERMS
// receives (§6.2).
func TestOverlayRedactionExample(t *testing.T) {
	main := schema(t, mainRootSchema)
	cfg := parse(t, `{ redaction_terms: ["$${config.launch_code}", "$${config.api_key}"] }`)
	composed, err := UseConfig(cfg.root, main, RootTemplate(main))
	if err != nil {
		t.Fatal(errText(err))
	}
	written := encode(t, WriteBack(composed))
	if want := `{"redaction_terms":[{"$symbolic_config":"launch_code"},{"$symbolic_config":"api_key"}]}`; written != want {
		t.Errorf("helper config %s\nwant %s", written, want)
	}
	hs, ok := HelperRootSchema(main, ReferencedRootPaths(composed))
	if !ok {
		t.Fatal("no helper schema")
	}
	want := `{"properties":{"api_key":{"default":"hunter2","type":"string"},"launch_code":{"default":"swordfish","type":"string"}},"required":["api_key","launch_code"],"type":"object"}`
	if got := encode(t, hs); got != want {
		t.Errorf("helper schema\n got %s\nwant %s", got, want)
	}
	overlaySchema := schema(t, `{type: "object", properties: {redaction_terms: {type: "array", items: {type: "string"}}}, required: ["redaction_terms"]}`)
	helperSchema := ValueNode(hs)
	child, err := ChildTemplate(parse(t, written).root, helperSchema, RootTemplate(helperSchema), overlaySchema)
	if err != nil {
		t.Fatal(errText(err))
	}
	if errs := Validate(child, overlaySchema, parse(t, written).root); len(errs) != 0 {
		t.Errorf("validation: %s", errs[0].Message())
	}
	r := Resolve(child, "redaction_terms")
	got, _ := RenderValue(r.Value)
	if r.State != Static || got != `["${config.launch_code}","${config.api_key}"]` {
		t.Errorf("REDACTION_TERMS = %s %s", r.State, got)
	}
	// Symbolic references create no root inputs; the helper needs none.
	if inputs := RootInputs(helperSchema, []string{}); len(inputs) != 0 {
		t.Errorf("inputs: %+v", inputs)
	}
}

// TestChains composes configs through three levels below the root, with
// defaults of the middle level reaching the bottom.
func TestChains(t *testing.T) {
	levels := []struct {
		name, schema, config string
	}{
		{"root", `{type: "object", properties: {token: {type: "string"}, port: {type: "integer"}, host: {type: "string"}}}`, ""},
		{"mid", `{type: "object", properties: {
		    tok: {type: "string"}, p: {type: "integer"}, greeting: {type: "string"},
		    region: {type: "string", default: "eu"}, url: {type: "string"}, srv: {type: "object", properties: {h: {}, p: {}}}}}`,
			`{tok: "${config.token}", p: 8080, greeting: "hi ${config.token}", url: "http://${config.host}:${config.port}", srv: {h: "${config.host}", p: "${config.port}"}}`},
		{"leaf", `{type: "object", properties: {
		    a: {}, b: {}, c: {}, d: {}, e: {}, f: {}, g: {}, h: {}, i: {}, j: {}, k: {}}}`,
			`{a: "${config.tok}", b: "${config.p}", c: "${config.greeting}!", d: "$${config.tok}", e: "$${config.p}",
			  f: "$${config.greeting}", g: "${config.region}-x", h: "$${config.region}", i: "${config.url}/v1", j: "${config.srv}", k: "$${config.srv}"}`},
		{"bottom", `{type: "object", properties: {all: {}, s: {}, t: {}, u: {}, w: {}}}`,
			`{all: "${config}", s: "${config.d} and ${config.e}", t: "${config.f}", u: "$${config.c}", w: "$${config.k}"}`},
	}
	var transcript strings.Builder
	parentSchema := schema(t, levels[0].schema)
	parent := RootTemplate(parentSchema)
	fmt.Fprintf(&transcript, "root: %s\n", parent)
	for _, l := range levels[1:] {
		s := schema(t, l.schema)
		tpl, err := ChildTemplate(parse(t, l.config).root, parentSchema, parent, s)
		if err != nil {
			t.Fatalf("%s: %s", l.name, errText(err))
		}
		if errs := Validate(tpl, s, parse(t, l.config).root); len(errs) != 0 {
			t.Errorf("%s: %s", l.name, errs[0].Message())
		}
		fmt.Fprintf(&transcript, "%s: %s\n", l.name, tpl)
		parentSchema, parent = s, tpl
	}
	fmt.Fprintf(&transcript, "root paths: %q\n", ReferencedRootPaths(parent))
	fmt.Fprintf(&transcript, "write-back: %s\n", encode(t, WriteBack(parent)))
	checkGolden(t, "chains.txt", transcript.String())
}
