package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/program"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Validate checks a decoded plan against the scope it answers
// (overlays.md §10): per interposition, in plan order, attachments present,
// config needs a schema, the schema passes Amber's profile, the config
// composes against the scope root and satisfies the schema, a program is
// declared and valid with full reference checks, every non-storage provide
// names a declared endpoint, every attachment names a distinct target of the
// request that is not storage and a distinct declared slot and a provide
// whose capabilities match the target's, and every required slot is
// attached. The first failure is returned as an *InvalidPlanError.
//
// Experimental features are never enabled for interposers.
func Validate(p *Plan, sc *Scope) error {
	for i := range p.Interpositions {
		if cause := validateInterposition(&p.Interpositions[i], sc); cause != "" {
			return &InvalidPlanError{Interposition: i, Cause: cause}
		}
	}
	return nil
}

func validateInterposition(in *Interposition, sc *Scope) string {
	ip := &in.Interposer
	if len(in.Attachments) == 0 {
		return "interposition must attach to at least one target"
	}
	if ip.Config != nil && ip.ConfigSchema == nil {
		return "interposer config requires config_schema"
	}
	var schema *json5.Node
	if ip.ConfigSchema != nil {
		schema = config.ValueNode(ip.ConfigSchema)
		if schema == nil {
			return "interposer config_schema is invalid: the schema cannot be read as JSON"
		}
		if errs := configschema.Check(schema); len(errs) > 0 {
			return "interposer config_schema is invalid: " + errs[0].Message()
		}
		var authored *json5.Node
		if ip.Config != nil {
			authored = config.ValueNode(ip.Config)
		}
		parent := sc.Template
		if parent == nil {
			parent = config.RootTemplate(sc.ConfigSchema)
		}
		if _, err := config.FirstProblem(authored, sc.ConfigSchema, parent, schema); err != nil {
			return "interposer config is invalid: " + err.Message()
		}
	}
	if ip.Program == nil {
		return "interposer must declare a program"
	}
	if cause := programProblem(ip, schema, -1); cause != "" {
		return cause
	}
	if cause := endpointProblem(ip); cause != "" {
		return cause
	}
	return attachmentProblem(in, sc)
}

// programProblem validates the interposer's program as a linked program of
// the component with the given id (-1 before the interposer has one).
func programProblem(ip *Interposer, schema *json5.Node, id int) string {
	err := program.ValidateLowered(ip.Program, program.Owner{
		ID:           id,
		ConfigSchema: schema,
		Slots:        ip.Slots,
		Resources:    ip.Resources,
	})
	if err != nil {
		return "interposer program is invalid: " + err.Error()
	}
	return ""
}

// endpointProblem checks that every provide not of kind storage, in name
// order, names an endpoint of the program's network.
func endpointProblem(ip *Interposer) string {
	var endpoints []string
	net := ip.Program.Network
	if ip.Program.VM != nil {
		net = ip.Program.VM.Network
	}
	if net != nil {
		for _, e := range net.Endpoints {
			endpoints = append(endpoints, e.Name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(ip.Provides)) {
		p := ip.Provides[name]
		if p.Kind == scenario.KindStorage {
			continue
		}
		if p.Endpoint == nil {
			return fmt.Sprintf("interposer provide `%s` must declare an endpoint", name)
		}
		if !contains(endpoints, *p.Endpoint) {
			available := "no endpoints are declared"
			if len(endpoints) > 0 {
				available = "available endpoints: `" + strings.Join(endpoints, "`, `") + "`"
			}
			return fmt.Sprintf("interposer provide `%s` references endpoint `%s`, but the interposer program does not declare that endpoint (%s)",
				name, *p.Endpoint, available)
		}
	}
	return ""
}

// attachmentProblem checks the attachments in order, then that every
// required slot is attached.
func attachmentProblem(in *Interposition, sc *Scope) string {
	ip := &in.Interposer
	targets := map[uint64]bool{}
	slots := map[string]bool{}
	for _, a := range in.Attachments {
		if targets[a.Target] {
			return fmt.Sprintf("attachment target %d is referenced more than once", a.Target)
		}
		targets[a.Target] = true
		if slots[a.Slot] {
			return fmt.Sprintf("interposer slot `%s` is attached more than once", a.Slot)
		}
		slots[a.Slot] = true
		t, ok := sc.target(a.Target)
		if !ok {
			return fmt.Sprintf("attachment target %d does not exist in the overlay input", a.Target)
		}
		if t.Capability.Kind == scenario.KindStorage {
			return fmt.Sprintf("attachment target %d carries storage, which cannot be interposed", a.Target)
		}
		slot, ok := ip.Slots[a.Slot]
		if !ok {
			return fmt.Sprintf("attachment references unknown interposer slot `%s`", a.Slot)
		}
		if !slot.Capability.Equal(t.Capability) {
			return fmt.Sprintf("attachment target %d carries %s, but interposer slot `%s` expects %s", a.Target, t.Capability, a.Slot, slot.Capability)
		}
		provide, ok := ip.Provides[a.Provide]
		if !ok {
			return fmt.Sprintf("attachment references unknown interposer provide `%s`", a.Provide)
		}
		if !provide.Capability.Equal(t.Capability) {
			return fmt.Sprintf("attachment target %d carries %s, but interposer provide `%s` offers %s", a.Target, t.Capability, a.Provide, provide.Capability)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(ip.Slots)) {
		if !ip.Slots[name].Optional && !slots[name] {
			return fmt.Sprintf("required interposer slot `%s` is not attached", name)
		}
	}
	return ""
}
