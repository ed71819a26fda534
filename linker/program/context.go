package program

import (
	"path/filepath"

	"github.com/amberlsp/amber-lsp/internal/localfile"
	"github.com/amberlsp/amber-lsp/manifest"
)

// ConfigState says what is known at link time about a config path.
type ConfigState int

// Config states.
const (
	// Static: the value is known at compile time (it may be JSON null).
	Static ConfigState = iota
	// Runtime: the value depends on root config supplied at run time.
	Runtime
	// Absent: the component's config does not set the path.
	Absent
)

// String returns "static", "runtime" or "absent".
func (s ConfigState) String() string {
	switch s {
	case Static:
		return "static"
	case Runtime:
		return "runtime"
	case Absent:
		return "absent"
	}
	return "invalid"
}

// Config is a component's config as lowering sees it.
//
// Lookup takes a dot-separated path ("" for the whole config). For Static it
// returns the value as generic JSON: nil, bool, string, int64 (or int),
// float64, []any or map[string]any. The linker adapts its config template
// to this interface (see the package documentation).
type Config interface {
	Lookup(path string) (value any, state ConfigState)
}

// NoConfig is the Config of a component without config: every path is
// Absent.
var NoConfig Config = noConfig{}

type noConfig struct{}

func (noConfig) Lookup(string) (any, ConfigState) { return nil, Absent }

// StaticConfig is a Config whose whole value is known at compile time; a
// path that does not resolve is Absent.
type StaticConfig struct {
	Value any // the whole config as decoded JSON, objects as map[string]any
}

// Lookup implements Config.
func (c StaticConfig) Lookup(path string) (any, ConfigState) {
	v, ok := lookupPath(c.Value, path)
	if !ok {
		return nil, Absent
	}
	return v, Static
}

// RuntimeConfig is the Config of a root component with a config_schema:
// every path depends on root config supplied at run time.
var RuntimeConfig Config = runtimeConfig{}

type runtimeConfig struct{}

func (runtimeConfig) Lookup(string) (any, ConfigState) { return nil, Runtime }

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
