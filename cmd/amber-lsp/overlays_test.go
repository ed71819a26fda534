package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/freeport"
)

// buildDir holds the programs the tests build, once per test binary.
var (
	buildDir  string
	buildMu   sync.Mutex
	buildDone = map[string]string{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// built returns the program pkg built as name, building it on first use.
func built(t *testing.T, name, pkg string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if bin, ok := buildDone[name]; ok {
		return bin
	}
	if buildDir == "" {
		dir, err := os.MkdirTemp("", "amber-lsp-cmd-test-")
		if err != nil {
			t.Fatal(err)
		}
		buildDir = dir
	}
	bin := filepath.Join(buildDir, name)
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	buildDone[name] = bin
	return bin
}

// overlayWorkspace copies the overlay package's redaction fixture with its
// test helper (built here) answering in mode, on the given port.
func overlayWorkspace(t *testing.T, mode string, port int) string {
	t.Helper()
	return overlayFixture(t, "redaction", mode, port)
}

// overlayFixture copies the overlay package's fixture testdata/name with
// its test helper (built here) answering in mode, on the given port; more
// holds further placeholders and their values ({{PORT2}}, ...).
func overlayFixture(t *testing.T, name, mode string, port int, more ...string) string {
	t.Helper()
	dir := t.TempDir()
	helper := built(t, "helper", "../../overlay/testdata/helper")
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(helper, filepath.Join(dir, "bin", "helper")); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("../../overlay/testdata", name, "*.json5"))
	repl := strings.NewReplacer(append([]string{"{{PORT}}", strconv.Itoa(port), "{{MODE}}", mode, "{{PIDFILE}}", ""}, more...)...)
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(repl.Replace(string(text))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "scenario.json5")
}

// TestPreviewAndApply runs real helpers through the command line: --preview
// in both formats and --check --apply-overlays with a good and a bad plan.
func TestPreviewAndApply(t *testing.T) {
	root := overlayWorkspace(t, "redact", freeport.Get(t))
	code, stdout, stderr := runCheck(t, "--preview", root)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "/__overlay_0_0 attached to 0") || !strings.Contains(stdout, "/responder.a2a -> /__overlay_0_0.upstream") {
		t.Errorf("--preview: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runCheck(t, "--preview", "--format", "json", root)
	var doc struct {
		Version  int
		Overlays []struct{ Ref string }
		Scenario map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != 0 || doc.Version != 1 || len(doc.Overlays) != 1 || doc.Scenario == nil {
		t.Errorf("--preview --format json: exit %d, %v\n%s", code, err, stdout)
	}
	if code, stdout, _ := runCheck(t, "--check", "--apply-overlays", root); code != 0 {
		t.Errorf("--check --apply-overlays: exit %d\n%s", code, stdout)
	}

	bad := overlayWorkspace(t, "invalid", freeport.Get(t))
	code, stdout, _ = runCheck(t, "--check", "--apply-overlays", "--format", "json", bad)
	if code != 1 || !strings.Contains(stdout, "compiler::overlay_pass_invalid_interposition_plan") {
		t.Errorf("invalid plan: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := runCheck(t, "--check", bad); code != 0 {
		t.Errorf("helpers must not run without --apply-overlays: exit %d\n%s", code, stdout)
	}
}

// TestPreviewMasksSecrets runs helpers that repeat the secrets they were
// given (in their plan, their error answer, their stderr) through every
// output that runs them: no byte of a secret (from the environment, from a
// schema default, or a literal given to a secret property) is printed,
// while the helper did get them and symbolic references stay as written.
func TestPreviewMasksSecrets(t *testing.T) {
	const fromEnv = "env-secret-9f3a"
	secrets := []string{fromEnv, "swordfish-default-77", "literal-pin-4242", "spare-secret-5150"}
	t.Setenv("AMBER_CONFIG_API_KEY", fromEnv)
	for _, mode := range []string{"echo", "echofail", "echocrash"} {
		root := overlayFixture(t, "secret", mode, freeport.Get(t))
		for _, args := range [][]string{
			{"--preview"}, {"--preview", "--format", "json"},
			{"--check", "--apply-overlays"}, {"--check", "--apply-overlays", "--format", "json"},
			{"--check", "--apply-overlays", "--format", "sarif"},
		} {
			name := mode + " " + strings.Join(args, " ")
			code, stdout, stderr := runCheck(t, append(args, root)...)
			if want := map[bool]int{true: 0, false: 1}[mode == "echo"]; code != want {
				t.Errorf("%s: exit %d\n%s%s", name, code, stdout, stderr)
			}
			for _, s := range secrets {
				if strings.Contains(stdout+stderr, s) {
					t.Errorf("%s: the output shows the secret %q:\n%s%s", name, s, stdout, stderr)
				}
			}
			if mode != "echo" && !strings.Contains(stdout, "***") {
				t.Errorf("%s: the helper's words about the secrets are not in the output:\n%s", name, stdout)
			}
			if !slices.Contains(args, "--format") && !strings.Contains(stdout, `default: "*****************"`) {
				t.Errorf("%s: the quoted line of the unused secret is not masked:\n%s", name, stdout)
			}
		}
	}

	root := overlayFixture(t, "secret", "echo", freeport.Get(t))
	_, stdout, _ := runCheck(t, "--preview", "--format", "json", root)
	var doc struct {
		Overlays []struct{ Request, Plan json.RawMessage }
		Scenario struct {
			Components []struct {
				Moniker      string
				Config       map[string]any
				ConfigSchema map[string]any `json:"config_schema"`
				Program      struct{ Env map[string]any }
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Overlays) != 1 {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, c := range doc.Scenario.Components {
		switch c.Moniker {
		case "/":
			props, _ := c.ConfigSchema["properties"].(map[string]any)
			launch, _ := props["launch_code"].(map[string]any)
			region, _ := props["region"].(map[string]any)
			if launch["default"] != "***" || region["default"] != "eu-west" {
				t.Errorf("root schema: %v", props)
			}
		case "/caller":
			if c.Config["token"] != "${config.api_key}" || c.Config["pin"] != "***" || c.Config["region"] != "${config.region}" {
				t.Errorf("caller config %v: want the reference kept and the literal masked", c.Config)
			}
		case "/__overlay_0_0":
			if got := c.Program.Env["SEEN_TERMS"]; got != `["***","***"]` {
				t.Errorf("interposer env SEEN_TERMS = %v: want the two secrets the helper was given, masked", got)
			}
		}
	}
	for _, raw := range []json.RawMessage{doc.Overlays[0].Request, doc.Overlays[0].Plan} {
		if !strings.Contains(string(raw), `***`) {
			t.Errorf("request or plan shows no mask:\n%s", raw)
		}
	}
}
