package program

import (
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Lowered is a component's lowered program with where its mounts were
// written.
type Lowered struct {
	// Program is the lowered program.
	Program *scenario.Program
	// MountIndexes holds, for each mount of the program (Mounts, or
	// VM.Mounts), the authored index of the mount it came from in
	// program.mounts (or program.vm.mounts): an authored mount may expand
	// into several, or into none. MountSpan locates it.
	MountIndexes []int
}

// Lower lowers a component's manifest program with its config (linker.md
// §4.3): image, path, entrypoint/args, env and VM fields are copied verbatim
// (interpolations stay textual, `{ file }` references are inlined as text),
// endpoints are resolved entirely at link time, mounts become templates with
// the statically known config values inlined, and the result is validated
// against the component's schema, slots, resources and features.
//
// It returns nil and no failures for a component without a program. When
// any failure is returned the result is nil (Amber keeps `program = null`);
// the failures come in the order endpoints, mounts, validation.
func Lower(c Component) (*Lowered, []Failure) {
	m := c.Manifest
	if m == nil || m.Program == nil {
		return nil, nil
	}
	l := &lowerer{c: &c, cfg: c.config(), spans: siteSpans{m.Root}}
	p := l.program(m.Program)
	if len(l.failures) > 0 {
		return nil, l.failures
	}
	return &Lowered{Program: p, MountIndexes: l.mountIndexes}, nil
}

// MountSpan is where Amber reports what concerns authored mount i of the
// manifest whose root is root (linker.md §4.3 mount site): the mount's
// `from` (in program.mounts, then program.vm.mounts, the vm ones first for
// a VM program), else the whole mount, the mounts array, the program.
func MountSpan(root *json5.Node, i int, vm bool) diag.Span {
	return siteSpans{root}.mount(i, vm)
}

// lowerer carries the state of one Lower call.
type lowerer struct {
	c            *Component
	cfg          Config
	spans        siteSpans
	failures     []Failure
	mountIndexes []int // the authored index of each mount lowered
}

func (l *lowerer) fail(site Site, index int, vm bool, msg string) {
	f := Failure{Site: site, Index: index, Message: msg}
	switch site {
	case SiteMount:
		f.Span = l.spans.mount(index, vm)
	case SiteEndpoint:
		f.Span = l.spans.endpoint(index, vm)
	default:
		f.Index = -1
		f.Span = l.spans.program()
	}
	l.failures = append(l.failures, f)
}

// text returns the text of a string spec, inlining `{ file }` references.
func (l *lowerer) text(s *manifest.StringSpec) string {
	if s == nil {
		return ""
	}
	if s.File == nil {
		return s.Text
	}
	if l.c.ReadFile == nil {
		l.fail(SiteProgram, -1, false, "invalid program file reference `"+s.File.Value+"`: relative file references require a file-backed manifest")
		return ""
	}
	text, err := l.c.ReadFile(s.File.Value)
	if err != nil {
		l.fail(SiteProgram, -1, false, "invalid program file reference `"+s.File.Value+"`: "+err.Error())
	}
	return text
}

func (l *lowerer) program(p *manifest.Program) *scenario.Program {
	out := &scenario.Program{}
	switch {
	case p.VM != nil:
		out.VM = l.vm(p.VM)
		return out
	case p.Image != nil:
		image := l.text(p.Image)
		out.Image = &image
		out.Entrypoint = l.command(p.Entrypoint)
	default:
		path := l.text(p.Path)
		out.Path = &path
		out.Args = l.command(p.Args)
	}
	out.Env = l.env(p.Env)
	if p.Network != nil {
		out.Network = l.network(p.Network, false)
	}
	out.Mounts = l.mountList(p.Mounts, false)
	return out
}

func (l *lowerer) vm(v *manifest.VM) *scenario.VM {
	out := &scenario.VM{
		Image:     l.text(v.Image),
		CPUs:      scalarValue(v.CPUs),
		MemoryMiB: scalarValue(v.MemoryMiB),
		Egress:    "none",
	}
	if v.UserData != nil {
		s := l.text(v.UserData)
		out.UserData = &s
	}
	if v.VendorData != nil {
		s := l.text(v.VendorData)
		out.VendorData = &s
	}
	if v.Network != nil {
		if v.Network.Egress != nil {
			out.Egress = v.Network.Egress.Value
		}
		out.Network = l.network(v.Network, true)
	}
	out.Mounts = l.mountList(v.Mounts, true)
	if out.Mounts == nil {
		out.Mounts = []scenario.Mount{}
	}
	return out
}

// scalarValue copies a vm cpus / memory_mib value: a number or a string.
func scalarValue(n *json5.Node) any {
	if n == nil {
		return nil
	}
	if n.Kind == json5.String {
		return n.Text
	}
	if v, ok := n.Int(); ok {
		return v
	}
	return n.Value()
}

// command copies an entrypoint / args value; the result is never nil.
func (l *lowerer) command(c *manifest.Command) []scenario.Arg {
	out := []scenario.Arg{}
	if c == nil {
		return out
	}
	if c.Shell != nil || c.File != nil {
		for _, w := range l.words(c) {
			out = append(out, scenario.Arg{Text: w})
		}
		return out
	}
	for _, it := range c.Items {
		if it.Plain != nil {
			out = append(out, scenario.Arg{Text: l.text(it.Plain)})
			continue
		}
		item := &scenario.ArgItem{Each: optStr(it.Each), Join: optStr(it.Join), When: optStr(it.When)}
		if it.Arg != nil {
			s := l.text(it.Arg)
			item.Arg = &s
		} else {
			item.Argv = []string{}
			if it.Argv != nil {
				if it.Argv.Shell != nil || it.Argv.File != nil {
					item.Argv = append(item.Argv, l.words(it.Argv)...)
				} else {
					for _, a := range it.Argv.Items {
						item.Argv = append(item.Argv, l.text(a.Plain))
					}
				}
			}
		}
		out = append(out, scenario.Arg{Item: item})
	}
	return out
}

// words returns the shell words of a shell-string or `{ file }` command.
func (l *lowerer) words(c *manifest.Command) []string {
	if c.Shell != nil {
		out := make([]string, len(c.Words))
		for i, w := range c.Words {
			out[i] = w.Text
		}
		return out
	}
	text := l.text(&manifest.StringSpec{Node: c.Node, File: c.File})
	words, ok := manifest.ShellWords(text)
	if !ok {
		l.fail(SiteProgram, -1, false, "unclosed quote in entrypoint string")
	}
	return words
}

func (l *lowerer) env(env []*manifest.EnvVar) []scenario.EnvVar {
	var out []scenario.EnvVar
	for _, e := range sortedEnv(env) {
		out = append(out, scenario.EnvVar{
			Name:   e.Name,
			Value:  l.text(e.Value),
			Object: e.Object,
			Each:   optStr(e.Each),
			Join:   optStr(e.Join),
			When:   optStr(e.When),
		})
	}
	return out
}

func optStr(s *manifest.Str) *string {
	if s == nil {
		return nil
	}
	v := s.Value
	return &v
}
