package overlay

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/linker"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// TestRedactionHelperSpec renders the helper program of Amber's
// overlay-redaction example: the symbolic references reach the helper as
// text and no root config input is needed (overlays.md §8.4).
func TestRedactionHelperSpec(t *testing.T) {
	dir := corpus.Path(t, "conformance", "examples", "overlay-redaction")
	res := linker.Link(context.Background(), filepath.Join(dir, "scenario.json5"), linker.Options{})
	plan := res.Overlays
	if plan == nil || plan.Helper == nil || plan.Helper.Optimized() == nil {
		t.Fatalf("no helper scenario: %v", res.Diagnostics)
	}
	hp, err := findHelper(plan, plan.Scopes[0].Overlays[0])
	if err != nil {
		t.Fatal(err)
	}
	spec, err := hp.Spec(plan, func(string) (string, bool) { t.Error("no root config input expected"); return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if spec.Kind != hrt.KindPath || spec.Path != "./overlay.py" || spec.BaseDir != dir || spec.Port != 8120 || spec.Display != "/redaction" || spec.Moniker != "/use_0_0" {
		t.Errorf("spec: %+v", spec)
	}
	want := map[string]string{"PORT": "8120", "REDACTION_TERMS": `["${config.launch_code}","${config.api_key}"]`}
	if len(spec.Env) != len(want) {
		t.Errorf("env: %v", spec.Env)
	}
	for k, v := range want {
		if spec.Env[k] != v {
			t.Errorf("env %s = %q, want %q", k, spec.Env[k], v)
		}
	}
	if spec.Fingerprint == "" {
		t.Error("no fingerprint")
	}
}

// TestFingerprint: a helper is restarted when what it was started from
// changes: its program file, its manifest or its config; nothing else
// changes the fingerprint.
func TestFingerprint(t *testing.T) {
	root, _ := workspace(t, "redact")
	dir := filepath.Dir(root)
	fp := func() string {
		t.Helper()
		res := linker.Link(context.Background(), root, linker.Options{})
		hp, err := findHelper(res.Overlays, res.Overlays.Scopes[0].Overlays[0])
		if err != nil {
			t.Fatal(err)
		}
		spec, err := hp.Spec(res.Overlays, func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatal(err)
		}
		return spec.Fingerprint
	}
	edit := func(name, old, new string) {
		t.Helper()
		path := filepath.Join(dir, name)
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(text), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := fp()
	if fp() != base {
		t.Fatal("the fingerprint of an unchanged helper changed")
	}
	edit("caller.json5", `"exec sleep 1000"`, `"exec sleep 999"`)
	if fp() != base {
		t.Error("an edit outside the helper changed its fingerprint")
	}
	steps := []struct {
		what string
		do   func()
	}{
		{"config", func() { edit("scenario.json5", `"$${config.api_key}"`, `"literal"`) }},
		{"manifest", func() { edit("overlay.json5", `required: ["redaction_terms"]`, `required: []`) }},
		{"program file", func() {
			bin := filepath.Join(dir, "bin", "helper")
			os.Remove(bin)
			if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
	}
	prev := base
	for _, s := range steps {
		s.do()
		if got := fp(); got == prev {
			t.Errorf("changing the helper's %s kept its fingerprint", s.what)
		} else {
			prev = got
		}
	}
}
