package program

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/internal/golden"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/source"
)

// caseOptions are the directives at the top of a case file:
//
//	//! moniker: /app
//	//! id: 3
//	//! config: {token: "<runtime>"}    (JSON5; "runtime" for RuntimeConfig)
//	//! features: docker, kvm
type caseOptions struct {
	moniker  string
	id       int
	config   string
	features []string
}

func readOptions(t *testing.T, src []byte) caseOptions {
	t.Helper()
	o := caseOptions{moniker: "/"}
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "//") {
			break
		}
		directive, ok := strings.CutPrefix(line, "//!")
		if !ok {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimSpace(directive), ":")
		if !ok {
			t.Fatalf("bad directive %q", line)
		}
		value = strings.TrimSpace(value)
		switch key {
		case "moniker":
			o.moniker = value
		case "id":
			id, err := strconv.Atoi(value)
			if err != nil {
				t.Fatalf("bad id directive %q", value)
			}
			o.id = id
		case "config":
			o.config = value
		case "features":
			for _, f := range strings.Split(value, ",") {
				o.features = append(o.features, strings.TrimSpace(f))
			}
		default:
			t.Fatalf("unknown directive %q", line)
		}
	}
	return o
}

// position renders a span start as 1-based line:col in code points, as the
// conformance corpus counts them.
func position(lines *source.Lines, s diag.Span) string {
	p := lines.Position(s.Start, source.CodePoint)
	return fmt.Sprintf("%d:%d", p.Line+1, p.Column+1)
}

// runCase runs every check of the package on one manifest and renders the
// results as text.
func runCase(t *testing.T, file string) string {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	o := readOptions(t, src)
	m := loadManifest(t, file)
	lines := source.NewLines(src)
	read := readerFor(file)
	var b strings.Builder

	b.WriteString("-- slot interpolation (§5)\n")
	for _, d := range CheckSlotInterpolation(m, o.moniker, read) {
		l := d.Labels[0]
		fmt.Fprintf(&b, "%s %s [%s]\n  %s\n", position(lines, l.Span), d.Code, l.Message, d.Message)
		if d.Help != "" {
			fmt.Fprintf(&b, "  help: %s\n", d.Help)
		}
	}
	b.WriteString("-- config references (§4.1 step 2)\n")
	for _, p := range CheckConfigRefs(m, read) {
		fmt.Fprintf(&b, "%s %s [%s]\n  %s\n", position(lines, p.Span), p.Location, p.Label, p.Message)
	}
	b.WriteString("-- resource params (§4.1 step 3)\n")
	for _, p := range CheckResourceParams(m) {
		fmt.Fprintf(&b, "%s %s [%s]\n  %s\n", position(lines, p.Span), p.Location, p.Label, p.Message)
	}
	b.WriteString("-- lowering (§4.3)\n")
	lp, failures := Lower(Component{
		Moniker:  o.moniker,
		ID:       o.id,
		Manifest: m,
		Config:   parseConfig(t, o.config),
		Features: o.features,
		ReadFile: read,
	})
	for _, f := range failures {
		d := f.Diagnostic(o.moniker)
		fmt.Fprintf(&b, "%s %s #%d [%s]\n  %s\n", position(lines, f.Span), d.Code, f.Index, d.Labels[0].Message, d.Message)
	}
	if prog := programOf(lp); prog != nil {
		b.Write(scenario.MustEncode(prog))
		b.WriteString("\n")
		if len(lp.MountIndexes) > 0 {
			fmt.Fprintf(&b, "-- authored index of each mount\n%v\n", lp.MountIndexes)
		}
		u := UsedSlots(prog)
		fmt.Fprintf(&b, "-- used slots (§7)\nall=%v names=%v\n", u.All, u.Names)
		if err := ValidateLowered(prog, ownerOf(t, m, o.id, o.features)); err != nil {
			fmt.Fprintf(&b, "-- ValidateLowered\n%s\n", err)
		}
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*.json5")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json5")
		t.Run(name, func(t *testing.T) {
			got := runCase(t, file)
			golden.Check(t, strings.TrimSuffix(file, ".json5")+".golden", []byte(got))
		})
	}
}
