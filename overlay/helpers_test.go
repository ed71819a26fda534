package overlay

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/amberlsp/amber-lsp/linker"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// TestRedactionHelperSpec renders the helper program of Amber's
// overlay-redaction example: the symbolic references reach the helper as
// text and no root config input is needed (overlays.md §8.4).
func TestRedactionHelperSpec(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join(corpus, "examples", "overlay-redaction"))
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
