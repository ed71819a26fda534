package scenario

// Program is a lowered program (linker.md §8.3): exactly one of Image, Path
// and VM is set.
type Program struct {
	Image *string // container image reference (image programs)
	Path  *string // executable path (path programs)
	VM    *VM     // VM programs
	// Entrypoint (image programs) or Args (path programs).
	Entrypoint, Args []Arg
	Env              []EnvVar // name order; omitted from JSON when empty
	Mounts           []Mount  // omitted when empty
	Network          *Network // omitted when nil
}

// JSONValue implements Valuer.
func (p *Program) JSONValue() any {
	if p.VM != nil {
		return map[string]any{"vm": p.VM.JSONValue()}
	}
	out := map[string]any{}
	switch {
	case p.Image != nil:
		out["image"] = *p.Image
		out["entrypoint"] = argValues(p.Entrypoint)
	case p.Path != nil:
		out["path"] = *p.Path
		out["args"] = argValues(p.Args)
	}
	if len(p.Env) > 0 {
		env := make(map[string]any, len(p.Env))
		for _, e := range p.Env {
			env[e.Name] = e.JSONValue()
		}
		out["env"] = env
	}
	if len(p.Mounts) > 0 {
		out["mounts"] = mountValues(p.Mounts)
	}
	if p.Network != nil {
		out["network"] = p.Network.JSONValue()
	}
	return out
}

// Arg is an argv element: plain text (Item nil), or a conditional or
// repeated item.
type Arg struct {
	Text string   // the authored interpolation text, file references inlined; used when Item is nil
	Item *ArgItem // the object form; nil for plain text
}

// ArgItem is the object form of an argv element.
type ArgItem struct {
	Arg  *string  // exactly one of Arg and Argv
	Argv []string // nil when Arg is set
	Each *string  // "config.p" or "slots.s"
	Join *string  // separator joining the repeated Arg into one argument; only with Each
	When *string  // "config.p" or "slots.q"
}

// JSONValue implements Valuer.
func (a Arg) JSONValue() any {
	if a.Item == nil {
		return a.Text
	}
	out := map[string]any{}
	if a.Item.Arg != nil {
		out["arg"] = *a.Item.Arg
	} else {
		argv := a.Item.Argv
		if argv == nil {
			argv = []string{}
		}
		out["argv"] = argv
	}
	putOpt(out, "each", a.Item.Each)
	putOpt(out, "join", a.Item.Join)
	putOpt(out, "when", a.Item.When)
	return out
}

// EnvVar is one entry of a program's env: a plain value, or the object form
// (Object set) with optional when/each/join.
type EnvVar struct {
	Name   string  // the variable's name
	Value  string  // interpolation text: the plain value, or the object form's `value`
	Object bool    // the object form was authored
	Each   *string // "config.p" or "slots.s"; object form only
	Join   *string // separator of the repeated values; set exactly when Each is
	When   *string // "config.p" or "slots.q"; object form only
}

// JSONValue implements Valuer.
func (e EnvVar) JSONValue() any {
	if !e.Object {
		return e.Value
	}
	out := map[string]any{"value": e.Value}
	putOpt(out, "each", e.Each)
	putOpt(out, "join", e.Join)
	putOpt(out, "when", e.When)
	return out
}

// Network is a program's network.
type Network struct {
	Endpoints []Endpoint // after `when`/`each` expansion, names unique
}

// JSONValue implements Valuer.
func (n *Network) JSONValue() any {
	eps := make([]any, len(n.Endpoints))
	for i, e := range n.Endpoints {
		eps[i] = map[string]any{"name": e.Name, "port": e.Port, "protocol": e.Protocol}
	}
	return map[string]any{"endpoints": eps}
}

// Endpoint is a network endpoint with its protocol defaulted.
type Endpoint struct {
	Name     string // referenced by ProvideDecl.Endpoint
	Port     int    // 0-65535
	Protocol string // "http", "https" or "tcp"
}

// Mount kinds.
const (
	MountFile      = "file"
	MountSlot      = "slot"
	MountResource  = "resource"
	MountFramework = "framework"
)

// Mount is a lowered mount, tagged by Kind.
type Mount struct {
	Kind string // one of the Mount* kinds
	// File mounts: the path and config source as templates, and optional
	// runtime repetition and condition.
	PathTpl   Template
	SourceTpl Template        // the config path the file's content comes from
	Each      *MountCondition // nil: not repeated
	When      *MountCondition // nil: unconditional
	// Slot, resource and framework mounts: a static path and the name.
	Path string
	Name string // the slot, resource or framework capability
}

// MountCondition is a file mount's runtime `when` or `each`: on config
// (Path) or on a slot (Slot; for `when`, the slot query).
type MountCondition struct {
	Config bool   // the condition is on config, not on a slot
	Path   string // config path, when Config
	Slot   string // slot name (each) or slot query (when)
}

// JSONValue implements Valuer.
func (m Mount) JSONValue() any {
	switch m.Kind {
	case MountSlot:
		return map[string]any{"kind": MountSlot, "path": m.Path, "slot": m.Name}
	case MountResource:
		return map[string]any{"kind": MountResource, "path": m.Path, "resource": m.Name}
	case MountFramework:
		return map[string]any{"kind": MountFramework, "path": m.Path, "capability": m.Name}
	}
	out := map[string]any{
		"kind":   MountFile,
		"path":   m.PathTpl.JSONValue(),
		"source": map[string]any{"kind": "config", "path": m.SourceTpl.JSONValue()},
	}
	if m.Each != nil {
		if m.Each.Config {
			out["each"] = map[string]any{"kind": "config", "path": m.Each.Path}
		} else {
			out["each"] = map[string]any{"kind": "slot", "slot": m.Each.Slot}
		}
	}
	if m.When != nil {
		if m.When.Config {
			out["when"] = map[string]any{"kind": "config", "path": m.When.Path}
		} else {
			out["when"] = map[string]any{"kind": "slot", "query": m.When.Slot}
		}
	}
	return out
}

// Template is a string template of a file mount: literal, config, slot and
// item parts. Adjacent literals are merged; an empty string is no parts.
type Template []TemplatePart

// TemplatePart kinds.
const (
	PartLit         = iota // Lit
	PartConfig             // Config path
	PartSlot               // Scope (owner id) and Slot query
	PartIndexedItem        // Index, Item query, Scope, Slot: an item of a repeated slot
	PartItem               // Item query of the current repeated item
)

// TemplatePart is one part of a Template.
type TemplatePart struct {
	Kind   int    // one of the Part* kinds; says which fields below are set
	Lit    string // literal text
	Config string // config path
	Scope  int    // id of the component owning Slot, an index into Scenario.Components
	Slot   string // slot query (PartSlot) or repeated slot name (PartIndexedItem)
	Index  int    // the i of `${slots.s[i]…}`
	Item   string // query into the repeated item
}

// JSONValue implements Valuer.
func (t Template) JSONValue() any {
	out := make([]any, len(t))
	for i, p := range t {
		switch p.Kind {
		case PartConfig:
			out[i] = map[string]any{"config": p.Config}
		case PartSlot:
			out[i] = map[string]any{"scope": p.Scope, "slot": p.Slot}
		case PartIndexedItem:
			out[i] = map[string]any{"index": p.Index, "item": p.Item, "scope": p.Scope, "slot": p.Slot}
		case PartItem:
			out[i] = map[string]any{"item": p.Item}
		default:
			out[i] = map[string]any{"lit": p.Lit}
		}
	}
	return out
}

// VM is a lowered VM program.
type VM struct {
	Image string // the authored `vm.image`
	// CPUs and MemoryMiB are a number (int64) or an interpolation string.
	CPUs, MemoryMiB      any
	Egress               string   // "none" or "optional"
	UserData, VendorData *string  // cloud-init data; nil when absent
	Mounts               []Mount  // never omitted from JSON, unlike Program.Mounts
	Network              *Network // nil: JSON null
}

// JSONValue implements Valuer.
func (v *VM) JSONValue() any {
	var network any
	if v.Network != nil {
		network = v.Network.JSONValue()
	}
	return map[string]any{
		"cloud_init": map[string]any{"user_data": optString(v.UserData), "vendor_data": optString(v.VendorData)},
		"cpus":       v.CPUs,
		"egress":     v.Egress,
		"image":      v.Image,
		"memory_mib": v.MemoryMiB,
		"mounts":     mountValues(v.Mounts),
		"network":    network,
	}
}

func argValues(args []Arg) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.JSONValue()
	}
	return out
}

func mountValues(ms []Mount) []any {
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = m.JSONValue()
	}
	return out
}

func putOpt(m map[string]any, key string, s *string) {
	if s != nil {
		m[key] = *s
	}
}
