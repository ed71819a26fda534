package lsp

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
)

// settings are the server's `amber.*` settings.
type settings struct {
	Roots           []string            // amber.roots: root manifests, relative to the first folder
	DenyWarnings    bool                // amber.lint.denyWarnings: -D warnings
	Trace           protocol.TraceValue // amber.trace.server
	OverlaysPreview bool                // amber.overlays.preview: reserved, off by default
}

// parseSettings reads settings from what a client sends: the `amber`
// section itself (workspace/configuration), an object holding it
// (didChangeConfiguration, initializationOptions), or dotted keys
// ("amber.roots"). Absent keys take their defaults; null or empty input
// changes nothing (base is returned).
func parseSettings(raw []byte, base settings) (settings, error) {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return base, nil
	}
	var top any
	if err := json.Unmarshal(raw, &top); err != nil {
		return base, fmt.Errorf("settings are not JSON: %v", err)
	}
	obj, ok := top.(map[string]any)
	if !ok {
		if top == nil {
			return base, nil
		}
		return base, fmt.Errorf("settings must be an object, not %s", jsonKind(top))
	}
	s := settings{}
	if inner, ok := obj["amber"].(map[string]any); ok {
		obj = inner
	}
	get := func(path ...string) (any, bool) {
		dotted := strings.Join(path, ".")
		if v, ok := obj["amber."+dotted]; ok {
			return v, true
		}
		if v, ok := obj[dotted]; ok {
			return v, true
		}
		var cur any = obj
		for _, p := range path {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[p]; !ok {
				return nil, false
			}
		}
		return cur, true
	}
	var problems []string
	if v, ok := get("roots"); ok && v != nil {
		list, ok := v.([]any)
		if !ok {
			problems = append(problems, "amber.roots must be a list of paths")
		}
		s.Roots = nil
		for _, e := range list {
			p, ok := e.(string)
			if !ok || p == "" {
				problems = append(problems, "amber.roots entries must be non-empty strings")
				continue
			}
			s.Roots = append(s.Roots, p)
		}
	}
	boolean := func(dst *bool, name string, path ...string) {
		if v, ok := get(path...); ok && v != nil {
			b, ok := v.(bool)
			if !ok {
				problems = append(problems, name+" must be true or false")
				return
			}
			*dst = b
		}
	}
	boolean(&s.DenyWarnings, "amber.lint.denyWarnings", "lint", "denyWarnings")
	boolean(&s.OverlaysPreview, "amber.overlays.preview", "overlays", "preview")
	if v, ok := get("trace", "server"); ok && v != nil {
		t, _ := v.(string)
		switch protocol.TraceValue(t) {
		case protocol.TraceValueOff, protocol.TraceValueMessages, protocol.TraceValueVerbose:
			s.Trace = protocol.TraceValue(t)
		default:
			problems = append(problems, `amber.trace.server must be "off", "messages" or "verbose"`)
		}
	}
	if len(problems) > 0 {
		return s, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return s, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// rootPaths resolves amber.roots against the first workspace folder.
func (s settings) rootPaths(folders []string) []string {
	var out []string
	for _, r := range s.Roots {
		if !filepath.IsAbs(r) {
			if len(folders) == 0 {
				continue
			}
			r = filepath.Join(folders[0], r)
		}
		out = append(out, filepath.Clean(r))
	}
	return out
}
