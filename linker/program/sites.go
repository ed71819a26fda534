package program

import (
	"sort"
	"strconv"

	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// siteKind says how a site's text is read.
type siteKind int

const (
	siteString siteKind = iota // an interpolated string
	siteWhen                   // a `when` path
	siteEach                   // an `each` path
)

// site is one string of a manifest program that may hold references.
type site struct {
	kind siteKind
	// loc is the location in slot-interpolation messages (§5), cfgLoc the
	// one in config-reference messages (§4.1 step 2); "" leaves the site out
	// of that check.
	loc, cfgLoc string
	// ptr is the JSON pointer of the value from the manifest root.
	ptr  []string
	text string
	// each is the `each` path of the item the string repeats in ("" when
	// the string is not inside an `each` item).
	each string
}

// programSites lists the strings of a manifest program in Amber's order:
// image, path, vm, entrypoint/args, env (name order), endpoints, mounts.
// `{ file }` references are read with read; unreadable ones are skipped
// (the manifest stage reports them).
func programSites(m *manifest.Manifest, read FileReader) []site {
	w := &siteWalker{root: m.Root, read: read}
	w.program(m.Program)
	return w.sites
}

type siteWalker struct {
	root  *json5.Node
	read  FileReader
	sites []site
}

func (w *siteWalker) add(s site) { w.sites = append(w.sites, s) }

// spec adds a string spec (inline or `{ file }`) checked by both checks.
func (w *siteWalker) spec(s *manifest.StringSpec, loc, cfgLoc string, ptr []string, each string) {
	if s == nil {
		return
	}
	text, ok := specText(s, w.read)
	if !ok {
		return
	}
	w.add(site{kind: siteString, loc: loc, cfgLoc: cfgLoc, ptr: ptr, text: text, each: each})
}

// specText returns the text of a string spec, reading `{ file }` references.
func specText(s *manifest.StringSpec, read FileReader) (string, bool) {
	if s.File == nil {
		return s.Text, true
	}
	if read == nil {
		return "", false
	}
	text, err := read(s.File.Value)
	return text, err == nil
}

func ptr(segs ...string) []string { return segs }

func join(base []string, segs ...string) []string {
	out := make([]string, 0, len(base)+len(segs))
	return append(append(out, base...), segs...)
}

func (w *siteWalker) program(p *manifest.Program) {
	if p == nil {
		return
	}
	w.spec(p.Image, "program.image", "program.image", ptr("program", "image"), "")
	w.spec(p.Path, "program.path", "program.path", ptr("program", "path"), "")
	if vm := p.VM; vm != nil {
		w.spec(vm.Image, "program.vm.image", "program.vm.image", ptr("program", "vm", "image"), "")
		w.scalar(vm.CPUs, "program.vm.cpus", ptr("program", "vm", "cpus"))
		w.scalar(vm.MemoryMiB, "program.vm.memory_mib", ptr("program", "vm", "memory_mib"))
		w.spec(vm.UserData, "program.vm.cloud_init.user_data", "program.vm.cloud_init.user_data", ptr("program", "vm", "cloud_init", "user_data"), "")
		w.spec(vm.VendorData, "program.vm.cloud_init.vendor_data", "program.vm.cloud_init.vendor_data", ptr("program", "vm", "cloud_init", "vendor_data"), "")
	}
	w.command(p.Entrypoint, "entrypoint")
	w.command(p.Args, "args")
	w.env(p.Env)
	if p.Network != nil {
		w.endpoints(p.Network, "program.network", ptr("program", "network"))
	}
	w.mounts(p.Mounts, "program.mounts", ptr("program", "mounts"))
	if vm := p.VM; vm != nil {
		if vm.Network != nil {
			w.endpoints(vm.Network, "program.vm.network", ptr("program", "vm", "network"))
		}
		w.mounts(vm.Mounts, "program.vm.mounts", ptr("program", "vm", "mounts"))
	}
}

// scalar adds a string vm cpus / memory_mib (config check only).
func (w *siteWalker) scalar(n *json5.Node, loc string, p []string) {
	if n != nil && n.Kind == json5.String {
		w.add(site{kind: siteString, cfgLoc: loc, ptr: p, text: n.Text})
	}
}

// command adds the words of an entrypoint / args value.
func (w *siteWalker) command(c *manifest.Command, name string) {
	if c == nil {
		return
	}
	base := "program." + name
	bp := ptr("program", name)
	if c.Shell != nil || c.File != nil {
		for i, word := range w.words(c) {
			loc := base + "[" + strconv.Itoa(i) + "]"
			w.add(site{kind: siteString, loc: loc, cfgLoc: loc, ptr: join(bp, strconv.Itoa(i)), text: word})
		}
		return
	}
	index := indexElems(c.Node)
	for _, it := range c.Items {
		i := index.of(it.Node)
		loc := base + "[" + strconv.Itoa(i) + "]"
		ip := join(bp, strconv.Itoa(i))
		if it.Plain != nil {
			w.spec(it.Plain, loc, loc, ip, "")
			continue
		}
		each := ""
		if it.When != nil {
			w.add(site{kind: siteWhen, loc: loc + ".when", cfgLoc: loc + ".when", ptr: join(ip, "when"), text: it.When.Value})
		}
		if it.Each != nil {
			each = it.Each.Value
			w.add(site{kind: siteEach, loc: loc + ".each", cfgLoc: loc + ".each", ptr: join(ip, "each"), text: each})
		}
		if it.Arg != nil {
			w.spec(it.Arg, loc, loc, ip, each)
		}
		if it.Argv != nil {
			ap := join(ip, "argv")
			if it.Argv.Shell != nil || it.Argv.File != nil {
				for j, word := range w.words(it.Argv) {
					w.add(site{kind: siteString, loc: loc + ".argv[" + strconv.Itoa(j) + "]", cfgLoc: loc,
						ptr: join(ap, strconv.Itoa(j)), text: word, each: each})
				}
				continue
			}
			argv := indexElems(it.Argv.Node)
			for _, a := range it.Argv.Items {
				j := argv.of(a.Node)
				w.spec(a.Plain, loc+".argv["+strconv.Itoa(j)+"]", loc, join(ap, strconv.Itoa(j)), each)
			}
		}
	}
}

// words returns the shell words of a shell-string or `{ file }` command.
func (w *siteWalker) words(c *manifest.Command) []string {
	if c.Shell != nil {
		out := make([]string, len(c.Words))
		for i, word := range c.Words {
			out[i] = word.Text
		}
		return out
	}
	if w.read == nil {
		return nil
	}
	text, err := w.read(c.File.Value)
	if err != nil {
		return nil
	}
	words, ok := manifest.ShellWords(text)
	if !ok {
		return nil
	}
	return words
}

func (w *siteWalker) env(env []*manifest.EnvVar) {
	for _, e := range sortedEnv(env) {
		loc := "program.env." + e.Name
		ep := ptr("program", "env", e.Name)
		if !e.Object {
			w.spec(e.Value, loc, loc, ep, "")
			continue
		}
		each := ""
		if e.When != nil {
			w.add(site{kind: siteWhen, loc: loc + ".when", cfgLoc: loc + ".when", ptr: join(ep, "when"), text: e.When.Value})
		}
		if e.Each != nil {
			each = e.Each.Value
			w.add(site{kind: siteEach, loc: loc + ".each", cfgLoc: loc + ".each", ptr: join(ep, "each"), text: each})
		}
		w.spec(e.Value, loc+".value", loc+".value", join(ep, "value"), each)
	}
}

// endpoints adds endpoint fields (config check only).
func (w *siteWalker) endpoints(nw *manifest.Network, base string, bp []string) {
	index := indexElems(nw.Node.Get("endpoints"))
	for _, ep := range nw.Endpoints {
		i := index.of(ep.Node)
		loc := base + ".endpoints[" + strconv.Itoa(i) + "]"
		p := join(bp, "endpoints", strconv.Itoa(i))
		each := ""
		if ep.Each != nil {
			each = ep.Each.Value
		}
		w.add(site{kind: siteString, cfgLoc: loc + ".name", ptr: join(p, "name"), text: ep.Name.Value, each: each})
		if ep.Port != nil && ep.Port.Kind == json5.String {
			w.add(site{kind: siteString, cfgLoc: loc + ".port", ptr: join(p, "port"), text: ep.Port.Text, each: each})
		}
		if ep.Protocol != nil {
			w.add(site{kind: siteString, cfgLoc: loc + ".protocol", ptr: join(p, "protocol"), text: ep.Protocol.Value, each: each})
		}
		if ep.When != nil {
			w.add(site{kind: siteWhen, cfgLoc: loc + ".when", ptr: join(p, "when"), text: ep.When.Value})
		}
		if ep.Each != nil {
			w.add(site{kind: siteEach, cfgLoc: loc + ".each", ptr: join(p, "each"), text: each})
		}
	}
}

// mounts adds mount fields (config check only).
func (w *siteWalker) mounts(ms []*manifest.Mount, base string, bp []string) {
	if len(ms) == 0 {
		return
	}
	index := indexElems(lookup(w.root, bp))
	for _, m := range ms {
		i := index.of(m.Node)
		loc := base + "[" + strconv.Itoa(i) + "]"
		p := join(bp, strconv.Itoa(i))
		each := ""
		if m.Each != nil {
			each = m.Each.Value
		}
		if m.Name != nil {
			w.add(site{kind: siteString, cfgLoc: loc + ".name", ptr: join(p, "name"), text: m.Name.Value, each: each})
		}
		w.add(site{kind: siteString, cfgLoc: loc + ".path", ptr: join(p, "path"), text: m.Path.Value, each: each})
		if m.When != nil {
			w.add(site{kind: siteWhen, cfgLoc: loc + ".when", ptr: join(p, "when"), text: m.When.Value})
		}
		if m.Each != nil {
			w.add(site{kind: siteEach, cfgLoc: loc + ".each", ptr: join(p, "each"), text: each})
		}
		w.add(site{kind: siteString, cfgLoc: loc + ".from", ptr: join(p, "from"), text: m.From.Value, each: each})
	}
}

// sortedEnv returns env entries in name order (Amber keeps env in a sorted
// map).
func sortedEnv(env []*manifest.EnvVar) []*manifest.EnvVar {
	out := append([]*manifest.EnvVar(nil), env...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// elemIndexes gives the authored indexes of the elements of an array node:
// the typed view skips elements that failed to decode, so the index of an
// item is not its position among the items. A large array is indexed once;
// looking each item up by a scan made lowering n items quadratic.
type elemIndexes struct {
	arr *json5.Node
	big map[*json5.Node]int // for arrays of more than 16 elements
}

func indexElems(arr *json5.Node) elemIndexes {
	x := elemIndexes{arr: arr}
	if arr != nil && len(arr.Elems()) > 16 {
		x.big = make(map[*json5.Node]int, len(arr.Elems()))
		for i, e := range arr.Elems() {
			x.big[e] = i
		}
	}
	return x
}

// of returns the authored index of elem, or -1.
func (x elemIndexes) of(elem *json5.Node) int {
	if x.big != nil {
		if i, ok := x.big[elem]; ok {
			return i
		}
		return -1
	}
	if x.arr != nil {
		for i, e := range x.arr.Elems() {
			if e == elem {
				return i
			}
		}
	}
	return -1
}

// lookup resolves a JSON pointer from node n, nil when it does not resolve.
func lookup(n *json5.Node, segs []string) *json5.Node {
	if n == nil {
		return nil
	}
	return n.Lookup(segs...)
}
