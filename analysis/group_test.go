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
				reused := prev != nil && len(fd.hashes) > 0 && &fd.hashes[0] == &prev.hashes[0]
				if reused != c.reused[f] {
					t.Errorf("%s: reused the list before: %v, want %v", f, reused, c.reused[f])
				}
				if w, ok := window(ds, fd.raw); ok && len(w) == len(fd.diags) && &fd.diags[0] != &ds[fd.raw[0]] {
					t.Errorf("%s: the list is not read from this link's diagnostics", f)
				}
			}
		})
	}
}

// TestGroupByFileOlder links a root in turn with and without its child
// (a root that stops validating, then validates again): the groups of a
// file the link before had none in come from the link before that, equal
// to fresh ones, and no link keeps groups more than one link back.
func TestGroupByFileOlder(t *testing.T) {
	const root, leaf = "/w/root.json5", "/w/leaf.json5"
	lint := func(msg string) diag.Diagnostic {
		return diag.Diagnostic{Code: "unused_config", Severity: diag.Warning, Message: msg,
			Labels: []diag.Label{{File: leaf, Span: diag.Span{Start: 3, End: 7}, Primary: true}}}
	}
	linked := []diag.Diagnostic{lint("a"), lint("b"), {Code: "w", Severity: diag.Warning, Message: "in the root", Labels: []diag.Label{{File: root, Primary: true}}}}
	failed := []diag.Diagnostic{{Code: "bad", Severity: diag.Error, Message: "unknown child", Labels: []diag.Label{{File: root, Primary: true}}}}
	content := func(p string) uint64 { return uint64(len(p)) }
	var before *linkGroups
	was := map[string][]*fileDiags{} // the groups of each file so far
	steps := []diagSet{
		{linked, nil},
		{failed, nil},
		{linked, []string{leaf, root}}, // the leaf's from two links back
		{failed, []string{root}},
		{linked, []string{leaf, root}},
		{linked, []string{leaf, root}}, // from the link before
	}
	for step, ds := range steps {
		got := groupByFile(root, slices.Clone(ds.diags), content, before)
		want := groupByFile(root, ds.diags, content, nil)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: groups differ from fresh ones:\n got %+v\nwant %+v", step, got, want)
		}
		for f, fd := range got {
			reused := slices.ContainsFunc(was[f], func(g *fileDiags) bool { return &g.hashes[0] == &fd.hashes[0] })
			if reused != slices.Contains(ds.reused, f) {
				t.Errorf("step %d: %s reused an earlier list: %v, want %v", step, f, reused, !reused)
			}
			was[f] = append(was[f], fd)
		}
		before = newLinkGroups(ds.diags, got, before)
		if before.older != nil && before.older.older != nil {
			t.Fatalf("step %d: groups kept two links back", step)
		}
	}
}

// diagSet is a link's diagnostics and the files whose groups it must take
// from an earlier link.
type diagSet struct {
	diags  []diag.Diagnostic
	reused []string
}

// TestDedupRawWindow checks that a file's diagnostics without duplicates
// are those of the link, dropping later copies, and that the list is a
// window on the link's diagnostics exactly when they lie in a row and none
// was dropped.
func TestDedupRawWindow(t *testing.T) {
	d := func(msg string) diag.Diagnostic {
		return diag.Diagnostic{Code: "c", Severity: diag.Warning, Message: msg, Labels: []diag.Label{{File: "/w/leaf.json5", Primary: true}}}
	}
	ds := []diag.Diagnostic{d("a"), d("b"), d("c"), d("b"), d("d")}
	cases := []struct {
		name   string
		raw    []int32
		want   []string
		window bool
	}{
		{"in a row", []int32{0, 1, 2}, []string{"a", "b", "c"}, true},
		{"one", []int32{4}, []string{"d"}, true},
		{"in a row with a duplicate", []int32{1, 2, 3}, []string{"b", "c"}, false},
		{"duplicate last", []int32{0, 1, 2, 3}, []string{"a", "b", "c"}, false},
		{"not in a row", []int32{0, 2, 4}, []string{"a", "c", "d"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, hashes := dedupRaw(ds, c.raw)
			var msgs []string
			for i := range got {
				msgs = append(msgs, got[i].Message)
				if hashes[i] != diagHash(&got[i]) {
					t.Errorf("hash %d is not that of %q", i, got[i].Message)
				}
			}
			if !slices.Equal(msgs, c.want) || len(hashes) != len(got) {
				t.Fatalf("got %v (%d hashes), want %v", msgs, len(hashes), c.want)
			}
			if window := &got[0] == &ds[c.raw[0]]; window != c.window {
				t.Errorf("window on the link's diagnostics: %v, want %v", window, c.window)
			}
			if cap(got) != len(got) {
				t.Errorf("cap %d, len %d: appending to a shared list would write into it", cap(got), len(got))
			}
		})
	}
}
