package analysis

// kindDocs says in one line what each capability kind is (manifest.md §9).
var kindDocs = map[string]string{
	"mcp":       "a Model Context Protocol server: tools and resources for agents, reached at a URL",
	"llm":       "a large language model API, reached at a URL",
	"http":      "a plain HTTP service, reached at a URL",
	"a2a":       "an Agent2Agent (A2A) protocol endpoint, reached at a URL",
	"component": "the power to create components at run time (`framework.component`; `child_templates` need a slot of this kind)",
	"docker":    "access to a Docker engine (`framework.docker`, needs experimental feature `docker`)",
	"kvm":       "access to KVM virtual machines (`framework.kvm`, needs experimental feature `kvm`)",
	"storage":   "a storage volume, mounted with `program.mounts` (`from: \"slots.<slot>\"` or `\"resources.<name>\"`), not read as a URL",
}

// capabilityKinds lists the kinds in Amber's order.
var capabilityKinds = []string{"mcp", "llm", "http", "component", "docker", "a2a", "storage", "kvm"}

// frameworkDocs says what each framework capability gives.
var frameworkDocs = map[string]string{
	"component": "lets the component create children at run time (kind `component`)",
	"docker":    "gives access to the Docker engine (kind `docker`; needs experimental feature `docker`)",
	"kvm":       "gives access to KVM (kind `kvm`; needs experimental feature `kvm`)",
}

// frameworkNames lists the framework capabilities in Amber's order.
var frameworkNames = []string{"component", "docker", "kvm"}

// keySets lists the keys of each kind of record (manifest.md §3.3), for
// completion.
var keySets = map[string][]string{
	"root":         {"manifest_version", "experimental_features", "program", "components", "use", "environments", "config_schema", "slots", "provides", "resources", "child_templates", "bindings", "overlays", "exports", "metadata"},
	"program":      {"image", "path", "vm", "entrypoint", "args", "env", "network", "mounts"},
	"vm":           {"image", "cpus", "memory_mib", "network", "mounts", "cloud_init"},
	"cloud_init":   {"user_data", "vendor_data"},
	"network":      {"endpoints"},
	"vm.network":   {"endpoints", "egress"},
	"endpoint":     {"when", "each", "name", "port", "protocol"},
	"mount":        {"when", "each", "name", "path", "from"},
	"arg":          {"when", "each", "arg", "argv", "join"},
	"env":          {"when", "each", "value", "join"},
	"slot":         {"kind", "profile", "optional", "multiple"},
	"provide":      {"kind", "profile", "endpoint"},
	"resource":     {"kind", "params"},
	"params":       {"size", "retention", "sharing"},
	"environment":  {"extends", "resolvers"},
	"component":    {"manifest", "config", "environment"},
	"manifest-ref": {"url", "digest"},
	"binding":      {"to", "slot", "from", "capability", "weak"},
	"template":     {"manifest", "config", "bindings", "visible_exports", "limits", "possible_backends"},
	"limits":       {"max_live_children", "name_pattern"},
	"file-ref":     {"file"},
}

// keyDocs describes the top-level sections, shown as completion details.
var keyDocs = map[string]string{
	"manifest_version":      "the manifest format version, e.g. \"0.4.0\"",
	"experimental_features": "opt-in features: \"docker\", \"kvm\"",
	"program":               "what the component runs: image, path or vm",
	"components":            "child components: name -> manifest reference",
	"use":                   "helper components for overlays: name -> manifest reference",
	"environments":          "manifest resolution environments",
	"config_schema":         "JSON Schema of the component's config",
	"slots":                 "capabilities the component needs, bound by its parent",
	"provides":              "capabilities the component's program serves",
	"resources":             "resources the component owns (storage)",
	"child_templates":       "templates of children created at run time",
	"bindings":              "wiring: which source each child slot receives",
	"overlays":              "scenario overlays: \"#<use>.<export>\"",
	"exports":               "capabilities offered to the parent: name -> target",
	"metadata":              "free-form data, passed through",
}
