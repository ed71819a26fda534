package codes

import "github.com/amberlsp/amber-lsp/diag"

// Codes of a single manifest's shape and validation (package manifest).
// Each one's documentation is its define call.
var (
	ValidationError = define(Info{
		Code:     "manifest::validation_error",
		Severity: diag.Error,
		Doc:      "The manifest does not have the shape Amber expects.",
		Trigger: "A field Amber does not know, a missing required field, a value of the wrong type, " +
			"a duplicate key, or a string that does not parse (a reference, an interpolation, a " +
			"version). The message names the path of the offending value and what was expected.",
		Example: `
{
  manifest_version: "0.3.0",
  slot: { api: { kind: "http" } },
}
`,
		Fix: "Correct the value at the path the message names; for an unknown field, check its spelling.",
	})

	InvalidWhenPath = define(Info{
		Code:     "manifest::invalid_when_path",
		Severity: diag.Error,
		Doc:      "A `when` condition is not a `config.<path>` or `slots.<path>` path.",
		Trigger: "The `when` of a program argument, environment value, mount or endpoint that names " +
			"something other than a config path or a slot, or a path with an empty segment.",
		Example: `
{
  manifest_version: "0.3.0",
  config_schema: { type: "object", properties: { debug: { type: "boolean" } } },
  program: {
    path: "/bin/app",
    args: [{ when: "config", argv: ["--debug"] }],
  },
}
`,
		Fix: "Write the condition as `config.<path>` or `slots.<name>`.",
	})

	UnsupportedVersion = define(Info{
		Code:     "manifest::unsupported_version",
		Severity: diag.Error,
		Doc:      "The `manifest_version` is not one Amber supports.",
		Trigger:  "A `manifest_version` outside `>=0.1.0, <1.0.0`, or a pre-release version.",
		Example:  "{ manifest_version: \"1.0.0\" }\n",
		Fix:      "Use a supported version; the newest is `0.4.0`.",
	})

	ProgramFileReference = define(Info{
		Code:     "manifest::program_file_reference",
		Severity: diag.Error,
		Doc:      "A program's `{ file }` reference cannot be read.",
		Trigger: "A `{ file: \"…\" }` value in the program (image, path, entrypoint, args, env, VM image " +
			"or cloud-init data) whose path is empty, does not exist, names a directory or a file that is " +
			"not UTF-8 text, or is relative in a manifest that is not a file on disk.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: { file: "./missing-path.txt" } },
}
`,
		Fix: "Point the reference at an existing file, relative to the manifest's directory.",
	})

	InvalidInterpolation = define(Info{
		Code:     "manifest::invalid_interpolation",
		Severity: diag.Error,
		Doc:      "A text a program's `{ file }` reference loads has an interpolation Amber rejects.",
		Trigger: "The text of a `{ file }` reference in `image`, `path`, `vm.image`, an argument or an env " +
			"value (for `entrypoint`, `args` and `argv` in the file form, each word it splits into) holds " +
			"`${` without a closing `}`, or a placeholder whose source is not `config`, `slots` or `item` " +
			"(a shell variable such as `${HOME}`). Cloud-init files are not checked. Inline strings with " +
			"the same problem are `manifest::validation_error`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  program: { image: "busybox", entrypoint: ["sh", "-c", { file: "./run.sh" }] },
}
-- run.sh --
echo "hello ${HOME}"
`,
		Fix: "Write a shell variable without braces (`$HOME`), or use `${config.<path>}`, " +
			"`${slots.<slot>}` or `${item}`; close every `${`.",
	})

	UnclosedQuote = define(Info{
		Code:     "manifest::unclosed_quote",
		Severity: diag.Error,
		Doc:      "A shell string a program's `{ file }` reference loads has an unclosed quote.",
		Trigger: "The text of a `{ file }` reference given as `entrypoint`, `args` or `argv` (which Amber " +
			"splits into words like a shell) has a quote that is never closed, or ends in a lone `\\`. " +
			"An inline shell string with the same problem is `manifest::validation_error`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  program: { image: "busybox", entrypoint: { file: "./cmd.txt" } },
}
-- cmd.txt --
sh -c "echo hello
`,
		Fix: "Close the quote, or escape it with `\\`.",
	})

	ProgramSyntaxRequiresManifestVersion = define(Info{
		Code:     "manifest::program_syntax_requires_manifest_version",
		Severity: diag.Error,
		Doc:      "Program syntax is used that the manifest's version does not have.",
		Trigger: "A conditional item (`when`) in a manifest older than 0.2.0, or a variadic expansion " +
			"(`each`) in one older than 0.3.0, in arguments, environment values, mounts or endpoints.",
		Example: `
{
  manifest_version: "0.1.0",
  config_schema: { type: "object", properties: { debug: { type: "boolean" } } },
  program: {
    path: "/bin/app",
    args: [{ when: "config.debug", argv: ["--debug"] }],
  },
}
`,
		Fix: "Raise `manifest_version` to the version the message names, or remove the construct.",
	})

	FeatureRequiresManifestVersion = define(Info{
		Code:     "manifest::feature_requires_manifest_version",
		Severity: diag.Error,
		Doc:      "`use` or `overlays` appear in a manifest older than 0.4.0.",
		Trigger:  "A `use` or `overlays` section with a `manifest_version` below 0.4.0.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  use: { audit: "./audit.json5" },
  overlays: ["#audit.apply"],
}
-- audit.json5 --
{ manifest_version: "0.4.0" }
`,
		Fix: "Set `manifest_version` to `0.4.0`.",
	})

	InvalidName = define(Info{
		Code:     "manifest::invalid_name",
		Severity: diag.Error,
		Doc:      "A name contains a dot, which is reserved.",
		Trigger: "A dot in the name of a child, `use` entry, environment, slot, provide, resource, child " +
			"template, export or mount. Dots separate names in references such as `#child.slot`.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { "api.v2": { kind: "http", optional: true } },
}
`,
		Fix: "Rename it without dots, for example with `_` or `-`.",
	})

	InvalidOverlayRef = define(Info{
		Code:     "manifest::invalid_overlay_ref",
		Severity: diag.Error,
		Doc:      "An `overlays` entry is not of the form `#<use>.<export>`.",
		Trigger:  "An entry of `overlays` that does not start with `#`, lacks the `.` or has more than one.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: "./audit.json5" },
  overlays: ["audit.apply"],
}
-- audit.json5 --
{ manifest_version: "0.4.0" }
`,
		Fix: "Write the reference as `#<use entry>.<export>`.",
	})

	UnknownOverlayUse = define(Info{
		Code:     "manifest::unknown_overlay_use",
		Severity: diag.Error,
		Doc:      "An `overlays` entry names a `use` entry the manifest does not declare.",
		Trigger:  "`#<use>.<export>` in `overlays` where `<use>` is not a key of the same manifest's `use`.",
		Example: `
{
  manifest_version: "0.4.0",
  overlays: ["#audit.apply"],
}
`,
		Fix: "Declare the helper under `use`, or correct the reference.",
	})

	UnknownEnvironmentExtends = define(Info{
		Code:     "manifest::unknown_environment_extends",
		Severity: diag.Error,
		Doc:      "An environment extends an environment that is not declared.",
		Trigger:  "An `extends` naming no key of the manifest's `environments`.",
		Example: `
{
  manifest_version: "0.3.0",
  environments: { prod: { extends: "base", resolvers: [] } },
}
`,
		Fix: "Declare the base environment, or correct the name.",
	})

	EnvironmentCycle = define(Info{
		Code:     "manifest::environment_cycle",
		Severity: diag.Error,
		Doc:      "Environments extend each other in a cycle.",
		Trigger:  "A chain of `extends` that comes back to an environment already on it.",
		Example: `
{
  manifest_version: "0.3.0",
  environments: {
    a: { extends: "b", resolvers: [] },
    b: { extends: "a", resolvers: [] },
  },
}
`,
		Fix: "Remove one `extends` of the cycle.",
	})

	UnknownComponentEnvironment = define(Info{
		Code:     "manifest::unknown_component_environment",
		Severity: diag.Error,
		Doc:      "A child names an environment that is not declared.",
		Trigger:  "The `environment` of a `components` entry naming no key of the manifest's `environments`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { db: { manifest: "./db.json5", environment: "prod" } },
}
-- db.json5 --
{ manifest_version: "0.3.0" }
`,
		Fix: "Declare the environment under `environments`, or correct the name.",
	})

	UnknownUseEnvironment = define(Info{
		Code:     "manifest::unknown_use_environment",
		Severity: diag.Error,
		Doc:      "A `use` entry names an environment that is not declared.",
		Trigger:  "The `environment` of a `use` entry naming no key of the manifest's `environments`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: { manifest: "./audit.json5", environment: "prod" } },
  overlays: ["#audit.apply"],
}
-- audit.json5 --
{ manifest_version: "0.4.0" }
`,
		Fix: "Declare the environment under `environments`, or correct the name.",
	})

	AmbiguousCapabilityName = define(Info{
		Code:     "manifest::ambiguous_capability_name",
		Severity: diag.Error,
		Doc:      "A name is declared both as a slot and as a provide.",
		Trigger:  "The same key in `slots` and in `provides`; references such as `self.<name>` and bare exports could not tell them apart.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { api: { kind: "http" } },
  provides: { api: { kind: "http", endpoint: "web" } },
  program: { path: "/bin/app", network: { endpoints: [{ name: "web", port: 80 }] } },
}
`,
		Fix: "Rename the slot or the provide.",
	})

	UnsupportedResourceKind = define(Info{
		Code:     "manifest::unsupported_resource_kind",
		Severity: diag.Error,
		Doc:      "A resource has a kind other than `storage`.",
		Trigger:  "A `resources` entry whose `kind` is not `storage`, the only resource kind Amber supports.",
		Example: `
{
  manifest_version: "0.3.0",
  resources: { cache: { kind: "http" } },
}
`,
		Fix: "Declare it with `kind: \"storage\"`, or receive the capability through a slot.",
	})

	ChildTemplatesRequireComponentSlot = define(Info{
		Code:     "manifest::child_templates_require_component_slot",
		Severity: diag.Error,
		Doc:      "`child_templates` are declared without a `component` slot.",
		Trigger:  "A `child_templates` section in a manifest with no slot of `kind: \"component\"`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  child_templates: { worker: { manifest: "./worker.json5" } },
}
-- worker.json5 --
{ manifest_version: "0.3.0" }
`,
		Fix: "Declare a slot such as `slots: { spawn: { kind: \"component\" } }`.",
	})

	InvalidChildTemplate = define(Info{
		Code:     "manifest::invalid_child_template",
		Severity: diag.Error,
		Doc:      "A child template's `manifest` list is empty or has a single entry.",
		Trigger:  "A child template whose `manifest` is an array with fewer than two references.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  slots: { spawn: { kind: "component" } },
  child_templates: { worker: { manifest: ["./worker.json5"] } },
}
-- worker.json5 --
{ manifest_version: "0.3.0" }
`,
		Fix: "Give a single reference as a string, or list at least two.",
	})

	UnknownFrameworkCapability = define(Info{
		Code:     "manifest::unknown_framework_capability",
		Severity: diag.Error,
		Doc:      "A `framework.<name>` capability does not exist.",
		Trigger:  "A binding source or mount source `framework.<name>` where `<name>` is not `component`, `docker` or `kvm`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
  bindings: [{ to: "#app.gpu", from: "framework.gpu" }],
}
-- app.json5 --
{ manifest_version: "0.3.0", slots: { gpu: { kind: "component" } } }
`,
		Fix: "Use one of `framework.component`, `framework.docker` or `framework.kvm`.",
	})

	FrameworkCapabilityRequiresFeature = define(Info{
		Code:     "manifest::framework_capability_requires_feature",
		Severity: diag.Error,
		Doc:      "A framework capability is used without its experimental feature.",
		Trigger:  "`framework.docker` or `framework.kvm` in a manifest whose `experimental_features` does not list `docker` or `kvm`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
  bindings: [{ to: "#app.engine", from: "framework.docker" }],
}
-- app.json5 --
{ manifest_version: "0.3.0", slots: { engine: { kind: "docker" } } }
`,
		Fix: "Add the feature to `experimental_features` of the same manifest.",
	})

	MixedBindingForm = define(Info{
		Code:     "manifest::mixed_binding_form",
		Severity: diag.Error,
		Doc:      "A binding mixes the dot form with `slot`/`capability` fields.",
		Trigger:  "A binding whose `to` or `from` is in dot form (`#child.slot`, `slots.x`) and that also has `slot` or `capability`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
  slots: { db: { kind: "http" } },
  bindings: [{ to: "#app.db", slot: "db", from: "slots", capability: "db" }],
}
-- app.json5 --
{ manifest_version: "0.3.0", slots: { db: { kind: "http" } } }
`,
		Fix: "Use either `to: \"#app.db\", from: \"slots.db\"` or `to: \"#app\", slot: \"db\", from: \"slots\", capability: \"db\"`.",
	})

	BindingTargetSelf = define(Info{
		Code:     "manifest::binding_target_self",
		Severity: diag.Error,
		Doc:      "A binding targets the component's own slot.",
		Trigger:  "A binding with `to: \"self.<slot>\"`: a component's slots are filled by its parent, not by itself.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
  bindings: [{ to: "self.db", from: "slots.db" }],
}
`,
		Fix: "Bind a child's slot with `to: \"#<child>.<slot>\"`; move a program that needs the capability into a child.",
	})

	UnknownBindingChild = define(Info{
		Code:     "manifest::unknown_binding_child",
		Severity: diag.Error,
		Doc:      "A binding names a child that is not declared.",
		Trigger:  "`#<child>` in a binding's `to` or `from` where `<child>` is not a key of `components`.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
  bindings: [{ to: "#app.db", from: "slots.db" }],
}
`,
		Fix: "Declare the child under `components`, or correct the name.",
	})

	UnknownBindingSource = define(Info{
		Code:     "manifest::unknown_binding_source",
		Severity: diag.Error,
		Doc:      "A binding's source names a slot or provide that is not declared.",
		Trigger:  "A `from` of `slots.<name>`, `provides.<name>` or `self.<name>` naming nothing the manifest declares.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
  bindings: [{ to: "#app.db", from: "slots.db" }],
}
-- app.json5 --
{ manifest_version: "0.3.0", slots: { db: { kind: "http" } } }
`,
		Fix: "Declare the slot or provide, or correct the name.",
	})

	UnknownBindingResource = define(Info{
		Code:     "manifest::unknown_binding_resource",
		Severity: diag.Error,
		Doc:      "A binding's source names a resource that is not declared.",
		Trigger:  "A `from` of `resources.<name>` naming no key of `resources`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
  bindings: [{ to: "#app.data", from: "resources.data" }],
}
-- app.json5 --
{ manifest_version: "0.3.0", slots: { data: { kind: "storage" } } }
`,
		Fix: "Declare the resource, e.g. `resources: { data: { kind: \"storage\" } }`, or correct the name.",
	})

	UnknownExportChild = define(Info{
		Code:     "manifest::unknown_export_child",
		Severity: diag.Error,
		Doc:      "An export names a child that is not declared.",
		Trigger:  "An export target `#<child>.<export>` where `<child>` is not a key of `components`.",
		Example: `
{
  manifest_version: "0.3.0",
  exports: { api: "#app.api" },
}
`,
		Fix: "Declare the child under `components`, or correct the name.",
	})

	UnknownExportTarget = define(Info{
		Code:     "manifest::unknown_export_target",
		Severity: diag.Error,
		Doc:      "An export names a slot or provide that is not declared.",
		Trigger:  "An export target `slots.<name>`, `provides.<name>` or a bare `<name>` naming nothing the manifest declares.",
		Example: `
{
  manifest_version: "0.3.0",
  exports: { api: "provides.api" },
}
`,
		Fix: "Declare the provide or slot, or correct the name.",
	})

	DuplicateEndpointName = define(Info{
		Code:     "manifest::duplicate_endpoint_name",
		Severity: diag.Error,
		Doc:      "Two network endpoints of the program have the same name.",
		Trigger:  "Two unconditional entries of `program.network.endpoints` with the same literal `name`.",
		Example: `
{
  manifest_version: "0.3.0",
  provides: { web: { kind: "http", endpoint: "web" } },
  program: {
    path: "/bin/app",
    network: { endpoints: [{ name: "web", port: 80 }, { name: "web", port: 8080 }] },
  },
  exports: { web: "provides.web" },
}
`,
		Fix: "Give each endpoint its own name.",
	})

	UnsupportedProvideKind = define(Info{
		Code:     "manifest::unsupported_provide_kind",
		Severity: diag.Error,
		Doc:      "A provide has kind `storage`.",
		Trigger:  "A `provides` entry with `kind: \"storage\"`; storage comes from `resources` or `slots`.",
		Example: `
{
  manifest_version: "0.3.0",
  provides: { data: { kind: "storage" } },
}
`,
		Fix: "Declare `resources.<name>: { kind: \"storage\" }` and mount it, or receive it through a storage slot.",
	})

	MissingProvideEndpoint = define(Info{
		Code:     "manifest::missing_provide_endpoint",
		Severity: diag.Error,
		Doc:      "A provide does not name the endpoint that serves it.",
		Trigger:  "A `provides` entry without `endpoint`.",
		Example: `
{
  manifest_version: "0.3.0",
  provides: { web: { kind: "http" } },
  program: { path: "/bin/app", network: { endpoints: [{ name: "web", port: 80 }] } },
}
`,
		Fix: "Add `endpoint: \"<name>\"` naming one of the program's network endpoints.",
	})

	UnknownEndpoint = define(Info{
		Code:     "manifest::unknown_endpoint",
		Severity: diag.Error,
		Doc:      "A provide names an endpoint the program does not declare.",
		Trigger:  "A provide's `endpoint` that matches no literal endpoint name of the program.",
		Example: `
{
  manifest_version: "0.3.0",
  provides: { web: { kind: "http", endpoint: "http" } },
  program: { path: "/bin/app", network: { endpoints: [{ name: "web", port: 80 }] } },
}
`,
		Fix: "Name one of the program's endpoints, or declare the endpoint.",
	})

	EmptyEntrypoint = define(Info{
		Code:     "manifest::empty_entrypoint",
		Severity: diag.Error,
		Doc:      "An image program has no entrypoint.",
		Trigger:  "A program with `image` and no `entrypoint`, or an empty one; the image's own entrypoint is not used.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { image: "alpine:3" },
}
`,
		Fix: "Set `program.entrypoint` to the command to run, e.g. `[\"/bin/sh\", \"-c\", \"…\"]`.",
	})

	EmptyProgramPath = define(Info{
		Code:     "manifest::empty_program_path",
		Severity: diag.Error,
		Doc:      "A path program has an empty `path`.",
		Trigger:  "`program.path` that is empty or only whitespace.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: "" },
}
`,
		Fix: "Set `program.path` to the executable.",
	})

	EmptyVMImage = define(Info{
		Code:     "manifest::empty_vm_image",
		Severity: diag.Error,
		Doc:      "A VM program has an empty image.",
		Trigger:  "`program.vm.image` that is empty or only whitespace.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { vm: { image: "", cpus: 1, memory_mib: 512 } },
}
`,
		Fix: "Set `program.vm.image` to the disk image.",
	})

	InvalidVMCPUs = define(Info{
		Code:     "manifest::invalid_vm_cpus",
		Severity: diag.Error,
		Doc:      "A VM program asks for zero CPUs.",
		Trigger:  "`program.vm.cpus` equal to 0.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { vm: { image: "disk.qcow2", cpus: 0, memory_mib: 512 } },
}
`,
		Fix: "Give at least one CPU.",
	})

	InvalidVMMemoryMiB = define(Info{
		Code:     "manifest::invalid_vm_memory_mib",
		Severity: diag.Error,
		Doc:      "A VM program asks for zero memory.",
		Trigger:  "`program.vm.memory_mib` equal to 0.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { vm: { image: "disk.qcow2", cpus: 1, memory_mib: 0 } },
}
`,
		Fix: "Give the memory in MiB, greater than zero.",
	})

	InvalidConfigSchema = define(Info{
		Code:     "manifest::invalid_config_schema",
		Severity: diag.Error,
		Doc:      "The `config_schema` is not a schema Amber accepts.",
		Trigger: "A `config_schema` that is not a valid JSON Schema, whose root is not an object schema, " +
			"or that uses a construct Amber rejects; the message names the offending part.",
		Example: `
{
  manifest_version: "0.3.0",
  config_schema: { type: "string" },
}
`,
		Fix: "Make the root `{ type: \"object\", properties: { … } }` and correct the construct the message names.",
	})

	InvalidMountPath = define(Info{
		Code:     "manifest::invalid_mount_path",
		Severity: diag.Error,
		Doc:      "A mount path is relative or contains `..`.",
		Trigger:  "A literal mount `path` that does not start with `/` or has a `..` segment.",
		Example: `
{
  manifest_version: "0.3.0",
  resources: { data: { kind: "storage" } },
  program: { path: "/bin/app", mounts: [{ path: "data", from: "resources.data" }] },
}
`,
		Fix: "Write an absolute path without `..`.",
	})

	DuplicateMountName = define(Info{
		Code:     "manifest::duplicate_mount_name",
		Severity: diag.Error,
		Doc:      "Two mounts have the same name.",
		Trigger:  "Two unconditional mounts of the program with the same literal `name`.",
		Example: `
{
  manifest_version: "0.3.0",
  resources: { a: { kind: "storage" }, b: { kind: "storage" } },
  program: {
    path: "/bin/app",
    mounts: [
      { name: "data", path: "/a", from: "resources.a" },
      { name: "data", path: "/b", from: "resources.b" },
    ],
  },
}
`,
		Fix: "Give each mount its own name.",
	})

	DuplicateMountPath = define(Info{
		Code:     "manifest::duplicate_mount_path",
		Severity: diag.Error,
		Doc:      "Two mounts use the same path.",
		Trigger:  "Two unconditional mounts of the program with the same literal `path`.",
		Example: `
{
  manifest_version: "0.3.0",
  resources: { a: { kind: "storage" }, b: { kind: "storage" } },
  program: {
    path: "/bin/app",
    mounts: [{ path: "/data", from: "resources.a" }, { path: "/data", from: "resources.b" }],
  },
}
`,
		Fix: "Mount each source at its own path.",
	})

	InvalidMountSource = define(Info{
		Code:     "manifest::invalid_mount_source",
		Severity: diag.Error,
		Doc:      "A mount's `from` is not a source Amber knows.",
		Trigger: "A literal mount `from` that is not `config`, `config.<path>`, `resources.<name>`, " +
			"`slots.<name>` or `framework.<name>`, or one with an empty segment.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: "/bin/app", mounts: [{ path: "/data", from: "volumes.data" }] },
}
`,
		Fix: "Mount a resource, a storage slot, config, or a framework capability.",
	})

	InvalidMountConfigPath = define(Info{
		Code:     "manifest::invalid_mount_config_path",
		Severity: diag.Error,
		Doc:      "A config mount names config the schema does not have.",
		Trigger: "A mount `from: \"config\"` or `from: \"config.<path>\"` in a manifest without " +
			"`config_schema`, or whose path the schema does not declare.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: "/bin/app", mounts: [{ path: "/etc/app.json", from: "config.settings" }] },
}
`,
		Fix: "Declare the config path in `config_schema`, or correct it.",
	})

	UnknownMountResource = define(Info{
		Code:     "manifest::unknown_mount_resource",
		Severity: diag.Error,
		Doc:      "A mount names a resource that is not declared.",
		Trigger:  "A mount `from: \"resources.<name>\"` naming no key of `resources`.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: "/bin/app", mounts: [{ path: "/data", from: "resources.data" }] },
}
`,
		Fix: "Declare the resource, e.g. `resources: { data: { kind: \"storage\" } }`.",
	})

	UnsupportedMountSource = define(Info{
		Code:     "manifest::unsupported_mount_source",
		Severity: diag.Error,
		Doc:      "A mount uses the reserved source `framework.component`.",
		Trigger:  "A mount `from: \"framework.component\"`, which Amber reserves but does not implement.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: "/bin/app", mounts: [{ path: "/run/amber", from: "framework.component" }] },
}
`,
		Fix: "Remove the mount.",
	})

	MountSlotRequiresStorage = define(Info{
		Code:     "manifest::mount_slot_requires_storage",
		Severity: diag.Error,
		Doc:      "A mount names a slot that is not a storage slot.",
		Trigger:  "A mount `from: \"slots.<name>\"` whose slot has a kind other than `storage`.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { api: { kind: "http" } },
  program: { path: "/bin/app", mounts: [{ path: "/api", from: "slots.api" }] },
}
`,
		Fix: "Mount a storage slot; use a URL-shaped slot through interpolation such as `${slots.api.url}`.",
	})

	UnknownMountSlot = define(Info{
		Code:     "manifest::unknown_mount_slot",
		Severity: diag.Error,
		Doc:      "A mount names a slot that is not declared.",
		Trigger:  "A mount `from: \"slots.<name>\"` naming no key of `slots`.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: "/bin/app", mounts: [{ path: "/data", from: "slots.data" }] },
}
`,
		Fix: "Declare the slot, e.g. `slots: { data: { kind: \"storage\" } }`.",
	})

	DraftSpelling = define(Info{
		Code:     "amber_lsp::draft_spelling",
		Severity: diag.Error,
		Doc:      "The manifest uses a spelling of the overlays draft that Amber renamed.",
		Trigger: "The root key `policies` (now `overlays`), or the experimental features `governance` and " +
			"`policies` (overlays need none since 0.4.0). A profile is any string: the draft's profile `policy` " +
			"matters only on the provide an overlay resolves to, where it is `compiler::invalid_overlay_export`.",
		Example: `
{
  manifest_version: "0.4.0",
  policies: [],
}
`,
		Fix: "Apply the offered fix: it renames the key, or removes the feature. Beside an `overlays` key, which Amber " +
			"reads alone, `policies` is merged into it instead: the fix adds the entries `overlays` lacks and removes " +
			"`policies` (a safe fix only when it adds none). In a manifest older than 0.4.0 each of these fixes also sets " +
			"`manifest_version` to \"0.4.0\", which `use` and `overlays` need.",
	})
)
