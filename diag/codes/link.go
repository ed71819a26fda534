package codes

import "github.com/amberlsp/amber-lsp/diag"

// Codes of resolving and linking a tree of manifests (package linker and
// its subpackages). Each one's documentation is its define call.
var (
	ManifestRefResolution = define(Info{
		Code:     "compiler::manifest_ref_resolution",
		Severity: diag.Error,
		Doc:      "A manifest reference cannot be loaded.",
		Trigger: "A child, `use` entry or child template whose manifest cannot be read: a missing file, " +
			"a directory, a file that is not a regular file (a named pipe, a socket, a device, anything below " +
			"`/proc`, `/sys` or `/dev`: amber-lsp never opens these), an unsupported URL scheme, or " +
			"content that does not match the declared `digest`.",
		Example: `
{
  manifest_version: "0.3.0",
  components: { db: "./db.json5" },
}
`,
		Fix: "Correct the reference, or create the manifest it names.",
	})

	InvalidManifestRef = define(Info{
		Code:     "compiler::invalid_manifest_ref",
		Severity: diag.Error,
		Doc:      "A relative manifest reference cannot be joined to the URL of the manifest that names it.",
		Trigger: "A reference without a scheme that WHATWG URL joining rejects: in a local manifest, `//host/x` " +
			"with a port or a space in the host (a `file:` host has neither); in a remote one, `//` (an empty " +
			"host) or `//host:99999/x` (a bad port).",
		Example: `
{
  manifest_version: "0.3.0",
  components: { db: "//db.example.com:5432/db.json5" },
}
`,
		Fix: "Write the reference as a relative path, or as a full URL with its scheme (`https:` and the rest).",
	})

	Cycle = define(Info{
		Code:     "compiler::cycle",
		Severity: diag.Error,
		Doc:      "The component tree contains a manifest inside itself.",
		Trigger:  "A child whose manifest content already occurs on the path from the root to it, directly or through descendants.",
		Example: `
{
  manifest_version: "0.3.0",
  components: { again: "./scenario.json5" },
}
`,
		Fix: "Remove the reference that closes the cycle.",
	})

	UnknownResolver = define(Info{
		Code:     "compiler::unknown_resolver",
		Severity: diag.Error,
		Doc:      "An environment names a resolver the host does not provide.",
		Trigger: "A resolver in an environment that a child or `use` entry uses (directly or through " +
			"`extends`); Amber's command line provides no resolvers.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  environments: { prod: { resolvers: ["registry"] } },
  components: { db: { manifest: "./db.json5", environment: "prod" } },
}
-- db.json5 --
{ manifest_version: "0.3.0" }
`,
		Fix: "Remove the resolver, or the environment from the declaration.",
	})

	ExperimentalFeatureNotEnabled = define(Info{
		Code:     "compiler::experimental_feature_not_enabled",
		Severity: diag.Error,
		Doc:      "A child requests experimental features its parent does not enable.",
		Trigger:  "A child or child template listing an `experimental_features` entry that its parent's list lacks.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { builder: "./builder.json5" },
}
-- builder.json5 --
{ manifest_version: "0.3.0", experimental_features: ["docker"] }
`,
		Fix: "Enable the features in the parent's `experimental_features`, or remove them from the child.",
	})

	UseRequiresRootSlots = define(Info{
		Code:     "compiler::use_requires_root_slots",
		Severity: diag.Error,
		Doc:      "An overlay helper has required slots the scenario cannot bind.",
		Trigger:  "A `use` manifest with a slot that is not `optional`: the helper runs as its own scenario, with nothing to bind its root slots.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: "./audit.json5" },
  overlays: ["#audit.apply"],
}
-- audit.json5 --
{ manifest_version: "0.4.0", slots: { db: { kind: "http" } } }
`,
		Fix: "Make the helper's slots optional, or move the inputs inside the helper.",
	})

	UseContainsOverlay = define(Info{
		Code:     "compiler::use_contains_overlay",
		Severity: diag.Error,
		Doc:      "An overlay helper declares `use` or `overlays` itself.",
		Trigger:  "A `use` manifest, or a manifest below it, with a `use` or `overlays` section: helpers must be self-contained.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: "./audit.json5" },
  overlays: ["#audit.apply"],
}
-- audit.json5 --
{ manifest_version: "0.4.0", use: { inner: "./inner.json5" } }
-- inner.json5 --
{ manifest_version: "0.4.0" }
`,
		Fix: "Remove `use` and `overlays` from the helper's tree.",
	})

	InvalidSlotsInterpolation = define(Info{
		Code:     "compiler::invalid_slots_interpolation",
		Severity: diag.Error,
		Doc:      "A `${slots…}` interpolation in the program is invalid.",
		Trigger: "A program string interpolating an undeclared slot, a storage slot, a `multiple` slot " +
			"outside `each`, or a slot path with an empty or unknown segment; `${item…}` outside `each`, " +
			"or with a field other than `url` in program args or env (whatever the `each` repeats over).",
		Example: `
{
  manifest_version: "0.3.0",
  program: { path: "/bin/app", args: ["--db=${slots.db.url}"] },
}
`,
		Fix: "Declare the slot, or use `${slots.<name>.url}` for a singular URL-shaped slot and `each: \"slots.<name>\"` with `${item.url}` for a repeated one.",
	})

	InvalidUseConfig = define(Info{
		Code:     "compiler::invalid_use_config",
		Severity: diag.Error,
		Doc:      "The `config` of a `use` entry is invalid.",
		Trigger: "The `config` of a `use` entry that an overlay references, when it refers to config the " +
			"scope's `config_schema` does not declare or cannot be composed.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: { manifest: "./audit.json5", config: { level: "${config.level}" } } },
  overlays: ["#audit.apply"],
}
-- audit.json5 --
{
  manifest_version: "0.4.0",
  config_schema: { type: "object", properties: { level: { type: "string" } } },
}
`,
		Fix: "Declare the referenced config in the scope's `config_schema`, or correct the reference.",
	})

	OverlayExportUnresolved = define(Info{
		Code:     "compiler::overlay_export_unresolved",
		Severity: diag.Error,
		Doc:      "An overlay reference names an export the helper does not have.",
		Trigger:  "`#<use>.<export>` in `overlays` where the `use` manifest has no such export, or its export chain breaks in a child.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: "./audit.json5" },
  overlays: ["#audit.apply"],
}
-- audit.json5 --
{ manifest_version: "0.4.0" }
`,
		Fix: "Export the overlay from the helper, or correct the export name.",
	})

	InvalidOverlayExport = define(Info{
		Code:     "compiler::invalid_overlay_export",
		Severity: diag.Error,
		Doc:      "An overlay reference resolves to something that is not an overlay provide.",
		Trigger: "An overlay export that resolves to a slot, or to a provide that is not `kind: \"http\"` with `profile: \"overlay\"` " +
			"(such as one with the overlays draft's profile `policy`).",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: "./audit.json5" },
  overlays: ["#audit.apply"],
}
-- audit.json5 --
{
  manifest_version: "0.4.0",
  program: { path: "/bin/audit", network: { endpoints: [{ name: "api", port: 80 }] } },
  provides: { apply: { kind: "http", endpoint: "api" } },
  exports: { apply: "provides.apply" },
}
`,
		Fix: "Give the exported provide `kind: \"http\"` and `profile: \"overlay\"`. When its profile is the draft's `policy`, " +
			"the offered fix renames it to `overlay` in the helper's manifest (preferred, so `--check --fix` applies it, when the provide is `http`).",
	})

	OverlayEndpointNotHTTP = define(Info{
		Code:     "amber_lsp::overlay_endpoint_not_http",
		Severity: diag.Error,
		Doc:      "An overlay helper is served on an endpoint that does not speak HTTP.",
		Trigger: "An overlay export whose provide's endpoint declares `protocol: \"tcp\"`; helpers receive their " +
			"request as an HTTP POST. With `protocol: \"https\"` it is a warning: helpers are called over plain HTTP.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.4.0",
  use: { audit: "./audit.json5" },
  overlays: ["#audit.apply"],
}
-- audit.json5 --
{
  manifest_version: "0.4.0",
  program: { path: "/bin/audit", network: { endpoints: [{ name: "api", port: 80, protocol: "tcp" }] } },
  provides: { apply: { kind: "http", profile: "overlay", endpoint: "api" } },
  exports: { apply: "provides.apply" },
}
`,
		Fix: "Declare the endpoint with `protocol: \"http\"` (the default).",
	})

	InvalidConfig = define(Info{
		Code:     "linker::invalid_config",
		Severity: diag.Error,
		Doc:      "A component's config does not fit its `config_schema`.",
		Trigger: "Config given to a child that violates the child's `config_schema` or misses a required " +
			"property, a `${config…}` reference the schema does not declare (or in a component without " +
			"schema), a child `config_schema` whose defaults are not an object (`component config " +
			"defaults must resolve to an object`: its own `default` is a string, a number, an array " +
			"or null), or a resource parameter that cannot be rendered. A config that does not " +
			"compose counts as `{}`: it is still validated, and the component's children compose " +
			"against it. Also config checked against a " +
			"schema too large to check (`config definition is too large to check`: definitions that " +
			"refer to each other many times over, in a cycle, so that validation would take " +
			"exponential time); the config is then not known to be valid.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { web: { manifest: "./web.json5", config: { port: "eighty" } } },
}
-- web.json5 --
{
  manifest_version: "0.3.0",
  config_schema: { type: "object", properties: { port: { type: "integer" } } },
  program: { path: "/bin/web", args: ["--port=${config.port}"] },
}
`,
		Fix: "Give the child config of the right type, or declare the referenced config path.",
	})

	StorageResourceFanout = define(Info{
		Code:     "linker::storage_resource_fanout",
		Severity: diag.Error,
		Doc:      "One storage resource is mounted by more than one sink.",
		Trigger:  "A storage resource that reaches two or more mounted storage slots or mounts; allocated storage is exclusive.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  resources: { data: { kind: "storage" } },
  components: { a: "./sink.json5", b: "./sink.json5" },
  bindings: [
    { to: "#a.disk", from: "resources.data" },
    { to: "#b.disk", from: "resources.data" },
  ],
}
-- sink.json5 --
{
  manifest_version: "0.3.0",
  slots: { disk: { kind: "storage" } },
  program: { path: "/bin/sink", mounts: [{ path: "/data", from: "slots.disk" }] },
}
`,
		Fix: "Declare one storage resource per sink.",
	})

	StorageMountRequiresResource = define(Info{
		Code:     "linker::storage_mount_requires_resource",
		Severity: diag.Error,
		Doc:      "A mounted storage slot is not fed by a storage resource.",
		Trigger:  "A mount `from: \"slots.<name>\"` whose storage slot is unbound, bound from outside the scenario, or `multiple`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
}
-- app.json5 --
{
  manifest_version: "0.3.0",
  slots: { disk: { kind: "storage", optional: true } },
  program: { path: "/bin/app", mounts: [{ path: "/data", from: "slots.disk" }] },
}
`,
		Fix: "Declare `resources.<name>: { kind: \"storage\" }` in a parent and bind it to the slot, or mount a local resource directly.",
	})

	SlotCycle = define(Info{
		Code:     "linker::slot_cycle",
		Severity: diag.Error,
		Doc:      "Slots forward each other in a cycle.",
		Trigger:  "Bindings and slot exports that route a slot back into itself, so no capability ever enters the loop.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { a: "./forward.json5", b: "./forward.json5" },
  bindings: [
    { to: "#a.api", from: "#b.api" },
    { to: "#b.api", from: "#a.api" },
  ],
}
-- forward.json5 --
{
  manifest_version: "0.3.0",
  slots: { api: { kind: "http" } },
  exports: { api: "slots.api" },
}
`,
		Fix: "Rewire the route, or make one slot of the cycle `optional: true`.",
	})

	ExternalSlotRequiresWeak = define(Info{
		Code:     "linker::external_slot_requires_weak",
		Severity: diag.Error,
		Doc:      "A route from an external slot is not weak.",
		Trigger: "A binding that forwards a root slot (supplied from outside the scenario) into a child " +
			"without `weak: true` on the route; storage slots are exempt.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  slots: { api: { kind: "http" } },
  components: { client: "./client.json5" },
  bindings: [{ to: "#client.api", from: "slots.api" }],
}
-- client.json5 --
{
  manifest_version: "0.3.0",
  slots: { api: { kind: "http", optional: true } },
  program: { path: "/bin/client", args: ["${slots.api.url}"] },
}
`,
		Fix: "Add `weak: true` to the binding, or to one upstream of it.",
	})

	UnboundSlot = define(Info{
		Code:     "linker::unbound_slot",
		Severity: diag.Error,
		Doc:      "A required slot of a child is not bound.",
		Trigger:  "A slot that is not `optional` on a component below the root that no binding fills.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { app: "./app.json5" },
}
-- app.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
  program: { path: "/bin/app", args: ["--db=${slots.db.url}"] },
}
`,
		Fix: "Bind the slot in the parent's `bindings`, or mark it `optional: true`.",
	})

	InvalidExport = define(Info{
		Code:     "linker::invalid_export",
		Severity: diag.Error,
		Doc:      "An export cannot be resolved to a capability that can be exported.",
		Trigger: "An export through a child that does not export the name, or a root export that resolves " +
			"to an external slot, a resource, `framework.component`, or several capabilities.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { db: "./db.json5" },
  exports: { api: "#db.api" },
}
-- db.json5 --
{ manifest_version: "0.3.0" }
`,
		Fix: "Export the name from the child, or export a provide instead.",
	})

	ExportUnboundSlot = define(Info{
		Code:     "linker::export_unbound_slot",
		Severity: diag.Error,
		Doc:      "A root export resolves to a slot nothing binds.",
		Trigger:  "A root export whose chain ends at an optional slot of a child that no binding fills.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { proxy: "./proxy.json5" },
  exports: { api: "#proxy.api" },
}
-- proxy.json5 --
{
  manifest_version: "0.3.0",
  slots: { api: { kind: "http", optional: true } },
  exports: { api: "slots.api" },
}
`,
		Fix: "Bind the slot, or export a provide or child export instead.",
	})

	DependencyCycle = define(Info{
		Code:     "linker::dependency_cycle",
		Severity: diag.Error,
		Doc:      "Components depend on each other in a cycle.",
		Trigger:  "Strong bindings whose programs depend on each other in a loop, so none can start first.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { a: "./peer.json5", b: "./peer.json5" },
  bindings: [
    { to: "#b.peer", from: "#a.api" },
    { to: "#a.peer", from: "#b.api" },
  ],
}
-- peer.json5 --
{
  manifest_version: "0.3.0",
  slots: { peer: { kind: "http" } },
  provides: { api: { kind: "http", endpoint: "api" } },
  program: {
    path: "/bin/peer",
    args: ["--peer=${slots.peer.url}"],
    network: { endpoints: [{ name: "api", port: 80 }] },
  },
  exports: { api: "provides.api" },
}
`,
		Fix: "Remove a binding of the cycle, or make one `weak: true`.",
	})

	DuplicateBindingTarget = define(Info{
		Code:     "linker::duplicate_binding_target",
		Severity: diag.Error,
		Doc:      "A singular slot is bound more than once.",
		Trigger:  "Two bindings into the same slot, which is not declared `multiple: true`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
  components: { app: "./app.json5" },
  bindings: [
    { to: "#app.db", from: "slots.db", weak: true },
    { to: "#app.db", from: "slots.db", weak: true },
  ],
}
-- app.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http" } },
  program: { path: "/bin/app", args: ["--db=${slots.db.url}"] },
}
`,
		Fix: "Remove one binding, or declare the slot `multiple: true`.",
	})

	UnknownSlot = define(Info{
		Code:     "linker::unknown_slot",
		Severity: diag.Error,
		Doc:      "A binding targets a slot the child does not declare.",
		Trigger:  "A binding `to: \"#<child>.<slot>\"` where the child's manifest has no such slot.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http", optional: true } },
  components: { app: "./app.json5" },
  bindings: [{ to: "#app.database", from: "slots.db", weak: true }],
}
-- app.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http", optional: true } },
  program: { path: "/bin/app", args: ["${slots.db.url}"] },
}
`,
		Fix: "Use one of the slots the help lists, or declare the slot in the child.",
	})

	NotExported = define(Info{
		Code:     "linker::not_exported",
		Severity: diag.Error,
		Doc:      "A binding's source is not exported by the child it names.",
		Trigger:  "A binding `from: \"#<child>.<name>\"` where the child, or a child its export chain goes through, does not export `<name>`.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  components: { db: "./db.json5", app: "./app.json5" },
  bindings: [{ to: "#app.db", from: "#db.api" }],
}
-- db.json5 --
{ manifest_version: "0.3.0" }
-- app.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http", optional: true } },
  program: { path: "/bin/app", args: ["--db=${slots.db.url}"] },
}
`,
		Fix: "Export the capability from the child, or bind another source.",
	})

	TypeMismatch = define(Info{
		Code:     "linker::type_mismatch",
		Severity: diag.Error,
		Doc:      "A binding connects capabilities of different kinds or profiles.",
		Trigger:  "A binding whose source capability's `kind` or `profile` differs from the target slot's.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  slots: { llm: { kind: "llm", optional: true } },
  components: { app: "./app.json5" },
  bindings: [{ to: "#app.db", from: "slots.llm", weak: true }],
}
-- app.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http", optional: true } },
  program: { path: "/bin/app", args: ["--db=${slots.db.url}"] },
}
`,
		Fix: "Bind a capability of the slot's type, or change `kind`/`profile` so they match.",
	})

	SlotRangeMismatch = define(Info{
		Code:     "linker::slot_range_mismatch",
		Severity: diag.Error,
		Doc:      "A binding may deliver more or fewer capabilities than the target slot accepts.",
		Trigger: "Forwarding an optional slot into a required one, or a `multiple` slot into a singular " +
			"one: the source's range (0..1, 0..*, …) must fit the target's.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  slots: { dbs: { kind: "http", optional: true, multiple: true } },
  components: { app: "./app.json5" },
  bindings: [{ to: "#app.db", from: "slots.dbs", weak: true }],
}
-- app.json5 --
{
  manifest_version: "0.3.0",
  slots: { db: { kind: "http", optional: true } },
  program: { path: "/bin/app", args: ["--db=${slots.db.url}"] },
}
`,
		Fix: "Adjust `optional`/`multiple` on the source or target slot, or make the binding weak.",
	})

	UnsupportedProgram = define(Info{
		Code:     "linker::unsupported_program",
		Severity: diag.Error,
		Doc:      "A program cannot be lowered for running.",
		Trigger: "A program Amber cannot turn into a runnable command: an entrypoint read from a `{ file }` " +
			"with an unclosed quote, or a file reference that cannot be read when the program is lowered. " +
			"Manifest validation reads and checks every `{ file }` text first (`manifest::unclosed_quote`, " +
			"`manifest::program_file_reference`), so only a file that changes in between reaches lowering so.",
		ProseExample: "An entrypoint `{ file: \"./cmd.txt\" }` whose file passes validation and then, before " +
			"the program is lowered, is rewritten to `sh -c 'echo unclosed`.",
		Fix: "Close the quote, or fix the reference.",
	})

	UnsupportedProgramMount = define(Info{
		Code:     "linker::unsupported_program_mount",
		Severity: diag.Error,
		Doc:      "A program mount cannot be lowered for running.",
		Trigger: "A mount that is only valid once config is known and is not: a resource or slot mount " +
			"behind a `when` on config only the run decides (root config that the root's `config_schema` " +
			"neither requires nor gives a default), a source that renders to something unknown, or two " +
			"mounts on the same path after expansion.",
		Example: `
{
  manifest_version: "0.3.0",
  config_schema: { type: "object", properties: { persist: { type: "boolean" } } },
  resources: { data: { kind: "storage" } },
  program: {
    path: "/bin/app",
    mounts: [{ when: "config.persist", path: "/data", from: "resources.data" }],
  },
}
`,
		Fix: "Make the mount unconditional, or condition it on config the parent sets statically or " +
			"that the root's `config_schema` requires or gives a default.",
	})

	UnsupportedProgramEndpoint = define(Info{
		Code:     "linker::unsupported_program_endpoint",
		Severity: diag.Error,
		Doc:      "A program endpoint cannot be lowered for running.",
		Trigger: "An endpoint that must be known when linking and is not: a `when` or `each` on a slot or " +
			"on config only the run decides (root config that the root's `config_schema` neither requires " +
			"nor gives a default), a name, port or protocol that does not render, or a duplicate name " +
			"after expansion.",
		Example: `
{
  manifest_version: "0.3.0",
  slots: { upstream: { kind: "http", optional: true } },
  provides: { web: { kind: "http", endpoint: "web" } },
  program: {
    path: "/bin/app",
    args: ["${slots.upstream.url}"],
    network: { endpoints: [{ name: "web", port: 80, when: "slots.upstream" }] },
  },
  exports: { web: "provides.web" },
}
`,
		Fix: "Make the endpoint unconditional, or condition it on config the parent sets statically or " +
			"that the root's `config_schema` requires or gives a default.",
	})

	TooManyInstances = define(Info{
		Code:     "amber_lsp::too_many_instances",
		Severity: diag.Error,
		Doc:      "The component tree has more component instances than amber-lsp links.",
		Trigger: "A tree whose manifests instantiate other manifests so many times over that it holds more " +
			"component instances (children, `use` entries and child template manifests, counted as they are " +
			"resolved) than the limit: 100,000 unless `--max-instances` or `amber.limits.instances` says " +
			"otherwise. Thirty files that each name the next twice make a billion instances; the link stops " +
			"at the reference that crosses the limit, before the memory is spent.",
		Example: `
-- scenario.json5 --
{ manifest_version: "0.3.0", components: { a: "./l1.json5", b: "./l1.json5", c: "./l1.json5", d: "./l1.json5", e: "./l1.json5", f: "./l1.json5", g: "./l1.json5", h: "./l1.json5", i: "./l1.json5", j: "./l1.json5" } }
-- l1.json5 --
{ manifest_version: "0.3.0", components: { a: "./l2.json5", b: "./l2.json5", c: "./l2.json5", d: "./l2.json5", e: "./l2.json5", f: "./l2.json5", g: "./l2.json5", h: "./l2.json5", i: "./l2.json5", j: "./l2.json5" } }
-- l2.json5 --
{ manifest_version: "0.3.0", components: { a: "./l3.json5", b: "./l3.json5", c: "./l3.json5", d: "./l3.json5", e: "./l3.json5", f: "./l3.json5", g: "./l3.json5", h: "./l3.json5", i: "./l3.json5", j: "./l3.json5" } }
-- l3.json5 --
{ manifest_version: "0.3.0", components: { a: "./l4.json5", b: "./l4.json5", c: "./l4.json5", d: "./l4.json5", e: "./l4.json5", f: "./l4.json5", g: "./l4.json5", h: "./l4.json5", i: "./l4.json5", j: "./l4.json5" } }
-- l4.json5 --
{ manifest_version: "0.3.0", components: { a: "./l5.json5", b: "./l5.json5", c: "./l5.json5", d: "./l5.json5", e: "./l5.json5", f: "./l5.json5", g: "./l5.json5", h: "./l5.json5", i: "./l5.json5", j: "./l5.json5" } }
-- l5.json5 --
{ manifest_version: "0.3.0" }
`,
		Fix: "Instantiate a shared manifest once and bind or export its capabilities instead of repeating it " +
			"at every level; or, for a tree that really is this large, raise the limit.",
	})

	RemoteNotFetched = define(Info{
		Code:     "amber_lsp::remote_not_fetched",
		Severity: diag.Info,
		Doc:      "A remote manifest was not fetched, as the settings ask.",
		Trigger: "A child, `use` entry or child template naming an `http` or `https` URL that the fetch " +
			"policy does not let amber-lsp fetch: `http` URLs under the default (`amber.remote.fetch: \"https\"`), " +
			"and every URL with `amber.remote.fetch: false` or `--offline`. A reference pinned with a digest whose " +
			"content is in the cache is served from it without the network and is not reported. The rest of the " +
			"tree is still checked; the component is opaque: nothing is said about its slots, exports or config, " +
			"and no scenario is built.",
		Example: `
{
  manifest_version: "0.3.0",
  components: { db: "http://example.com/db.json5" },
}
`,
		Fix: "Nothing, if this is what you want. To check the remote manifest, allow the fetch " +
			"(`amber.remote.fetch: \"all\"` or `--remote-fetch all` for `http` URLs, or drop `--offline`), or pin " +
			"it with a digest once it is in the cache.",
	})
)
