package linker

import (
	"crypto/sha256"
	"encoding/base64"
	"sort"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// manifestDigest computes a manifest's identity (linker.md §8.6): "sha256:"
// and the standard base64 of the SHA-256 of the manifest's raw form as
// compact JSON, in struct field order, with `metadata` dropped; JSON trees
// inside it (config, config_schema) have sorted keys.
//
// The spec derives the raw form from Amber's type definitions and marks it
// unverified against a real Amber digest. amber-lsp follows it, with one
// known difference: `{ file }` references stay as written instead of being
// replaced by the file's text, because the cache that computes digests
// sees only the manifest.
func manifestDigest(m *manifest.Manifest) string {
	data, _ := scenario.Encode(rawManifest(m)) // raw forms hold only encodable values
	sum := sha256.Sum256(data)
	return "sha256:" + base64.StdEncoding.EncodeToString(sum[:])
}

// rawManifest is the raw form of a validated manifest.
func rawManifest(m *manifest.Manifest) scenario.Ordered {
	out := scenario.Ordered{{Key: "manifest_version", Value: strValue(m.Version)}}
	if len(m.ExperimentalFeatures) > 0 {
		var fs []string
		for _, f := range m.ExperimentalFeatures {
			fs = append(fs, f.Value)
		}
		sort.Strings(fs)
		out = append(out, scenario.Field{Key: "experimental_features", Value: fs})
	}
	out = append(out,
		scenario.Field{Key: "program", Value: rawProgram(m.Program)},
		scenario.Field{Key: "components", Value: rawDecls(m.Components)},
		scenario.Field{Key: "use", Value: rawDecls(m.Use)},
		scenario.Field{Key: "environments", Value: rawEnvironments(m.Environments)},
		scenario.Field{Key: "config_schema", Value: nodeValue(m.ConfigSchema)},
		scenario.Field{Key: "slots", Value: rawSlots(m.Slots)},
		scenario.Field{Key: "provides", Value: rawProvides(m.Provides)},
		scenario.Field{Key: "resources", Value: rawResources(m.Resources)},
		scenario.Field{Key: "child_templates", Value: rawTemplates(m.ChildTemplates)},
		scenario.Field{Key: "bindings", Value: rawBindings(m.Bindings)},
		scenario.Field{Key: "overlays", Value: strList(m.Overlays)},
		scenario.Field{Key: "exports", Value: rawExports(m.Exports)},
	)
	return out
}

func strValue(s *manifest.Str) any {
	if s == nil {
		return nil
	}
	return s.Value
}

func nodeValue(n *json5.Node) any {
	if n == nil {
		return nil
	}
	return n.Value()
}

func strList(list []manifest.Str) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s.Value
	}
	return out
}

// rawDecls is `components` / `use`: the reference form `{url, digest?}`, or
// `{manifest, config, environment}`.
func rawDecls(decls []*manifest.ComponentDecl) map[string]any {
	out := map[string]any{}
	for _, d := range decls {
		ref := scenario.Ordered{{Key: "url", Value: d.Manifest.Value}}
		if d.Digest != nil {
			ref = append(ref, scenario.Field{Key: "digest", Value: d.Digest.Value})
		}
		if d.Config == nil && d.Environment == nil {
			out[d.Name] = ref
			continue
		}
		out[d.Name] = scenario.Ordered{{Key: "manifest", Value: ref}, {Key: "config", Value: nodeValue(d.Config)}, {Key: "environment", Value: strValue(d.Environment)}}
	}
	return out
}

func rawEnvironments(envs []*manifest.Environment) map[string]any {
	out := map[string]any{}
	for _, e := range envs {
		out[e.Name] = scenario.Ordered{{Key: "extends", Value: strValue(e.Extends)}, {Key: "resolvers", Value: strList(e.Resolvers)}}
	}
	return out
}

func rawSlots(slots []*manifest.Slot) map[string]any {
	out := map[string]any{}
	for _, s := range slots {
		out[s.Name] = scenario.Ordered{{Key: "kind", Value: s.Kind.Value}, {Key: "profile", Value: strValue(s.Profile)}, {Key: "optional", Value: s.Optional}, {Key: "multiple", Value: s.Multiple}}
	}
	return out
}

func rawProvides(provides []*manifest.Provide) map[string]any {
	out := map[string]any{}
	for _, p := range provides {
		out[p.Name] = scenario.Ordered{{Key: "kind", Value: p.Kind.Value}, {Key: "profile", Value: strValue(p.Profile)}, {Key: "endpoint", Value: strValue(p.Endpoint)}}
	}
	return out
}

func rawResources(resources []*manifest.Resource) map[string]any {
	out := map[string]any{}
	for _, r := range resources {
		out[r.Name] = scenario.Ordered{{Key: "kind", Value: r.Kind.Value}, {Key: "params", Value: scenario.Ordered{
			{Key: "size", Value: strValue(r.Size)}, {Key: "retention", Value: strValue(r.Retention)}, {Key: "sharing", Value: strValue(r.Sharing)}}}}
	}
	return out
}

func rawTemplates(ts []*manifest.ChildTemplate) map[string]any {
	out := map[string]any{}
	for _, t := range ts {
		var mf any
		switch {
		case t.ManifestArray:
			mf = strList(t.Manifests)
		case len(t.Manifests) == 1:
			mf = t.Manifests[0].Value
		}
		bindings := map[string]any{}
		for _, b := range t.Bindings {
			bindings[b.Slot] = b.Selector.Value
		}
		out[t.Name] = scenario.Ordered{{Key: "manifest", Value: mf}, {Key: "config", Value: nodeValue(t.Config)}, {Key: "bindings", Value: bindings},
			{Key: "visible_exports", Value: strList(t.VisibleExports)}, {Key: "limits", Value: nodeValue(t.Node.Get("limits"))},
			{Key: "possible_backends", Value: nodeValue(t.Node.Get("possible_backends"))}}
	}
	return out
}

// rawBindings is the canonical explicit form of every binding.
func rawBindings(bs []*manifest.Binding) []any {
	out := make([]any, len(bs))
	for i, b := range bs {
		from := ""
		switch b.Source {
		case manifest.RefChild:
			from = "#" + b.SourceName
		case manifest.RefFramework:
			from = "framework"
		case manifest.RefResources:
			from = "resources"
		case manifest.RefSlots:
			from = "slots"
		case manifest.RefProvides:
			from = "provides"
		case manifest.RefSelf:
			from = "self"
		}
		out[i] = scenario.Ordered{{Key: "to", Value: "#" + b.TargetName}, {Key: "slot", Value: b.SlotName}, {Key: "from", Value: from},
			{Key: "capability", Value: b.SourceCap}, {Key: "weak", Value: b.Weak}}
	}
	return out
}

// rawExports is `exports` with canonical target strings.
func rawExports(xs []*manifest.Export) map[string]any {
	out := map[string]any{}
	for _, x := range xs {
		switch x.Kind {
		case manifest.ExportChild:
			out[x.Name] = "#" + x.Child + "." + x.Capability
		case manifest.ExportSlot:
			out[x.Name] = "slots." + x.Capability
		case manifest.ExportProvide:
			out[x.Name] = "provides." + x.Capability
		default:
			out[x.Name] = x.Capability
		}
	}
	return out
}

// rawProgram is the program with `env` always an object, `mounts` always
// an array and `network` null or its endpoints with the protocol defaulted.
func rawProgram(p *manifest.Program) any {
	if p == nil {
		return nil
	}
	v, _ := p.Node.Value().(map[string]any)
	if v == nil {
		return nil
	}
	body := func(n *json5.Node) any { return nodeValue(n) }
	network := func(nw *manifest.Network) any {
		if nw == nil {
			return nil
		}
		eps := make([]any, len(nw.Endpoints))
		for i, e := range nw.Endpoints {
			proto := "http"
			if e.Protocol != nil {
				proto = e.Protocol.Value
			}
			ep := scenario.Ordered{{Key: "name", Value: e.Name.Value}, {Key: "port", Value: nodeValue(e.Port)}, {Key: "protocol", Value: proto}}
			if e.When != nil {
				ep = append(ep, scenario.Field{Key: "when", Value: e.When.Value})
			}
			if e.Each != nil {
				ep = append(ep, scenario.Field{Key: "each", Value: e.Each.Value})
			}
			eps[i] = ep
		}
		return scenario.Ordered{{Key: "endpoints", Value: eps}}
	}
	env := map[string]any{}
	if e, ok := v["env"].(map[string]any); ok {
		env = e
	}
	mounts := []any{}
	if ms, ok := v["mounts"].([]any); ok {
		mounts = ms
	}
	switch {
	case p.VM != nil:
		return scenario.Ordered{{Key: "vm", Value: body(p.VM.Node)}}
	case p.Path != nil:
		return scenario.Ordered{{Key: "path", Value: v["path"]}, {Key: "args", Value: orEmpty(v["args"])}, {Key: "env", Value: env}, {Key: "network", Value: network(p.Network)}, {Key: "mounts", Value: mounts}}
	}
	return scenario.Ordered{{Key: "image", Value: v["image"]}, {Key: "entrypoint", Value: orEmpty(v["entrypoint"])}, {Key: "env", Value: env}, {Key: "network", Value: network(p.Network)}, {Key: "mounts", Value: mounts}}
}

func orEmpty(v any) any {
	if v == nil {
		return []any{}
	}
	return v
}
