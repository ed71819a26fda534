package manifest

import "strings"

// Mount source kinds: what a literal mount `from` names (ParseMountSource).
const (
	MountFromConfig    = "config"    // the component's config, or a path in it
	MountFromResources = "resources" // one of the component's resources
	MountFromSlots     = "slots"     // one of the component's slots
	MountFromFramework = "framework" // a framework capability
)

// MountSource is a literal mount `from` read as Amber reads it
// (manifest.md §6.8): the kind of source it names and which one.
type MountSource struct {
	// Kind is MountFromConfig, MountFromResources, MountFromSlots or
	// MountFromFramework.
	Kind string
	// Name is what follows the kind's prefix: the config path ("" for the
	// whole config), the resource or slot name, or the capability.
	Name string
}

// ParseMountSource reads a literal mount `from`. It returns Amber's reason
// when the text names no source: `expected a path segment`, `path contains
// an empty segment`, `framework capability name contains an invalid
// character`, `framework mounts require a capability name
// (framework.<capability>)` or `unknown mount source`; the message of the
// failure is "invalid mount source `{from}`: {reason}". Whether the source
// exists on the component is not checked.
func ParseMountSource(from string) (MountSource, string) {
	if from == MountFromConfig {
		return MountSource{Kind: MountFromConfig}, ""
	}
	for _, kind := range [...]string{MountFromConfig, MountFromResources, MountFromSlots, MountFromFramework} {
		rest, ok := strings.CutPrefix(from, kind+".")
		if !ok {
			continue
		}
		switch {
		case rest == "":
			return MountSource{}, "expected a path segment"
		case containsSegment(strings.ReplaceAll(rest, ".", "/"), ""):
			return MountSource{}, "path contains an empty segment"
		case kind == MountFromFramework && strings.Contains(rest, "."):
			return MountSource{}, "framework capability name contains an invalid character"
		}
		return MountSource{Kind: kind, Name: rest}, ""
	}
	if from == MountFromFramework {
		return MountSource{}, "framework mounts require a capability name (framework.<capability>)"
	}
	return MountSource{}, "unknown mount source"
}
