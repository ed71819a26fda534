package program

import (
	"regexp"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/internal/corpus"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// specProgram extracts the lowered program of the §8.5 worked example from
// linker.md and compacts it.
func specProgram(t *testing.T) string {
	t.Helper()
	s := string(corpus.Spec(t, "linker.md"))
	start := strings.Index(s, "### 8.5 Worked example")
	if start < 0 {
		t.Fatal("linker.md has no §8.5")
	}
	s = s[start:]
	m := regexp.MustCompile(`(?s)"program":(\{.*?\}),\s*\n\s*"provides"`).FindStringSubmatch(s)
	if m == nil {
		t.Fatal("no program in the §8.5 component JSON")
	}
	return regexp.MustCompile(`\n\s*`).ReplaceAllString(m[1], "")
}

func TestLowerWorkedExample(t *testing.T) {
	file := "testdata/cases/worked_example.json5"
	m := loadManifest(t, file)
	lp, failures := Lower(Component{
		Moniker:  "/app",
		ID:       1,
		Manifest: m,
		Config:   parseConfig(t, `{token: "<runtime>"}`),
		ReadFile: readerFor(file),
	})
	if len(failures) > 0 {
		t.Fatalf("failures: %+v", failures)
	}
	got := string(scenario.MustEncode(lp.Program))
	want := specProgram(t)
	if !strings.HasPrefix(want, `{"entrypoint":["app",`) {
		t.Fatalf("unexpected program text in linker.md: %s", want)
	}
	if got != want {
		t.Errorf("lowered program:\n got %s\nwant %s", got, want)
	}
}
