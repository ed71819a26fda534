package program

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/scenario"
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
		path  string
		v     any
		state ConfigState
	}{
		{"a.b", "x", Static},
		{"n", nil, Static},
		{"a.c", nil, Absent},
		{"a.b.c", nil, Absent},
	} {
		v, s := c.Lookup(tt.path)
		if v != tt.v || s != tt.state {
			t.Errorf("StaticConfig.Lookup(%q) = %v, %v; want %v, %v", tt.path, v, s, tt.v, tt.state)
		}
	}
	if _, s := RuntimeConfig.Lookup("x"); s != Runtime {
		t.Errorf("RuntimeConfig state %v", s)
	}
	if _, s := NoConfig.Lookup(""); s != Absent {
		t.Errorf("NoConfig state %v", s)
	}
	if got := strings.Join([]string{Static.String(), Runtime.String(), Absent.String()}, ","); got != "static,runtime,absent" {
		t.Errorf("ConfigState strings %q", got)
	}
}
