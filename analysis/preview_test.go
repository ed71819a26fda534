package analysis

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/exampletree"
	"github.com/amberlsp/amber-lsp/overlay"
	"github.com/amberlsp/amber-lsp/overlay/plan"
)

// copyExamples copies the repository's examples/ into a temporary
// directory and returns the copy's scenario.json5.
func copyExamples(t *testing.T) string { return exampletree.Copy(t, "../examples") }

// fakePreview is the preview the example's helper gives (an audit proxy
// on each of its two http edges), made without running it: the request
// is built from the snapshot's link and the plan written here.
func fakePreview(t *testing.T, s *Snapshot, root string) *PreviewResult {
	t.Helper()
	l, err := s.Link(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	res := l.Result
	if hasErrors(res.Diagnostics) || res.Overlays == nil {
		t.Fatalf("the example does not link: %v", res.Diagnostics)
	}
	o := res.Overlays.Scopes[0].Overlays[0]
	req, err := overlay.BuildRequest(res.Optimized(), "/")
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{}
	run := &overlay.Run{Scope: res.Overlays.Scopes[0], Overlay: o, Request: req, Plan: p}
	for i, e := range req.Edges {
		p.Interpositions = append(p.Interpositions, plan.Interposition{
			Interposer:  plan.Interposer{Config: map[string]any{"label": "${config.audit_label}"}},
			Attachments: []plan.Attachment{{Target: uint64(e.ID), Slot: "upstream", Provide: "downstream"}},
		})
		run.Interposers = append(run.Interposers, overlay.Interposer{Moniker: "/__overlay_0_" + string(rune('0'+i)), AttachedTo: []int{e.ID}})
	}
	out := &overlay.Outcome{Runs: []*overlay.Run{run}, Scenario: res.Optimized()}
	return &PreviewResult{Root: root, Outcome: out, Texts: res.Texts, link: l}
}

// TestPreviewFeatures: a kept preview shows as a code lens on the overlays
// entry, in the hover of the overlay reference and as inlay hints on the
// binding and the export the interposers sit on; an edit elsewhere moves
// them along, an edit of the entry removes them.
func TestPreviewFeatures(t *testing.T) {
	root := copyExamples(t)
	ws := NewWorkspace(Options{})
	ws.SetConfig(Config{Roots: []string{root}})
	if _, err := ws.SetFolders([]string{filepath.Dir(root)}); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(root)
	entry := strings.Index(string(text), `"#audit.apply"`)
	binding := strings.Index(string(text), `{ to: "#web.api", from: "#api.http" }`) + len(`{ to: "#web.api", from: "#api.http" }`)
	export := strings.Index(string(text), `site: "#web.site"`) + len(`site: "#web.site"`)

	snap := ws.SetPreview(fakePreview(t, ws.Snapshot(), root))
	check := func(snap *Snapshot, shift int) {
		t.Helper()
		lenses, err := previewLensesOf(snap, root)
		if err != nil || len(lenses) != 1 {
			t.Fatalf("preview lenses = %+v, %v", lenses, err)
		}
		want := CodeLens{Span: diag.Span{Start: entry + shift, End: entry + shift + len(`"#audit.apply"`)}, Title: "2 interposers on 2 http edges", Command: PreviewCommand, File: root}
		if !reflect.DeepEqual(lenses[0], want) {
			t.Errorf("lens = %+v\nwant %+v", lenses[0], want)
		}
		h, err := snap.Hover(context.Background(), root, entry+shift+3)
		if err != nil || h == nil {
			t.Fatalf("Hover = %v, %v", h, err)
		}
		for _, want := range []string{
			"**Last preview** of `scenario.json5`: 2 interposers on 2 http edges",
			"- `/__overlay_0_0` on edge 0, binding `/api.http` → `/web.api` (http): slot `upstream`, provide `downstream`",
			"- `/__overlay_0_1` on edge 1, export `site` of `/web.site` (http)",
			"config `{\"label\":\"${config.audit_label}\"}`",
		} {
			if !strings.Contains(h.Markdown, want) {
				t.Errorf("hover lacks %q:\n%s", want, h.Markdown)
			}
		}
		hints, err := previewHintsOf(snap, root, diag.Span{Start: 0, End: len(text) + shift})
		if err != nil || len(hints) != 2 {
			t.Fatalf("InlayHints = %+v, %v", hints, err)
		}
		if hints[0].Offset != binding+shift || hints[0].Label != "via /__overlay_0_0" || !strings.Contains(hints[0].Tooltip, "#audit.apply puts /__overlay_0_0 on edge 0") {
			t.Errorf("binding hint = %+v (want offset %d)", hints[0], binding+shift)
		}
		if hints[1].Offset != export+shift || hints[1].Label != "via /__overlay_0_1" {
			t.Errorf("export hint = %+v (want offset %d)", hints[1], export+shift)
		}
		if hints, _ := previewHintsOf(snap, root, diag.Span{Start: 0, End: binding + shift - 1}); len(hints) != 0 {
			t.Errorf("hints outside the range: %+v", hints)
		}
	}
	check(snap, 0)

	edited := "// an edit above everything\n" + string(text)
	check(ws.SetDocument(root, 1, []byte(edited)), len("// an edit above everything\n"))

	gone := strings.Replace(string(text), `"#audit.apply"`, `"#audit.apply" `, 1)
	gone = strings.Replace(gone, `overlays: [`, `overlays: [ "#audit.other",`, 1)
	snap = ws.SetDocument(root, 2, []byte(gone))
	if lenses, _ := previewLensesOf(snap, root); len(lenses) != 0 {
		t.Errorf("lenses after the entry moved to another index: %+v", lenses)
	}

	ws.SetDocument(root, 3, text)
	ws.SetPreview(fakePreview(t, ws.Snapshot(), root))
	if snap = ws.ForgetPreview(root); len(snap.Previews()) != 0 || snap.LastPreview(root) != nil {
		t.Errorf("ForgetPreview kept %v", snap.Previews())
	}
	ws.SetPreview(fakePreview(t, ws.Snapshot(), root))
	snap = ws.ClearPreviews()
	if lenses, _ := previewLensesOf(snap, root); len(lenses) != 0 || len(snap.Previews()) != 0 {
		t.Errorf("lenses after ClearPreviews: %+v", lenses)
	}
}

// TestOverlayDiagnostics: the pass's diagnostics of a kept preview are
// added while the files they point into are unchanged, and a later preview
// replaces them.
func TestOverlayDiagnostics(t *testing.T) {
	root := copyExamples(t)
	ws := NewWorkspace(Options{})
	ws.SetConfig(Config{Roots: []string{root}})
	ws.SetFolders([]string{filepath.Dir(root)})
	p := fakePreview(t, ws.Snapshot(), root)
	o := p.Outcome.Runs[0].Overlay
	d := diag.Diagnostic{Code: codes.OverlayPassInvokeOverlay, Severity: diag.Error, Message: "overlay failed", Labels: []diag.Label{o.Decl}}
	p.Pass = []diag.Diagnostic{d}
	snap := ws.SetPreview(p)
	got := snap.OverlayDiagnostics(report(t, snap))
	if len(got) != 1 || len(got[root]) != 1 || got[root][0].Message != "overlay failed" {
		t.Fatalf("OverlayDiagnostics = %v", got)
	}
	if rep := report(t, snap); len(rep.ByFile[root]) != 0 {
		t.Errorf("the report itself must not change: %v", rep.ByFile[root])
	}

	text, _ := os.ReadFile(root)
	snap = ws.SetDocument(root, 1, append([]byte("\n"), text...))
	if got := snap.OverlayDiagnostics(report(t, snap)); len(got) != 0 {
		t.Errorf("diagnostics of a changed file: %v", got)
	}
	snap = ws.SetDocument(root, 2, text)
	if got := snap.OverlayDiagnostics(report(t, snap)); len(got) != 1 {
		t.Errorf("diagnostics once the text is back: %v", got)
	}
	ok := fakePreview(t, snap, root)
	snap = ws.SetPreview(ok)
	if got := snap.OverlayDiagnostics(report(t, snap)); len(got) != 0 {
		t.Errorf("diagnostics after a successful preview: %v", got)
	}
	if !ok.Current(snap) {
		t.Error("the preview is not current on the snapshot it ran on")
	}
	snap = ws.SetDocument(root, 3, append([]byte("\n"), text...))
	report(t, snap)
	if ok.Current(snap) {
		t.Error("the preview is still current after an edit")
	}
}

// TestRunOverlaysNotRun: a tree without overlays has nothing to run; one
// whose link has errors is not run, and its lens says why.
func TestRunOverlaysNotRun(t *testing.T) {
	root := copyExamples(t)
	dir := filepath.Dir(root)
	ws := NewWorkspace(Options{})
	ws.SetConfig(Config{Roots: []string{root, filepath.Join(dir, "api.json5")}})
	ws.SetFolders([]string{dir})
	snap := ws.Snapshot()
	if p, err := snap.RunOverlays(context.Background(), filepath.Join(dir, "api.json5"), nil, OverlayOptions{}); p != nil || err != nil {
		t.Errorf("RunOverlays of a tree without overlays = %+v, %v", p, err)
	}
	text, _ := os.ReadFile(root)
	broken := strings.Replace(string(text), `from: "#api.http"`, `from: "#api.nope"`, 1)
	snap = ws.SetDocument(root, 1, []byte(broken))
	p, err := snap.RunOverlays(context.Background(), root, nil, OverlayOptions{})
	if err != nil || p == nil || p.Outcome != nil || p.NotRun == "" || !hasErrors(p.Diagnostics) {
		t.Fatalf("RunOverlays of a tree with errors = %+v, %v", p, err)
	}
	snap = ws.SetPreview(p)
	lenses, _ := previewLensesOf(snap, root)
	if len(lenses) != 1 || lenses[0].Title != "overlays not run: the scenario has errors; fix them and save again" {
		t.Errorf("lenses = %+v", lenses)
	}
}

// previewLensesOf returns the overlay-preview lenses of a file, leaving
// out the reference counts.
func previewLensesOf(snap *Snapshot, path string) ([]CodeLens, error) {
	all, err := snap.CodeLenses(context.Background(), path)
	var out []CodeLens
	for _, l := range all {
		if l.Command == PreviewCommand {
			out = append(out, l)
		}
	}
	return out, err
}

// previewHintsOf returns the overlay-preview inlay hints of a file within a
// span, leaving out the other kinds.
func previewHintsOf(snap *Snapshot, path string, within diag.Span) ([]InlayHint, error) {
	all, err := snap.InlayHints(context.Background(), path, within)
	var out []InlayHint
	for _, h := range all {
		if strings.HasPrefix(h.Label, "via ") {
			out = append(out, h)
		}
	}
	return out, err
}
