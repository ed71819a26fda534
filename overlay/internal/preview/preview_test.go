package preview

import (
	"strings"
	"testing"
)

func TestBody(t *testing.T) {
	if got := Body([]byte("  {\"a\":1}\n")); got != `{"a":1}` {
		t.Errorf("short body: %q", got)
	}
	long := strings.Repeat("x", Limit-1) + "é" + strings.Repeat("y", 10)
	want := strings.Repeat("x", Limit-1) + "\n... <truncated; showing first 4095 of 4107 bytes>"
	if got := Body([]byte(long)); got != want {
		t.Errorf("cut inside a character: %q", got[len(got)-60:])
	}
	if got := Body([]byte("a\xffb")); got != "a\uFFFDb" {
		t.Errorf("invalid UTF-8: %q", got)
	}
}
