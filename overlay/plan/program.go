package plan

import (
	"sort"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
)

// An interposer's program arrives in the lowered form of linker.md §8.3 and
// is decoded strictly (overlays.md §9). Problems are reported as one text;
// Amber shows only the path `…program`, the text is kept as the error's
// Detail.

var (
	programFields  = []string{"image", "path", "vm", "entrypoint", "args", "env", "network", "mounts"}
	argItemFields  = []string{"when", "each", "arg", "argv", "join"}
	envItemFields  = []string{"when", "each", "value", "join"}
	networkFields  = []string{"endpoints"}
	endpointFields = []string{"name", "port", "protocol"}
	vmFields       = []string{"image", "cpus", "memory_mib", "egress", "cloud_init", "mounts", "network"}
	cloudFields    = []string{"user_data", "vendor_data"}
	protocols      = []string{"http", "https", "tcp"}
	egresses       = []string{"none", "optional"}
	mountKinds     = []string{scenario.MountFile, scenario.MountSlot, scenario.MountResource, scenario.MountFramework}
)

// present reports whether a program key is set (null counts as absent).
func present(n *node) bool { return n != nil && n.kind != nullNode }

// lowerProgram decodes a lowered program, or returns why it cannot.
func lowerProgram(n *node) (*scenario.Program, string) {
	m, msg := members(n, "a lowered program object", programFields)
	if msg != "" {
		return nil, msg
	}
	count := 0
	for _, k := range []string{"image", "path", "vm"} {
		if present(m[k]) {
			count++
		}
	}
	switch {
	case count == 0:
		return nil, "program must declare either `image`, `path`, or `vm`"
	case count > 1:
		return nil, "program must declare exactly one of `image`, `path`, or `vm`"
	}
	has := func(k string) bool { return m[k] != nil }
	switch {
	case present(m["image"]) && has("args"):
		return nil, "program.args is only supported with program.path"
	case present(m["path"]) && has("entrypoint"):
		return nil, "program.entrypoint is only supported with program.image"
	case present(m["vm"]):
		switch {
		case has("entrypoint"):
			return nil, "program.entrypoint is only supported with program.image"
		case has("args"):
			return nil, "program.args is only supported with program.path"
		case present(m["env"]) && !(m["env"].kind == objectNode && len(m["env"].members) == 0):
			return nil, "program.env is not supported with program.vm"
		case present(m["network"]):
			return nil, "program.network must be nested under program.vm"
		case present(m["mounts"]) && !(m["mounts"].kind == arrayNode && len(m["mounts"].elems) == 0):
			return nil, "program.mounts must be nested under program.vm"
		}
		vm, msg := lowerVM(m["vm"])
		if msg != "" {
			return nil, msg
		}
		return &scenario.Program{VM: vm}, ""
	}

	p := &scenario.Program{}
	if present(m["image"]) {
		s, msg := interpolated(m["image"], "program.image")
		if msg != "" {
			return nil, msg
		}
		p.Image = &s
		if p.Entrypoint, msg = args(m["entrypoint"], "program.entrypoint"); msg != "" {
			return nil, msg
		}
	} else {
		s, msg := interpolated(m["path"], "program.path")
		if msg != "" {
			return nil, msg
		}
		p.Path = &s
		if p.Args, msg = args(m["args"], "program.args"); msg != "" {
			return nil, msg
		}
	}
	if p.Env, msg = env(m["env"]); msg != "" {
		return nil, msg
	}
	if p.Network, msg = network(m["network"], "program.network"); msg != "" {
		return nil, msg
	}
	if p.Mounts, msg = mounts(m["mounts"], "program.mounts"); msg != "" {
		return nil, msg
	}
	return p, ""
}

// interpolated reads a string that must parse as an interpolation string.
func interpolated(n *node, loc string) (string, string) {
	if n.kind != stringNode {
		return "", loc + ": invalid type: " + describe(n) + ", expected a string"
	}
	if _, err := interp.Parse(n.str); err != nil {
		return "", loc + ": " + err.Error()
	}
	return n.str, ""
}

// str reads a plain string field.
func str(n *node, loc string) (string, string) {
	if n == nil {
		return "", loc + ": missing"
	}
	if n.kind != stringNode {
		return "", loc + ": invalid type: " + describe(n) + ", expected a string"
	}
	return n.str, ""
}

// optStr reads an optional string field (absent or null: nil).
func optStr(n *node, loc string) (*string, string) {
	s, msg := optString(n)
	if msg != "" {
		msg = loc + ": " + msg
	}
	return s, msg
}

// args reads entrypoint or args: a shell-style string or an array of items.
// Absent and null are the empty list.
func args(n *node, loc string) ([]scenario.Arg, string) {
	out := []scenario.Arg{}
	if !present(n) {
		return out, ""
	}
	switch n.kind {
	case stringNode:
		words, ok := manifest.ShellWords(n.str)
		if !ok {
			return nil, loc + ": unclosed quote in entrypoint string"
		}
		for _, w := range words {
			out = append(out, scenario.Arg{Text: w})
		}
		return out, ""
	case arrayNode:
	default:
		return nil, loc + ": invalid type: " + describe(n) + ", expected a shell-style string or an array of arguments"
	}
	for i, e := range n.elems {
		at := loc + "[" + strconv.Itoa(i) + "]"
		switch e.kind {
		case stringNode:
			out = append(out, scenario.Arg{Text: e.str})
			continue
		case objectNode:
		default:
			return nil, at + ": expected a string or an object with one of `arg` or `argv`"
		}
		m, msg := members(e, "an argument item", argItemFields)
		if msg != "" {
			return nil, at + ": " + msg
		}
		if (m["arg"] != nil) == (m["argv"] != nil) {
			return nil, at + ": expected exactly one of `arg` or `argv`"
		}
		item := &scenario.ArgItem{}
		if m["arg"] != nil {
			s, msg := str(m["arg"], at+".arg")
			if msg != "" {
				return nil, msg
			}
			item.Arg = &s
		} else {
			argv, msg := stringList(m["argv"], at+".argv")
			if msg != "" {
				return nil, msg
			}
			item.Argv = argv
		}
		for _, f := range []struct {
			key string
			dst **string
		}{{"when", &item.When}, {"each", &item.Each}, {"join", &item.Join}} {
			if *f.dst, msg = optStr(m[f.key], at+"."+f.key); msg != "" {
				return nil, msg
			}
		}
		if item.Join != nil && (item.Each == nil || item.Arg == nil) {
			return nil, at + ": `join` is only valid with `each` and `arg`"
		}
		out = append(out, scenario.Arg{Item: item})
	}
	return out, ""
}

// stringList reads argv: an array of strings, or a shell-style string.
func stringList(n *node, loc string) ([]string, string) {
	switch n.kind {
	case stringNode:
		words, ok := manifest.ShellWords(n.str)
		if !ok {
			return nil, loc + ": unclosed quote in entrypoint string"
		}
		if words == nil {
			words = []string{}
		}
		return words, ""
	case arrayNode:
		out := make([]string, 0, len(n.elems))
		for j, e := range n.elems {
			s, msg := str(e, loc+"["+strconv.Itoa(j)+"]")
			if msg != "" {
				return nil, msg
			}
			out = append(out, s)
		}
		return out, ""
	}
	return nil, loc + ": invalid type: " + describe(n) + ", expected a shell-style string or an array of strings"
}

// env reads the env table, sorted by name as the scenario keeps it.
func env(n *node) ([]scenario.EnvVar, string) {
	if !present(n) {
		return nil, ""
	}
	if n.kind != objectNode {
		return nil, "program.env: invalid type: " + describe(n) + ", expected a map"
	}
	byName := map[string]scenario.EnvVar{}
	for _, mem := range n.members {
		at := "program.env." + mem.key
		v := scenario.EnvVar{Name: mem.key}
		switch mem.val.kind {
		case stringNode:
			v.Value = mem.val.str
		case objectNode:
			m, msg := members(mem.val, "an env item", envItemFields)
			if msg != "" {
				return nil, at + ": " + msg
			}
			if m["value"] == nil {
				return nil, at + ": missing field `value`"
			}
			if v.Value, msg = str(m["value"], at+".value"); msg != "" {
				return nil, msg
			}
			v.Object = true
			for _, f := range []struct {
				key string
				dst **string
			}{{"when", &v.When}, {"each", &v.Each}, {"join", &v.Join}} {
				if *f.dst, msg = optStr(m[f.key], at+"."+f.key); msg != "" {
					return nil, msg
				}
			}
			if v.Join != nil && v.Each == nil {
				return nil, at + ": `join` is only valid with `each`"
			}
			if v.Each != nil && v.Join == nil {
				return nil, at + ": `join` is required with `each` in program.env"
			}
		default:
			return nil, at + ": expected an interpolation string or an object with `value`"
		}
		byName[mem.key] = v // a repeated name keeps its last value
	}
	out := make([]scenario.EnvVar, 0, len(byName))
	for _, v := range byName {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, ""
}

// network reads `{"endpoints": [...]}`; absent and null are none.
func network(n *node, loc string) (*scenario.Network, string) {
	if !present(n) {
		return nil, ""
	}
	m, msg := members(n, "a network object", networkFields)
	if msg != "" {
		return nil, loc + ": " + msg
	}
	net := &scenario.Network{Endpoints: []scenario.Endpoint{}}
	eps := m["endpoints"]
	if !present(eps) {
		return net, ""
	}
	if eps.kind != arrayNode {
		return nil, loc + ".endpoints: invalid type: " + describe(eps) + ", expected a sequence"
	}
	seen := map[string]bool{}
	for i, e := range eps.elems {
		at := loc + ".endpoints[" + strconv.Itoa(i) + "]"
		em, msg := members(e, "an endpoint object", endpointFields)
		if msg != "" {
			return nil, at + ": " + msg
		}
		for _, f := range []string{"name", "port"} {
			if em[f] == nil {
				return nil, at + ": missing field `" + f + "`"
			}
		}
		var ep scenario.Endpoint
		if ep.Name, msg = str(em["name"], at+".name"); msg != "" {
			return nil, msg
		}
		port, ok := em["port"].num.(uint64)
		if em["port"].kind != numberNode || !ok || port > 65535 {
			return nil, at + ".port: invalid value: " + describe(em["port"]) + ", expected a port number (0-65535)"
		}
		ep.Port = int(port)
		ep.Protocol = "http"
		if p := em["protocol"]; p != nil {
			if ep.Protocol, msg = str(p, at+".protocol"); msg != "" {
				return nil, msg
			}
			if !contains(protocols, ep.Protocol) {
				return nil, at + ".protocol: " + unknownVariant(ep.Protocol, protocols)
			}
		}
		if ep.Name == "" {
			return nil, "program endpoint names must not be empty"
		}
		if seen[ep.Name] {
			return nil, "duplicate endpoint name `" + ep.Name + "`"
		}
		seen[ep.Name] = true
		net.Endpoints = append(net.Endpoints, ep)
	}
	return net, ""
}

// lowerVM reads the vm object of a VM program.
func lowerVM(n *node) (*scenario.VM, string) {
	m, msg := members(n, "a vm object", vmFields)
	if msg != "" {
		return nil, "program.vm: " + msg
	}
	for _, f := range []string{"image", "cpus", "memory_mib"} {
		if m[f] == nil {
			return nil, "program.vm: missing field `" + f + "`"
		}
	}
	vm := &scenario.VM{Egress: "none"}
	if vm.Image, msg = interpolated(m["image"], "program.vm.image"); msg != "" {
		return nil, msg
	}
	if vm.CPUs, msg = vmScalar(m["cpus"], "program.vm.cpus"); msg != "" {
		return nil, msg
	}
	if vm.MemoryMiB, msg = vmScalar(m["memory_mib"], "program.vm.memory_mib"); msg != "" {
		return nil, msg
	}
	if e := m["egress"]; present(e) {
		if vm.Egress, msg = str(e, "program.vm.egress"); msg != "" {
			return nil, msg
		}
		if !contains(egresses, vm.Egress) {
			return nil, "program.vm.egress: " + unknownVariant(vm.Egress, egresses)
		}
	}
	if ci := m["cloud_init"]; present(ci) {
		cm, msg := members(ci, "a cloud_init object", cloudFields)
		if msg != "" {
			return nil, "program.vm.cloud_init: " + msg
		}
		if vm.UserData, msg = optStr(cm["user_data"], "program.vm.cloud_init.user_data"); msg != "" {
			return nil, msg
		}
		if vm.VendorData, msg = optStr(cm["vendor_data"], "program.vm.cloud_init.vendor_data"); msg != "" {
			return nil, msg
		}
	}
	if vm.Mounts, msg = mounts(m["mounts"], "program.vm.mounts"); msg != "" {
		return nil, msg
	}
	if vm.Mounts == nil {
		vm.Mounts = []scenario.Mount{}
	}
	if vm.Network, msg = network(m["network"], "program.vm.network"); msg != "" {
		return nil, msg
	}
	return vm, ""
}

// vmScalar reads cpus or memory_mib: a 32-bit unsigned integer or an
// interpolation string.
func vmScalar(n *node, loc string) (any, string) {
	switch n.kind {
	case numberNode:
		if v, ok := n.num.(uint64); ok && v <= 1<<32-1 {
			return int64(v), ""
		}
	case stringNode:
		return interpolated(n, loc)
	}
	return nil, loc + ": data did not match any variant of untagged enum Scalar"
}

// mounts reads lowered mounts (tagged by `kind`); absent and null are none.
func mounts(n *node, loc string) ([]scenario.Mount, string) {
	if !present(n) {
		return nil, ""
	}
	if n.kind != arrayNode {
		return nil, loc + ": invalid type: " + describe(n) + ", expected a sequence"
	}
	var out []scenario.Mount
	for i, e := range n.elems {
		mt, msg := mount(e, loc+"["+strconv.Itoa(i)+"]")
		if msg != "" {
			return nil, msg
		}
		out = append(out, mt)
	}
	return out, ""
}

func mount(n *node, loc string) (scenario.Mount, string) {
	var mt scenario.Mount
	if n.kind != objectNode {
		return mt, loc + ": invalid type: " + describe(n) + ", expected a mount object"
	}
	var kind *node
	for _, mem := range n.members {
		if mem.key == "kind" {
			kind = mem.val
		}
	}
	if kind == nil {
		return mt, loc + ": missing field `kind`"
	}
	if kind.kind != stringNode || !contains(mountKinds, kind.str) {
		if kind.kind != stringNode {
			return mt, loc + ".kind: invalid type: " + describe(kind) + ", expected a mount kind"
		}
		return mt, loc + ".kind: " + unknownVariant(kind.str, mountKinds)
	}
	mt.Kind = kind.str
	var nameKey string
	switch mt.Kind {
	case scenario.MountFile:
		return fileMount(n, loc)
	case scenario.MountSlot:
		nameKey = "slot"
	case scenario.MountResource:
		nameKey = "resource"
	default:
		nameKey = "capability"
	}
	fields := []string{"kind", "path", nameKey}
	m, msg := members(n, "a mount object", fields)
	if msg != "" {
		return mt, loc + ": " + msg
	}
	for _, f := range fields[1:] {
		if m[f] == nil {
			return mt, loc + ": missing field `" + f + "`"
		}
	}
	if mt.Path, msg = str(m["path"], loc+".path"); msg != "" {
		return mt, msg
	}
	if mt.Name, msg = str(m[nameKey], loc+"."+nameKey); msg != "" {
		return mt, msg
	}
	if !strings.HasPrefix(mt.Path, "/") {
		return mt, "mount path must be absolute"
	}
	for _, seg := range strings.Split(mt.Path, "/") {
		if seg == ".." {
			return mt, "mount path must not contain `..`"
		}
	}
	return mt, ""
}

var fileMountFields = []string{"kind", "path", "source", "each", "when"}

func fileMount(n *node, loc string) (scenario.Mount, string) {
	mt := scenario.Mount{Kind: scenario.MountFile}
	m, msg := members(n, "a mount object", fileMountFields)
	if msg != "" {
		return mt, loc + ": " + msg
	}
	for _, f := range []string{"path", "source"} {
		if m[f] == nil {
			return mt, loc + ": missing field `" + f + "`"
		}
	}
	if mt.PathTpl, msg = template(m["path"], loc+".path"); msg != "" {
		return mt, msg
	}
	sm, msg := members(m["source"], "a mount source object", []string{"kind", "path"})
	if msg != "" {
		return mt, loc + ".source: " + msg
	}
	if k := sm["kind"]; k == nil || k.kind != stringNode || k.str != "config" {
		return mt, loc + ".source: expected a config source (`kind: \"config\"`)"
	}
	if sm["path"] == nil {
		return mt, loc + ".source: missing field `path`"
	}
	if mt.SourceTpl, msg = template(sm["path"], loc+".source.path"); msg != "" {
		return mt, msg
	}
	if e := m["each"]; present(e) {
		if mt.Each, msg = condition(e, loc+".each", "slot"); msg != "" {
			return mt, msg
		}
	}
	if w := m["when"]; present(w) {
		if mt.When, msg = condition(w, loc+".when", "query"); msg != "" {
			return mt, msg
		}
	}
	return mt, ""
}

// condition reads a file mount's each / when: {"kind":"config","path":p} or
// {"kind":"slot", slotKey: s}.
func condition(n *node, loc, slotKey string) (*scenario.MountCondition, string) {
	if n.kind != objectNode {
		return nil, loc + ": invalid type: " + describe(n) + ", expected a condition object"
	}
	var kind string
	for _, mem := range n.members {
		if mem.key == "kind" && mem.val.kind == stringNode {
			kind = mem.val.str
		}
	}
	key := "path"
	switch kind {
	case "config":
	case "slot":
		key = slotKey
	default:
		return nil, loc + ": expected `kind` `config` or `slot`"
	}
	m, msg := members(n, "a condition object", []string{"kind", key})
	if msg != "" {
		return nil, loc + ": " + msg
	}
	if m[key] == nil {
		return nil, loc + ": missing field `" + key + "`"
	}
	s, msg := str(m[key], loc+"."+key)
	if msg != "" {
		return nil, msg
	}
	if kind == "config" {
		return &scenario.MountCondition{Config: true, Path: s}, ""
	}
	return &scenario.MountCondition{Slot: s}, ""
}

// template reads a file-mount template: an array of parts told apart by
// their keys.
func template(n *node, loc string) (scenario.Template, string) {
	if n.kind != arrayNode {
		return nil, loc + ": invalid type: " + describe(n) + ", expected a sequence of template parts"
	}
	out := scenario.Template{}
	for i, e := range n.elems {
		at := loc + "[" + strconv.Itoa(i) + "]"
		if e.kind != objectNode {
			return nil, at + ": invalid type: " + describe(e) + ", expected a template part"
		}
		keys := make([]string, 0, len(e.members))
		vals := map[string]*node{}
		for _, mem := range e.members {
			if vals[mem.key] != nil {
				return nil, at + ": duplicate field `" + mem.key + "`"
			}
			keys = append(keys, mem.key)
			vals[mem.key] = mem.val
		}
		sort.Strings(keys)
		var part scenario.TemplatePart
		var msg string
		switch strings.Join(keys, ",") {
		case "lit":
			part.Kind = scenario.PartLit
			part.Lit, msg = str(vals["lit"], at+".lit")
		case "config":
			part.Kind = scenario.PartConfig
			part.Config, msg = str(vals["config"], at+".config")
		case "scope,slot":
			part.Kind = scenario.PartSlot
			if part.Scope, msg = index(vals["scope"], at+".scope"); msg == "" {
				part.Slot, msg = str(vals["slot"], at+".slot")
			}
		case "index,item,scope,slot":
			part.Kind = scenario.PartIndexedItem
			if part.Index, msg = index(vals["index"], at+".index"); msg == "" {
				if part.Scope, msg = index(vals["scope"], at+".scope"); msg == "" {
					if part.Item, msg = str(vals["item"], at+".item"); msg == "" {
						part.Slot, msg = str(vals["slot"], at+".slot")
					}
				}
			}
		case "item":
			part.Kind = scenario.PartItem
			part.Item, msg = str(vals["item"], at+".item")
		default:
			return nil, at + ": data did not match any variant of untagged enum TemplatePart"
		}
		if msg != "" {
			return nil, msg
		}
		out = append(out, part)
	}
	return out, ""
}

// index reads a non-negative integer that fits an int.
func index(n *node, loc string) (int, string) {
	if v, ok := n.num.(uint64); n.kind == numberNode && ok && v <= 1<<31-1 {
		return int(v), ""
	}
	return 0, loc + ": invalid value: " + describe(n) + ", expected a non-negative integer"
}
