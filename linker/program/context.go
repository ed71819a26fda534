package program

import (
	"path/filepath"

	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
)

// Outcomes are what a config path can hold when the program runs, as far
// as linking can tell (Amber's outcome set of a config query): whether it
// can be left out, hold null, hold a non-null value only the run knows, and
// which non-null values known at link time it can hold. Lowering reads
// them through Presence, Static and each.
type Outcomes struct {
	// Unknown: the value is built from runtime root config in a way the
	// analysis does not follow (a string template with config parts, an
	// object holding a reference): any outcome is possible.
	Unknown bool
	Missing bool  // the path can be left out
	Null    bool  // it can hold null
	Dynamic bool  // it can hold a non-null value only the run knows
	Values  []any // the non-null values known at link time it can hold, distinct
}

// StaticOutcomes are the outcomes of a value known at link time.
func StaticOutcomes(v any) Outcomes {
	var o Outcomes
	o.Add(v)
	return o
}

// Add records a value known at link time the path can hold: null sets
// Null; another joins Values unless an equal value is there.
func (o *Outcomes) Add(v any) {
	if v == nil {
		o.Null = true
		return
	}
	for _, w := range o.Values {
		if jsonEqual(v, w) {
			return
		}
	}
	o.Values = append(o.Values, v)
}

// Presence says whether the path is set (non-null) when the program runs:
// Present when every outcome is a non-null value, Absent when none is,
// Runtime when both can happen (and for Unknown).
func (o Outcomes) Presence() configschema.Presence {
	if o.Unknown {
		return configschema.Runtime
	}
	set := o.Dynamic || len(o.Values) > 0
	unset := o.Missing || o.Null
	switch {
	case set && unset:
		return configschema.Runtime
	case set:
		return configschema.Present
	}
	return configschema.Absent
}

// Static returns the one value every outcome agrees on (JSON null
// included); false when the path can be left out, or its value is known
// only at run time or not one.
func (o Outcomes) Static() (any, bool) {
	if o.Unknown || o.Missing || o.Dynamic {
		return nil, false
	}
	switch {
	case o.Null && len(o.Values) == 0:
		return nil, true
	case !o.Null && len(o.Values) == 1:
		return o.Values[0], true
	}
	return nil, false
}

// each returns the items an `each: "config.<q>"` repeats over: an array
// every outcome agrees on, a path left out or null counting as no items.
// runtime is true when only the run knows them; msg is set when a value
// known at link time is not an array.
func (o Outcomes) each(q, loc string) (items []any, runtime bool, msg string) {
	if o.Unknown || o.Dynamic {
		return nil, true, ""
	}
	var agreed []any
	some := o.Missing || o.Null
	if some {
		agreed = []any{}
	}
	for _, v := range o.Values {
		arr, ok := v.([]any)
		if !ok {
			return nil, false, loc + " uses `each: \"config." + q + "\"`, but config." + q + " resolves to " + valueKind(v) + " instead of an array"
		}
		switch {
		case !some:
			agreed, some = arr, true
		case !jsonEqual(arr, agreed):
			return nil, true, ""
		}
	}
	if agreed == nil {
		agreed = []any{}
	}
	return agreed, false, ""
}

// Config is a component's config as lowering sees it: Lookup takes a
// dot-separated path ("" for the whole config) and says what it can hold
// when the program runs. Values are generic JSON: nil, bool, string,
// int64 (or int), float64, []any or map[string]any. The linker adapts its
// config templates to this interface (see the package documentation).
type Config interface {
	Lookup(path string) Outcomes
}

// NoConfig is the Config of a component without config: every path is
// left out.
var NoConfig Config = noConfig{}

type noConfig struct{}

func (noConfig) Lookup(string) Outcomes { return Outcomes{Missing: true} }

// StaticConfig is a Config whose whole value is known at compile time; a
// path that does not resolve is left out.
type StaticConfig struct {
	Value any // the whole config as decoded JSON, objects as map[string]any
}

// Lookup implements Config.
func (c StaticConfig) Lookup(path string) Outcomes {
	v, ok := lookupPath(c.Value, path)
	if !ok {
		return Outcomes{Missing: true}
	}
	return StaticOutcomes(v)
}

// RuntimeConfig is the Config of a component whose config is all runtime
// root config, with nothing known of its schema: every path is Unknown.
var RuntimeConfig Config = runtimeConfig{}

type runtimeConfig struct{}

func (runtimeConfig) Lookup(string) Outcomes { return Outcomes{Unknown: true} }

// FileReader returns the text of a program `{ file }` reference as written
// in the manifest (relative paths are relative to the manifest's directory).
type FileReader func(path string) (string, error)

// DirReader returns a FileReader that resolves relative paths against dir.
func DirReader(dir string) FileReader {
	return func(p string) (string, error) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		b, err := localfile.Read(p)
		return string(b), err
	}
}

// Component is what lowering needs to know about one component.
type Component struct {
	// Moniker is the component's moniker (P), e.g. "/" or "/app".
	Moniker string
	// ID is the component's id: the scope of slot parts in file-mount
	// templates.
	ID int
	// Manifest is the component's manifest; its program, config_schema,
	// slots and resources are used.
	Manifest *manifest.Manifest
	// Config is the component's composed config; nil means NoConfig.
	Config Config
	// Features are the enabled experimental features (framework mounts).
	Features []string
	// ReadFile reads `{ file }` references; nil makes them fail.
	ReadFile FileReader
}

func (c *Component) config() Config {
	if c.Config == nil {
		return NoConfig
	}
	return c.Config
}

func hasFeature(features []string, f string) bool {
	for _, x := range features {
		if x == f {
			return true
		}
	}
	return false
}
