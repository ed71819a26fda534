package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

func encode(t *testing.T, v any) string {
	t.Helper()
	b, err := scenario.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteBack(t *testing.T) {
	tpl := Obj(map[string]*Template{
		"lit":   Lit(1.5),
		"ref":   Ref("a.b"),
		"whole": Ref(""),
		"tpl":   Str(LitPart("x-"), ConfigPart("k"), LitPart("-y"), ConfigPart("")),
		"sym":   SymRef("api_key"),
		"symw":  SymRef(""),
		"sstr":  SymStr("pre-${config.r}"),
		"arr":   Arr(Lit(nil), Lit(true), Obj(map[string]*Template{"n": Lit(int64(2))})),
	})
	want := `{"arr":[null,true,{"n":2}],"lit":1.5,"ref":"${config.a.b}","sstr":{"$symbolic_string":"pre-${config.r}"},` +
		`"sym":{"$symbolic_config":"api_key"},"symw":{"$symbolic_config":""},"tpl":"x-${config.k}-y${config.}","whole":"${config.}"}`
	if got := encode(t, WriteBack(tpl)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// Read back against a root with a schema, every node means the same again.
	s := schema(t, `{type: "object", properties: {a: {type: "object", properties: {b: {}}}, k: {}, api_key: {}, r: {}}}`)
	back, err := Parse(parse(t, encode(t, WriteBack(tpl))).root, s)
	if err != nil {
		t.Fatal(errText(err))
	}
	composed, err := Compose(back, RootNode())
	if err != nil {
		t.Fatal(errText(err))
	}
	if composed.String() != tpl.String() {
		t.Errorf("round trip\n got: %s\nwant: %s", composed, tpl)
	}
}

func TestReferencedRootPaths(t *testing.T) {
	tpl := Obj(map[string]*Template{
		"a": Ref("creds.key"),
		"b": Ref("creds"),
		"c": Str(LitPart("x"), ConfigPart("zeta")),
		"d": SymRef("alpha"),
		"e": SymStr("${config.sym.one} and ${config.alpha} ${slots.x} ${bad"),
		"f": Arr(Ref("creds.key"), SymStr("${config}")),
	})
	got := ReferencedRootPaths(tpl)
	want := []string{"", "alpha", "creds", "zeta"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := ReferencedRootPaths(Obj(map[string]*Template{"x": Lit("plain")})); got != nil {
		t.Errorf("no references: got %q", got)
	}
	if got := NormalizePaths([]string{"b.c", "a", "b", "a.x.y", "ab", "b"}); fmt.Sprint(got) != "[a ab b]" {
		t.Errorf("NormalizePaths = %q", got)
	}
}

// mainRootSchema is the main scenario root of examples/overlay-redaction.
const mainRootSchema = `{
  type: "object",
  properties: {
    launch_code: { type: "string", default: "swordfish" },
    api_key: { type: "string", default: "hunter2" },
  },
  required: ["launch_code", "api_key"],
}`

func TestHelperRootSchema(t *testing.T) {
	nested := `{
	  type: "object",
	  properties: {
	    creds: {
	      type: "object",
	      properties: { key: { type: "string" }, user: { type: "string" }, opt: { type: "integer" } },
	      required: ["key", "user"],
	    },
	    plain: { $ref: "#/$defs/p" },
	    loose: { type: "string" },
	    via: { $ref: "#/$defs/o" },
	    off: false,
	  },
	  required: ["creds", "plain"],
	  $defs: { p: { type: "integer", minimum: 1 }, o: { type: "object", properties: { x: { $ref: "#/$defs/p" }, y: { type: "string" } } } },
	}`
	tests := []struct {
		name, main string
		paths      []string
		want       string // "" = no schema
	}{
		{"overlays.md §5.1 example", mainRootSchema, []string{"launch_code", "api_key"},
			`{"properties":{"api_key":{"default":"hunter2","type":"string"},"launch_code":{"default":"swordfish","type":"string"}},"required":["api_key","launch_code"],"type":"object"}`},
		{"no paths", mainRootSchema, nil, ""},
		{"whole config", mainRootSchema, []string{"api_key", ""},
			`{"properties":{"api_key":{"default":"hunter2","type":"string"},"launch_code":{"default":"swordfish","type":"string"}},"required":["launch_code","api_key"],"type":"object"}`},
		{"whole config without main schema", "", []string{""}, `true`},
		{"leaf not found", mainRootSchema, []string{"nope"}, `{"properties":{"nope":true},"type":"object"}`},
		{"nested and required", nested, []string{"creds.user", "creds.opt", "creds.key", "plain", "loose"},
			`{"properties":{"creds":{"properties":{"key":{"type":"string"},"opt":{"type":"integer"},"user":{"type":"string"}},"required":["key","user"],"type":"object"},` +
				`"loose":{"type":"string"},"plain":{"$ref":"#/$defs/p"}},"required":["creds","plain"],"type":"object"}`},
		// Amber copies a property's sub-schema as written (schema_lookup_ref):
		// a `$ref` on the way is followed, the leaf's own is kept.
		{"leaves as written", nested, []string{"via.x", "via.y", "off"},
			`{"properties":{"off":false,"via":{"properties":{"x":{"$ref":"#/$defs/p"},"y":{"type":"string"}},"type":"object"}},"type":"object"}`},
		{"prefix drops deeper paths", nested, []string{"creds.key", "creds"},
			`{"properties":{"creds":{"properties":{"key":{"type":"string"},"opt":{"type":"integer"},"user":{"type":"string"}},"required":["key","user"],"type":"object"}},"required":["creds"],"type":"object"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := HelperRootSchema(schema(t, tt.main), tt.paths)
			got := ""
			if ok {
				got = encode(t, v)
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestEnvVarName(t *testing.T) {
	tests := []struct{ path, want string }{
		{"creds.key", "AMBER_CONFIG_CREDS__KEY"},
		{"api_key", "AMBER_CONFIG_API_KEY"},
		{"a1.b_c.d", "AMBER_CONFIG_A1__B_C__D"},
		{"", ""},
		{"Bad", ""},
		{"a__b", ""},
		{"a..b", ""},
	}
	for _, tt := range tests {
		got, ok := EnvVarName(tt.path)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("EnvVarName(%q) = %q, %v; want %q", tt.path, got, ok, tt.want)
		}
	}
}

// envSchema declares leaves of several types for the AMBER_CONFIG_* rows.
const envSchema = `{
  type: "object",
  properties: {
    name: { type: "string" },
    port: { type: "integer" },
    debug: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    level: { type: "string", default: "info" },
    creds: {
      type: "object",
      properties: { key: { type: "string" }, user: { type: "string", default: "admin" } },
      required: ["key", "user"],
    },
    extra: { type: ["integer", "string"] },
  },
  required: ["name", "port", "level", "creds"],
}`

func TestRootInputs(t *testing.T) {
	s := schema(t, envSchema)
	var got []string
	for _, in := range RootInputs(s, nil) {
		got = append(got, fmt.Sprintf("%s %s %v", in.Path, in.Env, in.Required))
	}
	want := []string{
		"creds.key AMBER_CONFIG_CREDS__KEY true",
		"creds.user AMBER_CONFIG_CREDS__USER false",
		"debug AMBER_CONFIG_DEBUG false",
		"extra AMBER_CONFIG_EXTRA false",
		"level AMBER_CONFIG_LEVEL false",
		"name AMBER_CONFIG_NAME true",
		"port AMBER_CONFIG_PORT true",
		"tags AMBER_CONFIG_TAGS false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	sub := RootInputs(s, []string{"creds", "port", "port"})
	if len(sub) != 3 || sub[0].Path != "creds.key" || sub[2].Path != "port" {
		t.Errorf("subset: %+v", sub)
	}
}

func TestRootConfigFromEnv(t *testing.T) {
	s := schema(t, envSchema)
	inputs := RootInputs(s, nil)
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"typed values", map[string]string{"AMBER_CONFIG_NAME": "svc", "AMBER_CONFIG_PORT": "8080", "AMBER_CONFIG_DEBUG": "true",
			"AMBER_CONFIG_TAGS": `["a","b"]`, "AMBER_CONFIG_CREDS__KEY": "k"},
			`{"creds":{"key":"k","user":"admin"},"debug":true,"level":"info","name":"svc","port":8080,"tags":["a","b"]}`},
		{"JSON the leaf rejects stays a string", map[string]string{"AMBER_CONFIG_NAME": "42", "AMBER_CONFIG_PORT": "1",
			"AMBER_CONFIG_CREDS__KEY": `{"a":1}`, "AMBER_CONFIG_LEVEL": "null"},
			`{"creds":{"key":"{\"a\":1}","user":"admin"},"level":"null","name":"42","port":1}`},
		{"type array takes JSON first", map[string]string{"AMBER_CONFIG_NAME": "n", "AMBER_CONFIG_PORT": "1",
			"AMBER_CONFIG_CREDS__KEY": "k", "AMBER_CONFIG_EXTRA": "7"},
			`{"creds":{"key":"k","user":"admin"},"extra":7,"level":"info","name":"n","port":1}`},
		{"trailing text is a string", map[string]string{"AMBER_CONFIG_NAME": "n", "AMBER_CONFIG_PORT": "1",
			"AMBER_CONFIG_CREDS__KEY": "k", "AMBER_CONFIG_EXTRA": "7 8"},
			`{"creds":{"key":"k","user":"admin"},"extra":"7 8","level":"info","name":"n","port":1}`},
		{"missing required", map[string]string{"AMBER_CONFIG_NAME": "", "AMBER_CONFIG_CREDS__KEY": "k"},
			"scenario is missing required config values - add defaults or set environment variables before running: " +
				"config.name (AMBER_CONFIG_NAME), config.port (AMBER_CONFIG_PORT)"},
		{"invalid value", map[string]string{"AMBER_CONFIG_NAME": "n", "AMBER_CONFIG_PORT": "eighty", "AMBER_CONFIG_CREDS__KEY": "k"},
			`invalid config: "eighty" is not of type "integer"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
			v, err := RootConfigFromEnv(s, inputs, lookup)
			got := ""
			if err != nil {
				if err.Stage != StageRootConfig {
					t.Errorf("stage %v", err.Stage)
				}
				got = err.Message()
			} else {
				got = encode(t, v)
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
