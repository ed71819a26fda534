package lsp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/internal/testgen"
)

// BenchmarkKeystroke measures keystroke -> publishDiagnostics latency
// through the server: each iteration sends one didChange and waits for the
// publication of that version. Every workload is written to disk and
// checks, at every version, from the report the server published, that
// the analysis did the work it claims (the diagnostics it must find, the
// trees it must link), so that it cannot measure an early exit.
//
//   - manifest-10k-lines, manifest-50k-lines: testgen.GenerateManifest,
//     whose children are not written: the manifest is parsed and validated,
//     and its link stops at the first missing child. "typing" types a new
//     member into one config after another, through syntax errors, never
//     returning to an earlier text; "comma" is lspbench's keystroke: a `,`
//     after a comma that ends a line (a syntax error), then deleted.
//   - linkheavy-N (N = 100, 830, 2000 children; testgen.WriteLinkHeavy, the
//     tree of ../shared/tools/linkheavy.py): one of its edits toggled on and
//     off: "label" (a character of a config label replaced: relinks the
//     tree, no new diagnostic), "insert" (a character typed into that label
//     and deleted: the same, but every node after it moves by a byte),
//     "binding" (a binding source that does not exist: the root fails
//     validation) or "syntax" (the root does not parse: the leaf keeps its
//     2N diagnostics from the last link that parsed).
//   - example-workspace: typing into a root of Amber's examples.
//
// Metrics: p50, p99 and max latency; cpu-ms/op, the process's CPU time
// per keystroke (server and in-process client) less what the client spends
// on its own between keystrokes (the edit's positions and its copy of the
// text, which an editor computes anyway, and the benchmark's checks of the
// report), which editor-cpu-ms/op gives; alloc-MiB/op and gc/op, what the
// process allocated and how many collections it ran per keystroke (both
// sides); live-MiB, the largest live heap after a collection; heap-MiB,
// the peak of the memory the Go runtime held from the system; rss-MiB, the
// peak resident set of the process (server, client and test binary;
// Linux). The GC runs as cmd/amber-lsp sets it (TuneGC) but for the memory
// limit (benchGC). With AMBER_BENCH_HEAPPROFILE=file, each workload
// writes a heap profile of what is live after its last keystroke (server
// and client; the last workload run overwrites it).
//
//	go test ./lsp -run '^$' -bench Keystroke -benchtime 400x
func BenchmarkKeystroke(b *testing.B) {
	for _, lines := range []int{10000, 50000} {
		name := fmt.Sprintf("manifest-%dk-lines", lines/1000)
		text := testgen.GenerateManifest(lines)
		b.Run(name+"/typing", func(b *testing.B) {
			file := writeBenchFile(b, "big.json5", text)
			benchTyping(b, filepath.Dir(file), file, `"config": { `, func(rep *analysis.Report, text string) error {
				return expectManifestDiagnostics(rep, file, text)
			})
		})
		b.Run(name+"/comma", func(b *testing.B) {
			file := writeBenchFile(b, "big.json5", text)
			benchCommas(b, file, text)
		})
	}
	for _, n := range []int{100, 830, 2000} {
		for _, ed := range testgen.LinkHeavyEdits {
			b.Run(fmt.Sprintf("linkheavy-%d/%s", n, ed), func(b *testing.B) {
				w, err := testgen.WriteLinkHeavy(b.TempDir(), n)
				if err != nil {
					b.Fatal(err)
				}
				benchLinkHeavy(b, w, ed)
			})
		}
	}
	b.Run("example-workspace/typing", func(b *testing.B) {
		dir := b.TempDir()
		copyTree(b, corpus.Path(b, "conformance", "examples"), dir)
		file := filepath.Join(dir, "tau2", "scenario.json5")
		benchTyping(b, dir, file, `config: {`, func(rep *analysis.Report, _ string) error {
			if ds := rep.ByFile[file]; len(ds) > 0 && ds[0].Code == codes.JSON5Error {
				return nil // a root that does not parse links nothing
			}
			if len(rep.Roots) < 20 || len(rep.Trees[file]) < 3 {
				return fmt.Errorf("%d roots, the edited root's tree has %d files", len(rep.Roots), len(rep.Trees[file]))
			}
			return nil
		})
	})
}

// BenchmarkFirstDiagnostics measures didOpen -> first diagnostics of the
// 10k-line manifest with 135 unknown top-level fields (firstDiagnosticsText:
// what lspbench's document says of itself), a new server each time
// (initialized just before, the workspace index still under way):
//
//   - push: a client that neither pulls nor answers workspace/configuration;
//     the time to the first publishDiagnostics of the document;
//   - pull: a client that pulls and answers workspace/configuration with
//     null, as lspbench does; the time to the answer of the
//     textDocument/diagnostic request sent right after didOpen.
//
// Both check that the diagnostics hold the document's 135 errors, and
// report cpu-ms/op, the process's CPU time (server and client) from didOpen
// to the first diagnostics: on a loaded machine it compares better than the
// latency.
//
//	go test ./lsp -run '^$' -bench FirstDiagnostics -benchtime 20x
func BenchmarkFirstDiagnostics(b *testing.B) {
	benchGC(b)
	text := firstDiagnosticsText()
	file := writeBenchFile(b, "big.json5", text)
	check := func(b *testing.B, ds []protocol.Diagnostic) {
		n := 0
		for _, d := range ds {
			if msg, _ := d.Message.(protocol.String); strings.Contains(string(msg), "unknown field `x_") {
				n++
			}
		}
		if n != firstDiagnosticsErrors {
			b.Fatalf("%d diagnostics, %d of them about the unknown fields, want %d", len(ds), n, firstDiagnosticsErrors)
		}
	}
	b.Run("push", func(b *testing.B) {
		var lat []time.Duration
		var cpu time.Duration
		for range b.N {
			e := start(b, Options{}, editorCaps{}, filepath.Dir(file))
			t0, c0 := time.Now(), cpuTime()
			e.open(file, string(text))
			ds := e.waitVersion(file)
			lat, cpu = append(lat, time.Since(t0)), cpu+cpuTime()-c0
			check(b, ds)
			e.shutdown()
		}
		reportLatencies(b, lat)
		b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
	})
	b.Run("pull", func(b *testing.B) {
		var lat []time.Duration
		var cpu time.Duration
		for range b.N {
			e := start(b, Options{}, editorCaps{pull: true, config: true}, filepath.Dir(file))
			t0, c0 := time.Now(), cpuTime()
			e.open(file, string(text))
			var report protocol.FullDocumentDiagnosticReport
			if err := e.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(file)}}, &report); err != nil {
				b.Fatal(err)
			}
			lat, cpu = append(lat, time.Since(t0)), cpu+cpuTime()-c0
			if report.Kind != "full" {
				b.Fatalf("a %q report", report.Kind)
			}
			check(b, report.Items)
			e.shutdown()
		}
		reportLatencies(b, lat)
		b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
	})
}

// firstDiagnosticsErrors is how many unknown fields firstDiagnosticsText
// adds: as many errors as lspbench's 10k-line document has.
const firstDiagnosticsErrors = 135

// firstDiagnosticsText is the 10k-line generated manifest with
// firstDiagnosticsErrors unknown top-level fields, each a validation error
// the document shows of itself.
func firstDiagnosticsText() []byte {
	text := testgen.GenerateManifest(10000)
	var extra strings.Builder
	for i := range firstDiagnosticsErrors {
		fmt.Fprintf(&extra, "  \"x_%d\": null,\n", i)
	}
	at := bytes.IndexByte(text, '\n') + 1
	return slices.Concat(text[:at], []byte(extra.String()), text[at:])
}

func writeBenchFile(b *testing.B, name string, text []byte) string {
	file := filepath.Join(b.TempDir(), name)
	if err := os.WriteFile(file, text, 0o644); err != nil {
		b.Fatal(err)
	}
	return file
}

// expectManifestDiagnostics checks the report of a version of a generated
// manifest: its syntax errors when it does not parse, else the first
// missing child (where linking stops).
func expectManifestDiagnostics(rep *analysis.Report, file, text string) error {
	ds := rep.ByFile[file]
	if len(ds) == 0 {
		return fmt.Errorf("no diagnostics")
	}
	if ds[0].Code == codes.JSON5Error {
		return nil
	}
	if !strings.Contains(ds[len(ds)-1].Message, "child_") && !strings.Contains(text, `"xé😀"`) {
		return fmt.Errorf("%d diagnostics, the last: %s", len(ds), ds[len(ds)-1].Message)
	}
	return nil
}

// keystrokes runs the benchmark loop: next returns the edit of each
// keystroke (on the editor's current text) and check what the report of
// the version it made must hold.
type keystrokes struct {
	b    *testing.B
	e    *editor
	file string
	last atomic.Pointer[benchReport]
}

type benchReport struct {
	snap *analysis.Snapshot
	rep  *analysis.Report
}

// startBench starts a server on dir, opens file and waits for its first
// diagnostics, with the GC set as cmd/amber-lsp sets it.
func startBench(b *testing.B, dir, file string) *keystrokes {
	benchGC(b)
	k := &keystrokes{b: b, file: file}
	opts := Options{}
	opts.onReport = func(snap *analysis.Snapshot, rep *analysis.Report) {
		k.last.Store(&benchReport{snap, rep})
	}
	k.e = start(b, opts, editorCaps{}, dir)
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	k.e.open(file, string(data))
	k.e.waitVersion(file)
	return k
}

// report returns the report published for the document's current version.
func (k *keystrokes) report() *analysis.Report {
	want := k.e.docs[uri.File(k.file)].version
	for range 1000 {
		if r := k.last.Load(); r != nil {
			if d := r.snap.Document(k.file); d != nil && d.Version == want {
				return r.rep
			}
		}
		time.Sleep(time.Millisecond)
	}
	k.b.Fatalf("no report for version %d", want)
	return nil
}

// run measures b.N keystrokes.
func (k *keystrokes) run(next func(text string) edit, check func(rep *analysis.Report, text string) error) {
	b, e := k.b, k.e
	u := uri.File(k.file)
	runtime.GC()
	m := startMemorySampler()
	cpu0 := cpuTime()
	gc0 := readGCCounters()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	var editor time.Duration // the CPU time of the in-process editor's own work
	for i := range b.N {
		c0 := cpuTime()
		d := e.docs[u]
		ed := next(d.text)
		// The editor's work (positions, its copy of the text) is done
		// before the clock starts.
		d.version++
		params := &protocol.DidChangeTextDocumentParams{
			TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: d.version},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{
				Range: protocol.Range{Start: positionOf(d.text, ed.start, protocol.PositionEncodingKindUTF16), End: positionOf(d.text, ed.end, protocol.PositionEncodingKindUTF16)},
				Text:  ed.text,
			}},
		}
		d.text = d.text[:ed.start] + ed.text + d.text[ed.end:]
		editor += cpuTime() - c0
		t0 := time.Now()
		e.notify(protocol.MethodTextDocumentDidChange, params)
		e.waitVersion(k.file)
		lat = append(lat, time.Since(t0))
		b.StopTimer()
		c0 = cpuTime()
		if err := check(k.report(), d.text); err != nil {
			b.Fatalf("keystroke %d (%q at %d): %v", i, ed.text, ed.start, err)
		}
		editor += cpuTime() - c0
		b.StartTimer()
	}
	b.StopTimer()
	if f := os.Getenv("AMBER_BENCH_HEAPPROFILE"); f != "" {
		runtime.GC()
		out, _ := os.Create(f)
		pprof.WriteHeapProfile(out)
		out.Close()
	}
	cpu := cpuTime() - cpu0 - editor
	gc := readGCCounters().minus(gc0)
	live, heap, rss := m.stop()
	reportLatencies(b, lat)
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(editor)/float64(b.N)/1e6, "editor-cpu-ms/op")
	b.ReportMetric(float64(gc.allocs)/float64(b.N)/(1<<20), "alloc-MiB/op")
	b.ReportMetric(float64(gc.cycles)/float64(b.N), "gc/op")
	b.ReportMetric(float64(live)/(1<<20), "live-MiB")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
	if rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "rss-MiB")
	}
}

func reportLatencies(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / 1e6
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/1e6, "max-ms")
	b.ReportMetric(0, "ns/op")
}

// typist produces keystrokes: it types member into the object that follows
// each occurrence of anchor, one character at a time.
type typist struct {
	anchor string
	member []rune
	at     int // byte offset of the next character
	typed  int // characters of member typed at `at`
	round  int
}

func (ty *typist) next(text string) edit {
	if ty.typed == 0 || ty.typed == len(ty.member) {
		// Move to the next anchor after the current position.
		i := strings.Index(text[ty.at:], ty.anchor)
		if i < 0 {
			ty.at = 0
			i = strings.Index(text, ty.anchor)
		}
		ty.at += i + len(ty.anchor)
		ty.typed = 0
		ty.round++
	}
	r := string(ty.member[ty.typed])
	if ty.typed == 1 {
		r = string(rune('a' + ty.round%26)) // make every member's key unique
	}
	e := edit{ty.at, ty.at, r}
	ty.at += len(r)
	ty.typed++
	return e
}

// benchTyping types a new member, character by character, into the config
// of one component after another, passing through syntax errors on the
// way; the typing never returns to an earlier text (so no cached analysis
// can be reused for the edited file).
func benchTyping(b *testing.B, dir, file, anchor string, check func(*analysis.Report, string) error) {
	if data, _ := os.ReadFile(file); !strings.Contains(string(data), anchor) {
		b.Fatalf("%s has no %q to type after", file, anchor)
	}
	k := startBench(b, dir, file)
	ty := &typist{anchor: anchor, member: []rune(`"xé😀": "typed", `)}
	k.run(ty.next, check)
}

// benchCommas toggles a `,` after a comma that ends a line, at sites spread
// over the text: inserted (a syntax error), then deleted.
func benchCommas(b *testing.B, file string, text []byte) {
	var sites []int
	for i := 0; i+1 < len(text); i++ {
		if text[i] == ',' && text[i+1] == '\n' {
			sites = append(sites, i+1)
		}
	}
	k := startBench(b, filepath.Dir(file), file)
	base := len(k.report().ByFile[file])
	step := 0
	next := func(string) edit {
		at := sites[(step/2*7919)%len(sites)]
		step++
		if step%2 == 1 {
			return edit{at, at, ","}
		}
		return edit{at, at + 1, ""}
	}
	k.run(next, func(rep *analysis.Report, _ string) error {
		ds := rep.ByFile[file]
		switch {
		case step%2 == 1 && (len(ds) != 1 || ds[0].Code != codes.JSON5Error):
			return fmt.Errorf("broken text: %d diagnostics, want its syntax error", len(ds))
		case step%2 == 0 && len(ds) != base:
			return fmt.Errorf("restored text: %d diagnostics, want %d", len(ds), base)
		}
		return nil
	})
}

// benchLinkHeavy toggles edit ed of a LinkHeavy root.
func benchLinkHeavy(b *testing.B, w *testgen.LinkHeavy, ed testgen.LinkHeavyEdit) {
	k := startBench(b, w.Dir, w.Root)
	at, old, repl := w.Site(ed)
	on, off := edit{at, at + len(old), repl}, edit{at, at + len(repl), old}
	toggled := false
	next := func(string) edit {
		toggled = !toggled
		if toggled {
			return on
		}
		return off
	}
	if err := checkLinkHeavy(k.report(), w, ed, false, false); err != nil {
		b.Fatal(err)
	}
	k.run(next, func(rep *analysis.Report, _ string) error { return checkLinkHeavy(rep, w, ed, toggled, true) })
}

// checkLinkHeavy checks the report of a LinkHeavy tree with edit ed
// applied or not: the root linked afresh (after an edit), the leaf linked
// once per child (two warnings each), the root's own diagnostics.
func checkLinkHeavy(rep *analysis.Report, w *testgen.LinkHeavy, ed testgen.LinkHeavyEdit, applied, edited bool) error {
	root, leaf := rep.ByFile[w.Root], rep.ByFile[w.Leaf]
	wantRoot, wantLeaf := 0, testgen.Shown(w.BaseDiagnostics())
	if applied && !ed.Quiet() {
		wantRoot = 1
		if ed == testgen.EditBinding {
			wantLeaf = 0 // the root fails validation: nothing is linked
		}
	}
	switch {
	case len(root) != wantRoot:
		return fmt.Errorf("root: %d diagnostics, want %d", len(root), wantRoot)
	case len(leaf) != wantLeaf:
		return fmt.Errorf("leaf: %d diagnostics, want %d", len(leaf), wantLeaf)
	case edited && !slices.Contains(rep.Relinked, w.Root):
		return fmt.Errorf("the root was not linked afresh")
	case !applied && !slices.Contains(rep.Trees[w.Root], w.Leaf):
		return fmt.Errorf("the leaf is not in the root's tree")
	case applied && ed == testgen.EditSyntax && !slices.Equal(rep.Held, []string{w.Root}):
		return fmt.Errorf("held roots %v, want the root", rep.Held)
	}
	return nil
}

// gcCounters are the runtime's cumulative allocation and collection
// counts.
type gcCounters struct{ allocs, cycles uint64 }

func readGCCounters() gcCounters {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return gcCounters{s[0].Value.Uint64(), s[1].Value.Uint64()}
}

func (c gcCounters) minus(d gcCounters) gcCounters {
	return gcCounters{c.allocs - d.allocs, c.cycles - d.cycles}
}

// benchGC sets the collector as cmd/amber-lsp does (TuneGC), but for the
// memory limit, as with GOMEMLIMIT=off: the limit is chosen for the
// server's own process (its figures come from the real server, see
// TuneGC), and a benchmark's process also holds the in-process client (its
// copy of the text, the diagnostics it decodes), on which the limit would
// pace collections as it never does in the server.
func benchGC(b *testing.B) {
	b.Setenv("GOMEMLIMIT", "off")
	b.Cleanup(TuneGC())
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memorySampler records, every millisecond, the live heap after the last
// collection and the memory the Go runtime holds from the system (mapped
// and not released), and resets and reads the process's peak resident set.
type memorySampler struct {
	live, heap atomic.Uint64
	stopCh     chan struct{}
	done       sync.WaitGroup
}

func startMemorySampler() *memorySampler {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset VmHWM (Linux)
	m := &memorySampler{stopCh: make(chan struct{})}
	m.done.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64() - s[1].Value.Uint64(); v > m.heap.Load() {
				m.heap.Store(v)
			}
			if v := s[2].Value.Uint64(); v > m.live.Load() {
				m.live.Store(v)
			}
			select {
			case <-m.stopCh:
				return
			case <-t.C:
			}
		}
	})
	return m
}

// stop returns the peaks: live heap, runtime memory, resident set (0 when
// unknown).
func (m *memorySampler) stop() (live, heap, rss uint64) {
	close(m.stopCh)
	m.done.Wait()
	return m.live.Load(), m.heap.Load(), peakRSS()
}

// peakRSS reads VmHWM from /proc/self/status; 0 when unknown.
func peakRSS() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, _ := strconv.ParseUint(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkFullCheck is the baseline: a fresh analysis.Check of the same
// workspaces (what a server without incremental analysis would redo per
// keystroke).
func BenchmarkFullCheck(b *testing.B) {
	benchGC(b)
	b.Run("manifest-10k-lines", func(b *testing.B) {
		file := writeBenchFile(b, "big.json5", testgen.GenerateManifest(10000))
		for b.Loop() {
			if _, err := analysis.Check([]string{filepath.Dir(file)}, analysis.CheckOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("example-workspace", func(b *testing.B) {
		examples := corpus.Path(b, "conformance", "examples")
		for b.Loop() {
			if _, err := analysis.Check([]string{examples}, analysis.CheckOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
