package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// jsonValue decodes a JSON text into a tree as the scenario holds it.
func jsonValue(t *testing.T, text string) any {
	t.Helper()
	v, ok := parseJSON(text)
	if !ok {
		t.Fatalf("bad JSON %s", text)
	}
	return v
}

func TestSecretPaths(t *testing.T) {
	for _, tc := range []struct {
		name, schema string
		want         []string
	}{
		{"none", `{"type":"object","properties":{"a":{"type":"string"}}}`, nil},
		{"property", `{"properties":{"a":{"secret":true},"b":{}}}`, []string{"a"}},
		{"nested, and nothing below a secret node", `{"properties":{"db":{"properties":{"pw":{"secret":true},"host":{}}},"all":{"secret":true,"properties":{"x":{"secret":true}}}}}`, []string{"all", "db.pw"}},
		{"through $ref", `{"$defs":{"creds":{"properties":{"token":{"secret":true}}}},"properties":{"a":{"$ref":"#/$defs/creds"}}}`, []string{"a.token"}},
		{"cyclic $ref: followed once", `{"$defs":{"n":{"properties":{"next":{"$ref":"#/$defs/n"},"k":{"secret":true}}}},"properties":{"list":{"$ref":"#/$defs/n"}}}`, []string{"list.k"}},
		{"allOf and additionalProperties", `{"allOf":[{"properties":{"a":{"secret":true}}}],"properties":{"m":{"additionalProperties":{"secret":true}}}}`, []string{"a", "m.*"}},
		{"the whole config", `{"secret":true,"properties":{"a":{}}}`, []string{""}},
		{"secret false", `{"properties":{"a":{"secret":false}}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range SecretPaths(jsonValue(t, tc.schema)) {
				got = append(got, strings.Join(p, "."))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("SecretPaths = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMaskSchema(t *testing.T) {
	for _, tc := range []struct {
		name, schema, want string
		found              []string // the masked values, as JSON
	}{
		{"no secret: unchanged",
			`{"properties":{"a":{"default":"x"}}}`,
			`{"properties":{"a":{"default":"x"}}}`, nil},
		{"default, const, enum and examples of a secret property",
			`{"properties":{"k":{"secret":true,"default":"hunter2","enum":["hunter2","x"],"examples":["e1"]},"n":{"default":"visible"}}}`,
			`{"properties":{"k":{"default":"***","enum":"***","examples":"***","secret":true},"n":{"default":"visible"}}}`,
			[]string{`"hunter2"`, `["e1"]`, `["hunter2","x"]`}},
		{"a default below a secret node",
			`{"properties":{"db":{"secret":true,"properties":{"pw":{"default":"s3cret"}}}}}`,
			`{"properties":{"db":{"properties":{"pw":{"default":"***"}},"secret":true}}}`,
			[]string{`"s3cret"`}},
		{"the secret member of an object default",
			`{"properties":{"db":{"default":{"host":"h","pw":"s3cret"},"properties":{"pw":{"secret":true},"host":{}}}},"default":{"db":{"pw":"rootpw"}}}`,
			`{"default":{"db":{"pw":"***"}},"properties":{"db":{"default":{"host":"h","pw":"***"},"properties":{"host":{},"pw":{"secret":true}}}}}`,
			[]string{`"rootpw"`, `"s3cret"`}},
		{"a definition a secret property refers to",
			`{"$defs":{"tok":{"type":"string","default":"deftok"}},"properties":{"t":{"secret":true,"$ref":"#/$defs/tok"},"u":{"$ref":"#/$defs/plain"}}}`,
			`{"$defs":{"tok":{"default":"***","type":"string"}},"properties":{"t":{"$ref":"#/$defs/tok","secret":true},"u":{"$ref":"#/$defs/plain"}}}`,
			[]string{`"deftok"`}},
		{"a number and an array element",
			`{"properties":{"pin":{"secret":true,"default":123456},"keys":{"items":{"secret":true},"default":["k1","k2"]}}}`,
			`{"properties":{"keys":{"default":["***","***"],"items":{"secret":true}},"pin":{"default":"***","secret":true}}}`,
			[]string{`"k1"`, `"k2"`, `123456`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := jsonValue(t, tc.schema)
			before := string(scenario.MustEncode(schema))
			var found []string
			got := MaskSchema(schema, func(v any) { found = append(found, string(scenario.MustEncode(v))) })
			if s := string(scenario.MustEncode(got)); s != tc.want {
				t.Errorf("MaskSchema =\n%s\nwant\n%s", s, tc.want)
			}
			if after := string(scenario.MustEncode(schema)); after != before {
				t.Errorf("MaskSchema modified its argument:\n%s", after)
			}
			slices.Sort(found)
			if !slices.Equal(found, tc.found) {
				t.Errorf("masked values %q, want %q", found, tc.found)
			}
		})
	}
}

func TestMaskConfig(t *testing.T) {
	schema := `{"properties":{"token":{"secret":true},"name":{},"db":{"properties":{"pw":{"secret":true}}},"all":{"secret":true}}}`
	for _, tc := range []struct {
		name, config, want string
	}{
		{"a literal secret", `{"token":"hunter2","name":"n"}`, `{"name":"n","token":"***"}`},
		{"a reference stays symbolic", `{"token":"${config.api_key}"}`, `{"token":"${config.api_key}"}`},
		{"a template stays as written", `{"token":"Bearer ${config.api_key}"}`, `{"token":"Bearer ${config.api_key}"}`},
		{"a symbolic config object stays", `{"token":{"$symbolic_config":"api_key"}}`, `{"token":{"$symbolic_config":"api_key"}}`},
		{"nested", `{"db":{"pw":"s3cret","host":"h"}}`, `{"db":{"host":"h","pw":"***"}}`},
		{"an object at a secret path: each literal leaf", `{"all":{"a":"lit","b":"${config.x}","c":[1,null]}}`, `{"all":{"a":"***","b":"${config.x}","c":["***",null]}}`},
		{"null config", `null`, `null`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MaskConfig(jsonValue(t, schema), jsonValue(t, tc.config))
			if s := string(scenario.MustEncode(got)); s != tc.want {
				t.Errorf("MaskConfig = %s, want %s", s, tc.want)
			}
		})
	}
}

func TestSecretsScrub(t *testing.T) {
	var s Secrets
	if s.Text("hunter2") != "hunter2" || !s.Empty() {
		t.Fatal("an empty set scrubs nothing")
	}
	s.AddSchema(jsonValue(t, `{"properties":{"k":{"secret":true,"default":"hunter2"},"pin":{"secret":true,"default":42},"v":{"default":"visible"}}}`))
	env := map[string]string{"AMBER_CONFIG_API_KEY": "env-token-123", "AMBER_CONFIG_DB__PW": `"quoted-pw"`, "AMBER_CONFIG_PLAIN": "not-a-secret"}
	s.AddEnv(jsonValue(t, `{"properties":{"api_key":{"secret":true},"db":{"properties":{"pw":{"secret":true}}},"plain":{}}}`),
		func(k string) (string, bool) { v, ok := env[k]; return v, ok })

	text := "key=env-token-123 pw=quoted-pw k=hunter2 pin=42 plain=not-a-secret v=visible"
	if got, want := s.Text(text), "key=*** pw=*** k=*** pin=42 plain=not-a-secret v=visible"; got != want {
		t.Errorf("Text:\n%s\nwant\n%s", got, want)
	}
	src := []byte(`default: "hunter2", x: 42`)
	if got, want := string(s.Source(src)), `default: "*******", x: 42`; got != want || string(src) != `default: "hunter2", x: 42` {
		t.Errorf("Source = %s, want %s (and the argument unchanged)", got, want)
	}
	v := jsonValue(t, `{"a":"hunter2","b":"42","c":"pin 42","d":["xx env-token-123 yy"],"hunter2":1,"e":"fine"}`)
	got, changed := s.Value(v)
	if want := `{"***":1,"a":"***","b":"***","c":"pin 42","d":["xx *** yy"],"e":"fine"}`; !changed || string(scenario.MustEncode(got)) != want {
		t.Errorf("Value = %s (changed %v), want %s", scenario.MustEncode(got), changed, want)
	}
	if _, changed := s.Value(jsonValue(t, `{"e":"fine"}`)); changed {
		t.Error("Value reports a change where there is no secret")
	}
	var nilSet *Secrets
	if nilSet.Text("hunter2") != "hunter2" {
		t.Error("a nil set scrubs nothing")
	}
}
