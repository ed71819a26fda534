package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/manifest/json5/format"
)

// BenchmarkTreeMethods measures the methods whose answers read one file
// or one component's neighbours (definition, code actions, call
// hierarchy, formatting, folding, selection) in the root of a linked tree
// of 2,000 children (testgen.WriteLinkHeavy: 2,001 components, each child
// bound to the one before it), with the snapshot's link and analyses
// cached as an editor has them. Every answer is checked (a definition in
// the leaf, one caller and one callee of c1000, a fold per child, ...),
// so that an early exit cannot pass for a fast answer. Each case reports
// its median, 99th percentile and fastest latency and the process's CPU
// time per answer, and fails when that CPU time, or the fastest answer, is
// not under 10 ms. References, rename, lenses, symbols, tokens, hints,
// links, hover and completion have their own benchmarks.
//
//	go test ./analysis -run '^$' -bench TreeMethods -benchtime 50x
func BenchmarkTreeMethods(b *testing.B) {
	w, err := testgen.WriteLinkHeavy(b.TempDir(), 2000)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	ws := NewWorkspace(Options{})
	snap, err := ws.SetFolders([]string{w.Dir})
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if _, err := snap.Diagnostics(ctx); err != nil {
		b.Fatal(err)
	}
	if l, err := snap.Link(ctx, w.Root); err != nil || len(l.Result.Components) != w.Children+1 {
		b.Fatalf("the tree did not link its %d components: %v", w.Children+1, err)
	}
	b.Logf("the tree links in %v", time.Since(t0).Round(time.Millisecond))
	root := string(w.Text)
	at := func(s string, delta int) int {
		i := strings.Index(root, s)
		if i < 0 {
			b.Fatalf("%q not in the root", s)
		}
		return i + delta
	}
	binding := at(`from: "#c1000.api"`, len(`from: "#c1000.a`))
	entry := at("    c1000: {", 5)
	// The code actions are asked of a root with one more binding, into a
	// slot the leaf lacks: "Declare slot `nope` ... in `leaf.json5`".
	extra := `    { to: "#c1000.nope", from: "#c999.api" },` + "\n"
	withExtra := strings.Replace(root, "bindings: [\n", "bindings: [\n"+extra, 1)
	actSnap := ws.SetDocument(w.Root, 1, []byte(withExtra))
	if _, err := actSnap.Diagnostics(ctx); err != nil {
		b.Fatal(err)
	}
	missing := strings.Index(withExtra, `"#c1000.nope"`) + len(`"#c1000.n`)
	cases := []struct {
		name string
		run  func() error
	}{
		{"definition", func() error {
			locs, err := snap.Definition(ctx, w.Root, binding)
			if err == nil && (len(locs) == 0 || !slices.ContainsFunc(locs, func(l Location) bool { return l.File == w.Leaf })) {
				err = fmt.Errorf("definition %+v, want a place in the leaf", locs)
			}
			return err
		}},
		{"code-actions", func() error {
			acts, err := actSnap.CodeActions(ctx, w.Root, ActionQuery{Span: diag.Span{Start: missing, End: missing}})
			if err == nil && !slices.ContainsFunc(acts, func(a CodeAction) bool { return strings.HasPrefix(a.Title, "Declare slot `nope`") }) {
				err = fmt.Errorf("code actions %d, none declares the slot", len(acts))
			}
			return err
		}},
		{"call-hierarchy", func() error {
			items, err := snap.PrepareCallHierarchy(ctx, w.Root, entry)
			if err != nil || len(items) != 1 {
				return fmt.Errorf("prepare: %d items, %v", len(items), err)
			}
			in, err := snap.IncomingCalls(ctx, items[0])
			if err != nil {
				return err
			}
			out, err := snap.OutgoingCalls(ctx, items[0])
			if err == nil && (len(in) != 1 || len(out) != 1) {
				err = fmt.Errorf("%d incoming and %d outgoing calls, want 1 and 1", len(in), len(out))
			}
			return err
		}},
		{"format", func() error {
			_, err := snap.Format(ctx, w.Root, format.Options{})
			return err
		}},
		{"folding", func() error {
			folds, err := snap.FoldingRanges(ctx, w.Root)
			if err == nil && len(folds) < w.Children {
				err = fmt.Errorf("%d folding ranges, want one per child at least", len(folds))
			}
			return err
		}},
		{"selection", func() error {
			chains, err := snap.SelectionRanges(ctx, w.Root, []int{binding})
			if err == nil && (len(chains) != 1 || len(chains[0]) < 4) {
				err = fmt.Errorf("selection chains %v", chains)
			}
			return err
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			if err := tc.run(); err != nil { // the first answer computes what is cached
				b.Fatal(err)
			}
			var answers answerTimer
			for range b.N {
				answers.time(b, tc.run)
			}
			answers.report(b)
		})
	}
	logLoad(b)
}
