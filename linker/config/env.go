package config

import (
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/jsonschema"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// EnvPrefix starts the names of the variables that carry root config.
const EnvPrefix = "AMBER_CONFIG_"

// EnvVarName returns the variable carrying root config path p
// (overlays.md §5.2): AMBER_CONFIG_ + the segments upper-cased and joined
// with `__` (`creds.key` → AMBER_CONFIG_CREDS__KEY). False when a segment
// is not a valid config key (`^[a-z][a-z0-9_]*$` without `__`).
func EnvVarName(p string) (string, bool) {
	if p == "" {
		return "", false
	}
	segs := strings.Split(p, ".")
	for _, s := range segs {
		if !configschema.IsValidKey(s) {
			return "", false
		}
	}
	return EnvPrefix + strings.ToUpper(strings.Join(segs, "__")), true
}

// RootInput is one root config value a run needs from the environment.
type RootInput struct {
	Path string // config path of the leaf
	Env  string // its variable, EnvVarName(Path)
	// Required: the schema requires the path (every segment) and gives it no
	// default, so a run cannot start without it.
	Required bool
}

// RootInputs returns the root inputs for the config paths that programs
// need through ordinary `${config…}` chains (nil: every leaf of the
// schema). A path above leaves stands for the leaves below it ("" for all).
// Symbolic references never create inputs; the caller leaves them out.
// Inputs are sorted by path; paths whose segments are not valid keys are
// skipped.
func RootInputs(schema *json5.Node, paths []string) []RootInput {
	if schema == nil {
		return nil
	}
	leaves, _ := configschema.Leaves(schema)
	defaults, reader := configschema.DefaultsOf(schema), configschema.NewReader(schema)
	if paths == nil {
		paths = []string{""}
	}
	seen := map[string]bool{}
	var out []RootInput
	add := func(p string) {
		env, ok := EnvVarName(p)
		if !ok || seen[p] {
			return
		}
		seen[p] = true
		required, err := reader.Required(p)
		_, defaulted := defaults.At(p)
		out = append(out, RootInput{Path: p, Env: env, Required: err == nil && required && !defaulted})
	}
	for _, p := range paths {
		matched := false
		for _, l := range leaves {
			if p == "" || l.Path == p || strings.HasPrefix(l.Path, p+".") {
				add(l.Path)
				matched = true
			}
		}
		if !matched && p != "" {
			add(p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// RootConfigFromEnv builds the runtime root config from environment
// variables (overlays.md §5.2): each input's variable (lookup returns it and
// whether it is set; an empty value counts as unset) is parsed as JSON when
// it parses and the leaf's schema accepts the result, else taken as a
// string; schema defaults fill the rest; the result is validated against
// the schema. Missing required inputs fail with Amber's
// `scenario is missing required config values - add defaults or set
// environment variables before running: config.{path} ({ENV}), …`.
func RootConfigFromEnv(schema *json5.Node, inputs []RootInput, lookup func(string) (string, bool)) (map[string]any, *Error) {
	obj := map[string]any{}
	var missing []string
	var schemaValue any = true
	if schema != nil {
		schemaValue = schema.Value()
	}
	for _, in := range inputs {
		raw, ok := lookup(in.Env)
		if !ok || raw == "" {
			if in.Required {
				missing = append(missing, "config."+in.Path+" ("+in.Env+")")
			}
			continue
		}
		setPath(obj, strings.Split(in.Path, "."), envValue(schema, schemaValue, in.Path, raw))
	}
	if len(missing) > 0 {
		return nil, &Error{Stage: StageRootConfig, Text: "scenario is missing required config values - add defaults " +
			"or set environment variables before running: " + strings.Join(missing, ", ")}
	}
	t := FromValue(obj)
	if schema != nil {
		t = ApplyDefaults(t, schema)
	}
	v, _ := t.Static()
	if e := schemaError(prefixInvalidConfig, jsonschema.Validate(schemaValue, v), nil); e != nil {
		e.Stage = StageRootConfig
		return nil, e
	}
	m, _ := v.(map[string]any)
	return m, nil
}

// envValue reads one variable's value: JSON when it parses and the leaf
// schema accepts it, otherwise the raw string.
func envValue(schema *json5.Node, schemaValue any, p, raw string) any {
	v, ok := parseJSON(raw)
	if !ok {
		return raw
	}
	var leaf any = true
	if schema != nil {
		if outcome, n, _ := configschema.Lookup(schema, p); outcome == configschema.Found && n != nil {
			leaf = n.Value()
		}
	}
	if len(jsonschema.ValidateWithRoot(schemaValue, leaf, v)) == 0 {
		return v
	}
	return raw
}

// parseJSON parses one complete JSON value, numbers as int64 or float64.
func parseJSON(s string) (any, bool) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, false // trailing content
	}
	return numbers(v)
}

// numbers converts json.Number leaves to int64 or float64; false for a
// number out of float64 range.
func numbers(v any) (any, bool) {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i, true
		}
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case map[string]any:
		for k, e := range x {
			n, ok := numbers(e)
			if !ok {
				return nil, false
			}
			x[k] = n
		}
	case []any:
		for i, e := range x {
			n, ok := numbers(e)
			if !ok {
				return nil, false
			}
			x[i] = n
		}
	}
	return v, true
}

// setPath stores v at a dot path, creating intermediate objects.
func setPath(obj map[string]any, segs []string, v any) {
	cur := obj
	for _, s := range segs[:len(segs)-1] {
		next, ok := cur[s].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[s] = next
		}
		cur = next
	}
	cur[segs[len(segs)-1]] = v
}
