package manifest

import (
	"strconv"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// siteKind says where in a program an interpolated string sits.
type siteKind int

const (
	siteOther     siteKind = iota // image, path, vm fields, cloud_init, endpoints, mount name
	siteArgument                  // an entrypoint/args word or item
	siteEnv                       // an env value
	siteMountPath                 // a mount path
	siteMountFrom                 // a mount from
)

// programString is an interpolated string of a program, with what a lint
// needs to know about where it is.
type programString struct {
	kind siteKind
	text string
	// pointer locates the string for lint spans, most specific first.
	pointers [][]string
	// guard is the `when` of the enclosing item / env value / mount.
	guard *Str
}

// programStrings calls fn for every interpolated string of the program, in
// Amber's visit order.
func (p *Program) programStrings(fn func(programString)) {
	other := func(s *StringSpec) {
		if s != nil && s.File == nil {
			fn(programString{kind: siteOther, text: s.Text})
		}
	}
	other(p.Image)
	other(p.Path)
	if p.VM != nil {
		other(p.VM.Image)
		for _, n := range []*json5.Node{p.VM.CPUs, p.VM.MemoryMiB} {
			if n != nil && n.Kind == json5.String {
				fn(programString{kind: siteOther, text: n.Text})
			}
		}
		other(p.VM.UserData)
		other(p.VM.VendorData)
	}
	for _, c := range []struct {
		cmd  *Command
		name string
	}{{p.Entrypoint, "entrypoint"}, {p.Args, "args"}} {
		if c.cmd != nil {
			c.cmd.arguments(c.name, fn)
		}
	}
	for _, e := range sortedEntries(p.Env, func(e *EnvVar) string { return e.Name }) {
		if e.Value == nil || e.Value.File != nil {
			continue
		}
		ptrs := [][]string{{"program", "env", e.Name}}
		if e.When != nil || e.Each != nil {
			ptrs = [][]string{{"program", "env", e.Name, "value"}, {"program", "env", e.Name}}
		}
		fn(programString{kind: siteEnv, text: e.Value.Text, pointers: ptrs, guard: e.When})
	}
	eps, mounts, base := []*Endpoint(nil), p.Mounts, []string{"program", "mounts"}
	if p.Network != nil {
		eps = p.Network.Endpoints
	}
	if p.VM != nil {
		mounts, base = p.VM.Mounts, []string{"program", "vm", "mounts"}
		if p.VM.Network != nil {
			eps = p.VM.Network.Endpoints
		}
	}
	for _, e := range eps {
		fn(programString{kind: siteOther, text: e.Name.Value})
		if e.Protocol != nil {
			fn(programString{kind: siteOther, text: e.Protocol.Value})
		}
		if e.Port != nil && e.Port.Kind == json5.String {
			fn(programString{kind: siteOther, text: e.Port.Text})
		}
	}
	for i, m := range mounts {
		mp := append(append([]string{}, base...), strconv.Itoa(i))
		if m.Name != nil {
			fn(programString{kind: siteOther, text: m.Name.Value})
		}
		fn(programString{kind: siteMountPath, text: m.Path.Value, guard: m.When,
			pointers: [][]string{append(append([]string{}, mp...), "path"), mp}})
		fn(programString{kind: siteMountFrom, text: m.From.Value, guard: m.When,
			pointers: [][]string{append(append([]string{}, mp...), "from"), mp}})
	}
}

// arguments visits the argument strings of an entrypoint/args value.
func (c *Command) arguments(name string, fn func(programString)) {
	if c.Shell != nil {
		for _, w := range c.Words {
			fn(programString{kind: siteArgument, text: w.Text, pointers: [][]string{{"program", name}}})
		}
		return
	}
	for i, it := range c.Items {
		ip := []string{"program", name, strconv.Itoa(i)}
		with := func(field string) [][]string {
			return [][]string{append(append([]string{}, ip...), field), ip}
		}
		switch {
		case it.Plain != nil:
			if it.Plain.File == nil {
				fn(programString{kind: siteArgument, text: it.Plain.Text, pointers: [][]string{ip}})
			}
		case it.Arg != nil:
			if it.Arg.File == nil {
				fn(programString{kind: siteArgument, text: it.Arg.Text, pointers: with("arg"), guard: it.When})
			}
		case it.Argv != nil:
			visitArgv(it.Argv, func(text string) {
				fn(programString{kind: siteArgument, text: text, pointers: with("argv"), guard: it.When})
			})
		}
	}
}

func visitArgv(c *Command, fn func(string)) {
	if c.Shell != nil {
		for _, w := range c.Words {
			fn(w.Text)
		}
	}
	for _, a := range c.Items {
		if a.Plain != nil && a.Plain.File == nil {
			fn(a.Plain.Text)
		}
	}
}

// conditions calls fn with every `when` and `each` path of the program.
func (p *Program) conditions(fn func(when, each *Str)) {
	for _, c := range []*Command{p.Entrypoint, p.Args} {
		if c != nil {
			for _, it := range c.Items {
				fn(it.When, it.Each)
			}
		}
	}
	for _, e := range p.Env {
		fn(e.When, e.Each)
	}
	mounts := p.Mounts
	var eps []*Endpoint
	if p.Network != nil {
		eps = p.Network.Endpoints
	}
	if p.VM != nil {
		mounts = p.VM.Mounts
		if p.VM.Network != nil {
			eps = p.VM.Network.Endpoints
		}
	}
	for _, m := range mounts {
		fn(m.When, m.Each)
	}
	for _, e := range eps {
		fn(e.When, e.Each)
	}
}
