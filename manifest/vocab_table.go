package manifest

// The manifest vocabulary table (manifest.md §3.3, §4-§10). Field lists are
// in Amber's declaration order: the decoder prints them in that order in
// "unknown field" messages.

// Names of the records.
const (
	RecordRoot          = "root"
	RecordProgram       = "program"
	RecordVM            = "vm"
	RecordCloudInit     = "cloud_init"
	RecordNetwork       = "network"    // `program.network`
	RecordVMNetwork     = "vm_network" // `program.vm.network`
	RecordEndpoint      = "endpoint"
	RecordMount         = "mount"
	RecordArgItem       = "arg_item" // an object item of `entrypoint` / `args`
	RecordFileRef       = "file_ref" // `{ file }`
	RecordEnvValue      = "env_value"
	RecordSlot          = "slot"
	RecordProvide       = "provide"
	RecordResource      = "resource"
	RecordParams        = "params" // `resources.*.params`
	RecordEnvironment   = "environment"
	RecordComponent     = "component" // a `components` or `use` entry with `manifest`
	RecordManifestRef   = "manifest_ref"
	RecordBinding       = "binding"
	RecordChildTemplate = "child_template"
	RecordLimits        = "limits" // `child_templates.*.limits`
)

// Names of the enums.
const (
	EnumCapabilityKind      = "capability_kind"
	EnumExperimentalFeature = "experimental_feature"
	EnumBackend             = "backend"
	EnumEgress              = "egress"
	EnumProtocol            = "protocol"
	EnumFramework           = "framework"
)

// Manifest versions: the oldest Amber accepts and the newest it knows.
const (
	OldestVersion = "0.1.0"
	NewestVersion = "0.4.0"
)

// Forms, as the table writes them.
var (
	stringForm      = Form{Shape: ShapeString}
	boolForm        = Form{Shape: ShapeBool}
	integerForm     = Form{Shape: ShapeInteger}
	placeholderRefs = []Symbol{SymConfig, SymSlot}
	interpForm      = Form{Shape: ShapeInterpolated, Syntax: SyntaxInterpolation, Refs: placeholderRefs}
	shellForm       = Form{Shape: ShapeShell, Syntax: SyntaxInterpolation, Refs: placeholderRefs}
	fileForm        = Form{Shape: ShapeRecord, Record: RecordFileRef, Key: "file"}
	manifestRefForm = Form{Shape: ShapeString, Syntax: SyntaxManifest, Refs: []Symbol{SymManifest}}
	refObjectForm   = Form{Shape: ShapeRecord, Record: RecordManifestRef}
	// textValue is an inline string or a `{ file }` (manifest.md §6.2).
	textValue = Value{interpForm, fileForm}
	// commandValue is `entrypoint` / `args` (§6.3).
	commandValue = Value{shellForm, fileForm, arrayOf(interpForm, fileForm, recordForm(RecordArgItem))}
	// componentValue is an entry of `components` or `use` (§5.2).
	componentValue = Value{manifestRefForm, {Shape: ShapeRecord, Record: RecordComponent, Key: "manifest"}, refObjectForm}
	whenValue      = Value{{Shape: ShapeString, Syntax: SyntaxWhen, Refs: placeholderRefs}}
	eachValue      = Value{{Shape: ShapeString, Syntax: SyntaxEach, Refs: placeholderRefs}}
)

func just(f Form) Value                 { return Value{f} }
func recordForm(n string) Form          { return Form{Shape: ShapeRecord, Record: n} }
func enumForm(n string) Form            { return Form{Shape: ShapeEnum, Enum: n} }
func arrayOf(elem ...Form) Form         { return Form{Shape: ShapeArray, Elem: elem} }
func tableOf(elem ...Form) Form         { return Form{Shape: ShapeTable, Elem: elem} }
func nameRef(to ...Symbol) Form         { return Form{Shape: ShapeString, Syntax: SyntaxName, Refs: to} }
func refTo(s Syntax, to ...Symbol) Form { return Form{Shape: ShapeString, Syntax: s, Refs: to} }

var records = []*RecordSpec{
	{Name: RecordRoot, Title: "the manifest", Doc: "an Amber component manifest", Fields: []FieldSpec{
		{Name: "manifest_version", Required: true, Value: just(stringForm), Doc: "the manifest format version, e.g. \"0.4.0\""},
		{Name: "experimental_features", Value: just(arrayOf(enumForm(EnumExperimentalFeature))), Doc: "opt-in features: \"docker\", \"kvm\""},
		{Name: "program", Value: just(recordForm(RecordProgram)), Doc: "what the component runs: image, path or vm"},
		{Name: "components", Value: just(tableOf(componentValue...)), Declares: SymChild, Doc: "child components: name -> manifest reference"},
		{Name: "use", Since: "0.4.0", Value: just(tableOf(componentValue...)), Declares: SymUse, Doc: "helper components for overlays: name -> manifest reference"},
		{Name: "environments", Value: just(tableOf(recordForm(RecordEnvironment))), Declares: SymEnvironment, Doc: "manifest resolution environments"},
		{Name: "config_schema", Value: just(Form{Shape: ShapeSchema}), Doc: "JSON Schema of the component's config"},
		{Name: "slots", Value: just(tableOf(recordForm(RecordSlot))), Declares: SymSlot, Doc: "capabilities the component needs, bound by its parent"},
		{Name: "provides", Value: just(tableOf(recordForm(RecordProvide))), Declares: SymProvide, Doc: "capabilities the component's program serves"},
		{Name: "resources", Value: just(tableOf(recordForm(RecordResource))), Declares: SymResource, Doc: "resources the component owns (storage)"},
		{Name: "child_templates", Value: just(tableOf(recordForm(RecordChildTemplate))), Declares: SymTemplate, Doc: "templates of children created at run time"},
		{Name: "bindings", Value: just(arrayOf(recordForm(RecordBinding))), Doc: "wiring: which source each child slot receives"},
		{Name: "overlays", Since: "0.4.0", Value: just(arrayOf(refTo(SyntaxOverlay, SymUse, SymExport))), Doc: "scenario overlays: \"#<use>.<export>\""},
		{Name: "exports", Value: just(tableOf(refTo(SyntaxExportTarget, SymSlot, SymProvide, SymChild, SymExport))), Declares: SymExport, Doc: "capabilities offered to the parent: name -> target"},
		{Name: "metadata", Value: just(Form{Shape: ShapeJSON}), Doc: "free-form data, passed through"},
	}},
	{Name: RecordProgram, Title: "the program", Doc: "what the component runs: exactly one of `image`, `path` or `vm`", Fields: []FieldSpec{
		{Name: "image", Value: textValue, Doc: "the container image to run (an image program)"},
		{Name: "path", Value: textValue, Doc: "the executable to run on the host (a path program)"},
		{Name: "vm", Value: just(recordForm(RecordVM)), Doc: "the virtual machine to boot (a vm program)"},
		{Name: "entrypoint", Value: commandValue, Doc: "the command of an image program: a shell-style string, a `{ file }` or an array of arguments"},
		{Name: "args", Value: commandValue, Doc: "the command of a path program: a shell-style string, a `{ file }` or an array of arguments"},
		{Name: "env", Value: just(tableOf(interpForm, fileForm, recordForm(RecordEnvValue))), Declares: SymEnvVar, Doc: "environment variables of the program: name -> value"},
		{Name: "network", Value: just(recordForm(RecordNetwork)), Doc: "the endpoints the program listens on (a vm program uses `vm.network`)"},
		{Name: "mounts", Value: just(arrayOf(recordForm(RecordMount))), Doc: "what is mounted into the program's file system (a vm program uses `vm.mounts`)"},
	}},
	{Name: RecordVM, Title: "a VM", Doc: "the virtual machine of a vm program", Fields: []FieldSpec{
		{Name: "image", Required: true, Value: textValue, Doc: "the disk image the VM boots"},
		{Name: "cpus", Required: true, Value: Value{integerForm, interpForm}, Doc: "the number of virtual CPUs: a positive integer or an interpolated string"},
		{Name: "memory_mib", Required: true, Value: Value{integerForm, interpForm}, Doc: "the memory in MiB: a positive integer or an interpolated string"},
		{Name: "network", Value: just(recordForm(RecordVMNetwork)), Doc: "the endpoints the VM listens on, and its egress"},
		{Name: "mounts", Value: just(arrayOf(recordForm(RecordMount))), Doc: "what is mounted into the VM"},
		{Name: "cloud_init", Value: just(recordForm(RecordCloudInit)), Doc: "cloud-init data given to the VM at boot"},
	}},
	{Name: RecordCloudInit, Title: "cloud-init data", Doc: "cloud-init data given to the VM at boot", Fields: []FieldSpec{
		{Name: "user_data", Value: textValue, Doc: "cloud-init user data (inline text is interpolated, a `{ file }` is not)"},
		{Name: "vendor_data", Value: textValue, Doc: "cloud-init vendor data (inline text is interpolated, a `{ file }` is not)"},
	}},
	{Name: RecordNetwork, Title: "a network", Doc: "the network of an image or path program", Fields: []FieldSpec{
		{Name: "endpoints", Value: just(arrayOf(recordForm(RecordEndpoint))), Doc: "the endpoints the program listens on"},
	}},
	{Name: RecordVMNetwork, Title: "a VM network", Doc: "the network of a VM", Fields: []FieldSpec{
		{Name: "endpoints", Value: just(arrayOf(recordForm(RecordEndpoint))), Doc: "the endpoints the VM listens on"},
		{Name: "egress", Value: just(enumForm(EnumEgress)), Doc: "outbound network access of the VM: `none` (the default) or `optional`"},
	}},
	{Name: RecordEndpoint, Title: "an endpoint", Doc: "a port the program listens on, which provides name", Fields: []FieldSpec{
		{Name: "when", Since: "0.2.0", Value: whenValue, Doc: "keep the endpoint only when this config or slot path is present"},
		{Name: "each", Since: "0.3.0", Value: eachValue, Doc: "repeat the endpoint for each element of this config array or multiple slot"},
		{Name: "name", Required: true, Value: just(interpForm), Declares: SymEndpoint, Doc: "the endpoint's name, which provides refer to"},
		{Name: "port", Required: true, Value: Value{integerForm, interpForm}, Doc: "the port: an integer from 0 to 65535 or an interpolated string"},
		{Name: "protocol", Value: just(Form{Shape: ShapeInterpolated, Syntax: SyntaxInterpolation, Refs: placeholderRefs, Enum: EnumProtocol}), Doc: "`http` (the default), `https` or `tcp`"},
	}},
	{Name: RecordMount, Title: "a mount", Doc: "something mounted into the program's file system", Fields: []FieldSpec{
		{Name: "when", Since: "0.2.0", Value: whenValue, Doc: "keep the mount only when this config or slot path is present"},
		{Name: "each", Since: "0.3.0", Value: eachValue, Doc: "repeat the mount for each element of this config array or multiple slot"},
		{Name: "name", Value: just(interpForm), Declares: SymMount, Doc: "a name for the mount, unique among the unconditional mounts"},
		{Name: "path", Required: true, Value: just(interpForm), Doc: "the absolute path it is mounted at"},
		{Name: "from", Required: true, Value: just(Form{Shape: ShapeInterpolated, Syntax: SyntaxMountSource, Refs: []Symbol{SymConfig, SymSlot, SymResource, SymFramework}}),
			Doc: "what is mounted: `config[.<path>]`, `slots.<slot>`, `resources.<resource>` or `framework.<capability>`"},
	}},
	{Name: RecordArgItem, Title: "an argument item", Doc: "a conditional or repeated part of a command", Fields: []FieldSpec{
		{Name: "when", Since: "0.2.0", Value: whenValue, Doc: "keep the argument(s) only when this config or slot path is present"},
		{Name: "each", Since: "0.3.0", Value: eachValue, Doc: "repeat `arg` or `argv` for each element of this config array or multiple slot"},
		{Name: "arg", Value: textValue, Doc: "one argument: an interpolated string or a `{ file }`"},
		{Name: "argv", Value: Value{shellForm, fileForm, arrayOf(interpForm, fileForm)}, Doc: "several arguments: a shell-style string, a `{ file }` or an array of strings"},
		{Name: "join", Value: just(stringForm), Doc: "with `each` and `arg`: join the repeated arguments into one, with this separator"},
	}},
	{Name: RecordFileRef, Title: "a `{ file }` reference", Doc: "text read from a file beside the manifest", Fields: []FieldSpec{
		{Name: "file", Required: true, Value: just(refTo(SyntaxFile, SymFile)), Doc: "the file whose content is used, relative to this manifest"},
	}},
	{Name: RecordEnvValue, Title: "an environment value", Doc: "a conditional or repeated environment variable", Fields: []FieldSpec{
		{Name: "when", Since: "0.2.0", Value: whenValue, Doc: "set the variable only when this config or slot path is present"},
		{Name: "each", Since: "0.3.0", Value: eachValue, Doc: "build the value from each element of this config array or multiple slot (needs `join`)"},
		{Name: "value", Required: true, Value: textValue, Doc: "the value: an interpolated string or a `{ file }`"},
		{Name: "join", Value: just(stringForm), Doc: "with `each`: the separator between the repeated values"},
	}},
	{Name: RecordSlot, Title: "a slot", Doc: "a capability the component needs, bound by its parent", Fields: []FieldSpec{
		{Name: "kind", Required: true, Value: just(enumForm(EnumCapabilityKind)), Doc: "the capability kind the slot receives"},
		{Name: "profile", Value: just(stringForm), Doc: "a profile narrowing the kind (e.g. `overlay`)"},
		{Name: "optional", Value: just(boolForm), Doc: "the parent may leave the slot unbound (default false)"},
		{Name: "multiple", Value: just(boolForm), Doc: "the slot may receive several bindings, expanded with `each` (default false)"},
	}},
	{Name: RecordProvide, Title: "a provide", Doc: "a capability the component's program serves", Fields: []FieldSpec{
		{Name: "kind", Required: true, Value: just(enumForm(EnumCapabilityKind)), Doc: "the capability kind the program serves"},
		{Name: "profile", Value: just(stringForm), Doc: "a profile narrowing the kind (e.g. `overlay`)"},
		{Name: "endpoint", Value: just(nameRef(SymEndpoint)), Doc: "the program endpoint that serves it"},
	}},
	{Name: RecordResource, Title: "a resource", Doc: "a resource the component owns", Fields: []FieldSpec{
		{Name: "kind", Required: true, Value: just(enumForm(EnumCapabilityKind)), Doc: "the resource's capability kind (only `storage` is supported)"},
		{Name: "params", Value: just(recordForm(RecordParams)), Doc: "the storage parameters"},
	}},
	{Name: RecordParams, Title: "resource parameters", Doc: "the parameters of a storage resource", Fields: []FieldSpec{
		{Name: "size", Value: just(interpForm), Doc: "the size of the storage"},
		{Name: "retention", Value: just(interpForm), Doc: "how long the storage is kept"},
		{Name: "sharing", Value: just(interpForm), Doc: "how the storage is shared"},
	}},
	{Name: RecordEnvironment, Title: "an environment", Doc: "a way of resolving manifests", Fields: []FieldSpec{
		{Name: "extends", Value: just(nameRef(SymEnvironment)), Doc: "the environment of this manifest that this one extends"},
		{Name: "resolvers", Value: just(arrayOf(stringForm)), Doc: "the resolvers, named as the host knows them"},
	}},
	{Name: RecordComponent, Title: "a component declaration", Doc: "a child (or `use` helper) with its manifest, config and environment", Fields: []FieldSpec{
		{Name: "manifest", Required: true, Value: Value{manifestRefForm, refObjectForm}, Doc: "the manifest: a URL or a path relative to this manifest, or `{ url, digest }`"},
		{Name: "config", Value: just(Form{Shape: ShapeConfig}), Doc: "the component's config, checked against its `config_schema`"},
		{Name: "environment", Value: just(nameRef(SymEnvironment)), Doc: "the environment (of `environments`) that resolves its manifest"},
	}},
	{Name: RecordManifestRef, Title: "a manifest reference", Doc: "a manifest URL with an optional digest", Fields: []FieldSpec{
		{Name: "url", Required: true, Value: just(manifestRefForm), Doc: "the manifest: a URL or a path relative to this manifest"},
		{Name: "digest", Value: just(stringForm), Doc: "the manifest's expected digest: `sha256:` then base64"},
	}},
	{Name: RecordBinding, Title: "a binding", Doc: "feeds a child's slot from a source", Fields: []FieldSpec{
		{Name: "to", Required: true, Value: just(refTo(SyntaxBindingTarget, SymChild, SymSlot)), Doc: "the target: `#<child>.<slot>`, or `#<child>` with `slot`"},
		{Name: "slot", Value: just(nameRef(SymSlot)), Doc: "explicit form: the slot of the `to` child"},
		{Name: "from", Required: true, Value: just(refTo(SyntaxBindingSource, SymChild, SymExport, SymSlot, SymProvide, SymResource, SymFramework)),
			Doc: "the source: `#<child>.<export>`, `slots.<slot>`, `provides.<provide>`, `resources.<resource>` or `framework.<capability>`"},
		{Name: "capability", Value: just(nameRef(SymExport, SymSlot, SymProvide, SymResource, SymFramework)), Doc: "explicit form: the name within the `from` source"},
		{Name: "weak", Value: just(boolForm), Doc: "a weak binding does not order start-up (default false)"},
	}},
	{Name: RecordChildTemplate, Title: "a child template", Doc: "a template of children created at run time", Fields: []FieldSpec{
		{Name: "manifest", Value: Value{manifestRefForm, refObjectForm, arrayOf(manifestRefForm, refObjectForm)}, Doc: "the manifest of created children: one reference, or an array of at least two"},
		{Name: "config", Value: just(Form{Shape: ShapeConfig}), Doc: "the config of created children"},
		{Name: "bindings", Value: just(tableOf(refTo(SyntaxRealmSelector, SymSlot, SymProvide, SymResource, SymChild, SymExport))), Doc: "the created children's slots: slot name -> realm selector"},
		{Name: "visible_exports", Value: just(arrayOf(nameRef(SymExport))), Doc: "the exports of created children that are visible"},
		{Name: "limits", Value: just(recordForm(RecordLimits)), Doc: "limits on the children created"},
		{Name: "possible_backends", Value: just(arrayOf(enumForm(EnumBackend))), Doc: "the backends created children may run on"},
	}},
	{Name: RecordLimits, Title: "child template limits", Doc: "limits on the children of a template", Fields: []FieldSpec{
		{Name: "max_live_children", Value: just(integerForm), Doc: "the most children alive at once"},
		{Name: "name_pattern", Value: just(stringForm), Doc: "the pattern the names of created children match"},
	}},
}

var enums = []*EnumSpec{
	{Name: EnumCapabilityKind, Title: "capability kind", Values: []EnumValue{
		{"mcp", "a Model Context Protocol server: tools and resources for agents, reached at a URL"},
		{"llm", "a large language model API, reached at a URL"},
		{"http", "a plain HTTP service, reached at a URL"},
		{"component", "the power to create components at run time (`framework.component`; `child_templates` need a slot of this kind)"},
		{"docker", "access to a Docker engine (`framework.docker`, needs experimental feature `docker`)"},
		{"a2a", "an Agent2Agent (A2A) protocol endpoint, reached at a URL"},
		{"storage", "a storage volume, mounted with `program.mounts` (`from: \"slots.<slot>\"` or `\"resources.<name>\"`), not read as a URL"},
		{"kvm", "access to KVM virtual machines (`framework.kvm`, needs experimental feature `kvm`)"},
	}},
	{Name: EnumExperimentalFeature, Title: "experimental feature", Values: []EnumValue{
		{"docker", "lets this manifest use `framework.docker`"},
		{"kvm", "lets this manifest use `framework.kvm`"},
	}},
	{Name: EnumBackend, Title: "backend", Values: []EnumValue{
		{"direct", "children run as processes on the host"},
		{"vm", "children run in virtual machines"},
		{"compose", "children run with Docker Compose"},
		{"kubernetes", "children run on Kubernetes"},
	}},
	{Name: EnumEgress, Title: "egress policy", Values: []EnumValue{
		{"none", "no outbound network access (the default)"},
		{"optional", "the VM may be given outbound network access"},
	}},
	{Name: EnumProtocol, Title: "endpoint protocol", Values: []EnumValue{
		{"http", "HTTP (the default)"},
		{"https", "HTTP over TLS"},
		{"tcp", "plain TCP"},
	}},
	{Name: EnumFramework, Title: "framework capability", Values: []EnumValue{
		{"component", "lets the component create children at run time (kind `component`)"},
		{"docker", "gives access to the Docker engine (kind `docker`; needs experimental feature `docker`)"},
		{"kvm", "gives access to KVM (kind `kvm`; needs experimental feature `kvm`)"},
	}},
}

var syntaxKeywords = map[Syntax][]string{
	SyntaxInterpolation: {"config", "slots", "item"},
	SyntaxWhen:          {"config", "slots"},
	SyntaxEach:          {"config", "slots"},
	SyntaxMountSource:   {"config", "slots", "resources", "framework"},
	SyntaxBindingSource: {"slots", "provides", "resources", "framework"},
	SyntaxExportTarget:  {"slots", "provides"},
	SyntaxRealmSelector: {"slots", "provides", "resources", "external", "children"},
}

var (
	recordIndex = indexRecords()
	enumIndex   = indexEnums()
)

// indexRecords fills in what the table leaves implicit and indexes it.
func indexRecords() map[string]*RecordSpec {
	out := make(map[string]*RecordSpec, len(records))
	for _, r := range records {
		r.names = make([]string, len(r.Fields))
		for i := range r.Fields {
			f := &r.Fields[i]
			if f.Since == "" {
				f.Since = OldestVersion
			}
			r.names[i] = f.Name
		}
		out[r.Name] = r
	}
	return out
}

func indexEnums() map[string]*EnumSpec {
	out := make(map[string]*EnumSpec, len(enums))
	for _, e := range enums {
		e.names = make([]string, len(e.Values))
		for i, v := range e.Values {
			e.names[i] = v.Name
		}
		out[e.Name] = e
	}
	return out
}
