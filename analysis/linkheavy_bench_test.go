package analysis

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/internal/cputime"
	"github.com/amberlsp/amber-lsp/internal/testgen"
	"github.com/amberlsp/amber-lsp/linker"
)

// timedLink is linker.Link adding the time it takes to *spent; fresh gives
// every link a new linker.Cache, so nothing linked before is reused (the
// baseline of BenchmarkKeystrokeLinkHeavy).
func timedLink(spent *atomic.Int64, fresh bool) LinkFunc {
	return func(ctx context.Context, root string, opts linker.Options) *linker.Result {
		if fresh {
			opts.Cache = linker.NewCache()
		}
		t0 := time.Now()
		res := linker.Link(ctx, root, opts)
		spent.Add(int64(time.Since(t0)))
		return res
	}
}

// linkHeavyCheck fails b unless rep is the report of the LinkHeavy tree w
// with edit e applied (edited) or not: the root was linked afresh, and the
// link and the report hold what the tree must give, so that an early exit
// can never pass as fast.
func linkHeavyCheck(b testing.TB, s *Snapshot, rep *Report, w *testgen.LinkHeavy, e testgen.LinkHeavyEdit, edited bool) {
	b.Helper()
	// The leaf's diagnostics (held from the last link that parsed, after a
	// syntax error) and the root's.
	comps, diags := w.Children+1, testgen.Shown(w.BaseDiagnostics())
	if edited && !e.Quiet() {
		comps, diags = 0, w.Diagnostics(e)
		if e == testgen.EditSyntax {
			diags += testgen.Shown(w.BaseDiagnostics())
		}
	}
	l, err := s.Link(context.Background(), w.Root)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, ds := range rep.ByFile {
		n += len(ds)
	}
	if len(rep.Relinked) != 1 || rep.Relinked[0] != w.Root || len(l.Result.Components) != comps || n != diags {
		b.Fatalf("%s edited=%v: relinked %v, %d components, %d diagnostics; want the root relinked, %d components, %d diagnostics",
			e, edited, rep.Relinked, len(l.Result.Components), n, comps, diags)
	}
}

// BenchmarkKeystrokeLinkHeavy measures a keystroke in the root of a
// LinkHeavy tree written to disk (100, 830 and 2,000 children instantiating
// one leaf): SetDocument with the edited text, then the report of the new
// snapshot (Diagnostics), the edit toggled on and off in turn. Each text is
// new (a space is appended every time), as after a real keystroke. Edits:
// one character of a config label (the graph is unchanged), a binding's
// source toggled to a child that does not exist, and a syntax error.
//
// "uncached" links with a new linker.Cache every time, as before the
// linker kept anything between links, and is the baseline of the same run;
// "memo" is the workspace as it is. Besides time and allocations per
// keystroke it reports cpu-ns/op, the CPU time of the process per
// keystroke (garbage collection included; a busy machine disturbs it less
// than the time), and link-ns/op, the part of the time spent in
// linker.Link. Every keystroke is checked (linkHeavyCheck); the checks are
// not timed, but their CPU time is in cpu-ns/op.
//
//	go test ./analysis -run '^$' -bench KeystrokeLinkHeavy -count 5
func BenchmarkKeystrokeLinkHeavy(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{100, 830, 2000} {
		w, err := testgen.WriteLinkHeavy(b.TempDir(), n)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range testgen.LinkHeavyEdits {
			for _, mode := range []string{"uncached", "memo"} {
				b.Run(fmt.Sprintf("n=%d/%s/%s", n, e, mode), func(b *testing.B) {
					var spent atomic.Int64
					ws := NewWorkspace(Options{Link: timedLink(&spent, mode == "uncached")})
					if _, err := ws.SetFolders([]string{filepath.Dir(w.Root)}); err != nil {
						b.Fatal(err)
					}
					texts := [2][]byte{w.Text, w.Edited(e)}
					version := int32(1)
					keystroke := func() {
						version++
						edited := version%2 == 1
						text := append(slices.Clip(texts[version%2]), bytes.Repeat([]byte(" "), int(version))...)
						s := ws.SetDocument(w.Root, version, text)
						rep, err := s.Diagnostics(ctx)
						if err != nil {
							b.Fatal(err)
						}
						b.StopTimer()
						linkHeavyCheck(b, s, rep, w, e, edited)
						b.StartTimer()
					}
					keystroke() // the first link of the tree
					keystroke()
					spent.Store(0)
					b.ReportAllocs()
					b.ResetTimer()
					cpu, measured := cputime.Used()
					for i := 0; i < b.N; i++ {
						keystroke()
					}
					if now, _ := cputime.Used(); measured {
						b.ReportMetric(float64(now-cpu)/float64(b.N), "cpu-ns/op")
					}
					b.ReportMetric(float64(spent.Load())/float64(b.N), "link-ns/op")
				})
			}
		}
	}
}
