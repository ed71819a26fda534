package json5

import (
	"math"
	"testing"
)

// TestFloat: numbers out of float64's range round to ±Inf or 0 instead of
// failing; only malformed numbers fail.
func TestFloat(t *testing.T) {
	tests := []struct {
		text string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true},
		{"-0x10", -16, true},
		{"1e999", math.Inf(1), true},
		{"-1e999", math.Inf(-1), true},
		{"1e-999", 0, true},
		{"Infinity", math.Inf(1), true},
	}
	for _, tt := range tests {
		f := Parse([]byte(tt.text))
		got, ok := f.Root.Float()
		if ok != tt.ok || got != tt.want {
			t.Errorf("Float(%s) = %v, %v; want %v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := (&Node{Kind: Number, Text: "1e"}).Float(); ok {
		t.Error("Float(1e) reported ok")
	}
}
