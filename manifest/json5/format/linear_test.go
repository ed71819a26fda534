package format

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// TestLinear formats inputs shaped to find quadratic behaviour (deep
// nesting on one long line and over many lines, long lines of tiny
// elements, comments everywhere, block comments over many lines): each of
// about 300 kB takes well under the time a quadratic pass would. The
// deep ones would grow by their indentation; they may be refused with
// ErrTooLarge, as fast.
func TestLinear(t *testing.T) {
	deep := strings.Repeat("[", 500) + "1" + strings.Repeat("]", 500)
	deepLines := strings.Repeat("{\na: ", 500) + "1" + strings.Repeat("\n}", 500)
	inputs := map[string]string{
		"deep on one line":       "[" + strings.Repeat(deep+",", 300) + "0]",
		"deep over lines":        "[" + strings.Repeat(deepLines+",\n", 50) + "0]",
		"long line":              "[" + strings.Repeat("1,", 150000) + "1]",
		"comments":               "[" + strings.Repeat("/**/1 /**/,// c\n", 20000) + "1]",
		"block comment lines":    "{\n  /*" + strings.Repeat("\n   * x", 50000) + "\n   */\n  a: 1,\n}",
		"objects on one line":    "[" + strings.Repeat("{a: {b: [1, 2]}, c: 'd'}, ", 12000) + "0]",
		"blank lines":            "{\n" + strings.Repeat("a: 1,\n\n\n", 30000) + "}",
		"line continuation text": "[\"" + strings.Repeat("x\\\n", 100000) + "\"]",
	}
	for name, src := range inputs {
		start := time.Now()
		f := json5.Parse([]byte(src))
		parse := time.Since(start)
		res, err := File(f, Options{})
		if errors.Is(err, ErrTooLarge) && strings.HasPrefix(name, "deep") {
			t.Logf("%s: %d bytes, parse %v, refused in %v", name, len(src), parse, time.Since(start)-parse)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		took := time.Since(start) - parse
		if took > 5*time.Second {
			t.Errorf("%s (%d bytes): formatting took %v (parse %v)", name, len(src), took, parse)
		}
		if again, err := File(json5.Parse(res.Text), Options{}); err != nil || len(again.Edits) > 0 {
			t.Errorf("%s: formatting again: %v, %d edits", name, err, len(again.Edits))
		}
		t.Logf("%s: %d bytes, parse %v, format %v", name, len(src), parse, took)
	}
}
