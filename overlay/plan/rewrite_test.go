package plan

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// rewrite validates every plan against its scope, as the overlay pass does,
// then rewrites s, checking that s itself is left alone.
func rewrite(t *testing.T, s *scenario.Scenario, apps []Application) (*scenario.Scenario, error) {
	t.Helper()
	for i, app := range apps {
		if err := Validate(app.Plan, app.Scope); err != nil {
			t.Fatalf("application %d: Validate: %v", i, err)
		}
	}
	before := string(scenario.MustEncode(s))
	out, err := Rewrite(s, apps)
	if after := string(scenario.MustEncode(s)); after != before {
		t.Errorf("Rewrite modified its input:\n before %s\n after  %s", before, after)
	}
	return out, err
}

func mustRewrite(t *testing.T, s *scenario.Scenario, apps []Application) *scenario.Scenario {
	t.Helper()
	out, err := rewrite(t, s, apps)
	if err != nil {
		t.Fatalf("Rewrite: %v", err)
	}
	return out
}

// TestRewriteRedaction reproduces the redaction example of overlays.md §11.6.
func TestRewriteRedaction(t *testing.T) {
	s := redactionScenario()
	out := mustRewrite(t, s, []Application{{Scope: redactionScope(s), Overlay: 0, Plan: mustDecode(t, redactionPlan)}})
	c := out.Component(3)
	if c == nil || c.Moniker != "/__overlay_0_0" || c.Parent != 0 || c.Digest != "sha256:D_ROOT" {
		t.Fatalf("interposer = %+v", c)
	}
	if got := fmt.Sprint(out.Components[0].Children); got != "[3 1 2]" {
		t.Errorf("root children %s, want [3 1 2]", got)
	}
	if got := edges(out); got != "2.a2a>3.upstream 3.downstream>1.agent" {
		t.Errorf("bindings %s", got)
	}
	if fmt.Sprint(out.Exports) != fmt.Sprint(s.Exports) {
		t.Errorf("exports changed: %v", out.Exports)
	}
	checkGolden(t, "rewrite_redaction.golden", dump(out))
}

// crossScope is the cross-scope example of overlays.md §11.6: /left.out feeds
// /right.in, and each of /, /left and /right has one overlay on that edge.
func crossScope() (*scenario.Scenario, map[string]*Scope) {
	b := newScenario()
	left := b.add("/left", 0)
	right := b.add("/right", 0)
	b.provide(left, "out", "http").slot(right, "in", "http").bind(left, "out", right, "in")
	return b.s, map[string]*Scope{
		"/":      b.scope(0, bindingTarget(0, SideCommon, "http")),
		"/left":  b.scope(left, bindingTarget(0, SideSource, "http")),
		"/right": b.scope(right, bindingTarget(0, SideTarget, "http")),
	}
}

func TestRewriteCrossScope(t *testing.T) {
	tests := []struct {
		order    []string
		monikers string
		edges    string
	}{
		// Scopes in pre-order.
		{[]string{"/", "/left", "/right"}, "/__overlay_0_0 /left/__overlay_1_0 /right/__overlay_2_0",
			"1.out>4.in 4.out>3.in 3.out>5.in 5.out>2.in"},
		// The order of Amber's unit test: same rule, other ids.
		{[]string{"/", "/right", "/left"}, "/__overlay_0_0 /right/__overlay_1_0 /left/__overlay_2_0",
			"1.out>5.in 5.out>3.in 3.out>4.in 4.out>2.in"},
	}
	for _, tc := range tests {
		s, scopes := crossScope()
		var apps []Application
		for _, name := range tc.order {
			apps = append(apps, Application{Scope: scopes[name], Overlay: 0, Plan: mustDecode(t, passthrough("http", 0))})
		}
		out := mustRewrite(t, s, apps)
		var monikers []string
		for _, c := range out.Components[3:] {
			monikers = append(monikers, c.Moniker)
		}
		if got := strings.Join(monikers, " "); got != tc.monikers {
			t.Errorf("%v: interposers %s, want %s", tc.order, got, tc.monikers)
		}
		if got := edges(out); got != tc.edges {
			t.Errorf("%v: bindings\n got %s\nwant %s", tc.order, got, tc.edges)
		}
		checkGolden(t, "rewrite_cross_scope"+strings.ReplaceAll(strings.Join(tc.order, ""), "/", "_")+".golden", dump(out))
	}
}

// TestRewriteSameScope is the example of two overlays of /left on its import
// (overlays.md §11.6).
func TestRewriteSameScope(t *testing.T) {
	b := newScenario()
	left := b.add("/left", 0)
	b.add("/left/child", left)
	src := b.add("/src", 0)
	b.add("/zzz", 0)
	b.provide(src, "api", "http").slot(left, "in", "http").bind(src, "api", left, "in")
	sc := b.scope(left, bindingTarget(0, SideTarget, "http"))
	out := mustRewrite(t, b.s, []Application{
		{Scope: sc, Overlay: 0, Plan: mustDecode(t, passthrough("http", 0))},
		{Scope: sc, Overlay: 1, Plan: mustDecode(t, passthrough("http", 0))},
	})
	if got := edges(out); got != "3.api>5.in 5.out>6.in 6.out>1.in" {
		t.Errorf("bindings %s", got)
	}
	if got := fmt.Sprint(out.Components[left].Children); got != "[5 6 2]" {
		t.Errorf("/left children %s", got)
	}
	checkGolden(t, "rewrite_same_scope.golden", dump(out))
}

// TestRewriteChainOrder covers the keys of overlays.md §11.3 one at a time.
func TestRewriteChainOrder(t *testing.T) {
	// /a/b.out feeds /c/d.in; every scope sees the edge.
	b := newScenario()
	a := b.add("/a", 0)
	ab := b.add("/a/b", a)
	c := b.add("/c", 0)
	cd := b.add("/c/d", c)
	b.provide(ab, "out", "http").slot(cd, "in", "http").bind(ab, "out", cd, "in")
	s := b.s
	scope := func(id int, side Side) *Scope { return b.scope(id, bindingTarget(0, side, "http")) }
	root, sa, sab, sc, scd := scope(0, SideCommon), scope(a, SideSource), scope(ab, SideSource), scope(c, SideTarget), scope(cd, SideTarget)
	p := func() *Plan { return mustDecode(t, passthrough("http", 0)) }
	apps := []Application{
		{Scope: scd, Overlay: 0, Plan: p()},  // a=0 → id 5, target, depth 2
		{Scope: root, Overlay: 1, Plan: p()}, // a=1 → id 6, common, overlay 1
		{Scope: sa, Overlay: 0, Plan: p()},   // a=2 → id 7, source, depth 1
		{Scope: sc, Overlay: 0, Plan: p()},   // a=3 → id 8, target, depth 1
		{Scope: root, Overlay: 0, Plan: p()}, // a=4 → id 9, common, overlay 0
		{Scope: sab, Overlay: 0, Plan: p()},  // a=5 → id 10, source, depth 2
	}
	out := mustRewrite(t, s, apps)
	// Source deeper first (10, 7), common by overlay index (9, 6), target
	// shallower first (8, 5).
	want := "2.out>10.in 10.out>7.in 7.out>9.in 9.out>6.in 6.out>8.in 8.out>5.in 5.out>4.in"
	if got := edges(out); got != want {
		t.Errorf("bindings\n got %s\nwant %s", got, want)
	}

	// Same side, depth and overlay index: scope moniker order, then
	// application order, then interposition order.
	b2 := newScenario()
	x := b2.add("/x", 0)
	y := b2.add("/y", 0)
	b2.provide(x, "out", "http").slot(y, "in", "http").bind(x, "out", y, "in")
	sy := b2.scope(y, bindingTarget(0, SideTarget, "http"))
	sx := b2.scope(x, bindingTarget(0, SideSource, "http"))
	sx.Targets[0].Side = SideTarget // pretend: both scopes see the consumer side
	two := mustDecode(t, passthrough("http", 0, 0))
	two.Interpositions[1].Interposer = two.Interpositions[0].Interposer
	out = mustRewrite(t, b2.s, []Application{
		{Scope: sy, Overlay: 0, Plan: two},                                   // ids 3, 4
		{Scope: sx, Overlay: 0, Plan: mustDecode(t, passthrough("http", 0))}, // id 5
	})
	want = "1.out>5.in 5.out>3.in 3.out>4.in 4.out>2.in"
	if got := edges(out); got != want {
		t.Errorf("ties\n got %s\nwant %s", got, want)
	}
}

// TestRewriteExports chains two interposers on a scenario export: the edges
// are appended after the bindings, strong, and the export comes from the last
// interposer.
func TestRewriteExports(t *testing.T) {
	s := redactionScenario()
	b := &builder{s: s}
	root := b.scope(0, bindingTarget(0, SideCommon, "a2a"), exportTarget("status", "http"))
	caller := b.scope(1, exportTarget("status", "http"))
	out := mustRewrite(t, s, []Application{
		{Scope: root, Overlay: 0, Plan: mustDecode(t, passthrough("http", 1))},   // id 3
		{Scope: caller, Overlay: 0, Plan: mustDecode(t, passthrough("http", 0))}, // id 4, nearer the provider
	})
	if got := edges(out); got != "2.a2a>1.agent 1.status>4.in 4.out>3.in" {
		t.Errorf("bindings %s", got)
	}
	if e := out.Exports[0]; e.Name != "status" || e.From != (scenario.Ref{Component: 3, Name: "out"}) || e.Capability.String() != "http" {
		t.Errorf("export %+v", e)
	}
	if got := fmt.Sprint(out.Components[0].Children, out.Components[1].Children); got != "[3 1 2] [4]" {
		t.Errorf("children %s", got)
	}
	checkGolden(t, "rewrite_exports.golden", dump(out))
}

// TestRewriteInPlace checks that only the interposed binding is replaced, in
// place, keeping weak and external sources.
func TestRewriteInPlace(t *testing.T) {
	b := newScenario()
	app := b.add("/app", 0)
	db := b.add("/db", 0)
	b.s.Components[0].Slots["api"] = scenario.SlotDecl{Capability: capOf("http")}
	b.provide(db, "sql", "http").slot(app, "db", "http").slot(app, "api", "http").slot(app, "cache", "http")
	b.bind(db, "sql", app, "db")
	b.s.Bindings = append(b.s.Bindings, scenario.Binding{From: scenario.Source{Kind: scenario.FromExternal, Component: 0, Name: "api"}, To: scenario.Ref{Component: app, Name: "api"}, Weak: true})
	b.bind(db, "sql", app, "cache")
	sc := b.scope(app, bindingTarget(0, SideTarget, "http"), bindingTarget(1, SideTarget, "http"), bindingTarget(2, SideTarget, "http"))
	out := mustRewrite(t, b.s, []Application{{Scope: sc, Overlay: 0, Plan: mustDecode(t, passthrough("http", 1))}})
	if got := edges(out); got != "2.sql>1.db ext:0.api~>3.in 3.out~>1.api 2.sql>1.cache" {
		t.Errorf("bindings %s", got)
	}
}

// TestRewriteNoop checks that empty plans leave the scenario as it is: the
// same value, byte for byte, not checked again.
func TestRewriteNoop(t *testing.T) {
	s := redactionScenario()
	s.Bindings[0].To.Name = "broken" // would fail the IR checks if they ran
	before := scenario.MustEncode(s)
	empty := mustDecode(t, `{"interpositions":[]}`)
	for _, apps := range [][]Application{nil, {{Scope: redactionScope(s), Plan: empty}, {Scope: redactionScope(s), Overlay: 1, Plan: empty}}} {
		out, err := Rewrite(s, apps)
		if err != nil || out != s {
			t.Fatalf("Rewrite = %p, %v; want the input back", out, err)
		}
		if got := scenario.MustEncode(out); string(got) != string(before) {
			t.Errorf("scenario changed:\n%s\n%s", got, before)
		}
	}
}

// TestRewriteMonikers covers taken monikers, nested scopes and ids after
// holes.
func TestRewriteMonikers(t *testing.T) {
	b := newScenario()
	left := b.add("/left", 0)
	b.add("/__overlay_0_0", 0)
	b.add("/__overlay_0_0_1", 0)
	b.add("/left/__overlay_1_0", left)
	src := b.add("/src", 0)
	b.provide(src, "api", "http").slot(left, "in", "http").bind(src, "api", left, "in")
	b.s.Components = append(b.s.Components, nil) // a hole at id 6
	out := mustRewrite(t, b.s, []Application{
		{Scope: b.scope(0, bindingTarget(0, SideCommon, "http")), Plan: mustDecode(t, passthrough("http", 0))},
		{Scope: b.scope(left, bindingTarget(0, SideTarget, "http")), Plan: mustDecode(t, passthrough("http", 0))},
	})
	if c := out.Component(7); c == nil || c.Moniker != "/__overlay_0_0_2" {
		t.Errorf("component 7 = %+v", c)
	}
	if c := out.Component(8); c == nil || c.Moniker != "/left/__overlay_1_0_1" || c.Parent != left {
		t.Errorf("component 8 = %+v", c)
	}
	if got := fmt.Sprint(out.Components[0].Children, out.Components[left].Children); got != "[2 3 7 1 5] [4 8]" {
		t.Errorf("children %s", got)
	}
	checkGolden(t, "rewrite_monikers.golden", dump(out))
}

// TestRewriteProgramScope checks the re-validation of the program with the
// interposer's real id (overlays.md §11.1).
func TestRewriteProgramScope(t *testing.T) {
	s := redactionScenario()
	p := mustDecode(t, redactionPlan)
	p.Interpositions[0].Interposer.Program.Mounts = []scenario.Mount{{
		Kind:      scenario.MountFile,
		PathTpl:   scenario.Template{{Kind: scenario.PartLit, Lit: "/etc/"}, {Kind: scenario.PartSlot, Scope: 99, Slot: "upstream.url"}},
		SourceTpl: scenario.Template{{Kind: scenario.PartLit, Lit: "redaction_terms"}},
	}}
	apps := []Application{{Scope: redactionScope(s), Plan: mustDecode(t, `{"interpositions":[]}`)}, {Scope: redactionScope(s), Overlay: 1, Plan: p}}
	_, err := rewrite(t, s, apps)
	var ie *InvalidPlanError
	if !errors.As(err, &ie) || ie.Application != 1 || ie.Interposition != 0 {
		t.Fatalf("Rewrite = %#v", err)
	}
	want := "overlay `/o` in scope `/` returned an invalid interposition plan: interposer program is invalid: program.mounts[0].path: template references slot scope 99, but this program belongs to component 3"
	if got := ie.Message("/o", "/"); got != want {
		t.Errorf("message\n got %s\nwant %s", got, want)
	}
}

// TestRewriteInvalidScenario checks that the result is checked: an
// interposer mounting an optional storage slot it leaves unattached.
func TestRewriteInvalidScenario(t *testing.T) {
	s := redactionScenario()
	p := mustDecode(t, redactionPlan)
	ip := &p.Interpositions[0].Interposer
	ip.Slots["data"] = scenario.SlotDecl{Capability: capOf("storage"), Optional: true}
	ip.Program.Mounts = []scenario.Mount{{Kind: scenario.MountSlot, Path: "/data", Name: "data"}}
	_, err := rewrite(t, s, []Application{{Scope: redactionScope(s), Plan: p}})
	var se *ScenarioError
	want := "scenario IR is invalid: mounted storage slot /__overlay_0_0.data must be bound from a storage resource, but it has no binding"
	if !errors.As(err, &se) || se.Message("", "") != want || se.Code() != codes.OverlayPassInvalidRewrittenScenario {
		t.Fatalf("Rewrite = %v, want %s", err, want)
	}
}

// TestRewriteMissingTarget checks a scope whose targets do not map to edges.
func TestRewriteMissingTarget(t *testing.T) {
	s := redactionScenario()
	for _, edit := range []func(*Target){
		func(t *Target) { t.Binding = 5 },
		func(t *Target) { t.Binding, t.Export = -1, "gone" },
	} {
		sc := redactionScope(s)
		edit(&sc.Targets[0])
		_, err := Rewrite(s, []Application{{Scope: sc, Plan: mustDecode(t, redactionPlan)}})
		var me *MissingTargetError
		if !errors.As(err, &me) || me.Message("", "") != "attachment target 0 is missing while rewriting scope `/`" || me.Code() != codes.OverlayPassMissingAttachmentTarget {
			t.Errorf("Rewrite = %v", err)
		}
	}
}
