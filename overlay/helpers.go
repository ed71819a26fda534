package overlay

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/program"

	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// helperProgram is the program that serves one overlay: the helper
// component providing the overlay's export, and what it needs to run.
type helperProgram struct {
	overlay *linker.Overlay
	comp    *scenario.Component
	node    *linker.Node // the component's manifest
	tpl     *config.Template
	port    int
	proto   hrt.Protocol
}

// UnsupportedError is a helper amber-lsp cannot run for a preview.
type UnsupportedError struct {
	Moniker string // the helper's moniker in the helper scenario
	Reason  string // why it cannot run, completing "cannot be run by amber-lsp: "
}

// Error returns the error's message.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("component %s cannot be run by amber-lsp: %s", e.Moniker, e.Reason)
}

// findHelper locates the program serving an overlay in the optimised helper
// scenario.
func findHelper(plan *linker.OverlayPlan, o *linker.Overlay) (*helperProgram, error) {
	h := plan.Helper.Optimized()
	var export *scenario.Export
	for i := range h.Exports {
		if h.Exports[i].Name == o.HelperExport {
			export = &h.Exports[i]
		}
	}
	if export == nil {
		return nil, fmt.Errorf("export `%s` is not running", o.Display)
	}
	c := h.Component(export.From.Component)
	if c == nil {
		return nil, fmt.Errorf("export `%s` is not running", o.Display)
	}
	hp := &helperProgram{overlay: o, comp: c}
	for _, lc := range plan.Helper.Components {
		if lc.ID == c.ID {
			hp.node = lc.Node
		}
	}
	if plan.Helper.Configs != nil && c.ID < len(plan.Helper.Configs) {
		hp.tpl = plan.Helper.Configs[c.ID]
	}
	if hp.tpl == nil {
		hp.tpl = config.EmptyObject()
	}
	p := c.Program
	if p == nil {
		return nil, &UnsupportedError{c.Moniker, "it has no program"}
	}
	if p.VM != nil {
		return nil, &UnsupportedError{c.Moniker, "VM programs cannot be previewed"}
	}
	provide, ok := c.Provides[export.From.Name]
	if !ok || provide.Endpoint == nil {
		return nil, &UnsupportedError{c.Moniker, fmt.Sprintf("provide `%s` declares no endpoint", export.From.Name)}
	}
	if p.Network != nil {
		for _, ep := range p.Network.Endpoints {
			if ep.Name == *provide.Endpoint {
				hp.port, hp.proto = ep.Port, hrt.Protocol(ep.Protocol)
			}
		}
	}
	if hp.port == 0 {
		return nil, &UnsupportedError{c.Moniker, fmt.Sprintf("endpoint `%s` is not declared by its program", *provide.Endpoint)}
	}
	for _, b := range h.Bindings {
		if b.To.Component == c.ID {
			return nil, &UnsupportedError{c.Moniker, fmt.Sprintf("its slot `%s` is bound inside the helper scenario; amber-lsp runs only self-contained helper programs", b.To.Name)}
		}
	}
	return hp, nil
}

// unpinnedRemote returns the first manifest, from the root down to the
// helper's program, that was fetched over the network without a digest
// pin: the main tree's root and the components down to the overlay's
// scope, its `use` manifest, and the helper scenario's components from
// there down to the program. Each needs a pin of its own, since a pinned
// manifest fixes the URLs it refers to, not what they serve. nil when
// every one is local or pinned.
func (hp *helperProgram) unpinnedRemote() *linker.Node {
	var chain []*linker.Node // from the program up
	n := hp.node
	for ; n != nil && n.Parent != nil && n.Parent.URL != linker.HelperRootURL; n = n.Parent {
		chain = append(chain, n)
	}
	// n is the helper scenario's `use_*` child, declared by the synthetic
	// root with the digest it computed: its real declaration is the `use`
	// entry of the main tree.
	for m := hp.overlay.UseNode; m != nil; m = m.Parent {
		chain = append(chain, m)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		m := chain[i]
		if _, local := linker.LocalPath(m.Observed); !local && (m.Decl == nil || m.Decl.Digest == nil) {
			return m
		}
	}
	return nil
}

// renderer renders a helper program's strings against its config, with
// root config from AMBER_CONFIG_* values (overlays.md §5.2, §6.2).
type renderer struct {
	tpl    *config.Template
	root   map[string]any
	needed map[string]bool // root paths the program reads (first pass)
	item   any             // the current `each` item
}

// value evaluates a template node with runtime root values; symbolic
// nodes are their text.
func (r *renderer) value(t *config.Template, rest []string) (any, error) {
	switch t.Kind {
	case config.Root:
		return r.rootAt(strings.Join(rest, "."))
	case config.ConfigRef:
		return r.rootAt(joinPath(t.Path, rest))
	}
	if len(rest) > 0 {
		if t.Kind != config.Object {
			return nil, fmt.Errorf("config path not found (encountered non-object before segment %q)", rest[0])
		}
		f, ok := t.Fields[rest[0]]
		if !ok {
			return nil, fmt.Errorf("config path not found (missing key %q)", rest[0])
		}
		return r.value(f, rest[1:])
	}
	switch t.Kind {
	case config.Literal:
		return t.Value, nil
	case config.SymbolicConfigRef:
		if t.Path == "" {
			return "${config}", nil
		}
		return "${config." + t.Path + "}", nil
	case config.SymbolicString:
		return t.Text, nil
	case config.StringTemplate:
		var b strings.Builder
		for _, p := range t.Parts {
			if !p.Config {
				b.WriteString(p.Text)
				continue
			}
			v, err := r.rootAt(p.Text)
			if err != nil {
				return nil, err
			}
			s, ok := config.RenderValue(v)
			if !ok {
				return nil, fmt.Errorf("cannot interpolate null")
			}
			b.WriteString(s)
		}
		return b.String(), nil
	case config.Object:
		out := map[string]any{}
		for k, f := range t.Fields {
			v, err := r.value(f, nil)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	case config.Array:
		out := make([]any, len(t.Elems))
		for i, e := range t.Elems {
			v, err := r.value(e, nil)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported config template")
}

func joinPath(base string, rest []string) string {
	if len(rest) == 0 {
		return base
	}
	if base == "" {
		return strings.Join(rest, ".")
	}
	return base + "." + strings.Join(rest, ".")
}

func (r *renderer) rootAt(path string) (any, error) {
	if r.root == nil {
		r.needed[path] = true
		return "", nil
	}
	v, ok := program.StaticConfig{Value: r.root}.Lookup(path).Static()
	if !ok {
		return nil, fmt.Errorf("root config value `config.%s` is not set", path)
	}
	return v, nil
}

// configAt evaluates a config query of the program.
func (r *renderer) configAt(q string) (any, error) {
	var segs []string
	if q != "" {
		segs = strings.Split(q, ".")
	}
	return r.value(r.tpl, segs)
}

// render interpolates one program string.
func (r *renderer) render(text string) (string, error) {
	tpl, err := interp.Parse(text)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, part := range tpl.Parts {
		if part.Kind == interp.Literal {
			b.WriteString(part.Text)
			continue
		}
		var v any
		switch part.Ref.Source {
		case interp.Config:
			if v, err = r.configAt(part.Ref.Query); err != nil {
				return "", err
			}
		case interp.Item:
			v = r.item
			if part.Ref.Query != "" {
				m, _ := v.(map[string]any)
				v = m[part.Ref.Query]
			}
		default:
			return "", fmt.Errorf("`${%s}` needs slot values, which amber-lsp does not provide to helpers", part.Text)
		}
		s, ok := config.RenderValue(v)
		if !ok {
			return "", fmt.Errorf("cannot interpolate null into `%s`", text)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// condition evaluates a `when: "config.p"`.
func (r *renderer) condition(when string) (bool, error) {
	q, ok := strings.CutPrefix(when, "config")
	if !ok {
		return false, fmt.Errorf("`when: %q` needs slot values, which amber-lsp does not provide to helpers", when)
	}
	q = strings.TrimPrefix(q, ".")
	v, err := r.configAt(q)
	if err != nil {
		return false, nil // an absent value makes the item disappear
	}
	return v != nil && v != false, nil
}

// repeat evaluates an `each: "config.p"`.
func (r *renderer) repeat(each string) ([]any, error) {
	q, ok := strings.CutPrefix(each, "config")
	if !ok {
		return nil, fmt.Errorf("`each: %q` needs slot values, which amber-lsp does not provide to helpers", each)
	}
	v, err := r.configAt(strings.TrimPrefix(q, "."))
	if err != nil || v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("`each: %q` is not an array", each)
	}
	return items, nil
}

// args renders an argv.
func (r *renderer) args(list []scenario.Arg) ([]string, error) {
	var out []string
	for _, a := range list {
		if a.Item == nil {
			s, err := r.render(a.Text)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
			continue
		}
		it := a.Item
		if it.When != nil {
			ok, err := r.condition(*it.When)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		items := []any{nil}
		if it.Each != nil {
			var err error
			if items, err = r.repeat(*it.Each); err != nil {
				return nil, err
			}
		}
		var joined []string
		for _, item := range items {
			r.item = item
			words := it.Argv
			if it.Arg != nil {
				words = []string{*it.Arg}
			}
			for _, w := range words {
				s, err := r.render(w)
				if err != nil {
					return nil, err
				}
				if it.Join != nil {
					joined = append(joined, s)
				} else {
					out = append(out, s)
				}
			}
		}
		r.item = nil
		if it.Join != nil && len(joined) > 0 {
			out = append(out, strings.Join(joined, *it.Join))
		}
	}
	return out, nil
}

// env renders a program's env.
func (r *renderer) env(vars []scenario.EnvVar) (map[string]string, error) {
	out := map[string]string{}
	for _, e := range vars {
		if e.When != nil {
			ok, err := r.condition(*e.When)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		if e.Each == nil {
			s, err := r.render(e.Value)
			if err != nil {
				return nil, err
			}
			out[e.Name] = s
			continue
		}
		items, err := r.repeat(*e.Each)
		if err != nil {
			return nil, err
		}
		var parts []string
		for _, item := range items {
			r.item = item
			s, err := r.render(e.Value)
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		}
		r.item = nil
		join := ""
		if e.Join != nil {
			join = *e.Join
		}
		out[e.Name] = strings.Join(parts, join)
	}
	return out, nil
}

// Spec renders the runtime spec of a helper program. env looks AMBER_CONFIG_*
// variables up (os.LookupEnv in the CLI).
func (hp *helperProgram) Spec(plan *linker.OverlayPlan, env func(string) (string, bool)) (hrt.Spec, error) {
	p := hp.comp.Program
	spec := hrt.Spec{Display: hp.overlay.Display, Moniker: hp.comp.Moniker, Port: hp.port, Protocol: hp.proto}
	if hp.node != nil {
		if path, ok := linker.LocalPath(hp.node.Observed); ok {
			spec.BaseDir = filepath.Dir(path)
		}
	}
	r := &renderer{tpl: hp.tpl, needed: map[string]bool{}}
	render := func() error {
		var err error
		switch {
		case p.Path != nil:
			spec.Kind, spec.Path = hrt.KindPath, *p.Path
			if spec.Path, err = r.render(*p.Path); err != nil {
				return err
			}
			if spec.Args, err = r.args(p.Args); err != nil {
				return err
			}
		case p.Image != nil:
			spec.Kind = hrt.KindImage
			if spec.Image, err = r.render(*p.Image); err != nil {
				return err
			}
			if spec.Args, err = r.args(p.Entrypoint); err != nil {
				return err
			}
		}
		spec.Env, err = r.env(p.Env)
		return err
	}
	if err := render(); err != nil { // collects the root config the program reads
		return spec, err
	}
	if len(r.needed) > 0 {
		var paths []string
		for p := range r.needed {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		schema := config.ValueNode(plan.HelperRootSchema)
		root, cerr := config.RootConfigFromEnv(schema, config.RootInputs(schema, paths), env)
		if cerr != nil {
			return spec, cerr
		}
		r.root = root
	} else {
		r.root = map[string]any{}
	}
	if err := render(); err != nil {
		return spec, err
	}
	spec.Fingerprint = fingerprint(hp, spec)
	return spec, nil
}

// fingerprint hashes what a helper was started from: its manifest text,
// its rendered command and env, and the program file's size and time.
func fingerprint(hp *helperProgram, spec hrt.Spec) string {
	h := sha256.New()
	if hp.node != nil {
		h.Write([]byte(hp.node.Digest()))
	}
	fmt.Fprintf(h, "%q %q %q %q %v\n", spec.Kind, spec.Path, spec.Image, spec.Args, sortedEnv(spec.Env))
	h.Write(scenario.MustEncode(hp.comp.Config))
	if spec.Kind == hrt.KindPath {
		path := spec.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(spec.BaseDir, path)
		}
		if info, err := os.Stat(path); err == nil {
			fmt.Fprintf(h, "%d %d", info.Size(), info.ModTime().UnixNano())
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sortedEnv(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
