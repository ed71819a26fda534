package main

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/linker"
)

// limitFlags are the flags that bound what linking may do, read by --check,
// --preview and graph: the same limits as the editor's amber.remote.fetch
// and amber.limits.instances.
type limitFlags struct {
	limits analysis.Limits
	given  []string // the flags given, in order
}

// parse reads the limit flag name, taking its value (if it has one) with
// value; it reports false when name is no limit flag.
func (f *limitFlags) parse(name string, hasInline bool, value func() (string, error)) (bool, error) {
	switch name {
	case "--offline":
		if hasInline {
			return true, fmt.Errorf("--offline takes no value")
		}
		return true, f.setRemote(name, linker.FetchNone)
	case "--remote-fetch":
		v, err := value()
		if err != nil {
			return true, err
		}
		p, err := linker.ParseRemoteFetch(v)
		if err != nil {
			return true, fmt.Errorf("--remote-fetch: %v", err)
		}
		return true, f.setRemote(name, p)
	case "--max-instances":
		v, err := value()
		if err != nil {
			return true, err
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return true, fmt.Errorf("--max-instances wants a positive number of instances, got %q", v)
		}
		f.limits.MaxInstances = n
		f.given = append(f.given, name)
		return true, nil
	}
	return false, nil
}

// setRemote records the fetch policy of one flag; --offline and a
// --remote-fetch that says otherwise contradict each other.
func (f *limitFlags) setRemote(name string, p linker.RemoteFetch) error {
	for _, g := range f.given {
		if (g == "--offline" || g == "--remote-fetch") && p != f.limits.Remote {
			return fmt.Errorf("%s contradicts %s given before", name, g)
		}
	}
	f.limits.Remote = p
	f.given = append(f.given, name)
	return nil
}

// misplaced is the error of limit flags given to a command that does not
// link: nil when none was given.
func (f *limitFlags) misplaced() error {
	if len(f.given) == 0 {
		return nil
	}
	return fmt.Errorf("%s goes with --check, --preview or graph (the language server reads amber.remote.fetch and amber.limits.instances)", slices.Compact(f.given)[0])
}
