package codes

import "github.com/amberlsp/amber-lsp/diag"

// Codes of Amber's manifest lints (manifest.Lint), run on every component
// of a tree whose manifests are valid. Each one's documentation is its
// define call.
var (
	DeprecatedBindingSelfSource = define(Info{
		Code:     "manifest::deprecated_binding_self_source",
		Severity: diag.Warning,
		Tags:     Deprecated,
		Doc:      "A binding source uses the deprecated `self.<name>` syntax.",
		Trigger:  "A binding `from: \"self.<name>\"` (or `from: \"self\", capability: …`) naming one of the component's own slots or provides.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
  slots: { db: { kind: "http" } },
  bindings: [{ to: "#app.db", from: "self.db", weak: true }],
}
-- app.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
  program: { path: "/bin/app", args: ["--db=${slots.db.url}"] },
}
`,
		Fix: "Apply the offered fix: `self.<name>` becomes `slots.<name>` or `provides.<name>`.",
	})

	DeprecatedExportSelfTarget = define(Info{
		Code:     "manifest::deprecated_export_self_target",
		Severity: diag.Warning,
		Tags:     Deprecated,
		Doc:      "An export target uses the deprecated `self.<name>` syntax.",
		Trigger:  "An export `\"self.<name>\"` naming one of the component's own slots or provides.",
		Example: `
{
  manifest_version: "0.3.0",
  provides: { web: { kind: "http", endpoint: "web" } },
  program: { path: "/bin/app", network: { endpoints: [{ name: "web", port: 80 }] } },
  exports: { web: "self.web" },
}
`,
		Fix: "Apply the offered fix: `self.<name>` becomes `slots.<name>` or `provides.<name>`.",
	})

	UnusedProgram = define(Info{
		Code:     "manifest::unused_program",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "A program serves nothing that is bound or exported.",
		Trigger: "A component whose program has no provide that a binding or export uses. Not reported " +
			"when the linked scenario shows the program fed by an external slot of the root.",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: "/bin/app" },
}
`,
		Fix: "Export or bind one of the program's provides, or remove the program.",
	})

	UnusedSlot = define(Info{
		Code:     "manifest::unused_slot",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "A slot is never used.",
		Trigger: "A required slot that the program does not interpolate or mount and that no binding " +
			"forwards and no export exposes. Not reported when the linked scenario feeds it through a " +
			"weak binding, or when the program inlines `{ file }` text.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
}
`,
		Fix: "Use the slot (e.g. `${slots.db.url}` in the program), forward or export it, make it optional, or remove it.",
	})

	UnusedProvide = define(Info{
		Code:     "manifest::unused_provide",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "A provide is never bound or exported.",
		Trigger:  "A provide that no binding uses as its source and no export exposes.",
		Example: `
{
  manifest_version: "0.3.0",
  provides: { web: { kind: "http", endpoint: "web" }, admin: { kind: "http", endpoint: "web" } },
  program: { path: "/bin/app", network: { endpoints: [{ name: "web", port: 80 }] } },
  exports: { web: "provides.web" },
}
`,
		Fix: "Export or bind the provide, or remove it.",
	})

	UnusedUse = define(Info{
		Code:     "manifest::unused_use",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "A `use` entry is never referenced from `overlays`.",
		Trigger:  "A key of `use` that no `#<use>.<export>` entry of the manifest's `overlays` names.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: "./audit.json5" },
}
-- audit.json5 --
{ manifest_version: "0.4.0" }
`,
		Fix: "Reference the helper from `overlays`, or remove the entry.",
	})

	DuplicateEnvironmentResolver = define(Info{
		Code:     "manifest::duplicate_environment_resolver",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "An environment lists the same resolver twice.",
		Trigger:  "A resolver name repeated in an environment's `resolvers`; the repetition has no effect.",
		Example: `
{
  manifest_version: "0.3.0",
  environments: { prod: { resolvers: ["registry", "registry"] } },
}
`,
		Fix: "Remove the repeated entry.",
	})

	ConfigLintIncomplete = define(Info{
		Code:     "manifest::config_lint_incomplete",
		Severity: diag.Warning,
		Doc:      "The config lints could not follow the whole `config_schema`.",
		Trigger: "A `config_schema` with a `$ref` that is cyclic or cannot be resolved; the unused-config " +
			"lint may then miss properties. Or one too large to walk (`config definition is too large to " +
			"walk`: definitions that take each other many times over describe more config paths than " +
			"amber-lsp lists); the unused-config and optional-config lints are then skipped.",
		Example: `
{
  manifest_version: "0.3.0",
  config_schema: {
    type: "object",
    $defs: { node: { type: "object", properties: { next: { $ref: "#/$defs/node" } } } },
    properties: { list: { $ref: "#/$defs/node" } },
  },
  program: { path: "/bin/app", args: ["${config.list}"] },
}
`,
		Fix: "Simplify the schema if complete linting matters; Amber still validates config at run time.",
	})

	UnusedConfig = define(Info{
		Code:     "manifest::unused_config",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "A config property is never used.",
		Trigger: "A leaf of `config_schema` that no interpolation, `when`/`each` condition, config mount or " +
			"child config refers to (a use of a parent path counts). Not reported when the program " +
			"inlines `{ file }` text.",
		Example: `
{
  manifest_version: "0.3.0",
  config_schema: { type: "object", properties: { port: { type: "integer" } } },
  program: { path: "/bin/app" },
}
`,
		Fix: "Refer to the property, e.g. `${config.port}`, or remove it from the schema.",
	})

	OptionalCommandConfig = define(Info{
		Code:     "manifest::optional_command_config",
		Severity: diag.Warning,
		Doc:      "A command argument uses optional config without a `when` guard.",
		Trigger:  "An `entrypoint` or `args` item interpolating a config path that may be unset, with no `when` on that path.",
		Example: `
{
  manifest_version: "0.3.0",
  config_schema: { type: "object", properties: { token: { type: "string" } } },
  program: { path: "/bin/app", args: ["--token=${config.token}"] },
}
`,
		Fix: "Wrap the argument in `{ when: \"config.<path>\", argv: [...] }`, or make the property required.",
	})

	OptionalEnvConfig = define(Info{
		Code:     "manifest::optional_env_config",
		Severity: diag.Warning,
		Doc:      "An environment value uses optional config without a `when` guard.",
		Trigger:  "A `program.env` value interpolating a config path that may be unset, with no `when` on that path.",
		Example: `
{
  manifest_version: "0.3.0",
  config_schema: { type: "object", properties: { token: { type: "string" } } },
  program: { path: "/bin/app", env: { TOKEN: "${config.token}" } },
}
`,
		Fix: "Write the value as `{ when: \"config.<path>\", value: ... }`, or make the property required.",
	})

	OptionalMountConfig = define(Info{
		Code:     "manifest::optional_mount_config",
		Severity: diag.Warning,
		Doc:      "A mount uses optional config without a `when` guard.",
		Trigger:  "A mount whose `path` or `from` refers to a config path that may be unset, with no `when` on that path.",
		Example: `
{
  manifest_version: "0.3.0",
  config_schema: { type: "object", properties: { settings: { type: "string" } } },
  program: { path: "/bin/app", mounts: [{ path: "/etc/app.conf", from: "config.settings" }] },
}
`,
		Fix: "Add `when: \"config.<path>\"` to the mount, or make the property required.",
	})

	RequiredSlotWhen = define(Info{
		Code:     "manifest::required_slot_when",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "An argument's `when` tests a required slot, so it is always true.",
		Trigger:  "A command item `{ when: \"slots.<name>\", … }` whose slot is not optional: a required slot is always bound.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
  program: {
    path: "/bin/app",
    args: [{ when: "slots.db", argv: ["--db", "${slots.db.url}"] }],
  },
}
`,
		Fix: "Remove the `when`, or mark the slot `optional: true` if the argument should disappear when it is not bound.",
	})

	RequiredSlotWhenEnv = define(Info{
		Code:     "manifest::required_slot_when_env",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "An environment value's `when` tests a required slot, so it is always true.",
		Trigger:  "A `program.env` value `{ when: \"slots.<name>\", … }` whose slot is not optional.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
  program: {
    path: "/bin/app",
    env: { DB_URL: { when: "slots.db", value: "${slots.db.url}" } },
  },
}
`,
		Fix: "Remove the `when`, or mark the slot `optional: true` if the value should disappear when it is not bound.",
	})
)
