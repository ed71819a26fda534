package program

import (
	"errors"
	"reflect"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
)

func TestLowerNoProgram(t *testing.T) {
	m := loadManifest(t, "testdata/cases/resource_params.json5")
	if p, f := Lower(Component{Manifest: m}); p != nil || f != nil {
		t.Errorf("Lower without program = %v, %v; want nil, nil", p, f)
	}
	if p, f := Lower(Component{}); p != nil || f != nil {
		t.Errorf("Lower without manifest = %v, %v; want nil, nil", p, f)
	}
	if d := CheckSlotInterpolation(nil, "/", nil); d != nil {
		t.Errorf("CheckSlotInterpolation(nil) = %v", d)
	}
}

func TestLowerUnreadableFile(t *testing.T) {
	file := "testdata/cases/slots_file_refs.json5"
	m := loadManifest(t, file)
	for _, tt := range []struct {
		name string
		read FileReader
		want string
	}{
		{"no reader", nil, "invalid program file reference `files/image.txt`: relative file references require a file-backed manifest"},
		{"failing reader", func(string) (string, error) { return "", errors.New("No such file or directory (os error 2)") },
			"invalid program file reference `files/image.txt`: No such file or directory (os error 2)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, failures := Lower(Component{Moniker: "/x", Manifest: m, ReadFile: tt.read})
			if p != nil || len(failures) == 0 {
				t.Fatalf("Lower = %v, %v; want failures", p, failures)
			}
			f := failures[0]
			if f.Site != SiteProgram || f.Index != -1 || f.Message != tt.want {
				t.Errorf("failure = %+v, want program site with %q", f, tt.want)
			}
			if got, want := f.Span, m.Program.Node.Span(); got != want {
				t.Errorf("span = %v, want the program value %v", got, want)
			}
		})
	}
	// Without a reader the checks skip `{ file }` references.
	if d := CheckSlotInterpolation(m, "/", nil); len(d) != 0 {
		t.Errorf("CheckSlotInterpolation without reader = %v", d)
	}
}

func TestFailureDiagnostic(t *testing.T) {
	for _, tt := range []struct {
		site           Site
		code           diag.Code
		message, label string
	}{
		{SiteProgram, codes.UnsupportedProgram, "unsupported program on /a: boom", "program declared here"},
		{SiteMount, codes.UnsupportedProgramMount, "unsupported program mount on /a: boom", "mount declared here"},
		{SiteEndpoint, codes.UnsupportedProgramEndpoint, "unsupported program endpoint on /a: boom", "endpoint declared here"},
	} {
		d := Failure{Site: tt.site, Message: "boom"}.Diagnostic("/a")
		if d.Code != tt.code || d.Message != tt.message || len(d.Labels) != 1 || d.Labels[0].Message != tt.label || !d.Labels[0].Primary {
			t.Errorf("site %d: got %+v", tt.site, d)
		}
	}
}

func TestUsedSlots(t *testing.T) {
	tests := []struct {
		name  string
		prog  *scenario.Program
		all   bool
		names []string
	}{
		{"nil", nil, false, nil},
		{"strings", &scenario.Program{Image: str("${slots.a.url}"), Entrypoint: []scenario.Arg{{Text: "${slots.b}"}, {Text: "${config.x}"}}}, false, []string{"a", "b"}},
		{"items", &scenario.Program{Path: str("/x"), Args: []scenario.Arg{
			{Item: &scenario.ArgItem{Arg: str("x"), When: str("slots.c.url")}},
			{Item: &scenario.ArgItem{Argv: []string{"${item}", "${slots.d}"}, Each: str("slots.e")}},
		}}, false, []string{"c", "d", "e"}},
		{"env", &scenario.Program{Path: str("/x"), Env: []scenario.EnvVar{{Name: "A", Value: "${slots.f}"}, {Name: "B", Object: true, Value: "v", When: str("slots.g"), Each: str("slots.h")}}}, false, []string{"f", "g", "h"}},
		{"whole slots", &scenario.Program{Path: str("${slots}")}, true, nil},
		{"slot-less when", &scenario.Program{Path: str("/x"), Args: []scenario.Arg{{Item: &scenario.ArgItem{Arg: str("x"), When: str("slots")}}}}, true, nil},
		{"invalid query names none", &scenario.Program{Path: str("${slots..x}")}, false, nil},
		{"mounts", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{
			{Kind: scenario.MountSlot, Path: "/d", Name: "i"},
			{Kind: scenario.MountResource, Path: "/r", Name: "notaslot"},
			{Kind: scenario.MountFile, PathTpl: scenario.Template{{Kind: scenario.PartSlot, Slot: "j.url"}}, SourceTpl: scenario.Template{{Kind: scenario.PartIndexedItem, Slot: "k"}},
				When: &scenario.MountCondition{Slot: "l"}, Each: &scenario.MountCondition{Slot: "m"}},
			{Kind: scenario.MountFile, When: &scenario.MountCondition{Config: true, Path: "n"}},
		}}, false, []string{"i", "j", "k", "l", "m"}},
		{"vm", &scenario.Program{VM: &scenario.VM{Image: "${slots.o}", CPUs: "${slots.p}", MemoryMiB: int64(1), UserData: str("${slots.q}"),
			Mounts: []scenario.Mount{{Kind: scenario.MountSlot, Path: "/d", Name: "r"}}}}, false, []string{"o", "p", "q", "r"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := UsedSlots(tt.prog)
			if u.All != tt.all || !reflect.DeepEqual(u.Names, tt.names) {
				t.Errorf("UsedSlots = %+v, want all=%v names=%v", u, tt.all, tt.names)
			}
			for _, n := range tt.names {
				if !u.Uses(n) {
					t.Errorf("Uses(%q) = false", n)
				}
			}
			if u.Uses("zz") != tt.all {
				t.Errorf("Uses(zz) = %v, want %v", u.Uses("zz"), tt.all)
			}
		})
	}
}

func TestRenderValue(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
		err  string
	}{
		{"s", "s", ""},
		{true, "true", ""},
		{int64(-3), "-3", ""},
		{1.0, "1.0", ""},
		{0.5, "0.5", ""},
		{[]any{"a", int64(1)}, `["a",1]`, ""},
		{map[string]any{"b": "<&>", "a": nil}, `{"a":null,"b":"<&>"}`, ""},
		{nil, "", "cannot interpolate null"},
	} {
		got, err := renderValue(tt.v)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tt.want || gotErr != tt.err {
			t.Errorf("renderValue(%#v) = %q, %q; want %q, %q", tt.v, got, gotErr, tt.want, tt.err)
		}
	}
}

func TestConfigs(t *testing.T) {
	c := StaticConfig{map[string]any{"a": map[string]any{"b": "x"}, "n": nil}}
	for _, tt := range []struct {
		path string
		want Outcomes
	}{
		{"a.b", Outcomes{Values: []any{"x"}}},
		{"n", Outcomes{Null: true}},
		{"a.c", Outcomes{Missing: true}},
		{"a.b.c", Outcomes{Missing: true}},
	} {
		if got := c.Lookup(tt.path); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("StaticConfig.Lookup(%q) = %+v; want %+v", tt.path, got, tt.want)
		}
	}
	if got := RuntimeConfig.Lookup("x"); !got.Unknown {
		t.Errorf("RuntimeConfig.Lookup = %+v", got)
	}
	if got := NoConfig.Lookup(""); !got.Missing || got.Unknown {
		t.Errorf("NoConfig.Lookup = %+v", got)
	}
}

// TestOutcomes reads outcome sets as lowering does (Amber's presence,
// static value and each items of a config query).
func TestOutcomes(t *testing.T) {
	arr := []any{"a", "b"}
	for _, tt := range []struct {
		name     string
		o        Outcomes
		presence configschema.Presence
		static   any // noStatic: none
		items    any // []any, "runtime", or the failure message
	}{
		{"value", Outcomes{Values: []any{"x"}}, configschema.Present, "x", "program.args[0] uses `each: \"config.q\"`, but config.q resolves to string instead of an array"},
		{"false is set", Outcomes{Values: []any{false}}, configschema.Present, false, "program.args[0] uses `each: \"config.q\"`, but config.q resolves to boolean instead of an array"},
		{"array", Outcomes{Values: []any{arr}}, configschema.Present, arr, arr},
		{"null", Outcomes{Null: true}, configschema.Absent, nil, []any{}},
		{"missing", Outcomes{Missing: true}, configschema.Absent, noStatic, []any{}},
		{"missing or null", Outcomes{Missing: true, Null: true}, configschema.Absent, noStatic, []any{}},
		{"dynamic", Outcomes{Dynamic: true}, configschema.Present, noStatic, "runtime"},
		{"dynamic or missing", Outcomes{Dynamic: true, Missing: true}, configschema.Runtime, noStatic, "runtime"},
		{"value or null", Outcomes{Null: true, Values: []any{"x"}}, configschema.Runtime, noStatic, "program.args[0] uses `each: \"config.q\"`, but config.q resolves to string instead of an array"},
		{"two values", Outcomes{Values: []any{"x", "y"}}, configschema.Present, noStatic, "program.args[0] uses `each: \"config.q\"`, but config.q resolves to string instead of an array"},
		{"array or missing", Outcomes{Missing: true, Values: []any{arr}}, configschema.Runtime, noStatic, "runtime"},
		{"empty array or missing", Outcomes{Missing: true, Values: []any{[]any{}}}, configschema.Runtime, noStatic, []any{}},
		{"unknown", Outcomes{Unknown: true}, configschema.Runtime, noStatic, "runtime"},
		{"nothing", Outcomes{}, configschema.Absent, noStatic, []any{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.Presence(); got != tt.presence {
				t.Errorf("Presence = %v, want %v", got, tt.presence)
			}
			v, ok := tt.o.Static()
			if !ok {
				v = noStatic
			}
			if !reflect.DeepEqual(v, tt.static) {
				t.Errorf("Static = %#v, want %#v", v, tt.static)
			}
			items, runtime, msg := tt.o.each("q", "program.args[0]")
			var got any = items
			switch {
			case msg != "":
				got = msg
			case runtime:
				got = "runtime"
			}
			if !reflect.DeepEqual(got, tt.items) {
				t.Errorf("each = %#v, want %#v", got, tt.items)
			}
		})
	}
}

// noStatic stands for "no static value" in TestOutcomes.
type noStaticValue struct{}

var noStatic = noStaticValue{}

// TestParsePort: endpoint ports rendered from config are read as Rust
// reads a u16, with its texts.
func TestParsePort(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		msg  string
	}{
		{"8080", 8080, ""},
		{"+80", 80, ""},
		{"0", 0, ""},
		{"65535", 65535, ""},
		{"65536", 0, "number too large to fit in target type"},
		{"999999x", 0, "number too large to fit in target type"},
		{"", 0, "cannot parse integer from empty string"},
		{"+", 0, "invalid digit found in string"},
		{"-", 0, "invalid digit found in string"},
		{"-1", 0, "invalid digit found in string"},
		{"http", 0, "invalid digit found in string"},
		{" 80", 0, "invalid digit found in string"},
	} {
		got, msg := parsePort(tt.in)
		if got != tt.want || msg != tt.msg {
			t.Errorf("parsePort(%q) = %d, %q; want %d, %q", tt.in, got, msg, tt.want, tt.msg)
		}
	}
}
