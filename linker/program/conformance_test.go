package program

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/source"
)

// TestConformanceSlotInterpolation runs CheckSlotInterpolation on every UI
// case of Amber's corpus whose expected code is
// compiler::invalid_slots_interpolation and compares the first
// diagnostic's message, help and span start with Amber's output.
func TestConformanceSlotInterpolation(t *testing.T) {
	ui := corpus.Path(t, "conformance", "ui")
	files, err := filepath.Glob(filepath.Join(ui, "*.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	posRe := regexp.MustCompile(`([A-Za-z0-9_]+\.json5):(\d+):(\d+)\]`)
	ran := 0
	for _, stderr := range files {
		out, err := os.ReadFile(stderr)
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		if first := strings.Fields(text); len(first) == 0 || first[0] != string(codes.InvalidSlotsInterpolation) {
			continue
		}
		ran++
		name := strings.TrimSuffix(filepath.Base(stderr), ".stderr")
		t.Run(name, func(t *testing.T) {
			var message, help string
			for _, line := range strings.Split(text, "\n") {
				line = strings.TrimSpace(line)
				if m, ok := strings.CutPrefix(line, "x "); ok && message == "" {
					message = m
				}
				if h, ok := strings.CutPrefix(line, "help: "); ok && help == "" {
					help = h
				}
			}
			pos := posRe.FindStringSubmatch(text)
			if pos == nil || message == "" {
				t.Fatalf("cannot read %s", stderr)
			}
			file := filepath.Join(ui, name+".json5")
			m := loadManifest(t, file)
			diags := CheckSlotInterpolation(m, "/", readerFor(file))
			if len(diags) == 0 {
				t.Fatalf("no diagnostic, want %q", message)
			}
			d := diags[0]
			if d.Message != message {
				t.Errorf("message:\n got %q\nwant %q", d.Message, message)
			}
			if d.Help != help {
				t.Errorf("help:\n got %q\nwant %q", d.Help, help)
			}
			src, _ := os.ReadFile(file)
			if got, want := position(source.NewLines(src), d.Labels[0].Span), pos[2]+":"+pos[3]; got != want {
				t.Errorf("span start %s, want %s", got, want)
			}
			if want := labelOf(text); want != "" && d.Labels[0].Message != want {
				t.Errorf("label %q, want %q", d.Labels[0].Message, want)
			}
		})
	}
	if ran == 0 {
		t.Fatal("no compiler::invalid_slots_interpolation case in the corpus")
	}
}

// labelOf returns the first label text of a miette report (the text after
// "`-- ").
func labelOf(report string) string {
	_, rest, ok := strings.Cut(report, "`-- ")
	if !ok {
		return ""
	}
	label, _, _ := strings.Cut(rest, "\n")
	return strings.TrimSpace(label)
}
