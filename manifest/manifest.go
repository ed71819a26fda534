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
	Value string
	Node  *json5.Node
}

// Entry is the common part of a named table entry (`components.x`,
// `slots.x`, ...): its name, key token and value node.
type Entry struct {
	Name string
	Key  json5.Key
	Node *json5.Node
}

// Manifest is the typed view of one manifest file. Tables keep source order;
// Amber iterates them in sorted order, which validation does itself.
type Manifest struct {
	Root *json5.Node

	Version              *Str
	ExperimentalFeatures []Str
	Program              *Program
	ProgramKey           json5.Key
	Components           []*ComponentDecl
	Use                  []*ComponentDecl
	Environments         []*Environment
	ConfigSchema         *json5.Node // nil when absent or null
	Slots                []*Slot
	Provides             []*Provide
	Resources            []*Resource
	ChildTemplates       []*ChildTemplate
	Bindings             []*Binding
	Overlays             []Str
	Exports              []*Export
	Metadata             *json5.Node

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
	Manifest    Str  // the manifest reference (URL or relative path)
	Digest      *Str // `sha256:...` when given
	Config      *json5.Node
	Environment *Str
}

// Environment is an entry of `environments`.
type Environment struct {
	Entry
	Extends   *Str
	Resolvers []Str
}

// Slot is an entry of `slots`.
type Slot struct {
	Entry
	Kind     Str
	Profile  *Str
	Optional bool
	Multiple bool
}

// Provide is an entry of `provides`.
type Provide struct {
	Entry
	Kind     Str
	Profile  *Str
	Endpoint *Str
}

// Resource is an entry of `resources`.
type Resource struct {
	Entry
	Kind                     Str
	Size, Retention, Sharing *Str
}

// ChildTemplate is an entry of `child_templates`.
type ChildTemplate struct {
	Entry
	Manifests      []Str // the scalar form gives one ref; nil when absent
	ManifestArray  bool  // `manifest` was written as an array
	Config         *json5.Node
	Bindings       []TemplateBinding
	VisibleExports []Str
}

// TemplateBinding is an entry of `child_templates.*.bindings`.
type TemplateBinding struct {
	Slot     string
	Key      json5.Key
	Selector Str
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
	Index int
	Node  *json5.Node

	To, Slot, From, Capability *Str
	Weak                       bool

	// Mixed is set when explicit `slot`/`capability` fields are combined with
	// a dotted `to` or `from`.
	Mixed bool
	// Dot is set for the dot form (`to: "#c.slot", from: "#d.export"`).
	Dot bool

	Target     RefKind // RefSelf or RefChild
	TargetName string  // child name for RefChild
	SlotName   string
	Source     RefKind
	SourceName string // child name for RefChild
	SourceCap  string // the capability / export / slot / provide name
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
	Target     Str
	Kind       ExportKind
	Child      string
	Capability string
}

// Program is the `program` section.
type Program struct {
	Node       *json5.Node
	Image      *StringSpec
	Path       *StringSpec
	VM         *VM
	Entrypoint *Command // nil when absent
	Args       *Command
	Env        []*EnvVar
	EnvNode    *json5.Node
	Network    *Network
	Mounts     []*Mount
}

// StringSpec is an inline string or a `{ file: "..." }` reference.
type StringSpec struct {
	Node *json5.Node
	Text string // the inline text, when File is nil
	File *Str   // the referenced path
}

// Command is an `entrypoint` or `args` value.
type Command struct {
	Node  *json5.Node
	Shell *Str // the shell-string form
	File  *Str // the `{ file }` form
	Items []*ArgItem
	Words []Word // the shell string split into words
}

// Word is one word of a shell string with its byte range in the decoded text.
type Word struct {
	Text       string
	Start, End int
}

// ArgItem is one element of an argument array.
type ArgItem struct {
	Node *json5.Node
	// Plain is set for a string or `{ file }` element.
	Plain *StringSpec
	When  *Str
	Each  *Str
	Join  *Str
	Arg   *StringSpec
	Argv  *Command
}

// EnvVar is an entry of `program.env`.
type EnvVar struct {
	Entry
	Value *StringSpec
	When  *Str
	Each  *Str
	Join  *Str
	// Object is set for the `{ value, when?, each?, join? }` form.
	Object bool
}

// Network is `program.network` or `program.vm.network`.
type Network struct {
	Node      *json5.Node
	Endpoints []*Endpoint
	Egress    *Str
}

// Endpoint is an element of `network.endpoints`.
type Endpoint struct {
	Node     *json5.Node
	When     *Str
	Each     *Str
	Name     Str
	Port     *json5.Node
	Protocol *Str
}

// Mount is an element of `mounts`.
type Mount struct {
	Node *json5.Node
	When *Str
	Each *Str
	Name *Str
	Path Str
	From Str
}

// VM is `program.vm`.
type VM struct {
	Node       *json5.Node
	Image      *StringSpec
	CPUs       *json5.Node
	MemoryMiB  *json5.Node
	Network    *Network
	Mounts     []*Mount
	UserData   *StringSpec
	VendorData *StringSpec
}
