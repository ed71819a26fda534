package lsp

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/linker"
)

// settings are the server's `amber.*` settings.
type settings struct {
	Roots           []string            // amber.roots: root manifests, relative to the first folder
	DenyWarnings    bool                // amber.lint.denyWarnings: -D warnings
	Trace           protocol.TraceValue // amber.trace.server
	OverlaysPreview bool                // amber.overlays.preview: run overlay helpers on save; off by default
	// amber.overlays.idleTimeout and amber.overlays.timeout; nil means the
	// default (overlayIdle, overlayTimeout).
	OverlaysIdleTimeout, OverlaysTimeout *time.Duration
	// amber.remote.fetch and amber.limits.instances.
	Limits analysis.Limits
}

// Defaults of the overlay settings.
const (
	defaultOverlayIdle    = 5 * time.Minute
	defaultOverlayTimeout = 30 * time.Second
)

// overlayIdle is how long an unused overlay helper keeps running: 0 stops
// it right after each preview.
func (s settings) overlayIdle() time.Duration {
	if s.OverlaysIdleTimeout == nil {
		return defaultOverlayIdle
	}
	return *s.OverlaysIdleTimeout
}

// overlayTimeout bounds each helper's answer: its start until it is ready,
// and its reply to each request.
func (s settings) overlayTimeout() time.Duration {
	if s.OverlaysTimeout == nil {
		return defaultOverlayTimeout
	}
	return *s.OverlaysTimeout
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
	duration := func(dst **time.Duration, name string, zeroOK bool, path ...string) {
		v, ok := get(path...)
		if !ok || v == nil {
			return
		}
		d, err := parseDuration(v)
		if err == nil && (d < 0 || d == 0 && !zeroOK) {
			err = fmt.Errorf("must not be negative")
			if !zeroOK {
				err = fmt.Errorf("must be positive")
			}
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %v (a number of seconds, or a duration such as \"90s\" or \"5m\")", name, err))
			return
		}
		*dst = &d
	}
	duration(&s.OverlaysIdleTimeout, "amber.overlays.idleTimeout", true, "overlays", "idleTimeout")
	duration(&s.OverlaysTimeout, "amber.overlays.timeout", false, "overlays", "timeout")
	if v, ok := get("remote", "fetch"); ok && v != nil {
		const want = `amber.remote.fetch must be "https", "all" or false`
		switch x := v.(type) {
		case bool:
			if x {
				problems = append(problems, want)
			} else {
				s.Limits.Remote = linker.FetchNone
			}
		case string:
			p, err := linker.ParseRemoteFetch(x)
			if err != nil {
				problems = append(problems, want)
			}
			s.Limits.Remote = p
		default:
			problems = append(problems, want)
		}
	}
	if v, ok := get("limits", "instances"); ok && v != nil {
		n, ok := v.(float64)
		if !ok || n < 1 || n != math.Trunc(n) || n > math.MaxInt32 {
			problems = append(problems, "amber.limits.instances must be a positive whole number")
		} else {
			s.Limits.MaxInstances = int(n)
		}
	}
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

// parseDuration reads a duration setting: a number of seconds, or a
// string such as "90s", "5m" or "1h30m".
func parseDuration(v any) (time.Duration, error) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > float64(math.MaxInt64)/float64(time.Second) {
			return 0, fmt.Errorf("is out of range")
		}
		return time.Duration(x * float64(time.Second)), nil
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(x))
		if err != nil {
			return 0, fmt.Errorf("is not a duration: %q", x)
		}
		return d, nil
	}
	return 0, fmt.Errorf("must be a number or a string, not %s", jsonKind(v))
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

// rootPaths resolves amber.roots against the first workspace folder. A
// root that is not inside a workspace folder, as written or once its
// symbolic links are resolved (`/etc/passwd`, `../../x.json5`, a link out
// of the folder), is refused: settings cannot make the server read, and
// quote in its diagnostics, files outside the workspace.
func (s settings) rootPaths(folders []string) (roots, refused []string) {
	for _, r := range s.Roots {
		if !filepath.IsAbs(r) {
			if len(folders) == 0 {
				refused = append(refused, r)
				continue
			}
			r = filepath.Join(folders[0], r)
		}
		r = filepath.Clean(r)
		if inWorkspace(r, folders) {
			roots = append(roots, r)
		} else {
			refused = append(refused, r)
		}
	}
	return roots, refused
}

// inWorkspace reports whether path lies below one of folders, both as
// written and with symbolic links resolved (when path exists).
func inWorkspace(path string, folders []string) bool {
	below := func(p string, resolve bool) bool {
		for _, f := range folders {
			if resolve {
				if real, err := filepath.EvalSymlinks(f); err == nil {
					f = real
				}
			}
			if rel, err := filepath.Rel(f, p); err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return true
			}
		}
		return false
	}
	if !below(path, false) {
		return false
	}
	real, err := filepath.EvalSymlinks(path)
	return err != nil || below(real, true)
}
