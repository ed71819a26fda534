package analysis

import (
	"reflect"
	"slices"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
)

// TestGroupByFileReusesBefore checks that grouping a link's diagnostics
// from the groups of the link before gives what grouping them afresh gives,
// and that it reuses the earlier lists only when every diagnostic of the
// file is the same one.
func TestGroupByFileReusesBefore(t *testing.T) {
	const root, leaf = "/w/root.json5", "/w/leaf.json5"
	fix := []diag.Fix{{Title: "remove it"}}
	lint := func(msg string) diag.Diagnostic {
		return diag.Diagnostic{Code: "unused_config", Severity: diag.Warning, Message: msg, Subject: "x", Fixes: fix,
			Labels: []diag.Label{{File: leaf, Span: diag.Span{Start: 3, End: 7}, Primary: true}, {File: root, Span: diag.Span{Start: 1, End: 2}}}}
	}
	base := []diag.Diagnostic{lint("a"), lint("b"), lint("a"), {Code: "bad", Severity: diag.Error, Message: "in the root", Labels: []diag.Label{{File: root, Primary: true}}}}
	keys := map[string]uint64{root: 1, leaf: 2}
	content := func(p string) uint64 { return keys[p] }
	cases := []struct {
		name   string
		edit   func(ds []diag.Diagnostic) // of a copy of base
		keys   map[string]uint64
		reused map[string]bool // files whose lists come from before
	}{
		{"unchanged", func([]diag.Diagnostic) {}, keys, map[string]bool{leaf: true, root: true}},
		{"root text changed", func([]diag.Diagnostic) {}, map[string]uint64{root: 5, leaf: 2}, map[string]bool{leaf: true, root: true}},
		{"a message changed", func(ds []diag.Diagnostic) { ds[1].Message = "c" }, keys, map[string]bool{root: true}},
		{"equal fixes, rebuilt", func(ds []diag.Diagnostic) { ds[0].Fixes = slices.Clone(fix) }, keys, map[string]bool{root: true}},
		{"a subject changed", func(ds []diag.Diagnostic) { ds[1].Subject = "y" }, keys, map[string]bool{root: true}},
		{"one fewer", func(ds []diag.Diagnostic) { ds[1] = ds[0] }, keys, map[string]bool{root: true}},
		{"root diagnostic gone", func(ds []diag.Diagnostic) { ds[3] = ds[0] }, keys, map[string]bool{}},
	}
	before := &linkGroups{diags: base, files: groupByFile(root, base, content, nil)}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := slices.Clone(base)
			c.edit(ds)
			content := func(p string) uint64 { return c.keys[p] }
			got := groupByFile(root, ds, content, before)
			want := groupByFile(root, ds, content, nil)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("groups from the link before differ from fresh ones:\n got %+v\nwant %+v", got, want)
			}
			for f, fd := range got {
				prev := before.files[f]
				reused := prev != nil && len(fd.diags) > 0 && &fd.diags[0] == &prev.diags[0]
				if reused != c.reused[f] {
					t.Errorf("%s: reused the list before: %v, want %v", f, reused, c.reused[f])
				}
			}
		})
	}
}
