package linker

import (
	"fmt"
	"path/filepath"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/program"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// fileReader reads a component's `{ file }` references through the
// link's Files, relative to the manifest's directory, and records
// them as dependencies.
func (l *linker) fileReader(c *Component) program.FileReader {
	dir := ""
	if p, ok := LocalPath(c.Node.Observed); ok {
		dir = filepath.Dir(p)
	}
	return func(path string) (string, error) {
		if !filepath.IsAbs(path) {
			if dir == "" {
				return "", fmt.Errorf("relative file references require a file-backed manifest")
			}
			path = filepath.Join(dir, path)
		}
		l.deps[path] = true
		b, err := l.files.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("%s", ioReason(err))
		}
		return string(b), nil
	}
}

// checkSlotInterpolation is linker.md §5, over the main tree.
func (l *linker) checkSlotInterpolation() {
	if l.helper {
		return // use subtrees are not checked (overlays.md §2)
	}
	for _, c := range l.comps {
		if c.m.Program == nil {
			continue
		}
		for _, d := range program.CheckSlotInterpolation(c.m, c.Moniker, l.fileReader(c)) {
			if d := inFile(d, c.Node.File); l.keep(&d) {
				l.slotDiags = append(l.slotDiags, d)
			}
		}
	}
}

// inFile names file in every label that has none.
func inFile(d diag.Diagnostic, file string) diag.Diagnostic {
	d.Labels = append([]diag.Label(nil), d.Labels...)
	for i := range d.Labels {
		if d.Labels[i].File == "" {
			d.Labels[i].File = file
		}
	}
	return d
}

// configSite is where config errors of a component are reported
// (linker.md §4.1).
func (l *linker) configSite(c *Component) diag.Label {
	if c.Parent == nil {
		at := c.at(c.m.ConfigSchema)
		if c.m.ConfigSchema == nil {
			at = span{c.Node.File, diag.Span{}}
		}
		return at.label("config required for root component", true)
	}
	p := c.Parent
	decl := p.m.Root.Lookup("components", c.Node.Name)
	if decl != nil && decl.Kind == json5.Object {
		if mem := decl.Member("config"); mem != nil && mem.Value.Kind != json5.Null {
			return p.atKey(mem.Key).label("config provided here", true)
		}
	}
	if d := p.m.Component(c.Node.Name); d != nil {
		return p.atKey(d.Key).label("config required here", true)
	}
	return p.at(decl).label("config required here", true)
}

// checkConfig is linker.md §4.1.
func (l *linker) checkConfig() {
	for _, c := range l.comps {
		site := l.configSite(c)
		for _, pr := range program.CheckConfigRefs(c.m, l.fileReader(c)) {
			at := site
			at.Message = pr.Label
			l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, pr.Message), []diag.Label{at}, "")
		}
	}
	for _, c := range l.comps {
		for _, pr := range program.CheckResourceParams(c.m) {
			l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, pr.Message),
				[]diag.Label{{File: c.Node.File, Span: pr.Span, Message: pr.Label, Primary: true}}, "")
		}
	}
	l.checkTemplates()
}

// lowerPrograms is linker.md §4.3.
func (l *linker) lowerPrograms() {
	for _, c := range l.comps {
		if c.m.Program == nil {
			continue
		}
		var features []string
		for _, f := range c.m.ExperimentalFeatures {
			features = append(features, f.Value)
		}
		p, failures := program.Lower(program.Component{Moniker: c.Moniker, ID: c.ID, Manifest: c.m,
			Config: l.programConfig(c), Features: features, ReadFile: l.fileReader(c)})
		for _, f := range failures {
			l.errs = append(l.errs, inFile(f.Diagnostic(c.Moniker), c.Node.File))
		}
		c.program = p
		c.lowerFail = len(failures) > 0
	}
}

// usedSlots returns the slots a component's program uses, and whether it
// uses all of them (linker.md §7).
func usedSlots(c *Component) (map[string]bool, bool) {
	if c.program == nil {
		return map[string]bool{}, false
	}
	u := program.UsedSlots(c.program)
	used := make(map[string]bool, len(u.Names))
	for _, n := range u.Names {
		used[n] = true
	}
	return used, u.All
}

// storageMounted returns the slots a component's lowered program mounts.
func storageMounted(c *Component) map[string]bool {
	out := map[string]bool{}
	for _, m := range lowMounts(c) {
		if m.Kind == "slot" {
			out[m.Name] = true
		}
	}
	return out
}

// lowMounts returns the mounts of a component's lowered program.
func lowMounts(c *Component) []scenario.Mount {
	if c.program == nil {
		return nil
	}
	if c.program.VM != nil {
		return c.program.VM.Mounts
	}
	return c.program.Mounts
}

// authoredMountFrom finds the `from` value of the nth (0-based) authored
// mount whose source is exactly from (mount spans of §4.3), else of the
// last such mount, else the program.
func authoredMountFrom(c *Component, from string, nth int) span {
	p := c.m.Program
	mounts := p.Mounts
	if p.VM != nil {
		mounts = p.VM.Mounts
	}
	at := c.at(p.Node)
	for _, m := range mounts {
		if m.From.Value != from {
			continue
		}
		at = c.at(m.From.Node)
		if nth--; nth < 0 {
			break
		}
	}
	return at
}

// programConfig is what lowering may know of a component's config at link
// time.
func (l *linker) programConfig(c *Component) program.Config {
	if c.m.ConfigSchema == nil {
		return program.NoConfig
	}
	if tpl := l.templates[c.ID]; tpl != nil {
		return tpl
	}
	return program.RuntimeConfig
}
