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
		got, ok := f.Root().Float()
		if ok != tt.ok || got != tt.want {
			t.Errorf("Float(%s) = %v, %v; want %v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := (&Node{Kind: Number, Text: "1e"}).Float(); ok {
		t.Error("Float(1e) reported ok")
	}
}

// TestInt: integers that fit in an int64, in decimal or hex, with a sign;
// the int64 range's ends included, one past them and non-integers not.
func TestInt(t *testing.T) {
	tests := []struct {
		text string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"42", 42, true},
		{"-42", -42, true},
		{"+7", 7, true},
		{"007", 7, true},
		{"0x1F", 31, true},
		{"-0X10", -16, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"0x7fffffffffffffff", math.MaxInt64, true},
		{"-0x8000000000000000", math.MinInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"0x8000000000000000", 0, false},
		{"1.0", 0, false},
		{"1e3", 0, false},
		{"Infinity", 0, false},
	}
	for _, tt := range tests {
		f := Parse([]byte(tt.text))
		got, ok := f.Root().Int()
		if ok != tt.ok || got != tt.want {
			t.Errorf("Int(%s) = %v, %v; want %v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
	for _, text := range []string{"1_000", "0x", "0x_1"} {
		if got, ok := (&Node{Kind: Number, Text: text}).Int(); ok {
			t.Errorf("Int(%s) = %v, ok", text, got)
		}
	}
}
