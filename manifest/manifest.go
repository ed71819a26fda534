// Package manifest is the typed view of an Amber component manifest over its
// JSON5 syntax tree, with Amber's parse-time validation and manifest lints.
//
// Every typed value keeps the syntax node it was decoded from (and, for table
// entries, the key), so diagnostics, hovers and definitions can point at the
// exact text. Decoding never stops at the first problem: each shape error is
// recorded and decoding carries on with the next field.
//
// An editor analyzes every version of a file: given the Result of the
// version before (Options.Previous), AnalyzeWith decodes only the entries
// of the big sections (`components`, `bindings`, `exports`, ...) whose
// text the edit changed, and takes the others from that Result, moved onto
// the new syntax tree; validation and lints run whole. The Result is the
// one a fresh analysis returns (reuse.go).
package manifest

import "github.com/amberlsp/amber-lsp/manifest/json5"

// Str is a string value and the node it was read from.
type Str struct {
	Value string      // the decoded string
	Node  *json5.Node // the string node, with its span in the source
}

// Entry is the common part of a named table entry (`components.x`,
// `slots.x`, ...): its name, key token and value node.
type Entry struct {
	Name string      // the decoded key
	Key  json5.Key   // the key token, whose span includes any quotes
	Node *json5.Node // the entry's value
}

// Manifest is the typed view of one manifest file. Tables keep source order;
// Amber iterates them in sorted order, which validation does itself. The
// tables and lists hold the entries that decoded: one with a shape error is
// left out.
type Manifest struct {
	Root *json5.Node // the root value; when it is not an object the other fields are empty

	Version              *Str             // `manifest_version`; nil when absent or not SemVer (validation checks the range)
	ExperimentalFeatures []Str            // `experimental_features`: the known features (`docker`, `kvm`)
	Program              *Program         // `program`; nil when absent, null or not decoded
	ProgramKey           json5.Key        // the `program` key; zero when `program` is absent or null
	Components           []*ComponentDecl // `components`: the child instances
	Use                  []*ComponentDecl // `use`: the scenario helpers that `overlays` name
	Environments         []*Environment   // `environments`
	ConfigSchema         *json5.Node      // nil when absent or null
	Slots                []*Slot          // `slots`: the capabilities the parent binds in
	Provides             []*Provide       // `provides`: the capabilities the program serves
	Resources            []*Resource      // `resources`: the component's own storage
	ChildTemplates       []*ChildTemplate // `child_templates`: dynamic children
	Bindings             []*Binding       // `bindings`, in array order
	Overlays             []Str            // `overlays` (or the draft `policies`): the references as written
	Exports              []*Export        // `exports`
	Metadata             *json5.Node      // `metadata`: any JSON, passed through; nil when absent or null

	// keys of the root members, for spans of section keys ("use", "program").
	sectionKeys map[string]json5.Key
	// components indexes Components by name (set by decode; shared with
	// the manifest of an earlier version whose children have the same
	// names in the same order).
	components map[string]int32
}

// Component returns the child declared under name in `components`, or nil.
func (m *Manifest) Component(name string) *ComponentDecl {
	if m.components != nil {
		if i, ok := m.components[name]; ok {
			return m.Components[i]
		}
		return nil
	}
	for _, c := range m.Components {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// SectionKey returns the key token of a top-level section, if present.
func (m *Manifest) SectionKey(name string) (json5.Key, bool) {
	k, ok := m.sectionKeys[name]
	return k, ok
}

// HasFeature reports whether experimental_features lists name.
func (m *Manifest) HasFeature(name string) bool {
	for _, f := range m.ExperimentalFeatures {
		if f.Value == name {
			return true
		}
	}
	return false
}

// ComponentDecl is an entry of `components` or `use`.
type ComponentDecl struct {
	Entry
	Manifest    Str         // the manifest reference (URL or relative path)
	Digest      *Str        // `sha256:...` when given
	Config      *json5.Node // `config` of the object form: any JSON; nil when absent or null
	Environment *Str        // `environment` of the object form: an `environments` name; nil when absent or null
}

// Environment is an entry of `environments`.
type Environment struct {
	Entry
	Extends   *Str  // `extends`: the environment this one builds on; nil when absent or null
	Resolvers []Str // `resolvers`: resolver names, opaque to Amber (the host reads them)
}

// Slot is an entry of `slots`.
type Slot struct {
	Entry
	Kind     Str  // `kind`: the capability kind (`http`, `llm`, `storage`, ...)
	Profile  *Str // `profile`, which a bound source must match as well as `kind`; nil when absent or null
	Optional bool // `optional: true`: the parent may leave the slot unbound
	Multiple bool // `multiple: true`: the slot takes several bindings (fan-in, read with `each`)
}

// Provide is an entry of `provides`.
type Provide struct {
	Entry
	Kind     Str  // `kind`: the capability kind
	Profile  *Str // `profile` (`overlay` for an overlay export); nil when absent or null
	Endpoint *Str // `endpoint`: the name of the program endpoint that serves it; nil when absent or null
}

// Resource is an entry of `resources`.
type Resource struct {
	Entry
	Kind                     Str  // `kind`: a capability kind; validation accepts only `storage`
	Size, Retention, Sharing *Str // `params.size`, `.retention`, `.sharing` (interpolated); nil when absent or null
}

// ChildTemplate is an entry of `child_templates`.
type ChildTemplate struct {
	Entry
	Manifests      []Str             // the scalar form gives one ref; nil when absent
	ManifestArray  bool              // `manifest` was written as an array
	Config         *json5.Node       // `config`: the created children's config, an object; nil when absent or null
	Bindings       []TemplateBinding // `bindings`, in source order
	VisibleExports []Str             // `visible_exports`: the created children's exports made visible
}

// TemplateBinding is an entry of `child_templates.*.bindings`.
type TemplateBinding struct {
	Slot     string    // the key: a slot name of the created child
	Key      json5.Key // the key token
	Selector Str       // the realm selector bound to it (`slots.<n>`, `children.<c>.exports.<e>`, ...)
}

// RefKind says what a binding or export reference names.
type RefKind int

// Reference kinds.
const (
	RefNone      RefKind = iota
	RefSelf              // `self`: the current component (legacy for sources)
	RefChild             // `#name`
	RefFramework         // `framework`
	RefResources         // `resources`
	RefSlots             // `slots`
	RefProvides          // `provides`
)

// Binding is an element of `bindings`, in either form.
type Binding struct {
	Index int         // the element's index in `bindings`, counting the elements that did not decode
	Node  *json5.Node // the binding object

	// To, Slot, From and Capability are the string fields as written; nil
	// when absent or null.
	To, Slot, From, Capability *Str
	Weak                       bool // `weak: true`: the binding does not order start-up

	// Mixed is set when explicit `slot`/`capability` fields are combined with
	// a dotted `to` or `from`.
	Mixed bool
	// Dot is set for the dot form (`to: "#c.slot", from: "#d.export"`).
	Dot bool

	Target     RefKind // RefSelf or RefChild
	TargetName string  // child name for RefChild
	SlotName   string  // the target slot: `slot`, or what follows the `.` of `to`; "" when Mixed
	Source     RefKind // what `from` names; RefNone when Mixed
	SourceName string  // child name for RefChild
	SourceCap  string  // the capability / export / slot / provide name
}

// ExportKind says what an export target names.
type ExportKind int

// Export target kinds.
const (
	ExportBare    ExportKind = iota // `name`: a local provide or slot
	ExportSlot                      // `slots.name`
	ExportProvide                   // `provides.name`
	ExportSelf                      // `self.name` (legacy)
	ExportChild                     // `#child.export`
)

// Export is an entry of `exports`.
type Export struct {
	Entry
	Target     Str        // the target string as written
	Kind       ExportKind // what Target names
	Child      string     // the child name for ExportChild; "" otherwise
	Capability string     // the bare target, or the name after its `.`
}

// Program is the `program` section.
type Program struct {
	Node       *json5.Node // the `program` object
	Image      *StringSpec // `image`: the container image to run; nil unless an image program
	Path       *StringSpec // `path`: the executable to run on the host; nil unless a path program
	VM         *VM         // `vm`; nil unless a VM program
	Entrypoint *Command    // nil when absent
	Args       *Command    // nil when absent
	Env        []*EnvVar   // `env`, in source order
	EnvNode    *json5.Node // the `env` object; nil when absent
	Network    *Network    // `network` (image and path programs); nil when absent or null
	Mounts     []*Mount    // `mounts` (image and path programs)
}

// StringSpec is an inline string or a `{ file: "..." }` reference.
type StringSpec struct {
	Node *json5.Node // the string, or the `{ file }` object
	Text string      // the inline text, when File is nil
	File *Str        // the referenced path
}

// Command is an `entrypoint` or `args` value.
type Command struct {
	Node  *json5.Node // the value: a string, a `{ file }` object, an array or null
	Shell *Str        // the shell-string form
	File  *Str        // the `{ file }` form
	Items []*ArgItem  // the elements of the array form
	Words []Word      // the shell string split into words
}

// Word is one word of a shell string with its byte range in the decoded text.
type Word struct {
	Text       string // the word after quote removal and escapes
	Start, End int    // the word as written, quotes included
}

// ArgItem is one element of an argument array.
type ArgItem struct {
	Node *json5.Node // the element
	// Plain is set for a string or `{ file }` element.
	Plain *StringSpec
	When  *Str        // `when`: the item is dropped when this path is absent or null; nil when not given
	Each  *Str        // `each`: the item is repeated per element of this config array or multiple slot; nil when not given
	Join  *Str        // `join`: the separator that joins the `each` repetitions of `arg` into one argument
	Arg   *StringSpec // `arg`: one argument
	Argv  *Command    // `argv`: several arguments (a shell string, `{ file }` or array)
}

// EnvVar is an entry of `program.env`.
type EnvVar struct {
	Entry
	Value *StringSpec // the string, the `{ file }` reference, or `value` of the object form
	When  *Str        // `when`: the variable is left out when this path is absent or null; nil when not given
	Each  *Str        // `each`: the value is built from each element of this config array or multiple slot; nil when not given
	Join  *Str        // `join`: the separator between the values built by `each` (required with it)
	// Object is set for the `{ value, when?, each?, join? }` form.
	Object bool
}

// Network is `program.network` or `program.vm.network`.
type Network struct {
	Node      *json5.Node // the `network` object
	Endpoints []*Endpoint // `endpoints`
	Egress    *Str        // `egress` of `vm.network`: `none` or `optional`; nil when absent (Amber's default is `none`)
}

// Endpoint is an element of `network.endpoints`.
type Endpoint struct {
	Node     *json5.Node // the endpoint object
	When     *Str        // `when`: the endpoint is dropped when this path is absent or null; nil when not given
	Each     *Str        // `each`: the endpoint is repeated per element of this config array or multiple slot; nil when not given
	Name     Str         // `name` (interpolated), which a provide's `endpoint` names
	Port     *json5.Node // `port`: an integer 0-65535, or an interpolated string checked at link time
	Protocol *Str        // `protocol` (interpolated; the linker accepts `http`, `https`, `tcp`); nil when absent, meaning `http`
}

// Mount is an element of `mounts`.
type Mount struct {
	Node *json5.Node // the mount object
	When *Str        // `when`: the mount is dropped when this path is absent or null; nil when not given
	Each *Str        // `each`: the mount is repeated per element of this config array or multiple slot; nil when not given
	Name *Str        // `name` (interpolated); nil when absent or null
	Path Str         // `path` (interpolated): the absolute path it is mounted at
	From Str         // `from` (interpolated): `config[.<path>]`, `slots.<s>`, `resources.<r>` or `framework.<c>`
}

// VM is `program.vm`.
type VM struct {
	Node       *json5.Node // the `vm` object
	Image      *StringSpec // `image`: the disk image the VM boots
	CPUs       *json5.Node // `cpus`: a non-negative integer or an interpolated string
	MemoryMiB  *json5.Node // `memory_mib`: the guest memory in MiB, as for CPUs
	Network    *Network    // `network`; nil when absent or null
	Mounts     []*Mount    // `mounts`
	UserData   *StringSpec // `cloud_init.user_data`; nil when absent or null
	VendorData *StringSpec // `cloud_init.vendor_data`; nil when absent or null
}
