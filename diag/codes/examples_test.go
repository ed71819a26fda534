package codes_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// proseOnly lists the codes documented by a prose example instead of files
// that trigger them, with the reason.
var proseOnly = map[diag.Code]string{
	codes.NestingTooDeep:     "the input is 513 nested arrays, too long for the documentation",
	codes.FileTooLarge:       "the input is 2 GiB",
	codes.InternalError:      "it takes a bug of amber-lsp",
	codes.TooManyDiagnostics: "the input has more than 1,000 problems",
	// Manifest validation checks `{ file }` texts before lowering reads them.
	codes.UnsupportedProgram: "a `{ file }` text must change between validation and lowering",
	// The overlay pass runs only when asked to, and all but the last two
	// need a running helper that misbehaves.
	codes.OverlayPassStartOverlayScenario:         "overlay pass",
	codes.OverlayPassInvokeOverlay:                "overlay pass",
	codes.OverlayPassMissingTargetSlot:            "overlay pass",
	codes.OverlayPassInterpositionPlanDeserialize: "overlay pass",
	codes.OverlayPassInvalidInterpositionPlan:     "overlay pass",
	codes.OverlayPassMissingAttachmentTarget:      "overlay pass",
	codes.OverlayPassInvalidRewrittenScenario:     "overlay pass",
	codes.OverlayScopePruned:                      "overlay pass",
	codes.OverlayNotLinked:                        "overlay pass",
	codes.RemoteHelperRefused:                     "overlay pass",
}

// TestExamples checks every example the way `amber-lsp --check` checks a
// directory, and fails unless it reports the example's code with the
// code's default severity.
func TestExamples(t *testing.T) {
	for _, info := range codes.All() {
		if info.Example == "" {
			if _, ok := proseOnly[info.Code]; !ok {
				t.Errorf("%s has a prose example but is not in proseOnly", info.Code)
			}
			continue
		}
		if _, ok := proseOnly[info.Code]; ok {
			t.Errorf("%s has an example but is listed in proseOnly", info.Code)
		}
		t.Run(string(info.Code), func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range info.ExampleFiles() {
				if err := os.WriteFile(filepath.Join(dir, f.Name), []byte(f.Text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := analysis.Check([]string{dir}, analysis.CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			found, got := reports(res.Diagnostics, info)
			if !found {
				t.Errorf("the example does not report %s %s; it reports:\n%s", info.Severity, info.Code, got)
			}
		})
	}
}

// reports reports whether ds holds a diagnostic of info's code with its
// default severity, and lists ds for the failure message.
func reports(ds []diag.Diagnostic, info codes.Info) (bool, string) {
	found := false
	var lines []string
	for _, d := range ds {
		found = found || d.Code == info.Code && d.Severity == info.Severity
		lines = append(lines, "\t"+d.Severity.String()+" "+string(d.Code)+": "+d.Message+"\n")
	}
	if len(lines) == 0 {
		return found, "\t(nothing)\n"
	}
	slices.Sort(lines)
	return found, strings.Join(lines, "")
}
