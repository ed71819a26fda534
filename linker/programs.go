package linker

import (
	"fmt"
	"hash/maphash"
	"maps"
	"path/filepath"
	"reflect"
	"slices"

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
// memoized by what it depends on (programKey): the manifest and the
// answers its config gave to the questions lowering asked, so components
// of one manifest whose configs agree on what lowering reads share one.
func (l *linker) lowerPrograms() {
	for _, c := range l.comps {
		if c.m.Program == nil {
			continue
		}
		base := programKey{res: c.Node.Result, id: -1, cfg: l.programConfigKind(c)}
		if c.mm.mounts {
			base.id = c.ID
		}
		var prev *cell[programKey, programMemo]
		if c.ID < len(l.prev) {
			prev = l.prev[c.ID].program
		}
		var pm programMemo
		found := false
		if prev != nil && l.sameConfig(c) && prev.key.res == c.Node.Result {
			// The previous link's lowering, of the same manifest at the
			// same moniker and id, asked the same template.
			pm, found = prev.val, true
			l.keepProgram(c, prev)
		}
		var probes []*lowerProbe
		var cfg program.Config // built only when the previous lowering is not kept
		if !found {
			probes = c.mm.lowerProbes()
			cfg = l.programConfig(c)
		}
		for _, p := range probes {
			ans := p.answers(cfg)
			key := base
			key.probe, key.answers = p, hashAnswers(ans)
			if cp := find(l.memo, &l.memo.m.tables.programs, prev, key); cp != nil && slices.EqualFunc(cp.val.answers, ans, answer.equal) {
				pm, found = cp.val, true
				l.keepProgram(c, cp)
				break
			}
		}
		if !found {
			var features []string
			for _, f := range c.m.ExperimentalFeatures {
				features = append(features, f.Value)
			}
			read := false
			readFile := l.fileReader(c)
			rec := &recordingConfig{cfg: cfg}
			var lowered *program.Lowered
			lowered, pm.failures = program.Lower(program.Component{Moniker: c.Moniker, ID: c.ID, Manifest: c.m,
				Config: rec, Features: features, ReadFile: func(path string) (string, error) { read = true; return readFile(path) }})
			if lowered != nil {
				pm.program, pm.mountIndexes = lowered.Program, lowered.MountIndexes
			}
			pm.answers = rec.answers
			if p := c.mm.addProbe(rec.paths); p != nil && !read {
				key := base
				key.probe, key.answers = p, hashAnswers(pm.answers)
				l.keepProgram(c, put(l.memo, &l.memo.m.tables.programs, key, pm))
			}
		}
		for _, f := range pm.failures {
			l.errs = append(l.errs, inFile(f.Diagnostic(c.Moniker), c.Node.File))
		}
		c.program, c.mountIndexes = pm.program, pm.mountIndexes
	}
}

// sameConfig reports whether component c has the config cell of the
// component at its id in the root's previous link, in a tree of that
// link's shape: its composed template is that link's.
func (l *linker) sameConfig(c *Component) bool {
	if !l.sameShape || l.units == nil || l.memo.m.off {
		return false
	}
	cc := l.units[c.ID].config
	return cc != nil && cc == l.prev[c.ID].config
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
// manifest; its config as lowering sees it (cfg: 0 none, 1 a composed
// template, 2 known only at run time), through the answers it gave to the
// questions lowering asked (probe, the questions; answers, a hash of the
// answers, which programMemo holds to compare); and, when the program
// mounts something, its id (the scope of slot parts in file-mount
// templates). Lowering is deterministic: a config that answers the same
// questions the same way leads it through the same questions to the same
// program.
type programKey struct {
	res     *manifest.Result
	cfg     uint8
	id      int
	probe   *lowerProbe
	answers uint64
}

// programMemo is a lowered program and its failures, with the config's
// answers to the probe's questions. Shared: read only.
type programMemo struct {
	program      *scenario.Program
	mountIndexes []int // program.Lowered.MountIndexes
	failures     []program.Failure
	answers      []answer
}

// lowerProbe is the sequence of config paths one lowering of a manifest
// looked up, in order.
type lowerProbe struct{ paths []string }

// answer is what a program.Config said about a path.
type answer struct{ program.Outcomes }

func (a answer) equal(b answer) bool {
	return reflect.DeepEqual(a.Outcomes, b.Outcomes)
}

// answers asks cfg the probe's questions.
func (p *lowerProbe) answers(cfg program.Config) []answer {
	if len(p.paths) == 0 {
		return nil
	}
	out := make([]answer, len(p.paths))
	for i, path := range p.paths {
		out[i].Outcomes = cfg.Lookup(path)
	}
	return out
}

// recordingConfig is a program.Config recording the questions asked and
// the answers given.
type recordingConfig struct {
	cfg     program.Config
	paths   []string
	answers []answer
}

// Lookup implements program.Config.
func (r *recordingConfig) Lookup(path string) program.Outcomes {
	o := r.cfg.Lookup(path)
	r.paths = append(r.paths, path)
	r.answers = append(r.answers, answer{o})
	return o
}

// maxProbes bounds the question sequences kept per manifest: lowerings
// that ask others are not memoized.
const maxProbes = 8

// lowerProbes returns the question sequences of the manifest's lowerings.
func (mm *manifestMemo) lowerProbes() []*lowerProbe {
	if p := mm.probes.Load(); p != nil {
		return *p
	}
	return nil
}

// addProbe returns the probe asking paths, adding it when it is new; nil
// when the manifest has too many.
func (mm *manifestMemo) addProbe(paths []string) *lowerProbe {
	mm.probeMu.Lock()
	defer mm.probeMu.Unlock()
	probes := mm.lowerProbes()
	for _, p := range probes {
		if slices.Equal(p.paths, paths) {
			return p
		}
	}
	if len(probes) >= maxProbes {
		return nil
	}
	p := &lowerProbe{paths: slices.Clone(paths)}
	probes = append(slices.Clip(probes), p)
	mm.probes.Store(&probes)
	return p
}

// hashAnswers hashes answers (values as JSON trees: equal trees, equal
// hashes).
func hashAnswers(ans []answer) uint64 {
	if len(ans) == 0 {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(textSeed)
	for _, a := range ans {
		maphash.WriteComparable(&h, [4]bool{a.Unknown, a.Missing, a.Null, a.Dynamic})
		maphash.WriteComparable(&h, len(a.Values))
		for _, v := range a.Values {
			hashValue(&h, v)
		}
	}
	return h.Sum64()
}

func hashValue(h *maphash.Hash, v any) {
	switch x := v.(type) {
	case nil:
		h.WriteByte(0)
	case bool:
		h.WriteByte(1)
		maphash.WriteComparable(h, x)
	case string:
		h.WriteByte(2)
		h.WriteString(x)
	case int64:
		h.WriteByte(3)
		maphash.WriteComparable(h, x)
	case float64:
		h.WriteByte(4)
		maphash.WriteComparable(h, x)
	case []any:
		h.WriteByte(5)
		maphash.WriteComparable(h, len(x))
		for _, e := range x {
			hashValue(h, e)
		}
	case map[string]any:
		h.WriteByte(6)
		maphash.WriteComparable(h, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			h.WriteString(k)
			hashValue(h, x[k])
		}
	default: // another type: equal values still hash alike
		h.WriteByte(7)
		h.WriteString(fmt.Sprintf("%T %v", x, x))
	}
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

// mountFrom locates the `from` of the authored mount the ith mount of a
// component's lowered program came from (the mount site of §4.3).
func (c *Component) mountFrom(i int) span {
	if i >= len(c.mountIndexes) || !c.Node.Result.Syntax.SpanGrammarOK {
		return c.at(nil)
	}
	return span{c.Node.File, program.MountSpan(c.m.Root, c.mountIndexes[i], c.program.VM != nil)}
}

// programConfigKind says which of programConfig's answers component c
// gets, without building it: 0 no config, 1 its composed template, 2
// runtime root config.
func (l *linker) programConfigKind(c *Component) uint8 {
	switch {
	case c.m.ConfigSchema == nil:
		return 0
	case l.configTpls == nil:
		return 2
	}
	return 1
}

// programConfig is what lowering may know of a component's config at link
// time: its composed template once checkTemplates ran, `{}` when the
// config did not compose (config.ChildTemplate), read with its own and the
// root's config_schema (config.Analyze).
func (l *linker) programConfig(c *Component) program.Config {
	switch l.programConfigKind(c) {
	case 0:
		return program.NoConfig
	case 2:
		return program.RuntimeConfig
	}
	schemas := config.Schemas{Component: c.m.ConfigSchema, Root: l.root().m.ConfigSchema, Defaults: &l.defaults}
	if t := l.configTpls[c.ID]; t != nil {
		return templateConfig{t, schemas}
	}
	return templateConfig{l.memo.m.emptyTemplate(), schemas}
}
