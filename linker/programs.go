package linker

import (
	"fmt"
	"path/filepath"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/program"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
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
		if ck := c.mm.programChecks(); ck.pure && ck.slotsClean {
			continue
		}
		for _, d := range program.CheckSlotInterpolation(c.m, c.Moniker, l.fileReader(c)) {
			l.slotDiags = append(l.slotDiags, inFile(d, c.Node.File))
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
	if d := findDecl(p.m.Components, c.Node.Name); d != nil {
		return p.atKey(d.Key).label("config required here", true)
	}
	return p.at(decl).label("config required here", true)
}

// checkConfig is linker.md §4.1.
func (l *linker) checkConfig() {
	for _, c := range l.comps {
		ck := c.mm.programChecks()
		problems := ck.configRefs
		if !ck.pure {
			problems = program.CheckConfigRefs(c.m, l.fileReader(c))
		}
		for _, pr := range problems {
			at := l.configSite(c)
			at.Message = pr.Label
			l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, pr.Message), []diag.Label{at}, "")
		}
	}
	for _, c := range l.comps {
		for _, pr := range c.mm.programChecks().resourceParams {
			l.errorf(codes.InvalidConfig, fmt.Sprintf("invalid config for %s: %s", c.Moniker, pr.Message),
				[]diag.Label{{File: c.Node.File, Span: pr.Span, Message: pr.Label, Primary: true}}, "")
		}
	}
	l.checkTemplates()
}

// lowerPrograms is linker.md §4.3. A lowering that read no `{ file }` is
// memoized by what it depends on (programKey).
func (l *linker) lowerPrograms() {
	for _, c := range l.comps {
		if c.m.Program == nil {
			continue
		}
		cfg := l.programConfig(c)
		key := programKey{res: c.Node.Result, id: -1}
		switch cfg := cfg.(type) {
		case templateConfig:
			key.cfg, key.tpl = 1, cfg.t
		default:
			key.cfg = 2
			if cfg == program.NoConfig {
				key.cfg = 0
			}
		}
		if c.mm.mounts {
			key.id = c.ID
		}
		var prev *cell[programKey, programMemo]
		if c.ID < len(l.prev) {
			prev = l.prev[c.ID].program
		}
		var pm programMemo
		if cp := find(l.memo, &l.memo.m.tables.programs, prev, key); cp != nil {
			pm = cp.val
			l.keepProgram(c, cp)
		} else {
			var features []string
			for _, f := range c.m.ExperimentalFeatures {
				features = append(features, f.Value)
			}
			read := false
			readFile := l.fileReader(c)
			pm.program, pm.failures = program.Lower(program.Component{Moniker: c.Moniker, ID: c.ID, Manifest: c.m,
				Config: cfg, Features: features, ReadFile: func(path string) (string, error) { read = true; return readFile(path) }})
			if !read {
				l.keepProgram(c, put(l.memo, &l.memo.m.tables.programs, key, pm))
			}
		}
		for _, f := range pm.failures {
			l.errs = append(l.errs, inFile(f.Diagnostic(c.Moniker), c.Node.File))
		}
		c.program = pm.program
		c.lowerFail = len(pm.failures) > 0
	}
}

// keepProgram lists the program cell of component c as used.
func (l *linker) keepProgram(c *Component, cp *cell[programKey, programMemo]) {
	if l.units == nil {
		l.memo.used.other = append(l.memo.used.other, cp)
		return
	}
	l.units[c.ID].program = cp
}

// programKey is what lowering a component's program depends on: its
// manifest, its config as lowering sees it (cfg: 0 none, 1 the template
// tpl, 2 known only at run time) and, when the program mounts something,
// its id (the scope of slot parts in file-mount templates).
type programKey struct {
	res *manifest.Result
	cfg uint8
	tpl *config.Template
	id  int
}

// programMemo is a lowered program and its failures. Shared: read only.
type programMemo struct {
	program  *scenario.Program
	failures []program.Failure
}

// programChecks are the checks of a manifest's program that depend on the
// manifest alone, computed once per manifest (manifestMemo). When they
// read a `{ file }` (pure is false), the linker runs them per component
// instead, with the component's file reader.
type programChecks struct {
	pure           bool
	slotsClean     bool              // program.CheckSlotInterpolation reports nothing
	configRefs     []program.Problem // program.CheckConfigRefs
	resourceParams []program.Problem // program.CheckResourceParams (reads no file)
}

// errNotRead is what the file reader of the memoized checks answers:
// when it is called, the checks are not memoized.
var errNotRead = fmt.Errorf("not read")

// programChecks returns the manifest's program checks.
func (mm *manifestMemo) programChecks() *programChecks {
	mm.checkOnce.Do(func() {
		read := false
		refuse := func(string) (string, error) { read = true; return "", errNotRead }
		ck := &mm.checks
		if mm.m.Program != nil {
			// Monikers appear in messages only: whether there are any
			// problems does not depend on them.
			ck.slotsClean = len(program.CheckSlotInterpolation(mm.m, monikerHole, refuse)) == 0
		}
		ck.configRefs = program.CheckConfigRefs(mm.m, refuse)
		ck.resourceParams = program.CheckResourceParams(mm.m)
		ck.pure = !read && !mm.off
	})
	return &mm.checks
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
// time: its composed template once checkTemplates ran, `{}` when the
// config did not compose (config.ChildTemplate).
func (l *linker) programConfig(c *Component) program.Config {
	if c.m.ConfigSchema == nil {
		return program.NoConfig
	}
	if l.configTpls == nil {
		return program.RuntimeConfig
	}
	if t := l.configTpls[c.ID]; t != nil {
		return templateConfig{t}
	}
	return templateConfig{l.memo.m.emptyTemplate()}
}
