package linker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/cputime"
)

// writeDoublingTree writes n manifests f0 … f{n-1}, each instantiating the
// next twice (children a and b), and returns the path of f0: a tree of
// 2^n - 1 instances.
func writeDoublingTree(t testing.TB, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		text := `{ manifest_version: "0.3.0" }`
		if i < n-1 {
			text = fmt.Sprintf(`{ manifest_version: "0.3.0", components: { a: "./f%d.json5", b: "./f%d.json5" } }`, i+1, i+1)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.json5", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "f0.json5")
}

// TestInstanceBudget links 31 tiny files that each instantiate the next
// twice: two billion instances, which grew past 5.8 GiB before. The link
// stops at the reference that crosses the budget, in well under a second
// and a few dozen MiB.
func TestInstanceBudget(t *testing.T) {
	root := writeDoublingTree(t, 31)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu0, measured := cputime.Used()
	start := time.Now()
	res := Link(context.Background(), root, Options{})
	elapsed := time.Since(start)
	cpu1, _ := cputime.Used()
	cpu := cpu1 - cpu0
	if !measured {
		cpu = elapsed
	}
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("31-file doubling tree: %v (%v of CPU), %.1f MiB allocated", elapsed.Round(time.Millisecond), cpu.Round(time.Millisecond), float64(allocated)/(1<<20))
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != codes.TooManyInstances {
		t.Fatalf("diagnostics %v, want one %s", res.Diagnostics, codes.TooManyInstances)
	}
	d := res.Diagnostics[0]
	if !strings.HasPrefix(d.Message, "the component tree has more than 100000 component instances: `") || !strings.HasSuffix(d.Message, "would be instance 100001") {
		t.Errorf("message %q", d.Message)
	}
	l, _ := d.Primary()
	text, err := os.ReadFile(l.File)
	if err != nil {
		t.Fatalf("the label's file %q: %v", l.File, err)
	}
	if got := string(text[l.Span.Start:l.Span.End]); !strings.HasPrefix(got, `"./f`) {
		t.Errorf("label on %q, want the reference", got)
	}
	if res.Linked() || res.Components != nil {
		t.Error("a link over the budget has a scenario")
	}
	// The link's own CPU time (wall time on a loaded machine says little):
	// about 0.4 s, and 90 MiB allocated in total, most of it garbage.
	if cpu > time.Second || allocated > 200<<20 {
		t.Errorf("took %v of CPU and allocated %d MiB, want under 1 s and 200 MiB", cpu, allocated>>20)
	}
}

// TestInstanceBudgetBoundary: a tree of exactly the budget links; one more
// instance is refused at the reference that makes it, whether a child, a
// `use` entry or a child template's manifest.
func TestInstanceBudgetBoundary(t *testing.T) {
	root := writeDoublingTree(t, 4) // 15 instances
	if res := Link(context.Background(), root, Options{MaxInstances: 15}); len(res.Diagnostics) != 0 || !res.Linked() {
		t.Errorf("15 instances with a budget of 15: %v", res.Diagnostics)
	}
	res := Link(context.Background(), root, Options{MaxInstances: 14})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != codes.TooManyInstances ||
		res.Diagnostics[0].Message != "the component tree has more than 14 component instances: `b` in "+filepath.Join(filepath.Dir(root), "f2.json5")+" would be instance 15" {
		t.Errorf("15 instances with a budget of 14: %v", res.Diagnostics)
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("leaf.json5", `{ manifest_version: "0.4.0" }`)
	kinds := map[string]string{
		"use":      `{ manifest_version: "0.4.0", components: { c: "./leaf.json5" }, use: { u: "./leaf.json5" } }`,
		"template": `{ manifest_version: "0.4.0", slots: { spawn: { kind: "component", optional: true } }, components: { c: "./leaf.json5" }, child_templates: { t: { manifest: "./leaf.json5" } } }`,
	}
	for kind, text := range kinds {
		p := write(kind+".json5", text)
		if res := Link(context.Background(), p, Options{MaxInstances: 3}); hasCode(res, codes.TooManyInstances) {
			t.Errorf("%s: 3 instances with a budget of 3: %v", kind, res.Diagnostics)
		}
		res := Link(context.Background(), p, Options{MaxInstances: 2})
		if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != codes.TooManyInstances {
			t.Errorf("%s: 3 instances with a budget of 2: %v", kind, res.Diagnostics)
		}
	}
}

func hasCode(res *Result, code diag.Code) bool {
	for _, d := range res.Diagnostics {
		if d.Code == code {
			return true
		}
	}
	return false
}
