package program

import (
	"testing"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

func str(s string) *string { return &s }

// interposer is the owner of the ValidateLowered cases: id 9, a schema with
// `token` and `list`, slots `in` (http), `peers` (multiple) and `disk`
// (storage), resource `state`.
func interposer(t *testing.T) Owner {
	t.Helper()
	schema, err := SchemaNode(map[string]any{
		"type": "object",
		"properties": map[string]any{
			"token": map[string]any{"type": "string"},
			"list":  map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return Owner{
		ID:           9,
		ConfigSchema: schema,
		Slots: map[string]scenario.SlotDecl{
			"in":    {Capability: scenario.Capability{Kind: "http"}},
			"peers": {Capability: scenario.Capability{Kind: "http"}, Multiple: true, Optional: true},
			"disk":  {Capability: scenario.Capability{Kind: "storage"}},
		},
		Resources: map[string]scenario.ResourceDecl{"state": {Kind: "storage"}},
	}
}

func pathProgram(args ...scenario.Arg) *scenario.Program {
	return &scenario.Program{Path: str("/bin/overlay"), Args: args}
}

func lit(s string) scenario.TemplatePart {
	return scenario.TemplatePart{Kind: scenario.PartLit, Lit: s}
}

func fileMount(path, source scenario.Template) scenario.Mount {
	return scenario.Mount{Kind: scenario.MountFile, PathTpl: path, SourceTpl: source}
}

func TestValidateLowered(t *testing.T) {
	noSchema := func(o Owner) Owner { o.ConfigSchema = nil; return o }
	noID := func(o Owner) Owner { o.ID = -1; return o }
	same := func(o Owner) Owner { return o }
	tests := []struct {
		name  string
		prog  *scenario.Program
		owner func(Owner) Owner
		want  string // "" for valid
	}{
		{"valid", &scenario.Program{
			Image:      str("ghcr.io/x:${config.token}"),
			Entrypoint: []scenario.Arg{{Text: "${slots.in.url}"}, {Item: &scenario.ArgItem{Argv: []string{"${item.url}"}, Each: str("slots.peers")}}},
			Env:        []scenario.EnvVar{{Name: "T", Value: "${config.token}"}, {Name: "L", Object: true, Value: "${item}", Each: str("config.list"), Join: str(",")}},
			Network:    &scenario.Network{Endpoints: []scenario.Endpoint{{Name: "out", Port: 8080, Protocol: "http"}}},
			Mounts: []scenario.Mount{
				fileMount(scenario.Template{lit("/etc/token")}, scenario.Template{lit("token")}),
				{Kind: scenario.MountSlot, Path: "/data", Name: "disk"},
				{Kind: scenario.MountResource, Path: "/state", Name: "state"},
			},
		}, same, ""},
		{"nil program", nil, same, ""},
		{"config without schema", pathProgram(scenario.Arg{Text: "${config.token}"}), noSchema,
			"program.args[0]: references ${config.token}, but this component does not declare `config_schema`"},
		{"whole config without schema", pathProgram(scenario.Arg{Text: "${config}"}), noSchema,
			"program.args[0]: references ${config}, but this component does not declare `config_schema`"},
		{"when config without schema", &scenario.Program{Path: str("/x"), Env: []scenario.EnvVar{{Name: "A", Value: "v", When: str("config.x")}}}, noSchema,
			"program.env.A.when: references ${config.x}, but this component does not declare `config_schema`"},
		{"unknown config path", &scenario.Program{Path: str("/bin/${config.nope}")}, same,
			"program.path: invalid ${config.nope} reference: config path \"nope\" not found (unknown key \"nope\")"},
		{"image bad interpolation", &scenario.Program{Image: str("${HOME}")}, same,
			"program.image: invalid interpolation `HOME`"},
		{"unknown slot in env value", &scenario.Program{Path: str("/x"), Env: []scenario.EnvVar{{Name: "UPSTREAM_URL", Value: "${slots.missing.url}"}}}, same,
			"program.env.UPSTREAM_URL.value: unknown slot `missing`"},
		{"env sorted by name", &scenario.Program{Path: str("/x"), Env: []scenario.EnvVar{{Name: "B", Value: "${slots.b}"}, {Name: "A", Value: "${slots.a}"}}}, same,
			"program.env.A.value: unknown slot `a`"},
		{"storage slot", pathProgram(scenario.Arg{Text: "${slots.disk.url}"}), same,
			"program.args[0]: storage slot `disk` is a virtual storage object, not a URL-shaped slot"},
		{"repeated slot", pathProgram(scenario.Arg{Text: "${slots.peers}"}), same,
			"program.args[0]: slot `peers` is declared with `multiple: true`"},
		{"whole slots with repeated", pathProgram(scenario.Arg{Text: "${slots}"}), same,
			"program.args[0]: `${slots}` cannot be used when the component declares repeated slots"},
		{"slot field", pathProgram(scenario.Arg{Item: &scenario.ArgItem{Arg: str("${slots.in.host}")}}), same,
			"program.args[0].arg: unknown slot field \"host\""},
		{"item outside each", pathProgram(scenario.Arg{Item: &scenario.ArgItem{Argv: []string{"a", "${item}"}}}), same,
			"program.args[0].argv[1]: `item` interpolation is only valid inside repeated `each` expansions"},
		{"item field of slot each", pathProgram(scenario.Arg{Item: &scenario.ArgItem{Arg: str("${item.host}"), Each: str("slots.peers")}}), same,
			"program.args[0].arg: unknown item field \"host\""},
		{"item path of config each", pathProgram(scenario.Arg{Item: &scenario.ArgItem{Arg: str("${item.a.b}"), Each: str("config.list"), Join: str(",")}}), same, ""},
		{"each on singular slot", pathProgram(scenario.Arg{Item: &scenario.ArgItem{Arg: str("x"), Each: str("slots.in")}}), same,
			"program.args[0].each: slot `in` is not declared with `multiple: true`"},
		{"each bad path", pathProgram(scenario.Arg{Item: &scenario.ArgItem{Arg: str("x"), Each: str("slots.a.b")}}), same,
			"program.args[0].each: invalid `each` path `slots.a.b`: expected `config.<path>` or `slots.<slot>`"},
		{"each config without schema", &scenario.Program{Image: str("x"), Entrypoint: []scenario.Arg{{Item: &scenario.ArgItem{Arg: str("x"), Each: str("config.list")}}}}, noSchema,
			"program.entrypoint[0].each: references ${config.list}, but this component does not declare `config_schema`"},
		{"when unknown slot", pathProgram(scenario.Arg{Item: &scenario.ArgItem{Arg: str("x"), When: str("slots.gone")}}), same,
			"program.args[0].when: unknown slot `gone`"},
		{"when bad source", pathProgram(scenario.Arg{Item: &scenario.ArgItem{Arg: str("x"), When: str("item.url")}}), same,
			"program.args[0].when: invalid `when` path `item.url`: expected `config.<path>` or `slots.<path>`"},
		{"when unknown config", &scenario.Program{Path: str("/x"), Env: []scenario.EnvVar{{Name: "E", Object: true, Value: "v", When: str("config.nope")}}}, same,
			"program.env.E.when: invalid ${config.nope} reference: config path \"nope\" not found (unknown key \"nope\")"},
		{"vm image", &scenario.Program{VM: &scenario.VM{Image: "${slots.nope}", CPUs: int64(1), MemoryMiB: int64(1), Egress: "none"}}, same,
			"program.vm.image: unknown slot `nope`"},
		{"vm memory string", &scenario.Program{VM: &scenario.VM{Image: "d", CPUs: int64(1), MemoryMiB: "${config.nope}", Egress: "none"}}, same,
			"program.vm.memory_mib: invalid ${config.nope} reference: config path \"nope\" not found (unknown key \"nope\")"},
		{"empty endpoint name", &scenario.Program{Path: str("/x"), Network: &scenario.Network{Endpoints: []scenario.Endpoint{{Name: "", Port: 1, Protocol: "http"}}}}, same,
			"program endpoint names must not be empty"},
		{"duplicate endpoint", &scenario.Program{Path: str("/x"), Network: &scenario.Network{Endpoints: []scenario.Endpoint{{Name: "a", Port: 1, Protocol: "http"}, {Name: "a", Port: 2, Protocol: "tcp"}}}}, same,
			"duplicate endpoint name `a`"},
		{"file mount without schema", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/t")}, scenario.Template{lit("token")})}}, noSchema,
			"mount source `config.token` requires `config_schema`, but the component does not declare one"},
		{"file mount unknown path", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/t")}, scenario.Template{lit("nope")})}}, same,
			"invalid config mount path `nope`: config path \"nope\" not found (unknown key \"nope\")"},
		{"file mount relative path", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("etc/t")}, scenario.Template{lit("token")})}}, same,
			"mount path must be absolute: `etc/t`"},
		{"file mount config part", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/t/"), {Kind: scenario.PartConfig, Config: "nope"}}, scenario.Template{lit("token")})}}, same,
			"program.mounts[0].path: invalid ${config.nope} reference: config path \"nope\" not found (unknown key \"nope\")"},
		{"file mount slot scope", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/t/"), {Kind: scenario.PartSlot, Scope: 3, Slot: "in"}}, scenario.Template{lit("token")})}}, same,
			"program.mounts[0].path: template references slot scope 3, but this program belongs to component 9"},
		{"slot scope unchecked without id", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/t/"), {Kind: scenario.PartSlot, Scope: 3, Slot: "in"}}, scenario.Template{lit("token")})}}, noID, ""},
		{"file mount unknown slot part", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/t/"), {Kind: scenario.PartSlot, Scope: 9, Slot: "gone"}}, scenario.Template{lit("token")})}}, same,
			"program.mounts[0].path: unknown slot `gone`"},
		{"file mount item outside each", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/t/")}, scenario.Template{{Kind: scenario.PartItem}})}}, same,
			"program.mounts[0].source: `item` interpolation is only valid inside repeated `each` expansions"},
		{"file mount each singular slot", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountFile, PathTpl: scenario.Template{lit("/t/"), {Kind: scenario.PartItem, Item: "url"}}, SourceTpl: scenario.Template{lit("token")}, Each: &scenario.MountCondition{Slot: "in"}}}}, same,
			"program.mounts[0].each: slot `in` is not declared with `multiple: true`"},
		{"file mount when config", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountFile, PathTpl: scenario.Template{lit("/t")}, SourceTpl: scenario.Template{lit("token")}, When: &scenario.MountCondition{Config: true, Path: "gone"}}}}, same,
			"program.mounts[0].when: invalid ${config.gone} reference: config path \"gone\" not found (unknown key \"gone\")"},
		{"slot mount relative", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountSlot, Path: "data", Name: "disk"}}}, same,
			"mount path must be absolute"},
		{"resource mount dotdot", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountResource, Path: "/a/../b", Name: "state"}}}, same,
			"mount path must not contain `..`"},
		{"slot mount not storage", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountSlot, Path: "/d", Name: "in"}}}, same,
			"mount source resolved to `slots.in`, but `in` is `http` instead of `storage`"},
		{"slot mount unknown", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountSlot, Path: "/d", Name: "gone"}}}, same,
			"mount source resolved to `slots.gone`, but no such slot exists on the component"},
		{"resource mount unknown", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountResource, Path: "/d", Name: "gone"}}}, same,
			"mount source resolved to `resources.gone`, but no such resource exists on the component"},
		{"framework mount needs feature", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountFramework, Path: "/var/run/docker.sock", Name: "docker"}}}, same,
			"framework capability `framework.docker` requires experimental feature `docker`"},
		{"file mount when config without schema", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountFile, PathTpl: scenario.Template{lit("/t")}, SourceTpl: scenario.Template{lit("token")}, When: &scenario.MountCondition{Config: true, Path: "on"}}}}, noSchema,
			"program.mounts[0].when: references ${config.on}, but this component does not declare `config_schema`"},
		// The order of Amber's validate_lowered_program: endpoints, then
		// every reference (the program's strings, env, then each file
		// mount's when, each, path and source), then the mounts.
		{"path config part before mount schema", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/etc/"), {Kind: scenario.PartConfig, Config: "x"}}, scenario.Template{lit("f")})}}, noSchema,
			"program.mounts[0].path: references ${config.x}, but this component does not declare `config_schema`"},
		{"later mount reference before earlier mount", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{
			{Kind: scenario.MountResource, Path: "/r", Name: "missing"},
			fileMount(scenario.Template{lit("/etc/"), {Kind: scenario.PartSlot, Scope: 9, Slot: "nope"}}, scenario.Template{lit("token")}),
		}}, same, "program.mounts[1].path: unknown slot `nope`"},
		{"mount when before each", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountFile, PathTpl: scenario.Template{lit("/t")}, SourceTpl: scenario.Template{lit("token")},
			When: &scenario.MountCondition{Config: true, Path: "gone"}, Each: &scenario.MountCondition{Slot: "in"}}}}, same,
			"program.mounts[0].when: invalid ${config.gone} reference: config path \"gone\" not found (unknown key \"gone\")"},
		{"endpoints before references", &scenario.Program{Path: str("/${slots.gone}"), Network: &scenario.Network{Endpoints: []scenario.Endpoint{{Name: "a", Port: 1, Protocol: "http"}, {Name: "a", Port: 2, Protocol: "http"}}}}, same,
			"duplicate endpoint name `a`"},
		{"env before mount references", &scenario.Program{Path: str("/x"), Env: []scenario.EnvVar{{Name: "Z", Value: "${slots.gone}"}},
			Mounts: []scenario.Mount{fileMount(scenario.Template{lit("/t/"), {Kind: scenario.PartConfig, Config: "nope"}}, scenario.Template{lit("token")})}}, same,
			"program.env.Z.value: unknown slot `gone`"},
		{"vm mount reference before vm mount", &scenario.Program{VM: &scenario.VM{Image: "d", CPUs: int64(1), MemoryMiB: int64(1), Egress: "none", Mounts: []scenario.Mount{
			{Kind: scenario.MountSlot, Path: "/d", Name: "gone"},
			fileMount(scenario.Template{lit("/t/"), {Kind: scenario.PartConfig, Config: "nope"}}, scenario.Template{lit("token")}),
		}}}, same, "program.vm.mounts[1].path: invalid ${config.nope} reference: config path \"nope\" not found (unknown key \"nope\")"},
		{"duplicate mount path", &scenario.Program{Path: str("/x"), Mounts: []scenario.Mount{{Kind: scenario.MountSlot, Path: "/d", Name: "disk"}, {Kind: scenario.MountResource, Path: "/d", Name: "state"}}}, same,
			"duplicate mount path `/d` after mount expansion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateLowered(tt.prog, tt.owner(interposer(t)))
			got := ""
			if err != nil {
				got = err.Error()
				if _, ok := err.(*ValidationError); !ok {
					t.Errorf("error is %T, want *ValidationError", err)
				}
			}
			if got != tt.want {
				t.Errorf("ValidateLowered:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
