package config

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/cost"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// walkLimit is how long a walk of a DoublingSchema of depth 30 may take:
// each takes a few milliseconds, one that expands the references 2^30
// times minutes.
const walkLimit = 500 * time.Millisecond

// TestWalksOfDoublingSchemas: what config analysis, defaults, secrets and
// validation read from a schema whose definitions take each other twice
// over, 30 deep, comes at once: the exact answer where what is found at a
// node can be remembered, an answer that claims nothing otherwise (any
// outcome, everything secret, a too-large failure).
func TestWalksOfDoublingSchemas(t *testing.T) {
	type walk struct {
		name string
		run  func(s testgen.DoublingSchema, root *json5.Node) string
		want map[string]string // by schema
	}
	object := func(text string) *Template { return FromValue(json5.Parse([]byte(text)).Root().Value()) }
	validate := func(valid bool) func(s testgen.DoublingSchema, root *json5.Node) string {
		return func(s testgen.DoublingSchema, root *json5.Node) string {
			var msgs []string
			for _, e := range Validate(object("{ v: "+s.Value(valid)+" }"), root, nil) {
				msgs = append(msgs, e.Message())
			}
			return strings.Join(msgs, "\n")
		}
	}
	tooLarge := "invalid config: config definition is too large to check"
	eightTimes := func(msg string) string {
		return "invalid config: " + strings.Repeat(msg+"; ", 7) + msg
	}
	walks := []walk{
		{"Analyze of a path forwarded from the root", func(s testgen.DoublingSchema, root *json5.Node) string {
			return fmt.Sprintf("%+v", Analyze(RootNode(), Schemas{Component: root, Root: root, Defaults: &Defaults{}}, s.ValuePath()))
		}, map[string]string{
			"properties":                "{Unknown:false Missing:true Null:true Dynamic:true Values:[]}",
			"allOf":                     "{Unknown:false Missing:true Null:true Dynamic:true Values:[]}",
			"properties cyclic":         "{Unknown:false Missing:true Null:true Dynamic:true Values:[]}",
			"allOf cyclic":              "{Unknown:false Missing:true Null:true Dynamic:true Values:[]}",
			"properties detours cyclic": "{Unknown:false Missing:true Null:true Dynamic:true Values:[]}",
			"allOf detours cyclic":      "{Unknown:false Missing:true Null:true Dynamic:true Values:[]}",
		}},
		{"Analyze of a path the config leaves out", func(s testgen.DoublingSchema, root *json5.Node) string {
			return fmt.Sprintf("%+v", Analyze(EmptyObject(), Schemas{Component: root, Root: root}, "v"))
		}, map[string]string{
			"properties":                "{Unknown:true Missing:false Null:false Dynamic:false Values:[]}",
			"allOf":                     "{Unknown:true Missing:false Null:false Dynamic:false Values:[]}",
			"properties cyclic":         "{Unknown:true Missing:false Null:false Dynamic:false Values:[]}",
			"allOf cyclic":              "{Unknown:true Missing:false Null:false Dynamic:false Values:[]}",
			"properties detours cyclic": "{Unknown:true Missing:false Null:false Dynamic:false Values:[]}",
			"allOf detours cyclic":      "{Unknown:true Missing:false Null:false Dynamic:false Values:[]}",
		}},
		{"ApplyDefaults below v", func(s testgen.DoublingSchema, root *json5.Node) string {
			v, _ := ApplyDefaults(object(`{ v: {} }`), root).Static()
			return fmt.Sprint(v)
		}, map[string]string{
			"properties":                "map[v:map[]]",
			"allOf":                     "map[v:map[]]",
			"properties cyclic":         "map[v:map[]]",
			"allOf cyclic":              "map[v:map[]]",
			"properties detours cyclic": "map[v:map[]]",
			"allOf detours cyclic":      "map[v:map[]]",
		}},
		{"SecretPaths", func(s testgen.DoublingSchema, root *json5.Node) string {
			secret := strings.Replace(s.Schema(), `default: "x"`, `default: "x", secret: true`, 1)
			return fmt.Sprint(SecretPaths(root.Value()), SecretPaths(json5.Parse([]byte(secret)).Root().Value()))
		}, map[string]string{
			"properties":                "[] [[]]",
			"allOf":                     "[] [[]]",
			"properties cyclic":         "[] [[]]",
			"allOf cyclic":              "[] [[]]",
			"properties detours cyclic": "[] [[]]",
			"allOf detours cyclic":      "[] [[]]",
		}},
		{"Validate of a valid value", validate(true), map[string]string{
			"properties":                "",
			"allOf":                     "",
			"properties cyclic":         `invalid config: "x" is not of type "object"`,
			"allOf cyclic":              "",
			"properties detours cyclic": `invalid config: "x" is not of type "object"`,
			"allOf detours cyclic":      tooLarge,
		}},
		{"Validate of an invalid value", validate(false), map[string]string{
			"properties":                `invalid config: 1 is not of type "string"`,
			"allOf":                     eightTimes(`1 is not of type "string"`),
			"properties cyclic":         `invalid config: 1 is not of type "object"; 1 is not of type "string"`,
			"allOf cyclic":              eightTimes(`1 is not of type "string"`),
			"properties detours cyclic": `invalid config: 1 is not of type "object"; 1 is not of type "string"`,
			"allOf detours cyclic":      eightTimes(`1 is not of type "string"`),
		}},
	}
	for _, f := range []testgen.Fanout{testgen.FanoutProperties, testgen.FanoutAllOf} {
		for _, s := range []testgen.DoublingSchema{{Fanout: f}, {Fanout: f, Cyclic: true}, {Fanout: f, Cyclic: true, Detours: true}} {
			s.Depth = 30
			root := json5.Parse([]byte(s.Schema())).Root()
			for _, w := range walks {
				t.Run(s.String()+"/"+w.name, func(t *testing.T) {
					var got string
					cost.Deadline(t, w.name, walkLimit, func() { got = w.run(s, root) })
					if want := w.want[s.String()]; got != want {
						t.Errorf("got  %s\nwant %s", got, want)
					}
				})
			}
		}
	}
}

// TestWalksOfSmallDoublingSchemas: below the bounds, the same walks give
// their exact answers.
func TestWalksOfSmallDoublingSchemas(t *testing.T) {
	tests := []struct {
		schema testgen.DoublingSchema
		q      string
		want   string
	}{
		{testgen.DoublingSchema{Depth: 4, Fanout: testgen.FanoutAllOf}, "v", "{Unknown:false Missing:false Null:false Dynamic:false Values:[x]}"},
		{testgen.DoublingSchema{Depth: 2, Fanout: testgen.FanoutProperties}, "v", "{Unknown:false Missing:false Null:false Dynamic:false Values:[map[a:map[a:x b:x] b:map[a:x b:x]]]}"},
		{testgen.DoublingSchema{Depth: 4, Fanout: testgen.FanoutProperties}, "v.b.a.b.a", "{Unknown:false Missing:false Null:false Dynamic:false Values:[x]}"},
	}
	for _, tt := range tests {
		root := json5.Parse([]byte(tt.schema.Schema())).Root()
		got := fmt.Sprintf("%+v", Analyze(EmptyObject(), Schemas{Component: root, Root: root}, tt.q))
		if got != tt.want {
			t.Errorf("%s depth %d, %s:\ngot  %s\nwant %s", tt.schema, tt.schema.Depth, tt.q, got, tt.want)
		}
	}
}
