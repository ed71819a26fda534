package manifest

import (
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

const (
	commandExpectation = "a shell-style string, a `{ file: ... }` reference, or an array of arguments"
	argvExpectation    = "a shell-style string, a `{ file: ... }` reference, or an array of strings"
)

// program reads the `program` section.
func (d *decoder) program(n *json5.Node, p path) *Program {
	p = p.fixed()
	pr := &Program{Node: n}
	present := map[string]*json5.Node{}
	ok := d.record(n, p, programFields, func(k string, m *json5.Member) {
		v, fp := m.Value, p.key(k)
		present[k] = v
		switch k {
		case "image":
			if !isNull(v) {
				pr.Image = d.stringSpec(v, fp)
			}
		case "path":
			if !isNull(v) {
				pr.Path = d.stringSpec(v, fp)
			}
		case "vm":
			if !isNull(v) {
				pr.VM = d.vm(v, fp)
			}
		case "entrypoint":
			pr.Entrypoint = d.command(v, fp)
		case "args":
			pr.Args = d.command(v, fp)
		case "env":
			pr.EnvNode = v
			pr.Env = d.env(v, fp)
		case "network":
			if !isNull(v) {
				pr.Network = d.network(v, fp, networkFields)
			}
		case "mounts":
			pr.Mounts = d.mounts(v, fp)
		}
	})
	if !ok {
		return nil
	}
	has := func(k string) bool { v := present[k]; return v != nil && !isNull(v) }
	_, hasArgs := present["args"]
	_, hasEntrypoint := present["entrypoint"]
	count := 0
	for _, k := range []string{"image", "path", "vm"} {
		if has(k) {
			count++
		}
	}
	switch {
	case count == 0:
		d.fail(p, "program must declare either `image`, `path`, or `vm`")
	case count > 1:
		d.fail(p, "program must declare exactly one of `image`, `path`, or `vm`")
	case has("image") && hasArgs:
		d.fail(p, "program.args is only supported with program.path")
	case has("path") && hasEntrypoint:
		d.fail(p, "program.entrypoint is only supported with program.image")
	case has("vm") && hasEntrypoint:
		d.fail(p, "program.entrypoint is only supported with program.image")
	case has("vm") && hasArgs:
		d.fail(p, "program.args is only supported with program.path")
	case has("vm") && len(pr.Env) > 0:
		d.fail(p, "program.env is not supported with program.vm; configure guest startup with program.vm.cloud_init.user_data or vendor_data")
	case has("vm") && has("network"):
		d.fail(p, "program.network must be nested under program.vm")
	case has("vm") && len(pr.Mounts) > 0:
		d.fail(p, "program.mounts must be nested under program.vm")
	default:
		return pr
	}
	return nil
}

// stringSpec reads an inline string (interpolation-checked) or `{ file }`.
func (d *decoder) stringSpec(n *json5.Node, p path) *StringSpec {
	switch n.Kind {
	case json5.String:
		d.checkInterpolation(n.Text, p)
		return &StringSpec{Node: n, Text: n.Text}
	case json5.Object:
		if f := d.fileRef(n, p); f != nil {
			return &StringSpec{Node: n, File: f}
		}
		return nil
	}
	if n.Kind == json5.Invalid && n.Detail() != "" {
		d.fail(p, n.Detail())
	} else {
		d.fail(p, "expected a string or a `{ file: ... }` reference")
	}
	return nil
}

// fileRef reads a strict `{ file: "..." }` object.
func (d *decoder) fileRef(n *json5.Node, p path) *Str {
	f, ok := d.jsonRecord(n, p, fileFields)
	if !ok {
		return nil
	}
	file := f.get("file")
	if file == nil {
		d.fail(p, "missing field `file`")
		return nil
	}
	if file.Kind != json5.String {
		d.serdeErr(p, file, "a string")
		return nil
	}
	return &Str{file.Text, file}
}

// command reads `entrypoint` / `args` (via a JSON value).
func (d *decoder) command(n *json5.Node, p path) *Command {
	p = p.fixed()
	c := &Command{Node: n}
	if !d.jsonValue(n, p) {
		return c
	}
	switch n.Kind {
	case json5.Null:
	case json5.String:
		c.Shell = &Str{n.Text, n}
		words, err := SplitShell(n.Text)
		if err != "" {
			d.fail(p, err)
			return c
		}
		c.Words = words
		for _, w := range words {
			d.checkInterpolation(w.Text, p)
		}
	case json5.Object:
		c.File = d.fileRef(n, p)
	case json5.Array:
		for i, e := range n.Elems() {
			if it := d.argItem(e, p.index(i)); it != nil {
				c.Items = append(c.Items, it)
			}
		}
	default:
		d.serdeErr(p, n, commandExpectation)
	}
	return c
}

// argItem reads one element of an argument array (via a JSON value).
func (d *decoder) argItem(n *json5.Node, p path) *ArgItem {
	it := &ArgItem{Node: n}
	switch n.Kind {
	case json5.String:
		d.checkInterpolation(n.Text, p)
		it.Plain = &StringSpec{Node: n, Text: n.Text}
		return it
	case json5.Object:
	default:
		if n.Kind == json5.Invalid && n.Detail() != "" {
			d.fail(p, n.Detail())
		} else {
			d.fail(p, "expected a string, a `{ file: ... }` reference, or an object with one of `arg` or `argv`")
		}
		return nil
	}
	if n.Member("file") != nil {
		if f := d.fileRef(n, p); f != nil {
			it.Plain = &StringSpec{Node: n, File: f}
			return it
		}
		return nil
	}
	f, ok := d.jsonRecord(n, p, argItemFields)
	if !ok {
		return nil
	}
	errs := len(d.errs)
	it.When = d.whenPath(f.get("when"), p)
	it.Each = d.eachPath(f.get("each"), p)
	if a := f.get("arg"); a != nil && !isNull(a) {
		it.Arg = d.jsonStringSpec(a, p)
	}
	if a := f.get("argv"); a != nil && !isNull(a) {
		it.Argv = d.argv(a, p)
	}
	if j := f.get("join"); j != nil {
		it.Join = d.jsonStr(j, p)
	}
	switch {
	case len(d.errs) > errs:
		return nil
	case it.Arg != nil && it.Argv != nil:
		d.fail(p, "expected exactly one of `arg` or `argv`")
	case it.Arg == nil && it.Argv == nil:
		d.fail(p, "expected an object with one of `arg` or `argv`")
	case it.Join != nil && (it.Each == nil || it.Argv != nil):
		d.fail(p, "`join` is only valid with `each` and `arg`")
	default:
		return it
	}
	return nil
}

// jsonStringSpec is stringSpec inside an intermediate JSON value.
func (d *decoder) jsonStringSpec(n *json5.Node, p path) *StringSpec {
	switch n.Kind {
	case json5.String:
		d.checkInterpolation(n.Text, p)
		return &StringSpec{Node: n, Text: n.Text}
	case json5.Object:
		if f := d.fileRef(n, p); f != nil {
			return &StringSpec{Node: n, File: f}
		}
		return nil
	}
	d.serdeErr(p, n, "a string or a `{ file: ... }` reference")
	return nil
}

// argv reads the `argv` of an argument item.
func (d *decoder) argv(n *json5.Node, p path) *Command {
	switch n.Kind {
	case json5.String, json5.Object:
		return d.command(n, p)
	case json5.Array:
		c := &Command{Node: n}
		for _, e := range n.Elems() {
			if s := d.jsonStringSpec(e, p); s != nil {
				c.Items = append(c.Items, &ArgItem{Node: e, Plain: s})
			}
		}
		return c
	}
	d.serdeErr(p, n, argvExpectation)
	return nil
}

// whenPath reads an optional `when` value and checks its path syntax.
func (d *decoder) whenPath(n *json5.Node, p path) *Str {
	s := d.jsonStr(n, p)
	if s != nil {
		if msg := checkWhen(s.Value); msg != "" {
			d.fail(p, msg)
			return nil
		}
	}
	return s
}

// eachPath reads an optional `each` value and checks its path syntax.
func (d *decoder) eachPath(n *json5.Node, p path) *Str {
	s := d.jsonStr(n, p)
	if s != nil {
		if msg := checkEach(s.Value); msg != "" {
			d.fail(p, msg)
			return nil
		}
	}
	return s
}

// env reads `program.env`.
func (d *decoder) env(n *json5.Node, p path) []*EnvVar {
	var out []*EnvVar
	d.table(n, p, func(_ int, m *json5.Member, p path) {
		if e := d.envValue(m, p); e != nil {
			out = append(out, e)
		}
	})
	return out
}

func (d *decoder) envValue(m *json5.Member, p path) *EnvVar {
	n := m.Value
	e := &EnvVar{Entry: Entry{m.Key.Name, m.Key, n}}
	switch n.Kind {
	case json5.String:
		d.checkInterpolation(n.Text, p)
		e.Value = &StringSpec{Node: n, Text: n.Text}
		return e
	case json5.Object:
	default:
		if n.Kind == json5.Invalid && n.Detail() != "" {
			d.fail(p, n.Detail())
		} else {
			d.fail(p, "expected an interpolation string, a `{ file: ... }` reference, or an object with `value`")
		}
		return nil
	}
	if n.Member("file") != nil {
		if f := d.fileRef(n, p); f != nil {
			e.Value = &StringSpec{Node: n, File: f}
			return e
		}
		return nil
	}
	e.Object = true
	f, ok := d.jsonRecord(n, p, envValueFields)
	if !ok {
		return nil
	}
	errs := len(d.errs)
	e.When = d.whenPath(f.get("when"), p)
	e.Each = d.eachPath(f.get("each"), p)
	if v := f.get("value"); v != nil {
		e.Value = d.jsonStringSpec(v, p)
	}
	if j := f.get("join"); j != nil {
		e.Join = d.jsonStr(j, p)
	}
	switch {
	case len(d.errs) > errs:
		return nil
	case f.get("value") == nil:
		d.fail(p, "missing field `value`")
	case e.Join != nil && e.Each == nil:
		d.fail(p, "`join` is only valid with `each`")
	case e.Each != nil && e.Join == nil:
		d.fail(p, "`join` is required with `each` in program.env")
	default:
		return e
	}
	return nil
}

// network reads `network` (image/path) or `vm.network`.
func (d *decoder) network(n *json5.Node, p path, fields []string) *Network {
	p = p.fixed()
	nw := &Network{Node: n}
	d.record(n, p, fields, func(k string, m *json5.Member) {
		fp := p.key(k)
		switch k {
		case "endpoints":
			d.array(m.Value, fp, func(i int, e *json5.Node, p path) {
				if ep := d.endpoint(e, p); ep != nil {
					nw.Endpoints = append(nw.Endpoints, ep)
				}
			})
		case "egress":
			nw.Egress = d.enum(m.Value, fp, egressNames)
		}
	})
	return nw
}

func (d *decoder) endpoint(n *json5.Node, p path) *Endpoint {
	p = p.fixed()
	ep := &Endpoint{Node: n}
	var name *Str
	hasPort := false
	ok := d.record(n, p, endpointFields, func(k string, m *json5.Member) {
		v, fp := m.Value, p.key(k)
		switch k {
		case "when":
			ep.When = d.directWhen(v, fp)
		case "each":
			ep.Each = d.directEach(v, fp)
		case "name":
			name = d.interpolated(v, fp)
		case "port":
			hasPort = true
			d.port(v, fp)
			ep.Port = v
		case "protocol":
			ep.Protocol = d.interpolated(v, fp)
		}
	})
	if !ok {
		return nil
	}
	if name == nil {
		if n.Member("name") == nil {
			d.fail(p, "missing field `name`")
		}
		return nil
	}
	if !hasPort {
		d.fail(p, "missing field `port`")
		return nil
	}
	ep.Name = *name
	return ep
}

func (d *decoder) port(v *json5.Node, p path) {
	switch v.Kind {
	case json5.String:
		d.checkInterpolation(v.Text, p)
		return
	case json5.Number:
		if n, ok := v.Int(); ok && v.IsInteger() && n >= 0 && n <= 65535 {
			return
		}
	}
	d.fail(p, "data did not match any variant of untagged enum PortValue")
}

// directWhen reads a `when` field decoded directly (endpoints, mounts).
func (d *decoder) directWhen(v *json5.Node, p path) *Str {
	s := d.optStr(v, p)
	if s != nil {
		if msg := checkWhen(s.Value); msg != "" {
			d.fail(p, msg)
			return nil
		}
	}
	return s
}

func (d *decoder) directEach(v *json5.Node, p path) *Str {
	s := d.optStr(v, p)
	if s != nil {
		if msg := checkEach(s.Value); msg != "" {
			d.fail(p, msg)
			return nil
		}
	}
	return s
}

func (d *decoder) mounts(n *json5.Node, p path) []*Mount {
	var out []*Mount
	d.array(n, p, func(i int, e *json5.Node, p path) {
		if m := d.mount(e, p); m != nil {
			out = append(out, m)
		}
	})
	return out
}

func (d *decoder) mount(n *json5.Node, p path) *Mount {
	p = p.fixed()
	mt := &Mount{Node: n}
	var pth, from *Str
	ok := d.record(n, p, mountFields, func(k string, m *json5.Member) {
		v, fp := m.Value, p.key(k)
		switch k {
		case "when":
			mt.When = d.directWhen(v, fp)
		case "each":
			mt.Each = d.directEach(v, fp)
		case "name":
			mt.Name = d.optInterpolated(v, fp)
		case "path":
			pth = d.interpolated(v, fp)
		case "from":
			from = d.interpolated(v, fp)
		}
	})
	if !ok {
		return nil
	}
	if n.Member("path") == nil {
		d.fail(p, "missing field `path`")
		return nil
	}
	if n.Member("from") == nil {
		d.fail(p, "missing field `from`")
		return nil
	}
	if pth == nil || from == nil {
		return nil
	}
	mt.Path, mt.From = *pth, *from
	return mt
}

func (d *decoder) vm(n *json5.Node, p path) *VM {
	p = p.fixed()
	vm := &VM{Node: n}
	ok := d.record(n, p, vmFields, func(k string, m *json5.Member) {
		v, fp := m.Value, p.key(k)
		switch k {
		case "image":
			vm.Image = d.stringSpec(v, fp)
		case "cpus":
			d.scalar(v, fp)
			vm.CPUs = v
		case "memory_mib":
			d.scalar(v, fp)
			vm.MemoryMiB = v
		case "network":
			if !isNull(v) {
				vm.Network = d.network(v, fp, vmNetworkFields)
			}
		case "mounts":
			vm.Mounts = d.mounts(v, fp)
		case "cloud_init":
			d.record(v, fp, cloudInitFields, func(k2 string, m2 *json5.Member) {
				if isNull(m2.Value) {
					return
				}
				s := d.stringSpec(m2.Value, fp.key(k2))
				if k2 == "user_data" {
					vm.UserData = s
				} else {
					vm.VendorData = s
				}
			})
		}
	})
	if !ok {
		return nil
	}
	for _, k := range []string{"image", "cpus", "memory_mib"} {
		if n.Member(k) == nil {
			d.fail(p, "missing field `"+k+"`")
			return nil
		}
	}
	return vm
}

// scalar checks a vm `cpus` / `memory_mib` value: a u32 or an interpolation.
func (d *decoder) scalar(v *json5.Node, p path) {
	switch v.Kind {
	case json5.String:
		if _, err := parseTemplate(v.Text); err == nil {
			return
		}
	case json5.Number:
		if n, ok := v.Int(); ok && v.IsInteger() && n >= 0 && n <= 1<<32-1 {
			return
		}
	}
	d.fail(p, "data did not match any variant of untagged enum Scalar")
}
