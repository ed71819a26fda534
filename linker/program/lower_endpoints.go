package program

import (
	"strconv"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Messages of endpoint lowering (linker.md §4.3). A `when` or `each`
// problem has no location: the site is the endpoint.
const (
	runtimeEndpoint = "depends on runtime config, but endpoints must resolve entirely at compile time"
	slotsEndpoint   = ", but endpoints cannot depend on slots because port allocation happens before slot values exist"
)

// network resolves the endpoints of a network; nil when none remain.
func (l *lowerer) network(nw *manifest.Network, vm bool) *scenario.Network {
	base := "program.network.endpoints"
	if vm {
		base = "program.vm.network.endpoints"
	}
	index := indexElems(nw.Node.Get("endpoints"))
	var eps []scenario.Endpoint
	seen := map[string]bool{}
	for _, ep := range nw.Endpoints {
		i := index.of(ep.Node)
		loc := base + "[" + strconv.Itoa(i) + "]"
		for _, e := range l.endpoint(ep, loc, i, vm) {
			if seen[e.Name] {
				l.fail(SiteEndpoint, i, vm, "duplicate endpoint name `"+e.Name+"` after endpoint expansion")
				continue
			}
			seen[e.Name] = true
			eps = append(eps, e)
		}
	}
	if len(eps) == 0 {
		return nil
	}
	return &scenario.Network{Endpoints: eps}
}

// endpoint expands one authored endpoint: dropped by a static `when`,
// repeated by a static `each`, its fields rendered statically.
func (l *lowerer) endpoint(ep *manifest.Endpoint, loc string, i int, vm bool) []scenario.Endpoint {
	fail := func(msg string) []scenario.Endpoint {
		l.fail(SiteEndpoint, i, vm, msg)
		return nil
	}
	if ep.When != nil {
		ref, err := interp.ParseRef(ep.When.Value)
		if err != nil {
			return fail(loc + ".when: " + err.Error())
		}
		if ref.Source != interp.Config {
			return fail("uses `when: \"" + ep.When.Value + "\"`" + slotsEndpoint)
		}
		switch l.cfg.Lookup(ref.Query).Presence() {
		case configschema.Runtime:
			return fail(runtimeEndpoint)
		case configschema.Absent:
			return nil
		}
	}
	items := []any{nil}
	hasItem := false
	if ep.Each != nil {
		q, ok := cutPrefix(ep.Each.Value, "config.")
		if !ok {
			return fail("uses `each: \"" + ep.Each.Value + "\"`" + slotsEndpoint)
		}
		arr, runtime, msg := l.cfg.Lookup(q).each(q, loc)
		switch {
		case msg != "":
			return fail(msg)
		case runtime:
			return fail(runtimeEndpoint)
		}
		items, hasItem = arr, true
	}
	var out []scenario.Endpoint
	for _, item := range items {
		r := staticRenderer{cfg: l.cfg, item: item, hasItem: hasItem}
		name, msg := r.render(ep.Name.Value, loc+".name")
		if msg != "" {
			return fail(msg)
		}
		if name == "" {
			return fail(loc + ".name resolves to an empty string")
		}
		port, msg := l.port(r, ep.Port, loc+".port")
		if msg != "" {
			return fail(msg)
		}
		protocol := "http"
		if ep.Protocol != nil {
			if protocol, msg = r.render(ep.Protocol.Value, loc+".protocol"); msg != "" {
				return fail(msg)
			}
			if protocol != "http" && protocol != "https" && protocol != "tcp" {
				return fail(loc + ".protocol resolves to `" + protocol + "`, but endpoint protocols must be `http`, `https`, or `tcp`")
			}
		}
		out = append(out, scenario.Endpoint{Name: name, Port: port, Protocol: protocol})
	}
	return out
}

// port resolves an endpoint port: an integer, or a string rendered
// statically that must parse as a u16.
func (l *lowerer) port(r staticRenderer, n *json5.Node, field string) (int, string) {
	if n == nil {
		return 0, field + " is missing"
	}
	if n.Kind != json5.String {
		v, _ := n.Int()
		return int(v), ""
	}
	s, msg := r.render(n.Text, field)
	if msg != "" {
		return 0, msg
	}
	return parsePort(s)
}

// parsePort reads a rendered port as Rust reads a u16 (an optional `+`,
// then decimal digits), with Rust's texts for what is not one.
func parsePort(s string) (int, string) {
	const invalid, tooLarge = "invalid digit found in string", "number too large to fit in target type"
	if s == "" {
		return 0, "cannot parse integer from empty string"
	}
	digits := s
	if s[0] == '+' || s[0] == '-' {
		if len(s) == 1 {
			return 0, invalid
		}
		if s[0] == '+' {
			digits = s[1:]
		}
	}
	v := 0
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, invalid
		}
		if v = v*10 + int(c-'0'); v > 65535 {
			return 0, tooLarge
		}
	}
	return v, ""
}

// staticRenderer renders an interpolated string entirely at link time.
type staticRenderer struct {
	cfg     Config
	item    any
	hasItem bool
}

// render returns the rendered text, or a failure message for field.
func (r staticRenderer) render(text, field string) (string, string) {
	t, err := interp.Parse(text)
	if err != nil {
		return "", field + ": " + err.Error()
	}
	var out []byte
	for _, part := range t.Parts {
		if part.Kind == interp.Literal {
			out = append(out, part.Text...)
			continue
		}
		ref := part.Ref
		var v any
		switch ref.Source {
		case interp.Slots:
			return "", field + " references `" + ref.Text + "`" + slotsEndpoint
		case interp.Config:
			val, static := r.cfg.Lookup(ref.Query).Static()
			if !static {
				return "", field + " " + runtimeEndpoint
			}
			v = val
		case interp.Item:
			if !r.hasItem {
				return "", "`item` interpolation is only valid inside repeated endpoint expansions in " + field
			}
			val, ok := lookupPath(r.item, ref.Query)
			if !ok {
				return "", "failed to resolve " + ref.Text + " in " + field
			}
			v = val
		}
		s, err := renderValue(v)
		if err != nil {
			return "", err.Error()
		}
		out = append(out, s...)
	}
	return string(out), ""
}
