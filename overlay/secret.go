package overlay

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/config"
)

// Secret values never reach the output of an overlay pass. Helpers get
// what Amber gives them (AMBER_CONFIG_* values included); what amber-lsp
// shows of the pass is masked in two ways:
//
//   - structurally: in every component of the request, the plan and the
//     rewritten scenario (any JSON object with a `config_schema`), the
//     `default`, `const`, `enum` and `examples` of the schema's secret
//     paths, and the `config` values at those paths unless they are config
//     interpolation (`${config.x}` stays as written), are config.Mask;
//   - by value: every secret value the run knows (the defaults of secret
//     paths of every schema in the link, and the AMBER_CONFIG_* values of
//     the root's secret paths) is replaced by config.Mask wherever it
//     appears in a JSON string, a diagnostic, or a quoted source line (as
//     many `*`, so that columns stay right).

// secretsOf collects the secret values of a link: the defaults of the
// secret paths of every manifest's schema (main tree and helpers) and the
// runtime values env gives the root's secret paths.
func secretsOf(res *linker.Result, env func(string) (string, bool)) *config.Secrets {
	s := &config.Secrets{}
	add := func(comps []*linker.Component) {
		for _, c := range comps {
			if c == nil || c.Manifest() == nil || c.Manifest().ConfigSchema == nil {
				continue
			}
			s.AddSchema(c.Manifest().ConfigSchema.Value())
		}
	}
	add(res.Components)
	if res.Overlays != nil && res.Overlays.Helper != nil {
		add(res.Overlays.Helper.Components)
	}
	if len(res.Components) > 0 && res.Components[0] != nil && res.Components[0].Manifest() != nil {
		if schema := res.Components[0].Manifest().ConfigSchema; schema != nil {
			s.AddEnv(schema.Value(), env)
		}
	}
	return s
}

// maskJSON returns raw (one JSON value) with every secret masked; raw
// itself when there is nothing to mask. Masked JSON is compact with sorted
// keys, like the scenario's own encoding.
func maskJSON(s *config.Secrets, raw []byte) []byte {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return raw
	}
	v, changed := maskTree(s, v)
	if !changed {
		return raw
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// maskTree masks the components of a JSON tree and then every known secret
// value in it; it reports whether anything may have changed.
func maskTree(s *config.Secrets, v any) (any, bool) {
	v, structural := maskComponents(v)
	v, scrubbed := s.Value(v)
	return v, structural || scrubbed
}

// maskComponents masks, in every object with a `config_schema`, the
// schema's secret values and the `config` values at its secret paths.
func maskComponents(v any) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		changed := false
		out := maps.Clone(x)
		for _, k := range slices.Sorted(maps.Keys(x)) {
			var c bool
			out[k], c = maskComponents(x[k])
			changed = changed || c
		}
		if schema, ok := x["config_schema"]; ok && len(config.SecretPaths(schema)) > 0 {
			out["config_schema"] = config.MaskSchema(out["config_schema"], nil)
			if _, ok := x["config"]; ok {
				out["config"] = config.MaskConfig(schema, out["config"])
			}
			changed = true
		}
		if !changed {
			return v, false
		}
		return out, true
	case []any:
		changed := false
		out := slices.Clone(x)
		for i, e := range x {
			var c bool
			out[i], c = maskComponents(e)
			changed = changed || c
		}
		if !changed {
			return v, false
		}
		return out, true
	}
	return v, false
}

// MaskDiagnostics replaces every secret value the pass knows in the
// messages, labels and help of ds (modified in place; label slices are
// copied, not written through).
func (out *Outcome) MaskDiagnostics(ds []diag.Diagnostic) {
	s := out.Secrets
	if s.Empty() {
		return
	}
	for i := range ds {
		d := &ds[i]
		d.Message, d.Help, d.Subject = s.Text(d.Message), s.Text(d.Help), s.Text(d.Subject)
		d.Labels = slices.Clone(d.Labels)
		for j := range d.Labels {
			d.Labels[j].Message = s.Text(d.Labels[j].Message)
		}
		fixes := slices.Clone(d.Fixes)
		for j := range fixes {
			fixes[j].Title = s.Text(fixes[j].Title)
			fixes[j].Edits = slices.Clone(fixes[j].Edits)
			for k := range fixes[j].Edits {
				fixes[j].Edits[k].NewText = s.Text(fixes[j].Edits[k].NewText)
			}
		}
		d.Fixes = fixes
	}
}

// MaskSources returns the texts with every secret value the pass knows
// overwritten by as many `*`, for the source lines diagnostics quote.
// Spans into the texts stay valid. texts is not modified.
func (out *Outcome) MaskSources(texts map[string][]byte) map[string][]byte {
	if out.Secrets.Empty() {
		return texts
	}
	masked := make(map[string][]byte, len(texts))
	for name, text := range texts {
		masked[name] = out.Secrets.Source(text)
	}
	return masked
}
