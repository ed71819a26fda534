package program

import (
	"sort"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Owner describes the component a lowered program belongs to, for
// ValidateLowered.
type Owner struct {
	// ID is the component's id. Slot parts of file-mount templates must
	// carry it as their scope; a negative ID skips that check (plan
	// validation, before the interposer has an id).
	ID int
	// ConfigSchema is the owner's config_schema (nil when none). SchemaNode
	// turns a decoded JSON schema into one.
	ConfigSchema *json5.Node
	Slots        map[string]scenario.SlotDecl     // the declared slots `slots.` references and slot mounts must name
	Resources    map[string]scenario.ResourceDecl // the declared resources resource mounts must name
	// Features are the enabled experimental features; overlay interposers
	// have none.
	Features []string
}

// ValidationError is the first problem ValidateLowered found.
type ValidationError struct {
	// Location is where the problem is, e.g. `program.env.URL.value`; ""
	// for structural endpoint and mount problems.
	Location string
	Message  string // Amber's text of the problem
}

// Error returns `{location}: {message}`, or the message alone.
func (e *ValidationError) Error() string {
	if e.Location == "" {
		return e.Message
	}
	return e.Location + ": " + e.Message
}

// SchemaNode converts a config_schema given as generic JSON (as decoded
// from an overlay response) into a syntax node for ConfigSchema; nil gives
// nil.
func SchemaNode(schema any) (*json5.Node, error) {
	if schema == nil {
		return nil, nil
	}
	b, err := scenario.Encode(schema)
	if err != nil {
		return nil, err
	}
	return json5.Parse(b).Root(), nil
}

// ValidateLowered checks a lowered program that did not come from a
// manifest (an overlay interposer's: overlays.md §10 step 6 and §11.1) with
// full reference checks: every `${config...}` needs the schema and a known
// path; every `${slots...}` and slot `when` / `each` must name a declared
// slot with the usual shape rules (linker.md §5); `${item...}` only inside
// `each`; file mounts need a schema; framework mounts need their feature;
// endpoint names are non-empty and unique; mount paths are absolute without
// `..` and not repeated; slot parts of file-mount templates carry the
// owner's id. It returns the first problem as a *ValidationError, or nil.
//
// The order is Amber's validate_lowered_program: first the endpoints;
// then every reference: image / path / vm strings, entrypoint / args, env
// (name order), and each file mount's `when`, `each`, path and source
// templates; then the mounts themselves.
func ValidateLowered(p *scenario.Program, o Owner) error {
	if p == nil {
		return nil
	}
	v := &fullValidator{
		validator: validator{schema: o.ConfigSchema, slots: slotTable{}, resources: map[string]bool{}, features: o.Features},
		owner:     o.ID,
	}
	for n, s := range o.Slots {
		v.slots[n] = slotInfo{Kind: s.Kind, Multiple: s.Multiple}
	}
	for n := range o.Resources {
		v.resources[n] = true
	}
	if e := v.program(p); e != nil {
		return e
	}
	return nil
}

type fullValidator struct {
	validator
	owner int
}

func errAt(loc, msg string) *ValidationError { return &ValidationError{Location: loc, Message: msg} }

// mountList is a program's mounts and the location they are at.
type mountList struct {
	base   string
	mounts []scenario.Mount
}

func (v *fullValidator) program(p *scenario.Program) *ValidationError {
	networks := []*scenario.Network{p.Network}
	lists := []mountList{{"program.mounts", p.Mounts}}
	if p.VM != nil {
		networks = append(networks, p.VM.Network)
		lists = append(lists, mountList{"program.vm.mounts", p.VM.Mounts})
	}
	for _, n := range networks {
		if e := v.network(n); e != nil {
			return e
		}
	}
	if e := v.texts(p); e != nil {
		return e
	}
	for _, l := range lists {
		for i, m := range l.mounts {
			if m.Kind != scenario.MountFile {
				continue
			}
			if e := v.fileMount(l.base+"["+strconv.Itoa(i)+"]", m); e != nil {
				return e
			}
		}
	}
	for _, l := range lists {
		if e := v.mounts(l.mounts); e != nil {
			return e
		}
	}
	return nil
}

// texts checks the references of the program's strings, arguments and
// environment.
func (v *fullValidator) texts(p *scenario.Program) *ValidationError {
	if p.Image != nil {
		if e := v.text("program.image", *p.Image, ""); e != nil {
			return e
		}
	}
	if p.Path != nil {
		if e := v.text("program.path", *p.Path, ""); e != nil {
			return e
		}
	}
	if vm := p.VM; vm != nil {
		if e := v.vm(vm); e != nil {
			return e
		}
	}
	if e := v.args("program.entrypoint", p.Entrypoint); e != nil {
		return e
	}
	if e := v.args("program.args", p.Args); e != nil {
		return e
	}
	env := append([]scenario.EnvVar(nil), p.Env...)
	sort.SliceStable(env, func(i, j int) bool { return env[i].Name < env[j].Name })
	for _, e := range env {
		loc := "program.env." + e.Name
		if err := v.conditions(loc, e.When, e.Each); err != nil {
			return err
		}
		if err := v.text(loc+".value", e.Value, deref(e.Each)); err != nil {
			return err
		}
	}
	return nil
}

func (v *fullValidator) vm(vm *scenario.VM) *ValidationError {
	type field struct {
		loc  string
		text *string
	}
	fields := []field{{"program.vm.image", &vm.Image}}
	if s, ok := vm.CPUs.(string); ok {
		fields = append(fields, field{"program.vm.cpus", &s})
	}
	if s, ok := vm.MemoryMiB.(string); ok {
		fields = append(fields, field{"program.vm.memory_mib", &s})
	}
	fields = append(fields,
		field{"program.vm.cloud_init.user_data", vm.UserData},
		field{"program.vm.cloud_init.vendor_data", vm.VendorData})
	for _, f := range fields {
		if f.text != nil {
			if e := v.text(f.loc, *f.text, ""); e != nil {
				return e
			}
		}
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (v *fullValidator) args(base string, args []scenario.Arg) *ValidationError {
	for i, a := range args {
		loc := base + "[" + strconv.Itoa(i) + "]"
		if a.Item == nil {
			if e := v.text(loc, a.Text, ""); e != nil {
				return e
			}
			continue
		}
		it := a.Item
		if e := v.conditions(loc, it.When, it.Each); e != nil {
			return e
		}
		each := deref(it.Each)
		if it.Arg != nil {
			if e := v.text(loc+".arg", *it.Arg, each); e != nil {
				return e
			}
		}
		for j, s := range it.Argv {
			if e := v.text(loc+".argv["+strconv.Itoa(j)+"]", s, each); e != nil {
				return e
			}
		}
	}
	return nil
}

// conditions checks the `when` and `each` paths of an item at loc.
func (v *fullValidator) conditions(loc string, when, each *string) *ValidationError {
	if when != nil {
		if e := v.when(loc+".when", *when); e != nil {
			return e
		}
	}
	if each != nil {
		if e := v.each(loc+".each", *each); e != nil {
			return e
		}
	}
	return nil
}

// when checks a `when` path (manifest.md §7.3, linker.md §5).
func (v *fullValidator) when(loc, when string) *ValidationError {
	ref, err := interp.ParseRef(when)
	if err != nil {
		return errAt(loc, err.Error())
	}
	bad := "invalid `when` path `" + when + "`: expected `config.<path>` or `slots.<path>`"
	switch ref.Source {
	case interp.Config:
		if ref.Query == "" || hasEmptySegment(ref.Query) {
			return errAt(loc, bad)
		}
		return v.configPath(loc, ref.Query)
	case interp.Slots:
		if ref.Query == "" {
			return errAt(loc, bad)
		}
		if p := v.slots.checkWhenSlots(ref.Query, ""); p != nil {
			return errAt(loc, p.message)
		}
		return nil
	}
	return errAt(loc, bad)
}

// each checks an `each` path (manifest.md §7.4, linker.md §5).
func (v *fullValidator) each(loc, each string) *ValidationError {
	src, rest, _ := strings.Cut(each, ".")
	if (src != "config" && src != "slots") || rest == "" || hasEmptySegment(rest) || (src == "slots" && strings.Contains(rest, ".")) {
		return errAt(loc, "invalid `each` path `"+each+"`: expected `config.<path>` or `slots.<slot>`")
	}
	if src == "config" {
		return v.configPath(loc, rest)
	}
	if p := v.slots.checkEachSlot(rest, ""); p != nil {
		return errAt(loc, p.message)
	}
	return nil
}

func hasEmptySegment(q string) bool {
	for _, s := range strings.Split(q, ".") {
		if s == "" {
			return true
		}
	}
	return false
}

// configPath checks a config path against the schema.
func (v *fullValidator) configPath(loc, q string) *ValidationError {
	if v.schema == nil {
		return errAt(loc, noSchemaMessage(q))
	}
	if outcome, _, failure := configschema.Lookup(v.schema, q); outcome == configschema.Missing {
		return errAt(loc, "invalid "+configRef(q)+" reference: "+failure)
	}
	return nil
}

// text checks an interpolated string; each is the `each` path of the
// enclosing item ("" outside one).
func (v *fullValidator) text(loc, s, each string) *ValidationError {
	t, err := interp.Parse(s)
	if err != nil {
		return errAt(loc, err.Error())
	}
	for _, part := range t.Refs() {
		q := part.Ref.Query
		switch part.Ref.Source {
		case interp.Config:
			if e := v.configPath(loc, q); e != nil {
				return e
			}
		case interp.Slots:
			if p := v.slots.checkSlotsRef(q, ""); p != nil {
				return errAt(loc, p.message)
			}
		case interp.Item:
			if p := itemProblem(q, each); p != nil {
				return errAt(loc, p.message)
			}
		}
	}
	return nil
}

func (v *fullValidator) network(n *scenario.Network) *ValidationError {
	if n == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, ep := range n.Endpoints {
		switch {
		case ep.Name == "":
			return errAt("", "program endpoint names must not be empty")
		case seen[ep.Name]:
			return errAt("", "duplicate endpoint name `"+ep.Name+"`")
		}
		seen[ep.Name] = true
		if ep.Protocol != "http" && ep.Protocol != "https" && ep.Protocol != "tcp" {
			return errAt("", "unsupported endpoint protocol `"+ep.Protocol+"`")
		}
		if ep.Port < 0 || ep.Port > 65535 {
			return errAt("", "endpoint port "+strconv.Itoa(ep.Port)+" is out of range")
		}
	}
	return nil
}

// mounts checks the mounts themselves, after their references.
func (v *fullValidator) mounts(ms []scenario.Mount) *ValidationError {
	seen := map[string]bool{}
	for _, m := range ms {
		if m.Kind != scenario.MountFile {
			if msg := pathProblem(m.Path); msg != "" {
				return errAt("", "mount path "+msg)
			}
		}
		if msg := v.mount(m); msg != "" {
			return errAt("", msg)
		}
		if p, ok := staticMountPath(m); ok {
			if seen[p] {
				return errAt("", "duplicate mount path `"+p+"` after mount expansion")
			}
			seen[p] = true
		}
	}
	return nil
}

// fileMount checks the references of a file mount: its `when`, its
// `each`, then its path and source templates.
func (v *fullValidator) fileMount(loc string, m scenario.Mount) *ValidationError {
	if m.When != nil {
		if m.When.Config {
			if e := v.configPath(loc+".when", m.When.Path); e != nil {
				return e
			}
		} else if p := v.slots.checkWhenSlots(m.When.Slot, ""); p != nil {
			return errAt(loc+".when", p.message)
		}
	}
	each := ""
	if m.Each != nil {
		if m.Each.Config {
			each = "config." + m.Each.Path
			if e := v.configPath(loc+".each", m.Each.Path); e != nil {
				return e
			}
		} else {
			each = "slots." + m.Each.Slot
			if p := v.slots.checkEachSlot(m.Each.Slot, ""); p != nil {
				return errAt(loc+".each", p.message)
			}
		}
	}
	if e := v.template(loc+".path", m.PathTpl, each); e != nil {
		return e
	}
	return v.template(loc+".source", m.SourceTpl, each)
}

// template checks the parts of a file-mount template.
func (v *fullValidator) template(loc string, t scenario.Template, each string) *ValidationError {
	for _, p := range t {
		switch p.Kind {
		case scenario.PartConfig:
			if e := v.configPath(loc, p.Config); e != nil {
				return e
			}
		case scenario.PartSlot, scenario.PartIndexedItem:
			if v.owner >= 0 && p.Scope != v.owner {
				return errAt(loc, "template references slot scope "+strconv.Itoa(p.Scope)+", but this program belongs to component "+strconv.Itoa(v.owner))
			}
			if p.Kind == scenario.PartSlot {
				if sp := v.slots.checkSlotsRef(p.Slot, ""); sp != nil {
					return errAt(loc, sp.message)
				}
				continue
			}
			if sp := v.slots.checkEachSlot(p.Slot, ""); sp != nil {
				return errAt(loc, sp.message)
			}
			if sp := itemProblem(p.Item, "slots."+p.Slot); sp != nil {
				return errAt(loc, sp.message)
			}
		case scenario.PartItem:
			if sp := itemProblem(p.Item, each); sp != nil {
				return errAt(loc, sp.message)
			}
		}
	}
	return nil
}
